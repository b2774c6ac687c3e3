//! Which guest agent a scenario runs, and where our own one is built.

use std::path::{Path, PathBuf};

/// Path of the agent's virtio-serial port inside the guest.
pub const GUEST_PORT: &str = "/dev/virtio-ports/org.qemu.guest_agent.0";

/// Debian's reference agent.
pub const DEBIAN_QEMU_GA: &str = "/usr/sbin/qemu-ga";

/// The agent to put into the VM: a binary and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSpec {
    /// Short name, used for file names of the recordings (`qemu-ga-7.2`).
    pub label: String,
    /// The agent binary on the host; a dynamically linked one is copied
    /// with its shared libraries.
    pub binary: PathBuf,
    /// Its command-line arguments in the guest.
    pub args: Vec<String>,
}

impl AgentSpec {
    /// An agent with qemu-ga's command line: virtio-serial on the standard
    /// port, state in `/run`, a pid file.
    pub fn qemu_ga_style(label: &str, binary: impl Into<PathBuf>) -> Self {
        let args = [
            "-m",
            "virtio-serial",
            "-p",
            GUEST_PORT,
            "-t",
            "/run",
            "-f",
            "/run/qga.pid",
        ];
        Self {
            label: label.to_owned(),
            binary: binary.into(),
            args: args.map(str::to_owned).to_vec(),
        }
    }

    /// Debian's qemu-ga (bookworm: 7.2), the reference.
    pub fn debian_qemu_ga() -> Self {
        Self::qemu_ga_style("qemu-ga", DEBIAN_QEMU_GA)
    }
}

/// Where this project's agent binary is looked for, best first: the
/// `QGA_DAEMON_BIN` variable, then static (musl) and native release builds
/// under `target_dir`.
pub fn qga_daemon_candidates(target_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(bin) = std::env::var_os("QGA_DAEMON_BIN").filter(|v| !v.is_empty()) {
        out.push(PathBuf::from(bin));
    }
    out.push(target_dir.join("x86_64-unknown-linux-musl/release/qga-daemon"));
    out.push(target_dir.join("release/qga-daemon"));
    out
}

/// The first existing candidate of [`qga_daemon_candidates`].
pub fn find_qga_daemon(target_dir: &Path) -> Option<PathBuf> {
    qga_daemon_candidates(target_dir)
        .into_iter()
        .find(|p| p.is_file())
}

/// Quotes a word for a POSIX shell.
pub fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_quotes_and_spaces() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn qemu_ga_args_name_the_port() {
        let spec = AgentSpec::debian_qemu_ga();
        let at = spec.args.iter().position(|a| a == "-p").expect("-p");
        assert_eq!(spec.args.get(at + 1).map(String::as_str), Some(GUEST_PORT));
    }

    #[test]
    fn daemon_candidates_prefer_static_build() {
        let c = qga_daemon_candidates(Path::new("/t"));
        let n = c.len();
        assert!(n >= 2);
        assert_eq!(
            c[n - 2],
            PathBuf::from("/t/x86_64-unknown-linux-musl/release/qga-daemon")
        );
        assert_eq!(c[n - 1], PathBuf::from("/t/release/qga-daemon"));
        assert!(find_qga_daemon(Path::new("/nonexistent-e2e")).is_none() || n > 2);
    }
}
