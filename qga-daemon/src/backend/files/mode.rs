//! The `mode` argument of `guest-file-open`: C `fopen()` modes.

use rustix::fs::OFlags;

/// An `fopen()` mode accepted by `guest-file-open`.
///
/// The forms are exactly those qemu-ga knows: `r`, `w`, `a`, each
/// optionally followed by `+`, with an optional `b` before or after the
/// `+` (`b` makes no difference on POSIX).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenMode {
    access: Access,
    update: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
    Append,
}

impl OpenMode {
    /// The default mode, `r`.
    pub const READ: OpenMode = OpenMode {
        access: Access::Read,
        update: false,
    };

    /// Parses `text`, or `None` if it is not one of the accepted forms.
    pub fn parse(text: &str) -> Option<OpenMode> {
        let mut chars = text.chars();
        let access = match chars.next()? {
            'r' => Access::Read,
            'w' => Access::Write,
            'a' => Access::Append,
            _ => return None,
        };
        let update = match chars.as_str() {
            "" | "b" => false,
            "+" | "b+" | "+b" => true,
            _ => return None,
        };
        Some(OpenMode { access, update })
    }

    /// Whether the mode may create the file.
    pub fn creates(self) -> bool {
        self.access != Access::Read
    }

    /// The `open()` flags of the mode, without `O_CREAT` and without the
    /// flags every guest file gets (`O_NOCTTY`, `O_NONBLOCK`, `O_CLOEXEC`).
    pub fn flags(self) -> OFlags {
        let rw = if self.update {
            OFlags::RDWR
        } else if self.access == Access::Read {
            OFlags::RDONLY
        } else {
            OFlags::WRONLY
        };
        match self.access {
            Access::Read => rw,
            Access::Write => rw | OFlags::TRUNC,
            Access::Append => rw | OFlags::APPEND,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_fopen_form() {
        for text in [
            "r", "rb", "w", "wb", "a", "ab", "r+", "rb+", "r+b", "w+", "wb+", "w+b", "a+", "ab+",
            "a+b",
        ] {
            assert!(OpenMode::parse(text).is_some(), "{text}");
        }
    }

    #[test]
    fn refuses_other_forms() {
        for text in [
            "", "rz", "x", "R", "rw", "r++", "bb", "rbb", "+r", "wx", "r ",
        ] {
            assert_eq!(OpenMode::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn flags_follow_fopen() {
        let flags = |t| OpenMode::parse(t).unwrap().flags();
        assert_eq!(flags("r"), OFlags::RDONLY);
        assert_eq!(flags("rb+"), OFlags::RDWR);
        assert_eq!(flags("w"), OFlags::WRONLY | OFlags::TRUNC);
        assert_eq!(flags("w+b"), OFlags::RDWR | OFlags::TRUNC);
        assert_eq!(flags("ab"), OFlags::WRONLY | OFlags::APPEND);
        assert_eq!(flags("a+"), OFlags::RDWR | OFlags::APPEND);
        assert!(!OpenMode::READ.creates());
        assert!(OpenMode::parse("a").unwrap().creates());
        assert_eq!(OpenMode::parse("r"), Some(OpenMode::READ));
    }
}
