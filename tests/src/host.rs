//! The host-side pieces a VM test needs, and where to find them.
//!
//! `scripts/install-deps.sh` installs them on Debian. Environment overrides:
//! `QGA_VM_CACHE` (default `/var/cache/qga-vm`, holding the unpacked kernel
//! package in `kernel/`), `QGA_VM_QEMU`, `QGA_VM_BUSYBOX`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Default cache directory of `scripts/install-deps.sh`.
pub const DEFAULT_CACHE: &str = "/var/cache/qga-vm";

/// Everything found on the host for booting a test VM.
#[derive(Debug, Clone)]
pub struct HostTools {
    /// `qemu-system-x86_64`.
    pub qemu: PathBuf,
    /// The guest kernel image.
    pub kernel: PathBuf,
    /// The kernel's module directory (`lib/modules/<release>`).
    pub modules: PathBuf,
    /// A statically linked busybox.
    pub busybox: PathBuf,
    /// `mkfs.ext4`.
    pub mkfs_ext4: PathBuf,
}

/// Whether a missing prerequisite must fail the test (`QGA_VM_REQUIRED=1`)
/// instead of skipping it.
pub fn vm_required() -> bool {
    env::var("QGA_VM_REQUIRED").is_ok_and(|v| v == "1")
}

impl HostTools {
    /// Locates every piece, or explains the first one that is missing.
    pub fn locate() -> Result<Self, String> {
        let hint = "(run scripts/install-deps.sh as root)";
        let qemu = env_path("QGA_VM_QEMU")
            .or_else(|| find_program("qemu-system-x86_64"))
            .ok_or_else(|| format!("qemu-system-x86_64 not found {hint}"))?;
        let cache = env_path("QGA_VM_CACHE").unwrap_or_else(|| PathBuf::from(DEFAULT_CACHE));
        let kdir = cache.join("kernel");
        let kernel = first_entry(&kdir.join("boot"), "vmlinuz-")
            .ok_or_else(|| format!("no kernel in {}/boot {hint}", kdir.display()))?;
        let modules = first_entry(&kdir.join("lib/modules"), "")
            .ok_or_else(|| format!("no kernel modules in {}/lib/modules {hint}", kdir.display()))?;
        let busybox = env_path("QGA_VM_BUSYBOX").unwrap_or_else(|| PathBuf::from("/bin/busybox"));
        if !busybox.is_file() {
            return Err(format!("{} not found {hint}", busybox.display()));
        }
        match shared_libraries(&busybox) {
            Ok(libs) if libs.is_empty() => {}
            Ok(_) => return Err(format!("{} is not static {hint}", busybox.display())),
            Err(e) => return Err(e),
        }
        let mkfs_ext4 =
            find_program("mkfs.ext4").ok_or_else(|| format!("mkfs.ext4 not found {hint}"))?;
        Ok(Self {
            qemu,
            kernel,
            modules,
            busybox,
            mkfs_ext4,
        })
    }
}

/// A non-empty environment variable as a path.
fn env_path(name: &str) -> Option<PathBuf> {
    env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The first (by name) entry of `dir` whose name starts with `prefix`.
fn first_entry(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    names.sort();
    names.into_iter().next()
}

/// Looks a program up in `PATH`, then in the sbin directories root has.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The shared libraries (and ELF loader) a binary needs, per `ldd`; empty
/// for a static binary.
pub fn shared_libraries(binary: &Path) -> Result<Vec<PathBuf>, String> {
    let out = Command::new("ldd")
        .arg(binary)
        .output()
        .map_err(|e| format!("cannot run ldd: {e}"))?;
    // A static binary makes ldd say so, with status 1 ("not a dynamic
    // executable") or 0 ("statically linked", static-pie): judge by content.
    Ok(parse_ldd(&String::from_utf8_lossy(&out.stdout)))
}

/// Extracts library paths from `ldd` output lines such as
/// `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)` and
/// `/lib64/ld-linux-x86-64.so.2 (0x...)`.
fn parse_ldd(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|line| {
            let target = match line.split_once("=>") {
                Some((_, right)) => right.trim(),
                None => line.trim(),
            };
            let path = target.split_whitespace().next()?;
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldd_output_is_parsed() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\
                    \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\
                    \tlibgone.so => not found\n\
                    \t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n";
        assert_eq!(
            parse_ldd(text),
            [
                PathBuf::from("/lib/x86_64-linux-gnu/libc.so.6"),
                PathBuf::from("/lib64/ld-linux-x86-64.so.2"),
            ]
        );
        assert!(parse_ldd("\tstatically linked\n").is_empty());
        assert!(parse_ldd("\tnot a dynamic executable\n").is_empty());
    }

    #[test]
    fn programs_are_found_on_path() {
        assert!(find_program("sh").is_some());
        assert!(find_program("no-such-program-e2e").is_none());
    }
}
