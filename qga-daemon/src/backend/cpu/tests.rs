//! The vCPU commands on a fake sysfs tree.

use std::fs;
use std::path::Path;

use super::*;

/// cpu0 (no `online` file), cpu1 online, cpu2 offline, cpu3 whose
/// `online` is a directory, and entries that are not CPUs.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("sys/devices/system/cpu");
    for n in ["cpu0", "cpu1", "cpu2", "cpufreq", "cpuidle"] {
        fs::create_dir_all(base.join(n)).unwrap();
    }
    fs::write(base.join("cpu1/online"), "1\n").unwrap();
    fs::write(base.join("cpu2/online"), "0\n").unwrap();
    dir
}

fn cpu(id: i64, online: bool) -> GuestLogicalProcessor {
    GuestLogicalProcessor {
        logical_id: id,
        online,
        can_offline: None,
    }
}

fn online_of(root: &Path, id: u32) -> String {
    fs::read_to_string(root.join(format!("sys/devices/system/cpu/cpu{id}/online"))).unwrap()
}

#[test]
fn lists_cpus() {
    let dir = tree();
    let got = Vcpus::new(dir.path()).get().unwrap();
    let want = vec![
        GuestLogicalProcessor {
            logical_id: 0,
            online: true,
            can_offline: Some(false),
        },
        GuestLogicalProcessor {
            logical_id: 1,
            online: true,
            can_offline: Some(true),
        },
        GuestLogicalProcessor {
            logical_id: 2,
            online: false,
            can_offline: Some(true),
        },
    ];
    assert_eq!(got, want);
}

#[test]
fn list_errors_have_qemu_texts() {
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        Vcpus::new(empty.path()).get().unwrap_err().to_string(),
        "failed to list entries: /sys/devices/system/cpu: No such file or directory"
    );
    let dir = tree();
    let base = dir.path().join("sys/devices/system/cpu");
    fs::write(base.join("cpu2/online"), "").unwrap();
    assert_eq!(
        Vcpus::new(dir.path()).get().unwrap_err().to_string(),
        "pread(\"/sys/devices/system/cpu/cpu2//online\"): unexpected EOF"
    );
    fs::remove_file(base.join("cpu2/online")).unwrap();
    fs::create_dir(base.join("cpu2/online")).unwrap();
    assert_eq!(
        Vcpus::new(dir.path()).get().unwrap_err().to_string(),
        "pread(\"/sys/devices/system/cpu/cpu2//online\"): Is a directory"
    );
}

#[test]
fn set_applies_changes() {
    let dir = tree();
    let v = Vcpus::new(dir.path());
    assert_eq!(v.set(&[]).unwrap(), 0);
    let n = v.set(&[cpu(1, false), cpu(2, true), cpu(0, true)]).unwrap();
    assert_eq!(n, 3);
    assert!(online_of(dir.path(), 1).starts_with('0'));
    assert!(online_of(dir.path(), 2).starts_with('1'));
    // Same state again: nothing to write, still counted.
    assert_eq!(v.set(&[cpu(1, false)]).unwrap(), 1);
}

#[test]
fn set_stops_at_first_failure() {
    let dir = tree();
    let v = Vcpus::new(dir.path());
    let n = v
        .set(&[cpu(1, false), cpu(0, false), cpu(2, true)])
        .unwrap();
    assert_eq!(n, 1);
    assert!(online_of(dir.path(), 1).starts_with('0'));
    assert!(online_of(dir.path(), 2).starts_with('0'), "not applied");
}

#[test]
fn set_errors_when_the_first_fails() {
    let dir = tree();
    let v = Vcpus::new(dir.path());
    assert_eq!(
        v.set(&[cpu(0, false), cpu(1, false)])
            .unwrap_err()
            .to_string(),
        "logical processor #0 can't be offlined"
    );
    assert!(online_of(dir.path(), 1).starts_with('1'));
    for id in [9, -1, 1 << 40] {
        assert_eq!(
            v.set(&[cpu(id, true)]).unwrap_err().to_string(),
            format!("open(\"/sys/devices/system/cpu/cpu{id}/\"): No such file or directory")
        );
    }
    let base = dir.path().join("sys/devices/system/cpu");
    fs::remove_file(base.join("cpu1/online")).unwrap();
    fs::create_dir(base.join("cpu1/online")).unwrap();
    assert_eq!(
        v.set(&[cpu(1, false)]).unwrap_err().to_string(),
        "open(\"/sys/devices/system/cpu/cpu1//online\"): Is a directory"
    );
}

#[test]
fn real_system() {
    if let Ok(cpus) = Vcpus::new("/").get() {
        assert!(cpus.iter().all(|c| c.can_offline.is_some()));
    }
}
