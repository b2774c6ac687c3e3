//! `-b`/`--block-rpcs`, `-a`/`--allow-rpcs` and the frozen marker, on the
//! built agent over its socket.

mod wire_support;

use serde_json::Value;
use wire_support::AgentProcess;

fn disabled(name: &str) -> String {
    format!("{{\"error\": {{\"class\": \"CommandNotFound\", \"desc\": \"Command {name} has been disabled: the command is not allowed\"}}}}\n")
}

const PING: &[u8] = br#"{"execute":"guest-ping"}"#;
const PONG: &str = "{\"return\": {}}\n";

/// `(name, enabled)` of every command `guest-info` lists.
fn listed(agent: &AgentProcess) -> Vec<(String, bool)> {
    let reply = agent.connect().request(br#"{"execute":"guest-info"}"#);
    let v: Value = serde_json::from_str(&reply).unwrap();
    v["return"]["supported_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["enabled"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn enabled_names(agent: &AgentProcess) -> Vec<String> {
    let mut names: Vec<String> = listed(agent)
        .into_iter()
        .filter(|c| c.1)
        .map(|c| c.0)
        .collect();
    names.sort();
    names
}

#[test]
fn block_list_disables_before_argument_checks() {
    let agent = AgentProcess::start(
        &["-b", "guest-exec,guest-get-time", "-b", "guest-bogus"],
        false,
    );
    let mut c = agent.connect();
    assert_eq!(
        c.request(br#"{"execute":"guest-exec","arguments":{"bogus":1}}"#),
        disabled("guest-exec")
    );
    assert_eq!(c.request(br#"{"execute":"guest-get-time","id":3}"#),
        "{\"id\": 3, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-get-time has been disabled: the command is not allowed\"}}\n");
    assert_eq!(c.request(PING), PONG);
    // An unknown name in the list is accepted and changes nothing.
    assert_eq!(
        c.request(br#"{"execute":"guest-bogus"}"#),
        "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-bogus has not been found\"}}\n"
    );
    let list = listed(&agent);
    assert_eq!(list.len(), qga_generated::COMMANDS.len());
    for (name, enabled) in list {
        assert_eq!(
            enabled,
            name != "guest-exec" && name != "guest-get-time",
            "{name}"
        );
    }
}

#[test]
fn allow_list_disables_everything_else_even_sync() {
    let agent = AgentProcess::start(
        &[
            "--allow-rpcs=guest-ping,guest-info,guest-exec",
            "-b",
            "guest-exec",
        ],
        false,
    );
    let mut c = agent.connect();
    assert_eq!(c.request(PING), PONG);
    assert_eq!(
        c.request(br#"{"execute":"guest-sync-delimited","arguments":{"id":1}}"#),
        disabled("guest-sync-delimited")
    );
    assert_eq!(
        c.request(br#"{"execute":"guest-sync"}"#),
        disabled("guest-sync")
    );
    assert_eq!(
        c.request(br#"{"execute":"guest-exec","arguments":{"path":"/bin/true"}}"#),
        disabled("guest-exec")
    );
    assert_eq!(enabled_names(&agent), ["guest-info", "guest-ping"]);
}

#[test]
fn frozen_marker_keeps_only_the_safe_commands() {
    let agent = AgentProcess::start(&[], true);
    let mut c = agent.connect();
    assert_eq!(c.request(PING), PONG);
    assert_eq!(
        c.exchange(
            br#"{"execute":"guest-sync-delimited","arguments":{"id":5}}"#,
            1,
            1
        ),
        b"\xff{\"return\": 5}\n"
    );
    assert_eq!(
        c.request(br#"{"execute":"guest-sync","arguments":{"id":6}}"#),
        "{\"return\": 6}\n"
    );
    assert_eq!(
        c.request(br#"{"execute":"guest-fsfreeze-status"}"#),
        "{\"return\": \"frozen\"}\n"
    );
    for name in [
        "guest-get-time",
        "guest-file-open",
        "guest-exec",
        "guest-shutdown",
        "guest-fsfreeze-freeze",
    ] {
        let request = format!("{{\"execute\":\"{name}\",\"arguments\":{{\"bogus\":1}}}}");
        assert_eq!(c.request(request.as_bytes()), disabled(name));
    }
    assert_eq!(
        enabled_names(&agent),
        [
            "guest-fsfreeze-status",
            "guest-fsfreeze-thaw",
            "guest-info",
            "guest-ping",
            "guest-sync",
            "guest-sync-delimited"
        ]
    );
    // The marker stays: nothing thawed.
    assert!(agent.dir().join("qga.state.isfrozen").exists());
}

#[test]
fn frozen_marker_and_block_list_add_up() {
    let agent = AgentProcess::start(&["-b", "guest-ping"], true);
    let mut c = agent.connect();
    assert_eq!(c.request(PING), disabled("guest-ping"));
    assert_eq!(
        enabled_names(&agent),
        [
            "guest-fsfreeze-status",
            "guest-fsfreeze-thaw",
            "guest-info",
            "guest-sync",
            "guest-sync-delimited"
        ]
    );
}
