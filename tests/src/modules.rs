//! Kernel modules to load in the guest, in dependency order.
//!
//! The dependencies come from `modules.dep` when the unpacked kernel has
//! one; Debian's kernel packages do not ship it (depmod runs at install
//! time), so otherwise they are read from each module's `.modinfo`
//! `depends=` string. Modules listed in `modules.builtin` are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Upper bound on dependency chain length, against cyclic or absurd input.
const MAX_DEPTH: usize = 64;

/// The modules of one unpacked kernel (`lib/modules/<release>`).
#[derive(Debug)]
pub struct ModuleIndex {
    root: PathBuf,
    /// Module name (with `_`) to its path relative to `root`.
    files: BTreeMap<String, String>,
    builtin: BTreeSet<String>,
    /// Dependencies from `modules.dep`, when the file exists.
    dep_file: Option<BTreeMap<String, Vec<String>>>,
}

/// Canonical module name of a path or name: file stem, `-` turned to `_`.
pub fn module_name(path_or_name: &str) -> String {
    let base = path_or_name.rsplit('/').next().unwrap_or(path_or_name);
    let stem = base.split(".ko").next().unwrap_or(base);
    stem.replace('-', "_")
}

impl ModuleIndex {
    /// Indexes the modules under `root` (a `lib/modules/<release>` dir).
    pub fn open(root: &Path) -> Result<Self, String> {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.join("kernel")];
        while let Some(dir) = stack.pop() {
            let entries =
                fs::read_dir(&dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(root) {
                    let rel = rel.to_string_lossy().into_owned();
                    if rel.contains(".ko") {
                        files.insert(module_name(&rel), rel);
                    }
                }
            }
        }
        let builtin = fs::read_to_string(root.join("modules.builtin"))
            .unwrap_or_default()
            .lines()
            .map(module_name)
            .collect();
        let dep_file = fs::read_to_string(root.join("modules.dep"))
            .ok()
            .map(|text| parse_modules_dep(&text));
        Ok(Self {
            root: root.to_owned(),
            files,
            builtin,
            dep_file,
        })
    }

    /// Absolute path of a module's file.
    pub fn path_of(&self, name: &str) -> Option<PathBuf> {
        self.files
            .get(&module_name(name))
            .map(|p| self.root.join(p))
    }

    /// Whether the module is built into the kernel.
    pub fn is_builtin(&self, name: &str) -> bool {
        self.builtin.contains(&module_name(name))
    }

    /// Direct dependencies of a (loadable) module.
    fn deps_of(&self, name: &str) -> Result<Vec<String>, String> {
        if let Some(deps) = &self.dep_file {
            return Ok(deps.get(name).cloned().unwrap_or_default());
        }
        let path = self
            .path_of(name)
            .ok_or_else(|| format!("module {name} not found"))?;
        let bytes = fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        Ok(modinfo_depends(&bytes))
    }

    /// The loadable modules needed for `wanted`, each after its
    /// dependencies, as paths of their files. Built-in ones are left out.
    pub fn load_order(&self, wanted: &[&str]) -> Result<Vec<PathBuf>, String> {
        let mut done = BTreeSet::new();
        let mut order = Vec::new();
        for name in wanted {
            self.visit(&module_name(name), 0, &mut done, &mut order)?;
        }
        order
            .iter()
            .map(|name| {
                self.path_of(name)
                    .ok_or_else(|| format!("module {name} not found"))
            })
            .collect()
    }

    fn visit(
        &self,
        name: &str,
        depth: usize,
        done: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("module dependencies nest too deep at {name}"));
        }
        if self.is_builtin(name) || !done.insert(name.to_owned()) {
            return Ok(());
        }
        if !self.files.contains_key(name) {
            return Err(format!("module {name} is neither built in nor present"));
        }
        for dep in self.deps_of(name)? {
            self.visit(&module_name(&dep), depth + 1, done, order)?;
        }
        order.push(name.to_owned());
        Ok(())
    }
}

/// Parses `modules.dep` lines (`kernel/a.ko: kernel/b.ko kernel/c.ko`).
fn parse_modules_dep(text: &str) -> BTreeMap<String, Vec<String>> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(module, deps)| {
            let deps = deps.split_whitespace().map(module_name).collect();
            (module_name(module.trim()), deps)
        })
        .collect()
}

/// The `depends=` list of a module file's NUL-separated `.modinfo` strings.
fn modinfo_depends(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == 0)
        .find_map(|s| s.strip_prefix(b"depends="))
        .map(|list| {
            String::from_utf8_lossy(list)
                .split(',')
                .filter(|s| !s.is_empty())
                .map(module_name)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_canonical() {
        assert_eq!(
            module_name("kernel/drivers/char/hw_random/virtio-rng.ko"),
            "virtio_rng"
        );
        assert_eq!(module_name("ext4.ko.xz"), "ext4");
        assert_eq!(module_name("virtio_blk"), "virtio_blk");
    }

    #[test]
    fn modinfo_depends_is_found() {
        let blob = b"\x7fELF\0junk\0license=GPL\0depends=virtio,virtio_ring\0name=virtio_pci\0";
        assert_eq!(modinfo_depends(blob), ["virtio", "virtio_ring"]);
        assert!(modinfo_depends(b"\0depends=\0").is_empty());
        assert!(modinfo_depends(b"nothing here").is_empty());
    }

    #[test]
    fn modules_dep_lines_parse() {
        let deps = parse_modules_dep("kernel/a.ko: kernel/b.ko kernel/c-d.ko\nkernel/b.ko:\n");
        assert_eq!(deps["a"], ["b", "c_d"]);
        assert!(deps["b"].is_empty());
    }

    /// A fake kernel tree: `x` depends on `y` and the built-in `z`,
    /// `y` on `w`; `loop1`/`loop2` depend on each other.
    fn fake_kernel(with_dep_file: bool) -> (PathBuf, ModuleIndex) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "e2e-modules-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let dir = root.join("kernel/drivers");
        fs::create_dir_all(&dir).expect("mkdir");
        let ko = |name: &str, deps: &str| {
            let body = format!("\0name={name}\0depends={deps}\0");
            fs::write(dir.join(format!("{name}.ko")), body).expect("write");
        };
        ko("x", "y,z");
        ko("y", "w");
        ko("w", "");
        ko("loop1", "loop2");
        ko("loop2", "loop1");
        fs::write(root.join("modules.builtin"), "kernel/fs/z.ko\n").expect("write");
        if with_dep_file {
            // Deliberately different from .modinfo, to see which is used.
            fs::write(
                root.join("modules.dep"),
                "kernel/drivers/x.ko: kernel/drivers/w.ko\n",
            )
            .expect("write");
        }
        let index = ModuleIndex::open(&root).expect("index");
        (root, index)
    }

    #[test]
    fn order_puts_dependencies_first_and_skips_builtins() {
        let (root, index) = fake_kernel(false);
        let order = index.load_order(&["x", "w", "z"]).expect("order");
        let names: Vec<String> = order
            .iter()
            .map(|p| module_name(&p.to_string_lossy()))
            .collect();
        assert_eq!(names, ["w", "y", "x"]);
        assert!(index.is_builtin("z"));
        assert!(index.load_order(&["missing"]).is_err());
        // A cycle terminates (the second visit is a no-op).
        assert_eq!(index.load_order(&["loop1"]).expect("cycle").len(), 2);
        fs::remove_dir_all(root).ok();
    }

    #[test]
    fn modules_dep_is_preferred_when_present() {
        let (root, index) = fake_kernel(true);
        let order = index.load_order(&["x"]).expect("order");
        let names: Vec<String> = order
            .iter()
            .map(|p| module_name(&p.to_string_lossy()))
            .collect();
        assert_eq!(names, ["w", "x"]);
        fs::remove_dir_all(root).ok();
    }
}
