//! The scenario against this project's agent, `qga-daemon`, when a release
//! build of it exists (static musl build preferred; `QGA_DAEMON_BIN`
//! overrides). Its reply shapes are compared with the reference recording
//! of `vm_qemu_ga`, when there is one: members missing or of another JSON
//! type fail the test, extra members are only reported.

use std::fs;

use e2e_tests::agent::{find_qga_daemon, qga_daemon_candidates};
use e2e_tests::record::{compare_recordings, output_dir, say, target_dir};
use e2e_tests::{run_scenario, AgentSpec};
use serde_json::Value;

/// Shape differences from qemu-ga 7.2 that are deliberate, with the reason.
const EXPLAINED: &[(&str, &str)] = &[
    (
        "guest-exec-status.return.out-truncated",
        "7.2 always sends `out-truncated: false` next to the output; the \
         member is optional and we send it only when the output was cut \
         (10.0 sends it only then too, but as `false`: its bug)",
    ),
    ("guest-exec-status.return.err-truncated", "as out-truncated"),
    (
        "guest-exec-status blocked writer.return.out-truncated",
        "as for guest-exec-status",
    ),
    (
        "guest-exec-status blocked writer.return.err-truncated",
        "as for guest-exec-status",
    ),
];

#[test]
fn qga_daemon_full_scenario() {
    let Some(binary) = find_qga_daemon(&target_dir()) else {
        let looked: Vec<String> = qga_daemon_candidates(&target_dir())
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        say(&format!(
            "SKIPPED qga-daemon: not built (looked for {})",
            looked.join(", ")
        ));
        return;
    };
    let result = run_scenario(AgentSpec::qemu_ga_style("qga-daemon", binary));
    if result.skipped.is_none() {
        if let Err(e) = result.save(&output_dir()) {
            say(&format!("cannot record the replies: {e}"));
        }
    }
    result.assert_passed();

    let reference_path = output_dir().join("qemu-ga.json");
    let reference: Option<Value> = fs::read_to_string(&reference_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let Some(reference) = reference else {
        say(&format!(
            "no reference recording at {}: shapes not compared",
            reference_path.display()
        ));
        return;
    };
    if reference["failures"]
        .as_array()
        .map_or(true, |f| !f.is_empty())
    {
        say("the reference run had failures: shapes not compared");
        return;
    }
    let diffs = compare_recordings(&reference, &result.to_json());
    for diff in &diffs {
        say(&format!("shape: {diff}"));
    }
    let regressions: Vec<String> = diffs
        .iter()
        .filter(|d| d.is_regression())
        .map(ToString::to_string)
        .filter(|d| {
            match EXPLAINED
                .iter()
                .find(|(path, _)| d.starts_with(&format!("{path}:")))
            {
                Some((path, why)) => {
                    say(&format!("explained: {path}: {why}"));
                    false
                }
                None => true,
            }
        })
        .collect();
    assert!(
        regressions.is_empty(),
        "reply shapes differ from qemu-ga's:\n  {}",
        regressions.join("\n  ")
    );
}
