//! The commands that change the machine, over the wire, on their error
//! paths only: every request here is refused before anything is changed
//! (an account that does not exist, a CPU or memory block that does not
//! exist, an invalid name, mode or time). Nothing here may shut down,
//! suspend or change the clock of the machine running the tests, so the
//! suspend commands are not sent at all.

mod wire_support;

use wire_support::AgentProcess;

/// A `GenericError` reply line with `desc`.
fn generic(desc: &str) -> String {
    let desc = serde_json::to_string(desc).unwrap();
    format!("{{\"error\": {{\"class\": \"GenericError\", \"desc\": {desc}}}}}\n")
}

const PING: &[u8] = br#"{"execute":"guest-ping"}"#;
const PONG: &str = "{\"return\": {}}\n";

/// A user name no system has.
const NOBODY: &str = "qga-wire-no-such-user";

#[test]
fn ssh_keys_of_an_unknown_user() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let unknown = generic(&format!("failed to lookup user '{NOBODY}'"));
    let get = format!(
        r#"{{"execute":"guest-ssh-get-authorized-keys","arguments":{{"username":"{NOBODY}"}}}}"#
    );
    assert_eq!(c.request(get.as_bytes()), unknown);
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdCBhIHJlYWwga2V5IGF0IGFsbCBub3Bl x@y";
    for command in [
        "guest-ssh-add-authorized-keys",
        "guest-ssh-remove-authorized-keys",
    ] {
        let request = format!(
            r#"{{"execute":"{command}","arguments":{{"username":"{NOBODY}","keys":["{key}"]}}}}"#
        );
        assert_eq!(c.request(request.as_bytes()), unknown, "{command}");
    }
    // A key that is a comment is refused before the account is looked up.
    let request = format!(
        r##"{{"execute":"guest-ssh-add-authorized-keys","arguments":{{"username":"{NOBODY}","keys":["# no"],"reset":true}}}}"##
    );
    assert_eq!(
        c.request(request.as_bytes()),
        generic("invalid OpenSSH public key: '# no'")
    );
}

#[test]
fn set_vcpus_of_a_cpu_that_does_not_exist() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.request(
            br#"{"execute":"guest-set-vcpus","arguments":{"vcpus":[{"logical-id":99999,"online":true}]}}"#
        ),
        generic("open(\"/sys/devices/system/cpu/cpu99999/\"): No such file or directory")
    );
    assert_eq!(
        c.request(
            br#"{"execute":"guest-set-vcpus","arguments":{"vcpus":[{"logical-id":-1,"online":false}]}}"#
        ),
        generic("open(\"/sys/devices/system/cpu/cpu-1/\"): No such file or directory")
    );
    // Nothing asked, nothing done.
    assert_eq!(
        c.request(br#"{"execute":"guest-set-vcpus","arguments":{"vcpus":[]}}"#),
        "{\"return\": 0}\n"
    );
}

#[test]
fn set_memory_blocks_of_a_block_that_does_not_exist() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let reply = c.request(
        br#"{"execute":"guest-set-memory-blocks","arguments":{"mem-blks":[{"phys-index":987654321,"online":true}]}}"#,
    );
    // Member order is the encoder's; compare the values.
    let reply: serde_json::Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(
        reply,
        serde_json::json!({"return": [{"phys-index": 987654321, "response": "not-found", "error-code": 2}]})
    );
}

#[test]
fn set_user_password_with_a_bad_user_name_or_password() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    // "secret" in base64; the names can never reach chpasswd.
    for name in [r"qga:wire", r"qga\nwire"] {
        let request = format!(
            r#"{{"execute":"guest-set-user-password","arguments":{{"username":"{name}","password":"c2VjcmV0","crypted":false}}}}"#
        );
        assert_eq!(
            c.request(request.as_bytes()),
            generic("forbidden characters in username"),
            "{name}"
        );
    }
    assert_eq!(
        c.request(
            br#"{"execute":"guest-set-user-password","arguments":{"username":"qga:wire","password":"!!","crypted":true}}"#
        ),
        generic("Base64 data contains invalid characters")
    );
    // "a\nb": a newline in the password.
    assert_eq!(
        c.request(
            br#"{"execute":"guest-set-user-password","arguments":{"username":"qga:wire","password":"YQpi","crypted":false}}"#
        ),
        generic("forbidden characters in raw password")
    );
}

#[test]
fn shutdown_with_an_invalid_mode() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    // Refusals get a reply even though a successful shutdown has none.
    assert_eq!(
        c.request(br#"{"execute":"guest-shutdown","arguments":{"mode":"nap"},"id":1}"#),
        "{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"mode is invalid (valid values are: halt|powerdown|reboot\"}}\n"
    );
    assert_eq!(
        c.request(br#"{"execute":"guest-shutdown","arguments":{"mode":true}}"#),
        generic("Invalid parameter type for 'mode', expected: string")
    );
    assert_eq!(c.request(PING), PONG);
}

#[test]
fn set_time_out_of_range() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    for time in ["-1", "4102444800000000000"] {
        let request = format!(r#"{{"execute":"guest-set-time","arguments":{{"time":{time}}}}}"#);
        assert_eq!(
            c.request(request.as_bytes()),
            generic("Invalid time"),
            "{time}"
        );
    }
    assert_eq!(c.request(PING), PONG);
}
