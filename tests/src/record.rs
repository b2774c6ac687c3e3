//! Scenario results on disk, their comparison, and how tests report them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::host::vm_required;
use crate::scenario::ScenarioResult;
use crate::shape::{self, DiffKind, ShapeDiff};

/// The build's target directory: `CARGO_TARGET_DIR` when set, else the one
/// the running test binary lives in (`<target>/debug/deps/<test>`).
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_owned))
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// Where recordings go: `<target>/e2e`.
pub fn output_dir() -> PathBuf {
    target_dir().join("e2e")
}

fn seconds(d: std::time::Duration) -> Value {
    json!((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl ScenarioResult {
    /// The result as JSON: timings, failures and every exchange.
    pub fn to_json(&self) -> Value {
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "request": s.request,
                    "reply": s.reply,
                    "seconds": seconds(s.elapsed),
                })
            })
            .collect();
        json!({
            "agent": self.agent,
            "skipped": self.skipped,
            "failures": self.failures,
            "prepare_seconds": seconds(self.prepare),
            "boot_to_first_reply_seconds": self.boot_to_first_reply.map(seconds),
            "total_seconds": seconds(self.total),
            "qemu_exit": self.qemu_exit,
            "steps": steps,
        })
    }

    /// Writes `<dir>/<agent>.json` and `<dir>/<agent>-console.log`;
    /// returns the JSON file's path.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, String> {
        fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let json_path = dir.join(format!("{}.json", self.agent));
        let text = serde_json::to_string_pretty(&self.to_json()).map_err(|e| e.to_string())?;
        fs::write(&json_path, text + "\n")
            .map_err(|e| format!("writing {}: {e}", json_path.display()))?;
        let log_path = dir.join(format!("{}-console.log", self.agent));
        fs::write(&log_path, &self.console)
            .map_err(|e| format!("writing {}: {e}", log_path.display()))?;
        Ok(json_path)
    }

    /// A short human summary: timings and step count.
    pub fn summary(&self) -> String {
        let boot = self
            .boot_to_first_reply
            .map_or_else(|| "-".to_owned(), |d| format!("{:.2} s", d.as_secs_f64()));
        format!(
            "{}: {} steps, prepare {:.2} s, boot to first reply {boot}, launch to exit {:.2} s, qemu exit {:?}, {} failure(s)",
            self.agent,
            self.steps.len(),
            self.prepare.as_secs_f64(),
            self.total.as_secs_f64(),
            self.qemu_exit,
            self.failures.len(),
        )
    }

    /// For tests: prints the summary (or the skip reason) on the real
    /// stderr, then panics with the failures and the log tails, or when a
    /// skip is not allowed (`QGA_VM_REQUIRED=1`).
    pub fn assert_passed(&self) {
        if let Some(why) = &self.skipped {
            assert!(!vm_required(), "VM test required but cannot run: {why}");
            say(&format!("SKIPPED {}: {why}", self.agent));
            return;
        }
        say(&self.summary());
        if !self.failures.is_empty() {
            panic!(
                "{} check(s) failed against {}:\n  {}\n{}",
                self.failures.len(),
                self.agent,
                self.failures.join("\n  "),
                self.log_tail
            );
        }
    }
}

/// Writes a line to the process's stderr, past the test harness's capture.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Shape differences between two saved recordings (as from
/// [`ScenarioResult::to_json`]): each reference step's reply against the
/// actual reply of the same step. Paths start with the step name.
pub fn compare_recordings(reference: &Value, actual: &Value) -> Vec<ShapeDiff> {
    let steps = |v: &Value| -> Vec<(String, Value)> {
        v["steps"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| Some((s["name"].as_str()?.to_owned(), s["reply"].clone())))
            .collect()
    };
    let actual = steps(actual);
    let mut diffs = Vec::new();
    for (name, reply) in steps(reference) {
        match actual.iter().find(|(n, _)| *n == name) {
            Some((_, other)) => diffs.extend(shape::compare(&reply, other, &name)),
            None => diffs.push(ShapeDiff {
                path: name,
                kind: DiffKind::Missing,
            }),
        }
    }
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::StepRecord;
    use std::time::Duration;

    fn result(agent: &str, steps: &[(&str, Value)]) -> ScenarioResult {
        ScenarioResult {
            agent: agent.into(),
            steps: steps
                .iter()
                .map(|(name, reply)| StepRecord {
                    name: (*name).into(),
                    request: json!({"execute": name}),
                    reply: Some(reply.clone()),
                    elapsed: Duration::from_millis(5),
                })
                .collect(),
            boot_to_first_reply: Some(Duration::from_millis(3800)),
            ..ScenarioResult::default()
        }
    }

    #[test]
    fn recordings_compare_step_by_step() {
        let reference = result(
            "ref",
            &[
                ("guest-ping", json!({"return": {}})),
                ("guest-get-vcpus", json!({"return": [{"logical-id": 0}]})),
                ("guest-get-disks", json!({"return": []})),
            ],
        );
        let actual = result(
            "ours",
            &[
                ("guest-ping", json!({"return": {}})),
                ("guest-get-vcpus", json!({"return": [{"logical-id": "0"}]})),
            ],
        );
        let diffs = compare_recordings(&reference.to_json(), &actual.to_json());
        let text: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "guest-get-vcpus.return[].logical-id: string instead of number",
                "guest-get-disks: missing",
            ]
        );
        assert!(compare_recordings(&reference.to_json(), &reference.to_json()).is_empty());
    }

    #[test]
    fn save_writes_json_and_console() {
        let dir = crate::workdir::WorkDir::new().expect("dir");
        let mut r = result("agent-x", &[("guest-ping", json!({"return": {}}))]);
        r.console = "boot\n".into();
        let path = r.save(dir.path()).expect("save");
        let back: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
        assert_eq!(back["steps"][0]["reply"], json!({"return": {}}));
        assert_eq!(back["boot_to_first_reply_seconds"], json!(3.8));
        let console = fs::read_to_string(dir.path().join("agent-x-console.log")).expect("log");
        assert_eq!(console, "boot\n");
        assert!(r.summary().contains("boot to first reply 3.80 s"));
    }

    #[test]
    #[should_panic(expected = "1 check(s) failed")]
    fn failures_panic() {
        let mut r = result("a", &[]);
        r.failures.push("guest-ping: wrong".into());
        r.assert_passed();
    }

    #[test]
    fn target_dir_is_an_ancestor_of_the_test_binary() {
        if std::env::var_os("CARGO_TARGET_DIR").is_none() {
            let exe = std::env::current_exe().expect("exe");
            assert!(exe.starts_with(target_dir()));
        }
        assert!(output_dir().ends_with("e2e"));
    }
}
