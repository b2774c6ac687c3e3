//! The shape of each kind of definition, and the command/event flags.

use crate::ast::{
    AlternateDef, BranchDef, CommandDef, DefKind, EnumDef, EnumValueDef, EventDef, MembersOrRef,
    StructDef, TypeRef, UnionDef,
};
use crate::ifcond::IfCond;
use crate::syntax::{Key, Value, ValueKind};

use super::keys::{check_keys, get, truthy};
use super::members::{self, type_name, type_name_or_members, type_ref, Owner};
use super::names::{check_enum_value, check_lower};
use super::{compat, Ctx, Res};

/// An object's members.
pub(super) type Fields = [(Key, Value)];

/// Check the keys and shape of definition `name` of kind `meta` (its name
/// under key `name_key`).
pub(super) fn check(
    ctx: &mut Ctx<'_>,
    fields: &Fields,
    name_key: &str,
    meta: &str,
    name: &str,
) -> Res<DefKind> {
    let keys = |ctx: &Ctx<'_>, required: &[&str], optional: &[&str]| {
        check_keys(fields, meta, required, optional).map_err(|m| ctx.err_here(m))
    };
    match meta {
        "enum" => {
            keys(ctx, &["enum", "data"], &["if", "features", "prefix"])?;
            enumeration(ctx, fields, name)
        }
        "struct" => {
            keys(ctx, &[name_key, "data"], &["base", "if", "features"])?;
            structure(ctx, fields, name)
        }
        "union" if ctx.compat && get(fields, "discriminator").is_none() => {
            keys(ctx, &["union", "data"], &["if", "features"])?;
            compat::simple_union(ctx, fields, name)
        }
        "union" if ctx.compat && is_anonymous_union(fields) => {
            keys(
                ctx,
                &["union", "data", "discriminator"],
                &["if", "features"],
            )?;
            alternate(ctx, fields)
        }
        "union" => {
            keys(
                ctx,
                &["union", "base", "discriminator", "data"],
                &["if", "features"],
            )?;
            union(ctx, fields, name)
        }
        "alternate" => {
            keys(ctx, &["alternate", "data"], &["if", "features"])?;
            alternate(ctx, fields)
        }
        "command" => {
            keys(
                ctx,
                &["command"],
                &[
                    "data",
                    "returns",
                    "boxed",
                    "if",
                    "features",
                    "gen",
                    "success-response",
                    "allow-oob",
                    "allow-preconfig",
                    "coroutine",
                ],
            )?;
            let (data, boxed) = arguments(ctx, fields, name)?;
            let returns = get(fields, "returns")
                .map(|r| type_ref(ctx, r, "'returns'"))
                .transpose()?;
            Ok(DefKind::Command(CommandDef {
                data,
                returns,
                boxed,
                gen: true,
                success_response: true,
                allow_oob: false,
                allow_preconfig: false,
                coroutine: false,
            }))
        }
        _ => {
            keys(ctx, &["event"], &["data", "boxed", "if", "features"])?;
            let (data, boxed) = arguments(ctx, fields, name)?;
            Ok(DefKind::Event(EventDef { data, boxed }))
        }
    }
}

/// An old anonymous union: `'discriminator': {}` and no base.
fn is_anonymous_union(fields: &Fields) -> bool {
    get(fields, "base").is_none()
        && get(fields, "discriminator")
            .and_then(Value::as_object)
            .is_some_and(<[_]>::is_empty)
}

fn permissive(ctx: &Ctx<'_>, name: &str) -> bool {
    ctx.pragma.member_name_exceptions.iter().any(|n| n == name)
}

fn enumeration(ctx: &mut Ctx<'_>, fields: &Fields, name: &str) -> Res<DefKind> {
    let data = get(fields, "data").unwrap_or(&EMPTY);
    let Some(items) = data.as_array() else {
        return Err(ctx.err("'data' must be an array", data.span));
    };
    let prefix = match get(fields, "prefix") {
        None => None,
        Some(p) => Some(
            p.as_str()
                .ok_or_else(|| ctx.err("'prefix' must be a string", p.span))?
                .to_string(),
        ),
    };
    let permissive = permissive(ctx, name);
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        let source = "'data' member";
        let (value_name, ifcond, features) = match item.as_object() {
            Some(f) => {
                check_keys(f, source, &["name"], &["if", "features"])
                    .map_err(|m| ctx.err(m, item.span))?;
                (get(f, "name"), get(f, "if"), get(f, "features"))
            }
            None => (Some(item), None, None),
        };
        let value_name = value_name
            .and_then(Value::as_str)
            .ok_or_else(|| ctx.err(format!("{source} requires a string name"), item.span))?;
        let source = format!("{source} '{value_name}'");
        if !ctx.compat {
            check_enum_value(value_name, permissive)
                .map_err(|e| ctx.err(e.message(&source), item.span))?;
        }
        values.push(EnumValueDef {
            name: value_name.to_string(),
            ifcond: ctx.ifcond(ifcond, &source)?,
            features: members::features(ctx, features)?,
            span: item.span,
        });
    }
    Ok(DefKind::Enum(EnumDef { values, prefix }))
}

/// Stands in for a key that the key-set check guarantees.
pub(super) static EMPTY: Value = Value {
    kind: ValueKind::Array(Vec::new()),
    span: crate::source::Span {
        start: 0,
        end: 0,
        line: 0,
        col: 0,
    },
};

fn structure(ctx: &mut Ctx<'_>, fields: &Fields, name: &str) -> Res<DefKind> {
    let data = get(fields, "data").unwrap_or(&EMPTY);
    let owner = Owner {
        name,
        permissive: permissive(ctx, name),
    };
    let members = members::members(ctx, data, "'data'", owner)?;
    let base = get(fields, "base")
        .map(|b| type_name(ctx, b, "'base'"))
        .transpose()?;
    Ok(DefKind::Struct(StructDef { base, members }))
}

fn union(ctx: &mut Ctx<'_>, fields: &Fields, name: &str) -> Res<DefKind> {
    let owner = Owner {
        name,
        permissive: permissive(ctx, name),
    };
    let base = get(fields, "base").unwrap_or(&EMPTY);
    let base = type_name_or_members(ctx, base, "'base'", owner)?;
    let disc = get(fields, "discriminator").unwrap_or(&EMPTY);
    let discriminator = disc
        .as_str()
        .ok_or_else(|| ctx.err("'discriminator' requires a string name", disc.span))?
        .to_string();
    let data = get(fields, "data").unwrap_or(&EMPTY);
    let Some(entries) = data.as_object() else {
        return Err(ctx.err("'data' must be an object", data.span));
    };
    let mut branches = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let source = format!("'data' member '{}'", key.name);
        let (ty, ifcond) = branch_type(ctx, value, &source)?;
        let ty = TypeRef::Named(type_name(ctx, ty, &source)?);
        branches.push(BranchDef {
            name: key.name.clone(),
            ty,
            ifcond,
            span: key.span,
        });
    }
    Ok(DefKind::Union(UnionDef {
        base,
        discriminator,
        branches,
    }))
}

/// A branch value, shorthand `TYPE` or longhand `{ 'type': TYPE, 'if':
/// COND }`: its type value (checked by the caller) and condition.
pub(super) fn branch_type<'v>(
    ctx: &Ctx<'_>,
    value: &'v Value,
    source: &str,
) -> Res<(&'v Value, Option<IfCond>)> {
    match value.as_object() {
        Some(f) => {
            check_keys(f, source, &["type"], &["if"]).map_err(|m| ctx.err(m, value.span))?;
            let ifcond = ctx.ifcond(get(f, "if"), source)?;
            Ok((get(f, "type").unwrap_or(&EMPTY), ifcond))
        }
        None => Ok((value, None)),
    }
}

pub(super) fn alternate(ctx: &mut Ctx<'_>, fields: &Fields) -> Res<DefKind> {
    let data = get(fields, "data").unwrap_or(&EMPTY);
    if !truthy(data) {
        return Err(ctx.err("'data' must not be empty", data.span));
    }
    let Some(entries) = data.as_object() else {
        return Err(ctx.err("'data' must be an object", data.span));
    };
    let mut branches = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let source = format!("'data' member '{}'", key.name);
        if !ctx.compat {
            check_lower(&key.name, false, false)
                .map_err(|e| ctx.err(e.message(&source), key.span))?;
        }
        let (ty, ifcond) = branch_type(ctx, value, &source)?;
        let ty = type_ref(ctx, ty, &source)?;
        branches.push(BranchDef {
            name: key.name.clone(),
            ty,
            ifcond,
            span: key.span,
        });
    }
    Ok(DefKind::Alternate(AlternateDef { branches }))
}

/// A command's or event's `data` and whether it is boxed.
fn arguments(ctx: &mut Ctx<'_>, fields: &Fields, name: &str) -> Res<(Option<MembersOrRef>, bool)> {
    let data = get(fields, "data");
    let boxed = get(fields, "boxed").is_some_and(|b| flag_value(ctx, b).unwrap_or(true));
    if boxed {
        let Some(data) = data else {
            return Err(ctx.err_here("'boxed': true requires 'data'"));
        };
        return Ok((
            Some(MembersOrRef::Ref(type_name(ctx, data, "'data'")?)),
            true,
        ));
    }
    // Argument names get no exception from `member-name-exceptions`.
    let owner = Owner {
        name,
        permissive: false,
    };
    let data = data
        .map(|d| type_name_or_members(ctx, d, "'data'", owner))
        .transpose()?;
    Ok((data, false))
}

/// A flag's value: a boolean, or in compat mode also `'yes'` / `'no'`.
/// Strictly any other value counts as "true" for deciding the shape, as
/// in QEMU (the flag check then rejects it).
fn flag_value(ctx: &Ctx<'_>, value: &Value) -> Option<bool> {
    match &value.kind {
        ValueKind::Bool(b) => Some(*b),
        ValueKind::Str(s) if ctx.compat && s == "yes" => Some(true),
        ValueKind::Str(s) if ctx.compat && s == "no" => Some(false),
        _ if ctx.compat => None,
        _ => Some(truthy(value)),
    }
}

/// Check the flags of a command or event and record them in `kind`.
pub(super) fn flags(ctx: &Ctx<'_>, fields: &Fields, mut kind: DefKind) -> Res<DefKind> {
    let flag = |key: &str, allowed: bool| -> Res<Option<bool>> {
        let Some(v) = get(fields, key) else {
            return Ok(None);
        };
        let ok = match (ctx.compat, &v.kind) {
            (true, _) => flag_value(ctx, v),
            (false, ValueKind::Bool(b)) if *b == allowed => Some(*b),
            _ => None,
        };
        ok.map(Some)
            .ok_or_else(|| ctx.err(format!("flag '{key}' may only use {allowed} value"), v.span))
    };
    let gen = flag("gen", false)?;
    let success_response = flag("success-response", false)?;
    let boxed = flag("boxed", true)?;
    let allow_oob = flag("allow-oob", true)?;
    let allow_preconfig = flag("allow-preconfig", true)?;
    let coroutine = flag("coroutine", true)?;
    if allow_oob.is_some() && coroutine.is_some() {
        return Err(ctx.err_here("flags 'allow-oob' and 'coroutine' are incompatible"));
    }
    match &mut kind {
        DefKind::Command(c) => {
            c.gen = gen.unwrap_or(true);
            c.success_response = success_response.unwrap_or(true);
            c.boxed = boxed.unwrap_or(false);
            c.allow_oob = allow_oob.unwrap_or(false);
            c.allow_preconfig = allow_preconfig.unwrap_or(false);
            c.coroutine = coroutine.unwrap_or(false);
        }
        DefKind::Event(e) => e.boxed = boxed.unwrap_or(false),
        _ => {}
    }
    Ok(kind)
}
