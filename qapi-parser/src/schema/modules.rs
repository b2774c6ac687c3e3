//! Module names: a file's path relative to the main file's directory,
//! normalised lexically (Python's `os.path.relpath`).

use std::path::PathBuf;

/// Python's `os.path.dirname`.
pub(crate) fn dirname(path: &str) -> &str {
    match path.rfind('/') {
        None => "",
        Some(0) => "/",
        Some(i) => {
            let head = &path[..i];
            // `a//b` has dirname `a`, like Python (trailing slashes stripped).
            let trimmed = head.trim_end_matches('/');
            if trimmed.is_empty() {
                "/"
            } else {
                trimmed
            }
        }
    }
}

/// The absolute, lexically normalised components of `path`.
fn components(path: &str, cwd: &[String]) -> Vec<String> {
    let mut out: Vec<String> = if path.starts_with('/') {
        Vec::new()
    } else {
        cwd.to_vec()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p.to_string()),
        }
    }
    out
}

fn current_dir() -> Vec<String> {
    let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    components(&dir.to_string_lossy(), &[])
}

/// Python's `os.path.relpath(path, start)` (an empty `start` is the
/// current directory).
pub(crate) fn relpath(path: &str, start: &str) -> String {
    let needs_cwd = !path.starts_with('/') || !start.starts_with('/');
    let cwd = if needs_cwd { current_dir() } else { Vec::new() };
    let p = components(path, &cwd);
    let s = components(start, &cwd);
    let common = p.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; s.len() - common];
    parts.extend(p[common..].iter().map(String::as_str));
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirname_like_python() {
        assert_eq!(dirname("a.json"), "");
        assert_eq!(dirname("d/a.json"), "d");
        assert_eq!(dirname("/a.json"), "/");
        assert_eq!(dirname("x/y/../z.json"), "x/y/..");
    }

    #[test]
    fn relpath_normalises() {
        assert_eq!(
            relpath("include/../sub-sub-module.json", ""),
            "sub-sub-module.json"
        );
        assert_eq!(relpath("qga/x.json", "qga"), "x.json");
        assert_eq!(
            relpath(
                "storage-daemon/qapi/../../qapi/pragma.json",
                "storage-daemon/qapi"
            ),
            "../../qapi/pragma.json"
        );
        assert_eq!(relpath("/a/b/c.json", "/a/d"), "../b/c.json");
    }
}
