//! The [`Commands`] implementation: one thin method per command.
//!
//! This `impl` is the one place where commands are wired to their
//! backends: each method calls its backend and maps the backend's error to
//! a `GenericError` carrying its text ([`failed`]). A command not
//! implemented here keeps the trait's default body, which answers `this
//! feature or command is not currently supported` (after the generated
//! code has checked its arguments).

use super::{info, Agent};
use qga_generated::{
    qapi, Commands, GuestAgentInfo, GuestCpuStats, GuestDiskInfo, GuestDiskStatsInfo,
    GuestFilesystemInfo, GuestFilesystemTrimResponse, GuestFsfreezeStatus,
};
use std::fmt::Display;

/// One call on the shared [`Agent`]: the generated trait takes
/// `&mut self`, while the agent is shared by every client thread.
pub(super) struct Call<'a>(pub(super) &'a Agent);

/// A backend's failure as the reply carries it: its message, as a
/// `GenericError`.
fn failed(error: impl Display) -> qapi::Error {
    qapi::Error::generic(error.to_string())
}

impl Commands for Call<'_> {
    // Core: no backend.

    fn guest_sync_delimited(&mut self, id: i64) -> Result<i64, qapi::Error> {
        // The handler puts the 0xFF sentinel before this reply.
        Ok(id)
    }

    fn guest_sync(&mut self, id: i64) -> Result<i64, qapi::Error> {
        Ok(id)
    }

    fn guest_ping(&mut self) -> Result<(), qapi::Error> {
        Ok(())
    }

    fn guest_info(&mut self) -> Result<GuestAgentInfo, qapi::Error> {
        Ok(info::agent_info(&self.0.gate))
    }

    // Freeze: backend::freeze.

    fn guest_fsfreeze_status(&mut self) -> Result<GuestFsfreezeStatus, qapi::Error> {
        Ok(self.0.backends.freezer.status())
    }

    fn guest_fsfreeze_freeze(&mut self) -> Result<i64, qapi::Error> {
        self.0.backends.freezer.freeze().map_err(failed)
    }

    fn guest_fsfreeze_freeze_list(
        &mut self,
        mountpoints: Option<Vec<String>>,
    ) -> Result<i64, qapi::Error> {
        self.0
            .backends
            .freezer
            .freeze_list(mountpoints.as_deref())
            .map_err(failed)
    }

    fn guest_fsfreeze_thaw(&mut self) -> Result<i64, qapi::Error> {
        self.0.backends.freezer.thaw().map_err(failed)
    }

    // Filesystems and disks: backend::fs.

    fn guest_fstrim(
        &mut self,
        minimum: Option<i64>,
    ) -> Result<GuestFilesystemTrimResponse, qapi::Error> {
        self.0.backends.trimmer.fstrim(minimum).map_err(failed)
    }

    fn guest_get_fsinfo(&mut self) -> Result<Vec<GuestFilesystemInfo>, qapi::Error> {
        self.0.backends.storage.fsinfo().map_err(failed)
    }

    fn guest_get_disks(&mut self) -> Result<Vec<GuestDiskInfo>, qapi::Error> {
        self.0.backends.storage.disks().map_err(failed)
    }

    fn guest_get_diskstats(&mut self) -> Result<Vec<GuestDiskStatsInfo>, qapi::Error> {
        self.0.backends.storage.diskstats().map_err(failed)
    }

    fn guest_get_cpustats(&mut self) -> Result<Vec<GuestCpuStats>, qapi::Error> {
        self.0.backends.storage.cpustats().map_err(failed)
    }
}
