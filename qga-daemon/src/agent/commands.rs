//! The [`Commands`] implementation: one thin method per command. The
//! trait takes `&self`: the agent is shared by every client thread.
//!
//! This `impl` is the one place where commands are wired to their
//! backends: each method calls its backend and maps the backend's error to
//! a `GenericError` carrying its text ([`failed`]). Every command of the
//! schema is wired here, but one: `guest-get-devices` lists the devices
//! of a Windows guest and exists only there (`if: CONFIG_WIN32`). Its
//! method is generated for Windows builds only, where it keeps the
//! trait's default body (`this feature or command is not currently
//! supported`); on Linux the command is not registered at all and answers
//! `CommandNotFound`, as qemu-ga 10.x does.
//!
//! `guest-shutdown` and `guest-suspend-*` have no success response: when
//! they return `Ok` the generated handler sends nothing.

use super::{audit, info, Agent};
use crate::backend::files::{base64, FileError, ReadOutcome};
use crate::backend::suspend::SuspendMode;
use qga_generated::{
    qapi, Commands, GuestAgentInfo, GuestAuthorizedKeys, GuestCpuStats, GuestDiskInfo,
    GuestDiskStatsInfo, GuestExec, GuestExecArg, GuestExecCaptureOutput, GuestExecStatus,
    GuestFileRead, GuestFileSeek, GuestFileWhence, GuestFileWrite, GuestFilesystemInfo,
    GuestFilesystemTrimResponse, GuestFsfreezeStatus, GuestHostName, GuestLoadAverage,
    GuestLogicalProcessor, GuestMemoryBlock, GuestMemoryBlockInfo, GuestMemoryBlockResponse,
    GuestNetworkInterface, GuestNetworkRoute, GuestOSInfo, GuestTimezone, GuestUser,
};
use std::fmt::Display;

/// The mode `guest-file-open` uses when none is given.
const DEFAULT_OPEN_MODE: &str = "r";

/// The mode `guest-shutdown` uses when none is given.
const DEFAULT_SHUTDOWN_MODE: &str = "powerdown";

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
        audit::ping();
        Ok(())
    }

    fn guest_info(&self) -> Result<GuestAgentInfo, qapi::Error> {
        Ok(info::agent_info(&self.gate))
    }

    // Files: backend::files.

    fn guest_file_open(&self, path: String, mode: Option<String>) -> Result<i64, qapi::Error> {
        audit::file_open(&path, mode.as_deref().unwrap_or(DEFAULT_OPEN_MODE));
        let b = &self.backends;
        let handle = b
            .files
            .open(b.handles.as_ref(), &path, mode.as_deref())
            .map_err(failed)?;
        audit::file_opened(handle);
        Ok(handle)
    }

    fn guest_file_close(&self, handle: i64) -> Result<(), qapi::Error> {
        audit::file_close(handle);
        self.backends.files.close(handle).map_err(failed)
    }

    /// The typed form; requests from the wire take `Agent::read_file`
    /// instead, whose reply is streamed.
    fn guest_file_read(
        &self,
        handle: i64,
        count: Option<i64>,
    ) -> Result<GuestFileRead, qapi::Error> {
        let read = self.read_file(handle, count)?;
        Ok(GuestFileRead {
            count: i64::try_from(read.data.len()).unwrap_or(i64::MAX),
            buf_b64: base64::encode(&read.data),
            eof: read.eof,
        })
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
            .inspect_err(|e| {
                if matches!(e, FileError::Write(_)) {
                    audit::file_write_failed(handle);
                }
            })
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
        audit::exec(&path, arg.as_deref().unwrap_or_default());
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
        audit::exec_status(pid);
        self.backends.processes.status(pid).map_err(failed)
    }

    // Freeze: backend::freeze.

    fn guest_fsfreeze_status(&self) -> Result<GuestFsfreezeStatus, qapi::Error> {
        Ok(self.backends.freezer.status())
    }

    fn guest_fsfreeze_freeze(&self) -> Result<i64, qapi::Error> {
        audit::fsfreeze();
        self.backends.freezer.freeze().map_err(failed)
    }

    fn guest_fsfreeze_freeze_list(
        &self,
        mountpoints: Option<Vec<String>>,
    ) -> Result<i64, qapi::Error> {
        audit::fsfreeze();
        self.backends
            .freezer
            .freeze_list(mountpoints.as_deref())
            .map_err(failed)
    }

    fn guest_fsfreeze_thaw(&self) -> Result<i64, qapi::Error> {
        audit::fsfreeze_thaw();
        self.backends.freezer.thaw().map_err(failed)
    }

    // Filesystems and disks: backend::fs.

    fn guest_fstrim(
        &self,
        minimum: Option<i64>,
    ) -> Result<GuestFilesystemTrimResponse, qapi::Error> {
        audit::fstrim();
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

    // Clock and time zone: backend::time.

    fn guest_get_time(&self) -> Result<i64, qapi::Error> {
        Ok(self.backends.time.get_time())
    }

    fn guest_set_time(&self, time: Option<i64>) -> Result<(), qapi::Error> {
        audit::set_time(time);
        self.backends.time.set_time(time).map_err(failed)
    }

    fn guest_get_timezone(&self) -> Result<GuestTimezone, qapi::Error> {
        Ok(self.backends.time.timezone())
    }

    // Identity: backend::identity.

    fn guest_get_host_name(&self) -> Result<GuestHostName, qapi::Error> {
        Ok(self.backends.identity.host_name())
    }

    fn guest_get_osinfo(&self) -> Result<GuestOSInfo, qapi::Error> {
        Ok(self.backends.identity.osinfo())
    }

    fn guest_get_load(&self) -> Result<GuestLoadAverage, qapi::Error> {
        self.backends.identity.load().map_err(failed)
    }

    // Users and their keys: backend::users, backend::ssh.

    fn guest_get_users(&self) -> Result<Vec<GuestUser>, qapi::Error> {
        Ok(self.backends.users.users())
    }

    fn guest_set_user_password(
        &self,
        username: String,
        password: String,
        crypted: bool,
    ) -> Result<(), qapi::Error> {
        audit::set_user_password(&username, crypted);
        self.backends
            .users
            .set_password(&username, &password, crypted)
            .map_err(failed)
    }

    fn guest_ssh_get_authorized_keys(
        &self,
        username: String,
    ) -> Result<GuestAuthorizedKeys, qapi::Error> {
        self.backends.ssh.get(&username).map_err(failed)
    }

    fn guest_ssh_add_authorized_keys(
        &self,
        username: String,
        keys: Vec<String>,
        reset: Option<bool>,
    ) -> Result<(), qapi::Error> {
        audit::ssh_add_keys(&username, keys.len(), reset.unwrap_or(false));
        self.backends
            .ssh
            .add(&username, &keys, reset.unwrap_or(false))
            .map_err(failed)
    }

    fn guest_ssh_remove_authorized_keys(
        &self,
        username: String,
        keys: Vec<String>,
    ) -> Result<(), qapi::Error> {
        audit::ssh_remove_keys(&username, keys.len());
        self.backends.ssh.remove(&username, &keys).map_err(failed)
    }

    // Network: backend::net.

    fn guest_network_get_interfaces(&self) -> Result<Vec<GuestNetworkInterface>, qapi::Error> {
        self.backends.network.interfaces().map_err(failed)
    }

    fn guest_network_get_route(&self) -> Result<Vec<GuestNetworkRoute>, qapi::Error> {
        self.backends.network.routes().map_err(failed)
    }

    // CPUs and memory: backend::cpu, backend::memory.

    fn guest_get_vcpus(&self) -> Result<Vec<GuestLogicalProcessor>, qapi::Error> {
        self.backends.vcpus.get().map_err(failed)
    }

    fn guest_set_vcpus(&self, vcpus: Vec<GuestLogicalProcessor>) -> Result<i64, qapi::Error> {
        self.backends.vcpus.set(&vcpus).map_err(failed)
    }

    fn guest_get_memory_blocks(&self) -> Result<Vec<GuestMemoryBlock>, qapi::Error> {
        self.backends.memory.get().map_err(failed)
    }

    fn guest_set_memory_blocks(
        &self,
        mem_blks: Vec<GuestMemoryBlock>,
    ) -> Result<Vec<GuestMemoryBlockResponse>, qapi::Error> {
        Ok(self.backends.memory.set(&mem_blks))
    }

    fn guest_get_memory_block_info(&self) -> Result<GuestMemoryBlockInfo, qapi::Error> {
        self.backends.memory.info().map_err(failed)
    }

    // Power: backend::power, backend::suspend. No reply on success.

    fn guest_shutdown(&self, mode: Option<String>) -> Result<(), qapi::Error> {
        audit::shutdown(mode.as_deref().unwrap_or(DEFAULT_SHUTDOWN_MODE));
        self.backends
            .power
            .shutdown(mode.as_deref())
            .map_err(failed)
    }

    fn guest_suspend_disk(&self) -> Result<(), qapi::Error> {
        audit::suspend("guest-suspend-disk");
        self.suspend(SuspendMode::Disk)
    }

    fn guest_suspend_ram(&self) -> Result<(), qapi::Error> {
        audit::suspend("guest-suspend-ram");
        self.suspend(SuspendMode::Ram)
    }

    fn guest_suspend_hybrid(&self) -> Result<(), qapi::Error> {
        audit::suspend("guest-suspend-hybrid");
        self.suspend(SuspendMode::Hybrid)
    }
}

impl Agent {
    /// `guest-file-read` without the base64 encoding: the bytes read,
    /// which the reply encodes as it is written.
    pub(super) fn read_file(
        &self,
        handle: i64,
        count: Option<i64>,
    ) -> Result<ReadOutcome, qapi::Error> {
        self.backends
            .files
            .read_data(handle, count)
            .inspect_err(|e| {
                if matches!(e, FileError::Read(_)) {
                    audit::file_read_failed(handle);
                }
            })
            .map_err(failed)
    }

    /// `guest-suspend-*` in `mode`.
    fn suspend(&self, mode: SuspendMode) -> Result<(), qapi::Error> {
        self.backends.suspender.suspend(mode).map_err(failed)
    }
}
