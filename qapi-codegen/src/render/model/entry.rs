//! One definition's entry.

use std::collections::HashMap;

use qapi_parser::doc::{DocBlock, SectionKind};
use qapi_parser::ifcond::IfCond;
use qapi_parser::schema::{Feature, Type};
use qapi_parser::Schema;

use super::members::{self, type_ref};
use super::pages::Source;
use super::resolve::Scope;
use super::{Entry, FeatureDoc, Returns};
use crate::render::cond;
use crate::render::links::{anchor, EntryKind};
use crate::render::markup::{self, Block};

/// The text of a tagged section with the hanging indentation of its
/// continuation lines removed.
pub(super) fn tagged_text(text: &str) -> String {
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return String::new();
    };
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = first.trim().to_string();
    for l in rest {
        out.push('\n');
        out.push_str(l.get(indent..).unwrap_or("").trim_end());
    }
    out
}

struct Head<'s> {
    kind: EntryKind,
    name: &'s str,
    ifcond: Option<&'s IfCond>,
    features: &'s [Feature],
    doc: Option<&'s DocBlock>,
}

fn head<'s>(schema: &'s Schema, src: Source) -> Option<Head<'s>> {
    let doc = |d: Option<qapi_parser::schema::DocId>| d.map(|d| schema.doc(d));
    Some(match src {
        Source::Doc(_) => return None,
        Source::Command(id) => {
            let c = schema.command(id);
            Head {
                kind: EntryKind::Command,
                name: &c.name,
                ifcond: c.ifcond.as_ref(),
                features: &c.features,
                doc: doc(c.doc),
            }
        }
        Source::Event(id) => {
            let e = schema.event(id);
            Head {
                kind: EntryKind::Event,
                name: &e.name,
                ifcond: e.ifcond.as_ref(),
                features: &e.features,
                doc: doc(e.doc),
            }
        }
        Source::Type(id, kind) => {
            let t: &Type = schema.ty(id);
            Head {
                kind,
                name: &t.name,
                ifcond: t.ifcond.as_ref(),
                features: &t.features,
                doc: doc(t.doc),
            }
        }
    })
}

/// The entry of the definition `src`.
pub(super) fn build(schema: &Schema, src: Source, scope: &Scope<'_>) -> Option<Entry> {
    let h = head(schema, src)?;
    let anchor = anchor(h.kind, h.name);
    let raw = members::groups(schema, src, &anchor, h.doc, scope);
    let locals: HashMap<String, String> = raw
        .iter()
        .filter(|g| g.local)
        .flat_map(|g| g.rows.iter())
        .map(|r| (r.row.name.clone(), r.row.anchor.clone()))
        .collect();
    let scope = scope.with_locals(locals);
    let groups = raw.into_iter().map(|g| g.finish(&scope)).collect();
    let parse = |text: &str| markup::parse(&tagged_text(text), &scope);
    let doc = h.doc;
    let body = doc
        .map(|d| markup::parse(&d.body().text, &scope))
        .unwrap_or_default();
    let mut rest: Vec<Block> = Vec::new();
    if let Some(d) = doc {
        for s in d.other_sections() {
            if s.kind == SectionKind::Plain {
                rest.extend(markup::parse(&s.text, &scope));
            }
        }
    }
    let returns_text = doc.and_then(DocBlock::returns).map(|s| parse(&s.text));
    let returns = match src {
        Source::Command(id) => {
            let ty = schema
                .command(id)
                .ret_type
                .map(|t| type_ref(schema, &scope, t));
            (ty.is_some() || returns_text.is_some()).then(|| Returns {
                ty,
                desc: returns_text.unwrap_or_default(),
            })
        }
        _ => returns_text.map(|desc| Returns { ty: None, desc }),
    };
    let mut features: Vec<FeatureDoc> = doc
        .map(|d| {
            d.features()
                .filter_map(|s| {
                    Some(FeatureDoc {
                        name: s.name.clone()?,
                        desc: parse(&s.text),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    for f in h.features {
        if !features.iter().any(|d| d.name == f.name) {
            features.push(FeatureDoc {
                name: f.name.clone(),
                desc: Vec::new(),
            });
        }
    }
    Some(Entry {
        kind: h.kind,
        name: h.name.to_string(),
        anchor,
        condition: h.ifcond.map(cond::availability),
        flags: h
            .features
            .iter()
            .filter(|f| f.is_special())
            .map(|f| f.name.clone())
            .collect(),
        since: doc
            .and_then(DocBlock::since)
            .map(|s| markup::parse_inline(s.text.trim(), &scope)),
        body,
        groups,
        returns,
        errors: doc
            .and_then(DocBlock::errors)
            .map(|s| parse(&s.text))
            .unwrap_or_default(),
        features,
        traits: traits(schema, src),
        rest,
    })
}

/// Remarks on how a command is run.
fn traits(schema: &Schema, src: Source) -> Vec<String> {
    let Source::Command(id) = src else {
        return Vec::new();
    };
    let c = schema.command(id);
    let mut out = Vec::new();
    if !c.success_response {
        out.push("No reply is sent on success.".to_string());
    }
    if c.allow_oob {
        out.push("May be executed out of band.".to_string());
    }
    if c.allow_preconfig {
        out.push("Available in the preconfig state.".to_string());
    }
    out
}
