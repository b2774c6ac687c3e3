//! Raw bytes → schema text: UTF-8 validation, newline normalisation, and the
//! wording Python uses for I/O errors.

use std::io;
use std::sync::Arc;

use crate::diag::Error;
use crate::source::{column_of, Info, SourceFile, Span};

/// Turn the bytes of a schema file into its text, as QEMU reads it:
/// universal newlines (CRLF and lone CR become LF) and a final newline
/// appended when missing (also to an empty file).
///
/// Invalid UTF-8 is an error located at the first bad byte of file `path`
/// (included from `included_from`).
pub(crate) fn decode(
    bytes: &[u8],
    path: &str,
    included_from: Option<Info>,
) -> Result<String, Error> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return Err(utf8_error(bytes, err.valid_up_to(), path, included_from)),
    };
    let mut out = if text.contains('\r') {
        let mut out = String::with_capacity(text.len() + 1);
        let mut rest = text;
        while let Some(i) = rest.find('\r') {
            out.push_str(&rest[..i]);
            out.push('\n');
            rest = &rest[i + 1..];
            if let Some(after) = rest.strip_prefix('\n') {
                rest = after;
            }
        }
        out.push_str(rest);
        out
    } else {
        let mut out = String::with_capacity(text.len() + 1);
        out.push_str(text);
        out
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// The error for invalid UTF-8 at byte `bad` (everything before is valid).
fn utf8_error(bytes: &[u8], bad: usize, path: &str, included_from: Option<Info>) -> Error {
    let valid = bytes.get(..bad).unwrap_or_default();
    // Every byte before `bad` is valid UTF-8, so this never loses anything.
    let prefix = String::from_utf8_lossy(valid);
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut chars = prefix.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\n' => {
                line = line.saturating_add(1);
                line_start = i + 1;
            }
            '\r' => {
                if let Some(&(_, '\n')) = chars.peek() {
                    chars.next();
                    line_start = i + 2;
                } else {
                    line_start = i + 1;
                }
                line = line.saturating_add(1);
            }
            _ => {}
        }
    }
    let before = prefix.get(line_start..).unwrap_or_default();
    let col = column_of(before);
    // The file's text is unusable; keep the valid part for the renderer.
    let file = Arc::new(SourceFile {
        path: path.to_string(),
        text: Arc::from(prefix.as_ref()),
        included_from,
    });
    let info = Info::new(file, line, col);
    let start = u32::try_from(bad).unwrap_or(u32::MAX);
    Error::parse(&info, col, "invalid UTF-8 in schema file").with_span(Span {
        start,
        end: start.saturating_add(1),
        line,
        col,
    })
}

/// The text Python's `OSError.strerror` gives for `err`.
pub(crate) fn strerror(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "No such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
        io::ErrorKind::IsADirectory => "Is a directory".to_string(),
        io::ErrorKind::NotADirectory => "Not a directory".to_string(),
        _ => {
            let text = err.to_string();
            match text.rfind(" (os error ") {
                Some(i) if text.ends_with(')') => text[..i].to_string(),
                _ => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> String {
        decode(bytes, "t.json", None).unwrap()
    }

    #[test]
    fn newlines_are_normalised_and_final_newline_added() {
        assert_eq!(ok(b""), "\n");
        assert_eq!(ok(b"a"), "a\n");
        assert_eq!(ok(b"a\n"), "a\n");
        assert_eq!(ok(b"a\r\nb\r\n"), "a\nb\n");
        assert_eq!(ok(b"a\rb"), "a\nb\n");
        assert_eq!(ok(b"a\r\r\nb\r"), "a\n\nb\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode(b"{ 'a':\r\n  '\xff' }", "t.json", None).unwrap_err();
        assert_eq!(err.to_string(), "t.json:2:4: invalid UTF-8 in schema file");
        let err = decode(b"\t\xc3", "t.json", None).unwrap_err();
        assert_eq!(err.to_string(), "t.json:1:1: invalid UTF-8 in schema file");
        let err = decode(b"ab\rc\xe2\x82", "t.json", None).unwrap_err();
        assert_eq!(err.to_string(), "t.json:2:2: invalid UTF-8 in schema file");
    }

    #[test]
    fn io_errors_read_like_python() {
        let e = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(strerror(&e), "No such file or directory");
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(strerror(&e), "Permission denied");
        let e = io::Error::from_raw_os_error(21);
        assert_eq!(strerror(&e), "Is a directory");
        let e = io::Error::from_raw_os_error(36);
        assert_eq!(strerror(&e), "File name too long");
    }
}
