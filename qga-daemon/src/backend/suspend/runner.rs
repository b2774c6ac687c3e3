//! Running the helper programs, behind a trait so that tests can record
//! calls instead of suspending the machine.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// How running a program ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// It exited with this status.
    Exited(i32),
    /// It was killed by this signal.
    Signaled(i32),
    /// The program does not exist.
    NotFound,
    /// It could not be started, for this reason.
    SpawnFailed(String),
}

/// Runs a program to completion.
pub trait Runner: Send + Sync {
    /// Runs `program` (an absolute path) with `args`, its standard streams
    /// on `/dev/null`, and waits for it.
    fn run(&self, program: &Path, args: &[&str]) -> RunOutcome;
}

/// Runs programs for real.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRunner;

impl Runner for SystemRunner {
    fn run(&self, program: &Path, args: &[&str]) -> RunOutcome {
        let status = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(s) => match (s.code(), s.signal()) {
                (Some(code), _) => RunOutcome::Exited(code),
                (None, Some(signal)) => RunOutcome::Signaled(signal),
                (None, None) => RunOutcome::Exited(-1),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => RunOutcome::NotFound,
            Err(e) => RunOutcome::SpawnFailed(crate::log::strerror(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_programs() {
        let r = SystemRunner;
        assert_eq!(r.run(Path::new("/bin/true"), &[]), RunOutcome::Exited(0));
        assert_eq!(
            r.run(Path::new("/bin/sh"), &["-c", "exit 3"]),
            RunOutcome::Exited(3)
        );
        assert_eq!(
            r.run(Path::new("/bin/sh"), &["-c", "kill -9 $$"]),
            RunOutcome::Signaled(9)
        );
        assert_eq!(
            r.run(Path::new("/nonexistent/program"), &[]),
            RunOutcome::NotFound
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(r.run(dir.path(), &[]), RunOutcome::SpawnFailed(_)));
    }
}
