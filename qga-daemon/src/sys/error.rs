//! The error type shared by the system readers.

use std::io;
use std::path::{Path, PathBuf};

/// Why a system reader failed.
///
/// Readers skip malformed lines where the kernel format allows it; this
/// error is for a file that cannot be read at all, or whose content is not
/// usable.
#[derive(Debug, thiserror::Error)]
pub enum SysError {
    /// A system call on `path` failed.
    #[error("{op}(\"{}\"): {source}", path.display())]
    Io {
        /// The operation that failed (`open`, `read`, `readlink`, ...).
        op: &'static str,
        /// The path it was applied to (below the reader's root).
        path: PathBuf,
        /// The underlying error, which carries the errno.
        #[source]
        source: io::Error,
    },
    /// The content of `path` does not follow the expected format.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file whose content is wrong.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

impl SysError {
    /// Builds an [`SysError::Io`].
    pub fn io(op: &'static str, path: &Path, source: io::Error) -> Self {
        SysError::Io {
            op,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Builds a [`SysError::Format`].
    pub fn format(path: &Path, message: impl Into<String>) -> Self {
        SysError::Format {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// The errno of an I/O failure, if any.
    pub fn errno(&self) -> Option<i32> {
        match self {
            SysError::Io { source, .. } => source.raw_os_error(),
            SysError::Format { .. } => None,
        }
    }

    /// Whether this is an I/O failure because the path does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, SysError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

/// Result of a system reader.
pub type SysResult<T> = Result<T, SysError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_errno() {
        let e = SysError::io(
            "open",
            Path::new("/proc/x"),
            io::Error::from_raw_os_error(2),
        );
        assert!(e.to_string().starts_with("open(\"/proc/x\"): "));
        assert_eq!(e.errno(), Some(2));
        assert!(e.is_not_found());
        let f = SysError::format(Path::new("/a"), "bad");
        assert_eq!(f.to_string(), "/a: bad");
        assert_eq!(f.errno(), None);
        assert!(!f.is_not_found());
    }
}
