//! The reStructuredText subset used in QAPI doc comments, parsed into a
//! small tree that every output format renders.
//!
//! Block level: paragraphs, section headings (underlined, or QAPI's
//! `= Title` form), bullet and numbered lists, block quotes, definition
//! lists, `::` literal blocks, simple tables, and the directives the
//! schemas use (`note`, `caution`, `admonition`, `qmp-example`, `table`,
//! `code-block`). Inline: ``` ``literal`` ```, `*emphasis*`,
//! `**strong**`, `` `name` `` and `@name` references, roles, hyperlinks.

mod block;
mod inline;
mod lines;
#[cfg(test)]
mod tests;

use super::links::Target;

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// A literal: shown in a monospace font.
    Code(String),
    /// `*emphasis*`.
    Emph(String),
    /// `**strong**`.
    Strong(String),
    /// A link around some inline content.
    Link {
        /// Where it goes.
        target: Target,
        /// What is shown.
        content: Vec<Inline>,
    },
}

/// Block content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Para(Vec<Inline>),
    /// A section heading; level 1 is the outermost.
    Heading {
        /// Nesting level, from 1.
        level: u8,
        /// The title.
        content: Vec<Inline>,
    },
    /// A bullet list.
    Bullets(Vec<Vec<Block>>),
    /// A numbered list.
    Numbered {
        /// The number of the first item.
        start: u32,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A definition list.
    Definitions(Vec<(Vec<Inline>, Vec<Block>)>),
    /// An indented block.
    Quote(Vec<Block>),
    /// Preformatted text.
    Literal(String),
    /// A boxed remark (`.. note::`, `.. admonition:: Title`).
    Admonition {
        /// `note`, `caution`, ... (used for styling), `admonition` for a
        /// titled one.
        class: String,
        /// The title shown.
        title: Vec<Inline>,
        /// The content.
        body: Vec<Block>,
    },
    /// A protocol example (`.. qmp-example::`).
    Example {
        /// The `:title:` option.
        title: Option<Vec<Inline>>,
        /// The content: one literal block, or text and literal blocks
        /// for an `:annotated:` example.
        body: Vec<Block>,
    },
    /// A table: the first row is the header when `header` is set.
    Table {
        /// The caption.
        caption: Option<Vec<Inline>>,
        /// Whether the first row is a header.
        header: bool,
        /// The cells, row by row.
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// Resolves a name used in a reference to a link target.
pub trait Resolve {
    /// Where `name` is defined, if it names a definition.
    fn resolve(&self, name: &str) -> Option<Target>;
}

/// Parse doc-comment text into blocks, resolving references with `res`.
pub fn parse(text: &str, res: &dyn Resolve) -> Vec<Block> {
    let lines = lines::Line::split(text);
    block::Parser::new(res).blocks(&lines, 0)
}

/// Parse one line (or a few joined lines) of inline markup.
pub fn parse_inline(text: &str, res: &dyn Resolve) -> Vec<Inline> {
    inline::parse(text, res)
}

/// The text of inline content, markup dropped.
pub fn plain_text(content: &[Inline]) -> String {
    let mut out = String::new();
    for i in content {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::Emph(t) | Inline::Strong(t) => {
                out.push_str(t)
            }
            Inline::Link { content, .. } => out.push_str(&plain_text(content)),
        }
    }
    out
}
