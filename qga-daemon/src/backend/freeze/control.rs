//! The three per-filesystem operations behind `guest-fsfreeze-*` and
//! `guest-fstrim`: freeze (`FIFREEZE`), thaw (`FITHAW`) and discard unused
//! blocks (`FITRIM`), behind a trait so that tests freeze nothing real.
//!
//! The production implementation, [`ToolControl`], issues the ioctls
//! through util-linux's `fsfreeze` and `fstrim`: a raw `ioctl` call needs
//! `unsafe` code, which this crate does not allow, and no safe binding of
//! these three requests exists in `rustix` or `nix`. The mount point is
//! opened here first, so that an open failure is told apart from an ioctl
//! failure as qemu-ga does; the tool's C-locale `strerror` text is mapped
//! back to its errno.

use std::fmt;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::errno::{error_from_text, error_text};

/// `_IOWR(type, nr, size)` of the Linux ioctl encoding.
const fn iowr(kind: u8, nr: u8, size: u32) -> u32 {
    (3 << 30) | (size << 16) | ((kind as u32) << 8) | nr as u32
}

/// `FIFREEZE = _IOWR('X', 119, int)`: freeze the filesystem of a mount point.
pub const FIFREEZE: u32 = iowr(b'X', 119, 4);
/// `FITHAW = _IOWR('X', 120, int)`: thaw it.
pub const FITHAW: u32 = iowr(b'X', 120, 4);
/// `FITRIM = _IOWR('X', 121, struct fstrim_range)` (three `u64`s).
pub const FITRIM: u32 = iowr(b'X', 121, 24);

/// `EBUSY`: freezing a filesystem that is already frozen.
pub const EBUSY: i32 = 16;
/// `ENOTTY`: the file does not take the request (trim on a CD-ROM).
pub const ENOTTY: i32 = 25;
/// `EOPNOTSUPP`: the filesystem does not implement the request.
pub const EOPNOTSUPP: i32 = 95;

/// Why an operation on a mount point failed.
#[derive(Debug)]
pub enum FsOpError {
    /// The mount point could not be opened.
    Open(io::Error),
    /// The request itself failed.
    Request(io::Error),
}

impl FsOpError {
    /// The errno of a failed request (`None` for open failures and errors
    /// without an errno).
    pub fn request_errno(&self) -> Option<i32> {
        match self {
            FsOpError::Request(e) => e.raw_os_error(),
            FsOpError::Open(_) => None,
        }
    }
}

/// What `FITRIM` reports back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrimOutcome {
    /// Bytes discarded.
    pub trimmed: u64,
    /// The minimum extent length that was applied.
    pub minimum: u64,
}

/// Freeze, thaw and trim of the filesystem mounted at a directory (a path
/// already resolved below the backend's root).
pub trait FsControl: Send + Sync + fmt::Debug {
    /// `FIFREEZE` on `dir`.
    fn freeze(&self, dir: &Path) -> Result<(), FsOpError>;
    /// `FITHAW` on `dir`.
    fn thaw(&self, dir: &Path) -> Result<(), FsOpError>;
    /// `FITRIM` on `dir` over the whole filesystem, skipping free extents
    /// shorter than `minimum` bytes.
    fn trim(&self, dir: &Path, minimum: u64) -> Result<TrimOutcome, FsOpError>;
}

/// [`FsControl`] through util-linux's `fsfreeze` and `fstrim`.
#[derive(Debug, Clone)]
pub struct ToolControl {
    fsfreeze: PathBuf,
    fstrim: PathBuf,
}

impl Default for ToolControl {
    fn default() -> Self {
        ToolControl {
            fsfreeze: find_program("fsfreeze"),
            fstrim: find_program("fstrim"),
        }
    }
}

/// The first of `/usr/sbin`, `/sbin`, `/usr/bin`, `/bin` holding `name`,
/// else the bare name (left to the `PATH` search).
fn find_program(name: &str) -> PathBuf {
    ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

impl ToolControl {
    /// Uses the given programs instead of the system's.
    pub fn with_programs(fsfreeze: impl Into<PathBuf>, fstrim: impl Into<PathBuf>) -> Self {
        ToolControl {
            fsfreeze: fsfreeze.into(),
            fstrim: fstrim.into(),
        }
    }

    fn run(program: &Path, args: &[&std::ffi::OsStr]) -> Result<Output, FsOpError> {
        Command::new(program)
            .args(args)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .map_err(FsOpError::Request)
    }

    fn freeze_tool(&self, flag: &str, dir: &Path) -> Result<(), FsOpError> {
        File::open(dir).map_err(FsOpError::Open)?;
        let out = Self::run(&self.fsfreeze, &[flag.as_ref(), dir.as_os_str()])?;
        if out.status.success() {
            Ok(())
        } else {
            Err(FsOpError::Request(tool_error(&out.stderr)))
        }
    }
}

/// The error a util-linux tool reported: the text after the last `: ` of
/// its last stderr line (`fsfreeze: /mnt: freeze failed: Invalid
/// argument`). `fstrim`'s own wording for `EOPNOTSUPP` is mapped back.
fn tool_error(stderr: &[u8]) -> io::Error {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if line.ends_with("the discard operation is not supported") {
        return io::Error::from_raw_os_error(EOPNOTSUPP);
    }
    let cause = line.rsplit_once(": ").map_or(line, |(_, cause)| cause);
    error_from_text(cause)
}

/// The byte count of `fstrim -v` output: `/mnt: 13.7 MiB (14396416 bytes)
/// trimmed` (util-linux 2.23+) or `/mnt: 14396416 bytes were trimmed`.
fn parse_trimmed(stdout: &str) -> Option<u64> {
    let (before, _) = stdout.rsplit_once(" bytes")?;
    let number = before.rsplit([' ', '(']).next()?;
    number.parse().ok()
}

impl FsControl for ToolControl {
    fn freeze(&self, dir: &Path) -> Result<(), FsOpError> {
        self.freeze_tool("--freeze", dir)
    }

    fn thaw(&self, dir: &Path) -> Result<(), FsOpError> {
        self.freeze_tool("--unfreeze", dir)
    }

    fn trim(&self, dir: &Path, minimum: u64) -> Result<TrimOutcome, FsOpError> {
        File::open(dir).map_err(FsOpError::Open)?;
        let min = minimum.to_string();
        let out = Self::run(
            &self.fstrim,
            &[
                "--verbose".as_ref(),
                "--minimum".as_ref(),
                min.as_ref(),
                dir.as_os_str(),
            ],
        )?;
        if !out.status.success() {
            return Err(FsOpError::Request(tool_error(&out.stderr)));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let trimmed = parse_trimmed(&stdout).ok_or_else(|| {
            FsOpError::Request(io::Error::other(format!(
                "unexpected fstrim output: {}",
                stdout.trim()
            )))
        })?;
        Ok(TrimOutcome { trimmed, minimum })
    }
}

/// The text qemu-ga puts after `: ` for an operation error.
pub fn op_error_text(error: &FsOpError) -> String {
    match error {
        FsOpError::Open(e) | FsOpError::Request(e) => error_text(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_numbers() {
        assert_eq!(FIFREEZE, 0xC004_5877);
        assert_eq!(FITHAW, 0xC004_5878);
        assert_eq!(FITRIM, 0xC018_5879);
    }

    #[test]
    fn tool_messages() {
        let e = tool_error(b"fsfreeze: /tmp/x: freeze failed: Operation not supported\n");
        assert_eq!(e.raw_os_error(), Some(EOPNOTSUPP));
        let e = tool_error(b"fsfreeze: /m: unfreeze failed: Invalid argument\n");
        assert_eq!(e.raw_os_error(), Some(22));
        let e = tool_error(b"fstrim: /tmp/tt: the discard operation is not supported\n");
        assert_eq!(e.raw_os_error(), Some(EOPNOTSUPP));
        let e = tool_error(b"fstrim: /x: FITRIM ioctl failed: Read-only file system\n");
        assert_eq!(e.raw_os_error(), Some(30));
        let e = tool_error(b"weird");
        assert_eq!(e.raw_os_error(), None);
        assert_eq!(e.to_string(), "weird");
        assert_eq!(tool_error(b"").to_string(), "");
    }

    #[test]
    fn trimmed_counts() {
        assert_eq!(
            parse_trimmed("/mnt: 13.7 MiB (14396416 bytes) trimmed\n"),
            Some(14_396_416)
        );
        assert_eq!(parse_trimmed("/mnt: 0 B (0 bytes) trimmed\n"), Some(0));
        assert_eq!(parse_trimmed("/mnt: 4096 bytes were trimmed\n"), Some(4096));
        assert_eq!(
            parse_trimmed("/m (x): 1 KiB (1024 bytes) trimmed"),
            Some(1024)
        );
        assert_eq!(parse_trimmed("nothing"), None);
        assert_eq!(parse_trimmed("(garbage bytes)"), None);
    }

    #[test]
    fn missing_mount_point_is_an_open_error() {
        let c = ToolControl::default();
        let missing = Path::new("/definitely/not/here");
        let e = c.freeze(missing).unwrap_err();
        assert!(matches!(e, FsOpError::Open(_)));
        assert_eq!(op_error_text(&e), "No such file or directory");
        assert_eq!(e.request_errno(), None);
        assert!(matches!(c.thaw(missing), Err(FsOpError::Open(_))));
        assert!(matches!(c.trim(missing, 0), Err(FsOpError::Open(_))));
    }

    #[test]
    fn missing_tool_is_a_request_error() {
        let dir = tempfile::tempdir().unwrap();
        let c = ToolControl::with_programs("/nonexistent/fsfreeze", "/nonexistent/fstrim");
        let e = c.freeze(dir.path()).unwrap_err();
        assert_eq!(e.request_errno(), Some(2));
        assert!(matches!(c.trim(dir.path(), 0), Err(FsOpError::Request(_))));
    }
}
