//! Names to link targets.

use std::collections::HashMap;

use qapi_parser::Schema;

use super::pages::{Layout, Source};
use crate::render::links::{anchor, EntryKind, Target};
use crate::render::markup::Resolve;

/// Every definition with an entry: its page and anchor.
#[derive(Debug)]
pub(super) struct Names {
    map: HashMap<String, (usize, String)>,
}

impl Names {
    pub fn new(schema: &Schema, layout: &Layout) -> Self {
        let mut map = HashMap::new();
        for (page, (_, items)) in layout.pages.iter().enumerate() {
            for (_, src) in items {
                let (kind, name) = match *src {
                    Source::Doc(_) => continue,
                    Source::Command(id) => (EntryKind::Command, &schema.command(id).name),
                    Source::Event(id) => (EntryKind::Event, &schema.event(id).name),
                    Source::Type(id, kind) => (kind, &schema.ty(id).name),
                };
                map.insert(name.clone(), (page, anchor(kind, name)));
            }
        }
        Names { map }
    }

    /// The target of the entry called `name`.
    pub fn target(&self, name: &str) -> Option<Target> {
        self.map.get(name).map(|(page, anchor)| Target::Anchor {
            page: *page,
            anchor: anchor.clone(),
        })
    }

    /// A resolver for text on page `page`.
    pub fn scope(&self, page: usize) -> Scope<'_> {
        Scope {
            names: self,
            page,
            locals: HashMap::new(),
        }
    }
}

/// Resolves names in the text of one page, or of one entry (whose
/// members link to their rows).
#[derive(Debug)]
pub(super) struct Scope<'a> {
    names: &'a Names,
    /// The page the text is on.
    pub page: usize,
    /// Member names of the entry being written, with their anchors.
    pub locals: HashMap<String, String>,
}

impl Scope<'_> {
    /// The target of the entry called `name`.
    pub fn target(&self, name: &str) -> Option<Target> {
        self.names.target(name)
    }

    /// The same scope with member anchors.
    pub fn with_locals(&self, locals: HashMap<String, String>) -> Scope<'_> {
        Scope {
            names: self.names,
            page: self.page,
            locals,
        }
    }
}

impl Resolve for Scope<'_> {
    fn resolve(&self, name: &str) -> Option<Target> {
        if let Some(anchor) = self.locals.get(name) {
            return Some(Target::Anchor {
                page: self.page,
                anchor: anchor.clone(),
            });
        }
        self.names.target(name)
    }
}
