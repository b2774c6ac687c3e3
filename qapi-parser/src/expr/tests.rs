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

fn compat(text: &str) -> Result<Vec<Item>, Errors> {
    check(&parsed(text, Pragma::default()), &Options { compat: true })
}

fn definitions(items: Vec<Item>) -> Vec<Definition> {
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
fn compat_old_struct_flags_and_any() {
    let defs = definitions(
        compat(
            "{ 'type': 'GuestInfo', 'data': { 'version': 'str', 'p': '**' } }\n\
             { 'command': 'guest-shutdown', 'success-response': 'no', 'gen': 'yes', 'returns': '**' }",
        )
        .unwrap(),
    );
    assert_eq!(defs[0].info.defn.as_ref().map(|d| d.meta), Some("struct"));
    let DefKind::Struct(s) = &defs[0].kind else {
        panic!()
    };
    assert_eq!(s.members[1].ty, TypeRef::Named("any".into()));
    let DefKind::Command(c) = &defs[1].kind else {
        panic!()
    };
    assert!(!c.success_response && c.gen);
    assert_eq!(c.returns, Some(TypeRef::Named("any".into())));
    // Strict mode knows none of this.
    assert!(run("{ 'type': 'GuestInfo', 'data': {} }").is_err());
    assert!(err("{ 'command': 'x', 'gen': 'no' }").ends_with("flag 'gen' may only use false value"));
    // Compat mode still rejects what no version accepted.
    assert!(compat("{ 'command': 'x', 'gen': 'maybe' }").is_err());
}

#[test]
fn compat_lenient_names_and_c_conditions() {
    let defs = definitions(
        compat(
            "{ 'enum': 'cpu_model', 'data': [ 'Value_1' ], 'if': 'defined(CONFIG_A) && !defined(B)' }\n\
             { 'struct': 'S', 'data': { 'io_range': { 'type': 'int', 'if': ['defined(X)', 'defined(Y)'] } } }",
        )
        .unwrap(),
    );
    assert_eq!(
        defs[0].ifcond,
        Some(IfCond::All(vec![
            IfCond::Name("CONFIG_A".into()),
            IfCond::Not(Box::new(IfCond::Name("B".into())))
        ]))
    );
    let DefKind::Struct(s) = &defs[1].kind else {
        panic!()
    };
    assert_eq!(s.members[0].name, "io_range");
    assert!(matches!(&s.members[0].ifcond, Some(IfCond::All(v)) if v.len() == 2));
}

#[test]
fn compat_simple_union() {
    let defs = definitions(
        compat(
            "{ 'union': 'Ev', 'if': 'defined(A)', 'data': { 'a': 'Foo', 'b': ['int'], 'c': { 'type': 'Foo', 'if': 'C' } } }\n\
             { 'union': 'Other', 'data': { 'x': 'Foo' } }",
        )
        .unwrap(),
    );
    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "q_obj_Foo-wrapper",
            "q_obj_intList-wrapper",
            "EvKind",
            "Ev",
            "OtherKind",
            "Other"
        ]
    );
    assert!(defs[..3].iter().all(|d| d.implicit) && !defs[3].implicit);
    let DefKind::Struct(w) = &defs[1].kind else {
        panic!()
    };
    assert_eq!(
        (w.members[0].name.as_str(), &w.members[0].ty),
        ("data", &TypeRef::Array("int".into()))
    );
    let DefKind::Enum(k) = &defs[2].kind else {
        panic!()
    };
    assert_eq!(
        k.values.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert_eq!(k.values[2].ifcond, Some(IfCond::Name("C".into())));
    assert_eq!(defs[2].ifcond, Some(IfCond::Name("A".into())));
    let DefKind::Union(u) = &defs[3].kind else {
        panic!()
    };
    assert_eq!(u.discriminator, "type");
    assert!(matches!(&u.base, crate::ast::MembersOrRef::Inline(m)
        if m[0].name == "type" && m[0].ty == TypeRef::Named("EvKind".into())));
    assert_eq!(u.branches[2].ty, TypeRef::Named("q_obj_Foo-wrapper".into()));
    assert_eq!(u.branches[2].ifcond, Some(IfCond::Name("C".into())));
    // Strict mode: a union needs base and discriminator.
    assert!(err("{ 'union': 'Ev', 'data': { 'a': 'Foo' } }")
        .ends_with("union misses keys 'base', 'discriminator'"));
}

#[test]
fn compat_anonymous_union_is_an_alternate() {
    let defs = definitions(
        compat("{ 'union': 'BlockRef', 'discriminator': {}, 'data': { 'definition': 'Opts', 'reference': 'str' } }")
            .unwrap(),
    );
    let DefKind::Alternate(a) = &defs[0].kind else {
        panic!()
    };
    assert_eq!(a.branches.len(), 2);
    // With a base it is still an error, as it always was.
    assert!(
        compat("{ 'union': 'U', 'base': 'B', 'discriminator': {}, 'data': { 'a': 'T' } }").is_err()
    );
}

#[test]
fn compat_nested_structs() {
    let defs = definitions(
        compat(
            "{ 'type': 'PciBridgeInfo', 'data': { 'bus': { 'number': 'int', 'range': { 'base': 'int' } },\n\
               'longhand': { 'type': 'int' } } }",
        )
        .unwrap(),
    );
    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "q_obj_PciBridgeInfo-bus-range-nested",
            "q_obj_PciBridgeInfo-bus-nested",
            "PciBridgeInfo"
        ]
    );
    let DefKind::Struct(s) = &defs[2].kind else {
        panic!()
    };
    assert_eq!(
        s.members[0].ty,
        TypeRef::Named("q_obj_PciBridgeInfo-bus-nested".into())
    );
    assert_eq!(s.members[1].ty, TypeRef::Named("int".into()));
    // Strictly, an object member value is the longhand form.
    assert!(
        err("{ 'struct': 'Foo', 'data': { 'bus': { 'number': 'int' } } }")
            .ends_with("'data' member 'bus' misses key 'type'")
    );
}

#[test]
fn compat_deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "{{ 'type': 'Foo', 'data': {}'int'{} }}",
        "{ 'a': ".repeat(100),
        " }".repeat(100)
    );
    assert!(compat(&deep).is_err());
}

/// Every `.json` file under `dir` (recursively), sorted.
fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Check a set of files as one schema (pragmas from all of them apply to
/// all; the test reader sees no doc blocks, so `doc-required` is dropped).
fn check_files(files: &[std::path::PathBuf], opts: &Options) -> Result<usize, String> {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
        .collect();
    let mut pragma = Pragma::default();
    for (path, text) in &texts {
        pragma = testutil::parsed_file(path, text, pragma).pragma;
    }
    pragma.doc_required = false;
    let mut count = 0;
    for (path, text) in &texts {
        let mut parsed = testutil::parsed_file(path, text, Pragma::default());
        parsed.pragma = pragma.clone();
        let items = check(&parsed, opts).map_err(|e| e.to_string())?;
        count += definitions(items).len();
    }
    Ok(count)
}

#[test]
fn corpus_schemas() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (the schema corpus) not found");
        return;
    };
    let corpus = shared.join("qapi-corpus");
    let mut schemas: Vec<Vec<std::path::PathBuf>> = Vec::new();
    for dir in ["qga", "legacy/qga", "legacy/qmp-1.0", "legacy/qmp-2.0.0"] {
        schemas.extend(json_files(&corpus.join(dir)).into_iter().map(|f| vec![f]));
    }
    for dir in ["qmp", "legacy/qmp-5.2.0", "legacy/qmp-7.2.0"] {
        schemas.push(json_files(&corpus.join(dir)));
    }
    let mut sd = json_files(&corpus.join("storage-daemon"));
    sd.extend(json_files(&corpus.join("qmp")));
    schemas.push(sd);

    let compat = Options { compat: true };
    let mut total = 0;
    for files in &schemas {
        let name = files
            .first()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        match check_files(files, &compat) {
            Ok(n) => total += n,
            Err(e) => panic!("{name}: compat mode: {e}"),
        }
        // The modern schemas pass in strict mode too.
        let modern = name.contains("qga-schema-10.2")
            || name.contains("qga-schema-9.2")
            || name.contains("/qmp/")
            || name.contains("storage-daemon");
        if modern {
            if let Err(e) = check_files(files, &Options::default()) {
                panic!("{name}: strict mode: {e}");
            }
        }
    }
    eprintln!("{} schemas, {total} definitions", schemas.len());
}
