//! QEMU 10.2's formatting rules for doc comment lines.
//!
//! Two rules, applied to every line outside literal blocks: a line is at
//! most 70 characters counting the leading `# ` (a line that is only a URL
//! is exempt), and sentences are separated by two spaces.

use super::patterns::is_url_only;

/// The longest line allowed, counting the leading `# `.
pub(super) const MAX_WIDTH: usize = 70;

/// The message for a line that is too long.
pub(super) const TOO_LONG: &str = "documentation line longer than 70 characters";

/// The message for a single space between sentences.
pub(super) const ONE_SPACE: &str =
    "Use two spaces between sentences\nIf this not the end of a sentence, please report a bug.";

/// A rule a line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lint {
    /// Longer than [`MAX_WIDTH`].
    TooLong,
    /// One space after the sentence-ending character at this character
    /// index of the line.
    OneSpace(usize),
}

/// The first rule `line` (the text after `# `) breaks, if any.
pub(super) fn check(line: &str) -> Option<Lint> {
    // A line has at least as many bytes as characters: count only when
    // the bytes are too many.
    if line.len() + 2 > MAX_WIDTH && line.chars().count() + 2 > MAX_WIDTH && !is_url_only(line) {
        return Some(Lint::TooLong);
    }
    if !has_candidate(line.as_bytes()) {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    single_space_after_sentence(&chars).map(Lint::OneSpace)
}

/// Whether `line` has `[.!?] [A-Z0-9(]` anywhere: the only thing the
/// sentence rule can report (exemptions only skip such places), so a line
/// without one needs no closer look. All these characters are ASCII, so
/// the bytes tell.
fn has_candidate(line: &[u8]) -> bool {
    line.windows(3).any(|w| match *w {
        [p, b' ', next] => matches!(p, b'.' | b'!' | b'?') && starts_sentence(char::from(next)),
        _ => false,
    })
}

/// What may start a sentence: `[A-Z0-9(]`.
fn starts_sentence(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '('
}

/// `\w` for one character.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `chars[i..]` starts with `want`.
fn has_at(chars: &[char], i: usize, want: &str) -> bool {
    (i..)
        .zip(want.chars())
        .all(|(j, w)| chars.get(j) == Some(&w))
}

/// Whether `chars[i]` is a space followed by a sentence start.
fn space_then_sentence(chars: &[char], i: usize) -> bool {
    chars.get(i) == Some(&' ') && chars.get(i + 1).copied().is_some_and(starts_sentence)
}

/// The exempt abbreviation `\be\.g\. [A-Z0-9(]` at `i`: its end.
fn abbreviation_at(chars: &[char], i: usize) -> Option<usize> {
    let boundary = i == 0 || chars.get(i - 1).is_some_and(|&c| !is_word(c));
    (boundary && has_at(chars, i, "e.g.") && space_then_sentence(chars, i + 4)).then_some(i + 6)
}

/// The exempt list marker `^ *\d\. [A-Z0-9(]`: its end.
fn list_marker(chars: &[char]) -> Option<usize> {
    let digit = chars.iter().take_while(|&&c| c == ' ').count();
    let ok = chars.get(digit).is_some_and(char::is_ascii_digit)
        && chars.get(digit + 1) == Some(&'.')
        && space_then_sentence(chars, digit + 2);
    ok.then_some(digit + 4)
}

/// Scan like Python's `re.finditer` over
/// `(\be\.g\.|^ *\d\.|([.!?])) [A-Z0-9(]`: exempt matches are skipped as
/// a whole, the first match of the last alternative is reported (the index
/// of its punctuation character).
fn single_space_after_sentence(chars: &[char]) -> Option<usize> {
    let mut i = 0;
    while i < chars.len() {
        if let Some(end) = abbreviation_at(chars, i) {
            i = end;
            continue;
        }
        if i == 0 {
            if let Some(end) = list_marker(chars) {
                i = end;
                continue;
            }
        }
        if matches!(chars[i], '.' | '!' | '?') && space_then_sentence(chars, i + 1) {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines() {
        assert_eq!(check(&"x".repeat(68)), None);
        assert_eq!(check(&"x".repeat(69)), Some(Lint::TooLong));
        assert_eq!(check(&"é".repeat(68)), None);
        let url = format!("    https://example.org/{}", "p".repeat(80));
        assert_eq!(check(&url), None);
        let not_url = format!("see https://example.org/{}", "p".repeat(80));
        assert_eq!(check(&not_url), Some(Lint::TooLong));
    }

    #[test]
    fn sentence_spacing() {
        assert_eq!(check("One. Two"), Some(Lint::OneSpace(3)));
        assert_eq!(check("One.  Two"), None);
        assert_eq!(check("Really? Yes"), Some(Lint::OneSpace(6)));
        assert_eq!(check("Stop! (now)"), Some(Lint::OneSpace(4)));
        assert_eq!(check("Version 2. 3"), Some(Lint::OneSpace(9)));
        assert_eq!(check("one. two"), None);
        assert_eq!(check("end."), None);
    }

    #[test]
    fn candidates() {
        assert!(has_candidate(b"One. Two"));
        assert!(has_candidate(b"x? (y"));
        assert!(!has_candidate(b"One.  Two"));
        assert!(!has_candidate(b"one. two"));
        assert!(!has_candidate(b". "));
    }

    #[test]
    fn exemptions() {
        assert_eq!(check("use e.g. FLAT here"), None);
        assert_eq!(check("e.g. X"), None);
        assert_eq!(check("the.g. X"), Some(Lint::OneSpace(5)));
        assert_eq!(check("1. First item"), None);
        assert_eq!(check("   2. Second item"), None);
        assert_eq!(check("10. Tenth"), Some(Lint::OneSpace(2)));
        assert_eq!(check("x 1. First"), Some(Lint::OneSpace(3)));
        assert_eq!(check("1. First. Second"), Some(Lint::OneSpace(8)));
        assert_eq!(check("e.g. A. B"), Some(Lint::OneSpace(6)));
    }
}
