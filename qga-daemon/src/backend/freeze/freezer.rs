//! The freeze state machine: freeze in reverse mount order, thaw in mount
//! order, the hook around both, the frozen flag and marker, the rollback
//! of a freeze that fails half way, and the optional auto-thaw watchdog.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use qga_generated::GuestFsfreezeStatus;

use super::control::{FsControl, FsOpError, EBUSY, EOPNOTSUPP};
use super::error::FreezeError;
use super::hook::{run_hook, HookArg};
use super::marker::FrozenMarker;
use crate::backend::fs::mounts::{mount_list, mount_path};
use crate::sys::mountinfo::FsMount;

/// How many times one filesystem is thawed at most: qemu-ga repeats
/// `FITHAW` until it fails, to undo nested freezes.
const MAX_THAW_ROUNDS: usize = 16;

/// Settings of the freeze commands.
#[derive(Debug, Clone, Default)]
pub struct FreezeOptions {
    /// The fsfreeze hook script (`-F`), if enabled.
    pub hook: Option<PathBuf>,
    /// Thaw automatically after this long unless a thaw comes first
    /// (`--freeze-timeout`); `None` (the default) never does.
    pub auto_thaw: Option<Duration>,
}

impl FreezeOptions {
    /// The options as the command line and configuration give them: the
    /// hook path (`-F`) and `--freeze-timeout` in seconds, 0 meaning off.
    pub fn new(hook: Option<PathBuf>, freeze_timeout_seconds: Option<u32>) -> Self {
        FreezeOptions {
            hook,
            auto_thaw: freeze_timeout_seconds
                .filter(|&s| s != 0)
                .map(|s| Duration::from_secs(u64::from(s))),
        }
    }
}

/// The backend of `guest-fsfreeze-status`, `-freeze`, `-freeze-list` and
/// `-thaw`. Operations are serialised; the status is readable at any time.
#[derive(Debug)]
pub struct Freezer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    root: PathBuf,
    control: Arc<dyn FsControl>,
    marker: Box<dyn FrozenMarker>,
    options: FreezeOptions,
    frozen: AtomicBool,
    op: Mutex<OpState>,
    wake: Condvar,
}

/// State changed only under the operation lock.
#[derive(Debug, Default)]
struct OpState {
    /// Bumped by every freeze and thaw, so that a watchdog armed by an
    /// older freeze stands down.
    epoch: u64,
    /// How many times the watchdog thawed.
    auto_thaws: u64,
}

impl Freezer {
    /// A freezer over the mount table below `root`. It starts frozen when
    /// `marker` is present (a previous agent exited with filesystems
    /// frozen).
    pub fn new(
        root: impl Into<PathBuf>,
        control: Arc<dyn FsControl>,
        marker: Box<dyn FrozenMarker>,
        options: FreezeOptions,
    ) -> Self {
        let frozen = marker.is_set();
        Freezer {
            inner: Arc::new(Inner {
                root: root.into(),
                control,
                marker,
                options,
                frozen: AtomicBool::new(frozen),
                op: Mutex::new(OpState::default()),
                wake: Condvar::new(),
            }),
        }
    }

    /// Whether the agent considers the filesystems frozen.
    pub fn is_frozen(&self) -> bool {
        self.inner.frozen.load(Ordering::SeqCst)
    }

    /// `guest-fsfreeze-status`.
    pub fn status(&self) -> GuestFsfreezeStatus {
        if self.is_frozen() {
            GuestFsfreezeStatus::Frozen
        } else {
            GuestFsfreezeStatus::Thawed
        }
    }

    /// `guest-fsfreeze-freeze`: freezes every local filesystem; returns how
    /// many were frozen.
    pub fn freeze(&self) -> Result<i64, FreezeError> {
        self.freeze_list(None)
    }

    /// `guest-fsfreeze-freeze-list`: freezes the local filesystems mounted
    /// at `mountpoints` (all of them when `None`). Names that are not a
    /// local mount point are ignored, as qemu-ga does.
    pub fn freeze_list(&self, mountpoints: Option<&[String]>) -> Result<i64, FreezeError> {
        let inner = &self.inner;
        let mut st = inner.lock();
        if inner.frozen.load(Ordering::SeqCst) {
            return Err(FreezeError::AlreadyFrozen);
        }
        if let Some(hook) = &inner.options.hook {
            run_hook(hook, HookArg::Freeze)?;
        }
        let mounts = mount_list(&inner.root)?;
        // Frozen from here on, so that nothing the agent does writes to a
        // filesystem being frozen.
        inner.set_frozen(&mut st);
        match inner.freeze_mounts(&mounts, mountpoints) {
            Ok(0) => {
                inner.clear_frozen(&mut st);
                Ok(0)
            }
            Ok(count) => {
                if let Some(timeout) = inner.options.auto_thaw.filter(|t| !t.is_zero()) {
                    Inner::arm_watchdog(inner, st.epoch, timeout);
                }
                Ok(count)
            }
            Err(e) => {
                // Best effort, as qemu-ga: the freeze error is the one
                // reported.
                let _ = inner.thaw_locked(&mut st);
                Err(e)
            }
        }
    }

    /// `guest-fsfreeze-thaw`: thaws every local filesystem and returns how
    /// many were thawed; the hook runs afterwards even when nothing was
    /// frozen.
    pub fn thaw(&self) -> Result<i64, FreezeError> {
        let mut st = self.inner.lock();
        self.inner.thaw_locked(&mut st)
    }

    /// How many times the auto-thaw watchdog has thawed.
    pub fn auto_thaw_count(&self) -> u64 {
        self.inner.lock().auto_thaws
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, OpState> {
        self.op.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the flag and the marker. A marker that cannot be written is
    /// not an error (qemu-ga only logs it).
    fn set_frozen(&self, st: &mut OpState) {
        st.epoch = st.epoch.wrapping_add(1);
        self.frozen.store(true, Ordering::SeqCst);
        let _ = self.marker.set();
    }

    fn clear_frozen(&self, st: &mut OpState) {
        st.epoch = st.epoch.wrapping_add(1);
        self.frozen.store(false, Ordering::SeqCst);
        let _ = self.marker.clear();
        self.wake.notify_all();
    }

    fn freeze_mounts(
        &self,
        mounts: &[FsMount],
        mountpoints: Option<&[String]>,
    ) -> Result<i64, FreezeError> {
        let mut count = 0;
        for mount in mounts.iter().rev() {
            if let Some(wanted) = mountpoints {
                if !wanted
                    .iter()
                    .any(|p| mount.dir.as_os_str() == OsStr::new(p))
                {
                    continue;
                }
            }
            let dir = || mount.dir.to_string_lossy().into_owned();
            match self.control.freeze(&mount_path(&self.root, &mount.dir)) {
                Ok(()) => count += 1,
                Err(e) if matches!(e.request_errno(), Some(EOPNOTSUPP | EBUSY)) => {}
                Err(FsOpError::Open(source)) => {
                    return Err(FreezeError::Open { dir: dir(), source })
                }
                Err(FsOpError::Request(source)) => {
                    return Err(FreezeError::Freeze { dir: dir(), source })
                }
            }
        }
        Ok(count)
    }

    /// Thaws one filesystem until the kernel says it is not frozen;
    /// whether the first attempt succeeded.
    fn thaw_mount(&self, path: &Path) -> bool {
        let mut thawed = false;
        for _ in 0..MAX_THAW_ROUNDS {
            if self.control.thaw(path).is_err() {
                break;
            }
            thawed = true;
        }
        thawed
    }

    fn thaw_locked(&self, st: &mut OpState) -> Result<i64, FreezeError> {
        let mounts = mount_list(&self.root)?;
        let count = mounts
            .iter()
            .filter(|m| self.thaw_mount(&mount_path(&self.root, &m.dir)))
            .count();
        self.clear_frozen(st);
        if let Some(hook) = &self.options.hook {
            run_hook(hook, HookArg::Thaw)?;
        }
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }

    /// Starts a thread that thaws after `timeout` unless the state moved on
    /// from `epoch` first.
    fn arm_watchdog(inner: &Arc<Inner>, epoch: u64, timeout: Duration) {
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            return;
        };
        let inner = Arc::clone(inner);
        // Without a thread there is no auto-thaw; the freeze itself stands.
        let _ = thread::Builder::new()
            .name("fsfreeze-watchdog".into())
            .spawn(move || inner.watch(epoch, deadline));
    }

    fn watch(&self, epoch: u64, deadline: Instant) {
        let mut st = self.lock();
        loop {
            if st.epoch != epoch {
                return;
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            st = match self.wake.wait_timeout(st, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        st.auto_thaws += 1;
        let _ = self.thaw_locked(&mut st);
    }
}
