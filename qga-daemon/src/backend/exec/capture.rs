//! Collecting one output stream of a `guest-exec` child, up to a cap.

use std::io::{self, Read};

/// The most output kept per stream: 16 MiB, as in qemu-ga.
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// Bytes asked for by each `read()`.
const READ_SIZE: usize = 64 * 1024;

/// The output of one stream so far.
#[derive(Debug, Default)]
pub struct Capture {
    data: Vec<u8>,
    truncated: bool,
    limit: usize,
    /// Where bytes past the cap are read to and dropped.
    discard: Vec<u8>,
}

impl Capture {
    /// An empty capture that keeps at most [`MAX_OUTPUT`] bytes.
    pub fn new() -> Self {
        Capture::with_limit(MAX_OUTPUT)
    }

    /// An empty capture that keeps at most `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        Capture {
            limit,
            ..Capture::default()
        }
    }

    /// Reads once from `source`: into the data while under the cap, then
    /// into a scratch buffer whose bytes only mark the capture truncated.
    /// Returns what `read()` returned (0 at the end of the stream).
    pub fn read_from(&mut self, source: &mut impl Read) -> io::Result<usize> {
        let start = self.data.len();
        let room = self.limit.saturating_sub(start);
        if room == 0 {
            if self.discard.is_empty() {
                self.discard = vec![0; READ_SIZE];
            }
            let n = source.read(&mut self.discard)?;
            self.truncated |= n > 0;
            return Ok(n);
        }
        self.data.resize(start + room.min(READ_SIZE), 0);
        let result = match self.data.get_mut(start..) {
            Some(tail) => source.read(tail),
            None => Ok(0),
        };
        self.data
            .truncate(start + result.as_ref().map_or(0, |&n| n));
        result
    }

    /// The bytes kept.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Whether bytes were dropped because of the cap.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(capture: &mut Capture, mut source: &[u8]) {
        while capture.read_from(&mut source).unwrap() > 0 {}
    }

    #[test]
    fn keeps_everything_under_the_cap() {
        let mut c = Capture::with_limit(10);
        drain(&mut c, b"hello");
        assert_eq!((c.data(), c.truncated()), (&b"hello"[..], false));
    }

    #[test]
    fn exactly_the_cap_is_not_truncated() {
        let mut c = Capture::with_limit(5);
        drain(&mut c, b"hello");
        assert_eq!((c.data(), c.truncated()), (&b"hello"[..], false));
    }

    #[test]
    fn one_byte_more_is_truncated() {
        let mut c = Capture::with_limit(5);
        drain(&mut c, b"hello!");
        assert_eq!((c.data(), c.truncated()), (&b"hello"[..], true));
    }

    #[test]
    fn large_streams_stop_at_the_cap() {
        let big = vec![7u8; READ_SIZE * 3 + 5];
        let mut c = Capture::with_limit(READ_SIZE + 1);
        drain(&mut c, &big);
        assert_eq!(c.data().len(), READ_SIZE + 1);
        assert!(c.truncated());
        assert_eq!(MAX_OUTPUT, 16_777_216);
    }
}
