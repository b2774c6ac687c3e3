//! The reference as a set of self-contained HTML pages: inline CSS, a
//! small inline script for the search box, no network fetches.

mod assets;
mod blocks;
mod entry;

use std::fmt::Write;

use super::escape::{html, json_string};
use super::index::{self, IndexEntry};
use super::links::{EntryKind, Target};
use super::markup::{plain_text, Block};
use super::model::{Item, Site};
use super::Page;

/// The page holding the index by name and by kind.
pub const INDEX_STEM: &str = "genindex";

/// Writing one page of a site.
pub(super) struct Ctx<'a> {
    site: &'a Site,
    /// The page being written (`None`: the index page).
    page: Option<usize>,
}

impl Ctx<'_> {
    /// A link to `target` from the page being written.
    pub fn href(&self, target: &Target) -> String {
        match target {
            Target::Url(u) => u.clone(),
            Target::Anchor { page, anchor } if Some(*page) == self.page => format!("#{anchor}"),
            Target::Anchor { page, anchor } => {
                let stem = self
                    .site
                    .pages
                    .get(*page)
                    .map_or("index", |p| p.stem.as_str());
                format!("{stem}.html#{anchor}")
            }
        }
    }
}

/// Every page of `site` as HTML.
pub fn render(site: &Site) -> Vec<Page> {
    let entries = index::entries(site);
    let search = search_index(site, &entries);
    let mut out = Vec::new();
    for (n, p) in site.pages.iter().enumerate() {
        let ctx = Ctx {
            site,
            page: Some(n),
        };
        let mut main = String::new();
        let _ = writeln!(main, "<h1>{}</h1>", html(&p.title));
        for item in &p.items {
            match item {
                Item::Text(blocks) => {
                    main.push_str("<div class=\"doc\">\n");
                    ctx.blocks(&mut main, blocks, 2);
                    main.push_str("</div>\n");
                }
                Item::Entry(e) => ctx.entry(&mut main, e),
            }
        }
        let contents = shell(&ctx, &p.title, &main, &search);
        out.push(Page {
            path: format!("{}.html", p.stem),
            contents,
        });
    }
    let ctx = Ctx { site, page: None };
    let main = index_page(&ctx, &entries);
    out.push(Page {
        path: format!("{INDEX_STEM}.html"),
        contents: shell(&ctx, "Index", &main, &search),
    });
    out
}

/// The search data: `[name, kind, href, deprecated]` per entry.
fn search_index(site: &Site, entries: &[IndexEntry]) -> String {
    let ctx = Ctx { site, page: None };
    let mut out = String::from("[");
    for (n, e) in entries.iter().enumerate() {
        if n > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            "[{},{},{},{}]",
            json_string(&e.name),
            json_string(e.kind.label()),
            json_string(&ctx.href(&e.target)),
            u8::from(e.deprecated)
        );
    }
    out.push(']');
    out
}

/// A whole page around `main`.
fn shell(ctx: &Ctx<'_>, title: &str, main: &str, search: &str) -> String {
    let site_title = html(&ctx.site.title);
    let mut out = String::with_capacity(main.len() + search.len() + 16 * 1024);
    let full_title = if title == ctx.site.title {
        site_title.clone()
    } else {
        format!("{} — {site_title}", html(title))
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{full_title}</title>\n<style>{css}</style>\n</head>\n<body>\n\
<header class=\"top\"><button id=\"menu\" type=\"button\" aria-label=\"Contents\" aria-expanded=\"false\">☰</button>\
<a class=\"brand\" href=\"index.html\">{site_title}</a>\
<div class=\"search\"><input id=\"q\" type=\"search\" placeholder=\"Search definitions…\" autocomplete=\"off\" aria-label=\"Search definitions\">\
<ul id=\"results\" hidden></ul></div></header>\n<div class=\"layout\">\n",
        css = assets::CSS,
    );
    sidebar(ctx, &mut out);
    out.push_str("<main id=\"main\">\n");
    out.push_str(main);
    out.push_str("</main>\n</div>\n");
    let _ = write!(
        out,
        "<script>const SEARCH_INDEX = {search};</script>\n<script>{js}</script>\n</body>\n</html>\n",
        js = assets::JS
    );
    out
}

fn sidebar(ctx: &Ctx<'_>, out: &mut String) {
    out.push_str("<nav id=\"sidebar\" aria-label=\"Contents\">\n<p class=\"nav-title\">Pages</p>\n<ul class=\"pages\">\n");
    for (n, p) in ctx.site.pages.iter().enumerate() {
        let current = if ctx.page == Some(n) {
            " class=\"current\" aria-current=\"page\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<li><a{current} href=\"{}.html\">{}</a></li>",
            html(&p.stem),
            html(&p.title)
        );
    }
    let current = if ctx.page.is_none() {
        " class=\"current\" aria-current=\"page\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<li><a{current} href=\"{INDEX_STEM}.html\">Index</a></li>\n</ul>"
    );
    let Some(page) = ctx.page.and_then(|n| ctx.site.pages.get(n)) else {
        out.push_str("</nav>\n");
        return;
    };
    out.push_str("<p class=\"nav-title\">On this page</p>\n<ul class=\"toc\">\n");
    for item in &page.items {
        match item {
            Item::Text(blocks) => {
                for b in blocks {
                    if let Block::Heading { content, .. } = b {
                        let _ = writeln!(
                            out,
                            "<li class=\"toc-heading\">{}</li>",
                            html(&plain_text(content))
                        );
                    }
                }
            }
            Item::Entry(e) => {
                let k = e.kind.label();
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\"><span class=\"dot k-{k}\" title=\"{k}\"></span>{}</a></li>",
                    html(&e.anchor),
                    html(&e.name)
                );
            }
        }
    }
    out.push_str("</ul>\n</nav>\n");
}

/// The index by kind and by name.
fn index_page(ctx: &Ctx<'_>, entries: &[IndexEntry]) -> String {
    let mut out = String::from("<h1>Index</h1>\n<p class=\"jump\">");
    for kind in EntryKind::ALL {
        let count = entries.iter().filter(|e| e.kind == kind).count();
        if count > 0 {
            let _ = write!(
                out,
                "<a href=\"#kind-{}\">{} ({count})</a> ",
                kind.label(),
                kind.plural()
            );
        }
    }
    out.push_str("<a href=\"#by-name\">By name</a></p>\n<h2 id=\"by-kind\">By kind</h2>\n");
    for kind in EntryKind::ALL {
        let list: Vec<&IndexEntry> = entries.iter().filter(|e| e.kind == kind).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h3 id=\"kind-{}\">{}</h3>\n<ul class=\"index-list\">",
            kind.label(),
            kind.plural()
        );
        for e in list {
            index_item(ctx, &mut out, e, false);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2 id=\"by-name\">By name</h2>\n");
    let mut letter = None;
    for e in entries {
        let l = index::initial(&e.name);
        if letter != Some(l) {
            if letter.is_some() {
                out.push_str("</ul>\n");
            }
            let _ = writeln!(
                out,
                "<h3 id=\"letter-{}\">{}</h3>\n<ul class=\"index-list\">",
                if l == '#' {
                    "other".to_string()
                } else {
                    l.to_string()
                },
                l
            );
            letter = Some(l);
        }
        index_item(ctx, &mut out, e, true);
    }
    if letter.is_some() {
        out.push_str("</ul>\n");
    }
    out
}

fn index_item(ctx: &Ctx<'_>, out: &mut String, e: &IndexEntry, badge: bool) {
    let k = e.kind.label();
    let _ = write!(
        out,
        "<li><a href=\"{}\"><code>{}</code></a>",
        html(&ctx.href(&e.target)),
        html(&e.name)
    );
    if badge {
        let _ = write!(out, " <span class=\"badge small k-{k}\">{k}</span>");
    }
    if e.deprecated {
        out.push_str(" <span class=\"flag f-deprecated\">deprecated</span>");
    }
    out.push_str("</li>\n");
}
