//! Error texts as qemu-ga prints them: `strerror(errno)` alone, without
//! the `(os error N)` that Rust appends, and the reverse lookup from such a
//! text (as printed by a C-locale tool) back to its errno.

use std::io;

/// The highest errno value looked at when mapping a text back to a number.
const MAX_ERRNO: i32 = 200;

/// `strerror(errno)`: the C library's message for an errno value.
pub fn strerror(errno: i32) -> String {
    let text = io::Error::from_raw_os_error(errno).to_string();
    let suffix = format!(" (os error {errno})");
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_string(),
        None => text,
    }
}

/// The text qemu-ga appends after `: ` for an I/O error: `strerror` of its
/// errno, or the error's own message when it carries none.
pub fn error_text(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(errno) => strerror(errno),
        None => error.to_string(),
    }
}

/// The errno whose `strerror` text is `text`, if any.
pub fn errno_from_text(text: &str) -> Option<i32> {
    let text = text.trim();
    (1..=MAX_ERRNO).find(|&n| strerror(n) == text)
}

/// Rebuilds an [`io::Error`] from a tool's `strerror` text: with its errno
/// when the text is a known one, otherwise as a plain message.
pub fn error_from_text(text: &str) -> io::Error {
    match errno_from_text(text) {
        Some(errno) => io::Error::from_raw_os_error(errno),
        None => io::Error::other(text.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_without_os_error_suffix() {
        assert_eq!(strerror(2), "No such file or directory");
        assert_eq!(strerror(95), "Operation not supported");
        assert_eq!(
            error_text(&io::Error::from_raw_os_error(16)),
            "Device or resource busy"
        );
        assert_eq!(error_text(&io::Error::other("plain")), "plain");
    }

    #[test]
    fn reverse_lookup() {
        assert_eq!(errno_from_text("Operation not supported"), Some(95));
        assert_eq!(errno_from_text("Device or resource busy\n"), Some(16));
        assert_eq!(errno_from_text("Invalid argument"), Some(22));
        assert_eq!(errno_from_text("not an errno text"), None);
        assert_eq!(
            error_from_text("Permission denied").raw_os_error(),
            Some(13)
        );
        let other = error_from_text("the discard operation is not supported");
        assert_eq!(other.raw_os_error(), None);
        assert_eq!(other.to_string(), "the discard operation is not supported");
    }
}
