//! What the reference says, independent of the output format: pages of
//! free-form text and entries, one entry per definition.

mod entry;
mod members;
mod pages;
mod resolve;
#[cfg(test)]
pub(crate) mod tests;

use qapi_parser::Schema;

use super::links::{EntryKind, Target};
use super::markup::{Block, Inline};

/// The whole reference.
#[derive(Debug, Clone)]
pub struct Site {
    /// The title of the reference.
    pub title: String,
    /// The pages, the main schema file's first.
    pub pages: Vec<Page>,
}

/// One page: the documentation of one schema file.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file name without extension (`index` for the main file).
    pub stem: String,
    /// The title: the file's first top-level heading, or its name.
    pub title: String,
    /// Text and entries in source order.
    pub items: Vec<Item>,
}

/// A piece of a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// Free-form documentation.
    Text(Vec<Block>),
    /// A definition.
    Entry(Box<Entry>),
}

/// The documentation of one definition.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it is.
    pub kind: EntryKind,
    /// Its wire name.
    pub name: String,
    /// Its anchor.
    pub anchor: String,
    /// Its condition in words (`Available if CONFIG_LINUX`).
    pub condition: Option<String>,
    /// `deprecated`, `unstable`.
    pub flags: Vec<String>,
    /// `Since:` text.
    pub since: Option<Vec<Inline>>,
    /// The description.
    pub body: Vec<Block>,
    /// Arguments, members, values or branches.
    pub groups: Vec<Group>,
    /// What a command returns.
    pub returns: Option<Returns>,
    /// The `Errors:` section.
    pub errors: Vec<Block>,
    /// Described features.
    pub features: Vec<FeatureDoc>,
    /// Remarks on how a command behaves (`allow-oob`, ...).
    pub traits: Vec<String>,
    /// Text after the descriptions: notes, examples.
    pub rest: Vec<Block>,
}

/// A titled list of members.
#[derive(Debug, Clone)]
pub struct Group {
    /// `Arguments`, `Members inherited from Base`, `When type is foo`.
    pub title: Vec<Inline>,
    /// The members.
    pub rows: Vec<Row>,
}

/// One member, enum value or alternative.
#[derive(Debug, Clone)]
pub struct Row {
    /// The wire name.
    pub name: String,
    /// Its anchor.
    pub anchor: String,
    /// Its type (none for enum values).
    pub ty: Option<TypeRef>,
    /// Whether it may be absent.
    pub optional: bool,
    /// Its condition in words (`if CONFIG_LINUX`).
    pub condition: Option<String>,
    /// Its features.
    pub flags: Vec<String>,
    /// The description.
    pub desc: Vec<Block>,
}

/// A type as shown: a name, linked when it has an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRef {
    /// `str`, `GuestFileRead`, `[GuestFileRead]`.
    pub shown: String,
    /// The entry of the type (of the element, for an array).
    pub target: Option<Target>,
}

/// What a command returns.
#[derive(Debug, Clone)]
pub struct Returns {
    /// The type (none: an empty object).
    pub ty: Option<TypeRef>,
    /// The `Returns:` text.
    pub desc: Vec<Block>,
}

/// A feature and its description.
#[derive(Debug, Clone)]
pub struct FeatureDoc {
    /// The feature name.
    pub name: String,
    /// The description.
    pub desc: Vec<Block>,
}

/// Build the reference of `schema`; `title` overrides the derived one.
pub fn build(schema: &Schema, title: Option<&str>) -> Site {
    let layout = pages::Layout::new(schema);
    let resolver = resolve::Names::new(schema, &layout);
    let mut site = layout.into_site(schema, &resolver);
    if let Some(t) = title {
        site.title = t.to_string();
    }
    site
}
