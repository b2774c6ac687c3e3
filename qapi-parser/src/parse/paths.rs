//! Path arithmetic for include directives, with POSIX `os.path` semantics:
//! the printed name of an included file is never normalised, while the
//! identity used for "already included" and loops is the absolute,
//! lexically normalised path (symbolic links are not resolved).

/// The directory part of `path` (`os.path.dirname`).
pub(crate) fn dirname(path: &str) -> &str {
    let head = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    if !head.is_empty() && head.bytes().any(|b| b != b'/') {
        head.trim_end_matches('/')
    } else {
        head
    }
}

/// `os.path.join(dir, name)` for two components.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if name.starts_with('/') || dir.is_empty() {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// `os.path.abspath(path)` relative to `cwd` (an absolute path).
pub(crate) fn abspath(path: &str, cwd: &str) -> String {
    if path.starts_with('/') {
        normpath(path)
    } else {
        normpath(&join(cwd, path))
    }
}

/// `os.path.normpath` for POSIX paths.
pub(crate) fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let lead = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if path.starts_with('/') {
        "/"
    } else {
        ""
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if lead.is_empty() {
                    parts.push("..");
                }
            }
            _ => parts.push(comp),
        }
    }
    let joined = parts.join("/");
    let out = format!("{lead}{joined}");
    if out.is_empty() {
        ".".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirname_matches_python() {
        assert_eq!(dirname("a.json"), "");
        assert_eq!(dirname("dir/a.json"), "dir");
        assert_eq!(dirname("dir//a.json"), "dir");
        assert_eq!(dirname("/a.json"), "/");
        assert_eq!(dirname("//a.json"), "//");
        assert_eq!(dirname("x/../y/a.json"), "x/../y");
    }

    #[test]
    fn join_matches_python() {
        assert_eq!(join("", "b.json"), "b.json");
        assert_eq!(join("d", "b.json"), "d/b.json");
        assert_eq!(join("/", "b.json"), "/b.json");
        assert_eq!(join("d", "/abs.json"), "/abs.json");
        assert_eq!(join("d", ""), "d/");
        assert_eq!(join("d", "../../q/x.json"), "d/../../q/x.json");
    }

    #[test]
    fn normpath_matches_python() {
        assert_eq!(normpath("a/./b//c/../d"), "a/b/d");
        assert_eq!(normpath("../a/.."), "..");
        assert_eq!(normpath("/../a"), "/a");
        assert_eq!(normpath("//a/b"), "//a/b");
        assert_eq!(normpath("///a"), "/a");
        assert_eq!(normpath("a/.."), ".");
        assert_eq!(abspath("s/q/../../qapi/p.json", "/w"), "/w/qapi/p.json");
        assert_eq!(abspath("/x/./y", "/w"), "/x/y");
    }
}
