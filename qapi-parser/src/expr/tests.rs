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
