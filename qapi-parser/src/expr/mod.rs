//! Pass 2: check each definition's keys and value shapes, expand shorthand.
//!
//! Every top-level expression that is not a directive must be a definition:
//! an object with exactly one of the keys `enum`, `struct`, `union`,
//! `alternate`, `command`, `event`, whose value is the definition's name.
//! The checks run in QEMU's order, so the first problem found in a
//! definition is the one QEMU reports; each definition reports at most one
//! error and checking goes on with the next definition.
//!
//! What needs other definitions (type resolution, clashes, union branches
//! against the discriminator enum, alternate ambiguity) is left to the
//! schema builder.
//!
//! With [`Options::compat`], old syntax is read too and normalised to the
//! modern model: `struct` spelled `type`, `'yes'`/`'no'` flags, `'**'` for
//! `any`, C-expression conditions, simple and anonymous unions, inline
//! nested structs; names are not held to the case rules and doc blocks
//! are not checked.

mod compat;
mod cond;
mod defs;
mod doc_check;
mod keys;
mod members;
mod names;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_compat;
#[cfg(test)]
mod tests_corpus;
#[cfg(test)]
mod testutil;

use crate::hash::HashSet;
use std::sync::Arc;

use crate::ast::{DefKind, Definition, Item};
use crate::diag::{Error, Errors};
use crate::doc::DocBlock;
use crate::ifcond::IfCond;
use crate::parse::{Parsed, Pragma, TopExpr};
use crate::source::{Info, Span};
use crate::syntax::Value;
use crate::Options;

use keys::get;

/// A check's result: the error carries the definition context.
type Res<T> = Result<T, Error>;

/// The six definition keys.
const METAS: [&str; 6] = ["enum", "struct", "union", "alternate", "command", "event"];

/// Check every top-level expression.
///
/// On success, the includes and checked definitions in source order
/// (in compat mode, implicit definitions come right before the definition
/// that needs them). On failure, the first error of every definition that
/// has one, in source order: the first of them is QEMU's.
pub fn check(parsed: &Parsed, opts: &Options) -> Result<Vec<Item>, Errors> {
    let mut wrappers = HashSet::default();
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for top in &parsed.exprs {
        match top {
            TopExpr::Include { path, info } => items.push(Item::Include {
                path: path.clone(),
                info: info.clone(),
            }),
            TopExpr::Expr { value, info, doc } => {
                match definition(&parsed.pragma, opts.compat, &mut wrappers, value, info, doc) {
                    Ok(defs) => items.extend(defs.into_iter().map(Item::Definition)),
                    Err(e) => errors.push(e),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(Errors(errors))
    }
}

/// What a definition's checks share.
struct Ctx<'a> {
    pragma: &'a Pragma,
    compat: bool,
    /// The definition's info, with its `In META 'NAME'` context.
    info: Info,
    /// Implicit definitions made for this one (compat mode only).
    implicit: Vec<Definition>,
    /// Indices into `implicit` of those that take the definition's `if`.
    inherit_if: Vec<usize>,
    /// Branch wrapper types of old simple unions made so far (they are
    /// shared between unions).
    wrappers: &'a mut HashSet<String>,
}

impl Ctx<'_> {
    /// An error at the definition, pointing at `span`.
    fn err(&self, msg: impl Into<String>, span: Span) -> Error {
        Error::sem(&self.info, msg).with_span(span)
    }

    /// An error at the definition as a whole.
    fn err_here(&self, msg: impl Into<String>) -> Error {
        Error::sem(&self.info, msg)
    }

    /// A type name as it is meant: in compat mode the old pseudo-types
    /// `'**'` (QEMU ≤ 2.4) and `'visitor'` (the return type of hand-written
    /// `'gen': 'no'` commands such as `qom-get` in QEMU 2.0) and `'dict'`
    /// (`object-add`'s properties there) are `any`.
    fn type_alias(&self, name: &str) -> String {
        if self.compat && matches!(name, "**" | "visitor" | "dict") {
            "any".to_string()
        } else {
            name.to_string()
        }
    }

    /// The condition `value` (if any) of `source`.
    fn ifcond(&self, value: Option<&Value>, source: &str) -> Res<Option<IfCond>> {
        value
            .map(|v| cond::check_if(v, source, self.compat).map_err(|m| self.err(m, v.span)))
            .transpose()
    }

    /// Record an implicit definition made for the current one.
    fn add_implicit(&mut self, name: &str, kind: DefKind) -> usize {
        self.implicit.push(Definition {
            name: name.to_string(),
            info: self.info.clone(),
            doc: None,
            ifcond: None,
            features: Vec::new(),
            kind,
            implicit: true,
        });
        self.implicit.len() - 1
    }
}

/// Check one definition; returns it preceded by its implicit definitions.
fn definition(
    pragma: &Pragma,
    compat: bool,
    wrappers: &mut HashSet<String>,
    value: &Value,
    info: &Info,
    doc: &Option<Arc<DocBlock>>,
) -> Res<Vec<Definition>> {
    let fields = value.as_object().unwrap_or_default();
    let has = |k: &str| get(fields, k).is_some();
    let metas: Vec<&'static str> = METAS.iter().copied().filter(|m| has(m)).collect();
    // (key holding the name, meta)
    let (name_key, meta) = match metas.as_slice() {
        [meta] => (*meta, *meta),
        // QEMU ≤ 2.3 spelled `struct` as `type`.
        [] if compat && has("type") => ("type", "struct"),
        _ => {
            return Err(Error::sem(
                info,
                "expression must have exactly one key 'enum', 'struct', 'union', \
                 'alternate', 'command', 'event'",
            )
            .with_span(value.span))
        }
    };
    let name_value = get(fields, name_key).unwrap_or(value);
    let Some(name) = name_value.as_str() else {
        return Err(
            Error::sem(info, format!("'{name_key}' requires a string name"))
                .with_span(name_value.span),
        );
    };
    let mut ctx = Ctx {
        pragma,
        compat,
        info: info.in_defn(meta, name),
        implicit: Vec::new(),
        inherit_if: Vec::new(),
        wrappers,
    };
    if !compat {
        let exception = pragma.command_name_exceptions.iter().any(|n| n == name);
        names::check_definition(name, meta, exception).map_err(|m| ctx.err(m, name_value.span))?;
    }
    let doc = doc_check::check(&ctx, doc.as_ref(), name, meta, has("returns"))?;
    let kind = defs::check(&mut ctx, fields, name_key, meta, name)?;
    let ifcond = ctx.ifcond(get(fields, "if"), meta)?;
    let features = members::features(&ctx, get(fields, "features"))?;
    let kind = defs::flags(&ctx, fields, kind)?;

    for &i in &ctx.inherit_if {
        if let Some(d) = ctx.implicit.get_mut(i) {
            d.ifcond = ifcond.clone();
        }
    }
    let mut out = std::mem::take(&mut ctx.implicit);
    out.push(Definition {
        name: name.to_string(),
        info: ctx.info,
        doc,
        ifcond,
        features,
        kind,
        implicit: false,
    });
    Ok(out)
}
