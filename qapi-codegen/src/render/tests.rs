//! The two output formats on a small schema.

use super::*;

const SCHEMA: &str = r#"
##
# = Files
##

##
# @Handle:
#
# An open file.
#
# @id: its number
#
# Since: 1.0
##
{ 'struct': 'Handle', 'data': { 'id': 'int' } }

##
# @file-open:
#
# Open a file; see `Handle`.
#
# @path: where it is
#
# Returns: a handle
#
# .. note:: Files are *never* created.
#
# .. qmp-example::
#    :title: Open
#
#    -> { "execute": "file-open", "arguments": { "path": "/x" } }
#    <- { "return": { "id": 1 } }
#
# Since: 1.0
##
{ 'command': 'file-open', 'data': { 'path': 'str' }, 'returns': 'Handle',
  'if': { 'any': [ 'CONFIG_A', 'CONFIG_B' ] } }
"#;

fn pages(format: Format) -> Vec<Page> {
    let schema = model::tests::load(SCHEMA);
    render(
        &schema,
        &Options {
            format,
            title: None,
        },
    )
}

fn page<'a>(pages: &'a [Page], path: &str) -> &'a str {
    &pages
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no page {path}"))
        .contents
}

#[test]
fn html_pages() {
    let pages = pages(Format::Html);
    assert_eq!(pages.len(), 2);
    let index = page(&pages, "index.html");
    assert!(index.starts_with("<!DOCTYPE html>"));
    assert!(index.contains("<title>Files</title>"));
    assert!(index.contains("<section class=\"entry\" id=\"command-file-open\""));
    assert!(index.contains("<a class=\"type\" href=\"#type-Handle\"><code>Handle</code></a>"));
    assert!(index.contains("<p class=\"cond\">Available if CONFIG_A or CONFIG_B</p>"));
    assert!(index.contains("<aside class=\"admonition note\">"));
    assert!(index.contains("<em>never</em>"));
    assert!(index.contains("<figcaption>Example: Open</figcaption>"));
    assert!(index.contains("<span class=\"req\">-&gt;</span>"));
    assert!(index.contains("[\"file-open\",\"command\",\"index.html#command-file-open\",0]"));
    assert!(
        !index.contains("http://") && !index.contains("https://"),
        "no network"
    );
    let genindex = page(&pages, "genindex.html");
    assert!(genindex.contains("<h3 id=\"kind-command\">Commands</h3>"));
    assert!(genindex.contains("href=\"index.html#type-Handle\""));
}

#[test]
fn markdown_pages() {
    let pages = pages(Format::Markdown);
    let index = page(&pages, "index.md");
    assert!(index.starts_with("# Files\n"));
    assert!(index.contains("<a id=\"command-file-open\"></a>\n\n### `file-open` · command"));
    assert!(index.contains("[`Handle`](#type-Handle)"));
    assert!(
        index.contains("- <a id=\"command-file-open.path\"></a>**`path`**: `str` — where it is")
    );
    assert!(index.contains("> **Note**\n>\n> Files are *never* created."));
    assert!(index.contains("**Example: Open**\n\n```json\n-> {"));
    assert!(page(&pages, "genindex.md").contains("- [`Handle`](index.md#type-Handle) · struct"));
}
