//! Base64 as qemu-ga speaks it.
//!
//! Encoding is the standard alphabet with `=` padding and no line breaks
//! (GLib's `g_base64_encode`). Decoding follows QEMU's `qbase64_decode`:
//! the text stops at the first NUL (it is a C string), every remaining
//! character must be in the alphabet, `=` or a newline, otherwise the whole
//! input is refused; then GLib's lenient decoder runs: newlines are
//! skipped, the characters are taken four at a time, a `=` in the third or
//! fourth place of a group drops the corresponding output byte, and an
//! incomplete trailing group is ignored.

/// The error text qemu-ga gives for characters outside the base64 set.
pub const INVALID_CHARACTERS: &str = "Base64 data contains invalid characters";

/// Base64 text with a character that is neither in the alphabet, `=` nor a
/// newline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Base64 data contains invalid characters")]
pub struct InvalidBase64;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks a byte that is not part of the alphabet.
const NOT_BASE64: u8 = 0xff;

/// The 6-bit value of each alphabet byte; `=` counts as 0 as in GLib.
const RANKS: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table[b'=' as usize] = 0;
    table
};

/// The length of the encoding of `len` bytes.
pub fn encoded_len(len: usize) -> usize {
    len.div_ceil(3).saturating_mul(4)
}

/// Appends the encoding of `data` to `out`.
///
/// Only the last call of a sequence may pass a length that is not a
/// multiple of 3: each call pads its own tail.
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + encoded_len(data.len()), 0);
    let Some(dst) = out.get_mut(start..) else {
        return;
    };
    // Six bytes at a time, eight characters from one 48-bit number: this
    // is the hot loop of a large guest-file-read.
    let blocks = data.len() / 6;
    let (Some((body, tail)), Some((body_out, tail_out))) = (
        data.split_at_checked(blocks * 6),
        dst.split_at_mut_checked(blocks * 8),
    ) else {
        return;
    };
    for (six, eight) in body.chunks_exact(6).zip(body_out.chunks_exact_mut(8)) {
        if let (&[a, b, c, d, e, f], Ok(eight)) = (six, <&mut [u8; 8]>::try_from(eight)) {
            let n = u64::from_be_bytes([0, 0, a, b, c, d, e, f]);
            let [p, q, r, s] = [n >> 36, n >> 24, n >> 12, n].map(pair);
            *eight = [p[0], p[1], q[0], q[1], r[0], r[1], s[0], s[1]];
        }
    }
    encode_tail(tail, tail_out);
}

/// Encodes fewer than six bytes, padding the last group.
fn encode_tail(data: &[u8], dst: &mut [u8]) {
    for (group, quad) in data.chunks(3).zip(dst.chunks_mut(4)) {
        let (n, len) = match *group {
            [a] => (u32::from(a) << 16, 1),
            [a, b] => (u32::from(a) << 16 | u32::from(b) << 8, 2),
            [a, b, c] => (u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c), 3),
            _ => return,
        };
        for (i, char) in quad.iter_mut().enumerate() {
            // Group of `len` bytes: `len + 1` characters, then padding.
            *char = if i <= len {
                sextet(n >> (18 - 6 * i))
            } else {
                b'='
            };
        }
    }
}

/// The two characters of each 12-bit value: a lookup per two characters
/// instead of one per character.
const PAIRS: [[u8; 2]; 4096] = {
    let mut table = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = [ALPHABET[i >> 6], ALPHABET[i & 0x3f]];
        i += 1;
    }
    table
};

fn pair(n: u64) -> [u8; 2] {
    // The mask keeps the index below 4096, so the lookup cannot fail.
    PAIRS[(n & 0xfff) as usize]
}

fn sextet(n: impl Into<u64>) -> u8 {
    // The mask keeps the index below 64, so the lookup cannot fail.
    ALPHABET[(n.into() & 0x3f) as usize]
}

/// The encoding of `data` as a string of exactly the needed capacity.
pub fn encode(data: &[u8]) -> String {
    let mut out = Vec::with_capacity(encoded_len(data.len()));
    encode_into(data, &mut out);
    ascii_string(out)
}

/// Turns encoder output (always ASCII) into a `String` without copying.
pub fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Decodes `text` as qemu-ga does (see the module documentation).
pub fn decode(text: &str) -> Result<Vec<u8>, InvalidBase64> {
    let bytes = text.as_bytes();
    let bytes = match bytes.iter().position(|&b| b == 0) {
        Some(nul) => bytes.get(..nul).unwrap_or_default(),
        None => bytes,
    };
    if bytes
        .iter()
        .any(|&b| b != b'\n' && RANKS[usize::from(b)] == NOT_BASE64)
    {
        return Err(InvalidBase64);
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 3);
    let mut group = 0u32;
    let mut filled = 0;
    // The last two characters seen, to know where the padding was.
    let mut last = [0u8; 2];
    for &b in bytes {
        let rank = RANKS[usize::from(b)];
        if rank == NOT_BASE64 {
            continue;
        }
        last = [last[1], b];
        group = group << 6 | u32::from(rank);
        filled += 1;
        if filled == 4 {
            out.push((group >> 16) as u8);
            if last[0] != b'=' {
                out.push((group >> 8) as u8);
            }
            if last[1] != b'=' {
                out.push(group as u8);
            }
            filled = 0;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_with_padding() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(b"hello"), "aGVsbG8=");
        assert_eq!(encode(&[0xfb, 0xff, 0xfe]), "+//+");
        assert_eq!(encode(b"foob").capacity(), 8);
    }

    #[test]
    fn six_byte_blocks_and_tails() {
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(b"foobarb"), "Zm9vYmFyYg==");
        assert_eq!(encode(b"foobarba"), "Zm9vYmFyYmE=");
        assert_eq!(encode(b"foobarbaz"), "Zm9vYmFyYmF6");
        assert_eq!(encode(b"foobarbazq"), "Zm9vYmFyYmF6cQ==");
        assert_eq!(encode(b"foobarbazqu"), "Zm9vYmFyYmF6cXU=");
        assert_eq!(encode(b"foobarbazqux"), "Zm9vYmFyYmF6cXV4");
        assert_eq!(encode(&[0xff; 12]), "////////////////");
        assert_eq!(encode(&[0; 7]), "AAAAAAAAAA==");
    }

    #[test]
    fn encode_into_appends_chunks() {
        let mut out = Vec::new();
        encode_into(b"abc", &mut out);
        encode_into(b"de", &mut out);
        assert_eq!(out, b"YWJjZGU=");
    }

    #[test]
    fn decodes_standard_text() {
        assert_eq!(decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        assert_eq!(decode("Zg==").unwrap(), b"f");
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("d3JpdHRlbiBieSBxZ2EK").unwrap(), b"written by qga\n");
    }

    #[test]
    fn rejects_characters_outside_the_set() {
        assert_eq!(decode("!!!not base64!!!"), Err(InvalidBase64));
        assert_eq!(decode("aGVs bG8="), Err(InvalidBase64));
        assert_eq!(decode("aGVs\rbG8="), Err(InvalidBase64));
        assert_eq!(decode("é"), Err(InvalidBase64));
        assert_eq!(InvalidBase64.to_string(), INVALID_CHARACTERS);
    }

    #[test]
    fn lenient_like_glib() {
        // Newlines are skipped.
        assert_eq!(decode("aGVs\nbG8=\n").unwrap(), b"hello");
        // An incomplete trailing group is dropped.
        assert_eq!(decode("Zm9vY").unwrap(), b"foo");
        assert_eq!(decode("Zg").unwrap(), b"");
        // Padding in the middle ends a group early, decoding goes on.
        assert_eq!(decode("Zg==Zg==").unwrap(), b"ff");
        // The text ends at a NUL, whatever follows.
        assert_eq!(decode("Zm9v\0!!").unwrap(), b"foo");
    }

    #[test]
    fn round_trip_every_byte() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for len in 0..40 {
            let part = &data[..len];
            assert_eq!(decode(&encode(part)).unwrap(), part);
        }
        assert_eq!(decode(&encode(&data)).unwrap(), data);
    }
}
