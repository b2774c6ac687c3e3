//! The doc examples of QMP 10.2.50 (from `../shared/qapi-corpus`) and of
//! the guest agent schema, through the generated code: every complete
//! example (all its messages valid JSON, no `...` elisions) must read
//! and write back each request's arguments, each reply's return value
//! and each event's data unchanged.
//!
//! The examples are written to a JSON file and checked by a small
//! program compiled with the generated code under `target/`. Each
//! message (a `->` request, a `<-` reply or event) counts as one example.
//! Each failure is printed with its reason; the test fails when fewer
//! than 95% of the messages of a schema pass, or when a failure is not
//! one of [`KNOWN_DOC_ERRORS`]: examples of QEMU's own docs that do not
//! match its schema (QEMU rejects them too), each of which must still
//! fail with the reason given there. Skipped when
//! `QAPI_SKIP_COMPILE_CHECK` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_codegen::builder::write_if_changed;
use qapi_codegen::cfg::UnknownSymbol;
use qapi_codegen::examples::{examples, Direction};
use qapi_codegen::Builder;
use serde_json::{json, Value};

/// (module, example, the failure it must have): examples of QEMU 10.2.50
/// that disagree with its schema (a required member left out, a member
/// that no longer exists, a string where an integer is due).
const KNOWN_DOC_ERRORS: &[(&str, &str, &str)] = &[
    (
        "qmp",
        "query-block example 1",
        "'[0].inserted.node-name' is missing",
    ),
    (
        "qmp",
        "query-named-block-nodes example 1",
        "'[0].children' is missing",
    ),
    (
        "qmp",
        "query-migrate example 2",
        "'ram.dirty-pages-rate' is missing",
    ),
    (
        "qmp",
        "query-migrate example 4",
        "'ram.dirty-pages-rate' is missing",
    ),
    (
        "qmp",
        "query-migrate example 5",
        "'ram.dirty-pages-rate' is missing",
    ),
    (
        "qmp",
        "migrate example 1",
        "'channels[0].addr.offset' expects uint64",
    ),
    (
        "qmp",
        "trace-event-get-state example 1",
        "'[0].vcpu' is unexpected",
    ),
    (
        "qmp",
        "query-cpus-fast example 1",
        "'[0].qom-type' is missing",
    ),
    (
        "qmp",
        "query-iothreads example 1",
        "'[0].poll-max-ns' is missing",
    ),
    ("qmp", "RTC_CHANGE example 1", "'qom-path' is missing"),
    ("qmp", "query-sev example 1", "'sev-type' is missing"),
    (
        "qmp",
        "query-sgx-capabilities example 1",
        "'sections' is missing",
    ),
    (
        "qmp",
        "query-pci example 1",
        "'[0].devices[0].irq_pin' is missing",
    ),
    (
        "qmp",
        "x-query-virtio-status example 2",
        "'disable-legacy-check' is missing",
    ),
];

/// QEMU's platform symbols, all taken as defined so that every command
/// is compiled in.
const PLATFORM: &[&str] = &[
    "CONFIG_POSIX",
    "CONFIG_WIN32",
    "CONFIG_LINUX",
    "CONFIG_BSD",
    "CONFIG_FREEBSD",
    "CONFIG_DARWIN",
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (module, schema)
fn schemas() -> Vec<(&'static str, PathBuf)> {
    let mut out = vec![("qga", manifest_dir().join("../schema/qga/qapi-schema.json"))];
    let qmp = manifest_dir().join("../../shared/qapi-corpus/qmp/qapi-schema.json");
    if qmp.exists() {
        out.push(("qmp", qmp));
    } else {
        eprintln!("QMP skipped: {} is absent", qmp.display());
    }
    out
}

/// The complete examples of `schema`: `{"where", "messages": [[dir, value]]}`;
/// also returns how many examples there are in all.
fn complete_examples(schema: &Path) -> (Vec<Value>, usize) {
    let parsed = qapi_parser::load(&schema.to_string_lossy(), &Default::default())
        .unwrap_or_else(|e| panic!("{}: {}", schema.display(), e.0[0]));
    let mut out = Vec::new();
    let mut all = 0;
    for doc in &parsed.docs {
        let symbol = doc.symbol.clone().unwrap_or_else(|| "(free-form)".into());
        for (n, ex) in examples(doc).into_iter().enumerate() {
            all += 1;
            let parsed: Option<Vec<Value>> = ex
                .iter()
                .map(|m| {
                    let v: Value = serde_json::from_str(&m.text).ok()?;
                    let dir = match m.direction {
                        Direction::ToServer => "->",
                        Direction::ToClient => "<-",
                    };
                    Some(json!([dir, v]))
                })
                .collect();
            if let Some(messages) = parsed {
                out.push(json!({"where": format!("{symbol} example {}", n + 1),
                                "messages": messages}));
            }
        }
    }
    (out, all)
}

#[test]
fn doc_examples_round_trip() {
    if std::env::var_os("QAPI_SKIP_COMPILE_CHECK").is_some() {
        eprintln!("skipped: QAPI_SKIP_COMPILE_CHECK is set");
        return;
    }
    let root = manifest_dir().join("../target/examples-check");
    let src = root.join("src");
    let mut main = String::from(MAIN_HEAD);
    let mut totals = Vec::new();
    for (module, schema) in schemas() {
        let mut b = Builder::new();
        b.schema(&schema)
            .unknown_cfg(UnknownSymbol::Defined)
            .client(false)
            .serde(false)
            .docs(false);
        for symbol in PLATFORM {
            b.cfg_always(symbol);
        }
        let code = b.generate().unwrap_or_else(|e| panic!("{e}")).code;
        write_if_changed(&src.join(format!("{module}.rs")), &code).unwrap();
        let (complete, all) = complete_examples(&schema);
        totals.push((module, complete.len(), all));
        let data = serde_json::to_string_pretty(&complete).unwrap();
        write_if_changed(&root.join(format!("{module}.json")), &data).unwrap();
        let event_fn = if code.contains("pub enum Event") {
            EVENT_FN
        } else {
            NO_EVENT_FN
        };
        main.push_str(
            &MAIN_MODULE
                .replace("EVENT_FN", event_fn)
                .replace("MODULE", module),
        );
    }
    main.push_str("fn main() {\n    let dir = std::env::args().nth(1).unwrap();\n");
    for (module, _, _) in &totals {
        main.push_str(&format!("    {module}::run(&dir);\n"));
    }
    main.push_str("}\n");
    write_if_changed(&src.join("main.rs"), &main).unwrap();
    write_if_changed(&root.join("Cargo.toml"), MANIFEST).unwrap();
    let lock = manifest_dir().join("../Cargo.lock");
    if !root.join("Cargo.lock").exists() {
        if let Ok(text) = std::fs::read_to_string(&lock) {
            write_if_changed(&root.join("Cargo.lock"), &text).unwrap();
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["run", "--offline", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .arg("--")
        .arg(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the examples program failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{stdout}");
    let failures: Vec<&str> = stdout.lines().filter(|l| l.contains(": FAIL ")).collect();
    for (module, example, reason) in KNOWN_DOC_ERRORS {
        if !totals.iter().any(|t| t.0 == *module) {
            continue;
        }
        let prefix = format!("{module}: FAIL {example}: ");
        assert!(
            failures
                .iter()
                .any(|l| l.starts_with(&prefix) && l.contains(reason)),
            "{module} {example} should fail with {reason}"
        );
    }
    // Every failure must be one of the explained errors of QEMU's docs.
    for line in &failures {
        assert!(
            KNOWN_DOC_ERRORS.iter().any(|(module, example, _)| {
                line.starts_with(&format!("{module}: FAIL {example}: "))
            }),
            "unexplained failure: {line}"
        );
    }
    for (module, complete, all) in totals {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{module}: passed ")))
            .unwrap_or_else(|| panic!("no result for {module}"));
        let (passed, checked): (usize, usize) = line
            .split_whitespace()
            .nth(2)
            .and_then(|n| n.split_once('/'))
            .and_then(|(p, t)| Some((p.parse().ok()?, t.parse().ok()?)))
            .unwrap_or((0, 0));
        println!(
            "{module}: {all} example blocks, {complete} complete; {passed} of \
             {checked} messages (requests, replies, events) decode and encode back equal"
        );
        assert!(
            checked > 0 && passed * 100 >= checked * 95,
            "{module}: only {passed} of {checked} example messages pass"
        );
    }
}

const MANIFEST: &str = r#"[package]
name = "qapi-examples-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
serde_json = { version = "1", features = ["preserve_order"] }

[workspace]
"#;

const MAIN_HEAD: &str = r#"//! Round trip of doc examples through generated code.
#![allow(dead_code, deprecated)]

use serde_json::Value;

/// JSON equality, numbers compared by value (`2` and `2.0` are the same).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
"#;

const MAIN_MODULE: &str = r#"
mod MODULE {
    include!("MODULE.rs");

    use serde_json::Value;

    EVENT_FN

    /// Each message of one example block, checked on its own: a request
    /// must decode into its command's arguments and encode back equal, a
    /// reply into the command's return type, an event into its data.
    fn check(messages: &[Value]) -> Vec<Result<(), String>> {
        let mut command: Option<String> = None;
        let mut results = Vec::new();
        for m in messages {
            let (dir, v) = (m[0].as_str().unwrap_or(""), &m[1]);
            let result = if dir == "->" {
                command = v.get("execute").and_then(Value::as_str).map(str::to_string);
                check_request(v)
            } else if let Some(ret) = v.get("return") {
                match command.as_deref() {
                    Some(name) => check_reply(name, ret),
                    None => Err("reply before any request".to_string()),
                }
            } else if let Some(name) = v.get("event").and_then(Value::as_str) {
                event(name, v.get("data").cloned())
            } else {
                // Error replies and other envelopes carry no typed data.
                continue;
            };
            results.push(result);
        }
        results
    }

    fn check_request(v: &Value) -> Result<(), String> {
        let name = v.get("execute").and_then(Value::as_str)
            .ok_or_else(|| format!("request without 'execute': {v}"))?;
        let args = v.get("arguments").and_then(Value::as_object).cloned();
        let expected = Value::Object(args.clone().unwrap_or_default());
        let back = Request::from_qapi(name, args)
            .map_err(|e| format!("{name}: {}", e.desc))?;
        let back = Value::Object(back.into_qapi());
        if crate::same(&back, &expected) {
            Ok(())
        } else {
            Err(format!("{name}: arguments {expected} came back as {back}"))
        }
    }

    fn check_reply(name: &str, ret: &Value) -> Result<(), String> {
        let back = Response::from_qapi(name, ret.clone())
            .map_err(|e| format!("{name} reply: {}", e.desc))?
            .into_qapi();
        if crate::same(&back, ret) {
            Ok(())
        } else {
            Err(format!("{name} reply: {ret} came back as {back}"))
        }
    }

    /// (messages passed, messages checked).
    fn run_all(dir: &str) -> (usize, usize) {
        let path = format!("{dir}/MODULE.json");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let examples: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
        let (mut passed, mut total) = (0, 0);
        for ex in &examples {
            let messages = ex["messages"].as_array().cloned().unwrap_or_default();
            for result in check(&messages) {
                total += 1;
                match result {
                    Ok(()) => passed += 1,
                    Err(e) => println!("MODULE: FAIL {}: {e}", ex["where"].as_str().unwrap_or("?")),
                }
            }
        }
        (passed, total)
    }

    pub fn run(dir: &str) {
        let (passed, total) = run_all(dir);
        println!("MODULE: passed {passed}/{total}");
    }
}
"#;

const EVENT_FN: &str = r#"fn event(name: &str, data: Option<Value>) -> Result<(), String> {
        let back = Event::from_qapi(name, data.clone())
            .map_err(|e| format!("event {name}: {}", e.desc))?
            .into_qapi();
        let expected = data.unwrap_or(Value::Null);
        let back = back.unwrap_or(Value::Null);
        if crate::same(&back, &expected) {
            Ok(())
        } else {
            Err(format!("event {name}: {expected} came back as {back}"))
        }
    }"#;

const NO_EVENT_FN: &str = r#"fn event(name: &str, _data: Option<Value>) -> Result<(), String> {
        Err(format!("event {name}: the schema has no events"))
    }"#;
