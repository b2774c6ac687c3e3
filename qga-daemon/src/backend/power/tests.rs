use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Mutex;

use super::runner::fake::FakeRunner;
use super::*;

#[derive(Default)]
struct FakeKernel {
    calls: Mutex<Vec<ShutdownMode>>,
    fail: bool,
}

impl RebootCall for FakeKernel {
    fn reboot(&self, mode: ShutdownMode) -> std::io::Result<()> {
        self.calls.lock().unwrap().push(mode);
        if self.fail {
            Err(std::io::Error::from_raw_os_error(1))
        } else {
            Ok(())
        }
    }
}

fn install(root: &Path, path: &str) {
    let p = root.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn power(root: &Path, runner: &Arc<FakeRunner>, kernel: &Arc<FakeKernel>) -> Power {
    Power::new(root, runner.clone(), kernel.clone())
}

#[test]
fn modes() {
    assert_eq!(ShutdownMode::parse(None), Ok(ShutdownMode::Powerdown));
    assert_eq!(ShutdownMode::parse(Some("halt")), Ok(ShutdownMode::Halt));
    assert_eq!(
        ShutdownMode::parse(Some("reboot")),
        Ok(ShutdownMode::Reboot)
    );
    let e = ShutdownMode::parse(Some("off")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mode is invalid (valid values are: halt|powerdown|reboot"
    );
}

#[test]
fn shutdown_program_first() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "/usr/sbin/shutdown");
    install(dir.path(), "/usr/bin/systemctl");
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let kernel = Arc::new(FakeKernel::default());
    let p = power(dir.path(), &runner, &kernel);
    p.shutdown(None).unwrap();
    p.shutdown(Some("halt")).unwrap();
    p.shutdown(Some("reboot")).unwrap();
    let calls = runner.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0].program, dir.path().join("usr/sbin/shutdown"));
    assert_eq!(
        calls[0].args,
        ["-h", "-P", "+0", "hypervisor initiated shutdown"]
    );
    assert_eq!(calls[1].args[1], "-H");
    assert_eq!(calls[2].args[1], "-r");
    assert_eq!(calls[0].input, None);
    assert!(kernel.calls.lock().unwrap().is_empty());
    assert!(p.shutdown(Some("bogus")).is_err());
    assert_eq!(runner.calls().len(), 3);
}

#[test]
fn systemctl_then_kernel() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let kernel = Arc::new(FakeKernel::default());
    let p = power(dir.path(), &runner, &kernel);
    p.shutdown(Some("reboot")).unwrap();
    assert_eq!(*kernel.calls.lock().unwrap(), [ShutdownMode::Reboot]);
    install(dir.path(), "/bin/systemctl");
    p.shutdown(Some("halt")).unwrap();
    let calls = runner.calls();
    assert_eq!(calls[0].program, dir.path().join("bin/systemctl"));
    assert_eq!(calls[0].args, ["halt"]);
}

#[test]
fn failures() {
    let dir = tempfile::tempdir().unwrap();
    let kernel = Arc::new(FakeKernel {
        fail: true,
        ..FakeKernel::default()
    });
    let runner = Arc::new(FakeRunner::exiting(1, "Failed to talk to init daemon.\n"));
    let p = power(dir.path(), &runner, &kernel);
    assert_eq!(
        p.shutdown(None).unwrap_err().to_string(),
        "failed to shutdown: Operation not permitted"
    );
    install(dir.path(), "/sbin/shutdown");
    assert_eq!(
        p.shutdown(None).unwrap_err().to_string(),
        "child process has failed to shutdown: Failed to talk to init daemon.\n"
    );
}
