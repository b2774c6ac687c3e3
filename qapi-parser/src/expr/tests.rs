//! Tests of the expression checker over small schemas (and the helpers
//! the other test files share).

use super::testutil::parsed;
use super::*;
use crate::ast::TypeRef;

pub(super) fn run(text: &str) -> Result<Vec<Item>, Errors> {
    check(&parsed(text, Pragma::default()), &Options::default())
}

/// The first error as QEMU prints it.
pub(super) fn err(text: &str) -> String {
    match run(text) {
        Ok(_) => panic!("expected an error for {text}"),
        Err(e) => e.to_string(),
    }
}

pub(super) fn compat(text: &str) -> Result<Vec<Item>, Errors> {
    check(&parsed(text, Pragma::default()), &Options { compat: true })
}

pub(super) fn definitions(items: Vec<Item>) -> Vec<Definition> {
    items
        .into_iter()
        .filter_map(|i| match i {
            Item::Definition(d) => Some(d),
            Item::Include { .. } => None,
        })
        .collect()
}

/// A doc block for `symbol` at line `line` with sections of `kinds` (each
/// on the following lines).
fn doc(symbol: &str, line: u32, kinds: &[crate::doc::SectionKind]) -> Arc<DocBlock> {
    use crate::doc::{DocSection, SectionKind};
    let file = Arc::new(crate::source::SourceFile {
        path: "test.json".into(),
        text: Arc::from(""),
        included_from: None,
    });
    let info = |l| Info::new(file.clone(), l, 1);
    let mut sections = vec![DocSection {
        kind: SectionKind::Plain,
        name: None,
        text: String::new(),
        info: info(line),
    }];
    for (i, &kind) in kinds.iter().enumerate() {
        sections.push(DocSection {
            kind,
            name: None,
            text: "text".into(),
            info: info(line + 1 + i as u32),
        });
    }
    Arc::new(DocBlock {
        info: info(line),
        symbol: Some(symbol.into()),
        sections,
    })
}

/// Check `text` with `doc` attached to its first expression.
fn with_doc(text: &str, doc: Arc<DocBlock>, opts: &Options) -> Result<Vec<Item>, Errors> {
    let mut p = parsed(text, Pragma::default());
    if let Some(TopExpr::Expr { doc: d, .. }) = p.exprs.first_mut() {
        *d = Some(doc);
    }
    check(&p, opts)
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

#[test]
fn doc_blocks_are_checked_against_the_definition() {
    use crate::doc::SectionKind::{Errors as ErrorsSection, Returns};
    let strict = Options::default();
    let e = with_doc(
        "\n\n\n\n\n{ 'command': 'foo' }",
        doc("food", 1, &[]),
        &strict,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.json: In command 'foo':\ntest.json:6: documentation comment is for 'food'"
    );
    // Section errors are located at the section, outside the definition.
    let e = with_doc("{ 'event': 'FOO' }", doc("FOO", 3, &[Returns]), &strict).unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.json:4: 'Returns' section is only valid for commands"
    );
    let e = with_doc(
        "{ 'struct': 'Foo', 'data': {} }",
        doc("Foo", 1, &[ErrorsSection]),
        &strict,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.json:2: 'Errors' section is only valid for commands"
    );
    let e = with_doc("{ 'command': 'foo' }", doc("foo", 1, &[Returns]), &strict).unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.json:2: 'Returns' section, but command doesn't return anything"
    );
    let ok = with_doc(
        "{ 'command': 'foo', 'returns': 'int' }",
        doc("foo", 1, &[Returns, ErrorsSection]),
        &strict,
    )
    .unwrap();
    assert!(definitions(ok)[0].doc.is_some());
    // Compat mode: nothing is an error, a block for another name is dropped.
    let ok = with_doc(
        "{ 'command': 'foo' }",
        doc("bar", 1, &[Returns]),
        &Options { compat: true },
    );
    assert!(definitions(ok.unwrap())[0].doc.is_none());
}

#[test]
fn doc_required() {
    let pragma = Pragma {
        doc_required: true,
        ..Pragma::default()
    };
    let p = parsed("{ 'enum': 'Foo', 'data': [] }", pragma);
    let e = check(&p, &Options::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.json: In enum 'Foo':\ntest.json:1: documentation comment required"
    );
    assert!(check(&p, &Options { compat: true }).is_ok());
}

#[test]
fn one_error_per_definition_in_order() {
    let e = run("{ 'struct': 'a', 'data': true }\n\
                 { 'enum': 'Good', 'data': [] }\n\
                 { 'command': 'b', 'data': false, 'gen': true }\n\
                 { 'event': 'E', 'data': 'T' }")
    .unwrap_err();
    let msgs: Vec<String> = e.0.iter().map(|e| e.msg.clone()).collect();
    assert_eq!(
        msgs,
        [
            "name of struct must use CamelCase",
            "'data' should be an object or type name",
        ]
    );
    assert_eq!(e.0[1].info.as_ref().map(|i| i.line), Some(3));
}

#[test]
fn order_of_checks() {
    // Name rule before keys; keys before shapes; shapes before 'if',
    // 'if' before features, features before flags.
    assert!(err("{ 'struct': 'x', 'bogus': true }").ends_with("name of struct must use CamelCase"));
    assert!(
        err("{ 'struct': 'X1a', 'data': true, 'bogus': true }").contains("has unknown key 'bogus'")
    );
    assert!(err("{ 'struct': 'Xa', 'data': true, 'if': true }")
        .ends_with("'data' should be an object or type name"));
    assert!(
        err("{ 'struct': 'Xa', 'data': {}, 'if': true, 'features': true }")
            .ends_with("'if' condition of struct must be a string or an object")
    );
    assert!(err("{ 'command': 'x', 'features': true, 'gen': true }")
        .ends_with("'features' must be an array"));
    assert!(err("{ 'command': 'x', 'gen': true }").ends_with("flag 'gen' may only use false value"));
    assert!(
        err("{ 'command': 'x', 'allow-oob': true, 'coroutine': true }")
            .ends_with("flags 'allow-oob' and 'coroutine' are incompatible")
    );
    assert!(err("{ 'command': 'x', 'boxed': true }").ends_with("'boxed': true requires 'data'"));
    assert!(err("{ 'event': 'X', 'boxed': true, 'data': {} }")
        .ends_with("'data' should be a type name"));
    // A truthy non-boolean 'boxed' shapes 'data' as boxed, then fails as a flag.
    assert!(err("{ 'command': 'x', 'boxed': 'yes', 'data': 'T' }")
        .ends_with("flag 'boxed' may only use true value"));
    assert!(err("{ 'alternate': 'Alt', 'data': false }").ends_with("'data' must not be empty"));
    assert!(err("{ 'alternate': 'Alt', 'data': ['x'] }").ends_with("'data' must be an object"));
    assert!(err("{ 'alternate': 'Alt', 'data': { 'A': 'int' } }")
        .ends_with("name of 'data' member 'A' must not use uppercase or '_'"));
    assert!(
        err("{ 'union': 'Uni', 'base': ['x'], 'discriminator': true, 'data': true }")
            .ends_with("'base' should be an object or type name")
    );
    assert!(err("{ 'struct': 'Xa', 'data': { '*u': 'int' } }")
        .ends_with("'data' member '*u' uses reserved name"));
    assert!(err("{ 'struct': 'Xa', 'data': { 'has-a': 'int' } }")
        .ends_with("'data' member 'has-a' uses reserved name"));
    assert!(
        err("{ 'struct': 'Xa', 'data': { 'a': { 'type': 'int', 'x': true } } }").ends_with(
            "'data' member 'a' has unknown key 'x'\nValid keys are 'features', 'if', 'type'."
        )
    );
    assert!(
        err("{ 'struct': 'Xa', 'data': { 'a': { 'type': 'int', 'features': ['B'] } } }")
            .ends_with("name of 'features' member 'B' must not use uppercase or '_'")
    );
    assert!(err("{ 'enum': 'Enu', 'data': [{ 'if': 'A' }] }")
        .ends_with("'data' member misses key 'name'"));
    assert!(err("{ 'struct': 'FooList', 'data': {} }")
        .ends_with("struct name should not end in 'List'"));
    assert!(err("{ 'enum': 'Enu', 'foo': true }").ends_with("enum misses key 'data'"));
    assert!(err("{ 'struct': 'S', 'union': 'U' }").ends_with(
        "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'"
    ));
    // Before the name is known there is no definition context.
    assert_eq!(
        err("{ 'event': ['X'] }"),
        "test.json:1: 'event' requires a string name"
    );
}

#[test]
fn name_exceptions() {
    let pragma = Pragma {
        member_name_exceptions: vec!["Foo".into(), "Uni".into()],
        command_name_exceptions: vec!["my_cmd".into()],
        ..Pragma::default()
    };
    let ok = "{ 'struct': 'Foo', 'data': { 'a_B': 'int' } }\n\
              { 'enum': 'Foo', 'data': [ 'V_1' ] }\n\
              { 'union': 'Uni', 'base': { 'the_Kind': 'Enu' }, 'discriminator': 'the_Kind', 'data': {} }\n\
              { 'command': 'my_cmd' }";
    assert!(check(&parsed(ok, pragma.clone()), &Options::default()).is_ok());
    // Command arguments never get the exception.
    let bad = "{ 'command': 'Foo', 'data': { 'a_b': 'int' } }";
    assert!(check(&parsed(bad, pragma), &Options::default()).is_err());
}

#[test]
fn typed_output() {
    let items = run("{ 'include': 'x.json' }\n\
         { 'enum': 'Enu', 'prefix': 'P', 'data': [ 'a', { 'name': 'b', 'if': 'B', 'features': ['f'] } ] }\n\
         { 'union': 'Uni', 'base': { 'kind': 'Enu' }, 'discriminator': 'kind',\n\
           'data': { 'a': 'S', 'b': { 'type': 'T', 'if': { 'not': 'C' } } } }\n\
         { 'alternate': 'Alt', 'data': { 'x': ['int'], 'y': { 'type': 'str' } } }\n\
         { 'command': 'cmd', 'data': 'S', 'returns': ['T'], 'gen': false,\n\
           'success-response': false, 'allow-preconfig': true, 'coroutine': true,\n\
           'features': [ { 'name': 'deprecated', 'if': 'X' } ], 'if': 'Y' }\n\
         { 'event': 'EV', 'boxed': true, 'data': 'S' }")
    .unwrap();
    assert!(matches!(&items[0], Item::Include { path, .. } if path == "x.json"));
    let defs = definitions(items);
    let DefKind::Enum(e) = &defs[0].kind else {
        panic!()
    };
    assert_eq!(e.prefix.as_deref(), Some("P"));
    assert_eq!(e.values[1].ifcond, Some(IfCond::Name("B".into())));
    assert_eq!(e.values[1].features[0].name, "f");
    let DefKind::Union(u) = &defs[1].kind else {
        panic!()
    };
    assert!(matches!(&u.base, crate::ast::MembersOrRef::Inline(m) if m[0].name == "kind"));
    assert_eq!(u.discriminator, "kind");
    assert_eq!(u.branches[1].ty, TypeRef::Named("T".into()));
    assert_eq!(
        u.branches[1].ifcond,
        Some(IfCond::Not(Box::new(IfCond::Name("C".into()))))
    );
    let DefKind::Alternate(a) = &defs[2].kind else {
        panic!()
    };
    assert_eq!(a.branches[0].ty, TypeRef::Array("int".into()));
    let DefKind::Command(c) = &defs[3].kind else {
        panic!()
    };
    assert!(!c.gen && !c.success_response && c.allow_preconfig && c.coroutine && !c.boxed);
    assert_eq!(c.returns, Some(TypeRef::Array("T".into())));
    assert_eq!(defs[3].ifcond, Some(IfCond::Name("Y".into())));
    assert_eq!(defs[3].features[0].ifcond, Some(IfCond::Name("X".into())));
    assert_eq!(defs[3].info.defn.as_ref().map(|d| d.meta), Some("command"));
    let DefKind::Event(ev) = &defs[4].kind else {
        panic!()
    };
    assert!(ev.boxed);
    assert!(defs.iter().all(|d| !d.implicit));
}

#[test]
fn member_spans_point_at_keys() {
    let items = run("{ 'struct': 'Foo',\n  'data': { 'a': 'int' } }").unwrap();
    let defs = definitions(items);
    let DefKind::Struct(s) = &defs[0].kind else {
        panic!()
    };
    assert_eq!((s.members[0].span.line, s.members[0].span.col), (2, 13));
    let e = run("{ 'struct': 'Foo',\n  'data': { 'A': 'int' } }").unwrap_err();
    assert_eq!(e.0[0].span.map(|s| (s.line, s.col)), Some((2, 13)));
}

#[test]
fn odd_values_anywhere_give_errors_not_panics() {
    let templates = [
        "{ 'enum': 'Enu', 'data': [ @ ], 'prefix': @ }",
        "{ 'enum': 'Enu', 'data': [ { 'name': @, 'if': @, 'features': @ } ] }",
        "{ 'struct': @, 'data': { 'x-': @, '*': @, 'has-a': @ } }",
        "{ 'struct': 'Foo', 'data': { 'a': @, 'b': { 'type': @, 'if': @ } }, 'base': @ }",
        "{ 'union': 'Uni', 'base': @, 'discriminator': @, 'data': { 'a': @ } }",
        "{ 'union': 'Uni', 'data': { 'a': @ }, 'discriminator': @ }",
        "{ 'alternate': 'Alt', 'data': @ }",
        "{ 'alternate': 'Alt', 'data': { 'a': { 'type': @, 'if': @ } } }",
        "{ 'command': 'cmd', 'data': @, 'returns': @, 'boxed': @, 'gen': @ }",
        "{ 'event': 'EV', 'data': @, 'boxed': @, 'features': [ @ ], 'if': { 'any': [ @ ] } }",
        "{ 'type': @, 'data': { 'a': { 'b': @ } } }",
    ];
    let odd = [
        "true",
        "false",
        "[]",
        "{}",
        "''",
        "[[]]",
        "['a', 'b']",
        "{ 'a': [] }",
        "'*'",
        "'__'",
        "'x-'",
        "'1'",
        "'**'",
        "'defined('",
        "{ 'not': { 'all': [] } }",
        "'q_x'",
        "'A'",
    ];
    for t in templates {
        for o in odd {
            let text = t.replace('@', o);
            let _ = run(&text);
            let _ = compat(&text);
        }
    }
}
