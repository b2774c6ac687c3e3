//! The freeze steps: freeze, a write to the data disk that blocks until
//! the thaw, thaw.
//!
//! While frozen the agent refuses everything but a few commands (no
//! `guest-exec`, no `guest-exec-status`), so the writer is started before
//! the freeze and waits for a `go` on the probe port; it answers `written`
//! there once its write is through. No answer within [`STILL_BLOCKED`] of
//! the `go` is taken as the evidence that the write blocks.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::Runner;
use crate::probe::ProbePort;
use crate::scenario::COMMAND_TIMEOUT;
use crate::vm::{DATA_MOUNT, PROBE_PORT};

/// How long the write must stay unfinished while frozen.
const STILL_BLOCKED: Duration = Duration::from_millis(1000);
/// The file the writer creates on the data disk.
const BLOCKED_FILE: &str = "blocked";
/// What the writer prints once done: the file's content.
const WRITTEN: &[u8] = b"x\n";

/// The writer, for `sh -c`: waits for `go` (a read gives end-of-file
/// while the host end is not connected, hence the loop), writes and syncs
/// a file on the data disk, reports `written`, and prints the file.
fn writer_script() -> String {
    format!(
        "port=/dev/virtio-ports/{PROBE_PORT}\n\
         until read -r word <\"$port\" && [ \"$word\" = go ]; do sleep 0.1; done\n\
         echo x >{DATA_MOUNT}/{BLOCKED_FILE} && sync\n\
         echo written >\"$port\"\n\
         cat {DATA_MOUNT}/{BLOCKED_FILE}\n"
    )
}

impl Runner<'_> {
    /// Freeze, status frozen, a write that blocks, thaw, status thawed,
    /// the write completes.
    pub(crate) fn freeze_cycle(&mut self) -> Result<(), String> {
        let mut probe =
            ProbePort::connect(&self.probe_socket, Instant::now() + Duration::from_secs(5))?;
        let writer = self.exec(
            "guest-exec blocked writer",
            json!({"path": "/bin/sh", "arg": ["-c", writer_script()], "capture-output": true}),
        )?;

        let frozen = self.call(
            "guest-fsfreeze-freeze",
            "guest-fsfreeze-freeze",
            Value::Null,
        )?;
        self.check(frozen.as_ref().and_then(Value::as_i64) >= Some(1), || {
            format!("guest-fsfreeze-freeze: {frozen:?}")
        });
        let status = self.call(
            "guest-fsfreeze-status frozen",
            "guest-fsfreeze-status",
            Value::Null,
        )?;
        self.check(status == Some(json!("frozen")), || {
            format!("guest-fsfreeze-status: {status:?} while frozen")
        });

        let mut early = None;
        if writer.is_some() {
            probe.send_line("go")?;
            early = probe.read_line(Instant::now() + STILL_BLOCKED)?;
            self.check(early.is_none(), || {
                format!("a write to the frozen {DATA_MOUNT} did not block: {early:?}")
            });
        }

        let thawed = self.call("guest-fsfreeze-thaw", "guest-fsfreeze-thaw", Value::Null)?;
        self.check(thawed == frozen, || {
            format!("guest-fsfreeze-thaw: {thawed:?}, froze {frozen:?}")
        });
        let status = self.call(
            "guest-fsfreeze-status thawed",
            "guest-fsfreeze-status",
            Value::Null,
        )?;
        self.check(status == Some(json!("thawed")), || {
            format!("guest-fsfreeze-status: {status:?} after thaw")
        });

        let Some(pid) = writer else {
            return Ok(());
        };
        let late = match early {
            Some(line) => Some(line),
            None => probe.read_line(Instant::now() + COMMAND_TIMEOUT)?,
        };
        self.check(late.as_deref() == Some("written"), || {
            format!("the write to {DATA_MOUNT} did not finish after the thaw: {late:?}")
        });
        let step = "guest-exec-status blocked writer";
        let reply = self.wait_exec(step, pid)?;
        self.check_exit(&reply, step, WRITTEN);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_uses_the_probe_port_and_the_data_disk() {
        let script = writer_script();
        assert!(script.contains("/dev/virtio-ports/e2e.probe"));
        assert!(script.contains("echo x >/mnt/data/blocked && sync"));
        assert!(script.ends_with("cat /mnt/data/blocked\n"));
        assert_eq!(WRITTEN, b"x\n");
    }
}
