//! The kernel's identity (`uname`), the host name, and `/etc/passwd`
//! lookups.

use std::path::{Path, PathBuf};

use super::error::SysResult;
use super::fsutil::{host_path, read_text};

/// What `uname(2)` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uname {
    /// Kernel name (`Linux`).
    pub sysname: String,
    /// Host name.
    pub nodename: String,
    /// Kernel release (`6.1.0-18-amd64`).
    pub release: String,
    /// Kernel version (`#1 SMP PREEMPT_DYNAMIC ...`).
    pub version: String,
    /// Machine (`x86_64`, `aarch64`).
    pub machine: String,
}

/// Calls `uname(2)`.
pub fn uname() -> Uname {
    let u = rustix::system::uname();
    let text = |c: &std::ffi::CStr| c.to_string_lossy().into_owned();
    Uname {
        sysname: text(u.sysname()),
        nodename: text(u.nodename()),
        release: text(u.release()),
        version: text(u.version()),
        machine: text(u.machine()),
    }
}

/// The host name (the node name of `uname(2)`, as `gethostname` gives).
pub fn hostname() -> String {
    uname().nodename
}

/// One account of `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    /// Login name.
    pub name: String,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// GECOS field.
    pub gecos: String,
    /// Home directory.
    pub home: PathBuf,
    /// Login shell.
    pub shell: String,
}

/// Parses `/etc/passwd`, skipping comments and malformed lines.
pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            let [name, _pw, uid, gid, gecos, home, shell] = f.as_slice() else {
                return None;
            };
            (!name.is_empty()).then_some(())?;
            Some(PasswdEntry {
                name: name.to_string(),
                uid: uid.parse().ok()?,
                gid: gid.parse().ok()?,
                gecos: gecos.to_string(),
                home: PathBuf::from(home),
                shell: shell.to_string(),
            })
        })
        .collect()
}

/// Looks `name` up in `/etc/passwd` below `root` (the first match).
pub fn lookup_user(root: &Path, name: &str) -> SysResult<Option<PasswdEntry>> {
    let text = read_text(&host_path(root, "/etc/passwd"))?;
    Ok(parse_passwd(&text).into_iter().find(|e| e.name == name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn passwd() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(lookup_user(root, "root").unwrap_err().is_not_found());
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::write(
            root.join("etc/passwd"),
            "# c\nroot:x:0:0:root:/root:/bin/bash\nbad line\nbob:x:1000:100:Bob,,,:/home/bob:/bin/sh\n\
             neg:x:-1:0::/:/bin/false\n:x:1:1::/:/bin/sh\nbob:x:2000:2000::/other:/bin/sh\n",
        )
        .unwrap();
        let bob = lookup_user(root, "bob").unwrap().unwrap();
        assert_eq!((bob.uid, bob.gid), (1000, 100));
        assert_eq!(bob.home, PathBuf::from("/home/bob"));
        assert_eq!(bob.gecos, "Bob,,,");
        assert_eq!(lookup_user(root, "neg").unwrap(), None);
        assert_eq!(lookup_user(root, "nobody").unwrap(), None);
        assert_eq!(lookup_user(root, "root").unwrap().unwrap().uid, 0);
    }

    #[test]
    fn real_uname() {
        let u = uname();
        assert_eq!(u.sysname, "Linux");
        assert!(!u.release.is_empty() && !u.machine.is_empty());
        assert_eq!(hostname(), u.nodename);
    }
}
