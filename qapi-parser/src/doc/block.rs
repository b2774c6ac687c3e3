//! The structure of a doc block, as QEMU 10.2's `get_doc()`.
//!
//! Strict mode follows QEMU line for line, so the first error found is
//! the one QEMU reports. Compat mode reads the same structure but accepts
//! what older releases accepted (see [`crate::Options::compat`]).

use super::builder::Builder;
use super::patterns::{indent_of, name_colon, tag, Tag};
use super::reader::{Halt, Reader};
use super::{DocBlock, SectionKind};
use crate::source::Info;

/// The result of reading one line: its text, or `None` at the end.
type Next<'a> = Result<Option<&'a str>, Halt>;

/// Parser state for one block.
#[derive(Debug)]
pub(super) struct BlockParser<'a> {
    rd: Reader<'a>,
    compat: bool,
}

impl<'a> BlockParser<'a> {
    /// A parser reading from `rd`.
    pub(super) fn new(rd: Reader<'a>, compat: bool) -> Self {
        BlockParser { rd, compat }
    }

    /// Parse the whole block opened at `start`.
    pub(super) fn run(mut self, start: &Info) -> Result<DocBlock, Halt> {
        let first = self.rd.next_line()?;
        let symbol = match first {
            Some(line) => self.symbol_line(line)?,
            None => None,
        };
        let doc = match symbol {
            Some(symbol) => self.definition(start, symbol)?,
            None => self.free_form(start, first)?,
        };
        Ok(doc.finish()?)
    }

    /// The symbol a first line `@NAME:` names, if it does.
    fn symbol_line(&self, line: &str) -> Result<Option<String>, Halt> {
        let Some(rest) = line.strip_prefix('@') else {
            return Ok(None);
        };
        let Some(symbol) = rest.strip_suffix(':') else {
            if self.compat {
                return Ok(None);
            }
            return Err(self.rd.error("line should end with ':'"));
        };
        if symbol.is_empty() {
            if self.compat {
                return Ok(None);
            }
            return Err(self.rd.error("name required after '@'"));
        }
        Ok(Some(symbol.to_string()))
    }

    /// Free-form documentation: all lines go to the body.
    fn free_form(&mut self, start: &Info, first: Option<&'a str>) -> Result<Builder, Halt> {
        let mut doc = Builder::new(start, None, self.compat);
        doc.ensure_untagged(&self.rd.info());
        let mut line = first;
        while let Some(text) = line {
            if let Some(m) = name_colon(text) {
                if !self.compat {
                    return Err(self.rd.error(format!(
                        "'@{}:' not allowed in free-form documentation",
                        m.name
                    )));
                }
            }
            doc.append(text);
            line = self.rd.next_line()?;
        }
        Ok(doc)
    }

    /// Definition documentation: body, descriptions, `Features:`, tagged
    /// sections and further paragraphs.
    fn definition(&mut self, start: &Info, symbol: String) -> Result<Builder, Halt> {
        let mut doc = Builder::new(start, Some(symbol), self.compat);
        let mut line = self.rd.next_line()?;
        let mut no_more_args = false;
        loop {
            line = self.skip_blank(line)?;
            let Some(text) = line else {
                break;
            };
            if text == "Features:" {
                line = self.features(&mut doc)?;
                no_more_args = true;
            } else if let Some(m) = name_colon(text) {
                if no_more_args && !self.compat {
                    return Err(self
                        .rd
                        .error(format!("description of '@{}:' follows a section", m.name)));
                }
                line = self.descriptions(&mut doc, SectionKind::Member, Some(text))?;
                no_more_args = true;
            } else if let Some((found, rest)) = tag(text) {
                line = self.tagged(&mut doc, found, rest, text)?;
                no_more_args = true;
            } else if text.starts_with('=') && !self.compat {
                return Err(self
                    .rd
                    .error("unexpected '=' markup in definition documentation"));
            } else {
                doc.ensure_untagged(&self.rd.info());
                doc.append(text);
                line = self.paragraph(&mut doc)?;
            }
        }
        Ok(doc)
    }

    /// Skip blank lines, starting with `line`.
    fn skip_blank(&mut self, mut line: Option<&'a str>) -> Next<'a> {
        while line == Some("") {
            line = self.rd.next_line()?;
        }
        Ok(line)
    }

    /// After a `Features:` line: the feature descriptions.
    fn features(&mut self, doc: &mut Builder) -> Next<'a> {
        if doc.feature_count() > 0 && !self.compat {
            return Err(self.rd.error("duplicated 'Features:' line"));
        }
        let line = self.rd.next_line()?;
        let line = self.skip_blank(line)?;
        let line = self.descriptions(doc, SectionKind::Feature, line)?;
        if doc.feature_count() == 0 && !self.compat {
            return Err(self.rd.error("feature descriptions expected"));
        }
        Ok(line)
    }

    /// A run of `@NAME: text` descriptions of `kind`, starting with `line`.
    fn descriptions(
        &mut self,
        doc: &mut Builder,
        kind: SectionKind,
        mut line: Option<&'a str>,
    ) -> Next<'a> {
        while let Some(text) = line {
            let Some(m) = name_colon(text) else {
                return Ok(Some(text));
            };
            if self.compat && doc.description_refused(kind, m.name) {
                // An unnamed or repeated description: keep it as text.
                doc.append(text);
            } else {
                doc.new_description(&self.rd.info(), kind, m.name)?;
                if !m.rest.is_empty() {
                    doc.append(m.rest);
                }
            }
            line = self.indented(doc)?;
        }
        Ok(None)
    }

    /// A tagged section starting with line `text` (tag `found`, text after
    /// the tag `rest`).
    fn tagged(&mut self, doc: &mut Builder, found: Tag, rest: &str, text: &str) -> Next<'a> {
        let kind = match found {
            Tag::Section(kind) => kind,
            Tag::Note(_) | Tag::Example(_) if self.compat => {
                // Old style: keep the whole paragraph, tag and all, as
                // untagged text.
                doc.ensure_untagged(&self.rd.info());
                doc.append(text);
                return self.paragraph(doc);
            }
            Tag::Note(word) => {
                return Err(self.rd.error(format!(
                    "The '{word}' section is no longer supported. Please use rST's \
                     '.. note::' or '.. admonition:: notes' directives, or another \
                     suitable admonition instead."
                )))
            }
            Tag::Example(word) => {
                return Err(self.rd.error(format!(
                    "The '{word}' section is no longer supported. Please use the \
                     '.. qmp-example::' directive, or other suitable markup instead."
                )))
            }
        };
        doc.new_tagged(&self.rd.info(), kind)?;
        if !rest.is_empty() {
            doc.append(rest);
        }
        self.indented(doc)
    }

    /// The rest of an untagged paragraph: lines up to a blank line.
    fn paragraph(&mut self, doc: &mut Builder) -> Next<'a> {
        loop {
            let line = self.rd.next_line()?;
            match line {
                None | Some("") => return Ok(line),
                Some(text) if self.compat && starts_section(text) => return Ok(line),
                Some(text) => doc.append(text),
            }
        }
    }

    /// The continuation of a description or tagged section: blank lines,
    /// then lines indented at least as much as the first non-blank one.
    ///
    /// QEMU only refuses a de-indent on the line right after the first
    /// indented one; later de-indented lines end the section.
    fn indented(&mut self, doc: &mut Builder) -> Next<'a> {
        let mut line = self.rd.next_line()?;
        let mut had_blank = false;
        while line == Some("") {
            doc.append("");
            had_blank = true;
            line = self.rd.next_line()?;
        }
        let Some(first) = line else {
            return Ok(None);
        };
        let indent = indent_of(first);
        if indent == 0 {
            if self.compat && !had_blank && !starts_section(first) {
                doc.append(first);
                return self.flat(doc);
            }
            return Ok(Some(first));
        }
        doc.append(first);
        let mut after_first = true;
        loop {
            let line = self.rd.next_line()?;
            let Some(text) = line else {
                return Ok(None);
            };
            if name_colon(text).is_some() {
                return Ok(Some(text));
            }
            if !text.is_empty() && indent_of(text) < indent {
                if !after_first || self.compat {
                    return Ok(Some(text));
                }
                return Err(self.rd.error(format!(
                    "unexpected de-indent (expected at least {indent} spaces)"
                )));
            }
            doc.append(text);
            after_first = false;
        }
    }

    /// Compat only: an unindented continuation (the style before QEMU 6.0)
    /// runs until a new section starts or an unindented line follows a
    /// blank one.
    fn flat(&mut self, doc: &mut Builder) -> Next<'a> {
        let mut after_blank = false;
        loop {
            let line = self.rd.next_line()?;
            let Some(text) = line else {
                return Ok(None);
            };
            if text.is_empty() {
                after_blank = true;
            } else if starts_section(text) || (after_blank && indent_of(text) == 0) {
                return Ok(Some(text));
            } else {
                after_blank = false;
            }
            doc.append(text);
        }
    }
}

/// Compat only: a line that starts a new section wherever it appears.
fn starts_section(line: &str) -> bool {
    line == "Features:"
        || tag(line).is_some()
        || name_colon(line).is_some_and(|m| plain_name(m.name))
}

/// A description name as old schemas wrote them: non-empty, no blanks.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(char::is_whitespace)
}
