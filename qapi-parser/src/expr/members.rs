//! Type references, member lists and feature lists.

use crate::ast::{DefKind, FeatureDef, MemberDef, MembersOrRef, StructDef, TypeRef};
use crate::syntax::{Key, Value, ValueKind};

use super::keys::{check_keys, get};
use super::names::{check_lower, is_reserved_member};
use super::{Ctx, Res};

/// How deeply old inline nested structs may nest (compat mode only).
const MAX_NESTING: usize = 32;

/// A type name, where arrays are not allowed.
pub(super) fn type_name(ctx: &Ctx<'_>, value: &Value, source: &str) -> Res<String> {
    match value.as_str() {
        Some(name) => Ok(ctx.type_alias(name)),
        None => Err(ctx.err(format!("{source} should be a type name"), value.span)),
    }
}

/// `'Name'` or `['Name']`.
pub(super) fn type_ref(ctx: &Ctx<'_>, value: &Value, source: &str) -> Res<TypeRef> {
    match &value.kind {
        ValueKind::Str(name) => Ok(TypeRef::Named(ctx.type_alias(name))),
        ValueKind::Array(items) => match items.as_slice() {
            [Value {
                kind: ValueKind::Str(name),
                ..
            }] => Ok(TypeRef::Array(ctx.type_alias(name))),
            _ => Err(ctx.err(
                format!("{source}: array type must contain single type name"),
                value.span,
            )),
        },
        _ => Err(ctx.err(
            format!("{source} should be a type name or array"),
            value.span,
        )),
    }
}

/// Where a member list belongs, for the naming exceptions and for naming
/// old inline nested structs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Owner<'a> {
    /// The type the members belong to, for naming old nested structs
    /// (for a nested struct: its owner's name and its member's).
    pub name: &'a str,
    /// Whether pragma `member-name-exceptions` lists it.
    pub permissive: bool,
}

/// A type name or inline members.
pub(super) fn type_name_or_members(
    ctx: &mut Ctx<'_>,
    value: &Value,
    source: &str,
    owner: Owner<'_>,
) -> Res<MembersOrRef> {
    match value.as_str() {
        Some(name) => Ok(MembersOrRef::Ref(ctx.type_alias(name))),
        None => Ok(MembersOrRef::Inline(members(ctx, value, source, owner)?)),
    }
}

/// Inline members: `{ 'name': TYPE, '*opt': TYPE, 'n': { 'type': ... } }`.
pub(super) fn members(
    ctx: &mut Ctx<'_>,
    value: &Value,
    source: &str,
    owner: Owner<'_>,
) -> Res<Vec<MemberDef>> {
    members_at(ctx, value, source, owner, 0)
}

fn members_at(
    ctx: &mut Ctx<'_>,
    value: &Value,
    source: &str,
    owner: Owner<'_>,
    depth: usize,
) -> Res<Vec<MemberDef>> {
    let Some(entries) = value.as_object() else {
        return Err(ctx.err(
            format!("{source} should be an object or type name"),
            value.span,
        ));
    };
    entries
        .iter()
        .map(|(key, arg)| member(ctx, key, arg, source, owner, depth))
        .collect()
}

fn member(
    ctx: &mut Ctx<'_>,
    key: &Key,
    arg: &Value,
    source: &str,
    owner: Owner<'_>,
    depth: usize,
) -> Res<MemberDef> {
    // Only errors need the description: built on demand.
    let key_source = || format!("{source} member '{}'", key.name);
    let (name, optional) = match key.name.strip_prefix('*') {
        Some(name) => (name, true),
        None => (key.name.as_str(), false),
    };
    if !ctx.compat {
        check_lower(name, owner.permissive, owner.permissive)
            .map_err(|e| ctx.err(e.message(&key_source()), key.span))?;
        if is_reserved_member(name) {
            let msg = format!("{} uses reserved name", key_source());
            return Err(ctx.err(msg, key.span));
        }
    }
    let mut def = MemberDef {
        name: name.to_string(),
        key: key.name.clone(),
        optional,
        ty: TypeRef::Named(String::new()),
        ifcond: None,
        features: Vec::new(),
        span: key.span,
    };
    let Some(fields) = arg.as_object() else {
        // Shorthand: the value is the type.
        def.ty = match arg.as_str() {
            Some(ty) => TypeRef::Named(ctx.type_alias(ty)),
            None => type_ref(ctx, arg, &key_source())?,
        };
        return Ok(def);
    };
    let key_source = key_source();
    if ctx.compat && !is_longhand(fields) {
        def.ty = TypeRef::Named(nested_struct(ctx, arg, &key_source, owner, name, depth)?);
        return Ok(def);
    }
    check_keys(fields, &key_source, &["type"], &["if", "features"])
        .map_err(|m| ctx.err(m, arg.span))?;
    def.ifcond = ctx.ifcond(get(fields, "if"), &key_source)?;
    def.features = features(ctx, get(fields, "features"))?;
    if let Some(ty) = get(fields, "type") {
        def.ty = type_ref(ctx, ty, &key_source)?;
    }
    Ok(def)
}

/// Whether an object member value is the longhand form rather than an old
/// (QEMU ≤ 2.3) inline nested struct.
fn is_longhand(fields: &[(Key, Value)]) -> bool {
    matches!(
        get(fields, "type").map(|v| &v.kind),
        Some(ValueKind::Str(_) | ValueKind::Array(_))
    ) && fields
        .iter()
        .all(|(k, _)| matches!(k.name.as_str(), "type" | "if" | "features"))
}

/// An old inline nested struct, turned into an implicit struct named
/// `q_obj_OWNER-MEMBER-nested` (`q_obj_OWNER-MEMBER-INNER-nested` for one
/// nested in that); returns that name.
fn nested_struct(
    ctx: &mut Ctx<'_>,
    value: &Value,
    source: &str,
    owner: Owner<'_>,
    member: &str,
    depth: usize,
) -> Res<String> {
    if depth >= MAX_NESTING {
        return Err(ctx.err(format!("{source} is nested too deeply"), value.span));
    }
    let path = format!("{}-{member}", owner.name);
    let name = format!("q_obj_{path}-nested");
    let inner = Owner {
        name: &path,
        permissive: owner.permissive,
    };
    let members = members_at(ctx, value, source, inner, depth + 1)?;
    ctx.add_implicit(
        &name,
        DefKind::Struct(StructDef {
            base: None,
            members,
        }),
    );
    Ok(name)
}

/// A feature list: `[ 'name', { 'name': ..., 'if': ... } ]`.
pub(super) fn features(ctx: &Ctx<'_>, value: Option<&Value>) -> Res<Vec<FeatureDef>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(items) = value.as_array() else {
        return Err(ctx.err("'features' must be an array", value.span));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let source = "'features' member";
        let (name, ifcond) = match item.as_object() {
            Some(fields) => {
                check_keys(fields, source, &["name"], &["if"])
                    .map_err(|m| ctx.err(m, item.span))?;
                (get(fields, "name"), get(fields, "if"))
            }
            None => (Some(item), None),
        };
        let name = name
            .and_then(Value::as_str)
            .ok_or_else(|| ctx.err(format!("{source} requires a string name"), item.span))?;
        let source = format!("{source} '{name}'");
        if !ctx.compat {
            check_lower(name, false, false).map_err(|e| ctx.err(e.message(&source), item.span))?;
        }
        out.push(FeatureDef {
            name: name.to_string(),
            ifcond: ctx.ifcond(ifcond, &source)?,
            span: item.span,
        });
    }
    Ok(out)
}
