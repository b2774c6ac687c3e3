//! A front end for QEMU's QAPI schema language.
//!
//! Three stages, each with its own types:
//!
//! 1. [`parse`]: text → [`syntax`] values with spans, includes followed,
//!    pragmas applied, doc comments parsed ([`doc`]);
//! 2. [`expr`]: every definition's keys and shapes checked, shorthand
//!    expanded → [`ast`];
//! 3. [`schema`]: entities created (implicit ones too), every name
//!    resolved, all semantic checks → the checked IR [`schema::Schema`].
//!
//! Errors ([`diag::Error`]) print exactly as QEMU's front end prints them.
//! [`dump`] prints a checked schema in the format of QEMU's `test-qapi.py`.

pub mod ast;
pub mod diag;
pub mod doc;
pub mod dump;
pub mod expr;
mod hash;
pub mod ifcond;
pub mod parse;
mod render;
pub mod schema;
pub mod source;
pub mod syntax;

pub use diag::{Error, Errors};
pub use parse::{FsLoader, MemLoader, Parsed, Pragma, SourceLoader, TopExpr};
pub use schema::Schema;

/// How strictly to read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Accept every schema some QEMU release accepted (old syntax, old
    /// pragma names, old doc style), normalised to the modern model.
    /// Without it the rules are exactly QEMU 10.2's.
    pub compat: bool,
}

/// Parse, check and build the schema rooted at `path`, reading files from
/// disk.
pub fn load(path: &str, opts: &Options) -> Result<Schema, Errors> {
    load_with(path, &FsLoader, opts)
}

/// Like [`load`], reading files through `loader`.
pub fn load_with(path: &str, loader: &dyn SourceLoader, opts: &Options) -> Result<Schema, Errors> {
    let parsed = parse::parse(path, loader, opts)?;
    let items = expr::check(&parsed, opts)?;
    schema::build(&parsed, items, opts)
}
