//! Tests of compat mode: old syntax normalised to the modern model.

use super::tests::{compat, definitions, err, run};
use super::*;
use crate::ast::TypeRef;

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
