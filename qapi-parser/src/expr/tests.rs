//! Tests of the expression checker over small schemas.

use super::testutil::parsed;
use super::*;
use crate::ast::TypeRef;

fn run(text: &str) -> Result<Vec<Item>, Errors> {
    check(&parsed(text, Pragma::default()), &Options::default())
}

/// The first error as QEMU prints it.
fn err(text: &str) -> String {
    match run(text) {
        Ok(_) => panic!("expected an error for {text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_struct_is_checked_and_typed() {
    let items = run("{ 'struct': 'Foo', 'data': { 'a': 'int', '*b': ['str'] } }").unwrap();
    let [Item::Definition(d)] = items.as_slice() else {
        panic!("one definition expected")
    };
    let DefKind::Struct(s) = &d.kind else {
        panic!("struct expected")
    };
    assert_eq!(s.members[1].name, "b");
    assert!(s.members[1].optional);
    assert_eq!(s.members[1].ty, TypeRef::Array("str".into()));
}

#[test]
fn unknown_keys() {
    assert_eq!(
        err("{ 'struct': 'Bar', 'data': {}, 'phony': true, 'bogus': true }"),
        "test.json: In struct 'Bar':\ntest.json:1: struct has unknown keys 'bogus', 'phony'\n\
         Valid keys are 'base', 'data', 'features', 'if', 'struct'."
    );
}

/// Where the shared reference material is, if present.
fn shared_dir() -> Option<std::path::PathBuf> {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("QAPI_SHARED").map(std::path::PathBuf::from),
        Some(manifest.join("../../shared")),
        Some(manifest.join("../../../shared")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

/// QEMU's test cases whose error comes from this pass (those about doc
/// blocks are tested separately: the test reader ignores comments).
const PASS2_CASES: &[&str] = &[
    "allow-preconfig-test",
    "alternate-branch-if-invalid",
    "alternate-empty",
    "args-array-empty",
    "args-bad-boxed",
    "args-invalid",
    "args-member-case",
    "bad-ident",
    "bad-if-all",
    "bad-if-empty-list",
    "bad-if-keys",
    "bad-if-not",
    "bad-type-dict",
    "enum-bad-member",
    "enum-bad-prefix",
    "enum-dict-member-unknown",
    "enum-if-invalid",
    "enum-member-case",
    "enum-wrong-data",
    "event-case",
    "event-nest-struct",
    "features-if-invalid",
    "features-name-bad-type",
    "nested-struct-data",
    "oob-test",
    "reserved-enum-q",
    "reserved-member-q",
    "reserved-member-underscore",
    "struct-data-typename",
    "struct-member-invalid",
    "type-case",
    "union-array-branch",
    "union-bad-discriminator",
    "union-branch-invalid-dict",
    "union-inline-invalid-dict",
    "union-invalid-data",
    "unknown-expr-key",
];

/// Cases this pass cannot see: errors of the parser, of directives and of
/// doc comments.
fn is_other_pass_case(name: &str, expected: &str) -> bool {
    let first = expected.lines().next().unwrap_or("");
    let has_column = first
        .split(':')
        .nth(2)
        .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
    has_column
        || first.starts_with("In file included")
        || ["doc-", "include-", "pragma-"]
            .iter()
            .any(|p| name.starts_with(p))
        || ["non-objects", "quoted-structural-chars", "missing-schema"].contains(&name)
}

#[test]
fn qemu_test_cases() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (QEMU's test cases) not found");
        return;
    };
    let dir = shared.join("qapi-corpus/qemu-tests");
    let cases = std::fs::read_to_string(dir.join("CASES.txt")).unwrap();
    let (mut errors, mut valid) = (0, 0);
    for name in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.json"))) else {
            continue;
        };
        let expected = std::fs::read_to_string(dir.join(format!("{name}.err"))).unwrap_or_default();
        if is_other_pass_case(name, &expected) {
            continue;
        }
        let parsed = testutil::parsed_file(&format!("{name}.json"), &text, Pragma::default());
        let got = check(&parsed, &Options::default());
        if PASS2_CASES.contains(&name) {
            let got = got.err().map(|e| e.to_string()).unwrap_or_default();
            assert_eq!(got, expected.trim_end(), "case {name}");
            errors += 1;
        } else {
            if let Err(e) = got {
                panic!("case {name}: unexpected error {e}");
            }
            valid += 1;
        }
    }
    assert_eq!(errors, PASS2_CASES.len());
    eprintln!("{errors} error cases and {valid} other cases agree");
}
