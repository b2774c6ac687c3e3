//! The backends the commands call, built for the running system.

use crate::backend::cpu::Vcpus;
use crate::backend::exec::Processes;
use crate::backend::files::GuestFiles;
use crate::backend::freeze::{FreezeOptions, Freezer, FsControl, KernelControl};
use crate::backend::fs::{Storage, Trimmer};
use crate::backend::identity::Identity;
use crate::backend::memory::MemoryBlocks;
use crate::backend::net::Network;
use crate::backend::power::{runner::SystemRunner, KernelReboot, Power};
use crate::backend::ssh::{store::SystemOwner, Ssh};
use crate::backend::suspend::{self, Suspender};
use crate::backend::time::{SystemClock, Time};
use crate::backend::users::Users;
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
    /// `guest-get-time`, `guest-set-time`, `guest-get-timezone`.
    pub(super) time: Time,
    /// `guest-get-host-name`, `guest-get-osinfo`, `guest-get-load`.
    pub(super) identity: Identity,
    /// `guest-get-users`, `guest-set-user-password`.
    pub(super) users: Users,
    /// `guest-ssh-*-authorized-keys`.
    pub(super) ssh: Ssh,
    /// `guest-shutdown`.
    pub(super) power: Power,
    /// `guest-network-get-interfaces`, `guest-network-get-route`.
    pub(super) network: Network,
    /// `guest-get-vcpus`, `guest-set-vcpus`.
    pub(super) vcpus: Vcpus,
    /// `guest-get-memory-blocks`, `guest-set-memory-blocks`,
    /// `guest-get-memory-block-info`.
    pub(super) memory: MemoryBlocks,
    /// `guest-suspend-disk`, `-ram`, `-hybrid`.
    pub(super) suspender: Suspender,
}

impl Backends {
    /// The backends of the running system for `config` (`-F`,
    /// `--freeze-timeout`), entering and leaving `frozen` mode as they
    /// freeze and thaw, with file handles from `state`.
    pub(super) fn system(config: &Config, frozen: Arc<Frozen>, state: Arc<StateDir>) -> Self {
        let control: Arc<dyn FsControl> = Arc::new(KernelControl);
        // shutdown, hwclock and chpasswd share one way of running programs.
        let runner = Arc::new(SystemRunner);
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
            time: Time::new(
                ROOT,
                Arc::new(SystemClock),
                runner.clone(),
                std::env::var("TZ").ok(),
            ),
            identity: Identity::new(ROOT),
            users: Users::new(ROOT, runner.clone()),
            ssh: Ssh::new(ROOT, Arc::new(SystemOwner)),
            power: Power::new(ROOT, runner, Arc::new(KernelReboot)),
            network: Network::new(ROOT),
            vcpus: Vcpus::new(ROOT),
            memory: MemoryBlocks::new(ROOT),
            suspender: Suspender::new(ROOT, Arc::new(suspend::SystemRunner)),
        }
    }
}
