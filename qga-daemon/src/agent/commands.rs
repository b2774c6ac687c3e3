//! The [`Commands`] implementation: one thin method per command. The
//! trait takes `&self`: the agent is shared by every client thread.
//!
//! This `impl` is the one place where commands are wired to their
//! backends: each method calls its backend and maps the backend's error to
//! a `GenericError` carrying its text ([`failed`]). A command not
//! implemented here keeps the trait's default body, which answers `this
//! feature or command is not currently supported` (after the generated
//! code has checked its arguments).

use super::{info, Agent};
use qga_generated::{
    qapi, Commands, GuestAgentInfo, GuestCpuStats, GuestDiskInfo, GuestDiskStatsInfo, GuestExec,
    GuestExecArg, GuestExecCaptureOutput, GuestExecStatus, GuestFileRead, GuestFileSeek,
    GuestFileWhence, GuestFileWrite, GuestFilesystemInfo, GuestFilesystemTrimResponse,
    GuestFsfreezeStatus,
};
use std::fmt::Display;

/// A backend's failure as the reply carries it: its message, as a
/// `GenericError`.
fn failed(error: impl Display) -> qapi::Error {
    qapi::Error::generic(error.to_string())
}

impl Commands for Agent {
    /// `-b`/`-a` and frozen mode, checked before the arguments.
    fn gate(&self, command: &str) -> Result<(), qapi::Error> {
        self.gate.check(command)
    }

    // Core: no backend.

    fn guest_sync_delimited(&self, id: i64) -> Result<i64, qapi::Error> {
        // The handler puts the 0xFF sentinel before this reply.
        Ok(id)
    }

    fn guest_sync(&self, id: i64) -> Result<i64, qapi::Error> {
        Ok(id)
    }

    fn guest_ping(&self) -> Result<(), qapi::Error> {
        Ok(())
    }

    fn guest_info(&self) -> Result<GuestAgentInfo, qapi::Error> {
        Ok(info::agent_info(&self.gate))
    }

    // Files: backend::files.

    fn guest_file_open(&self, path: String, mode: Option<String>) -> Result<i64, qapi::Error> {
        let b = &self.backends;
        b.files
            .open(b.handles.as_ref(), &path, mode.as_deref())
            .map_err(failed)
    }

    fn guest_file_close(&self, handle: i64) -> Result<(), qapi::Error> {
        self.backends.files.close(handle).map_err(failed)
    }

    fn guest_file_read(
        &self,
        handle: i64,
        count: Option<i64>,
    ) -> Result<GuestFileRead, qapi::Error> {
        self.backends.files.read(handle, count).map_err(failed)
    }

    fn guest_file_write(
        &self,
        handle: i64,
        buf_b64: String,
        count: Option<i64>,
    ) -> Result<GuestFileWrite, qapi::Error> {
        self.backends
            .files
            .write(handle, &buf_b64, count)
            .map_err(failed)
    }

    fn guest_file_seek(
        &self,
        handle: i64,
        offset: i64,
        whence: GuestFileWhence,
    ) -> Result<GuestFileSeek, qapi::Error> {
        self.backends
            .files
            .seek(handle, offset, &whence)
            .map_err(failed)
    }

    fn guest_file_flush(&self, handle: i64) -> Result<(), qapi::Error> {
        self.backends.files.flush(handle).map_err(failed)
    }

    // Processes: backend::exec.

    fn guest_exec(
        &self,
        path: String,
        arg: Option<Vec<String>>,
        env: Option<Vec<String>>,
        input_data: Option<String>,
        capture_output: Option<GuestExecCaptureOutput>,
    ) -> Result<GuestExec, qapi::Error> {
        let request = GuestExecArg {
            path,
            arg,
            env,
            input_data,
            capture_output,
        };
        self.backends.processes.exec(request).map_err(failed)
    }

    fn guest_exec_status(&self, pid: i64) -> Result<GuestExecStatus, qapi::Error> {
        self.backends.processes.status(pid).map_err(failed)
    }

    // Freeze: backend::freeze.

    fn guest_fsfreeze_status(&self) -> Result<GuestFsfreezeStatus, qapi::Error> {
        Ok(self.backends.freezer.status())
    }

    fn guest_fsfreeze_freeze(&self) -> Result<i64, qapi::Error> {
        self.backends.freezer.freeze().map_err(failed)
    }

    fn guest_fsfreeze_freeze_list(
        &self,
        mountpoints: Option<Vec<String>>,
    ) -> Result<i64, qapi::Error> {
        self.backends
            .freezer
            .freeze_list(mountpoints.as_deref())
            .map_err(failed)
    }

    fn guest_fsfreeze_thaw(&self) -> Result<i64, qapi::Error> {
        self.backends.freezer.thaw().map_err(failed)
    }

    // Filesystems and disks: backend::fs.

    fn guest_fstrim(
        &self,
        minimum: Option<i64>,
    ) -> Result<GuestFilesystemTrimResponse, qapi::Error> {
        self.backends.trimmer.fstrim(minimum).map_err(failed)
    }

    fn guest_get_fsinfo(&self) -> Result<Vec<GuestFilesystemInfo>, qapi::Error> {
        self.backends.storage.fsinfo().map_err(failed)
    }

    fn guest_get_disks(&self) -> Result<Vec<GuestDiskInfo>, qapi::Error> {
        self.backends.storage.disks().map_err(failed)
    }

    fn guest_get_diskstats(&self) -> Result<Vec<GuestDiskStatsInfo>, qapi::Error> {
        self.backends.storage.diskstats().map_err(failed)
    }

    fn guest_get_cpustats(&self) -> Result<Vec<GuestCpuStats>, qapi::Error> {
        self.backends.storage.cpustats().map_err(failed)
    }
}
