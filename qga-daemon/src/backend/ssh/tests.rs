use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::sync::Mutex;

use super::*;

#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<(PathBuf, u32, u32)>>,
    fail: bool,
}

impl Owner for Recorder {
    fn chown(&self, path: &Path, uid: u32, gid: u32) -> io::Result<()> {
        self.calls
            .lock()
            .unwrap()
            .push((path.to_path_buf(), uid, gid));
        if self.fail {
            Err(io::Error::from_raw_os_error(libc::EPERM))
        } else {
            Ok(())
        }
    }
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("etc")).unwrap();
    fs::create_dir_all(dir.path().join("home/bob")).unwrap();
    fs::write(
        dir.path().join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nbob:x:1000:100::/home/bob:/bin/sh\n",
    )
    .unwrap();
    dir
}

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn keyfile(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("home/bob/.ssh/authorized_keys")
}

#[test]
fn lookup_failures() {
    let dir = tempfile::tempdir().unwrap();
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    assert_eq!(
        ssh.get("bob").unwrap_err().to_string(),
        "failed to lookup user 'bob': No such file or directory"
    );
    let dir = tree();
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    for e in [
        ssh.get("nobody").unwrap_err(),
        ssh.add("nobody", &v(&["k"]), false).unwrap_err(),
        ssh.remove("nobody", &v(&["k"])).unwrap_err(),
    ] {
        assert_eq!(e.to_string(), "failed to lookup user 'nobody'");
    }
    // Keys are checked before the account.
    assert_eq!(
        ssh.add("nobody", &v(&["# x"]), false)
            .unwrap_err()
            .to_string(),
        "invalid OpenSSH public key: '# x'"
    );
    assert!(matches!(
        ssh.remove("bob", &v(&["a\nb"])),
        Err(SshError::InvalidKey(_))
    ));
}

#[test]
fn get_keys() {
    let dir = tree();
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    assert_eq!(
        ssh.get("bob").unwrap_err().to_string(),
        "failed to read '/home/bob/.ssh/authorized_keys': Failed to open file \
         \u{201c}/home/bob/.ssh/authorized_keys\u{201d}: No such file or directory"
    );
    fs::create_dir_all(dir.path().join("home/bob/.ssh")).unwrap();
    fs::write(keyfile(&dir), "algo k1 c\n# note\n\n  algo k2 d  \n").unwrap();
    assert_eq!(ssh.get("bob").unwrap().keys, v(&["algo k2 d", "algo k1 c"]));
}

#[test]
fn add_creates_private_files() {
    let dir = tree();
    let owner = Arc::new(Recorder::default());
    let ssh = Ssh::new(dir.path(), owner.clone());
    ssh.add("bob", &v(&["algo k2 c"]), false).unwrap();
    let ssh_dir = dir.path().join("home/bob/.ssh");
    assert_eq!(
        fs::metadata(&ssh_dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        fs::metadata(keyfile(&dir)).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(fs::read_to_string(keyfile(&dir)).unwrap(), "algo k2 c\n");
    let calls = owner.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0], (ssh_dir.clone(), 1000, 100));
    assert!(calls[1].0.starts_with(&ssh_dir) && calls[1].0 != keyfile(&dir));
    // Adding again: no duplicates, order kept, no temporary left over.
    ssh.add("bob", &v(&["algo k1 c", "algo k2 c", "algo k1 c"]), false)
        .unwrap();
    assert_eq!(
        fs::read_to_string(keyfile(&dir)).unwrap(),
        "algo k2 c\nalgo k1 c\n"
    );
    assert_eq!(fs::read_dir(&ssh_dir).unwrap().count(), 1);
    assert_eq!(owner.calls.lock().unwrap().len(), 3);
}

#[test]
fn add_with_reset() {
    let dir = tree();
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    ssh.add("bob", &v(&["k1", "k2"]), false).unwrap();
    ssh.add("bob", &v(&["k2"]), true).unwrap();
    assert_eq!(fs::read_to_string(keyfile(&dir)).unwrap(), "k2\n");
    ssh.add("bob", &[], true).unwrap();
    assert_eq!(fs::read_to_string(keyfile(&dir)).unwrap(), "");
}

#[test]
fn remove_keys() {
    let dir = tree();
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    ssh.remove("bob", &v(&["k1"])).unwrap();
    assert!(!dir.path().join("home/bob/.ssh").exists());
    fs::create_dir_all(dir.path().join("home/bob/.ssh")).unwrap();
    let original = "k1\nk1\n# a comment\nk3 x\n";
    fs::write(keyfile(&dir), original).unwrap();
    ssh.remove("bob", &v(&["k2"])).unwrap();
    assert_eq!(fs::read_to_string(keyfile(&dir)).unwrap(), original);
    ssh.remove("bob", &v(&["k1", "k2"])).unwrap();
    assert_eq!(
        fs::read_to_string(keyfile(&dir)).unwrap(),
        "# a comment\nk3 x\n"
    );
}

#[test]
fn write_failures() {
    let dir = tree();
    let failing = Arc::new(Recorder {
        fail: true,
        ..Recorder::default()
    });
    let ssh = Ssh::new(dir.path(), failing);
    assert_eq!(
        ssh.add("bob", &v(&["k"]), false).unwrap_err().to_string(),
        "failed to set ownership of directory '/home/bob/.ssh': Operation not permitted"
    );
    // The directory now exists: the file's ownership fails, and the old
    // content (none) stays, with no temporary left behind.
    assert_eq!(
        ssh.add("bob", &v(&["k"]), false).unwrap_err().to_string(),
        "failed to set ownership of directory '/home/bob/.ssh/authorized_keys': \
         Operation not permitted"
    );
    assert_eq!(
        fs::read_dir(dir.path().join("home/bob/.ssh"))
            .unwrap()
            .count(),
        0
    );
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    fs::remove_dir_all(dir.path().join("home/bob")).unwrap();
    assert_eq!(
        ssh.add("bob", &v(&["k"]), false).unwrap_err().to_string(),
        "failed to create directory '/home/bob/.ssh': No such file or directory"
    );
}

#[test]
fn symlinked_ssh_dir_is_refused() {
    let dir = tree();
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("home/bob/.ssh")).unwrap();
    let ssh = Ssh::new(dir.path(), Arc::new(Recorder::default()));
    assert_eq!(
        ssh.add("bob", &v(&["k"]), true).unwrap_err().to_string(),
        "failed to create directory '/home/bob/.ssh': Too many levels of symbolic links"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn real_chown_when_root() {
    let dir = tree();
    if fs::metadata(dir.path()).unwrap().uid() != 0 {
        println!("skipped: chown needs root");
        return;
    }
    let ssh = Ssh::new(dir.path(), Arc::new(SystemOwner));
    ssh.add("bob", &v(&["k"]), false).unwrap();
    for p in [dir.path().join("home/bob/.ssh"), keyfile(&dir)] {
        let m = fs::metadata(&p).unwrap();
        assert_eq!((m.uid(), m.gid()), (1000, 100), "{}", p.display());
    }
}
