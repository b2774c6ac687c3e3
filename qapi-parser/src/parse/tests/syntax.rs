//! Lexical and syntax errors, positions, text handling.

use super::{err_one, err_with, outline, parse_one, parse_with};
use crate::syntax::ValueKind;

#[test]
fn empty_and_comment_only_files_are_empty_schemas() {
    for text in ["", "\n", "# just a comment", "  \n\t# c\n\n"] {
        let parsed = parse_one(text).unwrap();
        assert!(
            parsed.exprs.is_empty() && parsed.docs.is_empty(),
            "{text:?}"
        );
        assert_eq!(parsed.files.len(), 1);
    }
}

#[test]
fn top_level_values_must_be_objects() {
    assert_eq!(
        err_one("'string'\n[ ]\n"),
        "t.json:1: top-level expression must be an object"
    );
    assert_eq!(
        err_one("{ }\n  [ 'a',\n 'b' ]\n"),
        "t.json:2: top-level expression must be an object"
    );
    assert_eq!(
        err_one("true"),
        "t.json:1: top-level expression must be an object"
    );
    // The token after the value is read before the value is judged.
    assert_eq!(err_one("'a' ;\n"), "t.json:1:5: stray ';'");
}

#[test]
fn expressions_are_recorded_with_their_line() {
    let parsed =
        parse_one("# c\n  { 'enum': 'E', 'data': [] }{ 'struct': 'S',\n'data': {} }\n").unwrap();
    assert_eq!(outline(&parsed), ["enum E @t.json:2", "struct S @t.json:2"]);
    let TopExpr::Expr { info, value, .. } = &parsed.exprs[1] else {
        panic!("not an expression");
    };
    assert_eq!((info.col, value.span.col), (30, 30));
    assert_eq!(info.file.path, "t.json");
}

use crate::parse::TopExpr;

#[test]
fn qemu_error_positions() {
    assert_eq!(
        err_one("{ 'enum': 'Status',\n  'data': [ 'good', 'bad', 'ugly' ], }\n"),
        "t.json:2:38: expected string"
    );
    assert_eq!(
        err_one("{ 'key': [ 'value' ]\n"),
        "t.json:1:21: expected ',' or '}'"
    );
    assert_eq!(
        err_one("{ 'key1': 'v'\n  'key2': 'v' }\n"),
        "t.json:2:3: expected ',' or '}'"
    );
    assert_eq!(
        err_one("{ , 'key': 'value' }\n"),
        "t.json:1:3: expected string or '}'"
    );
    assert_eq!(err_one("{ 'key' 'value' }\n"), "t.json:1:9: expected ':'");
    assert_eq!(
        err_one("{ 'a': 'b' }\n{ 'c': 'd' };\n"),
        "t.json:2:13: stray ';'"
    );
    assert_eq!(
        err_one("{ 'a': 'b',\n  'key': 'value',\n  'key': 'x' }\n"),
        "t.json:3:10: duplicate key 'key'"
    );
    assert_eq!(
        err_one("{ 'a':\n  'x\\u0041' }\n"),
        "t.json:2:3: unknown escape \\u"
    );
    assert_eq!(
        err_one("{ 'a': 'b\x1f' }\n"),
        "t.json:1:8: funny character in string"
    );
    assert_eq!(
        err_one("{ 'a': 'b }\n"),
        "t.json:1:8: missing terminating \"'\""
    );
    assert_eq!(err_one("{ 'a': null }\n"), "t.json:1:8: stray 'null'");
    assert_eq!(err_one("{ \"a\": 1 }\n"), "t.json:1:3: stray '\"a\"'");
}

#[test]
fn end_of_file_errors_point_at_the_final_newline() {
    assert_eq!(err_one("{ 'a': 'b'"), "t.json:1:11: expected ',' or '}'");
    assert_eq!(
        err_one("{ 'a': [\n\n"),
        "t.json:2:1: expected '{', '[', ']', string, or boolean"
    );
    assert_eq!(
        err_one("{\t'a':"),
        "t.json:1:6: expected '{', '[', string, or boolean"
    );
}

#[test]
fn tabs_use_qemus_column_arithmetic() {
    assert_eq!(err_one("\t{ 'a': 'b' ;\n"), "t.json:1:12: stray ';'");
    assert_eq!(err_one("{ 'a':\t\t'b' ;\n"), "t.json:1:11: stray ';'");
    assert_eq!(err_one("{ 'abcdefg':\t; }\n"), "t.json:1:5: stray ';'");
}

#[test]
fn crlf_and_lone_cr_are_line_breaks() {
    assert_eq!(
        err_one("{ 'a': 'b',\r\n  'c': 'd' ;\r\n"),
        "t.json:2:12: stray ';'"
    );
    assert_eq!(
        err_one("{ 'a': 'b',\r  'c': 'd' ;\r"),
        "t.json:2:12: stray ';'"
    );
    let parsed = parse_one("# c\r\n{ 'a':\r'b' }\r\n").unwrap();
    assert_eq!(outline(&parsed), ["a b @t.json:2"]);
    assert_eq!(&*parsed.files[0].text, "# c\n{ 'a':\n'b' }\n");
}

#[test]
fn spans_cover_values() {
    let parsed = parse_one("{ 'a': [ 'x', { 'y': true } ] }").unwrap();
    let TopExpr::Expr { value, .. } = &parsed.exprs[0] else {
        panic!("not an expression");
    };
    assert_eq!((value.span.start, value.span.end), (0, 31));
    let (key, arr) = &value.as_object().unwrap()[0];
    assert_eq!((key.span.start, key.span.end, key.span.col), (2, 5, 3));
    let ValueKind::Array(items) = &arr.kind else {
        panic!("not an array");
    };
    assert_eq!(
        (items[1].span.start, items[1].span.end, items[1].span.col),
        (14, 27, 15)
    );
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let loader = crate::parse::MemLoader::default()
        .with("t.json", "{ 'include': 'sub/i.json' }\n")
        .with("sub/i.json", b"# ok\n  # \xe9t\xe9\n".to_vec());
    let err = crate::parse::parse("t.json", &loader, &crate::Options::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "In file included from t.json:1:\nsub/i.json:2:5: invalid UTF-8 in schema file"
    );
}

#[test]
fn missing_root_file() {
    let err = err_with(&[], "nope.json");
    assert_eq!(
        err,
        "can't read schema file 'nope.json': No such file or directory"
    );
    assert!(parse_with(&[], "nope.json", false)
        .unwrap_err()
        .info
        .is_none());
}

#[test]
fn compat_reads_2011_syntax() {
    let text = "{ 'command': 'guest-sync'\n  'data':    { 'id': 'int' },\n  'returns': 'int' }\n\
                { 'type': 'T', 'data': { 'a': 'it\\'s' } }\n";
    assert_eq!(err_one(text), "t.json:2:3: expected ',' or '}'");
    let parsed = parse_with(&[("t.json", text)], "t.json", true).unwrap();
    assert_eq!(
        outline(&parsed),
        ["command guest-sync @t.json:1", "type T @t.json:4"]
    );
    let TopExpr::Expr { value, .. } = &parsed.exprs[1] else {
        panic!("not an expression");
    };
    let a = value
        .get("data")
        .and_then(|d| d.get("a"))
        .and_then(|v| v.as_str());
    assert_eq!(a, Some("it's"));
}
