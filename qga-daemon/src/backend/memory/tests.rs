//! The memory block commands on a fake sysfs tree.

use std::fs;
use std::path::Path;

use super::*;

fn base(root: &Path) -> PathBuf {
    root.join("sys/devices/system/memory")
}

/// memory0 online (not removable), memory2 offline (removable),
/// memory5 without `state` (an old kernel), block size 128 MiB.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let b = base(dir.path());
    for (n, state, removable) in [
        ("memory0", Some("online\n"), Some("0\n")),
        ("memory2", Some("offline\n"), Some("1\n")),
        ("memory5", None, None),
    ] {
        fs::create_dir_all(b.join(n)).unwrap();
        if let Some(s) = state {
            fs::write(b.join(n).join("state"), s).unwrap();
        }
        if let Some(r) = removable {
            fs::write(b.join(n).join("removable"), r).unwrap();
        }
    }
    fs::write(b.join("block_size_bytes"), "8000000\n").unwrap();
    dir
}

fn block(phys_index: u64, online: bool) -> GuestMemoryBlock {
    GuestMemoryBlock {
        phys_index,
        online,
        can_offline: None,
    }
}

fn response(
    phys_index: u64,
    response: GuestMemoryBlockResponseType,
    error_code: Option<i64>,
) -> GuestMemoryBlockResponse {
    GuestMemoryBlockResponse {
        phys_index,
        response,
        error_code,
    }
}

#[test]
fn lists_blocks() {
    let dir = tree();
    let got = MemoryBlocks::new(dir.path()).get().unwrap();
    let summary: Vec<_> = got
        .iter()
        .map(|b| (b.phys_index, b.online, b.can_offline))
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, true, Some(false)),
            (2, false, Some(true)),
            (5, true, Some(false))
        ]
    );
}

#[test]
fn no_memory_directory_lists_none() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(MemoryBlocks::new(dir.path()).get().unwrap(), vec![]);
}

#[test]
fn list_errors_have_qemu_texts() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(base(dir.path())).unwrap();
    let m = MemoryBlocks::new(dir.path());
    assert_eq!(
        m.get().unwrap_err().to_string(),
        "guest reported zero memory blocks!"
    );
    fs::create_dir_all(base(dir.path()).join("memory3")).unwrap();
    fs::write(base(dir.path()).join("memory3/state"), "").unwrap();
    assert_eq!(
        m.get().unwrap_err().to_string(),
        "pread sysfs file \"state\": unexpected EOF"
    );
    fs::write(base(dir.path()).join("memory3/state"), "online\n").unwrap();
    fs::create_dir(base(dir.path()).join("memory3/removable")).unwrap();
    assert_eq!(
        m.get().unwrap_err().to_string(),
        "open sysfs file \"removable\": Is a directory"
    );
    let file = tempfile::tempdir().unwrap();
    fs::create_dir_all(file.path().join("sys/devices/system")).unwrap();
    fs::write(base(file.path()), "").unwrap();
    assert_eq!(
        MemoryBlocks::new(file.path())
            .get()
            .unwrap_err()
            .to_string(),
        "Can't open directory\"/sys/devices/system/memory/\": Not a directory"
    );
}

#[test]
fn set_reports_each_block() {
    let dir = tree();
    let m = MemoryBlocks::new(dir.path());
    assert_eq!(m.set(&[]), vec![]);
    let got = m.set(&[
        block(2, true),
        block(0, true),
        block(7, true),
        block(5, false),
        block(5, true),
    ]);
    use GuestMemoryBlockResponseType as R;
    assert_eq!(
        got,
        vec![
            response(2, R::Success, None),
            response(0, R::Success, None),
            response(7, R::NotFound, Some(2)),
            response(5, R::OperationNotSupported, Some(2)),
            response(5, R::Success, None),
        ]
    );
    let state = fs::read_to_string(base(dir.path()).join("memory2/state")).unwrap();
    assert!(state.starts_with("online"));
}

#[test]
fn set_failures() {
    let dir = tree();
    fs::remove_file(base(dir.path()).join("memory2/state")).unwrap();
    fs::create_dir(base(dir.path()).join("memory2/state")).unwrap();
    let got = MemoryBlocks::new(dir.path()).set(&[block(2, true)]);
    assert_eq!(
        got,
        vec![response(
            2,
            GuestMemoryBlockResponseType::OperationFailed,
            Some(i64::from(libc::EISDIR))
        )]
    );
    let none = tempfile::tempdir().unwrap();
    let got = MemoryBlocks::new(none.path()).set(&[block(0, true)]);
    assert_eq!(
        got,
        vec![response(
            0,
            GuestMemoryBlockResponseType::OperationNotSupported,
            Some(2)
        )]
    );
}

#[test]
fn block_size() {
    let dir = tree();
    let m = MemoryBlocks::new(dir.path());
    assert_eq!(m.info().unwrap().size, 0x800_0000);
    let size = base(dir.path()).join("block_size_bytes");
    fs::write(&size, "").unwrap();
    assert_eq!(
        m.info().unwrap_err().to_string(),
        "pread sysfs file \"block_size_bytes\": unexpected EOF"
    );
    fs::write(&size, "zz\n").unwrap();
    assert_eq!(m.info().unwrap_err(), MemoryError::BadBlockSize);
    fs::remove_file(&size).unwrap();
    assert_eq!(
        m.info().unwrap_err().to_string(),
        "open sysfs file \"block_size_bytes\": No such file or directory"
    );
    let none = tempfile::tempdir().unwrap();
    assert_eq!(
        MemoryBlocks::new(none.path())
            .info()
            .unwrap_err()
            .to_string(),
        "open(\"/sys/devices/system/memory/\"): No such file or directory"
    );
}
