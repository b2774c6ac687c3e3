//! Finding the program of `guest-exec` in PATH, as GLib's spawn does.
//!
//! A name without `/` is looked up in the directories of the *agent's*
//! PATH (not the `env` given to the child), or `/bin:/usr/bin:.` if PATH
//! is unset; an empty entry means the current directory. The first entry
//! holding an executable file wins. If none does, the error is "Permission
//! denied" when some candidate existed but could not be executed, "No such
//! file or directory" otherwise.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::Access;
use rustix::io::Errno;

/// GLib's search path when PATH is unset.
pub const DEFAULT_PATH: &str = "/bin:/usr/bin:.";

/// The file to execute for `program`, searching `path_var` (the value of
/// PATH, if set) when `program` has no `/`.
pub fn find_program(program: &str, path_var: Option<&OsStr>) -> io::Result<PathBuf> {
    if program.is_empty() {
        return Err(Errno::NOENT.into());
    }
    if program.contains('/') {
        return Ok(PathBuf::from(program));
    }
    let dirs = path_var.unwrap_or_else(|| OsStr::new(DEFAULT_PATH));
    let mut denied = false;
    for dir in dirs.as_bytes().split(|&b| b == b':') {
        let dir = if dir.is_empty() {
            Path::new(".")
        } else {
            Path::new(OsStr::from_bytes(dir))
        };
        let candidate = dir.join(program);
        match executable(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(Errno::ACCESS) => denied = true,
            Err(_) => {}
        }
    }
    Err(if denied { Errno::ACCESS } else { Errno::NOENT }.into())
}

/// Whether `path` is a file this process may execute (a directory is
/// searchable, not executable: `execve()` refuses it with EACCES).
fn executable(path: &Path) -> Result<(), Errno> {
    rustix::fs::access(path, Access::EXEC_OK)?;
    let stat = rustix::fs::stat(path)?;
    if rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Directory {
        return Err(Errno::ACCESS);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    fn make(dir: &Path, name: &str, mode: u32) {
        let file = dir.join(name);
        fs::write(&file, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn paths_with_a_slash_are_taken_as_they_are() {
        assert_eq!(
            find_program("/nonexistent/binary", None).unwrap(),
            Path::new("/nonexistent/binary")
        );
        assert_eq!(find_program("./x", None).unwrap(), Path::new("./x"));
    }

    #[test]
    fn searches_the_entries_in_order() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        make(a.path(), "tool", 0o644);
        make(b.path(), "tool", 0o755);
        make(a.path(), "first", 0o755);
        make(b.path(), "first", 0o755);
        let var = format!("{}:{}", a.path().display(), b.path().display());
        let var = OsStr::new(&var);
        assert_eq!(
            find_program("tool", Some(var)).unwrap(),
            b.path().join("tool")
        );
        assert_eq!(
            find_program("first", Some(var)).unwrap(),
            a.path().join("first")
        );
    }

    #[test]
    fn not_found_and_denied() {
        let a = tempfile::tempdir().unwrap();
        make(a.path(), "noexec", 0o644);
        fs::create_dir(a.path().join("adir")).unwrap();
        let var = a.path().as_os_str();
        let errno = |name| find_program(name, Some(var)).unwrap_err().raw_os_error();
        assert_eq!(errno("missing"), Some(Errno::NOENT.raw_os_error()));
        assert_eq!(errno("adir"), Some(Errno::ACCESS.raw_os_error()));
        assert_eq!(errno(""), Some(Errno::NOENT.raw_os_error()));
        // Root may execute a file with no execute bit for its owner only if
        // some execute bit is set; 0644 has none, so this holds for root too.
        assert_eq!(errno("noexec"), Some(Errno::ACCESS.raw_os_error()));
    }

    #[test]
    fn empty_entries_mean_the_current_directory() {
        let found = find_program("sh", Some(OsStr::new(":/bin"))).unwrap();
        assert!(found == Path::new("./sh") || found == Path::new("/bin/sh"));
        assert_eq!(
            find_program("sh", Some(OsStr::new("/bin"))).unwrap(),
            Path::new("/bin/sh")
        );
    }
}
