//! Error texts as qemu-ga prints them: `strerror(errno)` alone, without
//! the `(os error N)` that Rust appends.

use std::io;

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
}
