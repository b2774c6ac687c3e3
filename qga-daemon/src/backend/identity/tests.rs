use std::fs;

use super::*;
use crate::sys::osrelease::parse_os_release;

fn fake_uname() -> Uname {
    Uname {
        sysname: "Linux".into(),
        nodename: "vm".into(),
        release: "6.1.0".into(),
        version: "#1 SMP".into(),
        machine: "x86_64".into(),
    }
}

#[test]
fn osinfo_members() {
    let r = parse_os_release(
        "NAME=\"Debian GNU/Linux\"\nID=debian\nPRETTY_NAME=\"Debian 12\"\nVERSION=\"12 (bookworm)\"\n\
         VERSION_ID=\"12\"\nVARIANT=Server\nVARIANT_ID=server\nHOME_URL=x\n",
    );
    let info = osinfo_from(fake_uname(), Some(&r));
    assert_eq!(info.kernel_release.as_deref(), Some("6.1.0"));
    assert_eq!(info.kernel_version.as_deref(), Some("#1 SMP"));
    assert_eq!(info.machine.as_deref(), Some("x86_64"));
    assert_eq!(info.id.as_deref(), Some("debian"));
    assert_eq!(info.name.as_deref(), Some("Debian GNU/Linux"));
    assert_eq!(info.pretty_name.as_deref(), Some("Debian 12"));
    assert_eq!(info.version.as_deref(), Some("12 (bookworm)"));
    assert_eq!(info.version_id.as_deref(), Some("12"));
    assert_eq!(info.variant.as_deref(), Some("Server"));
    assert_eq!(info.variant_id.as_deref(), Some("server"));
    let bare = osinfo_from(fake_uname(), None);
    assert_eq!(bare.id, None);
    assert_eq!(bare.machine.as_deref(), Some("x86_64"));
}

#[test]
fn osinfo_from_tree() {
    let dir = tempfile::tempdir().unwrap();
    let ident = Identity::new(dir.path());
    assert_eq!(ident.osinfo().name, None);
    fs::create_dir_all(dir.path().join("etc")).unwrap();
    fs::write(dir.path().join("etc/os-release"), "ID=alpine\n").unwrap();
    let info = ident.osinfo();
    assert_eq!(info.id.as_deref(), Some("alpine"));
    assert_eq!(info.kernel_release, Some(uname().release));
}

#[test]
fn host_name() {
    assert_eq!(Identity::new("/").host_name().host_name, hostname());
}

#[test]
fn load() {
    let dir = tempfile::tempdir().unwrap();
    let ident = Identity::new(dir.path());
    assert_eq!(
        ident.load().unwrap_err().to_string(),
        "cannot query load average: No such file or directory"
    );
    fs::create_dir_all(dir.path().join("proc")).unwrap();
    fs::write(dir.path().join("proc/loadavg"), "x\n").unwrap();
    assert_eq!(
        ident.load().unwrap_err().to_string(),
        "cannot query load average"
    );
    fs::write(dir.path().join("proc/loadavg"), "0.5 1.25 2.0 1/100 42\n").unwrap();
    let l = ident.load().unwrap();
    assert_eq!((l.load1m, l.load5m, l.load15m), (0.5, 1.25, 2.0));
}
