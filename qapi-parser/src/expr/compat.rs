//! Old syntax, read in compat mode and normalised to the modern model.
//!
//! Most old forms are handled where they occur: `'type'` for `'struct'`
//! (in the definition driver), `'yes'`/`'no'` flags and anonymous unions
//! (in [`super::defs`]), `'**'` for `any` ([`super::Ctx::type_alias`]),
//! C-expression conditions ([`super::cond`]) and inline nested structs
//! ([`super::members`]). Names are not held to the case rules, and doc
//! blocks are not checked.
//!
//! This file handles the simple unions QEMU accepted until 6.1: a union
//! without discriminator, whose branches may have any type. They are
//! modelled as QEMU modelled them then: an implicit enum `NAMEKind` of the
//! branch names (with the union's condition) is the type of a tag member
//! `type`, and each branch type `T` is wrapped in an implicit struct
//! `q_obj_T-wrapper` with the one member `data: T` (shared by every union
//! using `T`). On the wire: `{"type": "branch", "data": ...}`.

use crate::ast::{
    BranchDef, DefKind, EnumDef, EnumValueDef, MemberDef, MembersOrRef, StructDef, TypeRef,
    UnionDef,
};

use super::defs::{branch_type, Fields, EMPTY};
use super::keys::get;
use super::members::type_ref;
use super::{Ctx, Res};

/// A simple union `name` (its keys already checked).
pub(super) fn simple_union(ctx: &mut Ctx<'_>, fields: &Fields, name: &str) -> Res<DefKind> {
    let data = get(fields, "data").unwrap_or(&EMPTY);
    let Some(entries) = data.as_object() else {
        return Err(ctx.err("'data' must be an object", data.span));
    };
    let mut values = Vec::with_capacity(entries.len());
    let mut branches = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let source = format!("'data' member '{}'", key.name);
        let (ty, ifcond) = branch_type(ctx, value, &source)?;
        let ty = type_ref(ctx, ty, &source)?;
        let wrapper = match &ty {
            TypeRef::Named(t) => format!("q_obj_{t}-wrapper"),
            TypeRef::Array(t) => format!("q_obj_{t}List-wrapper"),
        };
        if ctx.wrappers.insert(wrapper.clone()) {
            let member = MemberDef {
                name: "data".to_string(),
                key: "data".to_string(),
                optional: false,
                ty,
                ifcond: None,
                features: Vec::new(),
                span: value.span,
            };
            ctx.add_implicit(
                &wrapper,
                DefKind::Struct(StructDef {
                    base: None,
                    members: vec![member],
                }),
            );
        }
        values.push(EnumValueDef {
            name: key.name.clone(),
            ifcond: ifcond.clone(),
            features: Vec::new(),
            span: key.span,
        });
        branches.push(BranchDef {
            name: key.name.clone(),
            ty: TypeRef::Named(wrapper),
            ifcond,
            span: key.span,
        });
    }
    let kind_name = format!("{name}Kind");
    let i = ctx.add_implicit(
        &kind_name,
        DefKind::Enum(EnumDef {
            values,
            prefix: None,
        }),
    );
    ctx.inherit_if.push(i);
    let tag = MemberDef {
        name: "type".to_string(),
        key: "type".to_string(),
        optional: false,
        ty: TypeRef::Named(kind_name),
        ifcond: None,
        features: Vec::new(),
        span: data.span,
    };
    Ok(DefKind::Union(UnionDef {
        base: MembersOrRef::Inline(vec![tag]),
        discriminator: "type".to_string(),
        branches,
    }))
}
