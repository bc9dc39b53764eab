//! Who requests and who approves. A person can reach the store under more than one name: the
//! operating-system login of the process (an app-credential profile) and the Entra UPN of a
//! device-code sign-in (another profile, same person), and on PostgreSQL a database role.
//! Every request and decision records all of them, and a decision is refused when ANY of the
//! decider's matches the requester's (the database also compares `session_user`).
//!
//! The OS login is resolved from the effective uid through the system's user database
//! (getpwuid_r, so directory users too), never from an environment variable: `USER=alice
//! socops …` must not make anyone alice.

use super::{ApprovalRequest, TeamError};

/// Every name this process has in the team store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The OS login of the process.
    pub login: String,
    /// The signed-in Entra user (device-code sign-in), when there is one.
    pub upn: Option<String>,
}

impl Identity {
    /// This process: its OS login, with `signed_in_user` (the Entra UPN) when signed in.
    pub fn current(signed_in_user: Option<&str>) -> Result<Identity, TeamError> {
        Ok(Identity {
            login: os_login()?,
            upn: signed_in_user
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
        })
    }

    /// The name shown and recorded as requester/decider: the UPN when signed in, else the
    /// OS login.
    pub fn name(&self) -> &str {
        self.upn.as_deref().unwrap_or(&self.login)
    }

    /// Which of this identity's names made `row`, if any (`None`: someone else's). The
    /// database role is compared by the store itself.
    pub fn made(&self, row: &ApprovalRequest) -> Option<String> {
        if row.requester_login.as_deref() == Some(self.login.as_str())
            || row.requester == self.login
        {
            return Some(format!("the OS login {}", self.login));
        }
        let upn = self.upn.as_deref()?;
        let same = |other: &str| other.eq_ignore_ascii_case(upn);
        (row.requester_upn.as_deref().is_some_and(same) || same(&row.requester))
            .then(|| format!("the Entra user {upn}"))
    }
}

/// The login name of the effective uid.
pub(crate) fn os_login() -> Result<String, TeamError> {
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
#[cfg(unix)]
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
    fn both_names_are_kept_and_the_upn_is_shown() {
        let me = Identity::current(Some("alice@contoso.com")).unwrap();
        assert_eq!(me.login, os_login().unwrap());
        assert_eq!(me.upn.as_deref(), Some("alice@contoso.com"));
        assert_eq!(me.name(), "alice@contoso.com");
        let plain = Identity::current(Some("  ")).unwrap();
        assert_eq!(plain.upn, None);
        assert_eq!(plain.name(), os_login().unwrap());
    }
}
