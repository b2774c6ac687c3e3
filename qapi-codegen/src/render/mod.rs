//! `qapi-gen doc`: a browsable reference rendered from a schema's doc
//! comments, as HTML or as GitHub-flavoured Markdown.
//!
//! The engine does no I/O: [`render`] takes a checked [`Schema`] and
//! returns the pages (relative path and contents); the caller writes them.
//!
//! There is one page per schema file (`index` for the main file) and an
//! index page (`genindex`) listing every definition by kind and by name.
//! Every definition has a stable anchor made of its kind and wire name
//! (`command-guest-exec`, `event-SHUTDOWN`, `type-GuestExecStatus`), and
//! its members have anchors below it (`command-guest-exec.path`).

pub mod cond;
mod escape;
pub mod html;
pub mod index;
pub mod links;
mod markdown;
pub mod markup;
pub mod model;
#[cfg(test)]
mod tests;

use qapi_parser::Schema;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Self-contained HTML pages with a search box.
    #[default]
    Html,
    /// GitHub-flavoured Markdown.
    Markdown,
}

/// What to render.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The output format.
    pub format: Format,
    /// The title of the reference; by default the main file's first
    /// heading.
    pub title: Option<String>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The file name, relative to the output directory.
    pub path: String,
    /// Its contents.
    pub contents: String,
}

/// Render the reference of `schema`.
pub fn render(schema: &Schema, opts: &Options) -> Vec<Page> {
    let site = model::build(schema, opts.title.as_deref());
    match opts.format {
        Format::Html => html::render(&site),
        Format::Markdown => markdown::render(&site),
    }
}
