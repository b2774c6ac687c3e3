//! `guest-get-time`, `guest-set-time` and `guest-get-timezone`.
//!
//! Where this differs from qemu-ga 10.x:
//!
//! - `guest-get-time` has nanosecond resolution (qemu-ga: microseconds
//!   times 1000).
//! - `guest-set-time` checks the year (1970 to 2069) in UTC rather than in
//!   local time, and says `Invalid time` without the stale system error
//!   text qemu-ga appends. `hwclock` is looked for in `/sbin` then
//!   `/usr/sbin`; when neither has it, the error is the one qemu-ga gives
//!   for a missing `/sbin/hwclock`.
//! - `guest-get-timezone` reads the zone files itself (as glib does); an
//!   unusable `/etc/localtime` counts as UTC.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use qga_generated::GuestTimezone;

use super::power::runner::{find_program, run_action, CommandError, Runner, SystemRunner};
use crate::sys::tz::{local_zone, posix::days_from_civil};

const NANOS: i64 = 1_000_000_000;
const HWCLOCK: &[&str] = &["/sbin/hwclock", "/usr/sbin/hwclock"];
const HWCLOCK_ACTION: &str = "set hardware clock to system time";

/// The system clock; replaced by a fake in tests.
pub trait Clock: Send + Sync {
    /// Nanoseconds since the epoch.
    fn now_ns(&self) -> i64;
    /// Sets the clock to `ns` nanoseconds since the epoch.
    fn set_ns(&self, ns: i64) -> io::Result<()>;
}

/// The real [`Clock`]: `CLOCK_REALTIME`.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ns(&self) -> i64 {
        let ts = rustix::time::clock_gettime(rustix::time::ClockId::Realtime);
        ts.tv_sec.saturating_mul(NANOS).saturating_add(ts.tv_nsec)
    }

    fn set_ns(&self, ns: i64) -> io::Result<()> {
        let ts = rustix::time::Timespec {
            tv_sec: ns.div_euclid(NANOS),
            tv_nsec: ns.rem_euclid(NANOS),
        };
        rustix::time::clock_settime(rustix::time::ClockId::Realtime, ts).map_err(io::Error::from)
    }
}

/// Why `guest-set-time` failed, in qemu-ga's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The time is before 1970 or after 2069.
    #[error("Invalid time")]
    Invalid,
    /// The system clock refused the time.
    #[error("Failed to set time to guest: {0}")]
    Set(String),
    /// `hwclock` failed or is missing.
    #[error(transparent)]
    Hwclock(#[from] CommandError),
}

/// The clock and time zone of the guest.
pub struct Time {
    root: PathBuf,
    clock: Arc<dyn Clock>,
    runner: Arc<dyn Runner>,
    tz_env: Option<String>,
}

impl std::fmt::Debug for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Time")
            .field("root", &self.root)
            .field("tz_env", &self.tz_env)
            .finish()
    }
}

impl Time {
    /// Files and programs below `root`, the given clock and runner, and
    /// `tz_env` as the value of `TZ`.
    pub fn new(
        root: impl Into<PathBuf>,
        clock: Arc<dyn Clock>,
        runner: Arc<dyn Runner>,
        tz_env: Option<String>,
    ) -> Self {
        Time {
            root: root.into(),
            clock,
            runner,
            tz_env,
        }
    }

    /// The real system, with the agent's own `TZ`.
    pub fn system() -> Self {
        Time::new(
            "/",
            Arc::new(SystemClock),
            Arc::new(SystemRunner),
            std::env::var("TZ").ok(),
        )
    }

    /// `guest-get-time`: nanoseconds since the epoch.
    pub fn get_time(&self) -> i64 {
        self.clock.now_ns()
    }

    /// `guest-set-time`: with a time, sets the system clock then the RTC
    /// from it (`hwclock -w`); without, sets the system clock from the RTC
    /// (`hwclock -s`).
    pub fn set_time(&self, time: Option<i64>) -> Result<(), TimeError> {
        if let Some(ns) = time {
            let ns = valid_time(ns)?;
            self.clock
                .set_ns(ns)
                .map_err(|e| TimeError::Set(crate::log::strerror(&e)))?;
        }
        let flag = if time.is_some() { "-w" } else { "-s" };
        let Some(program) = find_program(&self.root, HWCLOCK) else {
            return Err(TimeError::Hwclock(CommandError::Exec {
                action: HWCLOCK_ACTION.to_string(),
                program: HWCLOCK[0].to_string(),
                reason: crate::log::strerror(&io::Error::from_raw_os_error(libc::ENOENT)),
            }));
        };
        run_action(
            self.runner.as_ref(),
            &program,
            &[flag],
            None,
            HWCLOCK_ACTION,
        )?;
        Ok(())
    }

    /// `guest-get-timezone`: the abbreviation and UTC offset in force.
    pub fn timezone(&self) -> GuestTimezone {
        let now = self.clock.now_ns().div_euclid(NANOS);
        match local_zone(&self.root, self.tz_env.as_deref(), now) {
            Ok(z) => GuestTimezone {
                zone: Some(z.abbreviation),
                offset: i64::from(z.utc_offset),
            },
            Err(_) => GuestTimezone {
                zone: Some("UTC".to_string()),
                offset: 0,
            },
        }
    }
}

/// `ns` cut to microseconds as qemu-ga does (toward zero), if it falls in
/// the years 1970 to 2069.
fn valid_time(ns: i64) -> Result<i64, TimeError> {
    let secs = ns / NANOS;
    let micros = (ns % NANOS) / 1000;
    let end = days_from_civil(2070, 1, 1) * 86_400;
    if ns < 0 || secs >= end {
        return Err(TimeError::Invalid);
    }
    Ok(secs * NANOS + micros * 1000)
}

#[cfg(test)]
mod tests;
