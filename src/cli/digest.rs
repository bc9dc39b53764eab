//! `digest`: the morning digest of one tenant (text, Markdown or JSON) or one line per tenant
//! for every profile (`--all-profiles`), online or from the stored snapshots (`--offline`).
//! Snapshots live in the data dir (`<data>/snapshots/<profile>/`).

use chrono::Utc;

use crate::cli::args::{DigestArgs, GlobalArgs};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::{self, Session, load_config, profile_client};
use crate::digest::{self, DigestFormat};
use crate::store::{SnapshotStore, paths};

fn format_of(g: &GlobalArgs, a: &DigestArgs) -> DigestFormat {
    if g.json {
        DigestFormat::Json
    } else if a.markdown {
        DigestFormat::Markdown
    } else {
        DigestFormat::Text
    }
}

/// The snapshot store of the data dir.
pub fn store() -> CliResult<SnapshotStore> {
    let data = paths::data_dir().map_err(|e| CliError::Config(e.to_string()))?;
    Ok(SnapshotStore::new(&data))
}

/// Run `digest …` (inside the runtime; builds its own session or sessions).
pub async fn run(g: &GlobalArgs, a: DigestArgs) -> CliResult {
    if g.csv || g.out.is_some() {
        return Err(CliError::Usage(
            "digest prints text, --markdown or --json to stdout (not --csv or --out)".into(),
        ));
    }
    let format = format_of(g, &a);
    if a.all_profiles {
        if format != DigestFormat::Text {
            return Err(CliError::Usage(
                "--all-profiles prints one line per tenant; --json and --markdown apply to one \
                 profile (--profile P)"
                    .into(),
            ));
        }
        return if g.offline {
            all_offline()
        } else {
            all_online().await
        };
    }
    let store = store()?;
    if g.offline {
        let profile = session::profile_name(g)?;
        let text = digest::offline_digest(&store, &profile, Utc::now(), format)
            .map_err(|e| offline_error(&profile, e))?;
        print!("{text}");
        return Ok(());
    }
    let s = Session::build(g).await?;
    let text = digest::run_digest(
        &s.client,
        &store,
        &s.profile_name,
        &s.tenant_label,
        Utc::now(),
        format,
    )
    .await?;
    // The team's pending four-eyes requests, when a team store is configured.
    let Some(team) = &s.team else {
        print!("{text}");
        return Ok(());
    };
    let pending = crate::cli::digest_team::pending(team).await;
    if format == DigestFormat::Json {
        print!("{}", crate::cli::digest_team::merge_json(&text, &pending));
    } else {
        print!(
            "{text}{}",
            crate::cli::digest_team::section(&pending, format, crate::store::team::now())
        );
    }
    Ok(())
}

fn offline_error(profile: &str, e: crate::store::StoreError) -> CliError {
    match e {
        crate::store::StoreError::NoSnapshot { .. } => CliError::Runtime(format!(
            "no stored digest for profile '{profile}': run `socops digest` online first"
        )),
        other => CliError::Runtime(other.to_string()),
    }
}

/// Every profile concurrently, each within its own deadline. Exit 0 only when every tenant
/// answered.
async fn all_online() -> CliResult {
    let config = load_config()?;
    if config.profiles.is_empty() {
        return Err(CliError::Config(
            "no profiles in the config (`socops config init`)".into(),
        ));
    }
    let mut runs = Vec::new();
    let mut failed_lines = Vec::new();
    for (name, p) in &config.profiles {
        match profile_client(name, p) {
            Ok((client, label)) => runs.push((name.clone(), label, client)),
            // A profile that cannot even build a credential fails on its own line.
            Err(e) => failed_lines.push(format!("{name}: FAILED: {}", e.one_line())),
        }
    }
    let total = runs.len() + failed_lines.len();
    let run = digest::run_all(runs, &store()?, Utc::now(), digest::TENANT_DEADLINE).await;
    // One line per tenant: names and error texts shown, never interpreted.
    for l in run.text.lines() {
        println!("{}", crate::text::line(l));
    }
    for l in &failed_lines {
        println!("{}", crate::text::line(l));
    }
    // A tenant that failed is a failed digest: a script (or cron) must see it in the exit
    // status, not only in a line of the output.
    let failed = run.failed + failed_lines.len();
    if failed == total {
        return Err(CliError::Runtime("no tenant answered".into()));
    }
    if failed > 0 {
        return Err(CliError::Runtime(format!(
            "{failed} of {total} tenants failed; their lines above say why"
        )));
    }
    Ok(())
}

/// Every profile from its last stored snapshot, one line each with its age.
fn all_offline() -> CliResult {
    let config = load_config()?;
    let store = store()?;
    let now = Utc::now();
    let mut found = 0;
    println!(
        "socops digest (offline), {} profile(s)",
        config.profiles.len()
    );
    for name in config.profiles.keys() {
        match digest::offline_snapshot(&store, name, now) {
            Ok((snap, age)) => {
                found += 1;
                println!(
                    "{} [{} old]",
                    crate::text::line(&digest::summary_line(&snap)),
                    digest::age_text(age)
                );
            }
            Err(e) => println!(
                "{}: {}",
                crate::text::line(name),
                crate::text::line(&offline_error(name, e).one_line())
            ),
        }
    }
    if found == 0 {
        return Err(CliError::Runtime(
            "no stored digest for any profile: run `socops digest --all-profiles` online first"
                .into(),
        ));
    }
    Ok(())
}
