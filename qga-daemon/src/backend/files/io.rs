//! The read and write loops of guest files, with C stdio's end-of-file
//! rule.
//!
//! qemu-ga reads with `fread()`, which keeps calling `read()` until it has
//! the requested count, meets the end of the file (a `read()` of 0 bytes)
//! or fails; the reply's `eof` is whether the end was met during this call.
//! Reading exactly the bytes left therefore says `eof: false`, and only the
//! next read, which gets nothing, says `eof: true`.
//!
//! One deliberate difference: when a non-blocking file (a FIFO, a socket)
//! runs dry after some bytes were read, `fread()` fails and qemu-ga reports
//! `Resource temporarily unavailable`, losing those bytes; here the read
//! returns them (with `eof: false`). A read that gets nothing at all still
//! fails as in qemu-ga.

use std::fs::File;
use std::io::{self, Read, Write};

/// What one read produced.
#[derive(Debug)]
pub struct ReadOutcome {
    /// The bytes read.
    pub data: Vec<u8>,
    /// Whether a `read()` returned 0 before `count` bytes arrived.
    pub eof: bool,
}

/// Reads up to `count` bytes from `file`.
///
/// The bytes are read once, into one buffer: for a regular file
/// `size_hint` (the bytes left) sizes it up front, so that a read to the
/// end of a file allocates what the file holds, not `count`, and is not
/// reallocated; otherwise it grows as data arrives.
pub fn read_bytes(
    file: &mut File,
    count: usize,
    size_hint: Option<u64>,
) -> io::Result<ReadOutcome> {
    let expected = size_hint.map_or(0, |left| {
        usize::try_from(left).unwrap_or(usize::MAX).min(count)
    });
    let mut data = Vec::with_capacity(expected);
    let limit = u64::try_from(count).unwrap_or(u64::MAX);
    // `read_to_end` keeps calling `read()` until the limit or the end of
    // the file, retrying on EINTR; past the expected size it probes with
    // a small read before growing the buffer.
    let drained = match file.take(limit).read_to_end(&mut data) {
        Ok(_) => false,
        // Bytes read before a non-blocking file ran dry are not thrown
        // away.
        Err(e) if e.kind() == io::ErrorKind::WouldBlock && !data.is_empty() => true,
        Err(e) => return Err(e),
    };
    let eof = !drained && data.len() < count;
    Ok(ReadOutcome { data, eof })
}

/// Writes all of `data`, as `fwrite()` does, retrying short writes.
pub fn write_all(file: &mut File, data: &[u8]) -> io::Result<()> {
    let mut rest = data;
    while !rest.is_empty() {
        match file.write(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => rest = rest.get(n..).unwrap_or_default(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Seek;

    fn file_with(data: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(data).unwrap();
        f.rewind().unwrap();
        f
    }

    #[test]
    fn exact_count_is_not_eof() {
        let mut f = file_with(b"hello");
        let r = read_bytes(&mut f, 5, Some(5)).unwrap();
        assert_eq!((r.data.as_slice(), r.eof), (&b"hello"[..], false));
        let r = read_bytes(&mut f, 4096, Some(0)).unwrap();
        assert_eq!((r.data.as_slice(), r.eof), (&b""[..], true));
    }

    #[test]
    fn short_read_is_eof() {
        let mut f = file_with(b"hello");
        let r = read_bytes(&mut f, 3, None).unwrap();
        assert_eq!((r.data.as_slice(), r.eof), (&b"hel"[..], false));
        let r = read_bytes(&mut f, 4096, None).unwrap();
        assert_eq!((r.data.as_slice(), r.eof), (&b"lo"[..], true));
    }

    #[test]
    fn large_reads_are_sized_by_the_hint() {
        let data: Vec<u8> = (0..3 * 65536 + 7).map(|i| (i % 251) as u8).collect();
        let mut f = file_with(&data);
        let r = read_bytes(&mut f, data.len() + 10, Some(data.len() as u64)).unwrap();
        assert_eq!(r.data, data);
        assert!(r.eof);
        assert_eq!(r.data.capacity(), data.len(), "the buffer was grown");
        // A count below the size: no more is allocated than asked for.
        let mut f = file_with(&data);
        let r = read_bytes(&mut f, 65538, Some(data.len() as u64)).unwrap();
        assert_eq!(r.data, &data[..65538]);
        assert_eq!(r.data.capacity(), 65538);
        assert!(!r.eof);
        // A wrong hint (the file grew) costs a reallocation, not data.
        let mut f = file_with(&data);
        let r = read_bytes(&mut f, data.len(), Some(10)).unwrap();
        assert_eq!(r.data, data);
        assert!(!r.eof);
    }

    #[test]
    fn read_errors_come_through() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = File::open(dir.path()).unwrap();
        let err = read_bytes(&mut f, 10, None).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(21));
    }

    #[test]
    fn a_drained_pipe_keeps_what_was_read() {
        let (reader, writer) = nix::unistd::pipe().unwrap();
        let (mut reader, mut writer) = (File::from(reader), File::from(writer));
        rustix::fs::fcntl_setfl(&reader, rustix::fs::OFlags::NONBLOCK).unwrap();
        writer.write_all(b"abc").unwrap();
        let r = read_bytes(&mut reader, 100, None).unwrap();
        assert_eq!((r.data.as_slice(), r.eof), (&b"abc"[..], false));
        let err = read_bytes(&mut reader, 100, None).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        drop(writer);
        let r = read_bytes(&mut reader, 100, None).unwrap();
        assert_eq!((r.data.as_slice(), r.eof), (&b""[..], true));
    }

    #[test]
    fn writes_everything() {
        let mut f = tempfile::tempfile().unwrap();
        write_all(&mut f, b"abc").unwrap();
        write_all(&mut f, b"").unwrap();
        f.rewind().unwrap();
        let mut back = String::new();
        f.read_to_string(&mut back).unwrap();
        assert_eq!(back, "abc");
    }
}
