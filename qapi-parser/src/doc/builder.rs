//! Accumulating a block's sections, with the checks QEMU's `QAPIDoc` makes
//! while sections are added and when the block ends.

use crate::hash::HashSet;

use super::{DocBlock, DocSection, SectionKind};
use crate::diag::Error;
use crate::source::Info;

/// The room a section's text starts with.
const TEXT_CAPACITY: usize = 128;

/// A block under construction. Text is appended to the last section.
#[derive(Debug)]
pub(super) struct Builder {
    info: Info,
    symbol: Option<String>,
    sections: Vec<DocSection>,
    args: HashSet<String>,
    features: HashSet<String>,
    /// Tags of the sections that may appear only once and have appeared.
    unique_seen: HashSet<SectionKind>,
    /// Accept duplicates and empty sections (old schemas).
    lenient: bool,
}

impl Builder {
    /// A block starting at `info`, with an empty body.
    pub(super) fn new(info: &Info, symbol: Option<String>, lenient: bool) -> Self {
        Builder {
            info: info.clone(),
            symbol,
            sections: vec![section(info, SectionKind::Plain, None)],
            args: HashSet::default(),
            features: HashSet::default(),
            unique_seen: HashSet::default(),
            lenient,
        }
    }

    /// Number of feature descriptions so far.
    pub(super) fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// Whether a `kind` description called `name` would be refused.
    pub(super) fn description_refused(&self, kind: SectionKind, name: &str) -> bool {
        name.is_empty() || self.names(kind).contains(name)
    }

    fn names(&self, kind: SectionKind) -> &HashSet<String> {
        if kind == SectionKind::Feature {
            &self.features
        } else {
            &self.args
        }
    }

    /// Start a paragraph of untagged text at `info`: continue the last
    /// section when it is untagged, else open a new one.
    pub(super) fn ensure_untagged(&mut self, info: &Info) {
        if let Some(last) = self.sections.last_mut() {
            if last.kind == SectionKind::Plain {
                if last.text.is_empty() {
                    last.info = info.clone();
                }
                last.text.push('\n');
                return;
            }
        }
        self.sections.push(section(info, SectionKind::Plain, None));
    }

    /// Open a `Returns`/`Errors`/`Since`/`TODO` section at `info`.
    pub(super) fn new_tagged(&mut self, info: &Info, kind: SectionKind) -> Result<(), Error> {
        let unique = matches!(
            kind,
            SectionKind::Returns | SectionKind::Errors | SectionKind::Since
        );
        if unique && !self.unique_seen.insert(kind) && !self.lenient {
            return Err(Error::sem(info, format!("duplicated '{kind}' section")));
        }
        self.sections.push(section(info, kind, None));
        Ok(())
    }

    /// Open the description of member or feature `name` at `info`.
    pub(super) fn new_description(
        &mut self,
        info: &Info,
        kind: SectionKind,
        name: &str,
    ) -> Result<(), Error> {
        if name.is_empty() {
            return Err(Error::sem(info, "invalid parameter name"));
        }
        let names = if kind == SectionKind::Feature {
            &mut self.features
        } else {
            &mut self.args
        };
        if !names.insert(name.to_string()) {
            return Err(Error::sem(
                info,
                format!("'{name}' parameter name duplicated"),
            ));
        }
        self.sections
            .push(section(info, kind, Some(name.to_string())));
        Ok(())
    }

    /// Append one line of text to the last section.
    pub(super) fn append(&mut self, line: &str) {
        if let Some(last) = self.sections.last_mut() {
            if last.text.capacity() == 0 {
                // A section is usually a few lines: skip the first steps
                // of doubling.
                last.text.reserve(TEXT_CAPACITY.max(line.len() + 1));
            }
            last.text.push_str(line);
            last.text.push('\n');
        }
    }

    /// Trim every section's leading and trailing blank lines; every
    /// section but untagged text must have text left.
    pub(super) fn finish(mut self) -> Result<DocBlock, Error> {
        for s in &mut self.sections {
            // Trimmed in place.
            let end = s.text.trim_end_matches('\n').len();
            s.text.truncate(end);
            let start = end - s.text.trim_start_matches('\n').len();
            if start > 0 {
                s.text.drain(..start);
            }
            // QEMU requires text in descriptions too ("'Member:'").
            if s.kind != SectionKind::Plain && s.text.is_empty() && !self.lenient {
                return Err(Error::sem(
                    &s.info,
                    format!("text required after '{}:'", s.kind),
                ));
            }
        }
        Ok(DocBlock {
            info: self.info,
            symbol: self.symbol,
            sections: self.sections,
        })
    }
}

/// An empty section.
fn section(info: &Info, kind: SectionKind, name: Option<String>) -> DocSection {
    DocSection {
        kind,
        name,
        text: String::new(),
        info: info.clone(),
    }
}
