//! Errors of the streaming JSON reader, with qemu-ga's exact texts.

use std::fmt;

/// Why the reader rejected (part of) the input stream.
///
/// The [`Display`](fmt::Display) text is the `desc` qemu-ga puts in its
/// `GenericError` reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// A lexical error: the bytes of the offending token so far, already
    /// rendered as QEMU prints them (invalid UTF-8 as U+FFFD, cut at NUL).
    Stray(String),
    /// A syntax error found while building the value; the text after
    /// `JSON parse error, `.
    Syntax(String),
    /// The tokens of one request add up to 64 MiB or more.
    TokenSizeLimit,
    /// One request has more than 2,097,152 tokens.
    TokenCountLimit,
    /// Objects and arrays nested more than 1024 deep.
    NestingLimit,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Stray(token) => write!(f, "JSON parse error, stray '{token}'"),
            ReadError::Syntax(message) => write!(f, "JSON parse error, {message}"),
            ReadError::TokenSizeLimit => f.write_str("JSON token size limit exceeded"),
            ReadError::TokenCountLimit => f.write_str("JSON token count limit exceeded"),
            ReadError::NestingLimit => f.write_str("JSON nesting depth limit exceeded"),
        }
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(
            ReadError::Stray("\u{FFFD}".into()).to_string(),
            "JSON parse error, stray '\u{FFFD}'"
        );
        assert_eq!(
            ReadError::Syntax("expecting value".into()).to_string(),
            "JSON parse error, expecting value"
        );
        assert_eq!(
            ReadError::TokenSizeLimit.to_string(),
            "JSON token size limit exceeded"
        );
        assert_eq!(
            ReadError::TokenCountLimit.to_string(),
            "JSON token count limit exceeded"
        );
        assert_eq!(
            ReadError::NestingLimit.to_string(),
            "JSON nesting depth limit exceeded"
        );
    }
}
