//! `-m unix-listen`: a listening unix socket at `-p PATH`.
//!
//! Differences from qemu-ga, on purpose:
//!
//! - qemu-ga unlinks whatever is at the path before binding: a regular
//!   file given by mistake is destroyed, and a second agent on the same path
//!   silently takes it over from the first. We remove only a *stale*
//!   socket (one nobody accepts connections on). Anything else at the path
//!   is an error.
//! - qemu-ga leaves its socket file behind when it exits. We remove it
//!   when the [`UnixSocket`] is dropped, if the path still names our
//!   socket.
//!
//! The socket's mode is qemu-ga's: no explicit `chmod`, so 0777 less the
//! umask (0755 under the usual 022; 0700 when daemonized, as the daemon
//! sets umask 077 before opening the channel, as qemu-ga 7.2 does).
//! Connecting needs write permission, so only the owner (root) can talk to
//! the agent either way.

use super::TransportError;
use std::fs;
use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

/// A bound, listening, non-blocking unix socket that removes its file
/// when dropped.
#[derive(Debug)]
pub struct UnixSocket {
    listener: UnixListener,
    path: PathBuf,
    /// Device and inode of the socket file we created.
    identity: (u64, u64),
}

fn bind_error(path: &Path, source: io::Error) -> TransportError {
    TransportError::Bind {
        path: path.display().to_string(),
        source,
    }
}

/// Clears the way for binding at `path`: nothing there, or a stale socket
/// (removed). A live socket or any other kind of file is an error.
fn clear_stale(path: &Path) -> Result<(), TransportError> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(bind_error(path, e)),
    };
    if !metadata.file_type().is_socket() {
        return Err(TransportError::NotASocket {
            path: path.display().to_string(),
        });
    }
    match UnixStream::connect(path) {
        Ok(_) => Err(bind_error(
            path,
            io::Error::from_raw_os_error(libc::EADDRINUSE),
        )),
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            fs::remove_file(path).or_else(|e| {
                if e.kind() == io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(bind_error(path, e))
                }
            })
        }
        Err(e) => Err(bind_error(path, e)),
    }
}

impl UnixSocket {
    /// Binds and listens at `path`, replacing a stale socket only.
    pub fn bind(path: impl Into<PathBuf>) -> Result<Self, TransportError> {
        let path = path.into();
        clear_stale(&path)?;
        let listener = UnixListener::bind(&path).map_err(|e| bind_error(&path, e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| bind_error(&path, e))?;
        let metadata = fs::symlink_metadata(&path).map_err(|e| bind_error(&path, e))?;
        Ok(UnixSocket {
            listener,
            path,
            identity: (metadata.dev(), metadata.ino()),
        })
    }

    /// The listening socket.
    pub fn listener(&self) -> &UnixListener {
        &self.listener
    }

    /// The socket's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl AsFd for UnixSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.listener.as_fd()
    }
}

impl Drop for UnixSocket {
    fn drop(&mut self) {
        let ours = fs::symlink_metadata(&self.path)
            .map(|m| (m.dev(), m.ino()) == self.identity)
            .unwrap_or(false);
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn binds_and_removes_its_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qga.sock");
        let socket = UnixSocket::bind(&path).unwrap();
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_socket());
        UnixStream::connect(&path).unwrap();
        drop(socket);
        assert!(!path.exists());
    }

    #[test]
    fn mode_follows_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qga.sock");
        let _socket = UnixSocket::bind(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let umask = nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o022));
        nix::sys::stat::umask(umask);
        assert_eq!(mode, 0o777 & !(umask.bits() & 0o777));
    }

    #[test]
    fn replaces_a_stale_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qga.sock");
        drop(UnixListener::bind(&path).unwrap());
        assert!(path.exists());
        let _socket = UnixSocket::bind(&path).unwrap();
        UnixStream::connect(&path).unwrap();
    }

    #[test]
    fn refuses_a_live_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qga.sock");
        let first = UnixSocket::bind(&path).unwrap();
        let err = UnixSocket::bind(&path).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Failed to bind socket to {}: Address already in use",
                path.display()
            )
        );
        drop(first);
    }

    #[test]
    fn never_unlinks_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("precious");
        fs::write(&path, "data").unwrap();
        let err = UnixSocket::bind(&path).unwrap_err();
        assert!(matches!(err, TransportError::NotASocket { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "data");
    }

    #[test]
    fn missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope/qga.sock");
        let err = UnixSocket::bind(&path).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Failed to bind socket to {}: No such file or directory",
                path.display()
            )
        );
    }

    #[test]
    fn leaves_a_replacement_socket_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qga.sock");
        let socket = UnixSocket::bind(&path).unwrap();
        fs::remove_file(&path).unwrap();
        let other = UnixListener::bind(&path).unwrap();
        drop(socket);
        assert!(path.exists(), "removed a socket that was not ours");
        drop(other);
    }
}
