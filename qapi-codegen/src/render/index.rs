//! The index of every entry: by name and by kind.

use super::links::{EntryKind, Target};
use super::model::{Item, Site};

/// One definition in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
    /// Where its entry is.
    pub target: Target,
    /// Whether it is flagged `deprecated`.
    pub deprecated: bool,
}

/// Every entry of `site`, sorted by name (case-insensitively), then kind.
pub fn entries(site: &Site) -> Vec<IndexEntry> {
    let mut out = Vec::new();
    for (page, p) in site.pages.iter().enumerate() {
        for item in &p.items {
            if let Item::Entry(e) = item {
                out.push(IndexEntry {
                    name: e.name.clone(),
                    kind: e.kind,
                    target: Target::Anchor {
                        page,
                        anchor: e.anchor.clone(),
                    },
                    deprecated: e.flags.iter().any(|f| f == "deprecated"),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.name.cmp(&b.name))
            .then(a.kind.cmp(&b.kind))
    });
    out
}

/// The letter an entry is filed under in the index by name.
pub fn initial(name: &str) -> char {
    name.trim_start_matches('_')
        .chars()
        .next()
        .map_or('#', |c| {
            if c.is_ascii_alphabetic() {
                c.to_ascii_uppercase()
            } else {
                '#'
            }
        })
}
