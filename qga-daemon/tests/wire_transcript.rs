//! The built agent against qemu-ga 10.0.2's recorded exchanges: every
//! exchange decided before a command runs (JSON syntax, limits, envelope,
//! unknown or disabled commands, argument checks) or by a core command
//! (`guest-sync`, `guest-sync-delimited`, `guest-ping`) must give the same
//! bytes; `guest-info` the same structure and command list as our schema
//! says. Skipped when `../shared` is absent.

mod wire_support;

use qga_daemon::config::QEMU_COMPAT_VERSION;
use serde_json::Value;
use wire_support::transcript::{self, Exchange, Mirror, Plan, ORACLE};
use wire_support::AgentProcess;

/// The options of the agent a recording label stands for
/// (`qemu-ga-10.0.2/-a_guest-ping,guest-info` → `-a guest-ping,guest-info`),
/// and whether it started frozen.
fn options(label: &str) -> Option<(Vec<String>, bool)> {
    let rest = label.strip_prefix(ORACLE)?;
    if rest.is_empty() {
        return Some((Vec::new(), false));
    }
    if rest == "-frozen-marker" {
        return Some((Vec::new(), true));
    }
    let rest = rest.strip_prefix('/')?;
    Some((rest.split('_').map(str::to_owned).collect(), false))
}

/// The expected `guest-info` reply: what 10.0.2 said, with our version.
/// Only valid when 10.0.2 lists the same commands as our schema.
fn expected_info(recorded: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(recorded).replacen(
        "\"version\": \"10.0.2\"",
        &format!("\"version\": \"{QEMU_COMPAT_VERSION}\""),
        1,
    );
    text.into_bytes()
}

/// Checks a `guest-info` reply: our version, every command of our schema
/// in reverse schema order, `success-response` from the schema, and the
/// same `enabled` flags as the recording for the commands both know.
fn check_info(ours: &[u8], recorded: &[u8]) -> Result<(), String> {
    let parse = |b: &[u8]| -> Value { serde_json::from_slice(b).unwrap() };
    let (ours_v, rec_v) = (parse(ours), parse(recorded));
    let ours_list = ours_v["return"]["supported_commands"].as_array().unwrap();
    let rec_list = rec_v["return"]["supported_commands"].as_array().unwrap();
    if ours_v["return"]["version"] != QEMU_COMPAT_VERSION {
        return Err(format!("version {}", ours_v["return"]["version"]));
    }
    let names: Vec<&str> = ours_list
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let schema: Vec<&str> = qga_generated::COMMANDS
        .iter()
        .rev()
        .map(|c| c.name)
        .collect();
    if names != schema {
        return Err(format!("command list {names:?}"));
    }
    for c in ours_list {
        let info = qga_generated::command_info(c["name"].as_str().unwrap()).unwrap();
        if c["success-response"] != info.success_response {
            return Err(format!("success-response of {}", info.name));
        }
        if let Some(r) = rec_list.iter().find(|r| r["name"] == c["name"]) {
            if r["enabled"] != c["enabled"] {
                return Err(format!("enabled of {}", info.name));
            }
        }
    }
    let rec_names: Vec<&str> = rec_list.iter().filter_map(|c| c["name"].as_str()).collect();
    if rec_names == names && ours != expected_info(recorded).as_slice() {
        return Err("bytes differ from the recording (version aside)".to_owned());
    }
    Ok(())
}

/// Replays the exchanges of one recorded agent on a fresh agent; returns
/// (compared, skipped, failures).
fn replay(label: &str, exchanges: &[&Exchange]) -> (usize, usize, Vec<String>) {
    let (opts, frozen) = options(label).expect("a label of the oracle");
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    let agent = AgentProcess::start(&opts, frozen);
    let mut client = agent.connect();
    let mut mirror = Mirror::default();
    let verbose = std::env::var_os("QGA_WIRE_VERBOSE").is_some();
    let (mut compared, mut skipped, mut failures) = (0, 0, Vec::new());
    for x in exchanges {
        let tag = format!("{label} #{} {}", x.n, x.name);
        if x.conn != "main" {
            // Our unix-listen server gives each client its own reader and
            // serves clients at once, unlike qemu-ga.
            if verbose {
                println!("skipped: {tag}: another connection");
            }
            skipped += 1;
            continue;
        }
        let Some(request) = &x.request else {
            skipped += 1;
            continue;
        };
        let is_info = x.name.starts_with("guest-info");
        let plan = mirror.plan(x);
        if plan == Plan::Compare || is_info || plan == Plan::SendOnly {
            let got = client.exchange(request, x.writes, x.replies);
            if is_info {
                let Some(lines) = x.response.lines() else {
                    continue;
                };
                compared += 1;
                if let Err(e) = check_info(&got, lines[0]) {
                    failures.push(format!("{tag}: guest-info: {e}"));
                }
            } else if plan == Plan::Compare {
                compared += 1;
                if !x.response.matches(&got) {
                    let shown = String::from_utf8_lossy(&got[..got.len().min(400)]).into_owned();
                    failures.push(format!("{tag}: got {shown:?}"));
                }
            } else {
                skipped += 1;
            }
        } else {
            if let Plan::Skip(why) = plan {
                if verbose {
                    println!("skipped: {tag}: {why}");
                }
            }
            skipped += 1;
        }
    }
    (compared, skipped, failures)
}

fn run(labels: impl Fn(&str) -> bool, minimum: usize) {
    let Some(text) = transcript::load() else {
        return;
    };
    let all = transcript::exchanges(&text);
    let mut agents: Vec<&str> = Vec::new();
    for x in &all {
        if labels(&x.agent) && !agents.contains(&x.agent.as_str()) {
            agents.push(&x.agent);
        }
    }
    let (mut compared, mut skipped, mut failures) = (0, 0, Vec::new());
    for label in agents {
        let mine: Vec<&Exchange> = all.iter().filter(|x| x.agent == label).collect();
        let (c, s, f) = replay(label, &mine);
        println!("{label}: {c} exchanges compared, {s} skipped");
        compared += c;
        skipped += s;
        failures.extend(f);
    }
    println!("total: {compared} compared, {skipped} skipped");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared >= minimum, "only {compared} exchanges compared");
}

#[test]
fn plain_agent_replays_the_recording() {
    run(|label| label == ORACLE, 80);
}

#[test]
fn restricted_and_frozen_agents_replay_the_recording() {
    run(|label| label.starts_with(ORACLE) && label != ORACLE, 25);
}
