//! Running a system program the way qemu-ga does for shutdown, the
//! hardware clock and passwords: optional text on stdin, stdout and stderr
//! gathered in one buffer, and qemu-ga's error texts when it fails.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::log::strerror;
use crate::sys::fsutil::host_path;

/// How a program ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// It exited with this status.
    Exited(i32),
    /// A signal killed it.
    Killed,
}

/// What a finished program left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// How it ended.
    pub ended: Ended,
    /// Everything it wrote to stdout and stderr, interleaved.
    pub output: Vec<u8>,
}

/// Starts programs; replaced by a fake in tests.
pub trait Runner: Send + Sync {
    /// Runs `program` with `args`, feeding `input` on stdin (stdin is
    /// `/dev/null` without it), and waits for it. `Err` only when the
    /// program could not be started at all.
    fn run(&self, program: &Path, args: &[&str], input: Option<&[u8]>) -> io::Result<Finished>;
}

/// The real [`Runner`]: a child in its own process group with stdout and
/// stderr on one pipe.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRunner;

impl Runner for SystemRunner {
    fn run(&self, program: &Path, args: &[&str], input: Option<&[u8]>) -> io::Result<Finished> {
        use std::os::unix::process::CommandExt;
        let (reader, writer) =
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(io::Error::from)?;
        let mut reader = std::fs::File::from(reader);
        let mut child = Command::new(program)
            .args(args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(writer.try_clone()?)
            .stderr(writer)
            .process_group(0)
            .spawn()?;
        let mut write_error = None;
        if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
            // A program that exits without reading its input is judged by
            // its exit status, as a broken pipe says nothing more.
            if let Err(e) = stdin.write_all(data) {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    write_error = Some(e);
                }
            }
        }
        let mut output = Vec::new();
        let read = reader.read_to_end(&mut output);
        let status = child.wait()?;
        if let Some(e) = write_error {
            return Err(e);
        }
        read?;
        let ended = status.code().map_or(Ended::Killed, Ended::Exited);
        Ok(Finished { ended, output })
    }
}

/// A failure of [`run_action`], worded as qemu-ga words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The program could not be started.
    #[error("child process has failed to {action}: failed to exec '{program}': {reason}\n")]
    Exec {
        /// What the program was run for (`shutdown`, ...).
        action: String,
        /// The program's path.
        program: String,
        /// `strerror` of the failure.
        reason: String,
    },
    /// The program exited with a non-zero status.
    #[error("child process has failed to {action}: {}", detail(output, *status))]
    Failed {
        /// What the program was run for.
        action: String,
        /// Its exit status.
        status: i32,
        /// What it printed.
        output: String,
    },
    /// A signal killed the program.
    #[error("child process has terminated abnormally{}", suffix(output))]
    Killed {
        /// What it printed.
        output: String,
    },
}

fn detail(output: &str, status: i32) -> String {
    if output.is_empty() {
        format!("exit status {status}")
    } else {
        output.to_string()
    }
}

fn suffix(output: &str) -> String {
    if output.is_empty() {
        String::new()
    } else {
        format!(": {output}")
    }
}

/// Runs `program` for `action` and turns anything but a zero exit status
/// into a [`CommandError`].
pub fn run_action(
    runner: &dyn Runner,
    program: &Path,
    args: &[&str],
    input: Option<&[u8]>,
    action: &str,
) -> Result<(), CommandError> {
    let finished = runner
        .run(program, args, input)
        .map_err(|e| CommandError::Exec {
            action: action.to_string(),
            program: program.display().to_string(),
            reason: strerror(&e),
        })?;
    let output = String::from_utf8_lossy(&finished.output).into_owned();
    match finished.ended {
        Ended::Exited(0) => Ok(()),
        Ended::Exited(status) => Err(CommandError::Failed {
            action: action.to_string(),
            status,
            output,
        }),
        Ended::Killed => Err(CommandError::Killed { output }),
    }
}

/// The first of `candidates` (absolute paths, looked up below `root`) that
/// is an executable file; the returned path is the one below `root`.
pub fn find_program(root: &Path, candidates: &[&str]) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    candidates.iter().map(|c| host_path(root, c)).find(|p| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

#[cfg(test)]
pub(crate) mod fake {
    //! A [`Runner`] that records calls and answers from a script.

    use super::*;
    use std::sync::Mutex;

    /// One recorded call.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Call {
        /// The program.
        pub program: PathBuf,
        /// Its arguments.
        pub args: Vec<String>,
        /// What it got on stdin.
        pub input: Option<Vec<u8>>,
    }

    /// Answers every call with `reply` and records it.
    pub struct FakeRunner {
        /// The calls seen so far.
        pub calls: Mutex<Vec<Call>>,
        reply: Box<dyn Fn() -> io::Result<Finished> + Send + Sync>,
    }

    impl FakeRunner {
        /// A runner whose programs exit with `status` after printing
        /// `output`.
        pub fn exiting(status: i32, output: &str) -> Self {
            let output = output.as_bytes().to_vec();
            FakeRunner {
                calls: Mutex::new(Vec::new()),
                reply: Box::new(move || {
                    Ok(Finished {
                        ended: Ended::Exited(status),
                        output: output.clone(),
                    })
                }),
            }
        }

        /// A runner that cannot start anything.
        pub fn failing(errno: i32) -> Self {
            FakeRunner {
                calls: Mutex::new(Vec::new()),
                reply: Box::new(move || Err(io::Error::from_raw_os_error(errno))),
            }
        }

        /// The calls seen so far.
        pub fn calls(&self) -> Vec<Call> {
            self.calls.lock().unwrap().clone()
        }
    }

    impl Runner for FakeRunner {
        fn run(&self, program: &Path, args: &[&str], input: Option<&[u8]>) -> io::Result<Finished> {
            self.calls.lock().unwrap().push(Call {
                program: program.to_path_buf(),
                args: args.iter().map(|a| a.to_string()).collect(),
                input: input.map(<[u8]>::to_vec),
            });
            (self.reply)()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::FakeRunner;
    use super::*;

    #[test]
    fn real_programs() {
        let r = SystemRunner;
        let out = r
            .run(
                Path::new("/bin/sh"),
                &["-c", "cat; echo err >&2; exit 3"],
                Some(b"in\n"),
            )
            .unwrap();
        assert_eq!(out.ended, Ended::Exited(3));
        assert_eq!(out.output, b"in\nerr\n");
        let out = r
            .run(Path::new("/bin/sh"), &["-c", "kill -9 $$"], None)
            .unwrap();
        assert_eq!(out.ended, Ended::Killed);
        let out = r
            .run(Path::new("/bin/sh"), &["-c", "exit 0"], Some(b"x"))
            .unwrap();
        assert_eq!(out.ended, Ended::Exited(0));
        assert!(r.run(Path::new("/nonexistent/prog"), &[], None).is_err());
    }

    #[test]
    fn error_texts() {
        let ok = FakeRunner::exiting(0, "noise");
        assert_eq!(run_action(&ok, Path::new("/p"), &[], None, "x"), Ok(()));
        let e = run_action(
            &FakeRunner::exiting(2, ""),
            Path::new("/p"),
            &[],
            None,
            "shutdown",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "child process has failed to shutdown: exit status 2"
        );
        let e = run_action(
            &FakeRunner::exiting(1, "bad\n"),
            Path::new("/p"),
            &[],
            None,
            "act",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "child process has failed to act: bad\n");
        let e = run_action(
            &FakeRunner::failing(2),
            Path::new("/sbin/x"),
            &[],
            None,
            "act",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "child process has failed to act: failed to exec '/sbin/x': No such file or directory\n"
        );
        let killed = CommandError::Killed {
            output: String::new(),
        };
        assert_eq!(
            killed.to_string(),
            "child process has terminated abnormally"
        );
        let killed = CommandError::Killed { output: "o".into() };
        assert_eq!(
            killed.to_string(),
            "child process has terminated abnormally: o"
        );
    }

    #[test]
    fn finds_executables() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sbin")).unwrap();
        std::fs::create_dir_all(root.join("usr/sbin")).unwrap();
        std::fs::write(root.join("sbin/tool"), "").unwrap();
        assert_eq!(find_program(root, &["/sbin/tool", "/usr/sbin/tool"]), None);
        std::fs::write(root.join("usr/sbin/tool"), "").unwrap();
        std::fs::set_permissions(
            root.join("usr/sbin/tool"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        assert_eq!(
            find_program(root, &["/sbin/tool", "/usr/sbin/tool"]),
            Some(root.join("usr/sbin/tool"))
        );
    }
}
