//! Small file helpers shared by the readers: every path is resolved below a
//! root directory so that a fake tree can stand in for `/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{SysError, SysResult};

/// The path of the absolute system path `abs` (such as `/proc/stat`) below
/// `root`.
pub fn host_path(root: &Path, abs: &str) -> PathBuf {
    root.join(abs.trim_start_matches('/'))
}

/// Reads a whole text file; invalid UTF-8 is replaced, never an error.
pub fn read_text(path: &Path) -> SysResult<String> {
    let bytes = fs::read(path).map_err(|e| SysError::io("open", path, e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Like [`read_text`], but a missing file gives `None`.
pub fn read_text_opt(path: &Path) -> SysResult<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SysError::io("open", path, e)),
    }
}

/// Reads a one-value sysfs attribute, trimmed of surrounding whitespace;
/// `None` when the file is missing, unreadable or empty.
pub fn read_attr(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let value = text.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The entry names of a directory (unsorted), skipping names that are not
/// valid UTF-8.
pub fn dir_names(path: &Path) -> SysResult<Vec<String>> {
    let entries = fs::read_dir(path).map_err(|e| SysError::io("opendir", path, e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| SysError::io("readdir", path, e))?;
        if let Ok(name) = entry.file_name().into_string() {
            names.push(name);
        }
    }
    Ok(names)
}

/// The last component of a path as text.
pub fn base_name(path: &Path) -> Option<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_path_strips_leading_slash() {
        assert_eq!(
            host_path(Path::new("/tmp/r"), "/proc/stat"),
            PathBuf::from("/tmp/r/proc/stat")
        );
        assert_eq!(
            host_path(Path::new("/"), "/proc/stat"),
            PathBuf::from("/proc/stat")
        );
    }

    #[test]
    fn optional_reads() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        assert!(read_text_opt(&missing).unwrap().is_none());
        assert!(read_text(&missing).unwrap_err().is_not_found());
        assert_eq!(read_attr(&missing), None);
        let f = dir.path().join("attr");
        fs::write(&f, " value \n").unwrap();
        assert_eq!(read_attr(&f).as_deref(), Some("value"));
        fs::write(&f, "\n").unwrap();
        assert_eq!(read_attr(&f), None);
        fs::write(&f, [0xffu8, b'a']).unwrap();
        assert_eq!(read_text(&f).unwrap(), "\u{fffd}a");
        let mut names = dir_names(dir.path()).unwrap();
        names.sort();
        assert_eq!(names, vec!["attr"]);
        assert!(dir_names(&missing).is_err());
        assert_eq!(base_name(Path::new("/a/b")).as_deref(), Some("b"));
    }
}
