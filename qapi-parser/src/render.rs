//! Rich rendering of errors: the source line with a caret under the spot.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};

use crate::diag::Error;
use crate::source::Info;

pub(crate) fn rich(err: &Error, color: bool) -> String {
    let mut buf = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    emit(err, &mut buf);
    for note in &err.notes {
        emit(note, &mut buf);
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

fn emit(err: &Error, buf: &mut Buffer) {
    let config = term::Config::default();
    let mut lines = err.msg.lines();
    let headline = lines.next().unwrap_or_default().to_string();
    let mut notes: Vec<String> = lines.map(str::to_string).collect();
    let Some(info) = &err.info else {
        let diag = Diagnostic::<()>::error()
            .with_message(headline)
            .with_notes(notes);
        let files = SimpleFile::new("", "");
        let _ = term::emit(buf, &config, &files, &diag);
        return;
    };
    if let Some(defn) = &info.defn {
        notes.insert(0, format!("in {} '{}'", defn.meta, defn.name));
    }
    for parent in info.include_chain().iter().rev() {
        notes.push(format!("included from {}", parent.loc()));
    }
    let files = SimpleFile::new(info.file.path.as_str(), &*info.file.text);
    let mut diag = Diagnostic::error().with_message(headline).with_notes(notes);
    if let Some(range) = byte_range(err, info) {
        diag = diag.with_labels(vec![Label::primary((), range)]);
    }
    let _ = term::emit(buf, &config, &files, &diag);
}

/// The byte range to underline: the precise span when known, else the
/// column (parse errors) or the first non-blank character of the line.
fn byte_range(err: &Error, info: &Info) -> Option<std::ops::Range<usize>> {
    let text = &*info.file.text;
    if let Some(span) = err.span {
        let (start, end) = (span.start as usize, span.end as usize);
        if start <= end && end <= text.len() {
            return Some(start..end.max(start + usize::from(start < text.len())));
        }
    }
    if info.line == 0 {
        return None;
    }
    let line_start = line_offset(text, info.line)?;
    let line_len = text[line_start..]
        .find('\n')
        .unwrap_or(text.len() - line_start);
    let line = &text[line_start..line_start + line_len];
    let col = err.col.unwrap_or(info.col);
    let offset = if col > 0 {
        char_offset_for_col(line, col)
    } else {
        line.len() - line.trim_start().len()
    };
    let start = line_start + offset;
    let end = (start + line[offset..].chars().next().map_or(1, char::len_utf8)).min(text.len());
    Some(start..end.max(start))
}

fn line_offset(text: &str, line: u32) -> Option<usize> {
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n')
        .nth(line as usize - 2)
        .map(|(i, _)| i + 1)
}

/// The byte offset in `line` of QEMU column `col`.
fn char_offset_for_col(line: &str, col: u32) -> usize {
    let mut cur = 1u32;
    for (i, ch) in line.char_indices() {
        if cur >= col {
            return i;
        }
        cur = if ch == '\t' {
            (cur + 7) % 8 + 1
        } else {
            cur + 1
        };
    }
    line.len()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::source::SourceFile;

    fn info(text: &str, line: u32) -> Info {
        let file = Arc::new(SourceFile {
            path: "t.json".into(),
            text: text.into(),
            included_from: None,
        });
        Info::new(file, line, 0)
    }

    #[test]
    fn shows_the_line_and_a_caret_at_the_column() {
        let text = "{ 'enum': 'Status',\n  'data': [ 'good' ]; }\n";
        let err = Error::parse(&info(text, 2), 20, "stray ';'");
        let out = err.render_rich(false);
        assert!(out.contains("error: stray ';'"), "{out}");
        assert!(out.contains("t.json:2:20"), "{out}");
        assert!(out.contains("'data': [ 'good' ]; }"), "{out}");
        assert!(out.contains('^'), "{out}");
    }

    #[test]
    fn semantic_errors_name_the_definition_and_keep_extra_lines() {
        let text = "{ 'alternate': 'Alt', 'base': 'X', 'data': {} }\n";
        let i = info(text, 1).in_defn("alternate", "Alt");
        let err = Error::sem(&i, "alternate has unknown key 'base'\nValid keys are 'a'.");
        let out = err.render_rich(false);
        assert!(out.contains("in alternate 'Alt'"), "{out}");
        assert!(out.contains("Valid keys are 'a'."), "{out}");
    }

    #[test]
    fn errors_without_location_render() {
        let out = Error::bare("can't read schema file 'x'").render_rich(false);
        assert!(out.contains("can't read schema file 'x'"), "{out}");
    }
}
