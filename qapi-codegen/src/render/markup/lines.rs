//! Lines with their indentation measured.

/// One line of doc text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Line<'a> {
    /// Columns of leading whitespace (tabs count as one; doc comments
    /// rarely have them).
    pub indent: usize,
    /// The text after the indentation, trailing whitespace removed;
    /// empty for a blank line.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// Split `text` into lines.
    pub fn split(text: &'a str) -> Vec<Line<'a>> {
        text.lines().map(Line::new).collect()
    }

    fn new(raw: &'a str) -> Self {
        let trimmed = raw.trim_end();
        let text = trimmed.trim_start();
        Line {
            indent: trimmed.len() - text.len(),
            text,
        }
    }

    /// Whether the line is blank.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// The smallest indentation of the non-blank lines.
pub(super) fn min_indent(lines: &[Line<'_>]) -> usize {
    lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.indent)
        .min()
        .unwrap_or(0)
}

/// The lines with `by` columns of indentation removed.
pub(super) fn dedent<'a>(lines: &[Line<'a>], by: usize) -> Vec<Line<'a>> {
    lines
        .iter()
        .map(|l| Line {
            indent: l.indent.saturating_sub(by),
            text: l.text,
        })
        .collect()
}

/// Lines without leading and trailing blank lines.
pub(super) fn trim_blank<'s, 'a>(lines: &'s [Line<'a>]) -> &'s [Line<'a>] {
    let start = lines
        .iter()
        .position(|l| !l.is_blank())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_blank())
        .map_or(start, |i| i + 1);
    lines.get(start..end).unwrap_or(&[])
}

/// The lines as preformatted text, common indentation removed.
pub(super) fn literal_text(lines: &[Line<'_>]) -> String {
    let lines = trim_blank(lines);
    let base = min_indent(lines);
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !l.is_blank() {
            out.extend(std::iter::repeat(' ').take(l.indent - base.min(l.indent)));
            out.push_str(l.text);
        }
    }
    out
}
