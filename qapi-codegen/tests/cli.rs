//! Smoke tests of the `qapi-gen` command line.

use std::path::PathBuf;
use std::process::Command;

fn qapi_gen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_qapi-gen"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qapi-gen-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn missing_schema_exits_1_with_qemus_message() {
    let out = qapi_gen()
        .args(["check", "--color=never", "no-such-schema.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "can't read schema file 'no-such-schema.json': No such file or directory\n"
    );
}

#[test]
fn check_and_dump_a_valid_schema() {
    let dir = temp_dir("valid");
    let schema = dir.join("s.json");
    std::fs::write(&schema, "{ 'enum': 'Status', 'data': [ 'good', 'bad' ] }\n").unwrap();
    let check = qapi_gen().arg("check").arg(&schema).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(check.stdout.is_empty());
    let dump = qapi_gen().arg("dump").arg(&schema).output().unwrap();
    assert_eq!(dump.status.code(), Some(0));
    let text = String::from_utf8_lossy(&dump.stdout);
    assert!(text.starts_with("module ./builtin\n"), "{text}");
    assert!(
        text.ends_with("enum Status\n    member good\n    member bad\n"),
        "{text}"
    );
}

#[test]
fn invalid_schema_exits_1() {
    let dir = temp_dir("invalid");
    let schema = dir.join("bad.json");
    std::fs::write(&schema, "{ 'struct': 'Foo', 'data': { 'a': 'Nope' } }\n").unwrap();
    let out = qapi_gen()
        .args(["dump", "--color=never"])
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.ends_with("bad.json:1: member 'a' uses unknown type 'Nope'\n"),
        "{err}"
    );
}

#[test]
fn generate_writes_rust_code_and_rejects_bad_cfg() {
    let dir = temp_dir("generate");
    let schema = dir.join("s.json");
    std::fs::write(
        &schema,
        "{ 'enum': 'Status', 'data': [ 'good', { 'name': 'bad', 'if': 'CONFIG_X' } ] }\n\
         { 'struct': 'Report', 'data': { 'status': 'Status' } }\n\
         { 'command': 'status', 'returns': 'Report' }\n",
    )
    .unwrap();
    let out_file = dir.join("out.rs");
    let run = qapi_gen()
        .args(["generate", "--cfg", "CONFIG_X=unix", "-o"])
        .arg(&out_file)
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let code = std::fs::read_to_string(&out_file).unwrap();
    assert!(code.starts_with("// @generated"), "{code}");
    assert!(code.contains("#[cfg(unix)]"), "{code}");
    assert!(code.contains("fn status(&self)"), "{code}");
    assert!(code.contains("pub struct Client"), "{code}");
    let slim = qapi_gen()
        .args(["generate", "--no-client", "--no-server", "--no-serde"])
        .args(["--derive", "Hash"])
        .arg(&schema)
        .output()
        .unwrap();
    let slim = String::from_utf8_lossy(&slim.stdout);
    assert!(!slim.contains("pub struct Client"), "{slim}");
    assert!(!slim.contains("pub trait Commands"), "{slim}");
    assert!(!slim.contains("serde::"), "{slim}");
    assert!(
        slim.contains("#[derive(Debug, Clone, PartialEq, Eq, Hash)]"),
        "{slim}"
    );
    let bad = qapi_gen()
        .args(["generate", "--cfg", "CONFIG_X"])
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let refused = qapi_gen()
        .args(["generate", "--unknown-cfg", "error"])
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "qapi-gen: no cfg mapping for condition symbol 'CONFIG_X'\n"
    );
}

#[test]
fn generate_check_reports_stale_bindings_and_writes_nothing() {
    let dir = temp_dir("check");
    let schema = dir.join("s.json");
    std::fs::write(&schema, "{ 'enum': 'Status', 'data': [ 'good', 'bad' ] }\n").unwrap();
    let out_file = dir.join("bindings.rs");
    let generate = |extra: &[&str]| {
        qapi_gen()
            .arg("generate")
            .args(extra)
            .arg("-o")
            .arg(&out_file)
            .arg(&schema)
            .output()
            .unwrap()
    };
    assert_eq!(generate(&[]).status.code(), Some(0));
    let fresh = generate(&["--check"]);
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    std::fs::write(
        &schema,
        "{ 'enum': 'Status', 'data': [ 'good', 'bad', 'ugly' ] }\n",
    )
    .unwrap();
    let before = std::fs::read_to_string(&out_file).unwrap();
    let stale = generate(&["--check"]);
    let err = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{err}");
    assert!(err.contains("is out of date"), "{err}");
    assert!(err.contains("+++ generated"), "{err}");
    assert!(err.contains("Ugly"), "{err}");
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), before);

    let missing = qapi_gen()
        .args(["generate", "--check"])
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2), "--check needs -o");
}
