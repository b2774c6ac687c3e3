//! QEMU's "modified UTF-8" rules.
//!
//! QEMU decodes and validates text with its own rules, which differ from
//! Rust's `str::from_utf8` in three ways that are visible on the wire:
//!
//! - the overlong sequence `C0 80` is accepted and stands for U+0000;
//! - the 66 Unicode noncharacters (U+FDD0..U+FDEF and every U+xxFFFE /
//!   U+xxFFFF) are rejected;
//! - five- and six-byte sequences are recognised as sequences (and then
//!   rejected as beyond U+10FFFF), which decides how many bytes one
//!   replacement character stands for.

/// The replacement character QEMU substitutes for undecodable text.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// Whether `cp` is one of Unicode's 66 noncharacters.
pub(crate) fn is_noncharacter(cp: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&cp) || cp & 0xFFFE == 0xFFFE
}

/// Decodes the sequence at the start of `bytes`.
///
/// Returns the code point (`None` when the sequence is invalid) and the
/// number of bytes the sequence spans, which is at least 1 for non-empty
/// input. On a missing continuation byte the span stops before the byte
/// that is not a continuation byte; the end of `bytes` counts as such a
/// byte.
pub(crate) fn decode(bytes: &[u8]) -> (Option<u32>, usize) {
    let Some(&lead) = bytes.first() else {
        return (None, 0);
    };
    if lead < 0x80 {
        return (Some(u32::from(lead)), 1);
    }
    if lead >= 0xFE || lead & 0x40 == 0 {
        // Impossible byte, or a continuation byte out of place.
        return (None, 1);
    }
    let len = lead.leading_ones() as usize; // 2..=6
    let mut cp = u32::from(lead) & (0x7F >> len);
    for i in 1..len {
        match bytes.get(i) {
            Some(&b) if b & 0xC0 == 0x80 => cp = (cp << 6) | u32::from(b & 0x3F),
            _ => return (None, i),
        }
    }
    let min = match len {
        2 => 0x80,
        3 => 0x800,
        4 => 0x1_0000,
        5 => 0x20_0000,
        _ => 0x400_0000,
    };
    let valid = cp <= 0x10_FFFF
        && !is_noncharacter(cp)
        && !(0xD800..=0xDFFF).contains(&cp)
        && (cp >= min || (cp == 0 && len == 2));
    (valid.then_some(cp), len)
}

/// Renders raw bytes the way QEMU prints a C string that holds them:
/// the text stops at the first NUL byte, and each invalid sequence becomes
/// one U+FFFD.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let bytes = bytes.get(..end).unwrap_or_default();
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.chars().any(|c| is_noncharacter(u32::from(c))) {
            return text.to_owned();
        }
    }
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        let (cp, used) = decode(rest);
        out.push(cp.and_then(char::from_u32).unwrap_or(REPLACEMENT));
        rest = rest.get(used.max(1)..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_multibyte() {
        assert_eq!(decode(b"a"), (Some(0x61), 1));
        assert_eq!(decode("é".as_bytes()), (Some(0xE9), 2));
        assert_eq!(decode("€".as_bytes()), (Some(0x20AC), 3));
        assert_eq!(decode("😀".as_bytes()), (Some(0x1F600), 4));
    }

    #[test]
    fn modified_nul_is_accepted() {
        assert_eq!(decode(b"\xC0\x80"), (Some(0), 2));
        // Other overlong forms are not.
        assert_eq!(decode(b"\xC0\xAF"), (None, 2));
        assert_eq!(decode(b"\xE0\x80\x80"), (None, 3));
    }

    #[test]
    fn invalid_sequences_and_their_spans() {
        assert_eq!(decode(b"\xFF"), (None, 1));
        assert_eq!(decode(b"\xFE"), (None, 1));
        assert_eq!(decode(b"\x80"), (None, 1));
        assert_eq!(decode(b"\xC3("), (None, 1));
        assert_eq!(decode(b"\xE2\x82x"), (None, 2));
        assert_eq!(decode(b"\xE2\x82"), (None, 2));
        assert_eq!(decode(b"\xED\xA0\x80"), (None, 3)); // surrogate
        assert_eq!(decode(b"\xF4\x90\x80\x80"), (None, 4)); // > U+10FFFF
        assert_eq!(decode(b"\xF8\x88\x80\x80\x80"), (None, 5));
        assert_eq!(decode(b"\xFC\x84\x80\x80\x80\x80"), (None, 6));
    }

    #[test]
    fn noncharacters_are_invalid() {
        assert!(is_noncharacter(0xFFFE));
        assert!(is_noncharacter(0x10FFFF));
        assert!(is_noncharacter(0xFDD0));
        assert!(!is_noncharacter(0xFFFD));
        assert_eq!(decode("\u{FFFE}".as_bytes()), (None, 3));
        assert_eq!(decode("\u{FDEF}".as_bytes()), (None, 3));
    }

    #[test]
    fn lossy_rendering() {
        assert_eq!(lossy(b"\xFF"), "\u{FFFD}");
        assert_eq!(lossy(b"ab\x00cd"), "ab");
        assert_eq!(lossy(b"\xE2\x82x"), "\u{FFFD}x");
        assert_eq!(lossy(b"\xC0\x80z"), "\0z");
        assert_eq!(lossy("\u{FFFF}é".as_bytes()), "\u{FFFD}é");
        assert_eq!(lossy(b"plain"), "plain");
    }
}
