//! Doc text as Markdown.

use std::fmt::Write;

use super::Ctx;
use crate::render::escape::{markdown as esc, markdown_code};
use crate::render::markup::{Block, Inline};

/// A fenced code block holding `text`.
fn fence(out: &mut String, text: &str, lang: &str) {
    let mut longest = 2;
    for line in text.lines() {
        let run = line.trim_start().chars().take_while(|&c| c == '`').count();
        longest = longest.max(run);
    }
    let f = "`".repeat(longest + 1);
    let _ = writeln!(out, "{f}{lang}\n{text}\n{f}\n");
}

/// Indent every line but the first by `n` spaces.
fn indent_rest(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::new();
    for (i, line) in text.trim_end().lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(line);
    }
    out
}

impl Ctx<'_> {
    /// Inline content as Markdown.
    pub fn inlines(&self, content: &[Inline]) -> String {
        let mut out = String::new();
        for i in content {
            match i {
                Inline::Text(t) => out.push_str(&esc(t)),
                Inline::Code(t) => out.push_str(&markdown_code(t)),
                Inline::Emph(t) => {
                    let _ = write!(out, "*{}*", esc(t));
                }
                Inline::Strong(t) => {
                    let _ = write!(out, "**{}**", esc(t));
                }
                Inline::Link { target, content } => {
                    let _ = write!(out, "[{}]({})", self.inlines(content), self.href(target));
                }
            }
        }
        out
    }

    /// Block content; headings start at level `base`.
    pub fn blocks(&self, out: &mut String, blocks: &[Block], base: u8) {
        for b in blocks {
            self.block(out, b, base);
        }
    }

    fn block(&self, out: &mut String, b: &Block, base: u8) {
        match b {
            Block::Para(content) => {
                let _ = writeln!(out, "{}\n", self.inlines(content));
            }
            Block::Heading { level, content } => {
                let h = usize::from((base + level - 1).min(6));
                let _ = writeln!(out, "{} {}\n", "#".repeat(h), self.inlines(content));
            }
            Block::Bullets(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", indent_rest(&self.sub(item, base), 2));
                }
                out.push('\n');
            }
            Block::Numbered { start, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = format!("{}. ", *start as usize + n);
                    let _ = writeln!(
                        out,
                        "{marker}{}",
                        indent_rest(&self.sub(item, base), marker.len())
                    );
                }
                out.push('\n');
            }
            Block::Definitions(items) => {
                for (term, body) in items {
                    let _ = writeln!(
                        out,
                        "- **{}** — {}",
                        self.inlines(term),
                        indent_rest(&self.sub(body, base), 2)
                    );
                }
                out.push('\n');
            }
            Block::Quote(body) => {
                for line in self.sub(body, base).lines() {
                    if line.is_empty() {
                        out.push_str(">\n");
                    } else {
                        let _ = writeln!(out, "> {line}");
                    }
                }
                out.push('\n');
            }
            Block::Literal(text) => fence(out, text, ""),
            Block::Admonition { title, body, .. } => {
                let _ = writeln!(out, "> **{}**\n>", self.inlines(title));
                for line in self.sub(body, base).lines() {
                    if line.is_empty() {
                        out.push_str(">\n");
                    } else {
                        let _ = writeln!(out, "> {line}");
                    }
                }
                out.push('\n');
            }
            Block::Example { title, body } => {
                match title {
                    Some(t) => {
                        let _ = writeln!(out, "**Example: {}**\n", self.inlines(t));
                    }
                    None => out.push_str("**Example**\n\n"),
                }
                for b in body {
                    match b {
                        Block::Literal(text) => fence(out, text, "json"),
                        other => self.block(out, other, base),
                    }
                }
            }
            Block::Table {
                caption,
                header,
                rows,
            } => {
                if let Some(c) = caption {
                    let _ = writeln!(out, "*{}*\n", self.inlines(c));
                }
                let width = rows.iter().map(Vec::len).max().unwrap_or(0);
                let row_text = |row: &[Vec<Inline>]| {
                    let mut cells: Vec<String> = row
                        .iter()
                        .map(|c| self.inlines(c).replace('|', "\\|"))
                        .collect();
                    cells.resize(width, String::new());
                    format!("| {} |", cells.join(" | "))
                };
                let mut rows_iter = rows.iter();
                let head = if *header {
                    rows_iter.next().map(|r| row_text(r))
                } else {
                    None
                };
                let _ = writeln!(out, "{}", head.unwrap_or_else(|| row_text(&[])));
                let _ = writeln!(out, "|{}", " --- |".repeat(width));
                for r in rows_iter {
                    let _ = writeln!(out, "{}", row_text(r));
                }
                out.push('\n');
            }
        }
    }

    /// Blocks rendered on their own, for nesting.
    fn sub(&self, blocks: &[Block], base: u8) -> String {
        let mut s = String::new();
        self.blocks(&mut s, blocks, base);
        s.trim_end().to_string()
    }
}
