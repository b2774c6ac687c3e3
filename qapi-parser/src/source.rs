//! Schema files and source locations.
//!
//! [`Info`] plays the role of QEMU's `QAPISourceInfo`: it names a file, a
//! line, the include chain that led to the file and, once the expression
//! checker has named it, the definition an error belongs to. Messages are
//! rendered from it in exactly QEMU's format (see [`crate::diag`]).

use std::fmt;
use std::sync::Arc;

/// One schema file, as read.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as QEMU prints it: the root as given by the caller, an
    /// included file as `dirname(including file) + "/" + include string`,
    /// never normalised.
    pub path: String,
    /// The text after newline normalisation (CRLF and lone CR become LF) and
    /// with a final newline appended when it was missing.
    pub text: Arc<str>,
    /// The include directive that pulled this file in (`None` for the root).
    pub included_from: Option<Info>,
}

impl SourceFile {
    /// The text of line `line` (1-based), without its newline.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        if line == 0 {
            return None;
        }
        self.text.split('\n').nth(line as usize - 1)
    }
}

/// The definition an error is reported in (`FILE: In META 'NAME':`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defn {
    /// `enum`, `struct`, `union`, `alternate`, `command` or `event`.
    pub meta: &'static str,
    /// The definition's name as written.
    pub name: String,
}

/// A place in a schema file that messages can point at.
#[derive(Debug, Clone)]
pub struct Info {
    /// The file.
    pub file: Arc<SourceFile>,
    /// 1-based line; 0 means "the file as a whole" (no line is printed).
    pub line: u32,
    /// 1-based column of the thing this info stands for, tabs expanded to
    /// multiples of 8; 0 when unknown. Only the rich renderer uses it for
    /// semantic errors (QEMU prints columns for parse errors only).
    pub col: u32,
    /// Set by the expression checker for everything inside a definition.
    pub defn: Option<Arc<Defn>>,
}

impl Info {
    /// An info for line `line`, column `col` of `file`.
    pub fn new(file: Arc<SourceFile>, line: u32, col: u32) -> Self {
        Info {
            file,
            line,
            col,
            defn: None,
        }
    }

    /// The same place, inside definition `meta` `name`.
    pub fn in_defn(&self, meta: &'static str, name: &str) -> Self {
        Info {
            defn: Some(Arc::new(Defn {
                meta,
                name: name.to_string(),
            })),
            ..self.clone()
        }
    }

    /// `FILE:LINE` (or just `FILE` without a line), as QEMU's `loc()`.
    pub fn loc(&self) -> String {
        if self.line == 0 {
            self.file.path.clone()
        } else {
            format!("{}:{}", self.file.path, self.line)
        }
    }

    /// The chain of include directives, outermost first.
    pub fn include_chain(&self) -> Vec<Info> {
        let mut chain = Vec::new();
        let mut cur = self.file.included_from.clone();
        while let Some(info) = cur {
            cur = info.file.included_from.clone();
            chain.push(info);
        }
        chain.reverse();
        chain
    }
}

/// QEMU's `str(QAPISourceInfo)`: include chain, definition context, location.
impl fmt::Display for Info {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for parent in self.include_chain() {
            writeln!(f, "In file included from {}:", parent.loc())?;
        }
        if let Some(defn) = &self.defn {
            writeln!(f, "{}: In {} '{}':", self.file.path, defn.meta, defn.name)?;
        }
        write!(f, "{}", self.loc())
    }
}

/// A range of a file's text, with the line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: u32,
    /// Byte offset one past the last character.
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, tabs expanded as QEMU does.
    pub col: u32,
}

/// QEMU's column rule for parse errors: 1-based, counted in characters.
///
/// QEMU maps a TAB with `col = (col + 7) % 8 + 1`, which keeps the column
/// modulo 8 instead of advancing to the next tab stop. Messages must match
/// QEMU's byte for byte, so the same arithmetic is used here.
pub fn column_of(line_text_before: &str) -> u32 {
    let mut col = 1u32;
    for ch in line_text_before.chars() {
        if ch == '\t' {
            col = (col + 7) % 8 + 1;
        } else {
            col += 1;
        }
    }
    col
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_qemus_tab_arithmetic() {
        assert_eq!(column_of(""), 1);
        assert_eq!(column_of("ab"), 3);
        assert_eq!(column_of("\t"), 1);
        assert_eq!(column_of("a\t"), 2);
        assert_eq!(column_of("abcdefgh\t"), 1);
        assert_eq!(column_of("\t\tx"), 2);
    }
}
