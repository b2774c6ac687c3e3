//! The fsfreeze hook (`-F`), run as qemu-ga 10.x runs it: `HOOK freeze`
//! before freezing and `HOOK thaw` after thawing, with the agent's
//! environment and working directory, stdin on `/dev/null`, and stdout and
//! stderr captured together for the error message.

use std::io::{self, Read};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::errno::error_text;

/// The argument the hook is called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookArg {
    /// Before the filesystems are frozen.
    Freeze,
    /// After they are thawed.
    Thaw,
}

impl HookArg {
    /// The word passed to the script.
    pub fn as_str(self) -> &'static str {
        match self {
            HookArg::Freeze => "freeze",
            HookArg::Thaw => "thaw",
        }
    }
}

/// Why the hook failed, with qemu-ga 10.x's messages.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The output channel could not be created.
    #[error("cannot create pipe FDs")]
    Pipe(#[source] io::Error),
    /// Reading the hook's output failed.
    #[error("execute fsfreeze hook: cannot read from stdout/stderr pipe: {}", error_text(.0))]
    Read(#[source] io::Error),
    /// Waiting for the hook failed.
    #[error("failed to wait for child (pid: {pid}): {}", error_text(.source))]
    Wait {
        /// The hook's process id.
        pid: u32,
        /// The error of `waitpid`.
        #[source]
        source: io::Error,
    },
    /// The hook was killed by a signal.
    #[error("child process has terminated abnormally{}", colon_text(.output))]
    Signalled {
        /// What it wrote to stdout and stderr.
        output: String,
    },
    /// The hook exited with a non-zero status (or could not be executed,
    /// which qemu-ga reports as status 1 with a `failed to exec` line).
    #[error("child process has failed to execute fsfreeze hook: {}", failure_text(*.status, .output))]
    Failed {
        /// The exit status.
        status: i32,
        /// What it wrote to stdout and stderr.
        output: String,
    },
}

fn colon_text(output: &str) -> String {
    if output.is_empty() {
        String::new()
    } else {
        format!(": {output}")
    }
}

fn failure_text(status: i32, output: &str) -> String {
    if output.is_empty() {
        format!("exit status {status}")
    } else {
        output.to_string()
    }
}

/// The captured output as qemu-ga uses it: a C string, so it ends at the
/// first NUL byte.
fn output_text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(bytes.get(..end).unwrap_or_default()).into_owned()
}

/// Runs `hook arg` and waits for it.
pub fn run_hook(hook: &Path, arg: HookArg) -> Result<(), HookError> {
    let (mut reader, writer) = UnixStream::pair().map_err(HookError::Pipe)?;
    let spawned = {
        let err_end = writer.try_clone().map_err(HookError::Pipe)?;
        let mut cmd = Command::new(hook);
        cmd.arg(arg.as_str())
            .stdin(Stdio::null())
            .stdout(Stdio::from(OwnedFd::from(writer)))
            .stderr(Stdio::from(OwnedFd::from(err_end)))
            .process_group(0);
        // `cmd` (and with it the parent's copies of the write end) is
        // dropped at the end of this block, so that reading sees EOF.
        cmd.spawn()
    };
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return Err(HookError::Failed {
                status: 1,
                output: format!("failed to exec '{}': {}\n", hook.display(), error_text(&e)),
            })
        }
    };
    let mut bytes = Vec::new();
    let read = reader.read_to_end(&mut bytes);
    let status = child.wait().map_err(|source| HookError::Wait {
        pid: child.id(),
        source,
    })?;
    read.map_err(HookError::Read)?;
    let output = output_text(&bytes);
    match status.code() {
        Some(0) => Ok(()),
        Some(status) => Err(HookError::Failed { status, output }),
        None => Err(HookError::Signalled { output }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// Writes an executable shell script.
    pub(crate) fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn success_and_argument() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let hook = script(
            dir.path(),
            "hook",
            &format!(
                "echo \"$1\" >> {}; read x; echo \"stdin:$x\" >> {}",
                log.display(),
                log.display()
            ),
        );
        run_hook(&hook, HookArg::Freeze).unwrap();
        run_hook(&hook, HookArg::Thaw).unwrap();
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "freeze\nstdin:\nthaw\nstdin:\n"
        );
    }

    #[test]
    fn failure_with_merged_output() {
        let dir = tempfile::tempdir().unwrap();
        let hook = script(
            dir.path(),
            "hook",
            "echo fail hook stdout; echo fail hook stderr >&2; exit 7",
        );
        let e = run_hook(&hook, HookArg::Freeze).unwrap_err();
        assert_eq!(
            e.to_string(),
            "child process has failed to execute fsfreeze hook: fail hook stdout\nfail hook stderr\n"
        );
    }

    #[test]
    fn failure_without_output() {
        let dir = tempfile::tempdir().unwrap();
        let hook = script(dir.path(), "hook", "exit 3");
        let e = run_hook(&hook, HookArg::Thaw).unwrap_err();
        assert_eq!(
            e.to_string(),
            "child process has failed to execute fsfreeze hook: exit status 3"
        );
    }

    #[test]
    fn missing_and_not_executable() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let e = run_hook(&missing, HookArg::Freeze).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "child process has failed to execute fsfreeze hook: failed to exec '{}': No such file or directory\n",
                missing.display()
            )
        );
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "").unwrap();
        let e = run_hook(&plain, HookArg::Freeze).unwrap_err();
        assert!(e.to_string().ends_with("': Permission denied\n"), "{e}");
    }

    #[test]
    fn killed_by_signal() {
        let dir = tempfile::tempdir().unwrap();
        let hook = script(dir.path(), "hook", "echo bye; kill -9 $$");
        let e = run_hook(&hook, HookArg::Freeze).unwrap_err();
        assert_eq!(
            e.to_string(),
            "child process has terminated abnormally: bye\n"
        );
        let quiet = script(dir.path(), "quiet", "kill -9 $$");
        let e = run_hook(&quiet, HookArg::Freeze).unwrap_err();
        assert_eq!(e.to_string(), "child process has terminated abnormally");
    }

    #[test]
    fn output_is_a_c_string() {
        assert_eq!(output_text(b"ab\0cd"), "ab");
        assert_eq!(output_text(b"\xffx"), "\u{fffd}x");
    }
}
