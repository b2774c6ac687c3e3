//! The texts of `--help`, `--version` and the hint after a usage error.

use super::{
    DEFAULT_CONFIG_PATH, DEFAULT_FSFREEZE_HOOK, DEFAULT_ISA_SERIAL_PATH, DEFAULT_PIDFILE,
    DEFAULT_STATEDIR, DEFAULT_VIRTIO_SERIAL_PATH,
};

/// The line `-V` prints (without its newline): `QEMU Guest Agent <version>`.
pub fn version_banner(version: &str) -> String {
    format!("QEMU Guest Agent {version}")
}

/// The line qemu-ga prints after a usage error (without its newline).
/// qemu-ga writes `<prog>: <error>` on stderr, then this line on stdout.
pub fn usage_hint(prog: &str) -> String {
    format!("Unknown option, try '{prog} --help' for more information.")
}

/// The text `-h` prints: qemu-ga's help, with the configuration path
/// given once and our `--freeze-timeout` option added.
pub fn help_text(prog: &str, version: &str) -> String {
    format!(
        "Usage: {prog} [-m <method> -p <path>] [<options>]
{banner}

  -c, --config=PATH configuration file path (default is
                    {DEFAULT_CONFIG_PATH}
                    unless overridden by the QGA_CONF environment variable)
  -m, --method      transport method: one of unix-listen, virtio-serial,
                    isa-serial, or vsock-listen (virtio-serial is the default)
  -p, --path        device/socket path (the default for virtio-serial is:
                    {DEFAULT_VIRTIO_SERIAL_PATH},
                    the default for isa-serial is:
                    {DEFAULT_ISA_SERIAL_PATH}).
                    Socket addresses for vsock-listen are written as
                    <cid>:<port>.
  -l, --logfile     set logfile path, logs to stderr by default
  -f, --pidfile     specify pidfile (default is {DEFAULT_PIDFILE})
  -F, --fsfreeze-hook
                    enable fsfreeze hook. Accepts an optional argument that
                    specifies script to run on freeze/thaw. Script will be
                    called with 'freeze'/'thaw' arguments accordingly.
                    (default is {DEFAULT_FSFREEZE_HOOK})
                    If using -F with an argument, do not follow -F with a
                    space.
                    (for example: -F/var/run/fsfreezehook.sh)
      --freeze-timeout=SECONDS
                    thaw frozen filesystems automatically SECONDS after a
                    freeze (0, the default, never thaws automatically)
  -t, --statedir    specify dir to store state information (absolute paths
                    only, default is {DEFAULT_STATEDIR})
  -v, --verbose     log extra debugging information
  -V, --version     print version information and exit
  -d, --daemonize   become a daemon
  -b, --block-rpcs  comma-separated list of RPCs to disable (no spaces,
                    use \"--block-rpcs=help\" to list available RPCs)
  -a, --allow-rpcs  comma-separated list of RPCs to enable (no spaces,
                    use \"--allow-rpcs=help\" to list available RPCs)
  -D, --dump-conf   dump a qemu-ga config file based on current config
                    options / command-line parameters to stdout
  -r, --retry-path  attempt re-opening path if it's unavailable or closed
                    due to an error which may be recoverable in the future
                    (virtio-serial driver re-install, serial device hot
                    plug/unplug, etc.)
  -h, --help        display this help and exit
",
        banner = version_banner(version),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_and_hint() {
        assert_eq!(version_banner("10.2.0"), "QEMU Guest Agent 10.2.0");
        assert_eq!(
            usage_hint("/usr/sbin/qemu-ga"),
            "Unknown option, try '/usr/sbin/qemu-ga --help' for more information."
        );
    }

    #[test]
    fn help_mentions_every_option_once() {
        let text = help_text("qemu-ga", "10.2.0");
        assert!(text.starts_with(
            "Usage: qemu-ga [-m <method> -p <path>] [<options>]\nQEMU Guest Agent 10.2.0\n"
        ));
        for opt in [
            "--config",
            "--method",
            "--path",
            "--logfile",
            "--pidfile",
            "--fsfreeze-hook",
            "--freeze-timeout",
            "--statedir",
            "--verbose",
            "--version",
            "--daemonize",
            "--block-rpcs",
            "--allow-rpcs",
            "--dump-conf",
            "--retry-path",
            "--help",
        ] {
            assert!(
                text.contains(&format!("{opt} "))
                    || text.contains(&format!("{opt}="))
                    || text.contains(&format!("{opt}\n")),
                "{opt}"
            );
        }
        assert_eq!(text.matches("/etc/qemu/qemu-ga.conf").count(), 1);
    }
}
