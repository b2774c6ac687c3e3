//! Include and pragma directives.

use super::{err_with, outline, parse_with};
use crate::parse::TopExpr;

#[test]
fn includes_are_spliced_in_depth_first() {
    let files = [
        ("main.json", "{ 'enum': 'A', 'data': [] }\n{ 'include': 'sub/one.json' }\n{ 'enum': 'D', 'data': [] }\n"),
        ("sub/one.json", "{ 'include': 'two.json' }\n{ 'enum': 'C', 'data': [] }\n"),
        ("sub/two.json", "{ 'enum': 'B', 'data': [] }\n"),
    ];
    let parsed = parse_with(&files, "main.json", false).unwrap();
    assert_eq!(
        outline(&parsed),
        [
            "enum A @main.json:1",
            "include sub/one.json @main.json:2",
            "include sub/two.json @sub/one.json:1",
            "enum B @sub/two.json:1",
            "enum C @sub/one.json:2",
            "enum D @main.json:3",
        ]
    );
    let paths: Vec<&str> = parsed.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["main.json", "sub/one.json", "sub/two.json"]);
    let from = parsed.files[2].included_from.as_ref().unwrap();
    assert_eq!(from.loc(), "sub/one.json:1");
    assert!(parsed.files[0].included_from.is_none());
}

#[test]
fn repeated_includes_are_recorded_but_read_once() {
    let files = [
        (
            "main.json",
            "{ 'include': 'a.json' }\n{ 'include': './a.json' }\n{ 'include': 'd/../a.json' }\n",
        ),
        ("a.json", "{ 'enum': 'A', 'data': [] }\n"),
    ];
    let parsed = parse_with(&files, "main.json", false).unwrap();
    assert_eq!(
        outline(&parsed),
        [
            "include a.json @main.json:1",
            "enum A @a.json:1",
            "include ./a.json @main.json:2",
            "include d/../a.json @main.json:3",
        ]
    );
    assert_eq!(parsed.files.len(), 2);
}

#[test]
fn include_names_are_not_normalised() {
    let files = [
        (
            "sd/qapi/schema.json",
            "{ 'include': '../../qapi/p.json' }\n",
        ),
        (
            "sd/qapi/../../qapi/p.json",
            "{ 'pragma': { 'doc-required': 'no' } }\n",
        ),
    ];
    assert_eq!(
        err_with(&files, "sd/qapi/schema.json"),
        "In file included from sd/qapi/schema.json:1:\n\
         sd/qapi/../../qapi/p.json:1: pragma 'doc-required' must be boolean"
    );
}

#[test]
fn inclusion_loops() {
    let files = [
        ("c.json", "{ 'include': 'c-b.json' }\n"),
        ("c-b.json", "{ 'include': 'c-c.json' }\n"),
        ("c-c.json", "{ 'include': 'c.json' }\n"),
    ];
    assert_eq!(
        err_with(&files, "c.json"),
        "In file included from c.json:1:\nIn file included from c-b.json:1:\nc-c.json:1: inclusion loop for c.json"
    );
    let files = [("self.json", "\n{ 'include': './self.json' }\n")];
    assert_eq!(
        err_with(&files, "self.json"),
        "self.json:2: inclusion loop for ./self.json"
    );
}

#[test]
fn include_errors() {
    let err = |text: &str| err_with(&[("t.json", text)], "t.json");
    assert_eq!(
        err("{ 'include': 'gone.json' }"),
        "t.json:1: can't read include file 'gone.json': No such file or directory"
    );
    assert_eq!(err("{ 'include': 'a', 'x': 1 }"), "t.json:1:24: stray '1'");
    assert_eq!(
        err("{ 'include': 'a', 'x': 'y' }"),
        "t.json:1: invalid 'include' directive"
    );
    assert_eq!(
        err("{ 'pragma': {}, 'include': 'a' }"),
        "t.json:1: invalid 'include' directive"
    );
    assert_eq!(
        err("{ 'include': ['a.json'] }"),
        "t.json:1: value of 'include' must be a string"
    );
    // The token after the directive is read before the directive is obeyed.
    assert_eq!(
        err("{ 'include': 'gone.json' } ;"),
        "t.json:1:28: stray ';'"
    );
    let files = [("d/t.json", "{ 'include': 'x.json' }\n")];
    assert_eq!(
        err_with(&files, "d/t.json"),
        "d/t.json:1: can't read include file 'd/x.json': No such file or directory"
    );
}

#[test]
fn included_file_errors_carry_the_include_chain() {
    let files = [
        ("t.json", "{ 'include': 'missing-colon.json' }\n"),
        ("missing-colon.json", "{ 'enum' 'Status', 'data': [ ] }\n"),
    ];
    assert_eq!(
        err_with(&files, "t.json"),
        "In file included from t.json:1:\nmissing-colon.json:1:10: expected ':'"
    );
}

#[test]
fn pragmas() {
    let text = "{ 'pragma': { 'doc-required': true, 'command-name-exceptions': ['a_b'] } }\n\
                { 'include': 'i.json' }\n\
                { 'pragma': { 'command-returns-exceptions': [], 'member-name-exceptions': ['M'],\n\
                  'documentation-exceptions': ['D', 'E'] } }\n";
    let files = [
        ("t.json", text),
        (
            "i.json",
            "{ 'pragma': { 'command-name-exceptions': ['x_y', 'z'] } }\n",
        ),
    ];
    let parsed = parse_with(&files, "t.json", false).unwrap();
    let p = &parsed.pragma;
    assert!(p.doc_required);
    assert_eq!(p.command_name_exceptions, ["x_y", "z"]);
    assert!(p.command_returns_exceptions.is_empty());
    assert_eq!(p.member_name_exceptions, ["M"]);
    assert_eq!(p.documentation_exceptions, ["D", "E"]);
    assert!(parsed
        .exprs
        .iter()
        .all(|e| matches!(e, TopExpr::Include { .. })));
}

#[test]
fn pragma_errors() {
    let err = |text: &str| err_with(&[("t.json", text)], "t.json");
    assert_eq!(
        err("\n{ 'pragma': 'x' }"),
        "t.json:2: value of 'pragma' must be an object"
    );
    assert_eq!(
        err("{ 'pragma': {}, 'if': 'X' }"),
        "t.json:1: invalid 'pragma' directive"
    );
    assert_eq!(
        err("{ 'pragma': { 'doc-required': 'yes' } }"),
        "t.json:1: pragma 'doc-required' must be boolean"
    );
    assert_eq!(
        err("{ 'pragma': { 'command-returns-exceptions': [ true ] } }"),
        "t.json:1: pragma command-returns-exceptions must be a list of strings"
    );
    assert_eq!(
        err("{ 'pragma': { 'member-name-exceptions': 'x' } }"),
        "t.json:1: pragma member-name-exceptions must be a list of strings"
    );
    assert_eq!(
        err("{ 'pragma': { 'doc-required': true, 'bogus': 1 } }"),
        "t.json:1:46: stray '1'"
    );
    assert_eq!(
        err("{ 'pragma': { 'doc-required': true, 'bogus': [] } }"),
        "t.json:1: unknown pragma 'bogus'"
    );
    assert_eq!(
        err("{ 'pragma': { 'returns-whitelist': [] } }"),
        "t.json:1: unknown pragma 'returns-whitelist'"
    );
}

#[test]
fn compat_pragma_names() {
    let text = "{ 'pragma': { 'returns-whitelist': ['r'], 'name-case-whitelist': ['N'] } }\n";
    let parsed = parse_with(&[("t.json", text)], "t.json", true).unwrap();
    assert_eq!(parsed.pragma.command_returns_exceptions, ["r"]);
    assert_eq!(parsed.pragma.command_name_exceptions, ["N"]);
    assert_eq!(parsed.pragma.member_name_exceptions, ["N"]);
}

#[test]
fn include_chains_are_limited() {
    let names: Vec<String> = (0..300).map(|i| format!("f{i}.json")).collect();
    let texts: Vec<String> = (0..300)
        .map(|i| format!("{{ 'include': 'f{}.json' }}\n", i + 1))
        .collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .zip(&texts)
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let err = err_with(&files, "f0.json");
    assert!(
        err.ends_with("f255.json:1: includes nest too deep (limit 256)"),
        "{}",
        err.lines().last().unwrap_or("")
    );
    assert_eq!(err.lines().count(), 256);
    let ok: Vec<(&str, &str)> = files[..200].to_vec();
    let parsed = parse_with(&ok, "f0.json", false);
    assert!(parsed
        .unwrap_err()
        .to_string()
        .ends_with("can't read include file 'f200.json': No such file or directory"));
}
