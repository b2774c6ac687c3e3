//! Phase 2 of the build: resolve and check each entity, in QEMU's order.

use crate::hash::{HashMap, HashSet};

use super::builder::{Builder, Raw, RawBranch, State};
use super::names::{c_name, Named};
use super::types::*;
use crate::diag::Error;
use crate::source::Info;

/// How deep base chains and nested union branches may go before the
/// builder gives up (QEMU has no limit; this keeps the stack bounded).
const MAX_DEPTH: usize = 200;

/// Names met so far, by C name, for clash checks.
#[derive(Debug, Clone, Default)]
struct Seen(HashMap<String, Named>);

impl Seen {
    /// QEMU's `check_clash`: `X collides with Y`.
    fn add(&mut self, info: Option<&Info>, named: Named) -> Result<(), Error> {
        let cname = c_name(&named.name);
        if let Some(prev) = self.0.get(&cname) {
            return Err(sem(
                info,
                format!(
                    "{} collides with {}",
                    named.describe(info),
                    prev.describe(info)
                ),
            ));
        }
        self.0.insert(cname, named);
        Ok(())
    }
}

/// A located error, or a bare one for the (never failing) built-ins.
fn sem(info: Option<&Info>, msg: String) -> Error {
    match info {
        Some(i) => Error::sem(i, msg),
        None => Error::bare(msg),
    }
}

impl Builder<'_> {
    /// QEMU's description of type `id` in messages.
    pub(super) fn describe(&self, id: TypeId) -> String {
        let ty = &self.types[id.index()];
        match &ty.kind {
            TypeKind::Object(_) if self.union_flag[id.index()] => {
                format!("union type '{}'", ty.name)
            }
            _ => super::describe_type(ty),
        }
    }

    fn is_object(&self, id: TypeId) -> bool {
        matches!(self.types[id.index()].kind, TypeKind::Object(_))
    }

    /// QEMU's `resolve_type`: `WHAT uses unknown type 'NAME'`.
    fn resolve(&self, name: &str, info: Option<&Info>, what: &str) -> Result<TypeId, Error> {
        self.resolve_with(name, info, || what.to_string())
    }

    /// [`Self::resolve`], describing the user only when needed.
    fn resolve_with(
        &self,
        name: &str,
        info: Option<&Info>,
        what: impl FnOnce() -> String,
    ) -> Result<TypeId, Error> {
        match self.names.get(name) {
            Some(Entity::Type(id)) => Ok(*id),
            _ => Err(sem(info, format!("{} uses unknown type '{name}'", what()))),
        }
    }

    pub(super) fn check_entity(&mut self, ent: &Entity) -> Result<(), Error> {
        match ent {
            Entity::Include { .. } => Ok(()),
            Entity::Type(id) => self.check_type(*id),
            Entity::Command(id) => self.check_command(*id),
            Entity::Event(id) => self.check_event(*id),
        }
    }

    fn check_type(&mut self, id: TypeId) -> Result<(), Error> {
        match &self.raw[id.index()] {
            Raw::Object { .. } => self.check_object(id, 0),
            Raw::Array(_) => self.check_array(id),
            Raw::Alternate(_) => self.check_alternate(id),
            Raw::Done => {
                self.check_type_features(id)?;
                self.check_enum(id)
            }
        }
    }

    /// Feature clashes of a definition.
    fn check_features(info: Option<&Info>, owner: &str, features: &[Feature]) -> Result<(), Error> {
        let mut seen = Seen::default();
        for f in features {
            seen.add(info, Named::new("feature", &f.name, owner))?;
        }
        Ok(())
    }

    /// Feature clashes, and no special features on types.
    fn check_type_features(&self, id: TypeId) -> Result<(), Error> {
        let ty = &self.types[id.index()];
        Self::check_features(ty.info.as_ref(), &ty.name, &ty.features)?;
        if let Some(f) = ty.features.iter().find(|f| f.is_special()) {
            return Err(sem(
                ty.info.as_ref(),
                format!("feature '{}' is not supported for types", f.name),
            ));
        }
        Ok(())
    }

    fn check_enum(&self, id: TypeId) -> Result<(), Error> {
        let ty = &self.types[id.index()];
        if let TypeKind::Enum(e) = &ty.kind {
            let mut seen = Seen::default();
            for v in &e.values {
                seen.add(ty.info.as_ref(), Named::new("value", &v.name, &ty.name))?;
            }
        }
        Ok(())
    }

    fn check_array(&mut self, id: TypeId) -> Result<(), Error> {
        self.check_type_features(id)?;
        let Raw::Array(elem) = std::mem::take(&mut self.raw[id.index()]) else {
            return Ok(());
        };
        let info = self.types[id.index()].info.clone();
        let what = info
            .as_ref()
            .and_then(|i| i.defn.as_ref())
            .map(|d| d.meta)
            .unwrap_or("array");
        let element = self.resolve(&elem, info.as_ref(), what)?;
        if self.types[element.index()].element().is_some() {
            return Err(sem(
                info.as_ref(),
                format!("{what} uses array type '{elem}' as array element"),
            ));
        }
        let ifcond = self.types[element.index()].ifcond.clone();
        let ty = &mut self.types[id.index()];
        ty.kind = TypeKind::Array { element };
        ty.ifcond = ifcond;
        Ok(())
    }

    /// Check an object type once; a type met again while its own check runs
    /// contains itself.
    pub(super) fn check_object(&mut self, id: TypeId, depth: usize) -> Result<(), Error> {
        match self.state[id.index()] {
            State::Done => return Ok(()),
            State::Running => {
                let ty = &self.types[id.index()];
                return Err(sem(
                    ty.info.as_ref(),
                    format!("object {} contains itself", ty.name),
                ));
            }
            State::Todo => {}
        }
        if depth > MAX_DEPTH {
            let ty = &self.types[id.index()];
            return Err(sem(
                ty.info.as_ref(),
                format!("object {} nests types too deeply", ty.name),
            ));
        }
        self.state[id.index()] = State::Running;
        let result = self.check_object_inner(id, depth);
        self.state[id.index()] = State::Done;
        result
    }

    fn check_object_inner(&mut self, id: TypeId, depth: usize) -> Result<(), Error> {
        self.check_type_features(id)?;
        let Raw::Object {
            base,
            members: raw_members,
            union,
        } = std::mem::take(&mut self.raw[id.index()])
        else {
            return Ok(());
        };
        let info = self.types[id.index()].info.clone();
        let info = info.as_ref();
        // Sized for the local members (a base adds its own below).
        let n = raw_members.len();
        let mut index: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(n, Default::default());
        let mut members: Vec<Member> = Vec::with_capacity(n);

        let mut base_id = None;
        if let Some(base_name) = base {
            let b = self.resolve(&base_name, info, "'base'")?;
            if !self.is_object(b) || self.union_flag[b.index()] {
                return Err(sem(
                    info,
                    format!("'base' requires a struct type, {} isn't", self.describe(b)),
                ));
            }
            self.check_object(b, depth + 1)?;
            if let Some(o) = self.types[b.index()].as_object() {
                index.reserve(o.members.len());
                members.reserve(o.members.len());
                for m in &o.members {
                    self.add_member(info, &mut index, &mut members, m.clone())?;
                }
            }
            base_id = Some(b);
        }

        let mut local = Vec::with_capacity(n);
        for m in raw_members {
            let ty = self.resolve_with(&m.ty, info, || {
                Named::new("member", &m.name, &self.types[id.index()].name).describe(info)
            })?;
            Self::check_features(info, &m.name, &m.features)?;
            let member = Member {
                name: m.name,
                ty,
                optional: m.optional,
                ifcond: m.ifcond,
                features: m.features,
                owner: id,
            };
            self.add_member(info, &mut index, &mut members, member.clone())?;
            local.push(member);
        }

        let variants = match union {
            Some((tag, branches)) => {
                Some(self.check_branches(info, &members, &index, &tag, branches, depth)?)
            }
            None => None,
        };
        if let Some(v) = &variants {
            let pool: Vec<&Member> = members.iter().collect();
            self.check_branch_clash(info, &index, &pool, &v.branches, depth)?;
        }
        if let TypeKind::Object(o) = &mut self.types[id.index()].kind {
            o.base = base_id;
            o.local_members = local;
            o.members = members;
            o.variants = variants;
        }
        Ok(())
    }

    /// QEMU's `member 'a' collides with member 'b' of type 'T'`.
    fn member_clash(&self, info: Option<&Info>, new: &Member, old: &Member) -> Error {
        let describe = |m: &Member| {
            Named::new("member", &m.name, &self.types[m.owner.index()].name).describe(info)
        };
        sem(
            info,
            format!("{} collides with {}", describe(new), describe(old)),
        )
    }

    /// Append `m` to `members` unless its C name is taken.
    fn add_member(
        &self,
        info: Option<&Info>,
        index: &mut HashMap<String, usize>,
        members: &mut Vec<Member>,
        m: Member,
    ) -> Result<(), Error> {
        let cname = c_name(&m.name);
        if let Some(&i) = index.get(&cname) {
            return Err(self.member_clash(info, &m, &members[i]));
        }
        index.insert(cname, members.len());
        members.push(m);
        Ok(())
    }

    /// A union's discriminator and branches (QEMU's `Branches.check`).
    fn check_branches(
        &mut self,
        info: Option<&Info>,
        members: &[Member],
        index: &HashMap<String, usize>,
        tag_name: &str,
        raw: Vec<RawBranch>,
        depth: usize,
    ) -> Result<Variants, Error> {
        let tag = index
            .get(&c_name(tag_name))
            .and_then(|&i| members.get(i))
            .filter(|t| t.name == tag_name)
            .cloned()
            .ok_or_else(|| {
                sem(
                    info,
                    format!("discriminator '{tag_name}' is not a member of 'base'"),
                )
            })?;
        let owner = &self.types[tag.owner.index()];
        let base = if owner.is_implicit() {
            "'base'".to_string()
        } else {
            format!("base type '{}'", owner.name)
        };
        let Some(tag_enum) = self.types[tag.ty.index()].as_enum().cloned() else {
            return Err(sem(
                info,
                format!("discriminator member '{tag_name}' of {base} must be of enum type"),
            ));
        };
        if tag.optional {
            return Err(sem(
                info,
                format!("discriminator member '{tag_name}' of {base} must not be optional"),
            ));
        }
        if tag.ifcond.is_some() {
            return Err(sem(
                info,
                format!("discriminator member '{tag_name}' of {base} must not be conditional"),
            ));
        }
        let union_name = info
            .and_then(|i| i.defn.as_ref())
            .map(|d| d.name.clone())
            .unwrap_or_default();
        let tag_owner = owner.name.clone();
        let cases: HashSet<&str> = raw.iter().map(|b| b.name.as_str()).collect();
        let mut all: Vec<(RawBranch, bool)> = Vec::new();
        let implicit: Vec<RawBranch> = tag_enum
            .values
            .iter()
            .filter(|v| !cases.contains(v.name.as_str()))
            .map(|v| RawBranch {
                name: v.name.clone(),
                ty: "q_empty".to_string(),
                ifcond: v.ifcond.clone(),
            })
            .collect();
        all.extend(raw.into_iter().map(|b| (b, false)));
        all.extend(implicit.into_iter().map(|b| (b, true)));
        if all.is_empty() {
            return Err(sem(info, "union has no branches".to_string()));
        }
        let enum_desc = self.describe(tag.ty);
        let mut branches = Vec::new();
        for (b, implicit) in all {
            let owner = if implicit { &tag_owner } else { &union_name };
            let me = Named::new("branch", &b.name, owner);
            let ty = self.resolve_with(&b.ty, info, || me.describe(info))?;
            if !tag_enum.values.iter().any(|v| v.name == b.name) {
                return Err(sem(
                    info,
                    format!("branch '{}' is not a value of {enum_desc}", b.name),
                ));
            }
            if !self.is_object(ty) {
                return Err(sem(
                    info,
                    format!("{} cannot use {}", me.describe(info), self.describe(ty)),
                ));
            }
            self.check_object(ty, depth + 1)?;
            branches.push(Branch {
                name: b.name,
                ty,
                ifcond: b.ifcond,
                implicit,
            });
        }
        Ok(Variants { tag, branches })
    }

    /// Each branch's members must not clash with the common members
    /// (`index` maps C names to positions in `pool`).
    fn check_branch_clash(
        &self,
        info: Option<&Info>,
        index: &HashMap<String, usize>,
        pool: &[&Member],
        branches: &[Branch],
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        for b in branches {
            let Some(o) = self.types[b.ty.index()].as_object() else {
                continue;
            };
            // A branch's own members are clash-free: its check saw to that.
            for m in &o.members {
                if let Some(&i) = index.get(&c_name(&m.name)) {
                    if let Some(old) = pool.get(i) {
                        return Err(self.member_clash(info, m, old));
                    }
                }
            }
            if let Some(v) = &o.variants {
                let mut index = index.clone();
                let mut pool = pool.to_vec();
                for m in &o.members {
                    index.insert(c_name(&m.name), pool.len());
                    pool.push(m);
                }
                self.check_branch_clash(info, &index, &pool, &v.branches, depth + 1)?;
            }
        }
        Ok(())
    }

    fn check_alternate(&mut self, id: TypeId) -> Result<(), Error> {
        self.check_type_features(id)?;
        let Raw::Alternate(raw) = std::mem::take(&mut self.raw[id.index()]) else {
            return Ok(());
        };
        let info = self.types[id.index()].info.clone();
        let info = info.as_ref();
        let name = self.types[id.index()].name.clone();
        let mut resolved = Vec::new();
        for b in raw {
            let me = Named::new("branch", &b.name, &name);
            let ty = self.resolve_with(&b.ty, info, || me.describe(info))?;
            resolved.push((b, ty, me));
        }
        let mut seen = Seen::default();
        let mut kinds_seen: HashMap<&'static str, String> = HashMap::default();
        let mut branches = Vec::new();
        for (b, ty, me) in resolved {
            seen.add(info, me.clone())?;
            let json = self.types[ty.index()].json_type();
            let Some(qtype) = json.qtype() else {
                return Err(sem(
                    info,
                    format!("{} cannot use {}", me.describe(info), self.describe(ty)),
                ));
            };
            let mut conflicting = vec![qtype];
            if qtype == "qstring" {
                match self.types[ty.index()].as_enum() {
                    Some(e) => {
                        if e.values.iter().any(|v| v.name == "on" || v.name == "off") {
                            conflicting.push("qbool");
                        }
                        let numeric = |s: &str| {
                            s.starts_with(|c: char| c.is_ascii_digit() || "-+.".contains(c))
                        };
                        if e.values.iter().any(|v| numeric(&v.name)) {
                            conflicting.push("qnum");
                        }
                    }
                    None => conflicting.extend(["qnum", "qbool"]),
                }
            }
            for qt in conflicting {
                if let Some(prev) = kinds_seen.get(qt) {
                    return Err(sem(
                        info,
                        format!("{} can't be distinguished from '{prev}'", me.describe(info)),
                    ));
                }
                kinds_seen.insert(qt, b.name.clone());
            }
            branches.push(AltBranch {
                name: b.name,
                ty,
                ifcond: b.ifcond,
                json,
            });
        }
        self.types[id.index()].kind = TypeKind::Alternate(AlternateType { branches });
        Ok(())
    }

    /// A command's or event's `'data'` (QEMU's checks, with `meta` being
    /// `command` or `event`).
    fn check_args(
        &mut self,
        info: &Info,
        meta: &str,
        arg: Option<&str>,
        boxed: bool,
    ) -> Result<Option<TypeId>, Error> {
        let Some(arg) = arg else {
            return Ok(None);
        };
        let what = format!("{meta}'s 'data'");
        let id = self.resolve(arg, Some(info), &what)?;
        if !self.is_object(id) {
            return Err(Error::sem(
                info,
                format!("{what} cannot take {}", self.describe(id)),
            ));
        }
        if self.union_flag[id.index()] && !boxed {
            return Err(Error::sem(
                info,
                format!(
                    "{what} can take {} only with 'boxed': true",
                    self.describe(id)
                ),
            ));
        }
        self.check_object(id, 0)?;
        let conditional = self.types[id.index()]
            .as_object()
            .is_some_and(ObjectType::has_conditional_members);
        if conditional && !boxed {
            return Err(Error::sem(
                info,
                format!("conditional {meta} arguments require 'boxed': true"),
            ));
        }
        Ok(Some(id))
    }

    fn check_command(&mut self, id: CommandId) -> Result<(), Error> {
        let cmd = &self.commands[id.index()];
        let info = cmd.info.clone();
        let (name, boxed) = (cmd.name.clone(), cmd.boxed);
        Self::check_features(Some(&info), &name, &cmd.features)?;
        let raw = std::mem::take(&mut self.raw_commands[id.index()]);
        let arg = self.check_args(&info, "command", raw.arg.as_deref(), boxed)?;
        self.commands[id.index()].arg_type = arg;
        if let Some(ret) = raw.ret {
            let what = "command's 'returns'";
            let rid = self.resolve(&ret, Some(&info), what)?;
            self.commands[id.index()].ret_type = Some(rid);
            // Schemas before QEMU 2.4 returned anything.
            let exempt = self.opts.compat || self.pragma.command_returns_exceptions.contains(&name);
            if !exempt {
                let target = self.types[rid.index()].element().unwrap_or(rid);
                if !self.is_object(target) {
                    return Err(Error::sem(
                        &info,
                        format!("{what} cannot take {}", self.describe(rid)),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_event(&mut self, id: EventId) -> Result<(), Error> {
        let ev = &self.events[id.index()];
        let info = ev.info.clone();
        let boxed = ev.boxed;
        Self::check_features(Some(&info), &ev.name, &ev.features)?;
        let raw = std::mem::take(&mut self.raw_events[id.index()]);
        let arg = self.check_args(&info, "event", raw.arg.as_deref(), boxed)?;
        self.events[id.index()].arg_type = arg;
        Ok(())
    }
}
