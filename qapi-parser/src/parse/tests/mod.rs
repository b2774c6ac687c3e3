//! Pass 1 end to end, on in-memory files.

mod corpus;
mod directives;
mod docs;
mod hostile;
mod qemu_cases;
mod syntax;

use crate::diag::Error;
use crate::parse::{parse, MemLoader, Parsed, TopExpr};
use crate::Options;

/// Parse `root` among `files`.
pub(super) fn parse_with(
    files: &[(&str, &str)],
    root: &str,
    compat: bool,
) -> Result<Parsed, Error> {
    let loader = files
        .iter()
        .fold(MemLoader::default(), |l, (path, text)| l.with(path, *text));
    parse(root, &loader, &Options { compat })
}

/// Parse a single file `t.json`.
pub(super) fn parse_one(text: &str) -> Result<Parsed, Error> {
    parse_with(&[("t.json", text)], "t.json", false)
}

/// The error for a single file `t.json`.
pub(super) fn err_one(text: &str) -> String {
    match parse_one(text) {
        Ok(_) => panic!("no error for {text:?}"),
        Err(e) => e.to_string(),
    }
}

/// The error for `root` among `files`.
pub(super) fn err_with(files: &[(&str, &str)], root: &str) -> String {
    match parse_with(files, root, false) {
        Ok(_) => panic!("no error for {root}"),
        Err(e) => e.to_string(),
    }
}

/// A short description of each top-level item.
pub(super) fn outline(parsed: &Parsed) -> Vec<String> {
    parsed
        .exprs
        .iter()
        .map(|e| match e {
            TopExpr::Include { path, info } => format!("include {path} @{}", info.loc()),
            TopExpr::Expr { value, info, doc } => {
                let first = value
                    .as_object()
                    .and_then(|m| m.first())
                    .map_or(String::new(), |(k, v)| {
                        format!("{} {}", k.name, v.as_str().unwrap_or("?"))
                    });
                let doc = doc
                    .as_ref()
                    .map_or(String::new(), |d| format!(" doc@{}", d.info.line));
                format!("{first} @{}{doc}", info.loc())
            }
        })
        .collect()
}
