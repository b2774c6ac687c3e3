//! Why a vCPU command failed, with qemu-ga's texts.

use std::io;

use crate::sys::SysError;

/// The directory of the logical CPUs.
pub const CPU_DIR: &str = "/sys/devices/system/cpu";

/// A failed vCPU command; `Display` is qemu-ga's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcpuError {
    /// The CPU directory cannot be listed.
    #[error("failed to list entries: {CPU_DIR}: {reason}")]
    List {
        /// `strerror` of the failure.
        reason: String,
    },
    /// A system call on a CPU's directory or state file failed.
    #[error("{op}(\"{path}\"): {reason}")]
    Io {
        /// The call (`open`, `pread`, `pwrite`).
        op: &'static str,
        /// The path as qemu-ga writes it.
        path: String,
        /// `strerror` of the failure.
        reason: String,
    },
    /// The state file is empty.
    #[error("pread(\"{path}\"): unexpected EOF")]
    Eof {
        /// The path as qemu-ga writes it.
        path: String,
    },
    /// Offlining was asked for a CPU that has no `online` file.
    #[error("logical processor #{0} can't be offlined")]
    CannotOffline(i64),
}

/// `strerror` of an I/O error, also for errors built from a kind alone.
pub fn reason(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(_) => crate::log::strerror(error),
        None if error.kind() == io::ErrorKind::NotFound => {
            crate::log::strerror(&io::Error::from_raw_os_error(libc::ENOENT))
        }
        None => error.to_string(),
    }
}

fn dir_of(id: i64) -> String {
    format!("{CPU_DIR}/cpu{id}/")
}

fn online_file_of(id: i64) -> String {
    format!("{}/online", dir_of(id))
}

impl VcpuError {
    /// The CPU directory could not be listed.
    pub fn list(e: &SysError) -> Self {
        VcpuError::List {
            reason: sys_reason(e),
        }
    }

    /// CPU `id` has no directory.
    pub fn missing_dir(id: i64) -> Self {
        VcpuError::Io {
            op: "open",
            path: dir_of(id),
            reason: reason(&io::Error::from_raw_os_error(libc::ENOENT)),
        }
    }

    /// A reader's failure on CPU `id`, with qemu-ga's path for the file
    /// involved.
    pub fn from_sys(id: i64, e: &SysError) -> Self {
        match e {
            SysError::Io { op, path, source } => {
                let on_file = path.file_name().is_some_and(|n| n == "online");
                VcpuError::Io {
                    op,
                    path: if on_file {
                        online_file_of(id)
                    } else {
                        dir_of(id)
                    },
                    reason: reason(source),
                }
            }
            SysError::Format { .. } => VcpuError::Eof {
                path: online_file_of(id),
            },
        }
    }
}

fn sys_reason(e: &SysError) -> String {
    match e {
        SysError::Io { source, .. } => reason(source),
        SysError::Format { message, .. } => message.clone(),
    }
}
