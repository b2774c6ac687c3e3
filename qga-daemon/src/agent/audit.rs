//! The per-command audit messages, which go to syslog (see
//! [`log::audit`]): qemu-ga 10.0's, with its texts, plus a few of ours
//! for commands that change the machine and that qemu-ga passes over
//! silently.
//!
//! qemu-ga's (its `slog()` calls on Linux):
//!
//! - `guest-ping called`;
//! - `guest-file-open called, filepath: P, mode: M`, then on success
//!   `guest-file-open, handle: H`;
//! - `guest-file-close called, handle: H`;
//! - `guest-file-read failed, handle: H` on a read error (qemu-ga 10.0
//!   says `guest-file-write failed` there, a slip we do not copy);
//! - `guest-file-write failed, handle: H` on a write error;
//! - `guest-exec called: "PATH ARG..."`, `guest-exec-status called, pid: P`;
//! - `guest-shutdown called, mode: M`;
//! - `guest-fsfreeze called` (both freeze commands), `guest-fstrim called`;
//! - `failed to clean up frozen filesystems: E` when the thaw at exit
//!   fails.
//!
//! Ours: `guest-fsfreeze-thaw called`, `guest-set-time called[, time: T]`,
//! `guest-set-user-password called, username: U, crypted: B` (never the
//! password), `guest-ssh-add-authorized-keys called, username: U, keys: N,
//! reset: B`, `guest-ssh-remove-authorized-keys called, username: U, keys:
//! N`, `guest-suspend-{disk,ram,hybrid} called`.
//!
//! Each command's message is sent from its method in `commands.rs`, when
//! the call reaches it (after the gate and the argument checks).

use crate::log;
use std::fmt::Display;

pub(super) fn ping() {
    log::audit("guest-ping called");
}

pub(super) fn file_open(path: &str, mode: &str) {
    log::audit(format_args!(
        "guest-file-open called, filepath: {path}, mode: {mode}"
    ));
}

pub(super) fn file_opened(handle: i64) {
    log::audit(format_args!("guest-file-open, handle: {handle}"));
}

pub(super) fn file_close(handle: i64) {
    log::audit(format_args!("guest-file-close called, handle: {handle}"));
}

pub(super) fn file_read_failed(handle: i64) {
    log::audit(format_args!("guest-file-read failed, handle: {handle}"));
}

pub(super) fn file_write_failed(handle: i64) {
    log::audit(format_args!("guest-file-write failed, handle: {handle}"));
}

/// `path` and `args` joined by spaces, in quotes, as qemu-ga logs them.
pub(super) fn exec(path: &str, args: &[String]) {
    let mut line = path.to_owned();
    for arg in args {
        line.push(' ');
        line.push_str(arg);
    }
    log::audit(format_args!("guest-exec called: \"{line}\""));
}

pub(super) fn exec_status(pid: i64) {
    log::audit(format_args!("guest-exec-status called, pid: {pid}"));
}

pub(super) fn shutdown(mode: &str) {
    log::audit(format_args!("guest-shutdown called, mode: {mode}"));
}

pub(super) fn fsfreeze() {
    log::audit("guest-fsfreeze called");
}

pub(super) fn fsfreeze_thaw() {
    log::audit("guest-fsfreeze-thaw called");
}

pub(super) fn fstrim() {
    log::audit("guest-fstrim called");
}

pub(super) fn thaw_at_exit_failed(error: impl Display) {
    log::audit(format_args!(
        "failed to clean up frozen filesystems: {error}"
    ));
}

pub(super) fn set_time(time: Option<i64>) {
    match time {
        Some(time) => log::audit(format_args!("guest-set-time called, time: {time}")),
        None => log::audit("guest-set-time called"),
    }
}

pub(super) fn set_user_password(username: &str, crypted: bool) {
    log::audit(format_args!(
        "guest-set-user-password called, username: {username}, crypted: {crypted}"
    ));
}

pub(super) fn ssh_add_keys(username: &str, keys: usize, reset: bool) {
    log::audit(format_args!(
        "guest-ssh-add-authorized-keys called, username: {username}, keys: {keys}, reset: {reset}"
    ));
}

pub(super) fn ssh_remove_keys(username: &str, keys: usize) {
    log::audit(format_args!(
        "guest-ssh-remove-authorized-keys called, username: {username}, keys: {keys}"
    ));
}

pub(super) fn suspend(command: &str) {
    log::audit(format_args!("{command} called"));
}
