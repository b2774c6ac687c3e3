//! A cheap look at how deeply a value nests, made before the (recursive)
//! grammar runs, so that hostile input cannot exhaust the stack.

/// The deepest nesting of `{` / `[` accepted. QEMU itself fails with a
/// Python recursion error at about twice this depth.
pub(crate) const LIMIT: usize = 512;

/// The message for a value nesting deeper than [`LIMIT`].
pub(crate) fn too_deep_message() -> String {
    format!("nesting too deep (limit {LIMIT})")
}

/// Whether the value starting at byte `start` of `text` is safe to hand to
/// the grammar: it never opens more than [`LIMIT`] brackets at once before
/// it ends or before a point where the grammar must stop anyway (an
/// unterminated string, a doc comment).
///
/// Strings and comments are skipped as the grammar skips them, so the count
/// is exact for a valid value; where the text is invalid it can only be too
/// high, which merely sends the value to the error diagnosis.
pub(crate) fn within_limit(text: &str, start: usize, compat: bool) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'{' | b'[' => {
                depth += 1;
                if depth > LIMIT {
                    return false;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return true;
                }
            }
            b'\'' => match skip_string(bytes, i, compat) {
                Some(next) => i = next,
                None => return true,
            },
            b'#' => {
                if bytes.get(i) == Some(&b'#') {
                    return true;
                }
                match bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                {
                    Some(n) => i += n,
                    None => return true,
                }
            }
            _ => {}
        }
        if depth == 0 {
            // A scalar value: nothing nests.
            return true;
        }
    }
    true
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
        assert!(within_limit(&deep(LIMIT), 0, false));
        assert!(!within_limit(&deep(LIMIT + 1), 0, false));
        let quoted = format!("[ '{}' ]\n", "[".repeat(1000));
        assert!(within_limit(&quoted, 0, false));
        let commented = format!("[ # {}\n ]\n", "{".repeat(1000));
        assert!(within_limit(&commented, 0, false));
        let escaped = format!("[ 'a\\\\' {} ]\n", "[".repeat(1000));
        assert!(!within_limit(&escaped, 0, false));
    }

    #[test]
    fn stops_at_the_end_of_the_value() {
        let text = format!("{{ }} {}\n", "[".repeat(1000));
        assert!(within_limit(&text, 0, false));
        assert!(within_limit("'x' [[[[\n", 0, false));
        assert!(within_limit("true\n", 0, false));
    }
}
