//! `guest-file-open`, `-close`, `-read`, `-write`, `-seek` and `-flush`.
//!
//! Files are opened with `open()` and used through plain system calls, with
//! the results qemu-ga gets through C stdio:
//!
//! - the modes are `fopen()`'s (`r`, `w`, `a`, `+`, `b`); every file is
//!   opened `O_NONBLOCK` (a FIFO with no writer reads as an error instead
//!   of hanging the agent), `O_NOCTTY` and close-on-exec;
//! - `eof` is true only for a read that met the end of the file (see
//!   [`io`]); after a write or a seek it is always false, because qemu-ga
//!   clears the stream's flags after every call;
//! - a count of 0 reads or writes nothing and succeeds, whatever the handle
//!   was opened for, as `fread()`/`fwrite()` of 0 bytes do;
//! - writes are not buffered, so data is in the file when
//!   `guest-file-write` returns and `guest-file-flush` has nothing left to
//!   do; it only checks the handle.
//!
//! New files are created with mode 0600: qemu-ga 10 uses `0666 & ~umask`,
//! which makes a file the host writes into the guest readable (or, with a
//! lax umask, writable) by every local user. An existing file keeps its
//! mode. A path is a C string for qemu-ga, so it ends at a NUL character.

pub mod error;
pub mod handles;
pub mod io;
pub mod mode;

#[cfg(test)]
pub(crate) mod oracle;
#[cfg(test)]
mod oracle_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use qga_generated::{GuestFileRead, GuestFileSeek, GuestFileWhence, GuestFileWrite, QGASeek};
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

pub use crate::protocol::base64;
pub use error::FileError;
pub use handles::{HandleSource, MemoryHandles};
pub use io::ReadOutcome;
use mode::OpenMode;

/// The count `guest-file-read` uses when none is given.
pub const DEFAULT_READ_COUNT: i64 = 4096;

/// The largest count `guest-file-read` accepts: 48 MiB, whose base64 form
/// still fits QEMU's 64 MiB JSON token limit.
pub const MAX_READ_COUNT: i64 = 48 * 1024 * 1024;

/// The mode of files that `guest-file-open` creates.
pub const NEW_FILE_MODE: u32 = 0o600;

/// The files opened by `guest-file-open`, by handle.
#[derive(Debug, Default)]
pub struct GuestFiles {
    open: Mutex<HashMap<i64, Arc<Mutex<File>>>>,
}

impl GuestFiles {
    /// No open files.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many files are open.
    pub fn len(&self) -> usize {
        self.table().len()
    }

    /// Whether no file is open.
    pub fn is_empty(&self) -> bool {
        self.table().is_empty()
    }

    /// `guest-file-open`: opens `path` with the `fopen()` mode `mode`
    /// (default `r`) and returns a new handle taken from `handles`.
    pub fn open(
        &self,
        handles: &dyn HandleSource,
        path: &str,
        mode: Option<&str>,
    ) -> Result<i64, FileError> {
        let mode_text = mode.unwrap_or("r");
        let mode = OpenMode::parse(mode_text)
            .ok_or_else(|| FileError::InvalidMode(mode_text.to_owned()))?;
        let path = c_string(path);
        let file = open_file(path, mode).map_err(|e| FileError::Open {
            path: path.to_owned(),
            mode: mode_text.to_owned(),
            source: std::io::Error::from(e).into(),
        })?;
        // On failure the file is closed as it goes out of scope.
        let handle = handles.next_handle().map_err(FileError::PersistState)?;
        self.table().insert(handle, Arc::new(Mutex::new(file)));
        Ok(handle)
    }

    /// `guest-file-close`: closes the file and forgets its handle.
    pub fn close(&self, handle: i64) -> Result<(), FileError> {
        self.table()
            .remove(&handle)
            .map(drop)
            .ok_or(FileError::HandleNotFound(handle))
    }

    /// `guest-file-read`: reads up to `count` bytes (default 4096, at most
    /// 48 MiB) from the current position.
    pub fn read(&self, handle: i64, count: Option<i64>) -> Result<GuestFileRead, FileError> {
        let read = self.read_data(handle, count)?;
        Ok(GuestFileRead {
            count: i64::try_from(read.data.len()).unwrap_or(i64::MAX),
            buf_b64: base64::encode(&read.data),
            eof: read.eof,
        })
    }

    /// [`read`](Self::read) without the base64 encoding: the bytes, for a
    /// caller that encodes them as it writes the reply.
    pub fn read_data(&self, handle: i64, count: Option<i64>) -> Result<ReadOutcome, FileError> {
        let file = self.find(handle)?;
        let count = count.unwrap_or(DEFAULT_READ_COUNT);
        let wanted = usize::try_from(count)
            .ok()
            .filter(|_| count <= MAX_READ_COUNT)
            .ok_or(FileError::InvalidCount(count))?;
        if wanted == 0 {
            return Ok(ReadOutcome {
                data: Vec::new(),
                eof: false,
            });
        }
        let mut file = lock(&file);
        let hint = bytes_left(&mut file);
        io::read_bytes(&mut file, wanted, hint).map_err(|e| FileError::Read(e.into()))
    }

    /// `guest-file-write`: writes the first `count` bytes (default all) of
    /// the base64 data `buf_b64` at the current position.
    pub fn write(
        &self,
        handle: i64,
        buf_b64: &str,
        count: Option<i64>,
    ) -> Result<GuestFileWrite, FileError> {
        let file = self.find(handle)?;
        let data = base64::decode(buf_b64)?;
        let data = match count {
            None => data.as_slice(),
            Some(n) => usize::try_from(n)
                .ok()
                .and_then(|n| data.get(..n))
                .ok_or(FileError::InvalidCount(n))?,
        };
        if !data.is_empty() {
            io::write_all(&mut lock(&file), data).map_err(|e| FileError::Write(e.into()))?;
        }
        Ok(GuestFileWrite {
            count: i64::try_from(data.len()).unwrap_or(i64::MAX),
            eof: false,
        })
    }

    /// `guest-file-seek`: moves the position by `offset` from `whence` and
    /// reports the new position.
    pub fn seek(
        &self,
        handle: i64,
        offset: i64,
        whence: &GuestFileWhence,
    ) -> Result<GuestFileSeek, FileError> {
        let file = self.find(handle)?;
        let target = seek_target(offset, whence)?;
        let position = lock(&file)
            .seek(target)
            .map_err(|e| FileError::Seek(e.into()))?;
        Ok(GuestFileSeek {
            position: i64::try_from(position).unwrap_or(i64::MAX),
            eof: false,
        })
    }

    /// `guest-file-flush`: writes are unbuffered, so this only checks that
    /// the handle exists.
    pub fn flush(&self, handle: i64) -> Result<(), FileError> {
        self.find(handle).map(drop)
    }

    fn find(&self, handle: i64) -> Result<Arc<Mutex<File>>, FileError> {
        self.table()
            .get(&handle)
            .cloned()
            .ok_or(FileError::HandleNotFound(handle))
    }

    fn table(&self) -> MutexGuard<'_, HashMap<i64, Arc<Mutex<File>>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn lock(file: &Mutex<File>) -> MutexGuard<'_, File> {
    file.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The part of `text` before its first NUL, as C sees a string.
pub(crate) fn c_string(text: &str) -> &str {
    text.split('\0').next().unwrap_or_default()
}

/// Opens `path` for `mode`. A file that a writing mode creates is created
/// exclusively with [`NEW_FILE_MODE`]; if it already exists, it is opened
/// as it is.
fn open_file(path: &str, mode: OpenMode) -> Result<File, Errno> {
    let flags = mode.flags() | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = if mode.creates() {
        let new = Mode::from_raw_mode(NEW_FILE_MODE);
        match rustix::fs::open(path, flags | OFlags::CREATE | OFlags::EXCL, new) {
            Err(Errno::EXIST) => rustix::fs::open(path, flags, Mode::empty()),
            other => other,
        }
    } else {
        rustix::fs::open(path, flags, Mode::empty())
    }?;
    Ok(File::from(fd))
}

/// For a regular file, the bytes between the position and the end: the
/// likely size of a read to the end.
fn bytes_left(file: &mut File) -> Option<u64> {
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() == 0 {
        return None;
    }
    let position = file.stream_position().ok()?;
    Some(meta.len().saturating_sub(position))
}

/// The `lseek()` request for `offset` from `whence` (a name or the
/// protocol's codes 0, 1, 2).
fn seek_target(offset: i64, whence: &GuestFileWhence) -> Result<SeekFrom, FileError> {
    let code = match whence {
        GuestFileWhence::Name(QGASeek::Set) => 0,
        GuestFileWhence::Name(QGASeek::Cur) => 1,
        GuestFileWhence::Name(QGASeek::End) => 2,
        GuestFileWhence::Value(code) => *code,
    };
    match code {
        // lseek() refuses a negative absolute position with EINVAL.
        0 => u64::try_from(offset)
            .map(SeekFrom::Start)
            .map_err(|_| FileError::Seek(std::io::Error::from(Errno::INVAL).into())),
        1 => Ok(SeekFrom::Current(offset)),
        2 => Ok(SeekFrom::End(offset)),
        other => Err(FileError::InvalidWhence(other)),
    }
}
