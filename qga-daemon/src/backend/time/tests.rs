use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicI64, Ordering};

use std::path::Path;

use super::*;
use crate::backend::power::runner::fake::FakeRunner;

#[derive(Debug, Default)]
struct FakeClock {
    ns: AtomicI64,
    refuse: bool,
}

impl Clock for FakeClock {
    fn now_ns(&self) -> i64 {
        self.ns.load(Ordering::SeqCst)
    }

    fn set_ns(&self, ns: i64) -> io::Result<()> {
        if self.refuse {
            return Err(io::Error::from_raw_os_error(1));
        }
        self.ns.store(ns, Ordering::SeqCst);
        Ok(())
    }
}

fn install_hwclock(root: &Path, at: &str) {
    let p = root.join(at);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn time(root: &Path, clock: &Arc<FakeClock>, runner: &Arc<FakeRunner>, tz: Option<&str>) -> Time {
    Time::new(root, clock.clone(), runner.clone(), tz.map(str::to_string))
}

#[test]
fn get_time() {
    let clock = Arc::new(FakeClock::default());
    clock.ns.store(1_700_000_000_123_456_789, Ordering::SeqCst);
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    assert_eq!(
        time(Path::new("/"), &clock, &runner, None).get_time(),
        1_700_000_000_123_456_789
    );
    let real = SystemClock.now_ns();
    assert!(real > 1_600_000_000 * NANOS);
}

#[test]
fn set_time_then_rtc() {
    let dir = tempfile::tempdir().unwrap();
    install_hwclock(dir.path(), "usr/sbin/hwclock");
    let clock = Arc::new(FakeClock::default());
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let t = time(dir.path(), &clock, &runner, None);
    t.set_time(Some(1_700_000_000_123_456_789)).unwrap();
    assert_eq!(clock.now_ns(), 1_700_000_000_123_456_000);
    t.set_time(None).unwrap();
    assert_eq!(clock.now_ns(), 1_700_000_000_123_456_000);
    let calls = runner.calls();
    assert_eq!(calls[0].program, dir.path().join("usr/sbin/hwclock"));
    assert_eq!(calls[0].args, ["-w"]);
    assert_eq!(calls[1].args, ["-s"]);
    install_hwclock(dir.path(), "sbin/hwclock");
    t.set_time(None).unwrap();
    assert_eq!(runner.calls()[2].program, dir.path().join("sbin/hwclock"));
}

#[test]
fn set_time_errors() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::default());
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let t = time(dir.path(), &clock, &runner, None);
    assert_eq!(t.set_time(Some(-1)), Err(TimeError::Invalid));
    let y2070 = days_from_civil(2070, 1, 1) * 86_400 * NANOS;
    assert_eq!(
        t.set_time(Some(y2070)).unwrap_err().to_string(),
        "Invalid time"
    );
    assert_eq!(clock.now_ns(), 0);
    // No hwclock anywhere: the clock is set, the RTC step fails without
    // running anything.
    let e = t.set_time(Some(y2070 - 1)).unwrap_err();
    assert_eq!(clock.now_ns(), y2070 - 1000);
    assert!(runner.calls().is_empty());
    assert_eq!(
        e.to_string(),
        "child process has failed to set hardware clock to system time: \
         failed to exec '/sbin/hwclock': No such file or directory\n"
    );
    let refusing = Arc::new(FakeClock {
        refuse: true,
        ..FakeClock::default()
    });
    let t = time(dir.path(), &refusing, &runner, None);
    assert_eq!(
        t.set_time(Some(NANOS)).unwrap_err().to_string(),
        "Failed to set time to guest: Operation not permitted"
    );
    install_hwclock(dir.path(), "sbin/hwclock");
    let failing = Arc::new(FakeRunner::exiting(
        1,
        "hwclock: Cannot access the Hardware Clock\n",
    ));
    let t = time(dir.path(), &clock, &failing, None);
    assert_eq!(
        t.set_time(None).unwrap_err().to_string(),
        "child process has failed to set hardware clock to system time: \
         hwclock: Cannot access the Hardware Clock\n"
    );
}

#[test]
fn timezone() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::default());
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let z = time(dir.path(), &clock, &runner, None).timezone();
    assert_eq!((z.zone.as_deref(), z.offset), (Some("UTC"), 0));
    clock.ns.store(
        days_from_civil(2024, 7, 1) * 86_400 * NANOS,
        Ordering::SeqCst,
    );
    let z = time(dir.path(), &clock, &runner, Some("EST5EDT,M3.2.0,M11.1.0")).timezone();
    assert_eq!((z.zone.as_deref(), z.offset), (Some("EDT"), -4 * 3600));
    std::fs::create_dir_all(dir.path().join("etc")).unwrap();
    std::fs::write(dir.path().join("etc/localtime"), "junk").unwrap();
    let z = time(dir.path(), &clock, &runner, None).timezone();
    assert_eq!((z.zone.as_deref(), z.offset), (Some("UTC"), 0));
}
