//! `guest-get-users` and `guest-set-user-password`.
//!
//! Where this differs from qemu-ga 10.x: a password or user name with a
//! NUL byte is refused (`forbidden characters in ...`) where qemu-ga would
//! silently cut it there; `chpasswd` is looked for in `/usr/sbin` then
//! `/sbin` instead of along `PATH` (the error for a missing one is
//! qemu-ga's); an unreadable utmp file reports nobody logged in.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use qga_generated::GuestUser;

use super::files::base64::{self, InvalidBase64};
use super::power::runner::{find_program, run_action, CommandError, Runner, SystemRunner};
use crate::sys::utmp::{logged_in_users, read_utmp};

const CHPASSWD: &[&str] = &["/usr/sbin/chpasswd", "/sbin/chpasswd"];
const CHPASSWD_ACTION: &str = "set user password";

/// Why `guest-set-user-password` failed, in qemu-ga's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// The password is not base64.
    #[error(transparent)]
    Base64(#[from] InvalidBase64),
    /// The decoded password has a newline or NUL.
    #[error("forbidden characters in raw password")]
    Password,
    /// The user name has a newline, colon or NUL.
    #[error("forbidden characters in username")]
    Username,
    /// `chpasswd` failed or is missing.
    #[error(transparent)]
    Chpasswd(#[from] CommandError),
}

/// Logged-in users and account passwords.
pub struct Users {
    root: PathBuf,
    runner: Arc<dyn Runner>,
}

impl std::fmt::Debug for Users {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Users").field("root", &self.root).finish()
    }
}

impl Users {
    /// Files and programs below `root`, run by `runner`.
    pub fn new(root: impl Into<PathBuf>, runner: Arc<dyn Runner>) -> Self {
        Users {
            root: root.into(),
            runner,
        }
    }

    /// The real system.
    pub fn system() -> Self {
        Users::new("/", Arc::new(SystemRunner))
    }

    /// `guest-get-users`: each logged-in user once, with the earliest
    /// login time, in order of first appearance in utmp.
    pub fn users(&self) -> Vec<GuestUser> {
        let records = read_utmp(&self.root).unwrap_or_default();
        logged_in_users(&records)
            .into_iter()
            .map(|(user, login_time)| GuestUser {
                user,
                login_time,
                domain: None,
            })
            .collect()
    }

    /// `guest-set-user-password`: feeds `user:password` to `chpasswd`
    /// (`-e` when the password is already crypted).
    pub fn set_password(
        &self,
        username: &str,
        password_b64: &str,
        crypted: bool,
    ) -> Result<(), UserError> {
        let raw = base64::decode(password_b64)?;
        if raw.iter().any(|&b| b == b'\n' || b == 0) {
            return Err(UserError::Password);
        }
        if username.contains(['\n', ':', '\0']) {
            return Err(UserError::Username);
        }
        let Some(program) = find_program(&self.root, CHPASSWD) else {
            return Err(UserError::Chpasswd(CommandError::Exec {
                action: CHPASSWD_ACTION.to_string(),
                program: "chpasswd".to_string(),
                reason: crate::log::strerror(&io::Error::from_raw_os_error(libc::ENOENT)),
            }));
        };
        let mut input = Vec::with_capacity(username.len() + raw.len() + 2);
        input.extend_from_slice(username.as_bytes());
        input.push(b':');
        input.extend_from_slice(&raw);
        input.push(b'\n');
        let args: &[&str] = if crypted { &["-e"] } else { &[] };
        run_action(
            self.runner.as_ref(),
            &program,
            args,
            Some(&input),
            CHPASSWD_ACTION,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
