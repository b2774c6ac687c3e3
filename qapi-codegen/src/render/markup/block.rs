//! Block structure: paragraphs, lists, directives, literal blocks.

use super::inline;
use super::lines::{dedent, literal_text, min_indent, trim_blank, Line};
use super::{Block, Inline, Resolve};

/// Deeper nesting than this is shown as preformatted text.
const MAX_DEPTH: usize = 24;

/// Characters that may underline a section title.
const UNDERLINES: &str = "=-~^\"'`#*+:.";

pub(super) struct Parser<'r> {
    res: &'r dyn Resolve,
    /// Underline characters in order of first use: their position is the
    /// heading level.
    underline_levels: Vec<(char, bool)>,
}

/// What a directive was written as.
struct Directive<'a> {
    name: &'a str,
    args: &'a str,
    options: Vec<(&'a str, &'a str)>,
    /// The content after the options, dedented.
    body: Vec<Line<'a>>,
}

impl<'r> Parser<'r> {
    pub fn new(res: &'r dyn Resolve) -> Self {
        Parser {
            res,
            underline_levels: Vec::new(),
        }
    }

    fn inline(&self, text: &str) -> Vec<Inline> {
        inline::parse(text, self.res)
    }

    /// Parse `lines` (of any common indentation) into blocks.
    pub fn blocks(&mut self, lines: &[Line<'_>], depth: usize) -> Vec<Block> {
        let lines = dedent(lines, min_indent(lines));
        if depth > MAX_DEPTH {
            return vec![Block::Literal(literal_text(&lines))];
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if lines[i].is_blank() {
                i += 1;
                continue;
            }
            i = self.block(&lines, i, depth, &mut out);
        }
        out
    }

    /// Parse the block starting at non-blank line `i`; return the index
    /// after it.
    fn block(&mut self, lines: &[Line<'_>], i: usize, depth: usize, out: &mut Vec<Block>) -> usize {
        let line = lines[i];
        if line.indent > 0 {
            let end = indented_end(lines, i, 0);
            let body = self.blocks(&lines[i..end], depth + 1);
            out.push(Block::Quote(body));
            return end;
        }
        if let Some(end) = self.heading(lines, i, out) {
            return end;
        }
        if line.text == "::" {
            return self.literal_after(lines, i + 1, out);
        }
        if line.text.starts_with("..") && (line.text.len() == 2 || line.text[2..].starts_with(' '))
        {
            return self.directive(lines, i, depth, out);
        }
        if is_table_border(line.text) {
            return self.simple_table(lines, i, None, out);
        }
        if let Some(end) = self.list(lines, i, depth, out) {
            return end;
        }
        self.paragraph(lines, i, depth, out)
    }

    /// An underlined title, or QAPI's `= Title` / `== Title`.
    fn heading(&mut self, lines: &[Line<'_>], i: usize, out: &mut Vec<Block>) -> Option<usize> {
        let line = lines[i];
        let eq = line.text.len() - line.text.trim_start_matches('=').len();
        if eq > 0 && line.text[eq..].starts_with(' ') {
            let title = line.text[eq..].trim();
            if !title.is_empty() {
                out.push(Block::Heading {
                    level: eq.min(6) as u8,
                    content: self.inline(title),
                });
                return Some(i + 1);
            }
        }
        if let Some(c) = rule_char(&line) {
            // Overline, title, underline.
            let (title, under) = (lines.get(i + 1)?, lines.get(i + 2)?);
            if title.is_blank() || rule_char(under) != Some(c) {
                return None;
            }
            let level = self.level_of((c, true));
            out.push(Block::Heading {
                level,
                content: self.inline(title.text),
            });
            return Some(i + 3);
        }
        let under = lines.get(i + 1)?;
        let c = under.text.chars().next()?;
        let is_underline = under.indent == 0
            && UNDERLINES.contains(c)
            && under.text.len() >= 3
            && under.text.chars().all(|x| x == c)
            && under.text.len() + 2 >= line.text.chars().count()
            && !is_table_border(line.text);
        if !is_underline {
            return None;
        }
        let level = self.level_of((c, false));
        out.push(Block::Heading {
            level,
            content: self.inline(line.text),
        });
        Some(i + 2)
    }

    /// The heading level of an adornment style: styles get levels in
    /// order of first use.
    fn level_of(&mut self, style: (char, bool)) -> u8 {
        let pos = match self.underline_levels.iter().position(|&u| u == style) {
            Some(p) => p,
            None => {
                self.underline_levels.push(style);
                self.underline_levels.len() - 1
            }
        };
        (pos + 1).min(6) as u8
    }

    /// The indented block after a `::`, as preformatted text.
    fn literal_after(&mut self, lines: &[Line<'_>], from: usize, out: &mut Vec<Block>) -> usize {
        let mut start = from;
        while lines.get(start).is_some_and(Line::is_blank) {
            start += 1;
        }
        match lines.get(start) {
            Some(l) if l.indent > 0 => {
                let end = indented_end(lines, start, 0);
                out.push(Block::Literal(literal_text(&lines[start..end])));
                end
            }
            _ => from,
        }
    }

    fn directive(
        &mut self,
        lines: &[Line<'_>],
        i: usize,
        depth: usize,
        out: &mut Vec<Block>,
    ) -> usize {
        let end = indented_end(lines, i + 1, 0);
        let head = lines[i].text[2..].trim();
        let Some((name, args)) = head.split_once("::") else {
            // A comment or a hyperlink target: not shown.
            return end;
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return end;
        }
        let d = read_directive(name, args.trim(), &lines[i + 1..end]);
        self.render_directive(d, depth, out);
        end
    }

    fn render_directive(&mut self, d: Directive<'_>, depth: usize, out: &mut Vec<Block>) {
        let option = |key: &str| d.options.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        match d.name {
            "qmp-example" => {
                let title = option("title").map(|t| self.inline(t));
                let body = if option("annotated").is_some() {
                    self.blocks(&d.body, depth + 1)
                } else {
                    vec![Block::Literal(literal_text(&d.body))]
                };
                out.push(Block::Example { title, body });
            }
            "code-block" | "code" | "sourcecode" | "parsed-literal" | "highlight" => {
                if !d.body.is_empty() {
                    out.push(Block::Literal(literal_text(&d.body)));
                }
            }
            "table" => {
                let caption = (!d.args.is_empty()).then(|| self.inline(d.args));
                let body = trim_blank(&d.body);
                if body.first().is_some_and(|l| is_table_border(l.text)) {
                    self.simple_table(body, 0, caption, out);
                } else {
                    let inner = self.blocks(body, depth + 1);
                    out.extend(caption.map(Block::Para));
                    out.extend(inner);
                }
            }
            "admonition" => {
                let title = self.inline(d.args);
                let body = self.blocks(&d.body, depth + 1);
                out.push(Block::Admonition {
                    class: "admonition".into(),
                    title,
                    body,
                });
            }
            name => {
                // `note`, `caution`, `warning`, ...: the arguments start
                // the content.
                let mut content = Vec::new();
                if !d.args.is_empty() {
                    content.push(Line {
                        indent: 0,
                        text: d.args,
                    });
                }
                content.extend(dedent(&d.body, min_indent(&d.body)));
                let body = self.blocks(&content, depth + 1);
                let mut title = name.to_string();
                if let Some(first) = title.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                out.push(Block::Admonition {
                    class: name.to_string(),
                    title: vec![Inline::Text(title)],
                    body,
                });
            }
        }
    }

    /// `=====  =====` simple tables: a border, rows (a header and a
    /// second border optional), a closing border.
    fn simple_table(
        &mut self,
        lines: &[Line<'_>],
        i: usize,
        caption: Option<Vec<Inline>>,
        out: &mut Vec<Block>,
    ) -> usize {
        let border = lines[i].text;
        let columns = column_starts(border);
        let mut rows = Vec::new();
        let mut borders = 1;
        let mut header = false;
        let mut j = i + 1;
        while let Some(l) = lines.get(j) {
            j += 1;
            if l.is_blank() {
                continue;
            }
            if is_table_border(l.text) {
                borders += 1;
                if borders == 2 && lines.get(j).is_some_and(|n| !n.is_blank()) {
                    header = true;
                    continue;
                }
                break;
            }
            let cells = split_row(l, &columns)
                .into_iter()
                .map(|c| self.inline(c))
                .collect();
            rows.push(cells);
        }
        out.push(Block::Table {
            caption,
            header,
            rows,
        });
        j
    }

    fn list(
        &mut self,
        lines: &[Line<'_>],
        i: usize,
        depth: usize,
        out: &mut Vec<Block>,
    ) -> Option<usize> {
        let (kind, start, _) = list_marker(lines[i].text)?;
        let mut items = Vec::new();
        let mut j = i;
        while let Some(l) = lines.get(j) {
            if l.indent != 0 {
                break;
            }
            let Some((k, _, width)) = list_marker(l.text) else {
                break;
            };
            if k != kind {
                break;
            }
            let end = indented_end(lines, j + 1, 0);
            let mut item = vec![Line {
                indent: width,
                text: l.text[width..].trim_start(),
            }];
            item.extend_from_slice(&lines[j + 1..end]);
            items.push(self.blocks(&item, depth + 1));
            j = end;
            while lines.get(j).is_some_and(Line::is_blank) {
                j += 1;
            }
        }
        out.push(match kind {
            ListKind::Bullet(_) => Block::Bullets(items),
            ListKind::Numbered => Block::Numbered { start, items },
        });
        Some(j)
    }

    fn paragraph(
        &mut self,
        lines: &[Line<'_>],
        i: usize,
        depth: usize,
        out: &mut Vec<Block>,
    ) -> usize {
        let mut j = i;
        while lines.get(j).is_some_and(|l| !l.is_blank() && l.indent == 0) {
            j += 1;
        }
        let mut text: Vec<&str> = lines[i..j].iter().map(|l| l.text).collect();
        // Lines indented right after the paragraph: a definition when the
        // paragraph is one line, otherwise a continuation.
        if lines.get(j).is_some_and(|l| !l.is_blank()) {
            let end = indented_end(lines, j, 0);
            if text.len() == 1 && !text[0].ends_with("::") {
                let term = self.inline(text[0]);
                let body = self.blocks(&lines[j..end], depth + 1);
                push_definition(out, term, body);
                return end;
            }
            text.extend(
                lines[j..end]
                    .iter()
                    .filter(|l| !l.is_blank())
                    .map(|l| l.text),
            );
            j = end;
        }
        let mut joined = text.join(" ");
        let literal = if joined == "::" {
            joined.clear();
            true
        } else if let Some(head) = joined.strip_suffix(" ::") {
            joined = head.trim_end().to_string();
            true
        } else if joined.ends_with("::") {
            joined.pop();
            true
        } else {
            false
        };
        if !joined.is_empty() {
            out.push(Block::Para(self.inline(&joined)));
        }
        if literal {
            return self.literal_after(lines, j, out);
        }
        j
    }
}

/// Append a definition, merging with a definition list right before.
fn push_definition(out: &mut Vec<Block>, term: Vec<Inline>, body: Vec<Block>) {
    if let Some(Block::Definitions(items)) = out.last_mut() {
        items.push((term, body));
    } else {
        out.push(Block::Definitions(vec![(term, body)]));
    }
}

/// The index after the lines from `from` that are blank or indented more
/// than `indent` (trailing blank lines excluded).
fn indented_end(lines: &[Line<'_>], from: usize, indent: usize) -> usize {
    let mut end = from;
    let mut j = from;
    while let Some(l) = lines.get(j) {
        if l.is_blank() {
            j += 1;
            continue;
        }
        if l.indent <= indent {
            break;
        }
        j += 1;
        end = j;
    }
    end
}

fn read_directive<'a>(name: &'a str, args: &'a str, raw: &[Line<'a>]) -> Directive<'a> {
    let lines = dedent(raw, min_indent(raw));
    let mut options = Vec::new();
    let mut k = 0;
    while let Some(l) = lines.get(k) {
        if l.is_blank() || !l.text.starts_with(':') {
            break;
        }
        let Some((key, value)) = l.text[1..].split_once(':') else {
            break;
        };
        if key.is_empty() || key.contains(char::is_whitespace) {
            break;
        }
        options.push((key, value.trim()));
        k += 1;
    }
    let body = lines.get(k..).unwrap_or(&[]);
    Directive {
        name,
        args,
        options,
        body: dedent(body, min_indent(body)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet(char),
    Numbered,
}

/// A list item marker: its kind, number and width (marker and space).
fn list_marker(text: &str) -> Option<(ListKind, u32, usize)> {
    let first = text.chars().next()?;
    if "-*+•".contains(first) {
        let width = first.len_utf8();
        let rest = &text[width..];
        return (rest.is_empty() || rest.starts_with(' ')).then_some((
            ListKind::Bullet(first),
            1,
            width + 1.min(rest.len()),
        ));
    }
    let (num, after) = if let Some(rest) = text.strip_prefix('#') {
        (None, rest)
    } else {
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 4 {
            return None;
        }
        (text[..digits].parse::<u32>().ok(), &text[digits..])
    };
    let rest = after
        .strip_prefix('.')
        .or_else(|| after.strip_prefix(')'))?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let width = text.len() - rest.len() + 1.min(rest.len());
    Some((ListKind::Numbered, num.unwrap_or(1), width))
}

/// The character of a line made of one punctuation character repeated
/// (three times or more) at indentation 0.
fn rule_char(line: &Line<'_>) -> Option<char> {
    let c = line.text.chars().next()?;
    (line.indent == 0
        && UNDERLINES.contains(c)
        && line.text.len() >= 3
        && line.text.chars().all(|x| x == c))
    .then_some(c)
}

/// `====  ======  ===`: at least two runs of `=` and nothing else.
fn is_table_border(text: &str) -> bool {
    text.contains("= ") && text.chars().all(|c| c == '=' || c == ' ') && text.starts_with('=')
}

/// The byte offsets where the columns of a border start.
fn column_starts(border: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut prev = ' ';
    for (i, c) in border.char_indices() {
        if c == '=' && prev == ' ' {
            starts.push(i);
        }
        prev = c;
    }
    starts
}

/// Cut a table row at the column starts (relative to indentation 0).
fn split_row<'a>(line: &Line<'a>, columns: &[usize]) -> Vec<&'a str> {
    let mut cells = Vec::new();
    for (n, &start) in columns.iter().enumerate() {
        let from = start.saturating_sub(line.indent);
        let to = columns
            .get(n + 1)
            .map_or(line.text.len(), |&s| s.saturating_sub(line.indent));
        let cell = if n + 1 == columns.len() {
            line.text.get(from..).unwrap_or("")
        } else {
            line.text.get(from..to.max(from)).unwrap_or("")
        };
        cells.push(cell.trim());
    }
    cells
}
