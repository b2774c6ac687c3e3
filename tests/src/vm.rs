//! A qemu process running the test VM, killed when dropped.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::host::HostTools;

/// Serial number of the data disk, as the guest sees it.
pub const DATA_DISK_SERIAL: &str = "QGA-DATA-0001";
/// File system label of the data disk.
pub const DATA_DISK_LABEL: &str = "qgadata";
/// Where the guest mounts the data disk.
pub const DATA_MOUNT: &str = "/mnt/data";
/// MAC address of the guest's NIC.
pub const GUEST_MAC: &str = "52:54:00:12:34:56";
/// Number of vCPUs.
pub const GUEST_VCPUS: usize = 2;
/// Name of the second virtio-serial port, a line channel between the host
/// and programs in the guest (see [`crate::probe`]).
pub const PROBE_PORT: &str = "e2e.probe";
/// Serial number of the (blank) NVMe disk.
pub const NVME_DISK_SERIAL: &str = "QGA-NVME-0001";
/// Size of the data disk.
const DATA_DISK_BYTES: u64 = 64 << 20;
/// Size of the NVMe disk: it only has to exist.
const NVME_DISK_BYTES: u64 = 4 << 20;

/// Files of one VM inside its work directory.
#[derive(Debug, Clone)]
pub struct VmFiles {
    /// The initramfs to boot.
    pub initramfs: PathBuf,
    /// The ext4 data disk image.
    pub data_disk: PathBuf,
    /// The NVMe disk image (blank).
    pub nvme_disk: PathBuf,
    /// The host end of the agent's port (qemu listens there).
    pub agent_socket: PathBuf,
    /// The host end of the probe port (qemu listens there).
    pub probe_socket: PathBuf,
    /// The guest's serial console.
    pub console_log: PathBuf,
    /// qemu's own stdout and stderr.
    pub qemu_log: PathBuf,
}

impl VmFiles {
    /// The standard names inside `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            initramfs: dir.join("initramfs.cpio"),
            data_disk: dir.join("data.img"),
            nvme_disk: dir.join("nvme.img"),
            agent_socket: dir.join("qga.sock"),
            probe_socket: dir.join("probe.sock"),
            console_log: dir.join("console.log"),
            qemu_log: dir.join("qemu.log"),
        }
    }
}

/// Creates a fresh, empty ext4 image labelled [`DATA_DISK_LABEL`].
pub fn make_data_disk(tools: &HostTools, path: &Path) -> Result<(), String> {
    let file = fs::File::create(path).map_err(|e| format!("creating {}: {e}", path.display()))?;
    file.set_len(DATA_DISK_BYTES)
        .map_err(|e| format!("sizing {}: {e}", path.display()))?;
    drop(file);
    let out = Command::new(&tools.mkfs_ext4)
        .args(["-q", "-F", "-L", DATA_DISK_LABEL])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("running mkfs.ext4: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "mkfs.ext4 failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Creates a blank (sparse) image for the NVMe disk.
pub fn make_nvme_disk(path: &Path) -> Result<(), String> {
    fs::File::create(path)
        .and_then(|file| file.set_len(NVME_DISK_BYTES))
        .map_err(|e| format!("creating {}: {e}", path.display()))
}

/// The qemu command line for the test VM.
pub fn qemu_args(tools: &HostTools, files: &VmFiles) -> Vec<String> {
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let mut args: Vec<String> = [
        "-name",
        "qga-e2e",
        "-nodefaults",
        "-no-user-config",
        "-display",
        "none",
        "-machine",
        "q35,accel=tcg",
        "-cpu",
        "max",
        "-m",
        "512M",
        "-no-reboot",
    ]
    .map(str::to_owned)
    .to_vec();
    let rest = [
        ("-smp", GUEST_VCPUS.to_string()),
        ("-kernel", path(&tools.kernel)),
        ("-initrd", path(&files.initramfs)),
        // NVMe multipath off: with it, /sys/block/nvme0n1 is a virtual
        // multipath head whose bus neither agent can tell, and which so
        // gets no SMART data; without it, the namespace sits below its PCI
        // controller.
        (
            "-append",
            "console=ttyS0 quiet loglevel=4 panic=5 nvme_core.multipath=N".to_owned(),
        ),
        (
            "-chardev",
            format!("file,id=console,path={}", path(&files.console_log)),
        ),
        ("-serial", "chardev:console".to_owned()),
        (
            "-chardev",
            format!(
                "socket,id=agent,path={},server=on,wait=off",
                path(&files.agent_socket)
            ),
        ),
        ("-device", "virtio-serial-pci,id=vser0".to_owned()),
        (
            "-device",
            "virtserialport,bus=vser0.0,chardev=agent,name=org.qemu.guest_agent.0".to_owned(),
        ),
        (
            "-chardev",
            format!(
                "socket,id=probe,path={},server=on,wait=off",
                path(&files.probe_socket)
            ),
        ),
        (
            "-device",
            format!("virtserialport,bus=vser0.0,chardev=probe,name={PROBE_PORT}"),
        ),
        (
            "-drive",
            format!(
                "file={},format=raw,if=none,id=data,cache=unsafe,discard=unmap",
                path(&files.data_disk)
            ),
        ),
        (
            "-device",
            format!("virtio-blk-pci,drive=data,serial={DATA_DISK_SERIAL}"),
        ),
        (
            "-drive",
            format!(
                "file={},format=raw,if=none,id=nvm,cache=unsafe",
                path(&files.nvme_disk)
            ),
        ),
        (
            "-device",
            format!("nvme,drive=nvm,serial={NVME_DISK_SERIAL}"),
        ),
        ("-netdev", "user,id=net0,restrict=on".to_owned()),
        (
            "-device",
            format!("virtio-net-pci,netdev=net0,mac={GUEST_MAC}"),
        ),
    ];
    for (flag, value) in rest {
        args.push(flag.to_owned());
        args.push(value);
    }
    args
}

/// A running qemu. Dropping it kills and reaps the process.
#[derive(Debug)]
pub struct Vm {
    child: Child,
    files: VmFiles,
    started: Instant,
    exit: Option<ExitStatus>,
}

impl Vm {
    /// Launches qemu; the initramfs and data disk must exist already.
    pub fn launch(tools: &HostTools, files: VmFiles) -> Result<Self, String> {
        let log = fs::File::create(&files.qemu_log)
            .map_err(|e| format!("creating {}: {e}", files.qemu_log.display()))?;
        let log2 = log
            .try_clone()
            .map_err(|e| format!("duplicating log handle: {e}"))?;
        let started = Instant::now();
        let child = Command::new(&tools.qemu)
            .args(qemu_args(tools, &files))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", tools.qemu.display()))?;
        Ok(Self {
            child,
            files,
            started,
            exit: None,
        })
    }

    /// When qemu was started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// The VM's files.
    pub fn files(&self) -> &VmFiles {
        &self.files
    }

    /// qemu's exit status, if it has exited (without waiting).
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().ok().flatten();
        }
        self.exit
    }

    /// Waits up to `timeout` for qemu to exit by itself.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_exit() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The last `lines` lines of the console log and of qemu's own output
    /// (read now: the files go away with the work directory).
    pub fn log_tail(&self, lines: usize) -> String {
        let mut out = String::new();
        for (title, path) in [
            ("guest console", &self.files.console_log),
            ("qemu", &self.files.qemu_log),
        ] {
            let text = fs::read(path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            let from = all.len().saturating_sub(lines);
            out.push_str(&format!("--- {title}, last {lines} lines ---\n"));
            for line in all.get(from..).unwrap_or_default() {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        if self.try_exit().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_tools() -> HostTools {
        HostTools {
            qemu: "/bin/sleep".into(),
            kernel: "/k/vmlinuz".into(),
            modules: "/k/lib/modules/6".into(),
            busybox: "/bin/busybox".into(),
            mkfs_ext4: "/sbin/mkfs.ext4".into(),
        }
    }

    #[test]
    fn command_line_has_the_required_devices() {
        let files = VmFiles::in_dir(Path::new("/tmp/x"));
        let args = qemu_args(&fake_tools(), &files).join(" ");
        for needle in [
            "accel=tcg",
            "restrict=on",
            "name=org.qemu.guest_agent.0",
            "socket,id=agent,path=/tmp/x/qga.sock,server=on,wait=off",
            "serial=QGA-DATA-0001",
            "-smp 2",
            "socket,id=probe,path=/tmp/x/probe.sock,server=on,wait=off",
            "chardev=probe,name=e2e.probe",
            "nvme,drive=nvm,serial=QGA-NVME-0001",
            "-initrd /tmp/x/initramfs.cpio",
            "-kernel /k/vmlinuz",
        ] {
            assert!(args.contains(needle), "{needle} missing from {args}");
        }
    }

    #[test]
    fn drop_kills_the_process() {
        let dir = crate::workdir::WorkDir::new().expect("dir");
        let mut tools = fake_tools();
        // A "qemu" that fails at once, for launch and wait_exit; the kill
        // path needs a long-running child, started by hand.
        tools.qemu = "/bin/false".into();
        let child = Command::new("/bin/sleep").arg("30").spawn().expect("sleep");
        let pid = child.id();
        let vm = Vm {
            child,
            files: VmFiles::in_dir(dir.path()),
            started: Instant::now(),
            exit: None,
        };
        drop(vm);
        assert!(!Path::new(&format!("/proc/{pid}")).exists());
        let mut vm = Vm::launch(&tools, VmFiles::in_dir(dir.path())).expect("launch");
        let status = vm.wait_exit(Duration::from_secs(10)).expect("sh exits");
        assert!(!status.success());
        assert!(vm.log_tail(5).contains("--- qemu"));
    }
}
