use super::*;
use crate::render::links::Target;

struct Names;

impl Resolve for Names {
    fn resolve(&self, name: &str) -> Option<Target> {
        (name == "GuestFileRead").then(|| Target::Anchor {
            page: 0,
            anchor: "type-GuestFileRead".into(),
        })
    }
}

fn blocks(text: &str) -> Vec<Block> {
    parse(text, &Names)
}

fn inline(text: &str) -> Vec<Inline> {
    parse_inline(text, &Names)
}

fn text(s: &str) -> Inline {
    Inline::Text(s.into())
}

fn code(s: &str) -> Inline {
    Inline::Code(s.into())
}

fn link(name: &str) -> Inline {
    Inline::Link {
        target: Target::Anchor {
            page: 0,
            anchor: format!("type-{name}"),
        },
        content: vec![code(name)],
    }
}

#[test]
fn literals_emphasis_and_strong() {
    assert_eq!(
        inline("a ``x`` *b* **c** d"),
        vec![
            text("a "),
            code("x"),
            text(" "),
            Inline::Emph("b".into()),
            text(" "),
            Inline::Strong("c".into()),
            text(" d"),
        ]
    );
}

#[test]
fn asterisks_inside_words_are_text() {
    assert_eq!(inline("2*3*4 and a * b"), vec![text("2*3*4 and a * b")]);
}

#[test]
fn references_link_known_names_and_code_others() {
    assert_eq!(
        inline("see @GuestFileRead and @id."),
        vec![
            text("see "),
            link("GuestFileRead"),
            text(" and "),
            code("id"),
            text(".")
        ]
    );
    assert_eq!(inline("`GuestFileRead`"), vec![link("GuestFileRead")]);
    assert_eq!(
        inline(":qapi:type:`GuestFileRead`"),
        vec![link("GuestFileRead")]
    );
    assert_eq!(inline("`nope`"), vec![code("nope")]);
    assert_eq!(
        inline("mail me@example.org"),
        vec![text("mail me@example.org")]
    );
}

#[test]
fn roles_and_hyperlinks() {
    assert_eq!(
        inline(":doc:`the spec </interop/qmp-spec>`"),
        vec![Inline::Emph("the spec".into())]
    );
    assert_eq!(
        inline("`QEMU <https://qemu.org>`_ or https://x.org/a."),
        vec![
            Inline::Link {
                target: Target::Url("https://qemu.org".into()),
                content: vec![text("QEMU")],
            },
            text(" or "),
            Inline::Link {
                target: Target::Url("https://x.org/a".into()),
                content: vec![text("https://x.org/a")],
            },
            text("."),
        ]
    );
}

#[test]
fn paragraphs_join_lines() {
    assert_eq!(
        blocks("one\ntwo\n\nthree"),
        vec![
            Block::Para(vec![text("one two")]),
            Block::Para(vec![text("three")])
        ]
    );
}

#[test]
fn hanging_indent_continues_a_paragraph() {
    assert_eq!(
        blocks("first line\nsecond\n    third"),
        vec![Block::Para(vec![text("first line second third")])]
    );
}

#[test]
fn double_colon_introduces_a_literal_block() {
    assert_eq!(
        blocks("Example::\n\n    x = 1\n      y\n\nafter"),
        vec![
            Block::Para(vec![text("Example:")]),
            Block::Literal("x = 1\n  y".into()),
            Block::Para(vec![text("after")]),
        ]
    );
    assert_eq!(
        blocks("Text ::\n\n  a"),
        vec![Block::Para(vec![text("Text")]), Block::Literal("a".into())]
    );
}

#[test]
fn lists() {
    assert_eq!(
        blocks("- a\n  more\n- b\n\n#. one\n#. two"),
        vec![
            Block::Bullets(vec![
                vec![Block::Para(vec![text("a more")])],
                vec![Block::Para(vec![text("b")])],
            ]),
            Block::Numbered {
                start: 1,
                items: vec![
                    vec![Block::Para(vec![text("one")])],
                    vec![Block::Para(vec![text("two")])],
                ],
            },
        ]
    );
    assert!(
        matches!(&blocks("3. c\n4. d")[0], Block::Numbered { start: 3, items } if items.len() == 2)
    );
}

#[test]
fn headings() {
    assert_eq!(
        blocks("Spice\n=====\n\n== Sub\n\nText\n----"),
        vec![
            Block::Heading {
                level: 1,
                content: vec![text("Spice")]
            },
            Block::Heading {
                level: 2,
                content: vec![text("Sub")]
            },
            Block::Heading {
                level: 2,
                content: vec![text("Text")]
            },
        ]
    );
}

#[test]
fn note_and_admonition() {
    let b = blocks(".. note:: This is\n   important.\n\n.. admonition:: Notes\n\n   1. x");
    assert_eq!(
        b[0],
        Block::Admonition {
            class: "note".into(),
            title: vec![text("Note")],
            body: vec![Block::Para(vec![text("This is important.")])],
        }
    );
    assert!(matches!(&b[1], Block::Admonition { class, title, body }
        if class == "admonition" && title == &vec![text("Notes")]
            && matches!(body[0], Block::Numbered { .. })));
}

#[test]
fn qmp_examples() {
    let b = blocks(".. qmp-example::\n   :title: Read\n\n   -> { \"execute\": \"x\" }\n   <- { \"return\": {} }");
    assert_eq!(
        b,
        vec![Block::Example {
            title: Some(vec![text("Read")]),
            body: vec![Block::Literal(
                "-> { \"execute\": \"x\" }\n<- { \"return\": {} }".into()
            )],
        }]
    );
    let b = blocks(".. qmp-example::\n   :annotated:\n\n   Do it::\n\n    -> {}\n");
    assert_eq!(
        b,
        vec![Block::Example {
            title: None,
            body: vec![
                Block::Para(vec![text("Do it:")]),
                Block::Literal("-> {}".into())
            ],
        }]
    );
}

#[test]
fn simple_table() {
    let b = blocks(".. table:: Combos\n   :widths: auto\n\n   ====  ===\n   a     b\n   ====  ===\n   x     y z\n   ====  ===\n");
    assert_eq!(
        b,
        vec![Block::Table {
            caption: Some(vec![text("Combos")]),
            header: true,
            rows: vec![
                vec![vec![text("a")], vec![text("b")]],
                vec![vec![text("x")], vec![text("y z")]]
            ],
        }]
    );
}

#[test]
fn comments_are_dropped_and_definitions_kept() {
    assert_eq!(
        blocks(".. _label:\n\nText"),
        vec![Block::Para(vec![text("Text")])]
    );
    assert_eq!(
        blocks("term\n    meaning"),
        vec![Block::Definitions(vec![(
            vec![text("term")],
            vec![Block::Para(vec![text("meaning")])]
        )])]
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut s = String::new();
    for i in 0..500 {
        s.push_str(&" ".repeat(i));
        s.push_str("- x\n");
    }
    let b = blocks(&s);
    assert!(!b.is_empty());
}

#[test]
fn overlined_headings() {
    assert_eq!(
        blocks("****\nIntro\n****\n\nText"),
        vec![
            Block::Heading {
                level: 1,
                content: vec![text("Intro")]
            },
            Block::Para(vec![text("Text")]),
        ]
    );
}
