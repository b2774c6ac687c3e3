//! Pass 3: the checked, resolved IR.

use crate::ast::Item;
use crate::diag::Errors;
use crate::parse::Parsed;
use crate::Options;

/// A checked schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {}

/// Build the IR from checked expressions.
pub fn build(parsed: &Parsed, items: Vec<Item>, opts: &Options) -> Result<Schema, Errors> {
    let _ = (parsed, items, opts);
    Ok(Schema {})
}
