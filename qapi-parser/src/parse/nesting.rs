//! The nesting limit, and a cheap look at how deeply a value nests and how
//! far it reaches: made before the (recursive) grammar runs, so that
//! hostile input cannot exhaust the stack, and used to underline a whole
//! value in an error.

/// The deepest nesting of `{` / `[` accepted. QEMU itself fails with a
/// Python recursion error at about twice this depth.
pub(crate) const LIMIT: usize = 512;

/// The message for a value nesting deeper than [`LIMIT`].
pub(crate) fn too_deep_message() -> String {
    format!("nesting too deep (limit {LIMIT})")
}

/// How far a value reaches, as far as brackets, strings and comments tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extent {
    /// The value's brackets balance just before this offset: the grammar
    /// needs to see nothing beyond it.
    End(usize),
    /// More than [`LIMIT`] brackets are open at some point.
    TooDeep,
    /// The value is malformed before its brackets balance (an unterminated
    /// string, a doc comment, a bad escape, the end of the file).
    Malformed,
}

/// How far the value whose first token starts at byte `start` of `text`
/// reaches, without exceeding the nesting limit. The first token must be
/// `{` or `[`.
///
/// Strings and comments are skipped as the grammar skips them, so the
/// result is exact for a valid value; for an invalid one, the grammar
/// fails within the extent found (or the value is sent to the error
/// diagnosis directly), so the grammar never recurses deeper than
/// [`LIMIT`] and never looks past [`Extent::End`].
pub(crate) fn extent(text: &str, start: usize, compat: bool) -> Extent {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'{' | b'[' => {
                depth += 1;
                if depth > LIMIT {
                    return Extent::TooDeep;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Extent::End(i);
                }
            }
            b'\'' => match skip_string(bytes, i, compat) {
                Some(next) => i = next,
                None => return Extent::Malformed,
            },
            b'#' => {
                if bytes.get(i) == Some(&b'#') {
                    return Extent::Malformed;
                }
                match bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                {
                    Some(n) => i += n,
                    None => return Extent::Malformed,
                }
            }
            _ => {}
        }
        if depth == 0 {
            // Not a bracket: the caller broke the contract.
            return Extent::Malformed;
        }
    }
    Extent::Malformed
}

/// The offset just past the string whose body starts at `i`, or `None`
/// where the string is malformed (the grammar stops there).
fn skip_string(bytes: &[u8], mut i: usize, compat: bool) -> Option<usize> {
    loop {
        match *bytes.get(i)? {
            b'\n' => return None,
            b'\'' => return Some(i + 1),
            b'\\' => {
                let next = *bytes.get(i + 1)?;
                if next == b'\n' || (next != b'\\' && !compat) {
                    return None;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(n: usize) -> String {
        format!("{}{}\n", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn counts_brackets_outside_strings_and_comments() {
        assert_eq!(extent(&deep(LIMIT), 0, false), Extent::End(2 * LIMIT));
        assert_eq!(extent(&deep(LIMIT + 1), 0, false), Extent::TooDeep);
        let quoted = format!("[ '{}' ] x\n", "[".repeat(1000));
        assert_eq!(extent(&quoted, 0, false), Extent::End(quoted.len() - 3));
        let commented = format!("[ # {}\n ]\n", "{".repeat(1000));
        assert_eq!(
            extent(&commented, 0, false),
            Extent::End(commented.len() - 1)
        );
        let escaped = format!("[ 'a\\\\' {} ]\n", "[".repeat(1000));
        assert_eq!(extent(&escaped, 0, false), Extent::TooDeep);
    }

    #[test]
    fn malformed_values() {
        assert_eq!(extent("{ 'a': 'b }\n", 0, false), Extent::Malformed);
        assert_eq!(extent("{ 'a': 'b\\x' }\n", 0, false), Extent::Malformed);
        assert_eq!(extent("{ 'a': 'b\\x' }\n", 0, true), Extent::End(14));
        assert_eq!(extent("{ 'a': ## }\n", 0, false), Extent::Malformed);
        assert_eq!(extent("{ 'a': [ ]\n", 0, false), Extent::Malformed);
        assert_eq!(extent("'x'\n", 0, false), Extent::Malformed);
    }
}
