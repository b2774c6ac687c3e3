//! Doc comment blocks: collection, errors, placement.

use super::{err_one, err_with, outline, parse_one, parse_with};

#[test]
fn blocks_are_collected_in_source_order() {
    let files = [
        (
            "t.json",
            "##\n# = Title\n##\n{ 'include': 'i.json' }\n##\n# Last\n##\n",
        ),
        (
            "i.json",
            "##\n# Inner\n\n#\n# more\n##\n{ 'pragma': { 'doc-required': false } }\n",
        ),
    ];
    let parsed = parse_with(&files, "t.json", false).unwrap();
    let starts: Vec<String> = parsed.docs.iter().map(|d| d.info.loc()).collect();
    assert_eq!(starts, ["t.json:1", "i.json:1", "t.json:5"]);
    assert_eq!(parsed.docs[1].body().text, "Inner\n\nmore");
    assert_eq!(parsed.docs[1].info.include_chain().len(), 1);
}

#[test]
fn free_form_doc_cannot_document_a_definition() {
    assert_eq!(
        err_one("\n##\n# Just text\n##\n{ 'command': 'x' }\n"),
        "t.json:2: definition documentation required"
    );
}

#[test]
fn block_delimiters() {
    assert_eq!(
        err_one("## x\n"),
        "t.json:1:1: junk after '##' at start of documentation comment"
    );
    assert_eq!(
        err_one("{ }\n  ## \n##\n"),
        "t.json:2:3: junk after '##' at start of documentation comment"
    );
    assert_eq!(
        err_one("##\n# text\n### end\n"),
        "t.json:3:1: junk after '##' at end of documentation comment"
    );
    assert_eq!(
        err_one("##\n# text\n\t##x\n"),
        "t.json:3:1: junk after '##' at end of documentation comment"
    );
}

#[test]
fn unterminated_blocks() {
    assert_eq!(
        err_one("##\n# text\n{ 'a': 'b' }\n"),
        "t.json:3:1: documentation comment must end with '##'"
    );
    assert_eq!(
        err_one("##\n# An invalid comment\n#\n"),
        "t.json:3:2: documentation comment must end with '##'"
    );
    assert_eq!(
        err_one("##\n# text"),
        "t.json:2:7: documentation comment must end with '##'"
    );
    assert_eq!(err_one("##\n# text\n\n  ;\n"), "t.json:4:3: stray ';'");
    assert_eq!(
        err_one("##\n# text\n 'a\\x'\n"),
        "t.json:3:2: unknown escape \\x"
    );
}

#[test]
fn token_after_block_is_read() {
    assert_eq!(err_one("##\n# text\n##\n  ;\n"), "t.json:4:3: stray ';'");
}

#[test]
fn doc_comment_inside_an_expression() {
    assert_eq!(
        err_one("{ 'a': 'b',\n##\n 'c': 'd' }\n"),
        "t.json:2:1: expected string"
    );
    assert_eq!(
        err_one("{ 'a': [ ## x\n ] }\n"),
        "t.json:1:10: expected '{', '[', ']', string, or boolean"
    );
    // A comment of one '#' is fine anywhere.
    assert!(parse_one("{ 'a': # x ## y\n 'b' }\n").is_ok());
}

#[test]
fn symbol_docs_are_attached_or_rejected() {
    let parsed = parse_one("##\n# @x:\n##\n{ 'command': 'x' }\n{ 'command': 'y' }\n").unwrap();
    assert_eq!(
        outline(&parsed),
        ["command x @t.json:4 doc@1", "command y @t.json:5"]
    );
    let not_followed = "t.json:2: documentation for 'x' is not followed by the definition";
    assert_eq!(err_one("\n##\n# @x:\n##\n"), not_followed);
    assert_eq!(err_one("\n##\n# @x:\n##\n##\n# text\n##\n"), not_followed);
    assert_eq!(err_one("\n##\n# @x:\n##\n{ 'pragma': {} }\n"), not_followed);
    let files = [
        ("t.json", "\n##\n# @x:\n##\n{ 'include': 'i.json' }\n"),
        ("i.json", ""),
    ];
    assert_eq!(err_with(&files, "t.json"), not_followed);
    // The placement error comes before anything in the next block.
    assert_eq!(err_one("\n##\n# @x:\n##\n## bad\n"), not_followed);
}

#[test]
fn doc_line_errors_beat_later_tokens() {
    assert_eq!(
        err_one("##\n#bad\n{ }\n"),
        "t.json:2:1: missing space after #"
    );
    assert_eq!(
        err_one("##\n#bad\n## x\n"),
        "t.json:2:1: missing space after #"
    );
    assert_eq!(
        err_one("##\n#bad\n;\n"),
        "t.json:2:1: missing space after #"
    );
    assert_eq!(err_one("##\n# ok\n;\n"), "t.json:3:1: stray ';'");
    // "text required" is checked after the token following the block.
    assert_eq!(
        err_one("##\n# @x:\n#\n# Since:\n##\n;\n"),
        "t.json:6:1: stray ';'"
    );
    assert_eq!(
        err_one("##\n# @x:\n#\n# Since:\n##\n{ 'command': 'x' }\n"),
        "t.json:4: text required after 'Since:'"
    );
}

#[test]
fn compat_reads_pre_doc_comment_schemas() {
    let compat = |text: &str| parse_with(&[("t.json", text)], "t.json", true);
    // A '##' line that opens nothing, a block never closed, a misplaced
    // definition block, a free-form block before a definition.
    let text = "## Section ##\n{ 'command': 'a' }\n##\n# @b:\n{ 'command': 'b' }\n\
                ##\n# @c:\n##\n##\n# Text\n##\n{ 'command': 'd' }\n";
    let parsed = compat(text).unwrap();
    assert_eq!(
        outline(&parsed),
        [
            "command a @t.json:2",
            "command b @t.json:5",
            "command d @t.json:12 doc@9"
        ]
    );
    assert_eq!(parsed.docs.len(), 2);
    // Bad tokens are still errors.
    let err = compat("##\n# text\n;\n").unwrap_err().to_string();
    assert_eq!(err, "t.json:3:1: stray ';'");
    assert_eq!(
        err_one("## Section ##\n"),
        "t.json:1:1: junk after '##' at start of documentation comment"
    );
}

#[test]
fn more_qemu_cases() {
    // doc-invalid-end2, doc-invalid-start, doc-missing-expr, doc-no-symbol,
    // escape-too-big (QEMU 10.2 wording).
    assert_eq!(
        err_one("# Documentation must start with '##'\n\n## invalid\n#\n##\n"),
        "t.json:3:1: junk after '##' at start of documentation comment"
    );
    assert_eq!(
        err_one("# Expression documentation must be followed\n\n##\n# @bar:\n##\n"),
        "t.json:3: documentation for 'bar' is not followed by the definition"
    );
    assert_eq!(
        err_one("# Documentation must end with '##'\n\n##\n#\n## invalid\n"),
        "t.json:5:1: junk after '##' at end of documentation comment"
    );
    assert_eq!(
        err_one("# lacks symbol\n\n\n##\n# foo:\n##\n{ 'command': 'foo', 'data': {'a': 'int'} }\n"),
        "t.json:4: definition documentation required"
    );
    assert_eq!(
        err_one("# c\n# { 'command': 'é' }\n{ 'command': '\\u00e9' }\n"),
        "t.json:3:14: unknown escape \\u"
    );
}
