//! The end-to-end scenario: boot a VM around an agent, drive the agent
//! through its main commands, shut the VM down through it.
//!
//! Every exchange is recorded so that the replies of two agents can be
//! compared by shape (see [`crate::record`]).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::agent::AgentSpec;
use crate::client::{request, AgentClient};
use crate::host::HostTools;
use crate::initramfs;
use crate::steps::Runner;
use crate::vm::{self, Vm, VmFiles};
use crate::workdir::WorkDir;

/// Longest wait from qemu's start to the agent's first reply.
pub const BOOT_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait for one reply.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
/// Longest wait for qemu to exit after `guest-shutdown`.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);
/// Lines of console and qemu log kept for failure reports.
const LOG_TAIL_LINES: usize = 40;

/// One request and its reply.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Unique name of the step (the command, plus a qualifier if repeated).
    pub name: String,
    /// The request sent.
    pub request: Value,
    /// The reply, if one came (`guest-shutdown` has none).
    pub reply: Option<Value>,
    /// How long the exchange took.
    pub elapsed: Duration,
}

/// What happened in one run of the scenario.
#[derive(Debug, Clone, Default)]
pub struct ScenarioResult {
    /// The agent label.
    pub agent: String,
    /// Why the scenario did not run, if it did not.
    pub skipped: Option<String>,
    /// Every check that failed, in order.
    pub failures: Vec<String>,
    /// The exchanges, in order.
    pub steps: Vec<StepRecord>,
    /// Time to build the initramfs and the data disk.
    pub prepare: Duration,
    /// From qemu's start to the handshake's reply.
    pub boot_to_first_reply: Option<Duration>,
    /// From qemu's start to its exit (or to the end of the run).
    pub total: Duration,
    /// qemu's exit code, when it exited by itself.
    pub qemu_exit: Option<i32>,
    /// The whole guest console.
    pub console: String,
    /// The ends of the console and qemu logs, for failure reports.
    pub log_tail: String,
}

impl ScenarioResult {
    /// The reply recorded for a step.
    pub fn reply(&self, step: &str) -> Option<&Value> {
        self.steps
            .iter()
            .find(|s| s.name == step)
            .and_then(|s| s.reply.as_ref())
    }

    /// Whether the scenario ran and every check passed.
    pub fn passed(&self) -> bool {
        self.skipped.is_none() && self.failures.is_empty()
    }
}

/// Runs the whole scenario against `agent`. Never panics: problems end up
/// in [`ScenarioResult::failures`], missing prerequisites in
/// [`ScenarioResult::skipped`].
pub fn run_scenario(agent: AgentSpec) -> ScenarioResult {
    let mut result = ScenarioResult {
        agent: agent.label.clone(),
        ..ScenarioResult::default()
    };
    let tools = match HostTools::locate() {
        Ok(tools) => tools,
        Err(why) => {
            result.skipped = Some(why);
            return result;
        }
    };
    if !agent.binary.is_file() {
        result.skipped = Some(format!("agent {} not found", agent.binary.display()));
        return result;
    }
    if let Err(e) = run(&tools, &agent, &mut result) {
        result.failures.push(e);
    }
    result
}

/// Prepares the VM files, boots, drives the agent, and collects the logs.
fn run(tools: &HostTools, agent: &AgentSpec, result: &mut ScenarioResult) -> Result<(), String> {
    let dir = WorkDir::new()?;
    let files = VmFiles::in_dir(dir.path());
    let start = Instant::now();
    initramfs::write(tools, agent, &files.initramfs)?;
    vm::make_data_disk(tools, &files.data_disk)?;
    vm::make_nvme_disk(&files.nvme_disk)?;
    result.prepare = start.elapsed();

    let mut vm = Vm::launch(tools, files)?;
    let outcome = drive(&mut vm, result).map_err(|e| match vm.try_exit() {
        Some(status) => format!("{e} (qemu had exited: {status})"),
        None => e,
    });
    result.total = vm.started().elapsed();
    result.console = std::fs::read(&vm.files().console_log)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    result.log_tail = vm.log_tail(LOG_TAIL_LINES);
    outcome
    // `vm` is dropped here, killing qemu if it still runs, then `dir`.
}

/// Everything from the handshake to qemu's exit.
fn drive(vm: &mut Vm, result: &mut ScenarioResult) -> Result<(), String> {
    let boot_deadline = vm.started() + BOOT_TIMEOUT;
    let mut client = AgentClient::connect(&vm.files().agent_socket, boot_deadline)?;
    let id = client
        .sync(boot_deadline, Duration::from_secs(1))
        .map_err(|e| format!("handshake: {e}"))?;
    let boot = vm.started().elapsed();
    result.boot_to_first_reply = Some(boot);
    let args = json!({ "id": id });
    result.steps.push(StepRecord {
        name: "guest-sync-delimited".to_owned(),
        request: request("guest-sync-delimited", &args),
        reply: Some(json!({ "return": id })),
        elapsed: boot,
    });

    let mut run = Runner {
        client,
        result,
        enabled: Vec::new(),
        probe_socket: vm.files().probe_socket.clone(),
    };
    run.info_commands()?;
    run.file_round_trip()?;
    run.exec_echo()?;
    run.vcpu_cycle()?;
    run.freeze_cycle()?;
    run.fstrim()?;

    let request = json!({"execute": "guest-shutdown"});
    let sent = Instant::now();
    run.client.send(&request)?;
    let status = vm.wait_exit(SHUTDOWN_TIMEOUT);
    run.result.steps.push(StepRecord {
        name: "guest-shutdown".to_owned(),
        request,
        reply: None,
        elapsed: sent.elapsed(),
    });
    match status {
        None => run.fail(format!(
            "qemu still running {SHUTDOWN_TIMEOUT:?} after guest-shutdown"
        )),
        Some(status) => {
            run.result.qemu_exit = status.code();
            if status.code() != Some(0) {
                run.fail(format!("qemu exited with {status} after guest-shutdown"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_agent_binary_is_a_skip_or_missing_tools() {
        let spec = AgentSpec::qemu_ga_style("none", "/nonexistent/agent");
        let result = run_scenario(spec);
        assert!(result.skipped.is_some());
        assert!(!result.passed());
        assert!(result.steps.is_empty());
    }

    #[test]
    fn replies_are_found_by_step() {
        let result = ScenarioResult {
            steps: vec![StepRecord {
                name: "guest-ping".into(),
                request: json!({"execute": "guest-ping"}),
                reply: Some(json!({"return": {}})),
                elapsed: Duration::ZERO,
            }],
            ..ScenarioResult::default()
        };
        assert_eq!(result.reply("guest-ping"), Some(&json!({"return": {}})));
        assert_eq!(result.reply("guest-info"), None);
        assert!(result.passed());
    }
}
