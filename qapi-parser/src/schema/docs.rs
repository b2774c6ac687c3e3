//! Doc blocks against definitions: every member, value, branch and feature
//! must be described, and every description must describe something.

use std::sync::Arc;

use super::builder::Builder;
use super::types::*;
use crate::diag::Error;
use crate::doc::{DocSection, SectionKind};
use crate::source::Info;

impl Builder<'_> {
    /// Connect an entity's members and features to its doc block (QEMU's
    /// `connect_doc`, run right after the entity's check).
    pub(super) fn connect_doc(&mut self, ent: &Entity) -> Result<(), Error> {
        match ent {
            Entity::Include { .. } => Ok(()),
            Entity::Type(id) => {
                let ty = &self.types[id.index()];
                let Some(doc) = ty.doc else {
                    return Ok(());
                };
                self.connect_type(*id, doc)
            }
            Entity::Command(id) => {
                let c = &self.commands[id.index()];
                let Some(doc) = c.doc else {
                    return Ok(());
                };
                let (info, features, arg) = (c.info.clone(), c.features.clone(), c.arg_type);
                self.connect_args(doc, &info, &features, arg)
            }
            Entity::Event(id) => {
                let e = &self.events[id.index()];
                let Some(doc) = e.doc else {
                    return Ok(());
                };
                let (info, features, arg) = (e.info.clone(), e.features.clone(), e.arg_type);
                self.connect_args(doc, &info, &features, arg)
            }
        }
    }

    fn connect_args(
        &mut self,
        doc: DocId,
        info: &Info,
        features: &[Feature],
        arg: Option<TypeId>,
    ) -> Result<(), Error> {
        for f in features {
            self.connect_feature(doc, &f.name, info)?;
        }
        if let Some(arg) = arg {
            if self.types[arg.index()].is_implicit() {
                self.connect_type(arg, doc)?;
            }
        }
        Ok(())
    }

    /// Connect a type's features and members to `doc`.
    fn connect_type(&mut self, id: TypeId, doc: DocId) -> Result<(), Error> {
        let types = std::mem::take(&mut self.types);
        let result = self.connect_type_in(&types, id, doc);
        self.types = types;
        result
    }

    fn connect_type_in(&mut self, types: &[Type], id: TypeId, doc: DocId) -> Result<(), Error> {
        let ty = &types[id.index()];
        let Some(info) = ty.info.as_ref() else {
            return Ok(());
        };
        for f in &ty.features {
            self.connect_feature(doc, &f.name, info)?;
        }
        match &ty.kind {
            TypeKind::Enum(e) => {
                for v in &e.values {
                    self.connect_member(doc, "value", &v.name, info)?;
                    for f in &v.features {
                        self.connect_feature(doc, &f.name, info)?;
                    }
                }
            }
            TypeKind::Object(o) => {
                if let Some(base) = o.base {
                    if types[base.index()].is_implicit() {
                        self.connect_type_in(types, base, doc)?;
                    }
                }
                for m in &o.local_members {
                    self.connect_member(doc, "member", &m.name, info)?;
                    for f in &m.features {
                        self.connect_feature(doc, &f.name, info)?;
                    }
                }
            }
            TypeKind::Alternate(a) => {
                for b in &a.branches {
                    self.connect_member(doc, "branch", &b.name, info)?;
                }
            }
            TypeKind::Builtin(_) | TypeKind::Array { .. } => {}
        }
        Ok(())
    }

    fn section_index(&self, doc: DocId, kind: SectionKind, name: &str) -> Option<usize> {
        self.docs[doc.index()]
            .sections
            .iter()
            .position(|s| s.kind == kind && s.name.as_deref() == Some(name))
    }

    /// QEMU's `connect_member`: a member without a description is an
    /// error unless the definition is in pragma `documentation-exceptions`;
    /// then it gets an empty description after the described ones.
    fn connect_member(
        &mut self,
        doc: DocId,
        role: &str,
        name: &str,
        info: &Info,
    ) -> Result<(), Error> {
        if let Some(i) = self.section_index(doc, SectionKind::Member, name) {
            self.doc_state[doc.index()].connected[i] = true;
            return Ok(());
        }
        let block = &self.docs[doc.index()];
        let excepted = block
            .symbol
            .as_ref()
            .is_some_and(|s| self.pragma.documentation_exceptions.contains(s));
        if !excepted && !self.opts.compat {
            return Err(Error::sem(
                info,
                format!("{role} '{name}' lacks documentation"),
            ));
        }
        let stub = DocSection {
            kind: SectionKind::Member,
            name: Some(name.to_string()),
            text: String::new(),
            info: block.info.clone(),
        };
        let sections = &block.sections;
        let mut at = 1.min(sections.len());
        while sections
            .get(at)
            .is_some_and(|s| s.kind == SectionKind::Member)
        {
            at += 1;
        }
        Arc::make_mut(&mut self.docs[doc.index()])
            .sections
            .insert(at, stub);
        self.doc_state[doc.index()].connected.insert(at, true);
        Ok(())
    }

    /// QEMU's `connect_feature`: every feature must be described.
    fn connect_feature(&mut self, doc: DocId, name: &str, info: &Info) -> Result<(), Error> {
        match self.section_index(doc, SectionKind::Feature, name) {
            Some(i) => {
                self.doc_state[doc.index()].connected[i] = true;
                Ok(())
            }
            None if self.opts.compat => Ok(()),
            None => Err(Error::sem(
                info,
                format!("feature '{name}' lacks documentation"),
            )),
        }
    }

    /// Descriptions of things that do not exist, for every doc block in
    /// source order.
    /// Compat mode skips them: before QEMU 2.9 doc comments were free
    /// text, and older doc parsers read some descriptions differently.
    pub(super) fn check_docs(&mut self) {
        if self.opts.compat {
            return;
        }
        for (doc, state) in self.docs.iter().zip(&self.doc_state) {
            for (kind, what) in [
                (SectionKind::Member, "member"),
                (SectionKind::Feature, "feature"),
            ] {
                let bogus: Vec<&DocSection> = doc
                    .sections
                    .iter()
                    .zip(&state.connected)
                    .filter(|(s, c)| s.kind == kind && !**c)
                    .map(|(s, _)| s)
                    .collect();
                let Some(first) = bogus.first() else {
                    continue;
                };
                let names: Vec<&str> = bogus.iter().filter_map(|s| s.name.as_deref()).collect();
                let msg = if names.len() > 1 {
                    format!("documented {what}s '{}' do not exist", names.join("', '"))
                } else {
                    format!("documented {what} '{}' does not exist", names.join(""))
                };
                self.errors.push(Error::sem(&first.info, msg));
                break;
            }
        }
    }
}
