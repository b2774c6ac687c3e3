//! The local time zone for `guest-get-timezone`: the zone in force now,
//! its abbreviation and UTC offset (what glib's local `GTimeZone` gives
//! qemu-ga), and the zone's name from the `/etc/localtime` link.

pub mod posix;
pub mod tzif;

use std::path::Path;

use super::error::{SysError, SysResult};
use super::fsutil::{host_path, read_attr};

/// The local time zone at a given instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalZone {
    /// Zone name (`Europe/Paris`) from the `/etc/localtime` symlink (the
    /// part after `zoneinfo/`), else `/etc/timezone`; `None` if unknown.
    pub name: Option<String>,
    /// Abbreviation in force (`CEST`, `UTC`).
    pub abbreviation: String,
    /// Seconds east of UTC in force.
    pub utc_offset: i32,
    /// Whether daylight-saving time is in force.
    pub is_dst: bool,
}

fn utc_zone(name: Option<String>) -> LocalZone {
    LocalZone {
        name,
        abbreviation: "UTC".to_string(),
        utc_offset: 0,
        is_dst: false,
    }
}

fn zone_name(root: &Path) -> Option<String> {
    if let Ok(target) = std::fs::read_link(host_path(root, "/etc/localtime")) {
        let text = target.to_string_lossy().into_owned();
        if let Some((_, name)) = text.split_once("zoneinfo/") {
            let name = name
                .trim_start_matches("posix/")
                .trim_start_matches("right/");
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    read_attr(&host_path(root, "/etc/timezone"))
}

fn from_file(path: &Path, name: Option<String>, now: i64) -> SysResult<LocalZone> {
    let data = std::fs::read(path).map_err(|e| SysError::io("open", path, e))?;
    let tz = tzif::parse(&data).ok_or_else(|| SysError::format(path, "not a TZif file"))?;
    let t = tz
        .local_type(now)
        .ok_or_else(|| SysError::format(path, "no local time type"))?;
    Ok(LocalZone {
        name,
        abbreviation: t.abbreviation.clone(),
        utc_offset: t.utc_offset,
        is_dst: t.is_dst,
    })
}

/// The local zone at `now` (seconds since the epoch), as glib finds it:
/// `tz_env` (the `TZ` variable: a zone name under
/// `/usr/share/zoneinfo`, an absolute file with a leading `:`, or a POSIX
/// rule), else `/etc/localtime`; UTC when nothing usable is found.
pub fn local_zone(root: &Path, tz_env: Option<&str>, now: i64) -> SysResult<LocalZone> {
    if let Some(tz) = tz_env.filter(|t| !t.is_empty()) {
        let spec = tz.strip_prefix(':').unwrap_or(tz);
        let file = if spec.starts_with('/') {
            host_path(root, spec)
        } else {
            host_path(root, &format!("/usr/share/zoneinfo/{spec}"))
        };
        if !spec.contains("..") && file.is_file() {
            let name = (!spec.starts_with('/')).then(|| spec.to_string());
            if let Ok(zone) = from_file(&file, name, now) {
                return Ok(zone);
            }
        }
        if let Some(rule) = posix::parse(spec) {
            let t = rule.local_type(now);
            return Ok(LocalZone {
                name: None,
                abbreviation: t.abbreviation.clone(),
                utc_offset: t.utc_offset,
                is_dst: t.is_dst,
            });
        }
        return Ok(utc_zone(None));
    }
    let localtime = host_path(root, "/etc/localtime");
    match from_file(&localtime, zone_name(root), now) {
        Ok(zone) => Ok(zone),
        Err(e) if e.is_not_found() => Ok(utc_zone(None)),
        Err(e) => Err(e),
    }
}

/// The current time in seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn paris() -> Vec<u8> {
        tzif::tests::build(
            &[(-100, 1)],
            &[
                (561, false, "LMT"),
                (3600, false, "CET"),
                (7200, true, "CEST"),
            ],
            "CET-1CEST,M3.5.0,M10.5.0/3",
        )
    }

    #[test]
    fn localtime_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let zi = root.join("usr/share/zoneinfo/Europe");
        fs::create_dir_all(&zi).unwrap();
        fs::write(zi.join("Paris"), paris()).unwrap();
        fs::create_dir_all(root.join("etc")).unwrap();
        symlink(zi.join("Paris"), root.join("etc/localtime")).unwrap();
        let july = posix::days_from_civil(2024, 7, 1) * 86_400;
        let z = local_zone(root, None, july).unwrap();
        assert_eq!(z.name.as_deref(), Some("Europe/Paris"));
        assert_eq!(
            (z.abbreviation.as_str(), z.utc_offset, z.is_dst),
            ("CEST", 7200, true)
        );
        let jan = posix::days_from_civil(2024, 1, 1) * 86_400;
        assert_eq!(local_zone(root, None, jan).unwrap().utc_offset, 3600);
        // TZ wins over /etc/localtime.
        let z = local_zone(root, Some("EST5EDT"), jan).unwrap();
        assert_eq!((z.abbreviation.as_str(), z.utc_offset), ("EST", -18_000));
        let z = local_zone(root, Some(":Europe/Paris"), jan).unwrap();
        assert_eq!(z.name.as_deref(), Some("Europe/Paris"));
        assert_eq!(
            local_zone(root, Some("Nowhere/Zone"), jan)
                .unwrap()
                .abbreviation,
            "UTC"
        );
    }

    #[test]
    fn missing_or_bad_localtime() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let z = local_zone(root, None, 0).unwrap();
        assert_eq!((z.abbreviation.as_str(), z.utc_offset), ("UTC", 0));
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::write(root.join("etc/localtime"), "garbage").unwrap();
        fs::write(root.join("etc/timezone"), "Etc/UTC\n").unwrap();
        assert!(matches!(
            local_zone(root, None, 0),
            Err(SysError::Format { .. })
        ));
        assert_eq!(zone_name(root).as_deref(), Some("Etc/UTC"));
    }

    #[test]
    fn real_system() {
        let z = local_zone(Path::new("/"), None, now());
        if let Ok(z) = z {
            assert!(!z.abbreviation.is_empty());
            assert!(z.utc_offset.abs() <= 26 * 3600);
        }
    }
}
