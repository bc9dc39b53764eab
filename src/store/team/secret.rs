//! The store URL never carries a secret. A password written in it (`postgres://u:pw@host/db`,
//! `?password=pw`) would sit in the config file and reach every message that names the
//! store, so the config refuses it ([`url_secret`]) and every message shows the URL through
//! [`redact_url`]. The password comes from where libpq users keep it instead: `PGPASSWORD`,
//! or a passfile (`PGPASSFILE`, else `~/.pgpass`) that only its owner can read. tokio-postgres
//! reads neither, so [`password_for`] does.

use std::path::{Path, PathBuf};

/// Where the password goes instead; said by every refusal.
pub(crate) const HOW_TO_GIVE_A_PASSWORD: &str = "give the password in the PGPASSWORD environment \
    variable or in a passfile (PGPASSFILE, else ~/.pgpass, mode 0600, lines \
    host:port:database:user:password), or use trust/peer authentication over a Unix socket";

/// The part of `url` that is a secret, if any: `"password"` for `user:pw@` or a
/// `password=` query parameter.
pub(crate) fn url_secret(url: &str) -> Option<&'static str> {
    match url::Url::parse(url) {
        Ok(u) => {
            let in_query = u
                .query_pairs()
                .any(|(k, _)| k.eq_ignore_ascii_case("password"));
            (u.password().is_some() || in_query).then_some("password")
        }
        // Unparseable: refuse anything that looks like one rather than guess.
        Err(_) => (url.contains('@') && url.split('@').next().is_some_and(|u| u.contains(':'))
            || url.to_ascii_lowercase().contains("password="))
        .then_some("password"),
    }
}

/// A store URL fit for a message: the password (in the user part or the query) replaced by
/// `***`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k.eq_ignore_ascii_case("password") {
                        "***".to_string()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            if !pairs.is_empty() {
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        // Not a URL: keep only what follows the last `@` (the host part), never a query.
        Err(_) => url
            .split('@')
            .next_back()
            .unwrap_or_default()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Who connects where: what a passfile line is matched against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    /// The host name, or the socket directory; libpq writes `localhost` for a socket.
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

/// The password for `target`: `PGPASSWORD` when set (`env`), else the first matching line
/// of the passfile, else none. A passfile group or others can read is refused (libpq
/// ignores it; socops says why the password was not used).
pub(crate) fn password_for(
    target: &Target<'_>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<String>, String> {
    if let Some(pw) = env("PGPASSWORD").filter(|p| !p.is_empty()) {
        return Ok(Some(pw));
    }
    let Some(path) = passfile(&env) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read the passfile {}: {e}", path.display())),
    };
    check_private(&path)?;
    Ok(lookup(&text, target))
}

fn passfile(env: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("PGPASSFILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the passfile {}: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "the passfile {} can be read by group or others (mode {:03o}); run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

/// Elsewhere the passfile's access is its ACL, which socops does not inspect.
#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// The first line of a passfile that matches `t` (`*` matches anything; `\:` and `\\` are
/// a literal colon and backslash), as libpq reads it.
pub fn lookup(text: &str, t: &Target<'_>) -> Option<String> {
    let port = t.port.to_string();
    let host = if t.host.starts_with('/') {
        "localhost"
    } else {
        t.host
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(fields)
        .find(|f| {
            f.len() == 5
                && [host, port.as_str(), t.database, t.user]
                    .iter()
                    .zip(f.iter())
                    .all(|(want, got)| got == "*" || got == want)
        })
        .map(|f| f[4].clone())
}

/// Split a passfile line on unescaped colons.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(next);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_password_in_the_url_is_a_secret_in_either_place() {
        assert_eq!(url_secret("postgres://u:pw@db/socops"), Some("password"));
        assert_eq!(
            url_secret("postgres://u@db/socops?sslmode=require&password=pw"),
            Some("password")
        );
        assert_eq!(
            url_secret("postgres://u@db/socops?PASSWORD=pw"),
            Some("password")
        );
        assert_eq!(url_secret("postgres://u@db/socops?sslmode=require"), None);
        assert_eq!(url_secret("sqlite:///srv/socops/team.db"), None);
    }

    #[test]
    fn redaction_hides_the_password_wherever_it_is() {
        for url in [
            "postgres://socops:hunter2@db.internal/socops",
            "postgres://socops@db.internal/socops?password=hunter2&sslmode=require",
            "postgres://socops@db.internal/socops?sslmode=require&Password=hunter2",
            "not a url: u:hunter2@db.internal/x?password=hunter2",
        ] {
            let r = redact_url(url);
            assert!(!r.contains("hunter2"), "{url} → {r}");
            assert!(r.contains("db.internal"), "{url} → {r}");
        }
        assert!(
            redact_url("postgres://u@h/d?password=x&sslmode=require").contains("sslmode=require")
        );
    }

    fn target() -> Target<'static> {
        Target {
            host: "db.internal",
            port: 5432,
            database: "socops",
            user: "alice",
        }
    }

    #[test]
    fn passfile_lines_match_like_libpq() {
        let text = "# comment\n\
                    other:5432:socops:alice:wrong\n\
                    db.internal:5433:*:alice:wrong-port\n\
                    db.internal:*:socops:alice:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(lookup(text, &target()).as_deref(), Some("pa:ss\\word"));
        let bob = Target {
            user: "bob",
            ..target()
        };
        assert_eq!(lookup(text, &bob).as_deref(), Some("fallback"));
        let socket = Target {
            host: "/var/run/postgresql",
            ..target()
        };
        assert_eq!(
            lookup("localhost:5432:socops:alice:sock\n", &socket).as_deref(),
            Some("sock")
        );
        assert_eq!(lookup("db.internal:5432:socops\n", &target()), None);
    }

    #[test]
    fn pgpassword_wins_then_a_private_passfile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:alice:from-file\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let f = file.display().to_string();
        let env = |pw: Option<&'static str>| {
            let f = f.clone();
            move |k: &str| match k {
                "PGPASSWORD" => pw.map(str::to_string),
                "PGPASSFILE" => Some(f.clone()),
                _ => None,
            }
        };
        assert_eq!(
            password_for(&target(), env(Some("from-env"))).unwrap(),
            Some("from-env".into())
        );
        assert_eq!(
            password_for(&target(), env(None)).unwrap(),
            Some("from-file".into())
        );
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = password_for(&target(), env(None)).unwrap_err();
        assert!(e.contains("chmod 600") && !e.contains("from-file"), "{e}");
        let none = |_: &str| None;
        assert_eq!(password_for(&target(), none).unwrap(), None);
    }
}
