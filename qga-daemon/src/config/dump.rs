//! `-D`: the effective configuration as a key file.

use super::keyfile::escape_value;
use super::Config;
use std::fmt::Write;

impl Config {
    /// The text `-D` prints: qemu-ga 10's keys in its order, values escaped
    /// as GLib writes them; `path`, `logfile` and `fsfreeze-hook` only when
    /// set, lists in the order qemu-ga keeps them, and `freeze-timeout`
    /// (ours) last and only when set.
    pub fn dump(&self) -> String {
        let mut out = String::from("[general]\n");
        let mut put = |key: &str, value: &str| {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{key}={}", escape_value(value));
        };
        put("daemon", bool_str(self.daemonize));
        put("method", self.method.name());
        if let Some(path) = &self.path {
            put("path", path);
        }
        if let Some(logfile) = &self.logfile {
            put("logfile", logfile);
        }
        put("pidfile", &self.pidfile);
        if let Some(hook) = &self.fsfreeze_hook {
            put("fsfreeze-hook", hook);
        }
        put("statedir", &self.statedir);
        put("verbose", bool_str(self.verbose));
        put("retry-path", bool_str(self.retry_path));
        put("block-rpcs", &self.block_rpcs.join(","));
        put("allow-rpcs", &self.allow_rpcs.join(","));
        if let Some(seconds) = self.freeze_timeout {
            put("freeze-timeout", &seconds.to_string());
        }
        out
    }
}

fn bool_str(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}
