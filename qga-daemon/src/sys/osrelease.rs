//! `/etc/os-release` (or `/usr/lib/os-release`) for `guest-get-osinfo`,
//! with the shell-like quoting rules of the format.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::SysResult;
use super::fsutil::{host_path, read_text_opt};

/// The variables of an os-release file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// Every `KEY=value` assignment, unquoted.
    pub fields: BTreeMap<String, String>,
}

impl OsRelease {
    /// The value of `key` (`ID`, `NAME`, `PRETTY_NAME`, `VERSION`,
    /// `VERSION_ID`, `VARIANT`, `VARIANT_ID`, ...).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }
}

/// Removes shell quoting from a value: single quotes keep everything,
/// double quotes let a backslash escape `$`, `` ` ``, `"`, `\` and a
/// newline, and outside quotes a backslash escapes any character. `None`
/// for an unterminated quote.
pub fn shell_unquote(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => out.push(c),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => match chars.next()? {
                        '\n' => {}
                        c @ ('$' | '`' | '"' | '\\') => out.push(c),
                        c => {
                            out.push('\\');
                            out.push(c);
                        }
                    },
                    c => out.push(c),
                }
            },
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => out.push(c),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    Some(out)
}

/// Parses os-release text: blank lines, comments and lines that are not
/// `KEY=value` or whose quoting is broken are skipped.
pub fn parse_os_release(text: &str) -> OsRelease {
    let fields = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            let key = key.trim();
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return None;
            }
            Some((key.to_string(), shell_unquote(value.trim())?))
        })
        .collect();
    OsRelease { fields }
}

/// Reads `/etc/os-release`, else `/usr/lib/os-release`, below `root`;
/// `None` when neither exists.
pub fn read_os_release(root: &Path) -> SysResult<Option<OsRelease>> {
    for path in ["/etc/os-release", "/usr/lib/os-release"] {
        if let Some(text) = read_text_opt(&host_path(root, path))? {
            return Ok(Some(parse_os_release(&text)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn quoting() {
        assert_eq!(shell_unquote("plain").as_deref(), Some("plain"));
        assert_eq!(shell_unquote("\"a b\"").as_deref(), Some("a b"));
        assert_eq!(shell_unquote("'a \\ b'").as_deref(), Some("a \\ b"));
        assert_eq!(
            shell_unquote(r#""x \"y\" \$z \n""#).as_deref(),
            Some("x \"y\" $z \\n")
        );
        assert_eq!(shell_unquote(r"a\ b").as_deref(), Some("a b"));
        assert_eq!(shell_unquote("\"ab'c\"'d'e").as_deref(), Some("ab'cde"));
        assert_eq!(shell_unquote("\"open"), None);
        assert_eq!(shell_unquote("'open"), None);
        assert_eq!(shell_unquote("\"a\\"), None);
    }

    #[test]
    fn parses_file() {
        let r = parse_os_release(
            "# comment\nNAME=\"Debian GNU/Linux\"\nID=debian\n\nVERSION='12 (bookworm)'\n\
             BROKEN=\"oops\nnot a line\n=novalue\nVARIANT_ID=server\n",
        );
        assert_eq!(r.get("NAME"), Some("Debian GNU/Linux"));
        assert_eq!(r.get("ID"), Some("debian"));
        assert_eq!(r.get("VERSION"), Some("12 (bookworm)"));
        assert_eq!(r.get("VARIANT_ID"), Some("server"));
        assert_eq!(r.get("BROKEN"), None);
        assert_eq!(r.fields.len(), 4);
    }

    #[test]
    fn fallback_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(read_os_release(root).unwrap(), None);
        fs::create_dir_all(root.join("usr/lib")).unwrap();
        fs::write(root.join("usr/lib/os-release"), "ID=fallback\n").unwrap();
        assert_eq!(
            read_os_release(root).unwrap().unwrap().get("ID"),
            Some("fallback")
        );
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::write(root.join("etc/os-release"), "ID=etc\n").unwrap();
        assert_eq!(
            read_os_release(root).unwrap().unwrap().get("ID"),
            Some("etc")
        );
    }

    #[test]
    fn real_system() {
        if let Ok(Some(r)) = read_os_release(Path::new("/")) {
            assert!(r.fields.keys().all(|k| !k.is_empty()));
        }
    }
}
