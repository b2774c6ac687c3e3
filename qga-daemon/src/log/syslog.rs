//! Audit messages to the local syslog daemon: RFC 3164 lines sent as
//! datagrams to `/dev/log`, as glibc's `syslog()` sends them.
//!
//! A line is `<PRI>Mmm dd hh:mm:ss IDENT[PID]: MESSAGE`, with the
//! facility `daemon` and the severity `info`; like glibc, no host name is
//! written (the daemon adds its own). The time stamp is in UTC: local time
//! would need the C library's time zone code, and journald and rsyslog
//! stamp messages on receipt anyway.

use std::io;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the local syslog daemon listens.
pub const DEV_LOG: &str = "/dev/log";

/// syslog's `daemon` facility.
const FACILITY_DAEMON: u8 = 3;
/// syslog's `info` severity.
const SEVERITY_INFO: u8 = 6;

/// A connection to the syslog daemon's datagram socket.
#[derive(Debug)]
pub struct Syslog {
    path: PathBuf,
    socket: Option<UnixDatagram>,
    ident: String,
    pid: u32,
}

impl Syslog {
    /// Connects to the socket at `path`, naming messages `ident[pid]`.
    pub fn connect(path: &Path, ident: &str, pid: u32) -> io::Result<Self> {
        let socket = Self::open(path)?;
        Ok(Syslog {
            path: path.to_owned(),
            socket: Some(socket),
            ident: ident.to_owned(),
            pid,
        })
    }

    /// Connects to [`DEV_LOG`] as this process, named after `argv0`'s last
    /// component (glibc's default identity); `None` when there is no
    /// syslog daemon.
    pub fn for_process(argv0: &str) -> Option<Self> {
        let ident = Path::new(argv0)
            .file_name()
            .map_or_else(|| "qemu-ga".into(), |n| n.to_string_lossy());
        Self::connect(Path::new(DEV_LOG), &ident, std::process::id()).ok()
    }

    fn open(path: &Path) -> io::Result<UnixDatagram> {
        let socket = UnixDatagram::unbound()?;
        socket.connect(path)?;
        Ok(socket)
    }

    /// Sends `message`; when the daemon went away (restarted), reconnects
    /// once. Failures are dropped, as `syslog()` drops them.
    pub fn send(&mut self, message: &str) {
        let line = format_line(SystemTime::now(), &self.ident, self.pid, message);
        let sent = self
            .socket
            .as_ref()
            .is_some_and(|s| s.send(line.as_bytes()).is_ok());
        if !sent {
            self.socket = Self::open(&self.path).ok();
            if let Some(socket) = &self.socket {
                let _ = socket.send(line.as_bytes());
            }
        }
    }
}

/// Formats one RFC 3164 line (without a trailing newline).
pub fn format_line(time: SystemTime, ident: &str, pid: u32, message: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (_, month, day) = civil_from_days(secs / 86_400);
    let clock = secs % 86_400;
    let month = MONTHS
        .get(usize::from(month).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "<{}>{month} {day:>2} {:02}:{:02}:{:02} {ident}[{pid}]: {message}",
        FACILITY_DAEMON * 8 + SEVERITY_INFO,
        clock / 3600,
        clock % 3600 / 60,
        clock % 60,
    )
}

/// The proleptic Gregorian (year, month 1-12, day 1-31) of a day count
/// since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u8, u8) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    // day <= 31 and month <= 12 by construction.
    (
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3164_line() {
        // 2023-11-14 22:13:20 UTC.
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            format_line(time, "qemu-ga", 42, "info: guest-ping called"),
            "<30>Nov 14 22:13:20 qemu-ga[42]: info: guest-ping called"
        );
        // Single-digit days are space-padded.
        let time = UNIX_EPOCH + Duration::from_secs(86_400 * 31 + 5);
        assert!(format_line(time, "x", 1, "m").starts_with("<30>Feb  1 00:00:05 x[1]: "));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn sends_datagrams_and_reconnects() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let server = UnixDatagram::bind(&path).unwrap();
        let mut syslog = Syslog::connect(&path, "qga", 7).unwrap();
        syslog.send("info: one");
        let mut buf = [0u8; 256];
        let n = server.recv(&mut buf).unwrap();
        let line = std::str::from_utf8(&buf[..n]).unwrap();
        assert!(
            line.starts_with("<30>") && line.ends_with(" qga[7]: info: one"),
            "{line}"
        );

        // The daemon restarts: a new socket at the same path.
        drop(server);
        std::fs::remove_file(&path).unwrap();
        let server = UnixDatagram::bind(&path).unwrap();
        syslog.send("info: two");
        let n = server.recv(&mut buf).unwrap();
        assert!(std::str::from_utf8(&buf[..n])
            .unwrap()
            .ends_with("info: two"));
    }

    #[test]
    fn no_daemon_no_syslog() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Syslog::connect(&dir.path().join("none"), "x", 1).is_err());
    }
}
