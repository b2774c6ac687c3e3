//! The lines of an `authorized_keys` file and the checks on new keys.

use super::error::SshError;

/// Refuses a key that would not be one line of the file: one starting
/// with `#` (a comment), or holding a newline or NUL.
pub fn check_keys(keys: &[String]) -> Result<(), SshError> {
    match keys
        .iter()
        .find(|k| k.starts_with('#') || k.contains(['\n', '\0']))
    {
        Some(bad) => Err(SshError::InvalidKey(bad.clone())),
        None => Ok(()),
    }
}

/// The lines of a file's text; the empty piece after a final newline is
/// not a line.
pub fn lines(text: &str) -> Vec<String> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    body.split('\n').map(str::to_string).collect()
}

/// The keys `guest-ssh-get-authorized-keys` reports: lines stripped of
/// surrounding white space, without blank lines and comments, last line
/// first (qemu-ga's order).
pub fn listed_keys(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| l.trim_matches(|c: char| c.is_ascii_whitespace()))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .rev()
        .map(str::to_string)
        .collect()
}

/// `existing` followed by each of `keys` not already there.
pub fn added(mut existing: Vec<String>, keys: &[String]) -> Vec<String> {
    for k in keys {
        if !existing.contains(k) {
            existing.push(k.clone());
        }
    }
    existing
}

/// `existing` without any line equal to one of `keys`.
pub fn removed(existing: Vec<String>, keys: &[String]) -> Vec<String> {
    existing.into_iter().filter(|l| !keys.contains(l)).collect()
}

/// The file text for `lines`: each ends with a newline.
pub fn text(lines: &[String]) -> String {
    lines.iter().fold(String::new(), |mut s, l| {
        s.push_str(l);
        s.push('\n');
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn key_checks() {
        assert!(check_keys(&v(&["ssh-ed25519 AAAA c", ""])).is_ok());
        for bad in ["# comment", "a\nb", "a\0b"] {
            let e = check_keys(&v(&["ok", bad])).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("invalid OpenSSH public key: '{bad}'")
            );
        }
    }

    #[test]
    fn splitting_and_joining() {
        assert!(lines("").is_empty());
        assert_eq!(lines("\n"), v(&[""]));
        assert_eq!(lines("a\nb\n"), v(&["a", "b"]));
        assert_eq!(lines("a\n\nb"), v(&["a", "", "b"]));
        assert_eq!(text(&v(&["a", "b"])), "a\nb\n");
        assert_eq!(text(&[]), "");
    }

    #[test]
    fn listing() {
        assert_eq!(
            listed_keys("algo k1 c\n# comment\n  \n\talgo k2 x \n"),
            v(&["algo k2 x", "algo k1 c"])
        );
        assert!(listed_keys("").is_empty());
    }

    #[test]
    fn adding_and_removing() {
        let file = v(&["k1", "# c", "k1"]);
        assert_eq!(
            added(file.clone(), &v(&["k2", "k1", "k2"])),
            v(&["k1", "# c", "k1", "k2"])
        );
        assert_eq!(removed(file, &v(&["k1", "k9"])), v(&["# c"]));
    }
}
