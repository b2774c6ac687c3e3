//! Doc text as HTML.

use std::fmt::Write;

use super::Ctx;
use crate::render::escape::html;
use crate::render::markup::{Block, Inline};

impl Ctx<'_> {
    /// Inline content.
    pub fn inlines(&self, out: &mut String, content: &[Inline]) {
        for i in content {
            match i {
                Inline::Text(t) => out.push_str(&html(t)),
                Inline::Code(t) => {
                    let _ = write!(out, "<code>{}</code>", html(t));
                }
                Inline::Emph(t) => {
                    let _ = write!(out, "<em>{}</em>", html(t));
                }
                Inline::Strong(t) => {
                    let _ = write!(out, "<strong>{}</strong>", html(t));
                }
                Inline::Link { target, content } => {
                    let _ = write!(out, "<a href=\"{}\">", html(&self.href(target)));
                    self.inlines(out, content);
                    out.push_str("</a>");
                }
            }
        }
    }

    /// Block content; headings start at `<h{base}>`.
    pub fn blocks(&self, out: &mut String, blocks: &[Block], base: u8) {
        for b in blocks {
            self.block(out, b, base);
        }
    }

    fn block(&self, out: &mut String, b: &Block, base: u8) {
        match b {
            Block::Para(content) => {
                out.push_str("<p>");
                self.inlines(out, content);
                out.push_str("</p>\n");
            }
            Block::Heading { level, content } => {
                let h = (base + level - 1).min(6);
                let _ = write!(out, "<h{h} class=\"doc-heading\">");
                self.inlines(out, content);
                let _ = writeln!(out, "</h{h}>");
            }
            Block::Bullets(items) => self.list(out, "<ul>", "</ul>", items, base),
            Block::Numbered { start, items } => {
                let open = if *start == 1 {
                    "<ol>".to_string()
                } else {
                    format!("<ol start=\"{start}\">")
                };
                self.list(out, &open, "</ol>", items, base)
            }
            Block::Definitions(items) => {
                out.push_str("<dl class=\"deflist\">\n");
                for (term, body) in items {
                    out.push_str("<dt>");
                    self.inlines(out, term);
                    out.push_str("</dt><dd>");
                    self.blocks(out, body, base);
                    out.push_str("</dd>\n");
                }
                out.push_str("</dl>\n");
            }
            Block::Quote(body) => {
                out.push_str("<blockquote>");
                self.blocks(out, body, base);
                out.push_str("</blockquote>\n");
            }
            Block::Literal(text) => {
                let _ = writeln!(out, "<pre><code>{}</code></pre>", html(text));
            }
            Block::Admonition { class, title, body } => {
                let _ = write!(
                    out,
                    "<aside class=\"admonition {}\"><p class=\"admonition-title\">",
                    html(class)
                );
                self.inlines(out, title);
                out.push_str("</p>\n");
                self.blocks(out, body, base);
                out.push_str("</aside>\n");
            }
            Block::Example { title, body } => {
                out.push_str("<figure class=\"example\"><figcaption>Example");
                if let Some(t) = title {
                    out.push_str(": ");
                    self.inlines(out, t);
                }
                out.push_str("</figcaption>\n");
                for b in body {
                    match b {
                        Block::Literal(text) => example_code(out, text),
                        other => self.block(out, other, base),
                    }
                }
                out.push_str("</figure>\n");
            }
            Block::Table {
                caption,
                header,
                rows,
            } => {
                out.push_str("<div class=\"table\"><table>");
                if let Some(c) = caption {
                    out.push_str("<caption>");
                    self.inlines(out, c);
                    out.push_str("</caption>");
                }
                for (n, row) in rows.iter().enumerate() {
                    let cell = if n == 0 && *header { "th" } else { "td" };
                    out.push_str("<tr>");
                    for c in row {
                        let _ = write!(out, "<{cell}>");
                        self.inlines(out, c);
                        let _ = write!(out, "</{cell}>");
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</table></div>\n");
            }
        }
    }

    fn list(&self, out: &mut String, open: &str, close: &str, items: &[Vec<Block>], base: u8) {
        out.push_str(open);
        out.push('\n');
        for item in items {
            out.push_str("<li>");
            // A one-paragraph item needs no <p>.
            match item.as_slice() {
                [Block::Para(content)] => self.inlines(out, content),
                _ => self.blocks(out, item, base),
            }
            out.push_str("</li>\n");
        }
        out.push_str(close);
        out.push('\n');
    }
}

/// An example's code: requests (`->`) and replies (`<-`) marked up so
/// they can be told apart.
fn example_code(out: &mut String, text: &str) {
    out.push_str("<pre class=\"qmp\"><code>");
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let class = if trimmed.starts_with("->") {
            Some("req")
        } else if trimmed.starts_with("<-") {
            Some("rep")
        } else {
            None
        };
        match class {
            Some(c) => {
                let indent = line.len() - trimmed.len();
                let _ = write!(
                    out,
                    "{}<span class=\"{c}\">{}</span>{}",
                    &line[..indent],
                    html(&trimmed[..2]),
                    html(&trimmed[2..])
                );
            }
            None => out.push_str(&html(line)),
        }
    }
    out.push_str("</code></pre>\n");
}
