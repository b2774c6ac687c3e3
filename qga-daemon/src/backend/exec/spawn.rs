//! Starting a `guest-exec` child with the standard streams qemu-ga gives
//! it.
//!
//! - `argv[0]` is `path` as given; the file run is found by
//!   [`search::find_program`](super::search::find_program).
//! - `env`, when given, is the whole environment: nothing is inherited.
//!   Entries are `NAME=value`; an entry without `=` cannot be passed
//!   through Rust's process API and is left out, and a repeated name keeps
//!   its last value (qemu-ga passes such lists to `execve()` verbatim).
//! - Standard input is a pipe carrying `input-data` when it is given,
//!   `/dev/null` otherwise. Streams that are not captured go to
//!   `/dev/null`; `merged` makes standard error the same pipe as standard
//!   output.
//! - The child starts in the agent's working directory with SIGPIPE back at
//!   its default action. It inherits no other descriptor of the agent as
//!   long as the agent opens its files close-on-exec (Rust's standard
//!   library always does).
//! - Strings are C strings for qemu-ga, so each ends at its first NUL.

use std::ffi::OsStr;
use std::fs::File;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

use nix::fcntl::OFlag;
use qga_generated::GuestExecCaptureOutputMode as Mode;

use super::error::ExecError;
use super::search::find_program;
use super::supervise::Pipes;
use crate::backend::files::c_string;

/// What to start.
#[derive(Debug)]
pub struct Launch<'a> {
    /// The program, as given (`path`).
    pub program: &'a str,
    /// The arguments after `argv[0]`.
    pub args: &'a [String],
    /// The whole environment, if given.
    pub env: Option<&'a [String]>,
    /// The decoded `input-data`, if given.
    pub input: Option<Vec<u8>>,
    /// Which output to capture.
    pub mode: Mode,
}

/// Starts the child; `path_var` is the agent's PATH for the program
/// search.
pub fn spawn(launch: Launch<'_>, path_var: Option<&OsStr>) -> Result<(Child, Pipes), ExecError> {
    let program = c_string(launch.program);
    let spawn_error = |e: std::io::Error| ExecError::Spawn {
        program: program.to_owned(),
        source: e.into(),
    };
    let file = find_program(program, path_var).map_err(spawn_error)?;
    let mut command = Command::new(file);
    command
        .arg0(program)
        .args(launch.args.iter().map(|a| c_string(a)));
    if let Some(env) = launch.env {
        command.env_clear();
        for entry in env {
            if let Some((name, value)) = c_string(entry).split_once('=') {
                command.env(name, value);
            }
        }
    }
    command.stdin(if launch.input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut merged = None;
    let (out, err) = match launch.mode {
        Mode::None => (Stdio::null(), Stdio::null()),
        Mode::Stdout => (Stdio::piped(), Stdio::null()),
        Mode::Stderr => (Stdio::null(), Stdio::piped()),
        Mode::Separated => (Stdio::piped(), Stdio::piped()),
        Mode::Merged => {
            let (read, write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)
                .map_err(|e| ExecError::Pipe(std::io::Error::from(e).into()))?;
            let write2 = write.try_clone().map_err(|e| ExecError::Pipe(e.into()))?;
            merged = Some(read);
            (Stdio::from(write), Stdio::from(write2))
        }
    };
    command.stdout(out).stderr(err);
    let mut child = command.spawn().map_err(spawn_error)?;
    // The command holds the child's ends of the merged pipe: without this
    // drop the output would never reach its end.
    drop(command);
    let pipes = Pipes {
        input: child
            .stdin
            .take()
            .map(|stdin| File::from(OwnedFd::from(stdin)))
            .zip(launch.input),
        out: merged.map(File::from).or_else(|| {
            child
                .stdout
                .take()
                .map(|stdout| File::from(OwnedFd::from(stdout)))
        }),
        err: child
            .stderr
            .take()
            .map(|stderr| File::from(OwnedFd::from(stderr))),
    };
    Ok((child, pipes))
}
