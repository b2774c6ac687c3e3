//! `/proc/loadavg`: the system load averages (`guest-get-load`).

use std::path::Path;

use super::error::{SysError, SysResult};
use super::fsutil::{host_path, read_text};

/// The content of `/proc/loadavg`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadAvg {
    /// Load average over the last minute.
    pub load1: f64,
    /// Load average over the last 5 minutes.
    pub load5: f64,
    /// Load average over the last 15 minutes.
    pub load15: f64,
    /// Runnable scheduling entities, when the fourth field is present.
    pub running: Option<u32>,
    /// Existing scheduling entities, when the fourth field is present.
    pub total: Option<u32>,
    /// The most recently created PID, when present.
    pub last_pid: Option<i32>,
}

/// Parses the text of `/proc/loadavg`; `None` if the three averages are not
/// all there.
pub fn parse_loadavg(text: &str) -> Option<LoadAvg> {
    let mut fields = text.split_whitespace();
    let mut average = || fields.next()?.parse::<f64>().ok().filter(|v| v.is_finite());
    let (load1, load5, load15) = (average()?, average()?, average()?);
    let tasks = fields.next();
    let (running, total) = match tasks.and_then(|t| t.split_once('/')) {
        Some((r, t)) => (r.parse().ok(), t.parse().ok()),
        None => (None, None),
    };
    let last_pid = fields.next().and_then(|p| p.parse().ok());
    Some(LoadAvg {
        load1,
        load5,
        load15,
        running,
        total,
        last_pid,
    })
}

/// Reads `/proc/loadavg` below `root`.
pub fn read_loadavg(root: &Path) -> SysResult<LoadAvg> {
    let path = host_path(root, "/proc/loadavg");
    let text = read_text(&path)?;
    parse_loadavg(&text).ok_or_else(|| SysError::format(&path, "malformed load averages"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_line() {
        let l = parse_loadavg("0.25 1.50 2.00 3/456 7890\n").unwrap();
        assert_eq!((l.load1, l.load5, l.load15), (0.25, 1.5, 2.0));
        assert_eq!(
            (l.running, l.total, l.last_pid),
            (Some(3), Some(456), Some(7890))
        );
    }

    #[test]
    fn short_and_bad_lines() {
        let l = parse_loadavg("1 2 3").unwrap();
        assert_eq!((l.running, l.total, l.last_pid), (None, None, None));
        assert!(parse_loadavg("1 2").is_none());
        assert!(parse_loadavg("a b c").is_none());
        assert!(parse_loadavg("nan 1 1").is_none());
        assert!(parse_loadavg("").is_none());
    }

    #[test]
    fn from_tree() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_loadavg(dir.path()).unwrap_err().is_not_found());
        std::fs::create_dir_all(dir.path().join("proc")).unwrap();
        std::fs::write(dir.path().join("proc/loadavg"), "garbage\n").unwrap();
        assert!(matches!(
            read_loadavg(dir.path()),
            Err(SysError::Format { .. })
        ));
        std::fs::write(dir.path().join("proc/loadavg"), "0.1 0.2 0.3 1/2 3\n").unwrap();
        assert_eq!(read_loadavg(dir.path()).unwrap().load5, 0.2);
    }

    #[test]
    fn real_system() {
        if let Ok(l) = read_loadavg(Path::new("/")) {
            assert!(l.load1 >= 0.0 && l.load5 >= 0.0 && l.load15 >= 0.0);
        }
    }
}
