//! Tests of the freeze commands over a fake mount table and a fake
//! control layer: nothing real is frozen.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use qga_generated::GuestFsfreezeStatus;

use super::fake::{Fail, FakeControl};
use super::*;

/// `/`, `/data` and `/data/nested` on block devices, a virtual `/proc`
/// and a bind mount of `/data`'s device.
const MOUNTINFO: &str = "\
1 0 8:1 / / rw - ext4 /dev/sda1 rw
2 1 0:5 / /proc rw - proc proc rw
3 1 8:2 / /data rw - xfs /dev/sda2 rw
4 3 8:3 / /data/nested rw - ext4 /dev/sda3 rw
5 1 8:2 /sub /bind rw - xfs /dev/sda2 rw
";

struct Setup {
    dir: tempfile::TempDir,
    control: Arc<FakeControl>,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let proc_self = dir.path().join("proc/self");
        fs::create_dir_all(&proc_self).unwrap();
        fs::write(proc_self.join("mountinfo"), MOUNTINFO).unwrap();
        let control = Arc::new(FakeControl::new(dir.path()));
        Setup { dir, control }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn freezer(&self, options: FreezeOptions) -> Freezer {
        self.freezer_with(Box::new(MemoryMarker::default()), options)
    }

    fn freezer_with(&self, marker: Box<dyn FrozenMarker>, options: FreezeOptions) -> Freezer {
        Freezer::new(self.root(), self.control.clone(), marker, options)
    }

    /// A hook script that appends its argument to `hook.log`, and fails
    /// with output for the arguments in `failing`.
    fn hook(&self, failing: &[&str]) -> std::path::PathBuf {
        let log = self.root().join("hook.log");
        let mut body = format!("echo \"$1\" >> '{}'\n", log.display());
        for arg in failing {
            body.push_str(&format!(
                "[ \"$1\" = {arg} ] && {{ echo no {arg}; exit 2; }}\n"
            ));
        }
        body.push_str("exit 0");
        let path = self.root().join("hook");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn hook_log(&self) -> String {
        fs::read_to_string(self.root().join("hook.log")).unwrap_or_default()
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn freeze_reverse_order_thaw_mount_order() {
    let s = Setup::new();
    let marker = Arc::new(MemoryMarker::default());
    let f = s.freezer_with(Box::new(marker.clone()), FreezeOptions::default());
    assert_eq!(f.status(), GuestFsfreezeStatus::Thawed);
    assert_eq!(f.freeze().unwrap(), 3);
    assert_eq!(f.status(), GuestFsfreezeStatus::Frozen);
    assert!(marker.is_set());
    assert_eq!(
        s.control.log(),
        ["freeze /data/nested", "freeze /data", "freeze /"]
    );
    assert_eq!(s.control.frozen(), ["/", "/data", "/data/nested"]);
    assert_eq!(f.thaw().unwrap(), 3);
    assert_eq!(f.status(), GuestFsfreezeStatus::Thawed);
    assert!(!marker.is_set());
    assert!(s.control.frozen().is_empty());
    // Each filesystem is thawed until the kernel refuses.
    assert_eq!(
        &s.control.log()[3..],
        [
            "thaw /",
            "thaw /",
            "thaw /data",
            "thaw /data",
            "thaw /data/nested",
            "thaw /data/nested"
        ]
    );
}

#[test]
fn unsupported_and_busy_are_not_counted() {
    let s = Setup::new();
    s.control.fail("/data", Fail::Request(95));
    s.control.fail("/", Fail::Request(16));
    let f = s.freezer(FreezeOptions::default());
    assert_eq!(f.freeze().unwrap(), 1);
    assert_eq!(s.control.frozen(), ["/data/nested"]);
    assert!(f.is_frozen());
}

#[test]
fn nothing_frozen_leaves_state_thawed() {
    let s = Setup::new();
    for dir in ["/", "/data", "/data/nested"] {
        s.control.fail(dir, Fail::Request(95));
    }
    let marker = Arc::new(MemoryMarker::default());
    let f = s.freezer_with(Box::new(marker.clone()), FreezeOptions::default());
    assert_eq!(f.freeze().unwrap(), 0);
    assert_eq!(f.status(), GuestFsfreezeStatus::Thawed);
    assert!(!marker.is_set());
}

#[test]
fn failure_half_way_thaws_everything() {
    let s = Setup::new();
    s.control.fail("/data", Fail::Request(5));
    let f = s.freezer(FreezeOptions::default());
    let e = f.freeze().unwrap_err();
    assert_eq!(e.to_string(), "failed to freeze /data: Input/output error");
    assert_eq!(f.status(), GuestFsfreezeStatus::Thawed);
    assert!(s.control.frozen().is_empty());
    assert!(s.control.log().contains(&"thaw /data/nested".to_string()));
}

#[test]
fn open_failure_is_reported_and_rolled_back() {
    let s = Setup::new();
    s.control.fail("/", Fail::Open(13));
    let f = s.freezer(FreezeOptions::default());
    let e = f.freeze().unwrap_err();
    assert_eq!(e.to_string(), "failed to open /: Permission denied");
    assert!(!f.is_frozen());
    assert!(s.control.frozen().is_empty());
}

#[test]
fn freeze_list_selects_mount_points() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions::default());
    let list = strings(&["/data", "/not/a/mount", "/proc", "/bind"]);
    assert_eq!(f.freeze_list(Some(&list)).unwrap(), 1);
    assert_eq!(s.control.frozen(), ["/data"]);
    assert_eq!(f.thaw().unwrap(), 1);

    // Unknown mount points are ignored: nothing frozen, no error.
    assert_eq!(f.freeze_list(Some(&strings(&["/nope"]))).unwrap(), 0);
    assert_eq!(f.status(), GuestFsfreezeStatus::Thawed);
    assert_eq!(f.freeze_list(Some(&[])).unwrap(), 0);
    assert_eq!(f.freeze_list(None).unwrap(), 3);
}

#[test]
fn second_freeze_is_refused() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions::default());
    assert_eq!(f.freeze().unwrap(), 3);
    let e = f.freeze().unwrap_err();
    assert!(matches!(e, FreezeError::AlreadyFrozen));
    assert_eq!(e.to_string(), "the guest filesystems are already frozen");
    assert!(f.is_frozen());
}

#[test]
fn hook_runs_around_freeze_and_thaw() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions {
        hook: Some(s.hook(&[])),
        auto_thaw: None,
    });
    assert_eq!(f.freeze().unwrap(), 3);
    assert_eq!(f.thaw().unwrap(), 3);
    // Thaw with nothing frozen still runs the hook.
    assert_eq!(f.thaw().unwrap(), 0);
    assert_eq!(s.hook_log(), "freeze\nthaw\nthaw\n");
}

#[test]
fn failing_freeze_hook_freezes_nothing() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions {
        hook: Some(s.hook(&["freeze"])),
        auto_thaw: None,
    });
    let e = f.freeze().unwrap_err();
    assert_eq!(
        e.to_string(),
        "child process has failed to execute fsfreeze hook: no freeze\n"
    );
    assert!(!f.is_frozen());
    assert!(s.control.log().is_empty());
}

#[test]
fn failing_thaw_hook_is_reported_after_thawing() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions {
        hook: Some(s.hook(&["thaw"])),
        auto_thaw: None,
    });
    assert_eq!(f.freeze().unwrap(), 3);
    let e = f.thaw().unwrap_err();
    assert_eq!(
        e.to_string(),
        "child process has failed to execute fsfreeze hook: no thaw\n"
    );
    assert!(!f.is_frozen());
    assert!(s.control.frozen().is_empty());
}

#[test]
fn missing_hook() {
    let s = Setup::new();
    let hook = s.root().join("no-such-hook");
    let f = s.freezer(FreezeOptions {
        hook: Some(hook.clone()),
        auto_thaw: None,
    });
    let e = f.freeze().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "child process has failed to execute fsfreeze hook: failed to exec '{}': No such file or directory\n",
            hook.display()
        )
    );
}

#[test]
fn starts_frozen_when_marker_present() {
    let s = Setup::new();
    let state = tempfile::tempdir().unwrap();
    let marker = FileMarker::in_state_dir(state.path());
    marker.set().unwrap();
    let f = s.freezer_with(Box::new(marker.clone()), FreezeOptions::default());
    assert_eq!(f.status(), GuestFsfreezeStatus::Frozen);
    assert_eq!(f.thaw().unwrap(), 0);
    assert_eq!(f.status(), GuestFsfreezeStatus::Thawed);
    assert!(!marker.is_set());
}

#[test]
fn unreadable_mount_table() {
    let dir = tempfile::tempdir().unwrap();
    let control = Arc::new(FakeControl::new(dir.path()));
    let f = Freezer::new(
        dir.path(),
        control,
        Box::new(MemoryMarker::new(true)),
        FreezeOptions::default(),
    );
    let e = f.thaw().unwrap_err();
    assert_eq!(
        e.to_string(),
        "failed to open mtab file: '/proc/self/mounts'"
    );
    assert!(f.is_frozen(), "a failed thaw keeps the state");
    let f = Freezer::new(
        dir.path(),
        Arc::new(FakeControl::new(dir.path())),
        Box::new(MemoryMarker::default()),
        FreezeOptions::default(),
    );
    assert!(matches!(f.freeze(), Err(FreezeError::MountTable(_))));
    assert!(!f.is_frozen());
}

fn wait_thawed(f: &Freezer, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if !f.is_frozen() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    !f.is_frozen()
}

#[test]
fn watchdog_thaws_after_timeout() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions {
        hook: Some(s.hook(&[])),
        auto_thaw: Some(Duration::from_millis(100)),
    });
    assert_eq!(f.freeze().unwrap(), 3);
    assert!(f.is_frozen());
    assert!(wait_thawed(&f, Duration::from_secs(10)));
    assert_eq!(f.auto_thaw_count(), 1);
    assert!(s.control.frozen().is_empty());
    assert_eq!(s.hook_log(), "freeze\nthaw\n");
}

#[test]
fn watchdog_stands_down_after_thaw() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions {
        hook: None,
        auto_thaw: Some(Duration::from_millis(1500)),
    });
    let start = Instant::now();
    assert_eq!(f.freeze().unwrap(), 3);
    assert_eq!(f.thaw().unwrap(), 3);
    std::thread::sleep(Duration::from_millis(1000));
    // A new freeze: the first watchdog (due at 1.5 s) must not end it.
    assert_eq!(f.freeze().unwrap(), 3);
    let second = Instant::now();
    std::thread::sleep(Duration::from_millis(1700).saturating_sub(start.elapsed()));
    if second.elapsed() < Duration::from_millis(1400) {
        assert!(f.is_frozen(), "the first watchdog thawed a later freeze");
        assert_eq!(f.auto_thaw_count(), 0);
    }
    assert!(wait_thawed(&f, Duration::from_secs(10)));
    assert_eq!(f.auto_thaw_count(), 1);
}

#[test]
fn no_watchdog_by_default() {
    let s = Setup::new();
    let f = s.freezer(FreezeOptions::default());
    assert_eq!(f.freeze().unwrap(), 3);
    std::thread::sleep(Duration::from_millis(100));
    assert!(f.is_frozen());
    assert_eq!(f.auto_thaw_count(), 0);
}

#[test]
fn options_from_configuration() {
    let o = FreezeOptions::new(Some("/h".into()), Some(30));
    assert_eq!(o.hook.as_deref(), Some(Path::new("/h")));
    assert_eq!(o.auto_thaw, Some(Duration::from_secs(30)));
    assert_eq!(FreezeOptions::new(None, Some(0)).auto_thaw, None);
    assert_eq!(FreezeOptions::new(None, None).auto_thaw, None);
    // A zero duration set directly arms nothing either.
    let s = Setup::new();
    let f = s.freezer(FreezeOptions {
        hook: None,
        auto_thaw: Some(Duration::ZERO),
    });
    assert_eq!(f.freeze().unwrap(), 3);
    std::thread::sleep(Duration::from_millis(50));
    assert!(f.is_frozen());
}
