//! The guest agent reference checked in under `docs/qga-reference/` is
//! what the renderer produces today. When this fails, regenerate it:
//!
//! ```text
//! cargo run --release -p qapi-codegen --bin qapi-gen -- doc schema/qga/qapi-schema.json \
//!     -o docs/qga-reference --title "QEMU Guest Agent Protocol Reference"
//! cargo run --release -p qapi-codegen --bin qapi-gen -- doc schema/qga/qapi-schema.json \
//!     -o docs/qga-reference/md --format markdown --title "QEMU Guest Agent Protocol Reference"
//! ```

use std::path::{Path, PathBuf};

use qapi_codegen::render::{render, Format, Options};

const TITLE: &str = "QEMU Guest Agent Protocol Reference";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(format: Format, dir: &Path) {
    let schema = qapi_parser::load(
        &repo_root()
            .join("schema/qga/qapi-schema.json")
            .to_string_lossy(),
        &qapi_parser::Options::default(),
    )
    .unwrap();
    let opts = Options {
        format,
        title: Some(TITLE.into()),
    };
    let mut stale = Vec::new();
    for page in render(&schema, &opts) {
        let path = dir.join(&page.path);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == page.contents => {}
            Ok(_) => stale.push(format!("{} differs", path.display())),
            Err(e) => stale.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "the checked-in reference is stale (regenerate it with the commands at \
         the top of qapi-codegen/tests/render_checked_in.rs):\n{}",
        stale.join("\n")
    );
}

#[test]
fn checked_in_html_reference_is_current() {
    check(Format::Html, &repo_root().join("docs/qga-reference"));
}

#[test]
fn checked_in_markdown_reference_is_current() {
    check(Format::Markdown, &repo_root().join("docs/qga-reference/md"));
}
