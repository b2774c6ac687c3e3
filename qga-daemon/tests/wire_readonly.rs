//! The read-only commands over the wire: each answers with a reply of the
//! schema's shape, and with the same member names and JSON types as
//! qemu-ga 7.2 run on this machine, where 7.2 has the command. The
//! comparison is skipped, with the reason printed, when
//! `/usr/sbin/qemu-ga` is absent or lacks the command.

mod wire_support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wire_support::{AgentProcess, PATIENCE};

const QEMU_GA: &str = "/usr/sbin/qemu-ga";

/// One connection to a running agent, ours or qemu-ga.
struct Conn(BufReader<UnixStream>);

impl Conn {
    fn open(sock: &Path) -> Conn {
        let stream = UnixStream::connect(sock).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        Conn(BufReader::new(stream))
    }

    /// The whole reply to `execute` without arguments.
    fn call(&mut self, execute: &str) -> Value {
        let mut line = json!({ "execute": execute }).to_string();
        line.push('\n');
        self.0.get_mut().write_all(line.as_bytes()).unwrap();
        let mut reply = String::new();
        self.0.read_line(&mut reply).unwrap();
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{execute}: {e}: {reply:?}"))
    }

    /// The `return` member of the reply to `execute`.
    fn ok(&mut self, execute: &str) -> Value {
        let reply = self.call(execute);
        match reply.get("return") {
            Some(v) => v.clone(),
            None => panic!("{execute} failed: {reply}"),
        }
    }
}

/// qemu-ga 7.2 on a temporary socket, killed (by its own handle) when
/// dropped.
struct QemuGa {
    child: Child,
    conn: Conn,
    _dir: tempfile::TempDir,
}

impl QemuGa {
    /// Starts qemu-ga; `None`, with the reason printed, when absent.
    fn start() -> Option<QemuGa> {
        if !Path::new(QEMU_GA).exists() {
            println!("skipped the qemu-ga comparison: {QEMU_GA} is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("qemu-ga.sock");
        let mut child = Command::new(QEMU_GA)
            .args(["-m", "unix-listen", "-p"])
            .arg(&sock)
            .arg("-t")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + PATIENCE;
        while UnixStream::connect(&sock).is_err() {
            if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
                let _ = child.kill();
                let _ = child.wait();
                panic!("qemu-ga never listened");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let conn = Conn::open(&sock);
        Some(QemuGa {
            child,
            conn,
            _dir: dir,
        })
    }

    /// qemu-ga's answer to `execute`; `None`, with the reason printed,
    /// when 7.2 does not have the command.
    fn ok(&mut self, execute: &str) -> Option<Value> {
        let reply = self.conn.call(execute);
        if reply.pointer("/error/class") == Some(&json!("CommandNotFound")) {
            println!("skipped the qemu-ga comparison of {execute}: qemu-ga 7.2 lacks it");
            return None;
        }
        match reply.get("return") {
            Some(v) => Some(v.clone()),
            None => panic!("qemu-ga: {execute} failed: {reply}"),
        }
    }
}

impl Drop for QemuGa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Checks `v` against `spec`: `"int"`, `"number"`, `"string"`, `"bool"`;
/// `[spec]` for a list of that; an object for an object whose members
/// are exactly the spec's, a name ending in `?` being optional.
fn conforms(v: &Value, spec: &Value, at: &str) -> Result<(), String> {
    let wrong = || Err(format!("{at}: {v} is not {spec}"));
    match spec {
        Value::String(kind) => {
            let fits = match kind.as_str() {
                "int" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "string" => v.is_string(),
                "bool" => v.is_boolean(),
                _ => false,
            };
            if fits {
                Ok(())
            } else {
                wrong()
            }
        }
        Value::Array(item) => {
            let (Some(list), Some(item)) = (v.as_array(), item.first()) else {
                return wrong();
            };
            list.iter()
                .enumerate()
                .try_for_each(|(i, e)| conforms(e, item, &format!("{at}[{i}]")))
        }
        Value::Object(members) => {
            let Some(object) = v.as_object() else {
                return wrong();
            };
            for (name, member) in members {
                let (name, optional) = match name.strip_suffix('?') {
                    Some(n) => (n, true),
                    None => (name.as_str(), false),
                };
                match object.get(name) {
                    Some(x) => conforms(x, member, &format!("{at}.{name}"))?,
                    None if optional => {}
                    None => return Err(format!("{at}.{name}: missing in {v}")),
                }
            }
            let known = |k: &str| members.contains_key(k) || members.contains_key(&format!("{k}?"));
            match object.keys().find(|k| !known(k)) {
                Some(k) => Err(format!("{at}.{k}: not in the schema")),
                None => Ok(()),
            }
        }
        _ => wrong(),
    }
}

/// The JSON type of a value, the elements of a list merged into one.
fn shape(v: &Value) -> Value {
    match v {
        Value::Null => json!("null"),
        Value::Bool(_) => json!("bool"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::Array(a) => Value::Array(a.iter().map(shape).reduce(merge).into_iter().collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
    }
}

fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut x), Value::Object(y)) => {
            for (k, v) in y {
                let m = match x.remove(&k) {
                    Some(old) => merge(old, v),
                    None => v,
                };
                x.insert(k, m);
            }
            Value::Object(x)
        }
        (Value::Array(x), Value::Array(y)) => {
            Value::Array(x.into_iter().chain(y).reduce(merge).into_iter().collect())
        }
        (a, b) if a == b => a,
        _ => json!("mixed"),
    }
}

/// Where the shapes of `ours` and `theirs` differ; members named in
/// `theirs_only` may be missing from ours.
fn differences(ours: &Value, theirs: &Value, theirs_only: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![("$".to_string(), shape(ours), shape(theirs))];
    while let Some((at, a, b)) = stack.pop() {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                let mut a: BTreeMap<_, _> = a.into_iter().collect();
                for (k, v) in b {
                    match a.remove(&k) {
                        Some(o) => stack.push((format!("{at}.{k}"), o, v)),
                        None if theirs_only.contains(&k.as_str()) => {}
                        None => out.push(format!("{at}.{k}: missing in ours")),
                    }
                }
                out.extend(a.keys().map(|k| format!("{at}.{k}: only in ours")));
            }
            (Value::Array(a), Value::Array(b)) => {
                if let (Some(a), Some(b)) = (a.into_iter().next(), b.into_iter().next()) {
                    stack.push((format!("{at}[]"), a, b));
                }
            }
            (a, b) if a == b => {}
            (a, b) => out.push(format!("{at}: ours {a}, qemu-ga {b}")),
        }
    }
    out
}

/// Asks our agent and qemu-ga `execute`; checks our reply against `spec`
/// and its shape against qemu-ga's. Returns both replies (qemu-ga's when
/// it could answer).
fn check(execute: &str, spec: Value, theirs_only: &[&str]) -> (Value, Option<Value>) {
    let agent = AgentProcess::start(&[], false);
    let ours = Conn::open(&agent.sock()).ok(execute);
    if let Err(e) = conforms(&ours, &spec, "$") {
        panic!("{execute}: {e}\nreply: {ours}");
    }
    let theirs = QemuGa::start().and_then(|mut ga| ga.ok(execute));
    if let Some(theirs) = &theirs {
        let d = differences(&ours, theirs, theirs_only);
        assert!(
            d.is_empty(),
            "{execute}: {d:?}\nours: {ours}\nqemu-ga: {theirs}"
        );
    }
    (ours, theirs)
}

#[test]
fn spec_checks_can_fail() {
    let spec = json!({"a": "int", "b?": ["string"]});
    assert!(conforms(&json!({"a": 1, "b": ["x"]}), &spec, "$").is_ok());
    assert!(conforms(&json!({"a": 1}), &spec, "$").is_ok());
    assert!(conforms(&json!({"a": 1.5}), &spec, "$").is_err());
    assert!(conforms(&json!({"b": []}), &spec, "$").is_err());
    assert!(conforms(&json!({"a": 1, "c": 2}), &spec, "$").is_err());
    assert!(conforms(&json!({"a": 1, "b": [1]}), &spec, "$").is_err());
    assert_eq!(
        differences(&json!([{"a": 1}]), &json!([{"a": "x"}, {"b": 1}]), &[]),
        [
            "$[].b: missing in ours",
            "$[].a: ours \"number\", qemu-ga \"string\""
        ]
    );
    assert!(differences(&json!([{"a": 1}]), &json!([{"b": 1}, {"a": 2}]), &["b"]).is_empty());
}

#[test]
fn get_time() {
    let (ours, theirs) = check("guest-get-time", json!("int"), &[]);
    let ours = ours.as_i64().unwrap();
    // After 2020-01-01, in nanoseconds.
    assert!(ours > 1_577_836_800_000_000_000, "{ours}");
    if let Some(theirs) = theirs.and_then(|t| t.as_i64()) {
        assert!((theirs - ours).abs() < 60_000_000_000, "{ours} {theirs}");
    }
}

#[test]
fn get_timezone() {
    let (ours, theirs) = check(
        "guest-get-timezone",
        json!({"zone?": "string", "offset": "int"}),
        &[],
    );
    let offset = ours["offset"].as_i64().unwrap();
    assert!(offset.abs() <= 26 * 3600, "{ours}");
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
}

#[test]
fn get_host_name() {
    let (ours, theirs) = check("guest-get-host-name", json!({"host-name": "string"}), &[]);
    assert_ne!(ours["host-name"], "");
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
}

#[test]
fn get_osinfo() {
    let spec = json!({
        "kernel-release?": "string", "kernel-version?": "string", "machine?": "string",
        "id?": "string", "name?": "string", "pretty-name?": "string", "version?": "string",
        "version-id?": "string", "variant?": "string", "variant-id?": "string"
    });
    let (ours, theirs) = check("guest-get-osinfo", spec, &[]);
    assert!(ours["kernel-release"].is_string(), "{ours}");
    assert!(ours["machine"].is_string(), "{ours}");
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
}

#[test]
fn get_load() {
    let (ours, _) = check(
        "guest-get-load",
        json!({"load1m": "number", "load5m": "number", "load15m": "number"}),
        &[],
    );
    for member in ["load1m", "load5m", "load15m"] {
        assert!(ours[member].as_f64().unwrap() >= 0.0, "{ours}");
    }
}

#[test]
fn get_users() {
    let (ours, theirs) = check(
        "guest-get-users",
        json!([{"user": "string", "domain?": "string", "login-time": "number"}]),
        &[],
    );
    let names = |v: &Value| -> Vec<Value> {
        let mut n: Vec<Value> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["user"].clone())
            .collect();
        n.sort_by_key(Value::to_string);
        n
    };
    if let Some(theirs) = theirs {
        assert_eq!(names(&ours), names(&theirs));
    }
}

#[test]
fn network_get_interfaces() {
    let spec = json!([{
        "name": "string",
        "hardware-address?": "string",
        "ip-addresses?": [{"ip-address-type": "string", "ip-address": "string", "prefix": "int"}],
        "statistics?": {
            "rx-bytes": "int", "rx-packets": "int", "rx-errs": "int", "rx-dropped": "int",
            "tx-bytes": "int", "tx-packets": "int", "tx-errs": "int", "tx-dropped": "int"
        }
    }]);
    // qemu-ga gives links without a hardware address (tun) a zero one;
    // we leave the member out.
    let (ours, theirs) = check("guest-network-get-interfaces", spec, &["hardware-address"]);
    let list = ours.as_array().unwrap();
    assert!(list.iter().any(|i| i["name"] == "lo"), "{ours}");
    for address in list.iter().filter_map(|i| i.get("ip-addresses")) {
        for a in address.as_array().unwrap() {
            assert!(["ipv4", "ipv6"].contains(&a["ip-address-type"].as_str().unwrap()));
        }
    }
    if let Some(theirs) = theirs {
        let names = |v: &Value| -> Vec<String> {
            let mut n: Vec<String> = v
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["name"].as_str().map(str::to_owned))
                .collect();
            n.sort();
            n
        };
        assert_eq!(names(&ours), names(&theirs));
    }
}

#[test]
fn network_get_route() {
    let spec = json!([{
        "iface": "string", "destination": "string", "metric": "int", "gateway?": "string",
        "mask?": "string", "irtt?": "int", "flags?": "int", "refcnt?": "int", "use?": "int",
        "window?": "int", "mtu?": "int", "desprefixlen?": "string", "source?": "string",
        "srcprefixlen?": "string", "nexthop?": "string", "version": "int"
    }]);
    let (ours, _) = check("guest-network-get-route", spec, &[]);
    for route in ours.as_array().unwrap() {
        assert!(
            [4, 6].contains(&route["version"].as_i64().unwrap()),
            "{route}"
        );
    }
}

#[test]
fn get_vcpus() {
    let (ours, theirs) = check(
        "guest-get-vcpus",
        json!([{"logical-id": "int", "online": "bool", "can-offline?": "bool"}]),
        &[],
    );
    let ids: Vec<i64> = ours
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["logical-id"].as_i64().unwrap())
        .collect();
    assert!(!ids.is_empty());
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    if let Some(theirs) = theirs {
        // qemu-ga lists them last first.
        let mut theirs = theirs.as_array().unwrap().clone();
        theirs.sort_by_key(|c| c["logical-id"].as_i64());
        assert_eq!(ours, Value::Array(theirs));
    }
}

#[test]
fn get_memory_blocks() {
    let (ours, theirs) = check(
        "guest-get-memory-blocks",
        json!([{"phys-index": "int", "online": "bool", "can-offline?": "bool"}]),
        &[],
    );
    if let Some(theirs) = theirs {
        assert_eq!(
            ours.as_array().unwrap().len(),
            theirs.as_array().unwrap().len()
        );
    }
}

#[test]
fn get_memory_block_info() {
    let (ours, theirs) = check("guest-get-memory-block-info", json!({"size": "int"}), &[]);
    assert!(ours["size"].as_u64().unwrap() > 0, "{ours}");
    if let Some(theirs) = theirs {
        assert_eq!(ours, theirs);
    }
}
