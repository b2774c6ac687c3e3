//! Phase 1 of the build: create every entity, implicit ones included, in
//! QEMU's order, and catch redefinitions.

use std::sync::Arc;

use super::builder::{Builder, Raw, RawArgs, RawBranch, RawMember, State};
use super::describe_type;
use super::types::*;
use crate::ast::{
    BranchDef, DefKind, Definition, EnumValueDef, FeatureDef, Item, MemberDef, MembersOrRef,
    TypeRef,
};
use crate::diag::Error;
use crate::doc::DocBlock;
use crate::ifcond::IfCond;
use crate::source::Info;

impl Builder<'_> {
    /// The built-in types, their arrays, `q_empty` and `QType`.
    pub fn define_predefineds(&mut self) {
        for b in Builtin::ALL {
            self.add_type(
                b.name(),
                None,
                None,
                Vec::new(),
                TypeKind::Builtin(b),
                Raw::Done,
            );
            self.make_array(b.name(), None);
        }
        let empty = TypeKind::Object(ObjectType {
            base: None,
            local_members: Vec::new(),
            members: Vec::new(),
            variants: None,
        });
        let raw = Raw::Object {
            base: None,
            members: Vec::new(),
            union: None,
        };
        self.add_type("q_empty", None, None, Vec::new(), empty, raw);
        let values = [
            "none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool",
        ]
        .iter()
        .map(|n| EnumValue {
            name: n.to_string(),
            ifcond: None,
            features: Vec::new(),
        })
        .collect();
        let qtype = TypeKind::Enum(EnumType {
            values,
            prefix: None,
        });
        self.add_type("QType", None, None, Vec::new(), qtype, Raw::Done);
    }

    /// Create the entities of one top-level item.
    pub fn define_item(&mut self, item: Item) {
        match item {
            Item::Include { path, info } => {
                let module = self.make_module(&path);
                self.entities.push(Entity::Include { module, info });
            }
            Item::Definition(def) => self.define(def),
        }
    }

    fn define(&mut self, def: Definition) {
        let info = def.info.clone();
        let doc = self.doc_id(def.doc.as_ref());
        let features = self.make_features(&def.features, &info);
        let ifcond = def.ifcond.clone();
        let name = def.name;
        let synthesized = def.implicit;
        match def.kind {
            DefKind::Enum(e) => {
                let values = e
                    .values
                    .iter()
                    .map(|v| self.make_enum_value(v, &info))
                    .collect();
                let kind = TypeKind::Enum(EnumType {
                    values,
                    prefix: e.prefix,
                });
                let id = self.add_type(&name, Some(info), ifcond, features, kind, Raw::Done);
                self.set_doc(id, doc, synthesized);
            }
            DefKind::Struct(s) => {
                let members = self.make_members(&s.members, &info);
                let raw = Raw::Object {
                    base: s.base,
                    members,
                    union: None,
                };
                let id = self.add_type(&name, Some(info), ifcond, features, object(), raw);
                self.set_doc(id, doc, synthesized);
            }
            DefKind::Union(u) => {
                let base = match u.base {
                    MembersOrRef::Ref(r) => Some(r),
                    MembersOrRef::Inline(m) => {
                        let members = self.make_members(&m, &info);
                        self.make_implicit_object(&name, &info, &ifcond, "base", members)
                    }
                };
                let branches = self.make_branches(&u.branches, &info);
                let raw = Raw::Object {
                    base,
                    members: Vec::new(),
                    union: Some((u.discriminator, branches)),
                };
                if let Some(id) = self.add_type(&name, Some(info), ifcond, features, object(), raw)
                {
                    self.union_flag[id.index()] = true;
                    self.set_doc(Some(id), doc, synthesized);
                }
            }
            DefKind::Alternate(a) => {
                let branches = self.make_branches(&a.branches, &info);
                let kind = TypeKind::Alternate(AlternateType {
                    branches: Vec::new(),
                });
                let raw = Raw::Alternate(branches);
                let id = self.add_type(&name, Some(info), ifcond, features, kind, raw);
                self.set_doc(id, doc, synthesized);
            }
            DefKind::Command(c) => {
                let arg = self.make_args(&name, &info, &ifcond, c.data);
                let ret = c.returns.map(|r| self.type_ref(r, &info));
                let cmd = Command {
                    name: name.clone(),
                    info: info.clone(),
                    module: ModuleId(0),
                    ifcond,
                    features,
                    doc,
                    arg_type: None,
                    ret_type: None,
                    boxed: c.boxed,
                    gen: c.gen,
                    success_response: c.success_response,
                    allow_oob: c.allow_oob,
                    allow_preconfig: c.allow_preconfig,
                    coroutine: c.coroutine,
                };
                let ent = Entity::Command(CommandId(self.commands.len() as u32));
                if self.register(&name, &info, ent) {
                    self.commands.push(cmd);
                    self.raw_commands.push(RawArgs { arg, ret });
                }
            }
            DefKind::Event(e) => {
                let arg = self.make_args(&name, &info, &ifcond, e.data);
                let ev = Event {
                    name: name.clone(),
                    info: info.clone(),
                    module: ModuleId(0),
                    ifcond,
                    features,
                    doc,
                    arg_type: None,
                    boxed: e.boxed,
                };
                let ent = Entity::Event(EventId(self.events.len() as u32));
                if self.register(&name, &info, ent) {
                    self.events.push(ev);
                    self.raw_events.push(RawArgs { arg, ret: None });
                }
            }
        }
    }

    fn set_doc(&mut self, id: Option<TypeId>, doc: Option<DocId>, synthesized: bool) {
        if let Some(id) = id {
            let ty = &mut self.types[id.index()];
            ty.doc = doc;
            ty.synthesized = synthesized;
        }
    }

    /// The index of a definition's doc block among all blocks.
    fn doc_id(&self, doc: Option<&Arc<DocBlock>>) -> Option<DocId> {
        let doc = doc?;
        if let Some(id) = self.doc_index.get(&(Arc::as_ptr(doc) as usize)) {
            return Some(*id);
        }
        // Not the same allocation: find it by place.
        self.parsed
            .docs
            .iter()
            .position(|d| d.info.line == doc.info.line && d.info.file.path == doc.info.file.path)
            .map(|i| DocId(i as u32))
    }

    /// A command's or event's argument type name: a named type, the
    /// implicit `q_obj_NAME-arg`, or none (absent or empty inline data).
    fn make_args(
        &mut self,
        name: &str,
        info: &Info,
        ifcond: &Option<IfCond>,
        data: Option<MembersOrRef>,
    ) -> Option<String> {
        match data? {
            MembersOrRef::Ref(r) => Some(r),
            MembersOrRef::Inline(m) => {
                let members = self.make_members(&m, info);
                self.make_implicit_object(name, info, ifcond, "arg", members)
            }
        }
    }

    fn make_implicit_object(
        &mut self,
        name: &str,
        info: &Info,
        ifcond: &Option<IfCond>,
        role: &str,
        members: Vec<RawMember>,
    ) -> Option<String> {
        if members.is_empty() {
            return None;
        }
        let tname = format!("q_obj_{name}-{role}");
        if !self.names.contains_key(&tname) {
            let raw = Raw::Object {
                base: None,
                members,
                union: None,
            };
            self.add_type(
                &tname,
                Some(info.clone()),
                ifcond.clone(),
                Vec::new(),
                object(),
                raw,
            );
        }
        Some(tname)
    }

    fn make_features(&mut self, defs: &[FeatureDef], info: &Info) -> Vec<Feature> {
        defs.iter()
            .map(|f| {
                if !self.features.contains_key(&f.name) {
                    self.features.insert(f.name.clone(), Some(info.clone()));
                }
                Feature {
                    name: f.name.clone(),
                    ifcond: f.ifcond.clone(),
                }
            })
            .collect()
    }

    fn make_enum_value(&mut self, v: &EnumValueDef, info: &Info) -> EnumValue {
        EnumValue {
            name: v.name.clone(),
            ifcond: v.ifcond.clone(),
            features: self.make_features(&v.features, info),
        }
    }

    fn make_members(&mut self, defs: &[MemberDef], info: &Info) -> Vec<RawMember> {
        defs.iter()
            .map(|m| {
                let ty = self.type_ref(m.ty.clone(), info);
                RawMember {
                    name: m.name.clone(),
                    ty,
                    optional: m.optional,
                    ifcond: m.ifcond.clone(),
                    features: self.make_features(&m.features, info),
                }
            })
            .collect()
    }

    fn make_branches(&mut self, defs: &[BranchDef], info: &Info) -> Vec<RawBranch> {
        defs.iter()
            .map(|b| RawBranch {
                name: b.name.clone(),
                ty: self.type_ref(b.ty.clone(), info),
                ifcond: b.ifcond.clone(),
            })
            .collect()
    }

    /// The name a type reference resolves through, creating the array type
    /// for `['T']`.
    fn type_ref(&mut self, r: TypeRef, info: &Info) -> String {
        match r {
            TypeRef::Named(n) => n,
            TypeRef::Array(elem) => self.make_array(&elem, Some(info.clone())),
        }
    }

    /// The array type of `elem`, created when new.
    pub fn make_array(&mut self, elem: &str, info: Option<Info>) -> String {
        let name = format!("{elem}List");
        if !matches!(self.names.get(&name), Some(Entity::Type(_))) {
            let kind = TypeKind::Array { element: TypeId(0) };
            self.add_type(
                &name,
                info,
                None,
                Vec::new(),
                kind,
                Raw::Array(elem.to_string()),
            );
        }
        name
    }

    /// Add a type and its entity, unless its name is taken.
    pub fn add_type(
        &mut self,
        name: &str,
        info: Option<Info>,
        ifcond: Option<IfCond>,
        features: Vec<Feature>,
        kind: TypeKind,
        raw: Raw,
    ) -> Option<TypeId> {
        let id = TypeId(self.types.len() as u32);
        let ok = match &info {
            Some(i) => self.register(name, i, Entity::Type(id)),
            None => {
                self.names.insert(name.to_string(), Entity::Type(id));
                self.entities.push(Entity::Type(id));
                true
            }
        };
        if !ok {
            return None;
        }
        self.types.push(Type {
            name: name.to_string(),
            info,
            module: ModuleId(0),
            ifcond,
            features,
            doc: None,
            synthesized: false,
            kind,
        });
        self.raw.push(raw);
        self.state.push(State::Todo);
        self.union_flag.push(false);
        Some(id)
    }

    /// Claim `name` for `ent` and append it to the entity list; on a
    /// redefinition record QEMU's error and return false.
    fn register(&mut self, name: &str, info: &Info, ent: Entity) -> bool {
        if let Some(other) = self.names.get(name) {
            let err = match self.entity_info(other) {
                Some(prev) => Error::sem(info, format!("'{name}' is already defined"))
                    .with_note(Error::sem(&prev, "previous definition")),
                None => {
                    let what = match other {
                        Entity::Type(id) => describe_type(&self.types[id.index()]),
                        _ => format!("'{name}'"),
                    };
                    Error::sem(info, format!("{what} is already defined"))
                }
            };
            self.errors.push(err);
            return false;
        }
        self.names.insert(name.to_string(), ent.clone());
        self.entities.push(ent);
        true
    }

    fn entity_info(&self, ent: &Entity) -> Option<Info> {
        match ent {
            Entity::Include { info, .. } => Some(info.clone()),
            Entity::Type(id) => self.types.get(id.index()).and_then(|t| t.info.clone()),
            Entity::Command(id) => self.commands.get(id.index()).map(|c| c.info.clone()),
            Entity::Event(id) => self.events.get(id.index()).map(|e| e.info.clone()),
        }
    }
}

/// An object type waiting for its check to fill it in.
fn object() -> TypeKind {
    TypeKind::Object(ObjectType {
        base: None,
        local_members: Vec::new(),
        members: Vec::new(),
        variants: None,
    })
}
