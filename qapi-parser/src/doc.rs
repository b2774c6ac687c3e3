//! Documentation comments: `##` blocks parsed into structure.
//!
//! The block parser runs while the file is parsed (its errors carry a
//! column); the checks against the definitions run in the schema builder.

use std::fmt;

use crate::source::Info;

/// What a section of a doc block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// Untagged text: the body, or paragraphs after the descriptions.
    Plain,
    /// `@member: text`.
    Member,
    /// `@feature: text` after `Features:`.
    Feature,
    /// `Returns: text`.
    Returns,
    /// `Errors: text`.
    Errors,
    /// `Since: text`.
    Since,
    /// `TODO: text`.
    Todo,
}

/// The words QEMU's test dump prints (`section=Since`).
impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SectionKind::Plain => "Plain",
            SectionKind::Member => "Member",
            SectionKind::Feature => "Feature",
            SectionKind::Returns => "Returns",
            SectionKind::Errors => "Errors",
            SectionKind::Since => "Since",
            SectionKind::Todo => "Todo",
        })
    }
}

/// One section of a doc block.
#[derive(Debug, Clone)]
pub struct DocSection {
    /// What it is.
    pub kind: SectionKind,
    /// The member or feature described (`Member` / `Feature` sections only).
    pub name: Option<String>,
    /// The text, tag word removed, leading and trailing blank lines removed,
    /// lines keeping the indentation they had after `# `.
    pub text: String,
    /// Where the section starts.
    pub info: Info,
}

/// A `##` ... `##` block.
#[derive(Debug, Clone)]
pub struct DocBlock {
    /// The line of the opening `##`.
    pub info: Info,
    /// `Some(name)` for definition documentation (`# @name:` first line),
    /// `None` for free-form documentation.
    pub symbol: Option<String>,
    /// Every section in source order. The first is always the body (a
    /// `Plain` section, possibly empty).
    pub sections: Vec<DocSection>,
}

impl DocBlock {
    /// The body: untagged text before the first description.
    pub fn body(&self) -> &DocSection {
        &self.sections[0]
    }

    /// Member descriptions, in order.
    pub fn args(&self) -> impl Iterator<Item = &DocSection> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Member)
    }

    /// Feature descriptions, in order.
    pub fn features(&self) -> impl Iterator<Item = &DocSection> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Feature)
    }

    /// Every section after the body that is not a description.
    pub fn other_sections(&self) -> impl Iterator<Item = &DocSection> {
        self.sections
            .iter()
            .skip(1)
            .filter(|s| !matches!(s.kind, SectionKind::Member | SectionKind::Feature))
    }
}

/// One comment token of a doc block, as the lexer saw it.
#[derive(Debug, Clone)]
pub struct DocToken {
    /// The whole comment, `#` included, up to (not including) the newline.
    pub text: String,
    /// Its line.
    pub line: u32,
    /// Column of its `#` (QEMU's column arithmetic).
    pub col: u32,
}

/// Parse one doc block.
///
/// `start` is the line of the opening `##`; `lines` are the comment tokens
/// between the opening and the closing `##`; `end` is the closing `##`.
/// Errors carry the line and column of the offending token, as QEMU's.
pub fn parse_block(
    start: &Info,
    lines: &[DocToken],
    end: &DocToken,
    opts: &crate::Options,
) -> Result<DocBlock, crate::diag::Error> {
    let _ = (end, opts);
    let text: Vec<&str> = lines
        .iter()
        .map(|t| {
            t.text
                .strip_prefix("# ")
                .unwrap_or(t.text.trim_start_matches('#'))
        })
        .collect();
    Ok(DocBlock {
        info: start.clone(),
        symbol: None,
        sections: vec![DocSection {
            kind: SectionKind::Plain,
            name: None,
            text: text.join("\n"),
            info: start.clone(),
        }],
    })
}
