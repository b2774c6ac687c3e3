//! The documentation checks made while checking a definition: the doc
//! block is for this definition, `Returns:` / `Errors:` sections only where
//! they make sense, and `doc-required`.

use std::sync::Arc;

use crate::diag::Error;
use crate::doc::{DocBlock, SectionKind};

use super::{Ctx, Res};

/// Check the doc block of definition `meta` `name` (`has_returns`: the
/// definition has a `returns` key); returns the block to attach.
///
/// In compat mode nothing is an error: a block for another name is simply
/// not attached, and old blocks may have any sections.
pub(super) fn check(
    ctx: &Ctx<'_>,
    doc: Option<&Arc<DocBlock>>,
    name: &str,
    meta: &str,
    has_returns: bool,
) -> Res<Option<Arc<DocBlock>>> {
    let Some(doc) = doc else {
        if ctx.pragma.doc_required && !ctx.compat {
            return Err(Error::sem(&ctx.info, "documentation comment required"));
        }
        return Ok(None);
    };
    if doc.symbol.as_deref() != Some(name) {
        if ctx.compat {
            return Ok(None);
        }
        let symbol = doc.symbol.as_deref().unwrap_or("None");
        return Err(Error::sem(
            &ctx.info,
            format!("documentation comment is for '{symbol}'"),
        ));
    }
    if ctx.compat {
        return Ok(Some(doc.clone()));
    }
    let section = |kind| doc.sections.iter().find(|s| s.kind == kind);
    if meta == "command" {
        if let (Some(returns), false) = (section(SectionKind::Returns), has_returns) {
            return Err(Error::sem(
                &returns.info,
                "'Returns' section, but command doesn't return anything",
            ));
        }
    } else {
        if let Some(returns) = section(SectionKind::Returns) {
            return Err(Error::sem(
                &returns.info,
                "'Returns' section is only valid for commands",
            ));
        }
        if let Some(errors) = section(SectionKind::Errors) {
            return Err(Error::sem(
                &errors.info,
                "'Errors' section is only valid for commands",
            ));
        }
    }
    Ok(Some(doc.clone()))
}
