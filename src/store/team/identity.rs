//! Who requests and who approves. The signed-in Entra user (device-code sign-in) when there
//! is one; otherwise the operating-system login name of this process, resolved from its
//! effective uid through the system's user database (getpwuid_r, so directory users too).
//! Never an environment variable: `USER=alice socops …` must not make anyone alice.

use super::TeamError;

/// The name the team store records for this process.
pub fn current(signed_in_user: Option<&str>) -> Result<String, TeamError> {
    match signed_in_user.map(str::trim).filter(|u| !u.is_empty()) {
        Some(user) => Ok(user.to_string()),
        None => os_login(),
    }
}

/// The login name of the effective uid.
pub fn os_login() -> Result<String, TeamError> {
    whoami::username()
        .ok()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            TeamError::Config(
                "cannot tell who is running socops: this process's user id has no login name"
                    .into(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// The uid's name as /etc/passwd has it (where the test machine's users live).
    fn passwd_name(uid: u32) -> Option<String> {
        std::fs::read_to_string("/etc/passwd")
            .ok()?
            .lines()
            .find_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.len() > 2 && f[2] == uid.to_string()).then(|| f[0].to_string())
            })
    }

    #[test]
    fn the_os_login_comes_from_the_uid_not_the_environment() {
        let uid = std::fs::metadata("/proc/self").unwrap().uid();
        let expected = passwd_name(uid).expect("the test user is in /etc/passwd");
        // (The CLI tests run the binary with USER/LOGNAME set to another name.)
        assert_eq!(os_login().unwrap(), expected);
    }

    #[test]
    fn a_signed_in_user_wins_over_the_os_login() {
        assert_eq!(
            current(Some("alice@contoso.com")).unwrap(),
            "alice@contoso.com"
        );
        assert_eq!(current(Some("  ")).unwrap(), os_login().unwrap());
        assert_eq!(current(None).unwrap(), os_login().unwrap());
    }
}
