//! Builds the guest's initramfs: busybox, the drivers, the agent (with its
//! shared libraries when it has any), a small `/etc` and the `/init` script.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

use crate::agent::{shell_quote, AgentSpec};
use crate::cpio::Tree;
use crate::host::{shared_libraries, HostTools};
use crate::modules::ModuleIndex;

/// Modules the guest needs: virtio PCI transport, the agent's serial port,
/// the data disk, the NIC, and ext4 (with crc32c, which ext4 asks the
/// crypto API for at mount time and an insmod-only userland cannot load on
/// demand). Built-in ones are skipped.
pub const GUEST_MODULES: &[&str] = &[
    "virtio_pci",
    "virtio_console",
    "virtio_blk",
    "virtio_net",
    "crc32c_generic",
    "ext4",
];

const INIT: &str = include_str!("guest/init.sh");
const SHUTDOWN: &str = include_str!("guest/shutdown.sh");

const OS_RELEASE: &str = "\
NAME=\"e2e-guest\"
ID=e2e-guest
VERSION_ID=\"1\"
VERSION=\"1 (test)\"
PRETTY_NAME=\"End-to-end test guest (busybox)\"
";

/// Host name of the guest.
pub const GUEST_HOSTNAME: &str = "e2e-guest";

/// Builds the file tree of the initramfs.
pub fn build_tree(tools: &HostTools, agent: &AgentSpec) -> Result<Tree, String> {
    let mut tree = Tree::new();
    for dir in [
        "bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "run", "mnt/data",
        "root", "var",
    ] {
        tree.dir(dir, 0o755);
    }
    tree.dir("tmp", 0o1777);
    tree.symlink("var/run", "../run");
    tree.char_dev("dev/console", 0o600, 5, 1);

    add_busybox(&mut tree, &tools.busybox)?;
    add_modules(&mut tree, &tools.modules)?;
    add_agent(&mut tree, agent)?;

    tree.file("etc/os-release", 0o644, OS_RELEASE);
    tree.file("etc/hostname", 0o644, format!("{GUEST_HOSTNAME}\n"));
    tree.file("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\n");
    tree.file("etc/group", 0o644, "root:x:0:\n");
    tree.file("sbin/shutdown", 0o755, SHUTDOWN);
    tree.file("init", 0o755, INIT);
    Ok(tree)
}

/// Builds the initramfs and writes it (uncompressed cpio) to `out`.
pub fn write(tools: &HostTools, agent: &AgentSpec, out: &Path) -> Result<(), String> {
    let tree = build_tree(tools, agent)?;
    let file = fs::File::create(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let mut writer = BufWriter::new(file);
    tree.write_newc(&mut writer)
        .and_then(|()| writer.flush())
        .map_err(|e| format!("writing {}: {e}", out.display()))
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// busybox as `/bin/busybox`, and a link for each of its applets.
fn add_busybox(tree: &mut Tree, busybox: &Path) -> Result<(), String> {
    tree.file("bin/busybox", 0o755, read(busybox)?);
    let out = Command::new(busybox)
        .arg("--list-full")
        .output()
        .map_err(|e| format!("running {} --list-full: {e}", busybox.display()))?;
    let list = String::from_utf8_lossy(&out.stdout);
    for applet in list.lines().map(str::trim).filter(|a| !a.is_empty()) {
        if !tree.contains(applet) {
            tree.symlink(applet, "/bin/busybox");
        }
    }
    if !tree.contains("bin/sh") {
        return Err(format!("{} has no sh applet", busybox.display()));
    }
    Ok(())
}

/// The driver modules in `/lib/modules`, their load order in
/// `/etc/modules.load`.
fn add_modules(tree: &mut Tree, modules: &Path) -> Result<(), String> {
    let index = ModuleIndex::open(modules)?;
    let mut order = String::new();
    for path in index.load_order(GUEST_MODULES)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| format!("bad module path {}", path.display()))?;
        tree.file(&format!("lib/modules/{name}"), 0o644, read(&path)?);
        order.push_str(&name);
        order.push('\n');
    }
    tree.file("etc/modules.load", 0o644, order);
    Ok(())
}

/// The agent at `/usr/sbin/guest-agent`, its libraries at their host
/// paths, and `/usr/sbin/start-agent`, which runs it with its arguments.
fn add_agent(tree: &mut Tree, agent: &AgentSpec) -> Result<(), String> {
    tree.file("usr/sbin/guest-agent", 0o755, read(&agent.binary)?);
    for lib in shared_libraries(&agent.binary)? {
        let path = lib.to_string_lossy();
        if !tree.contains(&path) {
            tree.file(&path, 0o755, read(&lib)?);
        }
    }
    let args: Vec<String> = agent.args.iter().map(|a| shell_quote(a)).collect();
    let cmdline = format!("/usr/sbin/guest-agent {}", args.join(" "));
    tree.file(
        "usr/sbin/start-agent",
        0o755,
        format!("#!/bin/sh\nexec {cmdline} \"$@\"\n"),
    );
    tree.file("etc/agent.cmdline", 0o644, format!("{cmdline}\n"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_embedded() {
        assert!(INIT.starts_with("#!/bin/sh"));
        assert!(INIT.contains("/etc/modules.load"));
        assert!(INIT.contains("/usr/sbin/start-agent"));
        assert!(SHUTDOWN.contains("poweroff -f"));
    }

    #[test]
    fn agent_gets_a_start_script() {
        let mut tree = Tree::new();
        let spec = AgentSpec {
            label: "sh".into(),
            binary: "/bin/sh".into(),
            args: vec!["-c".into(), "echo 'hi'".into()],
        };
        add_agent(&mut tree, &spec).expect("add /bin/sh");
        assert!(tree.contains("usr/sbin/guest-agent"));
        assert!(tree.contains("usr/sbin/start-agent"));
        let mut out = Vec::new();
        tree.write_newc(&mut out).expect("vec");
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(r#"exec /usr/sbin/guest-agent '-c' 'echo '\''hi'\''' "$@""#));
    }
}
