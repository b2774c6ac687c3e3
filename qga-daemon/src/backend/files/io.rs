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

use super::base64;

/// Bytes read per `read()` call; a multiple of 3 so that every chunk but
/// the last encodes without padding.
const CHUNK: usize = 3 * 64 * 1024;

/// What one read produced.
#[derive(Debug)]
pub struct ReadOutcome {
    /// The bytes read, base64-encoded.
    pub b64: String,
    /// How many bytes were read.
    pub count: usize,
    /// Whether a `read()` returned 0 before `count` bytes arrived.
    pub eof: bool,
}

/// Reads up to `count` bytes from `file` and returns them base64-encoded.
///
/// The data goes through one small chunk buffer straight into the
/// encoded text, so a 48 MiB read holds little more than its 64 MiB of
/// base64 at its peak. `size_hint` (the bytes expected, for a regular
/// file) sizes the text up front so that it is not reallocated.
pub fn read_base64(
    file: &mut File,
    count: usize,
    size_hint: Option<u64>,
) -> io::Result<ReadOutcome> {
    let expected = match size_hint {
        Some(left) => usize::try_from(left).unwrap_or(usize::MAX).min(count),
        None => count.min(CHUNK),
    };
    let mut out = Vec::with_capacity(base64::encoded_len(expected));
    let mut chunk = vec![0u8; count.min(CHUNK)];
    let mut total = 0;
    let mut eof = false;
    while total < count {
        let want = (count - total).min(chunk.len());
        let Some(buf) = chunk.get_mut(..want) else {
            break;
        };
        let (filled, stop) = match fill(file, buf) {
            Ok(Fill::Full(n)) => (n, false),
            Ok(Fill::End(n)) => {
                eof = true;
                (n, true)
            }
            Ok(Fill::Drained(n)) => (n, true),
            // Bytes read by earlier chunks are not thrown away.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && total > 0 => (0, true),
            Err(e) => return Err(e),
        };
        base64::encode_into(buf.get(..filled).unwrap_or_default(), &mut out);
        total += filled;
        if stop {
            break;
        }
    }
    Ok(ReadOutcome {
        b64: base64::ascii_string(out),
        count: total,
        eof,
    })
}

/// Reads until `buf` is full or the end of the file; returns the bytes
/// read and whether the end was met.
fn fill(file: &mut File, buf: &mut [u8]) -> io::Result<Fill> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match file.read(rest) {
            Ok(0) => return Ok(Fill::End(filled)),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && filled > 0 => {
                return Ok(Fill::Drained(filled));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Fill::Full(filled))
}

/// How a [`fill`] ended.
enum Fill {
    /// The buffer is full.
    Full(usize),
    /// `read()` returned 0: the end of the file.
    End(usize),
    /// A non-blocking file had no more data for now.
    Drained(usize),
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
        let r = read_base64(&mut f, 5, Some(5)).unwrap();
        assert_eq!((r.b64.as_str(), r.count, r.eof), ("aGVsbG8=", 5, false));
        let r = read_base64(&mut f, 4096, Some(0)).unwrap();
        assert_eq!((r.b64.as_str(), r.count, r.eof), ("", 0, true));
    }

    #[test]
    fn short_read_is_eof() {
        let mut f = file_with(b"hello");
        let r = read_base64(&mut f, 3, None).unwrap();
        assert_eq!((r.b64.as_str(), r.count, r.eof), ("aGVs", 3, false));
        let r = read_base64(&mut f, 4096, None).unwrap();
        assert_eq!((r.b64.as_str(), r.count, r.eof), ("bG8=", 2, true));
    }

    #[test]
    fn large_reads_span_chunks() {
        let data: Vec<u8> = (0..CHUNK * 2 + 7).map(|i| (i % 251) as u8).collect();
        let mut f = file_with(&data);
        let r = read_base64(&mut f, data.len() + 10, Some(data.len() as u64)).unwrap();
        assert_eq!(r.count, data.len());
        assert!(r.eof);
        assert_eq!(r.b64.capacity(), base64::encoded_len(data.len()));
        assert_eq!(base64::decode(&r.b64).unwrap(), data);
        // Stopping inside the second chunk.
        let mut f = file_with(&data);
        let r = read_base64(&mut f, CHUNK + 2, None).unwrap();
        assert_eq!(r.count, CHUNK + 2);
        assert!(!r.eof);
        assert_eq!(base64::decode(&r.b64).unwrap(), &data[..CHUNK + 2]);
    }

    #[test]
    fn read_errors_come_through() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = File::open(dir.path()).unwrap();
        let err = read_base64(&mut f, 10, None).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(21));
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
