//! Section structure and text tests.

use super::tests::{parse, parse_with};
use super::{DocBlock, SectionKind};
use crate::Options;

/// `(kind, name, text, line)` for every section.
fn shape(doc: &DocBlock) -> Vec<(SectionKind, Option<&str>, &str, u32)> {
    doc.sections
        .iter()
        .map(|s| (s.kind, s.name.as_deref(), s.text.as_str(), s.info.line))
        .collect()
}

use SectionKind::{Errors, Feature, Member, Plain, Returns, Since, Todo};

#[test]
fn free_form_keeps_every_line() {
    let doc = parse("##\n#\n# Title\n# =====\n#\n#   indented\n#\n##\n").unwrap();
    assert_eq!(doc.symbol, None);
    assert_eq!(doc.info.line, 1);
    assert_eq!(
        shape(&doc),
        [(Plain, None, "Title\n=====\n\n  indented", 2)]
    );
    let doc = parse("##\n##\n").unwrap();
    assert_eq!(shape(&doc), [(Plain, None, "", 2)]);
}

#[test]
fn body_paragraphs_are_joined_by_one_blank_line() {
    let doc = parse("##\n# @foo:\n#\n# One\n# two\n#\n#\n# Three\n##\n").unwrap();
    assert_eq!(doc.symbol.as_deref(), Some("foo"));
    assert_eq!(shape(&doc), [(Plain, None, "One\ntwo\n\nThree", 4)]);
    let doc = parse("##\n# @foo:\n##\n").unwrap();
    assert_eq!(shape(&doc), [(Plain, None, "", 1)]);
    let doc = parse("##\n# @foo:\n# Right away\n##\n").unwrap();
    assert_eq!(shape(&doc), [(Plain, None, "Right away", 3)]);
}

#[test]
fn descriptions_keep_their_indentation() {
    let src = "##\n# @foo:\n#\n# @a: same line\n#     more\n#\n#     para\n\
               # @b:\n#  next line\n#\n# @c:\n#\n#    after blank\n##\n";
    let doc = parse(src).unwrap();
    assert_eq!(
        shape(&doc),
        [
            (Plain, None, "", 1),
            (Member, Some("a"), "same line\n    more\n\n    para", 4),
            (Member, Some("b"), " next line", 8),
            (Member, Some("c"), "   after blank", 11),
        ]
    );
}

#[test]
fn features_and_sections() {
    let src = "##\n# @foo:\n#\n# Body\n#\n# @a: x\n#\n# Features:\n#\n# @f: y\n\
               #     z\n# @g: w\n#\n# .. note:: plain\n#    text\n#\n# Returns: r\n\
               #     r2\n#\n# Errors: e\n# TODO: t\n#\n# More\n#\n#  text\n#\n\
               # Since: 1.0\n##\n";
    let doc = parse(src).unwrap();
    assert_eq!(
        shape(&doc),
        [
            (Plain, None, "Body", 4),
            (Member, Some("a"), "x", 6),
            (Feature, Some("f"), "y\n    z", 10),
            (Feature, Some("g"), "w", 12),
            (Plain, None, ".. note:: plain\n   text", 14),
            (Returns, None, "r\n    r2", 17),
            (Errors, None, "e", 20),
            (Todo, None, "t", 21),
            (Plain, None, "More\n\n text", 23),
            (Since, None, "1.0", 27),
        ]
    );
    assert_eq!(doc.body().text, "Body");
    assert_eq!(doc.returns().map(|s| s.text.as_str()), Some("r\n    r2"));
    assert_eq!(doc.errors().map(|s| s.info.line), Some(20));
    assert_eq!(doc.since().map(|s| s.text.as_str()), Some("1.0"));
    assert_eq!(doc.section(Todo).map(|s| s.text.as_str()), Some("t"));
    assert_eq!(doc.arg("a").map(|s| s.info.line), Some(6));
    assert!(doc.arg("f").is_none());
    assert_eq!(doc.feature("g").map(|s| s.text.as_str()), Some("w"));
    assert_eq!(doc.args().count(), 1);
    assert_eq!(doc.features().count(), 2);
    assert_eq!(doc.other_sections().count(), 6);
}

#[test]
fn tag_text_may_start_on_the_next_line() {
    let doc = parse("##\n# @foo:\n# Returns:\n#     the value\n#     and more\n##\n").unwrap();
    assert_eq!(doc.returns().unwrap().text, "    the value\n    and more");
}

#[test]
fn a_de_indented_line_ends_a_description() {
    let src = "##\n# @foo:\n# @a: one\n#   two\n#   three\n# four\n##\n";
    let doc = parse(src).unwrap();
    assert_eq!(
        shape(&doc)[1..],
        [
            (Member, Some("a"), "one\n  two\n  three", 3),
            (Plain, None, "four", 6),
        ]
    );
}

#[test]
fn undocumented_members_go_after_the_descriptions() {
    let mut doc = parse("##\n# @foo:\n# @a: x\n# Features:\n# @f: y\n##\n").unwrap();
    doc.add_undocumented_member("b");
    doc.add_undocumented_member("c");
    let names: Vec<_> = doc.sections.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(names, [None, Some("a"), Some("b"), Some("c"), Some("f")]);
    assert_eq!(
        doc.arg("b").map(|s| (s.text.as_str(), s.info.line)),
        Some(("", 1))
    );

    let mut doc = parse("##\n# @foo:\n# Body\n#\n# Since: 1\n##\n").unwrap();
    doc.add_undocumented_member("a");
    assert_eq!(doc.sections[1].name.as_deref(), Some("a"));
    assert_eq!(doc.sections[2].kind, Since);

    let mut doc = parse("##\n# @foo:\n# @a: x\n##\n").unwrap();
    doc.add_undocumented_member("b");
    assert_eq!(doc.sections.len(), 3);
    assert_eq!(doc.sections[2].name.as_deref(), Some("b"));
}

#[test]
fn compat_structure() {
    let compat = Options { compat: true };
    let src = "##\n# @foo:\n# Body text\n# @a: old style\n# continued\n#\n\
               # @b: #optional x\n# Notes: careful\n# really\n#\n# Example:\n#\n\
               # -> { }\n# Since: 0.15\n##\n";
    let doc = parse_with(src, &compat).unwrap();
    assert_eq!(
        shape(&doc),
        [
            (Plain, None, "Body text", 3),
            (Member, Some("a"), "old style\ncontinued", 4),
            (Member, Some("b"), "#optional x", 7),
            (
                Plain,
                None,
                "Notes: careful\nreally\n\nExample:\n\n-> { }",
                8
            ),
            (Since, None, "0.15", 14),
        ]
    );
    let doc = parse_with("##\n# @Name\n# text\n##\n", &compat).unwrap();
    assert_eq!(doc.symbol, None);
    assert_eq!(doc.body().text, "@Name\ntext");
}

#[test]
fn compat_agrees_with_strict_on_modern_documentation() {
    let src = "##\n# @foo:\n#\n# Body\n#\n# @a: x\n#     y\n# @b:\n#     z\n#\n\
               # Features:\n#\n# @f: y\n#\n# Returns: r\n#\n# Since: 1.0\n##\n";
    let strict = parse(src).unwrap();
    let compat = parse_with(src, &Options { compat: true }).unwrap();
    assert_eq!(shape(&strict), shape(&compat));
}
