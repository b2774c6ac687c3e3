//! Login records of `/var/run/utmp` (glibc's `struct utmpx` on 64-bit
//! Linux: 384-byte records) for `guest-get-users`.

use std::path::Path;

use super::error::SysResult;
use super::fsutil::host_path;

/// Size of one record.
pub const UTMPX_SIZE: usize = 384;
/// `ut_type` of a user's login session.
pub const USER_PROCESS: i16 = 7;

/// The fields of a utmpx record that matter here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtmpRecord {
    /// Record type (`USER_PROCESS` = 7, ...).
    pub ut_type: i16,
    /// Process id.
    pub pid: i32,
    /// Terminal (`pts/0`).
    pub line: String,
    /// User name.
    pub user: String,
    /// Remote host.
    pub host: String,
    /// Login time, seconds.
    pub tv_sec: i32,
    /// Login time, microseconds.
    pub tv_usec: i32,
}

impl UtmpRecord {
    /// The login time in seconds, with the microseconds as a fraction.
    pub fn login_time(&self) -> f64 {
        f64::from(self.tv_sec) + f64::from(self.tv_usec) / 1_000_000.0
    }
}

fn i16_at(rec: &[u8], at: usize) -> Option<i16> {
    Some(i16::from_ne_bytes(rec.get(at..at + 2)?.try_into().ok()?))
}

fn i32_at(rec: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_ne_bytes(rec.get(at..at + 4)?.try_into().ok()?))
}

fn text_at(rec: &[u8], at: usize, len: usize) -> Option<String> {
    let field = rec.get(at..at + len)?;
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    Some(String::from_utf8_lossy(field.get(..end)?).into_owned())
}

/// Decodes one 384-byte record.
pub fn parse_record(rec: &[u8]) -> Option<UtmpRecord> {
    if rec.len() != UTMPX_SIZE {
        return None;
    }
    Some(UtmpRecord {
        ut_type: i16_at(rec, 0)?,
        pid: i32_at(rec, 4)?,
        line: text_at(rec, 8, 32)?,
        user: text_at(rec, 44, 32)?,
        host: text_at(rec, 76, 256)?,
        tv_sec: i32_at(rec, 340)?,
        tv_usec: i32_at(rec, 344)?,
    })
}

/// Decodes a utmp file; a trailing partial record is ignored.
pub fn parse_utmp(bytes: &[u8]) -> Vec<UtmpRecord> {
    bytes
        .chunks_exact(UTMPX_SIZE)
        .filter_map(parse_record)
        .collect()
}

/// Reads `/var/run/utmp` below `root`; a missing file has no records.
pub fn read_utmp(root: &Path) -> SysResult<Vec<UtmpRecord>> {
    let path = host_path(root, "/var/run/utmp");
    match std::fs::read(&path) {
        Ok(bytes) => Ok(parse_utmp(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(super::SysError::io("open", &path, e)),
    }
}

/// The logged-in users as `guest-get-users` reports them: each user of a
/// `USER_PROCESS` record once, in order of first appearance, with the
/// earliest login time.
pub fn logged_in_users(records: &[UtmpRecord]) -> Vec<(String, f64)> {
    let mut users: Vec<(String, f64)> = Vec::new();
    for r in records.iter().filter(|r| r.ut_type == USER_PROCESS) {
        let time = r.login_time();
        match users.iter_mut().find(|(name, _)| *name == r.user) {
            Some((_, earliest)) => *earliest = earliest.min(time),
            None => users.push((r.user.clone(), time)),
        }
    }
    users
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ut_type: i16, user: &str, sec: i32, usec: i32) -> Vec<u8> {
        let mut r = vec![0u8; UTMPX_SIZE];
        r[0..2].copy_from_slice(&ut_type.to_ne_bytes());
        r[4..8].copy_from_slice(&1234i32.to_ne_bytes());
        r[8..13].copy_from_slice(b"pts/0");
        r[44..44 + user.len()].copy_from_slice(user.as_bytes());
        r[76..85].copy_from_slice(b"10.0.0.1\0");
        r[340..344].copy_from_slice(&sec.to_ne_bytes());
        r[344..348].copy_from_slice(&usec.to_ne_bytes());
        r
    }

    #[test]
    fn decodes_and_groups() {
        let mut bytes = record(2, "reboot", 1, 0);
        bytes.extend(record(USER_PROCESS, "alice", 2000, 500_000));
        bytes.extend(record(USER_PROCESS, "bob", 1500, 0));
        bytes.extend(record(USER_PROCESS, "alice", 1000, 250_000));
        bytes.extend(record(8, "carol", 1, 0));
        bytes.extend([1, 2, 3]);
        let recs = parse_utmp(&bytes);
        assert_eq!(recs.len(), 5);
        assert_eq!(recs[1].line, "pts/0");
        assert_eq!(recs[1].host, "10.0.0.1");
        assert_eq!(recs[1].pid, 1234);
        let users = logged_in_users(&recs);
        assert_eq!(
            users,
            vec![("alice".to_string(), 1000.25), ("bob".to_string(), 1500.0)]
        );
    }

    #[test]
    fn full_width_user_name() {
        let name = "u".repeat(32);
        let recs = parse_utmp(&record(USER_PROCESS, &name, 1, 0));
        assert_eq!(recs[0].user, name);
        assert!(parse_record(&[0u8; 10]).is_none());
    }

    #[test]
    fn files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_utmp(dir.path()).unwrap().is_empty());
        std::fs::create_dir_all(dir.path().join("var/run")).unwrap();
        std::fs::write(
            dir.path().join("var/run/utmp"),
            record(USER_PROCESS, "x", 5, 0),
        )
        .unwrap();
        assert_eq!(read_utmp(dir.path()).unwrap().len(), 1);
        assert!(read_utmp(Path::new("/")).is_ok() || Path::new("/var/run/utmp").exists());
    }
}
