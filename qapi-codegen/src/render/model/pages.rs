//! Which page each definition and free-form block goes on, and in what
//! order: one page per schema file, files in the order they were read,
//! items in source order.

use std::collections::HashMap;
use std::sync::Arc;

use qapi_parser::schema::{CommandId, DocId, EventId, TypeId};
use qapi_parser::source::SourceFile;
use qapi_parser::Schema;

use super::resolve::Names;
use super::{entry, Item, Page, Site};
use crate::render::links::EntryKind;
use crate::render::markup::{self, plain_text, Block};

/// How deep include chains are followed when ordering files.
const MAX_INCLUDE_DEPTH: usize = 64;

/// A definition or a free-form block, before rendering.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    /// A free-form doc block.
    Doc(DocId),
    /// A command.
    Command(CommandId),
    /// An event.
    Event(EventId),
    /// A type with an entry.
    Type(TypeId, EntryKind),
}

/// The pages and what goes on them.
#[derive(Debug)]
pub(super) struct Layout {
    /// Per page: its stem and its items (line, source) in source order.
    pub pages: Vec<(String, Vec<(u32, Source)>)>,
}

/// The entry kind of a type, `None` for types without an entry
/// (built-in and implicit ones).
pub(super) fn type_kind(schema: &Schema, id: TypeId) -> Option<EntryKind> {
    use qapi_parser::schema::TypeKind;
    let ty = schema.ty(id);
    if ty.is_implicit() || ty.is_builtin() {
        return None;
    }
    match &ty.kind {
        TypeKind::Enum(_) => Some(EntryKind::Enum),
        TypeKind::Object(o) if o.is_union() => Some(EntryKind::Union),
        TypeKind::Object(_) => Some(EntryKind::Struct),
        TypeKind::Alternate(_) => Some(EntryKind::Alternate),
        TypeKind::Builtin(_) | TypeKind::Array { .. } => None,
    }
}

impl Layout {
    pub fn new(schema: &Schema) -> Self {
        let mut files: Vec<Arc<SourceFile>> = Vec::new();
        let mut by_path: HashMap<String, usize> = HashMap::new();
        let mut items: Vec<Vec<(u32, Source)>> = Vec::new();
        let mut add = |file: &Arc<SourceFile>, line: u32, src: Source| {
            let n = *by_path.entry(file.path.clone()).or_insert_with(|| {
                files.push(file.clone());
                items.push(Vec::new());
                files.len() - 1
            });
            items[n].push((line, src));
        };
        for (i, doc) in schema.docs.iter().enumerate() {
            if doc.symbol.is_none() {
                add(&doc.info.file, doc.info.line, Source::Doc(DocId(i as u32)));
            }
        }
        for (i, c) in schema.commands.iter().enumerate() {
            add(
                &c.info.file,
                c.info.line,
                Source::Command(CommandId(i as u32)),
            );
        }
        for (i, e) in schema.events.iter().enumerate() {
            add(&e.info.file, e.info.line, Source::Event(EventId(i as u32)));
        }
        for (id, ty) in schema.types() {
            if let (Some(kind), Some(info)) = (type_kind(schema, id), &ty.info) {
                add(&info.file, info.line, Source::Type(id, kind));
            }
        }
        let mut order: Vec<usize> = (0..files.len()).collect();
        let keys: Vec<Vec<u32>> = files.iter().map(|f| include_key(f)).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        let mut used = HashMap::new();
        let pages = order
            .into_iter()
            .map(|n| {
                let stem = unique_stem(&files[n], &mut used);
                let mut list = std::mem::take(&mut items[n]);
                list.sort_by_key(|(line, _)| *line);
                (stem, list)
            })
            .collect();
        Layout { pages }
    }

    /// Render every item.
    pub fn into_site(self, schema: &Schema, names: &Names) -> Site {
        let mut pages = Vec::new();
        for (index, (stem, list)) in self.pages.into_iter().enumerate() {
            let mut items = Vec::new();
            for (_, src) in list {
                match src {
                    Source::Doc(id) => {
                        let doc = schema.doc(id);
                        let mut blocks = Vec::new();
                        for s in &doc.sections {
                            blocks.extend(markup::parse(&s.text, &names.scope(index)));
                        }
                        if !blocks.is_empty() {
                            items.push(Item::Text(blocks));
                        }
                    }
                    other => {
                        let e = entry::build(schema, other, &names.scope(index));
                        items.extend(e.map(|e| Item::Entry(Box::new(e))));
                    }
                }
            }
            let title = take_title(&mut items).unwrap_or_else(|| stem.clone());
            pages.push(Page { stem, title, items });
        }
        let title = match pages.first() {
            Some(p) if p.stem != "index" || p.title != "index" => p.title.clone(),
            _ => "QAPI reference".to_string(),
        };
        if let Some(first) = pages.first_mut() {
            if first.title == "index" {
                first.title = "Overview".into();
            }
        }
        Site { title, pages }
    }
}

/// The position of a file in reading order: the lines of the include
/// directives leading to it.
fn include_key(file: &SourceFile) -> Vec<u32> {
    let mut key = Vec::new();
    let mut at = file.included_from.as_ref();
    while let Some(info) = at {
        if key.len() > MAX_INCLUDE_DEPTH {
            break;
        }
        key.push(info.line);
        at = info.file.included_from.as_ref();
    }
    key.reverse();
    key
}

/// `index` for the main file, else the file name without `.json`, made
/// unique with a number.
fn unique_stem(file: &SourceFile, used: &mut HashMap<String, u32>) -> String {
    let base = if file.included_from.is_none() {
        "index".to_string()
    } else {
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        let stem = name.strip_suffix(".json").unwrap_or(name);
        let clean: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        match clean.as_str() {
            "" | "index" | "genindex" => format!("{clean}-schema"),
            _ => clean,
        }
    };
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{n}")
    }
}

/// When the page starts with a top-level heading, remove it and return
/// its text.
fn take_title(items: &mut [Item]) -> Option<String> {
    let Some(Item::Text(blocks)) = items.first_mut() else {
        return None;
    };
    let Some(Block::Heading { level: 1, content }) = blocks.first() else {
        return None;
    };
    let title = plain_text(content);
    blocks.remove(0);
    Some(title)
}
