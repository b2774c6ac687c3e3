//! The scenario's exchanges with the agent, each with its checks. The
//! vCPU and freeze steps are in their own modules.

mod freeze;
mod vcpus;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::base64;
use crate::client::{request, AgentClient};
use crate::initramfs::GUEST_HOSTNAME;
use crate::scenario::{ScenarioResult, StepRecord, COMMAND_TIMEOUT};
use crate::vm::{DATA_DISK_SERIAL, DATA_MOUNT, GUEST_MAC, GUEST_VCPUS};

/// Drives the agent, recording exchanges and failed checks. Methods return
/// `Err` only when the connection itself fails.
pub(crate) struct Runner<'a> {
    pub(crate) client: AgentClient,
    pub(crate) result: &'a mut ScenarioResult,
    /// Names of the commands the agent reports as enabled.
    pub(crate) enabled: Vec<String>,
    /// The host end of the probe port.
    pub(crate) probe_socket: PathBuf,
}

impl Runner<'_> {
    pub(crate) fn fail(&mut self, message: String) {
        self.result.failures.push(message);
    }

    fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.fail(message());
        }
    }

    /// Sends a command and records the exchange under `step`. Returns the
    /// `return` member, or `None` (and a failure) for an error reply.
    fn call(&mut self, step: &str, name: &str, args: Value) -> Result<Option<Value>, String> {
        let start = Instant::now();
        let reply = self.client.call(name, &args, COMMAND_TIMEOUT)?;
        self.result.steps.push(StepRecord {
            name: step.to_owned(),
            request: request(name, &args),
            reply: Some(reply.clone()),
            elapsed: start.elapsed(),
        });
        match reply.get("return") {
            Some(value) => Ok(Some(value.clone())),
            None => {
                self.fail(format!("{step}: {reply}"));
                Ok(None)
            }
        }
    }

    /// The information commands.
    pub(crate) fn info_commands(&mut self) -> Result<(), String> {
        let ping = self.call("guest-ping", "guest-ping", Value::Null)?;
        self.check(ping == Some(json!({})), || {
            format!("guest-ping returned {ping:?}")
        });

        let info = self
            .call("guest-info", "guest-info", Value::Null)?
            .unwrap_or_default();
        self.check(info["version"].is_string(), || {
            "guest-info: no version".into()
        });
        self.enabled = info["supported_commands"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|c| c["enabled"] == json!(true))
            .filter_map(|c| c["name"].as_str().map(str::to_owned))
            .collect();
        self.check(self.enabled.iter().any(|c| c == "guest-ping"), || {
            "guest-info: guest-ping not among the enabled commands".into()
        });

        let os = self
            .call("guest-get-osinfo", "guest-get-osinfo", Value::Null)?
            .unwrap_or_default();
        self.check(os["id"] == json!("e2e-guest"), || {
            format!("guest-get-osinfo: id {}", os["id"])
        });
        self.check(os["kernel-release"].is_string(), || {
            "guest-get-osinfo: no kernel-release".into()
        });

        let fs = self
            .call("guest-get-fsinfo", "guest-get-fsinfo", Value::Null)?
            .unwrap_or_default();
        let data = items(&fs)
            .iter()
            .find(|f| f["mountpoint"] == json!(DATA_MOUNT));
        let serial = data.map(|f| {
            items(&f["disk"])
                .iter()
                .any(|d| d["serial"] == json!(DATA_DISK_SERIAL))
        });
        self.check(data.is_some_and(|f| f["type"] == json!("ext4")), || {
            format!("guest-get-fsinfo: no ext4 on {DATA_MOUNT}: {fs}")
        });
        self.check(serial == Some(true), || {
            format!("guest-get-fsinfo: no disk with serial {DATA_DISK_SERIAL}: {fs}")
        });

        self.disks()?;

        let nics = self
            .call(
                "guest-network-get-interfaces",
                "guest-network-get-interfaces",
                Value::Null,
            )?
            .unwrap_or_default();
        let has = |name: &str, mac: &str, ip: &str| {
            items(&nics).iter().any(|n| {
                n["name"] == json!(name)
                    && n["hardware-address"] == json!(mac)
                    && items(&n["ip-addresses"])
                        .iter()
                        .any(|a| a["ip-address"] == json!(ip))
            })
        };
        let (lo, eth0) = (
            has("lo", "00:00:00:00:00:00", "127.0.0.1"),
            has("eth0", GUEST_MAC, "10.0.2.15"),
        );
        self.check(lo && eth0, || {
            format!("guest-network-get-interfaces: lo or eth0 missing: {nics}")
        });

        let cpus = self
            .call("guest-get-vcpus", "guest-get-vcpus", Value::Null)?
            .unwrap_or_default();
        let all_online = vec![true; GUEST_VCPUS];
        self.check(vcpus::online_states(&cpus) == all_online, || {
            format!("guest-get-vcpus: expected {GUEST_VCPUS} online vCPUs: {cpus}")
        });

        let host = self
            .call("guest-get-host-name", "guest-get-host-name", Value::Null)?
            .unwrap_or_default();
        self.check(host["host-name"] == json!(GUEST_HOSTNAME), || {
            format!("guest-get-host-name: {host}")
        });
        Ok(())
    }

    /// `guest-get-disks`: the virtio data disk with its serial, and the
    /// NVMe disk with its SMART data.
    fn disks(&mut self) -> Result<(), String> {
        let disks = self
            .call("guest-get-disks", "guest-get-disks", Value::Null)?
            .unwrap_or_default();
        let data = items(&disks).iter().any(|d| {
            d["partition"] == json!(false)
                && d["address"]["serial"] == json!(DATA_DISK_SERIAL)
                && d["address"]["bus-type"] == json!("virtio")
        });
        self.check(data, || {
            format!("guest-get-disks: no virtio disk with serial {DATA_DISK_SERIAL}: {disks}")
        });
        let nvme = items(&disks)
            .iter()
            .find(|d| d["address"]["bus-type"] == json!("nvme"));
        // qemu's NVMe device reports a fixed composite temperature
        // (323 K); any plausible one will do.
        let smart_ok = nvme.is_some_and(|d| {
            d["smart"]["type"] == json!("nvme")
                && d["smart"]["temperature"]
                    .as_i64()
                    .is_some_and(|k| (200..400).contains(&k))
        });
        self.check(smart_ok, || {
            format!("guest-get-disks: no NVMe disk with SMART data: {disks}")
        });
        Ok(())
    }

    /// Open, write, seek, read back and close a file on the data disk.
    pub(crate) fn file_round_trip(&mut self) -> Result<(), String> {
        let path = format!("{DATA_MOUNT}/e2e.txt");
        let text = b"written by the host, read back by the host\n";
        let opened = self.call(
            "guest-file-open",
            "guest-file-open",
            json!({"path": path, "mode": "w+"}),
        )?;
        let Some(handle) = opened.as_ref().and_then(Value::as_i64) else {
            self.fail(format!("guest-file-open: no handle: {opened:?}"));
            return Ok(());
        };
        let written = self.call(
            "guest-file-write",
            "guest-file-write",
            json!({"handle": handle, "buf-b64": base64::encode(text)}),
        )?;
        let count = written.as_ref().map(|w| w["count"].clone());
        self.check(count == Some(json!(text.len())), || {
            format!("guest-file-write: {written:?}")
        });
        let seek = self.call(
            "guest-file-seek",
            "guest-file-seek",
            json!({"handle": handle, "offset": 0, "whence": "set"}),
        )?;
        let position = seek.as_ref().map(|s| s["position"].clone());
        self.check(position == Some(json!(0)), || {
            format!("guest-file-seek: {seek:?}")
        });
        let read = self.call(
            "guest-file-read",
            "guest-file-read",
            json!({"handle": handle, "count": 4096}),
        )?;
        let back = read
            .as_ref()
            .and_then(|r| r["buf-b64"].as_str())
            .and_then(base64::decode);
        self.check(back.as_deref() == Some(text.as_slice()), || {
            format!("guest-file-read: {read:?}")
        });
        let closed = self.call(
            "guest-file-close",
            "guest-file-close",
            json!({"handle": handle}),
        )?;
        self.check(closed == Some(json!({})), || {
            format!("guest-file-close: {closed:?}")
        });
        Ok(())
    }

    /// Runs `/bin/echo hi` with captured output and waits for its status.
    pub(crate) fn exec_echo(&mut self) -> Result<(), String> {
        let Some(pid) = self.exec(
            "guest-exec",
            json!({"path": "/bin/echo", "arg": ["hi"], "capture-output": true}),
        )?
        else {
            return Ok(());
        };
        let status = self.wait_exec("guest-exec-status", pid)?;
        self.check_exit(&status, "guest-exec-status", b"hi\n");
        Ok(())
    }

    /// `guest-exec` with `args`, recorded as `step`; the pid it returned.
    fn exec(&mut self, step: &str, args: Value) -> Result<Option<i64>, String> {
        let started = self.call(step, "guest-exec", args)?;
        let pid = started.as_ref().and_then(|s| s["pid"].as_i64());
        if pid.is_none() {
            self.fail(format!("{step}: no pid: {started:?}"));
        }
        Ok(pid)
    }

    /// Polls `guest-exec-status` for `pid` until it has exited (or an
    /// error, or [`COMMAND_TIMEOUT`]); only the last reply is recorded, as
    /// `step`. Returns that reply.
    fn wait_exec(&mut self, step: &str, pid: i64) -> Result<Value, String> {
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        loop {
            let args = json!({"pid": pid});
            let start = Instant::now();
            let reply = self
                .client
                .call("guest-exec-status", &args, COMMAND_TIMEOUT)?;
            let exited = reply["return"]["exited"] == json!(true);
            if exited || reply.get("return").is_none() || Instant::now() >= deadline {
                self.result.steps.push(StepRecord {
                    name: step.to_owned(),
                    request: request("guest-exec-status", &args),
                    reply: Some(reply.clone()),
                    elapsed: start.elapsed(),
                });
                return Ok(reply);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Checks that a `guest-exec-status` reply says "exited with 0" and
    /// carries `out` as its captured output.
    fn check_exit(&mut self, reply: &Value, step: &str, out: &[u8]) {
        let status = &reply["return"];
        let captured = status["out-data"].as_str().and_then(base64::decode);
        self.check(
            status["exited"] == json!(true)
                && status["exitcode"] == json!(0)
                && captured.as_deref() == Some(out),
            || format!("{step}: {reply}"),
        );
    }

    /// Trims the data disk (qemu passes discards through: `discard=unmap`).
    pub(crate) fn fstrim(&mut self) -> Result<(), String> {
        let trimmed = self
            .call("guest-fstrim", "guest-fstrim", Value::Null)?
            .unwrap_or_default();
        let ok = items(&trimmed["paths"]).iter().any(|p| {
            p["path"] == json!(DATA_MOUNT)
                && p.get("error").is_none()
                && p["trimmed"].is_u64()
                && p["minimum"].is_u64()
        });
        self.check(ok, || {
            format!("guest-fstrim: {DATA_MOUNT} not trimmed: {trimmed}")
        });
        Ok(())
    }
}

/// The elements of an array value; empty for anything else.
fn items(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_tolerates_non_arrays() {
        assert!(items(&json!({})).is_empty());
        assert_eq!(items(&json!([1, 2])).len(), 2);
    }
}
