use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;
use crate::backend::power::runner::fake::FakeRunner;
use crate::sys::utmp::{USER_PROCESS, UTMPX_SIZE};

fn record(ut_type: i16, user: &str, sec: i32, usec: i32) -> Vec<u8> {
    let mut r = vec![0u8; UTMPX_SIZE];
    r[0..2].copy_from_slice(&ut_type.to_ne_bytes());
    r[44..44 + user.len()].copy_from_slice(user.as_bytes());
    r[340..344].copy_from_slice(&sec.to_ne_bytes());
    r[344..348].copy_from_slice(&usec.to_ne_bytes());
    r
}

fn install_chpasswd(root: &Path, at: &str) {
    let p = root.join(at);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn logged_in() {
    let dir = tempfile::tempdir().unwrap();
    let users = Users::new(dir.path(), Arc::new(FakeRunner::exiting(0, "")));
    assert!(users.users().is_empty());
    std::fs::create_dir_all(dir.path().join("var/run")).unwrap();
    let mut utmp = record(USER_PROCESS, "bob", 2000, 500_000);
    utmp.extend(record(8, "dead", 1, 0));
    utmp.extend(record(USER_PROCESS, "alice", 1500, 0));
    utmp.extend(record(USER_PROCESS, "bob", 1000, 250_000));
    std::fs::write(dir.path().join("var/run/utmp"), utmp).unwrap();
    let list = users.users();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0].user.as_str(), list[0].login_time),
        ("bob", 1000.25)
    );
    assert_eq!(
        (list[1].user.as_str(), list[1].login_time),
        ("alice", 1500.0)
    );
    assert_eq!(list[0].domain, None);
}

#[test]
fn set_password_runs_chpasswd() {
    let dir = tempfile::tempdir().unwrap();
    install_chpasswd(dir.path(), "sbin/chpasswd");
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let users = Users::new(dir.path(), runner.clone());
    users
        .set_password("bob", &base64::encode(b"s3cret pw"), false)
        .unwrap();
    users
        .set_password("bob", &base64::encode(b"$6$salt$hash"), true)
        .unwrap();
    let calls = runner.calls();
    assert_eq!(calls[0].program, dir.path().join("sbin/chpasswd"));
    assert!(calls[0].args.is_empty());
    assert_eq!(calls[0].input.as_deref(), Some(&b"bob:s3cret pw\n"[..]));
    assert_eq!(calls[1].args, ["-e"]);
    assert_eq!(calls[1].input.as_deref(), Some(&b"bob:$6$salt$hash\n"[..]));
    install_chpasswd(dir.path(), "usr/sbin/chpasswd");
    users.set_password("bob", "eA==", false).unwrap();
    assert_eq!(
        runner.calls()[2].program,
        dir.path().join("usr/sbin/chpasswd")
    );
}

#[test]
fn set_password_refusals() {
    let dir = tempfile::tempdir().unwrap();
    install_chpasswd(dir.path(), "sbin/chpasswd");
    let runner = Arc::new(FakeRunner::exiting(0, ""));
    let users = Users::new(dir.path(), runner.clone());
    let text = |r: Result<(), UserError>| r.unwrap_err().to_string();
    assert_eq!(
        text(users.set_password("bob", "!!!", false)),
        "Base64 data contains invalid characters"
    );
    for bad in [&b"a\nb"[..], b"a\0b"] {
        assert_eq!(
            text(users.set_password("bob", &base64::encode(bad), false)),
            "forbidden characters in raw password"
        );
    }
    for bad in ["a:b", "a\nb", "a\0b"] {
        assert_eq!(
            text(users.set_password(bad, "eA==", false)),
            "forbidden characters in username"
        );
    }
    assert!(runner.calls().is_empty());
}

#[test]
fn set_password_failures() {
    let dir = tempfile::tempdir().unwrap();
    let failing = Arc::new(FakeRunner::exiting(
        1,
        "chpasswd: line 1: user 'zz' does not exist\n",
    ));
    let users = Users::new(dir.path(), failing.clone());
    assert_eq!(
        users
            .set_password("zz", "eA==", false)
            .unwrap_err()
            .to_string(),
        "child process has failed to set user password: failed to exec 'chpasswd': \
         No such file or directory\n"
    );
    assert!(failing.calls().is_empty());
    install_chpasswd(dir.path(), "usr/sbin/chpasswd");
    assert_eq!(
        users.set_password("zz", "eA==", false).unwrap_err().to_string(),
        "child process has failed to set user password: chpasswd: line 1: user 'zz' does not exist\n"
    );
}
