//! Pass 1: text → values, includes followed, pragmas applied, doc blocks
//! parsed.
//!
//! Exactly QEMU 10.2's `QAPISchemaParser`, errors included (message,
//! position, and which of several problems is reported: the first in token
//! order). The pieces: `text` (bytes → text), `lexer` (QEMU's tokenizer),
//! `values` (the pest grammar `grammar.pest`, which reads every value),
//! `reader` (QEMU's value parser, token by token, iterative, nesting
//! limited to 512: the diagnostic path, run only where the grammar rejects
//! a value, to report QEMU's exact first error), `nesting` (a value's
//! extent and depth, checked before the grammar runs), `docs` (doc block
//! collection, parsed by [`crate::doc`]), `pragma`, `paths` (include names
//! and identities), `driver` (the top level and the include stack). The
//! tests hold the grammar and the reader to each other.
//!
//! With [`Options::compat`](crate::Options), the syntax of old releases is
//! accepted too: missing commas between object members (2011), any
//! backslash escape and any character in strings, the pragma names
//! `returns-whitelist` and `name-case-whitelist`, and doc comments that
//! are not blocks (`## text` lines, unclosed blocks, blocks not followed by
//! their definition).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::diag::Error;
use crate::doc::DocBlock;
use crate::source::{Info, SourceFile};
use crate::syntax::Value;
use crate::Options;

mod docs;
mod driver;
mod lexer;
mod nesting;
mod paths;
mod position;
mod pragma;
mod reader;
mod text;
mod values;

#[cfg(test)]
mod tests;

/// Where schema files come from.
pub trait SourceLoader {
    /// The raw bytes of `path`.
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// Reads files from disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsLoader;

impl SourceLoader for FsLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Serves files from memory (tests, fuzzing, build tools with virtual
/// files). Paths are compared as given.
#[derive(Debug, Default, Clone)]
pub struct MemLoader {
    /// Path → contents.
    pub files: HashMap<String, Vec<u8>>,
}

impl MemLoader {
    /// Add a file.
    pub fn with(mut self, path: &str, text: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_string(), text.into());
        self
    }
}

impl SourceLoader for MemLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let key = path.to_string_lossy();
        self.files
            .get(key.as_ref())
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// The pragma state, one for the whole schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pragma {
    /// `doc-required`.
    pub doc_required: bool,
    /// `command-name-exceptions`.
    pub command_name_exceptions: Vec<String>,
    /// `command-returns-exceptions`.
    pub command_returns_exceptions: Vec<String>,
    /// `member-name-exceptions`.
    pub member_name_exceptions: Vec<String>,
    /// `documentation-exceptions`.
    pub documentation_exceptions: Vec<String>,
}

/// A top-level expression, in source order, included files spliced in.
#[derive(Debug, Clone)]
pub enum TopExpr {
    /// `{ 'include': ... }`: recorded also when the file was skipped as
    /// already included.
    Include {
        /// `dirname(including file) + "/" + include string`.
        path: String,
        /// Where the directive is.
        info: Info,
    },
    /// Any other top-level object (a definition, to be checked by pass 2).
    Expr {
        /// The object.
        value: Value,
        /// The line of its opening `{`.
        info: Info,
        /// The doc block right before it.
        doc: Option<Arc<DocBlock>>,
    },
}

/// The result of pass 1.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Every file read, in the order first read (root first).
    pub files: Vec<Arc<SourceFile>>,
    /// Top-level expressions.
    pub exprs: Vec<TopExpr>,
    /// Every doc block, in source order.
    pub docs: Vec<Arc<DocBlock>>,
    /// The final pragma state.
    pub pragma: Pragma,
}

/// Parse the schema rooted at `path`.
pub fn parse(path: &str, loader: &dyn SourceLoader, opts: &Options) -> Result<Parsed, Error> {
    driver::run(path, loader, opts)
}
