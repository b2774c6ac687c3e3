//! The backends the commands call, built for the running system.

use crate::backend::exec::Processes;
use crate::backend::files::GuestFiles;
use crate::backend::freeze::{FreezeOptions, Freezer, FsControl, ToolControl};
use crate::backend::fs::{Storage, Trimmer};
use crate::config::Config;
use crate::daemon::Frozen;
use crate::state::StateDir;
use std::path::PathBuf;
use std::sync::Arc;

/// The filesystem root the backends work on.
const ROOT: &str = "/";

/// One instance of each backend, shared by every call.
#[derive(Debug)]
pub(super) struct Backends {
    /// `guest-file-*`: the open files.
    pub(super) files: GuestFiles,
    /// Where `guest-file-open` takes its handles from: the state
    /// directory's persistent counter.
    pub(super) handles: Arc<StateDir>,
    /// `guest-exec`, `guest-exec-status`: the children.
    pub(super) processes: Processes,
    /// `guest-fsfreeze-*`; its marker is the agent's frozen mode.
    pub(super) freezer: Freezer,
    /// `guest-get-fsinfo`, `-disks`, `-diskstats`, `-cpustats`.
    pub(super) storage: Storage,
    /// `guest-fstrim`.
    pub(super) trimmer: Trimmer,
}

impl Backends {
    /// The backends of the running system for `config` (`-F`,
    /// `--freeze-timeout`), entering and leaving `frozen` mode as they
    /// freeze and thaw, with file handles from `state`.
    pub(super) fn system(config: &Config, frozen: Arc<Frozen>, state: Arc<StateDir>) -> Self {
        let control: Arc<dyn FsControl> = Arc::new(ToolControl::default());
        let options = FreezeOptions::new(
            config.fsfreeze_hook.as_ref().map(PathBuf::from),
            config.freeze_timeout,
        );
        Backends {
            files: GuestFiles::new(),
            handles: state,
            processes: Processes::new(),
            freezer: Freezer::new(ROOT, control.clone(), Box::new(frozen), options),
            storage: Storage::new(ROOT),
            trimmer: Trimmer::new(ROOT, control),
        }
    }
}
