//! `guest-get-host-name`, `guest-get-osinfo` and `guest-get-load`.
//!
//! Where this differs from qemu-ga 10.x: the load averages come from
//! `/proc/loadavg` (what glibc's `getloadavg` reads), so a malformed file
//! gives `cannot query load average` with no system error text.

use std::path::PathBuf;

use qga_generated::{GuestHostName, GuestLoadAverage, GuestOSInfo};

use crate::sys::identity::{hostname, uname, Uname};
use crate::sys::loadavg::read_loadavg;
use crate::sys::osrelease::{read_os_release, OsRelease};
use crate::sys::SysError;

/// Why `guest-get-load` failed, in qemu-ga's words.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// `/proc/loadavg` could not be read or parsed.
    #[error("cannot query load average{}", reason(.0))]
    Load(SysError),
}

fn reason(e: &SysError) -> String {
    match e {
        SysError::Io { source, .. } => format!(": {}", crate::log::strerror(source)),
        SysError::Format { .. } => String::new(),
    }
}

/// The guest's identity, read below a root directory.
#[derive(Debug, Clone)]
pub struct Identity {
    root: PathBuf,
}

impl Identity {
    /// Reads files below `root` (`/` in production).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Identity { root: root.into() }
    }

    /// `guest-get-host-name`.
    pub fn host_name(&self) -> GuestHostName {
        GuestHostName {
            host_name: hostname(),
        }
    }

    /// `guest-get-osinfo`: `uname(2)` and os-release. An os-release file
    /// that is missing or unreadable only leaves its members out.
    pub fn osinfo(&self) -> GuestOSInfo {
        let release = read_os_release(&self.root).ok().flatten();
        osinfo_from(uname(), release.as_ref())
    }

    /// `guest-get-load`.
    pub fn load(&self) -> Result<GuestLoadAverage, IdentityError> {
        let l = read_loadavg(&self.root).map_err(IdentityError::Load)?;
        Ok(GuestLoadAverage {
            load1m: l.load1,
            load5m: l.load5,
            load15m: l.load15,
        })
    }
}

/// The `guest-get-osinfo` reply for these kernel and os-release values.
pub fn osinfo_from(u: Uname, release: Option<&OsRelease>) -> GuestOSInfo {
    let field = |key: &str| release.and_then(|r| r.get(key)).map(str::to_string);
    GuestOSInfo {
        kernel_release: Some(u.release),
        kernel_version: Some(u.version),
        machine: Some(u.machine),
        id: field("ID"),
        name: field("NAME"),
        pretty_name: field("PRETTY_NAME"),
        version: field("VERSION"),
        version_id: field("VERSION_ID"),
        variant: field("VARIANT"),
        variant_id: field("VARIANT_ID"),
    }
}

#[cfg(test)]
pub(crate) mod oracle;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod tests;
