//! The reference of real schemas: every definition exactly once, every
//! internal link resolves, no reST markup left in the text.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use qapi_codegen::render::{self, Format, Options, Page};
use qapi_parser::Schema;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(path: &Path) -> Schema {
    match qapi_parser::load(&path.to_string_lossy(), &qapi_parser::Options::default()) {
        Ok(s) => s,
        Err(e) => panic!("{}: {}", path.display(), e.0[0]),
    }
}

/// The QMP schema in the shared corpus, or `None` (with the reason
/// printed) when the corpus is absent.
fn qmp_schema() -> Option<Schema> {
    let path = repo_root().join("../shared/qapi-corpus/qmp/qapi-schema.json");
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    Some(load(&path))
}

fn qga_schema() -> Schema {
    load(&repo_root().join("schema/qga/qapi-schema.json"))
}

/// Anchors every definition must have.
fn definitions(schema: &Schema) -> Vec<String> {
    let mut out: Vec<String> = schema
        .commands
        .iter()
        .map(|c| format!("command-{}", c.name))
        .collect();
    out.extend(schema.events.iter().map(|e| format!("event-{}", e.name)));
    out.extend(
        schema
            .types
            .iter()
            .filter(|t| !t.is_implicit() && !t.is_builtin())
            .map(|t| format!("type-{}", t.name)),
    );
    out
}

/// The values of attribute `attr` (`id="`, `href="`) in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&key) {
        rest = &rest[i + key.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Markdown link targets: `](target)`.
fn md_links(md: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

fn check_site(schema: &Schema, pages: &[Page], format: Format) {
    let ids: HashMap<&str, Vec<&str>> = pages
        .iter()
        .map(|p| (p.path.as_str(), attrs(&p.contents, "id")))
        .collect();
    // Every definition exactly once, on one page.
    let mut all_ids: HashMap<&str, usize> = HashMap::new();
    for list in ids.values() {
        for id in list {
            *all_ids.entry(id).or_default() += 1;
        }
    }
    let defs = definitions(schema);
    assert!(!defs.is_empty());
    for d in &defs {
        assert_eq!(all_ids.get(d.as_str()), Some(&1), "{format:?}: anchor {d}");
    }
    let entries = match format {
        Format::Html => pages
            .iter()
            .map(|p| p.contents.matches("<section class=\"entry\"").count())
            .sum::<usize>(),
        Format::Markdown => pages
            .iter()
            .map(|p| {
                p.contents
                    .lines()
                    .filter(|l| l.starts_with("### `") && l.contains(" · "))
                    .count()
            })
            .sum(),
    };
    assert_eq!(entries, defs.len(), "{format:?}: entries");
    // Anchors are unique on each page.
    for (page, list) in &ids {
        let mut seen = HashSet::new();
        for id in list {
            assert!(seen.insert(id), "{page}: duplicate id {id}");
        }
    }
    // Every internal link resolves.
    let mut checked = 0;
    for p in pages {
        let links = match format {
            Format::Html => attrs(&p.contents, "href"),
            Format::Markdown => md_links(&p.contents),
        };
        for href in links {
            if href.starts_with("http://") || href.starts_with("https://") {
                continue;
            }
            let href = href.replace("&amp;", "&");
            let (file, frag) = href.split_once('#').unwrap_or((&href, ""));
            let file = if file.is_empty() {
                p.path.as_str()
            } else {
                file
            };
            let Some(targets) = ids.get(file) else {
                panic!("{}: link to missing page {href}", p.path);
            };
            assert!(
                frag.is_empty() || targets.contains(&frag),
                "{}: link to missing anchor {href}",
                p.path
            );
            checked += 1;
        }
    }
    assert!(checked > defs.len(), "{format:?}: only {checked} links");
}

/// The text nodes of `html`, outside `<pre>`, `<code>`, `<script>` and
/// `<style>`.
fn text_nodes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut skip: Option<&str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip.is_none() {
                out.push(rest.to_string());
            }
            break;
        };
        if skip.is_none() && lt > 0 {
            out.push(rest[..lt].to_string());
        }
        rest = &rest[lt..];
        let gt = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match skip {
            Some(s) if tag.starts_with('/') && name == s => skip = None,
            None if !tag.starts_with('/')
                && matches!(name.as_str(), "pre" | "code" | "script" | "style") =>
            {
                skip = Some(match name.as_str() {
                    "pre" => "pre",
                    "code" => "code",
                    "script" => "script",
                    _ => "style",
                })
            }
            _ => {}
        }
        rest = &rest[gt + 1..];
    }
    out
}

fn leftover_markup(text: &str) -> Option<&'static str> {
    let t = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let chars: Vec<char> = t.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        if c == '@'
            && !prev.is_some_and(|p| p.is_alphanumeric())
            && next.is_some_and(|n| n.is_ascii_alphabetic())
        {
            return Some("@name");
        }
    }
    if t.contains("**") {
        return Some("**");
    }
    if t.contains('`') {
        return Some("backquote");
    }
    if t.starts_with(".. ") || t.contains("\n.. ") || t.contains(" .. ") && t.contains("::") {
        return Some(".. directive");
    }
    if t.lines().any(|l| l.trim_end().ends_with("::")) {
        return Some(":: at line end");
    }
    None
}

fn check_no_markup(pages: &[Page]) {
    let mut bad = Vec::new();
    for p in pages.iter().filter(|p| p.path.ends_with(".html")) {
        for node in text_nodes(&p.contents) {
            if let Some(what) = leftover_markup(&node) {
                bad.push(format!("{}: {what}: {:?}", p.path, node.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} text nodes with markup:\n{}",
        bad.len(),
        bad[..bad.len().min(30)].join("\n")
    );
}

fn render_both(schema: &Schema) -> (Vec<Page>, Vec<Page>) {
    let html = render::render(schema, &Options::default());
    let md = render::render(
        schema,
        &Options {
            format: Format::Markdown,
            title: None,
        },
    );
    (html, md)
}

/// Keep the output under `target/` for people to look at.
fn keep(name: &str, pages: &[Page]) {
    let dir = repo_root().join("target/doc-render").join(name);
    if std::fs::create_dir_all(&dir).is_ok() {
        for p in pages {
            let _ = std::fs::write(dir.join(&p.path), &p.contents);
        }
    }
}

#[test]
fn guest_agent_reference_is_complete_and_linked() {
    let schema = qga_schema();
    let (html, md) = render_both(&schema);
    keep("qga-html", &html);
    keep("qga-md", &md);
    check_site(&schema, &html, Format::Html);
    check_site(&schema, &md, Format::Markdown);
    check_no_markup(&html);
}

#[test]
fn qmp_reference_is_complete_and_linked() {
    let Some(schema) = qmp_schema() else {
        return;
    };
    let (html, md) = render_both(&schema);
    keep("qmp-html", &html);
    keep("qmp-md", &md);
    assert!(html.len() > 10, "one page per schema file");
    check_site(&schema, &html, Format::Html);
    check_site(&schema, &md, Format::Markdown);
    check_no_markup(&html);
}

#[test]
fn markup_checker_finds_leftovers() {
    for (text, what) in [
        ("see @name here", "@name"),
        ("a **b", "**"),
        ("``x``", "backquote"),
        (".. note:: x", ".. directive"),
        ("Example::", ":: at line end"),
    ] {
        assert_eq!(leftover_markup(text), Some(what), "{text}");
    }
    assert_eq!(leftover_markup("mail a@b.org, 1 ... 2"), None);
    assert_eq!(
        text_nodes("<p>a <code>@x</code> b</p><pre>**</pre>"),
        vec!["a ", " b"]
    );
}
