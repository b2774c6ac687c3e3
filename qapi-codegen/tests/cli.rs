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
