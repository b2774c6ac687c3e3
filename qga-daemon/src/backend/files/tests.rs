//! Behaviour of the guest-file commands on temporary files.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use qga_generated::{GuestFileRead, GuestFileWhence, QGASeek};

use super::*;

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn setup(content: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.txt");
    fs::write(&file, content).unwrap();
    let path = path_str(&file).to_owned();
    (dir, path)
}

fn read(files: &GuestFiles, h: i64, count: Option<i64>) -> (i64, String, bool) {
    let GuestFileRead {
        count,
        buf_b64,
        eof,
    } = files.read(h, count).unwrap();
    (count, buf_b64, eof)
}

struct FailingHandles;

impl HandleSource for FailingHandles {
    fn next_handle(&self) -> io::Result<i64> {
        Err(io::Error::other("read-only state directory"))
    }
}

#[test]
fn handles_count_up_and_die_with_close() {
    let (_dir, path) = setup(b"hello");
    let files = GuestFiles::new();
    let handles = MemoryHandles::default();
    let a = files.open(&handles, &path, None).unwrap();
    let b = files.open(&handles, &path, Some("r")).unwrap();
    assert_eq!((a, b), (1000, 1001));
    assert_eq!(files.len(), 2);
    files.close(a).unwrap();
    assert_eq!(
        files.close(a).unwrap_err().to_string(),
        "handle '1000' has not been found"
    );
    assert_eq!(
        files.read(a, None).unwrap_err().to_string(),
        "handle '1000' has not been found"
    );
    files.close(b).unwrap();
    assert!(files.is_empty());
}

#[test]
fn unknown_handle_in_every_command() {
    let files = GuestFiles::new();
    let expected = "handle '999999' has not been found";
    let whence = GuestFileWhence::Name(QGASeek::Set);
    assert_eq!(files.close(999999).unwrap_err().to_string(), expected);
    assert_eq!(files.read(999999, None).unwrap_err().to_string(), expected);
    assert_eq!(
        files.write(999999, "!!", Some(-1)).unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        files.seek(999999, 0, &whence).unwrap_err().to_string(),
        expected
    );
    assert_eq!(files.flush(999999).unwrap_err().to_string(), expected);
}

#[test]
fn reads_like_the_transcript() {
    let content = b"hello qga\nline two\n\0\xff binary tail\n";
    let (_dir, path) = setup(content);
    let files = GuestFiles::new();
    let h = files
        .open(&MemoryHandles::default(), &path, Some("r"))
        .unwrap();
    assert_eq!(read(&files, h, Some(5)), (5, "aGVsbG8=".into(), false));
    assert_eq!(
        read(&files, h, None),
        (29, "IHFnYQpsaW5lIHR3bwoA/yBiaW5hcnkgdGFpbAo=".into(), true)
    );
    assert_eq!(read(&files, h, None), (0, String::new(), true));
    // A count of 0 reads nothing and never reports the end.
    assert_eq!(read(&files, h, Some(0)), (0, String::new(), false));
}

#[test]
fn read_count_limits() {
    let (_dir, path) = setup(b"abc");
    let files = GuestFiles::new();
    let h = files.open(&MemoryHandles::default(), &path, None).unwrap();
    for bad in [-1, MAX_READ_COUNT + 1, i64::MIN] {
        assert_eq!(
            files.read(h, Some(bad)).unwrap_err().to_string(),
            format!("value '{bad}' is invalid for argument count")
        );
    }
    assert_eq!(MAX_READ_COUNT, 50331648);
    assert_eq!(
        read(&files, h, Some(MAX_READ_COUNT)),
        (3, "YWJj".into(), true)
    );
}

#[test]
fn open_errors() {
    let (dir, path) = setup(b"");
    let files = GuestFiles::new();
    let handles = MemoryHandles::default();
    assert_eq!(
        files
            .open(&handles, &path, Some("rz"))
            .unwrap_err()
            .to_string(),
        "invalid file open mode 'rz'"
    );
    let missing = dir.path().join("does-not-exist");
    assert_eq!(
        files
            .open(&handles, path_str(&missing), None)
            .unwrap_err()
            .to_string(),
        format!(
            "failed to open file '{}' (mode: 'r'): No such file or directory",
            missing.display()
        )
    );
    let inside_missing = dir.path().join("nodir/new");
    assert_eq!(
        files
            .open(&handles, path_str(&inside_missing), Some("w"))
            .unwrap_err()
            .to_string(),
        format!(
            "failed to open file '{}' (mode: 'w'): No such file or directory",
            inside_missing.display()
        )
    );
    assert_eq!(
        files
            .open(&handles, path_str(dir.path()), Some("w"))
            .unwrap_err()
            .to_string(),
        format!(
            "failed to open file '{}' (mode: 'w'): Is a directory",
            dir.path().display()
        )
    );
    // No handle was used up by the failures.
    assert_eq!(handles.next_handle().unwrap(), 1000);
}

#[test]
fn a_path_ends_at_nul() {
    let (_dir, path) = setup(b"xyz");
    let files = GuestFiles::new();
    let with_tail = format!("{path}\0ignored");
    let h = files
        .open(&MemoryHandles::default(), &with_tail, None)
        .unwrap();
    assert_eq!(read(&files, h, None).0, 3);
}

#[test]
fn handle_source_failure_closes_the_file() {
    let (_dir, path) = setup(b"");
    let files = GuestFiles::new();
    assert_eq!(
        files
            .open(&FailingHandles, &path, None)
            .unwrap_err()
            .to_string(),
        "failed to commit persistent state to disk"
    );
    assert!(files.is_empty());
}

#[test]
fn a_directory_opens_but_does_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let files = GuestFiles::new();
    let h = files
        .open(&MemoryHandles::default(), path_str(dir.path()), Some("r"))
        .unwrap();
    assert_eq!(
        files.read(h, None).unwrap_err().to_string(),
        "failed to read file: Is a directory"
    );
    assert_eq!(read(&files, h, Some(0)), (0, String::new(), false));
    files.close(h).unwrap();
}

#[test]
fn writes_like_the_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("written.txt");
    let files = GuestFiles::new();
    let h = files
        .open(&MemoryHandles::default(), path_str(&path), Some("w"))
        .unwrap();
    let w = files.write(h, "d3JpdHRlbiBieSBxZ2EK", None).unwrap();
    assert_eq!((w.count, w.eof), (15, false));
    let w = files.write(h, "YWJjZGVm", Some(3)).unwrap();
    assert_eq!((w.count, w.eof), (3, false));
    assert_eq!(
        files.write(h, "eHk=", Some(10)).unwrap_err().to_string(),
        "value '10' is invalid for argument count"
    );
    assert_eq!(
        files.write(h, "eHk=", Some(-1)).unwrap_err().to_string(),
        "value '-1' is invalid for argument count"
    );
    assert_eq!(
        files
            .write(h, "!!!not base64!!!", None)
            .unwrap_err()
            .to_string(),
        "Base64 data contains invalid characters"
    );
    let w = files.write(h, "", None).unwrap();
    assert_eq!((w.count, w.eof), (0, false));
    files.flush(h).unwrap();
    assert_eq!(
        files.read(h, Some(4)).unwrap_err().to_string(),
        "failed to read file: Bad file descriptor"
    );
    files.close(h).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"written by qga\nabc");
}

#[test]
fn read_only_handles_refuse_writes_but_not_empty_ones() {
    let (_dir, path) = setup(b"data");
    let files = GuestFiles::new();
    let h = files.open(&MemoryHandles::default(), &path, None).unwrap();
    assert_eq!(
        files.write(h, "aGk=", None).unwrap_err().to_string(),
        "failed to write to file: Bad file descriptor"
    );
    let w = files.write(h, "aGk=", Some(0)).unwrap();
    assert_eq!((w.count, w.eof), (0, false));
    assert_eq!(fs::read(&path).unwrap(), b"data");
}

#[test]
fn new_files_are_private_and_existing_ones_keep_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    let files = GuestFiles::new();
    let handles = MemoryHandles::default();
    let new = dir.path().join("new");
    files.open(&handles, path_str(&new), Some("a+")).unwrap();
    let mode = fs::metadata(&new).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o600);

    let old = dir.path().join("old");
    fs::write(&old, "previous").unwrap();
    fs::set_permissions(&old, fs::Permissions::from_mode(0o644)).unwrap();
    files.open(&handles, path_str(&old), Some("w")).unwrap();
    let meta = fs::metadata(&old).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o644);
    assert_eq!(meta.len(), 0, "w truncates");
}

#[test]
fn update_and_append_modes() {
    let (_dir, path) = setup(b"0123456789");
    let files = GuestFiles::new();
    let handles = MemoryHandles::default();

    let h = files.open(&handles, &path, Some("r+")).unwrap();
    assert_eq!(read(&files, h, Some(2)).1, base64::encode(b"01"));
    files.write(h, &base64::encode(b"ab"), None).unwrap();
    assert_eq!(read(&files, h, Some(2)).1, base64::encode(b"45"));
    files.close(h).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"01ab456789");

    let h = files.open(&handles, &path, Some("ab+")).unwrap();
    files.write(h, &base64::encode(b"!"), None).unwrap();
    let seek = files
        .seek(h, 0, &GuestFileWhence::Name(QGASeek::Set))
        .unwrap();
    assert_eq!(seek.position, 0);
    assert_eq!(read(&files, h, Some(3)).1, base64::encode(b"01a"));
    files.close(h).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"01ab456789!");

    let h = files.open(&handles, &path, Some("w+b")).unwrap();
    assert_eq!(read(&files, h, None), (0, String::new(), true));
    files.close(h).unwrap();
}

#[test]
fn seeks_by_name_and_by_code() {
    let content = [7u8; 34];
    let (_dir, path) = setup(&content);
    let files = GuestFiles::new();
    let h = files.open(&MemoryHandles::default(), &path, None).unwrap();
    let seek = |offset, whence: GuestFileWhence| {
        files
            .seek(h, offset, &whence)
            .map(|s| (s.position, s.eof))
            .map_err(|e| e.to_string())
    };
    assert_eq!(seek(0, GuestFileWhence::Name(QGASeek::Set)), Ok((0, false)));
    assert_eq!(seek(3, GuestFileWhence::Value(1)), Ok((3, false)));
    assert_eq!(seek(3, GuestFileWhence::Name(QGASeek::Cur)), Ok((6, false)));
    assert_eq!(
        seek(-4, GuestFileWhence::Name(QGASeek::End)),
        Ok((30, false))
    );
    assert_eq!(seek(5, GuestFileWhence::Value(0)), Ok((5, false)));
    assert_eq!(seek(0, GuestFileWhence::Value(2)), Ok((34, false)));
    // Past the end is allowed, and a read there reports the end.
    assert_eq!(seek(100, GuestFileWhence::Value(0)), Ok((100, false)));
    assert_eq!(read(&files, h, None), (0, String::new(), true));
    assert_eq!(
        seek(0, GuestFileWhence::Value(3)),
        Err("invalid whence code 3".into())
    );
    assert_eq!(
        seek(0, GuestFileWhence::Value(-1)),
        Err("invalid whence code -1".into())
    );
    assert_eq!(
        seek(-1, GuestFileWhence::Value(0)),
        Err("failed to seek file: Invalid argument".into())
    );
    assert_eq!(
        seek(-101, GuestFileWhence::Value(1)),
        Err("failed to seek file: Invalid argument".into())
    );
    // A failed seek leaves the position alone.
    assert_eq!(seek(0, GuestFileWhence::Value(1)), Ok((100, false)));
}

#[test]
fn a_fifo_without_writer_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let files = GuestFiles::new();
    let h = files
        .open(&MemoryHandles::default(), path_str(&fifo), None)
        .unwrap();
    // No writer has ever opened it: read() says end of file at once.
    assert_eq!(read(&files, h, None), (0, String::new(), true));
    // A writing open of a FIFO with a reader works, and the reader gets
    // the data without blocking.
    let w = files
        .open(&MemoryHandles::starting_at(5), path_str(&fifo), Some("w"))
        .unwrap();
    files.write(w, "aGk=", None).unwrap();
    assert_eq!(read(&files, h, Some(10)).0, 2);
    assert_eq!(
        files.read(h, Some(10)).unwrap_err().to_string(),
        "failed to read file: Resource temporarily unavailable"
    );
}

#[test]
fn large_read_round_trips() {
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let (_dir, path) = setup(&data);
    let files = GuestFiles::new();
    let h = files.open(&MemoryHandles::default(), &path, None).unwrap();
    let r = files.read(h, Some(MAX_READ_COUNT)).unwrap();
    assert_eq!(r.count, 3_000_000);
    assert!(r.eof);
    assert_eq!(r.buf_b64.len(), r.buf_b64.capacity());
    assert_eq!(base64::decode(&r.buf_b64).unwrap(), data);
}
