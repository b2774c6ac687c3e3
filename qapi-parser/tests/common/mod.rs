//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Component, Path, PathBuf};

use qapi_parser::SourceLoader;

/// Reads files relative to a base directory, so that paths in messages
/// and module names stay relative to it (as in QEMU's test runs).
#[derive(Debug, Clone)]
pub struct BaseDirLoader {
    /// The directory paths are relative to.
    pub base: PathBuf,
}

impl SourceLoader for BaseDirLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.resolve(path))
    }
}

impl BaseDirLoader {
    /// `path` under the base directory, normalised lexically, with
    /// symbolic links that a checkout stored as plain files (git's
    /// `core.symlinks=false`: the file holds the link target) followed.
    fn resolve(&self, path: &Path) -> PathBuf {
        let mut out = self.base.clone();
        let parts: Vec<_> = path.components().collect();
        for (i, part) in parts.iter().enumerate() {
            match part {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                Component::Normal(name) => {
                    out.push(name);
                    let more = i + 1 < parts.len();
                    if more && out.is_file() {
                        if let Ok(target) = std::fs::read_to_string(&out) {
                            out.pop();
                            out.push(target.trim());
                        }
                    }
                }
                Component::RootDir | Component::Prefix(_) => out = PathBuf::from(part.as_os_str()),
            }
        }
        out
    }
}

/// `../shared` from the workspace root, when present.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: {} is absent (reference material is not part of the repository)",
            dir.display()
        );
        None
    }
}

/// A short line diff of `expected` against `actual`: the first differing
/// lines with a little context.
pub fn short_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let mut out = String::new();
    let from = first.saturating_sub(2);
    for i in from..(first + 4) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out.push_str(&format!("   {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("  -{x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!("  +{y}\n"));
                }
            }
        }
    }
    out
}
