//! `qapi-gen doc`: a browsable reference rendered from a schema's doc
//! comments, as HTML or as GitHub-flavoured Markdown.
//!
//! The engine does no I/O: [`render`] takes a checked [`Schema`] and
//! returns the pages (relative path and contents); the caller writes them.

pub mod cond;
pub mod links;
pub mod markup;
pub mod model;
