//! The protocol lines of the conformance checklist
//! (`../shared/docs/qga-protocol.md`), each checked on the built agent over
//! its unix socket, with qemu-ga 10.0's exact bytes. The command backends'
//! lines are tested with their backends; `-b`/`-a`/frozen gating in
//! `wire_gating.rs`; whole recorded sessions in `wire_transcript.rs`.
//!
//! Two lines are deliberately not followed: qemu-ga serves one client at
//! a time with one parser shared by all of them; we serve clients at once,
//! each with its own reader (`each_client_has_its_own_reader`, and
//! `wire_clients.rs`).

mod wire_support;

use serde_json::Value;
use wire_support::AgentProcess;

const PING: &[u8] = br#"{"execute":"guest-ping"}"#;
const PONG: &[u8] = b"{\"return\": {}}\n";

/// A `GenericError` reply line with `desc`, as qemu-ga writes it
/// (non-ASCII characters of the Basic Multilingual Plane as `\uXXXX`).
fn generic(desc: &str) -> Vec<u8> {
    let desc: String = serde_json::to_string(desc)
        .unwrap()
        .chars()
        .map(|c| match u32::from(c) {
            0..=0x7F => c.to_string(),
            code => format!("\\u{code:04X}"),
        })
        .collect();
    format!("{{\"error\": {{\"class\": \"GenericError\", \"desc\": {desc}}}}}\n").into_bytes()
}

/// A `JSON parse error, ...` reply line.
fn parse_error(what: &str) -> Vec<u8> {
    generic(&format!("JSON parse error, {what}"))
}

/// The error line an incoming 0xFF gets.
fn stray_ff() -> Vec<u8> {
    b"{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n"
        .to_vec()
}

fn command_not_found(name: &str) -> Vec<u8> {
    format!("{{\"error\": {{\"class\": \"CommandNotFound\", \"desc\": \"The command {name} has not been found\"}}}}\n").into_bytes()
}

fn text(lines: &[Vec<u8>]) -> String {
    lines
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect()
}

/// "Reply = one JSON object serialised on one line + `\n`. Exactly one
/// reply per dispatched request, in request order."
#[test]
fn one_line_per_request_in_request_order() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let mut batch = Vec::new();
    for id in 0..50 {
        batch.extend(format!(r#"{{"execute":"guest-sync","arguments":{{"id":{id}}}}}"#).as_bytes());
        if id % 7 == 0 {
            batch.extend(br#"{"execute":"guest-info"}"#);
        }
    }
    let lines = c.until_sync(&batch, 1000);
    let mut expected_ids = 0..50;
    for line in &lines[..lines.len() - 1] {
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        assert_eq!(line.last(), Some(&b'\n'));
        let v: Value = serde_json::from_slice(line).expect("one JSON object per line");
        assert!(v.is_object());
        if v["return"].is_number() {
            assert_eq!(v["return"], expected_ids.next().unwrap());
        }
    }
    assert_eq!(expected_ids.next(), None, "a reply is missing");
    assert_eq!(lines.len(), 50 + 8 + 1);
}

/// "A request is dispatched when its top-level value completes. No
/// newline is required. Whitespace and CR/LF between requests are
/// ignored."
#[test]
fn dispatched_when_complete_without_a_newline() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    // No newline after it: the reply still comes.
    assert_eq!(c.exchange(PING, 1, 1), PONG);
    assert_eq!(
        c.exchange(b"\r\n  \t{\"execute\":\"guest-ping\"}\r\n \t", 1, 1),
        PONG
    );
    // A top-level scalar completes only when a delimiter follows it.
    // A top-level scalar completes only when a delimiter follows it: one
    // reply, then the ping's (an early reply to "42" would come first).
    assert_eq!(c.exchange(b"42", 1, 0), b"");
    assert_eq!(
        c.exchange(b" ", 1, 1),
        generic("QMP input must be a JSON object")
    );
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "Several requests in one write are each answered, in order. A request
/// split across writes is reassembled."
#[test]
fn several_requests_per_write_and_split_requests() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let batch = br#"{"execute": "guest-ping"}{"execute": "guest-sync", "arguments": {"id": 5}}{"execute":"nope"}{"execute": "guest-sync", "arguments": {"id": 3}}"#;
    assert_eq!(
        c.exchange(batch, 1, 4),
        [
            PONG,
            b"{\"return\": 5}\n",
            &command_not_found("nope"),
            b"{\"return\": 3}\n"
        ]
        .concat()
    );
    // Split anywhere, down to one byte per write, inside strings and
    // escapes too.
    let request = br#"{"execute":"guest-sync","arguments":{"id":77},"id":"\u0041"}"#;
    for writes in [2, 3, 7, request.len()] {
        assert_eq!(
            c.exchange(request, writes, 1),
            b"{\"return\": 77, \"id\": \"A\"}\n",
            "{writes} writes"
        );
    }
}

/// "An empty line or whitespace alone produces no reply."
#[test]
fn blank_input_gets_no_reply() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    // The first line back is the ping's: the blanks had none.
    assert_eq!(c.exchange(b"\n", 1, 0), b"");
    assert_eq!(c.exchange(b"  \r\n\t \n", 1, 0), b"");
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "An incomplete request produces no reply and stays buffered."
#[test]
fn an_incomplete_request_waits_for_its_end() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(
            b"{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\n",
            1,
            0
        ),
        b""
    );
    // Whatever comes next is appended to it.
    assert_eq!(c.exchange(b"\n 5}}", 1, 1), b"{\"return\": 5}\n");
}

/// The checklist's "the parser buffer is not reset when a client
/// disconnects" is qemu-ga's single shared parser, which we deliberately
/// do not copy: a client's half-sent request stays its own.
#[test]
fn each_client_has_its_own_reader() {
    let agent = AgentProcess::start(&[], false);
    {
        let mut quitter = agent.connect();
        assert_eq!(
            quitter.exchange(br#"{"execute":"guest-sync","arguments":{"id":"#, 1, 0),
            b""
        );
    }
    let mut next = agent.connect();
    assert_eq!(next.exchange(PING, 1, 1), PONG);
}

/// "`guest-sync-delimited` replies `\xff{"return": <id>}\n`: the sentinel
/// goes only before that reply."
#[test]
fn the_sentinel_goes_only_before_the_sync_delimited_reply() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(
            br#"{"execute": "guest-sync-delimited", "arguments": {"id": 7654321}}"#,
            1,
            1
        ),
        b"\xff{\"return\": 7654321}\n"
    );
    assert_eq!(
        c.exchange(
            br#"{"execute": "guest-sync-delimited", "arguments": {"id": 9}}{"execute": "guest-ping"}"#,
            1,
            2
        ),
        b"\xff{\"return\": 9}\n{\"return\": {}}\n"
    );
    // With an id, and not on an error.
    assert_eq!(
        c.exchange(
            br#"{"execute":"guest-sync-delimited","arguments":{"id":1},"id":"x"}"#,
            1,
            1
        ),
        b"\xff{\"return\": 1, \"id\": \"x\"}\n"
    );
    assert_eq!(
        c.exchange(br#"{"execute":"guest-sync-delimited"}"#, 1, 1),
        generic("Parameter 'id' is missing")
    );
}

/// "An incoming 0xFF discards the partial request and produces
/// `{"error": ... "JSON parse error, stray '\uFFFD'"}}\n`."
#[test]
fn an_incoming_0xff_discards_the_partial_request_with_an_error() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(c.exchange(b"\xff", 1, 1), stray_ff());
    // The client handshake: two replies, the error first.
    assert_eq!(
        c.exchange(
            b"\xff{\"execute\": \"guest-sync-delimited\", \"arguments\": {\"id\": 42}}",
            1,
            2
        ),
        [stray_ff(), b"\xff{\"return\": 42}\n".to_vec()].concat()
    );
    // A partial request is dropped: what follows the 0xFF stands alone.
    assert_eq!(c.exchange(b"{\"execute\":", 1, 0), b"");
    assert_eq!(
        c.exchange(b"\xff{\"execute\":\"guest-ping\"}", 1, 2),
        [stray_ff(), PONG.to_vec()].concat()
    );
    // Inside a string, the error shows the string so far (as qemu-ga 7.2
    // does on this machine).
    assert_eq!(c.exchange(b"{\"execute\":\"guest-sy", 1, 0), b"");
    assert_eq!(
        c.exchange(b"\xff{\"execute\":\"guest-ping\"}", 1, 2),
        [parse_error("stray '\"guest-sy\u{fffd}'"), PONG.to_vec()].concat()
    );
}

/// "Any other lexical error produces `JSON parse error, stray '<token>'`
/// (invalid bytes shown as `\uFFFD`, NUL cuts the string short), and
/// lexing resumes on the following bytes."
#[test]
fn lexical_errors_and_recovery() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(br#"{"execute":guest-ping}"#, 1, 2),
        [parse_error("stray '-p'"), parse_error("expecting value")].concat()
    );
    // A NUL byte: the text of its error stops at the NUL.
    assert_eq!(
        c.exchange(b"\0{\"execute\":\"guest-ping\"}", 1, 2),
        [parse_error("stray ''"), PONG.to_vec()].concat()
    );
    // A leading zero is not a number.
    assert_eq!(
        c.exchange(br#"{"execute":"guest-sync","arguments":{"id":01}}"#, 1, 3),
        [
            parse_error("stray '01'"),
            parse_error("expecting value"),
            parse_error("expecting value")
        ]
        .concat()
    );
    // Other invalid bytes (one error for a run of them, as qemu-ga 7.2
    // gives on this machine), and a bad keyword.
    assert_eq!(
        c.exchange(b"\xfe\x80{\"execute\":\"guest-ping\"}", 1, 2),
        [parse_error("stray '\u{fffd}'"), PONG.to_vec()].concat()
    );
    assert_eq!(
        c.exchange(b"x\xfe{\"execute\":\"guest-ping\"}", 1, 3),
        [
            parse_error("invalid keyword 'x'"),
            parse_error("stray '\u{fffd}'"),
            PONG.to_vec()
        ]
        .concat()
    );
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "An unbalanced `}` or `]` at top level → `JSON parse error, expecting
/// value`."
#[test]
fn unbalanced_closers_expect_a_value() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(br#"{"execute":"guest-ping"}}"#, 1, 2),
        [PONG.to_vec(), parse_error("expecting value")].concat()
    );
    assert_eq!(c.exchange(b"]", 1, 1), parse_error("expecting value"));
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "A duplicate key → `JSON parse error, duplicate key`. Invalid UTF-8 in
/// a string → `JSON parse error, invalid UTF-8 sequence in string`."
#[test]
fn duplicate_keys_and_invalid_utf8() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(br#"{"execute":"guest-nope","execute":"guest-ping"}"#, 1, 1),
        parse_error("duplicate key")
    );
    assert_eq!(
        c.exchange(b"{\"execute\":\"guest-\xc3(ping\"}", 1, 1),
        parse_error("invalid UTF-8 sequence in string")
    );
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "Single-quoted strings are accepted as strings. `\uXXXX` escapes
/// (including surrogate pairs and `\u0000`) are decoded. Raw control
/// bytes (< 0x20) inside a string are lexical errors."
#[test]
fn single_quotes_escapes_and_raw_control_bytes() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(c.exchange(b"{'execute':'guest-ping'}", 1, 1), PONG);
    assert_eq!(
        c.exchange(
            br#"{'execute':'guest-sync','arguments':{'id':3},'id':'it"s'}"#,
            1,
            1
        ),
        b"{\"return\": 3, \"id\": \"it\\\"s\"}\n"
    );
    assert_eq!(c.exchange(br#"{"execute":"guest-\u0070ing"}"#, 1, 1), PONG);
    // A surrogate pair and \u0000, decoded, then written back escaped.
    assert_eq!(
        c.exchange(br#"{"execute":"x\u0000y\ud83d\ude00"}"#, 1, 1),
        command_not_found("x\\u0000y\\uD83D\\uDE00")
    );
    assert_eq!(
        c.exchange(b"{\"execute\":\"a\x08b\"}", 1, 2),
        [
            parse_error("stray '\"a\u{8}'"),
            parse_error("expecting value")
        ]
        .concat()
    );
}

/// A request `{"execute":"guest-ping","arguments":{"x":...}}` whose total
/// nesting depth is `depth`.
fn nested(depth: usize) -> Vec<u8> {
    let lists = depth - 2;
    let mut req = br#"{"execute":"guest-ping","arguments":{"x":"#.to_vec();
    req.extend(vec![b'['; lists]);
    req.extend(vec![b']'; lists]);
    req.extend(b"}}");
    req
}

/// Checks the lines after a limit error: each one a follow-up error of
/// the rest of the request, then the 0xFF's.
fn follow_ups(lines: &[Vec<u8>], allowed: &[&str]) {
    let (last, rest) = lines.split_last().unwrap();
    assert_eq!(last, &stray_ff());
    for line in rest {
        let v: Value = serde_json::from_slice(line).unwrap();
        let desc = v["error"]["desc"].as_str().unwrap();
        assert!(allowed.contains(&desc), "unexpected follow-up: {desc}");
    }
}

/// "Nesting depth 1024 is accepted, 1025 → `JSON nesting depth limit
/// exceeded`. After each of these the streamer resets and parses the
/// rest (follow-up errors)."
#[test]
fn nesting_limit_and_recovery() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(&nested(1024), 1, 1),
        generic("Parameter 'x' is unexpected")
    );
    let lines = c.until_sync(&nested(1025), 1);
    assert_eq!(lines[0], generic("JSON nesting depth limit exceeded"));
    follow_ups(
        &lines[1..],
        &[
            "QMP input must be a JSON object",
            "JSON parse error, expecting value",
        ],
    );
    // qemu-ga's count for its request of depth 1027: one error per
    // closing bracket left over.
    let lines = c.until_sync(&nested(1027), 2);
    assert_eq!(lines.len(), 1027 + 1);
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "More than 2,097,152 tokens → `JSON token count limit exceeded`."
#[test]
fn token_count_limit_and_recovery() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    // qemu-ga's recorded request: a list of 1 Mi + 9 ones.
    let mut req = br#"{"execute":"guest-ping","arguments":{"x":["#.to_vec();
    for _ in 0..(1024 * 1024 + 8) {
        req.extend_from_slice(b"1,");
    }
    req.extend_from_slice(b"1]}}");
    let lines = c.until_sync(&req, 3);
    assert_eq!(lines[0], generic("JSON token count limit exceeded"));
    follow_ups(
        &lines[1..],
        &[
            "QMP input must be a JSON object",
            "JSON parse error, expecting value",
        ],
    );
    assert_eq!(lines.len(), 31 + 1, "{}", text(&lines[..5]));
    // The boundary, as qemu-ga 7.2 draws it on this machine: a list of
    // 1,048,569 elements passes, one more does not.
    let list = |elements: usize| {
        let mut req = br#"{"execute":"guest-ping","arguments":{"x":["#.to_vec();
        for _ in 1..elements {
            req.extend_from_slice(b"1,");
        }
        req.extend_from_slice(b"1]}}");
        req
    };
    let most = 1_048_569;
    assert_eq!(
        c.exchange(&list(most), 1, 1),
        generic("Parameter 'x' is unexpected")
    );
    let lines = c.until_sync(&list(most + 1), 5);
    assert_eq!(lines[0], generic("JSON token count limit exceeded"));
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "More than 64 MiB of token bytes → `JSON token size limit exceeded`."
#[test]
fn token_size_limit_and_recovery() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let string_arg = |len: usize| {
        let mut req = br#"{"execute":"guest-ping","arguments":{"x":""#.to_vec();
        req.resize(req.len() + len, b'A');
        req.extend_from_slice(br#""}}"#);
        req
    };
    // qemu-ga's recorded request: a 65 MiB string.
    let lines = c.until_sync(&string_arg(65 << 20), 4);
    assert_eq!(
        text(&lines),
        text(&[
            generic("JSON token size limit exceeded"),
            parse_error("stray 'A'"),
            parse_error("expecting value"),
            parse_error("expecting value"),
            stray_ff(),
        ])
    );
    // 10 MiB is parsed, then refused as an argument.
    assert_eq!(
        c.exchange(&string_arg(10 << 20), 1, 1),
        generic("Parameter 'x' is unexpected")
    );
    assert_eq!(c.exchange(PING, 1, 1), PONG);
}

/// "A top-level non-object → `QMP input must be a JSON object`."
#[test]
fn a_request_must_be_an_object() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    for request in [&b"[1,2]"[..], b"42 ", b"\"hi\"", b"null ", b"true "] {
        assert_eq!(
            c.exchange(request, 1, 1),
            generic("QMP input must be a JSON object"),
            "{}",
            String::from_utf8_lossy(request)
        );
    }
}

/// "A missing `execute` → `QMP input lacks member 'execute'`. A
/// non-string `execute` → `QMP input member 'execute' must be a string`.
/// A non-object `arguments` (including null) → `QMP input member
/// 'arguments' must be an object`. Any top-level member other than
/// execute/arguments/id (incl. `exec-oob`) → `QMP input member '<name>'
/// is unexpected`."
#[test]
fn envelope_errors() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let cases: &[(&[u8], &str)] = &[
        (br#"{"arguments":{}}"#, "QMP input lacks member 'execute'"),
        (br#"{}"#, "QMP input lacks member 'execute'"),
        (
            br#"{"execute":42}"#,
            "QMP input member 'execute' must be a string",
        ),
        (
            br#"{"execute":null}"#,
            "QMP input member 'execute' must be a string",
        ),
        (
            br#"{"execute":"guest-ping","arguments":[]}"#,
            "QMP input member 'arguments' must be an object",
        ),
        (
            br#"{"execute":"guest-ping","arguments":"x"}"#,
            "QMP input member 'arguments' must be an object",
        ),
        (
            br#"{"execute":"guest-ping","arguments":null}"#,
            "QMP input member 'arguments' must be an object",
        ),
        (
            br#"{"execute":"guest-ping","foo":1}"#,
            "QMP input member 'foo' is unexpected",
        ),
        (
            br#"{"exec-oob":"guest-ping"}"#,
            "QMP input member 'exec-oob' is unexpected",
        ),
        // The whole envelope before the command lookup.
        (
            br#"{"execute":"nope","foo":1}"#,
            "QMP input member 'foo' is unexpected",
        ),
    ];
    for (request, desc) in cases {
        assert_eq!(
            c.exchange(request, 1, 1),
            generic(desc),
            "{}",
            String::from_utf8_lossy(request)
        );
    }
}

/// "A top-level `id` of any JSON type is echoed in success and error
/// replies (not in JSON-syntax-error replies)."
#[test]
fn the_id_is_echoed() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let cases: &[(&[u8], &[u8])] = &[
        (br#"{"execute":"guest-ping","id":99}"#, b"{\"return\": {}, \"id\": 99}\n"),
        (br#"{"execute":"guest-ping","id":"abc"}"#, b"{\"return\": {}, \"id\": \"abc\"}\n"),
        (br#"{"execute":"guest-ping","id":null}"#, b"{\"return\": {}, \"id\": null}\n"),
        (br#"{"execute":"guest-ping","id":0.1}"#, b"{\"return\": {}, \"id\": 0.10000000000000001}\n"),
        (br#"{"execute":"guest-ping","id":1.5e300}"#, b"{\"return\": {}, \"id\": 1.5000000000000001e+300}\n"),
        (
            br#"{"execute":"guest-no-such","id":"abc"}"#,
            b"{\"id\": \"abc\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-no-such has not been found\"}}\n",
        ),
        (
            br#"{"execute":"guest-sync","id":5}"#,
            b"{\"id\": 5, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'id' is missing\"}}\n",
        ),
        (
            br#"{"execute":"guest-ping","id":[1,{"a":null}],"foo":1}"#,
            b"{\"id\": [1, {\"a\": null}], \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'foo' is unexpected\"}}\n",
        ),
        (
            br#"{"id":7}"#,
            b"{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}\n",
        ),
    ];
    for (request, reply) in cases {
        assert_eq!(
            c.exchange(request, 1, 1),
            *reply,
            "{}",
            String::from_utf8_lossy(request)
        );
    }
    // A syntax error has no request, so no id.
    assert_eq!(
        c.exchange(br#"{"execute":"guest-ping","id":7,"id":8}"#, 1, 1),
        parse_error("duplicate key")
    );
}

/// "An unknown command → class `CommandNotFound`, desc `The command
/// <name> has not been found` (name verbatim, case-sensitive)."
#[test]
fn unknown_commands() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    for name in [
        "guest-no-such-command",
        "GUEST-PING",
        "qmp_capabilities",
        "",
    ] {
        let request = format!(r#"{{"execute":"{name}"}}"#);
        assert_eq!(
            c.exchange(request.as_bytes(), 1, 1),
            command_not_found(name)
        );
    }
    // Windows only: not registered here.
    assert_eq!(
        c.exchange(br#"{"execute":"guest-get-devices"}"#, 1, 1),
        command_not_found("guest-get-devices")
    );
}

/// "Argument errors (class GenericError): `Parameter '<p>' is missing`,
/// `Parameter '<p>' is unexpected`, `Invalid parameter type for '<p>',
/// expected: integer|boolean`, `Parameter '<p>' does not accept value
/// '<v>'`." Declared parameters come first, in schema order.
#[test]
fn argument_errors() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let cases: &[(&[u8], &str)] = &[
        (br#"{"execute":"guest-sync"}"#, "Parameter 'id' is missing"),
        (br#"{"execute":"guest-file-open","arguments":{}}"#, "Parameter 'path' is missing"),
        (br#"{"execute":"guest-ping","arguments":{"bogus":1}}"#, "Parameter 'bogus' is unexpected"),
        (br#"{"execute":"guest-sync","arguments":{"id":1,"bogus":1}}"#, "Parameter 'bogus' is unexpected"),
        (br#"{"execute":"guest-sync","arguments":{"bogus":1}}"#, "Parameter 'id' is missing"),
        (br#"{"execute":"guest-sync","arguments":{"id":"abc"}}"#, "Invalid parameter type for 'id', expected: integer"),
        (br#"{"execute":"guest-file-read","arguments":{"handle":1000,"count":null}}"#, "Invalid parameter type for 'count', expected: integer"),
        (
            br#"{"execute":"guest-ssh-add-authorized-keys","arguments":{"username":"u","keys":[],"reset":1}}"#,
            "Invalid parameter type for 'reset', expected: boolean",
        ),
        (
            br#"{"execute":"guest-file-seek","arguments":{"handle":1000,"offset":0,"whence":"middle"}}"#,
            "Parameter 'whence' does not accept value 'middle'",
        ),
    ];
    for (request, desc) in cases {
        assert_eq!(
            c.exchange(request, 1, 1),
            generic(desc),
            "{}",
            String::from_utf8_lossy(request)
        );
    }
}

/// "Integer parameters accept exactly the int64 range. Floats, booleans
/// and out-of-range numbers are type errors." And "`guest-sync` /
/// `guest-sync-delimited` return their `id` unchanged (int64)."
#[test]
fn integers_are_int64() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    for id in ["9223372036854775807", "-9223372036854775808", "0", "-5"] {
        let request = format!(r#"{{"execute":"guest-sync","arguments":{{"id":{id}}}}}"#);
        assert_eq!(
            c.exchange(request.as_bytes(), 1, 1),
            format!("{{\"return\": {id}}}\n").into_bytes()
        );
        let request = format!(r#"{{"execute":"guest-sync-delimited","arguments":{{"id":{id}}}}}"#);
        assert_eq!(
            c.exchange(request.as_bytes(), 1, 1),
            format!("\u{ff}{{\"return\": {id}}}\n")
                .chars()
                .map(|ch| ch as u8)
                .collect::<Vec<u8>>()
        );
    }
    for id in [
        "9223372036854775808",
        "18446744073709551615",
        "-9223372036854775809",
        "1e3",
        "1.5",
        "1.0",
        "true",
    ] {
        let request = format!(r#"{{"execute":"guest-sync","arguments":{{"id":{id}}}}}"#);
        assert_eq!(
            c.exchange(request.as_bytes(), 1, 1),
            generic("Invalid parameter type for 'id', expected: integer"),
            "{id}"
        );
    }
}

/// "Absent `arguments` and `"arguments": {}` are equivalent."
#[test]
fn absent_and_empty_arguments_are_the_same() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(c.exchange(PING, 1, 1), PONG);
    assert_eq!(
        c.exchange(br#"{"execute":"guest-ping","arguments":{}}"#, 1, 1),
        PONG
    );
    assert_eq!(
        c.exchange(br#"{"execute":"guest-sync"}"#, 1, 1),
        c.exchange(br#"{"execute":"guest-sync","arguments":{}}"#, 1, 1)
    );
}

/// "`guest-info` lists every registered command with
/// `enabled`/`name`/`success-response`, in reverse schema order", with
/// `success-response` false for guest-shutdown and guest-suspend-*.
#[test]
fn guest_info_lists_the_commands() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    let reply = c.exchange(br#"{"execute":"guest-info"}"#, 1, 1);
    let v: Value = serde_json::from_slice(&reply).unwrap();
    let listed = v["return"]["supported_commands"].as_array().unwrap();
    let names: Vec<&str> = listed.iter().map(|c| c["name"].as_str().unwrap()).collect();
    let schema: Vec<&str> = qga_generated::COMMANDS
        .iter()
        .rev()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, schema);
    for command in listed {
        let name = command["name"].as_str().unwrap();
        let no_reply = name == "guest-shutdown" || name.starts_with("guest-suspend-");
        assert_eq!(command["success-response"], !no_reply, "{name}");
        assert_eq!(command["enabled"], true, "{name}");
        // qemu-ga's member order.
        let keys: Vec<&String> = command.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["enabled", "name", "success-response"]);
    }
    assert!(reply.starts_with(b"{\"return\": {\"version\": \""));
}

/// "(byte-exact) Members of every object appear in ascending
/// `tdb_hash(key) % 512` order", "(byte-exact) Separators `": "` and
/// `", "`", escapes with upper-case hex and surrogate pairs, `/` as is.
#[test]
fn byte_exact_serialisation() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(
            b"{\"execute\":\"a\\\"b\\\\c/d\\u007f\\u0001\\t\\u00e9\\ud83d\\ude00\xc3\xa9\xf0\x9f\x98\x80 z\"}",
            1,
            1
        ),
        command_not_found(r#"a\"b\\c/d\u007F\u0001\t\u00E9\uD83D\uDE00\u00E9\uD83D\uDE00 z"#)
    );
    assert_eq!(
        c.exchange(br#"{"execute":"a\b\f\r\n\u001f\u007e~"}"#, 1, 1),
        command_not_found(r"a\b\f\r\n\u001F~~")
    );
    // {"id", "error"} but {"return", "id"}; {"class", "desc"}.
    assert_eq!(
        c.exchange(br#"{"execute":"guest-sync","id":{"b":1,"a":[]}}"#, 1, 1),
        b"{\"id\": {\"a\": [], \"b\": 1}, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'id' is missing\"}}\n"
    );
}

/// "(byte-exact, version-dependent) ... exec-status unknown pid": we send
/// 7.2's text, not 10.0's format-string bug (`PID ld does not exist`).
#[test]
fn exec_status_of_an_unknown_pid() {
    let agent = AgentProcess::start(&[], false);
    let mut c = agent.connect();
    assert_eq!(
        c.exchange(
            br#"{"execute":"guest-exec-status","arguments":{"pid":1}}"#,
            1,
            1
        ),
        generic("Invalid parameter 'pid'")
    );
}
