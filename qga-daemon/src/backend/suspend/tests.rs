//! The suspend methods with a recording runner on a fake tree: nothing is
//! ever suspended.

use std::collections::HashMap;
use std::fs;
use std::sync::Mutex;

use super::*;

/// Answers programmed outcomes (by program name and first argument) and
/// records every call.
#[derive(Default)]
struct FakeRunner {
    outcomes: HashMap<String, RunOutcome>,
    calls: Mutex<Vec<String>>,
}

impl FakeRunner {
    fn with(pairs: &[(&str, RunOutcome)]) -> Arc<FakeRunner> {
        Arc::new(FakeRunner {
            outcomes: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            calls: Mutex::default(),
        })
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

impl Runner for FakeRunner {
    fn run(&self, program: &Path, args: &[&str]) -> RunOutcome {
        let call = std::iter::once(program.to_string_lossy().into_owned())
            .chain(args.iter().map(|a| a.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
        self.calls.lock().unwrap().push(call);
        let name = program.file_name().unwrap().to_string_lossy();
        let key = match args.first() {
            Some(a) => format!("{name} {a}"),
            None => name.into_owned(),
        };
        self.outcomes
            .get(&key)
            .cloned()
            .unwrap_or(RunOutcome::Exited(0))
    }
}

/// A fake root with the given programs installed, systemd running or not,
/// and the given power files.
fn tree(
    programs: &[&str],
    systemd: bool,
    state: Option<&str>,
    disk: Option<&str>,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for p in programs {
        let bin = if p.starts_with("pm-") {
            "usr/sbin"
        } else {
            "usr/bin"
        };
        fs::create_dir_all(root.join(bin)).unwrap();
        fs::write(root.join(bin).join(p), "").unwrap();
    }
    if systemd {
        fs::create_dir_all(root.join("run/systemd/system")).unwrap();
    }
    fs::create_dir_all(root.join("sys/power")).unwrap();
    if let Some(s) = state {
        fs::write(root.join("sys/power/state"), s).unwrap();
    }
    if let Some(d) = disk {
        fs::write(root.join("sys/power/disk"), d).unwrap();
    }
    dir
}

fn power_file(dir: &tempfile::TempDir, name: &str) -> String {
    fs::read_to_string(dir.path().join("sys/power").join(name)).unwrap()
}

const PM: [&str; 4] = [
    "pm-is-supported",
    "pm-hibernate",
    "pm-suspend",
    "pm-suspend-hybrid",
];

#[test]
fn systemd_first() {
    let dir = tree(&["systemctl"], true, Some("freeze mem disk\n"), None);
    let runner = FakeRunner::with(&[("systemctl status", RunOutcome::Exited(3))]);
    let s = Suspender::new(dir.path(), runner.clone());
    s.suspend(SuspendMode::Hybrid).unwrap();
    assert_eq!(
        runner.calls(),
        [
            "/usr/bin/systemctl status systemd-hybrid-sleep.service",
            "/usr/bin/systemctl hybrid-sleep"
        ]
    );
    assert_eq!(power_file(&dir, "state"), "freeze mem disk\n", "untouched");
}

#[test]
fn systemd_failure_falls_back_to_pm_utils() {
    let mut programs = vec!["systemctl"];
    programs.extend(PM);
    let dir = tree(&programs, true, None, None);
    let runner = FakeRunner::with(&[
        ("systemctl status", RunOutcome::Exited(0)),
        ("systemctl hibernate", RunOutcome::Exited(1)),
    ]);
    Suspender::new(dir.path(), runner.clone())
        .suspend(SuspendMode::Disk)
        .unwrap();
    assert_eq!(
        runner.calls()[2..],
        [
            "/usr/sbin/pm-is-supported --hibernate",
            "/usr/sbin/pm-hibernate"
        ]
    );
}

#[test]
fn systemd_not_running_is_skipped() {
    let mut programs = vec!["systemctl"];
    programs.extend(PM);
    let dir = tree(&programs, false, None, None);
    let runner = FakeRunner::with(&[]);
    Suspender::new(dir.path(), runner.clone())
        .suspend(SuspendMode::Ram)
        .unwrap();
    assert_eq!(
        runner.calls(),
        [
            "/usr/sbin/pm-is-supported --suspend",
            "/usr/sbin/pm-suspend"
        ]
    );
}

#[test]
fn unknown_systemd_unit_is_unsupported() {
    let dir = tree(&["systemctl"], true, None, None);
    let runner = FakeRunner::with(&[("systemctl status", RunOutcome::Exited(4))]);
    let err = Suspender::new(dir.path(), runner.clone())
        .suspend(SuspendMode::Ram)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the requested suspend mode is not supported by the guest"
    );
    assert_eq!(runner.calls().len(), 1);
}

#[test]
fn helper_failures_have_qemu_texts() {
    let dir = tree(&PM, false, None, None);
    for (outcome, text) in [
        (
            RunOutcome::Exited(1),
            "the helper program 'pm-suspend' returned an unexpected exit status code (1)",
        ),
        (
            RunOutcome::NotFound,
            "the helper program 'pm-suspend' was not found",
        ),
        (
            RunOutcome::Signaled(9),
            "the helper program 'pm-suspend' was killed by signal 9",
        ),
        (
            RunOutcome::SpawnFailed("Permission denied".into()),
            "failed to create child process, error 'Permission denied'",
        ),
    ] {
        let runner = FakeRunner::with(&[("pm-suspend", outcome)]);
        let err = Suspender::new(dir.path(), runner)
            .suspend(SuspendMode::Ram)
            .unwrap_err();
        assert_eq!(err.to_string(), text);
    }
    let dir = tree(&["systemctl"], true, None, None);
    let runner = FakeRunner::with(&[
        ("systemctl status", RunOutcome::Exited(3)),
        ("systemctl suspend", RunOutcome::Exited(5)),
    ]);
    assert_eq!(
        Suspender::new(dir.path(), runner)
            .suspend(SuspendMode::Ram)
            .unwrap_err()
            .to_string(),
        "the helper program 'systemctl suspend' returned an unexpected exit status code (5)"
    );
}

#[test]
fn pm_is_supported_says_no() {
    let dir = tree(&PM, false, None, None);
    let runner = FakeRunner::with(&[("pm-is-supported --hibernate", RunOutcome::Exited(1))]);
    assert_eq!(
        Suspender::new(dir.path(), runner.clone())
            .suspend(SuspendMode::Disk)
            .unwrap_err(),
        SuspendError::NotSupported
    );
    assert_eq!(runner.calls(), ["/usr/sbin/pm-is-supported --hibernate"]);
}

#[test]
fn kernel_state_file() {
    let dir = tree(&[], false, Some("freeze mem disk\n"), None);
    let runner = FakeRunner::with(&[]);
    let s = Suspender::new(dir.path(), runner.clone());
    s.suspend(SuspendMode::Ram).unwrap();
    assert_eq!(power_file(&dir, "state"), "mem");
    // A real state file keeps listing the states; the fake one must be
    // filled again.
    fs::write(dir.path().join("sys/power/state"), "freeze mem disk\n").unwrap();
    s.suspend(SuspendMode::Disk).unwrap();
    assert_eq!(power_file(&dir, "state"), "disk");
    assert!(runner.calls().is_empty());
}

#[test]
fn kernel_without_the_mode() {
    let dir = tree(&[], false, Some("freeze\n"), None);
    let s = Suspender::new(dir.path(), FakeRunner::with(&[]));
    for mode in [SuspendMode::Ram, SuspendMode::Disk, SuspendMode::Hybrid] {
        assert_eq!(s.suspend(mode).unwrap_err(), SuspendError::NotSupported);
    }
    assert_eq!(power_file(&dir, "state"), "freeze\n");
    let none = tree(&[], false, None, None);
    assert_eq!(
        Suspender::new(none.path(), FakeRunner::with(&[]))
            .suspend(SuspendMode::Ram)
            .unwrap_err(),
        SuspendError::NotSupported
    );
}

#[test]
fn kernel_hybrid_needs_suspend_method() {
    let dir = tree(
        &[],
        false,
        Some("mem disk\n"),
        Some("[platform] shutdown reboot\n"),
    );
    let s = Suspender::new(dir.path(), FakeRunner::with(&[]));
    assert_eq!(
        s.suspend(SuspendMode::Hybrid).unwrap_err(),
        SuspendError::NotSupported
    );
    fs::write(
        dir.path().join("sys/power/disk"),
        "[platform] shutdown reboot suspend\n",
    )
    .unwrap();
    s.suspend(SuspendMode::Hybrid).unwrap();
    assert_eq!(power_file(&dir, "disk"), "suspend");
    assert_eq!(power_file(&dir, "state"), "disk");
}

#[test]
fn kernel_write_failure() {
    let dir = tree(&[], false, Some("mem disk\n"), None);
    let s = Suspender::new(dir.path(), FakeRunner::with(&[]));
    fs::remove_dir_all(dir.path().join("sys/power")).unwrap();
    assert_eq!(
        s.write(STATE_FILE, "mem").unwrap_err().to_string(),
        "suspend: cannot write to '/sys/power/state': No such file or directory"
    );
    // The disk file is a directory: `suspend` cannot be read from it, so
    // hybrid suspend is not offered.
    let dir = tree(&[], false, Some("mem disk\n"), None);
    fs::create_dir(dir.path().join("sys/power/disk")).unwrap();
    assert_eq!(
        Suspender::new(dir.path(), FakeRunner::with(&[]))
            .suspend(SuspendMode::Hybrid)
            .unwrap_err(),
        SuspendError::NotSupported
    );
}
