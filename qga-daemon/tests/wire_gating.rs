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

#[test]
fn lists_from_the_configuration_file_and_the_command_line_add_up() {
    let conf = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        conf.path(),
        "[general]\nblock-rpcs=guest-get-time,guest-info\nallow-rpcs=guest-ping,guest-info,guest-get-time,guest-get-host-name\n",
    )
    .unwrap();
    let conf = conf.path().to_str().unwrap().to_owned();
    let agent = AgentProcess::start(
        &["-c", &conf, "-b", "guest-get-host-name", "-a", "guest-sync"],
        false,
    );
    let mut c = agent.connect();
    assert_eq!(c.request(PING), PONG);
    assert_eq!(
        c.request(br#"{"execute":"guest-sync","arguments":{"id":2}}"#),
        "{\"return\": 2}\n"
    );
    for name in [
        "guest-get-time",
        "guest-info",
        "guest-get-host-name",
        "guest-get-osinfo",
    ] {
        let request = format!("{{\"execute\":\"{name}\"}}");
        assert_eq!(c.request(request.as_bytes()), disabled(name));
    }
}

#[test]
fn the_frozen_marker_survives_a_restart_until_thawed() {
    let mut agent = AgentProcess::start(&[], true);
    let status = br#"{"execute":"guest-fsfreeze-status"}"#;
    let time = br#"{"execute":"guest-get-time"}"#;
    assert_eq!(
        agent.connect().request(status),
        "{\"return\": \"frozen\"}\n"
    );
    // A crash leaves the filesystems (believed) frozen: the next agent
    // starts frozen too.
    agent.restart(nix::sys::signal::Signal::SIGKILL);
    let mut c = agent.connect();
    assert_eq!(c.request(status), "{\"return\": \"frozen\"}\n");
    assert_eq!(c.request(time), disabled("guest-get-time"));
    assert!(agent.dir().join("qga.state.isfrozen").exists());
    // Thawing removes the marker and enables everything again, for good.
    assert!(c
        .request(br#"{"execute":"guest-fsfreeze-thaw"}"#)
        .starts_with("{\"return\": "));
    assert_eq!(c.request(status), "{\"return\": \"thawed\"}\n");
    assert!(c.request(time).starts_with("{\"return\": 1"));
    assert!(!agent.dir().join("qga.state.isfrozen").exists());
    drop(c);
    agent.restart(nix::sys::signal::Signal::SIGTERM);
    let mut c = agent.connect();
    assert_eq!(c.request(status), "{\"return\": \"thawed\"}\n");
    assert!(c.request(time).starts_with("{\"return\": 1"));
}
