//! The reference as GitHub-flavoured Markdown, one file per page.
//!
//! Anchors are explicit `<a id="...">` elements, so links stay the same
//! as in the HTML pages.

mod blocks;

use std::fmt::Write;

use super::escape::{markdown as esc, markdown_code};
use super::index::{self, IndexEntry};
use super::links::{EntryKind, Target};
use super::model::{Entry, Group, Item, Site, TypeRef};
use super::Page;

/// The page holding the index by name and by kind.
const INDEX_STEM: &str = "genindex";

/// Writing one page.
pub(super) struct Ctx<'a> {
    site: &'a Site,
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
                format!("{stem}.md#{anchor}")
            }
        }
    }

    fn nav(&self, out: &mut String) {
        let mut links: Vec<String> = Vec::new();
        for (n, p) in self.site.pages.iter().enumerate() {
            if self.page == Some(n) {
                links.push(format!("**{}**", esc(&p.title)));
            } else {
                links.push(format!("[{}]({}.md)", esc(&p.title), p.stem));
            }
        }
        if self.page.is_none() {
            links.push("**Index**".into());
        } else {
            links.push(format!("[Index]({INDEX_STEM}.md)"));
        }
        let _ = writeln!(out, "{}\n", links.join(" · "));
    }
}

/// Every page of `site` as Markdown.
pub fn render(site: &Site) -> Vec<Page> {
    let mut out = Vec::new();
    for (n, p) in site.pages.iter().enumerate() {
        let ctx = Ctx {
            site,
            page: Some(n),
        };
        let mut text = format!("# {}\n\n", esc(&p.title));
        ctx.nav(&mut text);
        for item in &p.items {
            match item {
                Item::Text(blocks) => ctx.blocks(&mut text, blocks, 2),
                Item::Entry(e) => ctx.entry(&mut text, e),
            }
        }
        out.push(Page {
            path: format!("{}.md", p.stem),
            contents: text,
        });
    }
    let ctx = Ctx { site, page: None };
    out.push(Page {
        path: format!("{INDEX_STEM}.md"),
        contents: ctx.index_page(&index::entries(site)),
    });
    out
}

impl Ctx<'_> {
    fn entry(&self, out: &mut String, e: &Entry) {
        let _ = write!(
            out,
            "<a id=\"{}\"></a>\n\n### {} · {}",
            e.anchor,
            markdown_code(&e.name),
            e.kind.label()
        );
        for f in &e.flags {
            let _ = write!(out, " · **{}**", esc(f));
        }
        out.push_str("\n\n");
        let mut meta = Vec::new();
        if let Some(since) = &e.since {
            meta.push(format!("*Since:* {}", self.inlines(since)));
        }
        if let Some(c) = &e.condition {
            meta.push(format!("*{}*", esc(c)));
        }
        if !meta.is_empty() {
            let _ = writeln!(out, "{}\n", meta.join(" · "));
        }
        self.blocks(out, &e.body, 4);
        for g in &e.groups {
            self.group(out, g);
        }
        if let Some(r) = &e.returns {
            out.push_str("#### Returns\n\n");
            if let Some(ty) = &r.ty {
                let _ = writeln!(out, "{}\n", self.type_ref(ty));
            }
            self.blocks(out, &r.desc, 5);
        }
        if !e.errors.is_empty() {
            out.push_str("#### Errors\n\n");
            self.blocks(out, &e.errors, 5);
        }
        if !e.features.is_empty() {
            out.push_str("#### Features\n\n");
            for f in &e.features {
                let head = format!("**{}**", esc(&f.name));
                self.item(out, &head, &f.desc);
            }
            out.push('\n');
        }
        for t in &e.traits {
            let _ = writeln!(out, "*{}*\n", esc(t));
        }
        self.blocks(out, &e.rest, 4);
    }

    fn group(&self, out: &mut String, g: &Group) {
        let _ = writeln!(out, "#### {}\n", self.inlines(&g.title));
        for r in &g.rows {
            let mut head = format!("<a id=\"{}\"></a>**{}**", r.anchor, markdown_code(&r.name));
            if let Some(ty) = &r.ty {
                let _ = write!(head, ": {}", self.type_ref(ty));
            }
            if r.optional {
                head.push_str(" *(optional)*");
            }
            for f in &r.flags {
                let _ = write!(head, " **{}**", esc(f));
            }
            if let Some(c) = &r.condition {
                let _ = write!(head, " *({})*", esc(c));
            }
            self.item(out, &head, &r.desc);
        }
        out.push('\n');
    }

    /// A list item: `head`, then the description.
    fn item(&self, out: &mut String, head: &str, desc: &[super::markup::Block]) {
        let mut body = String::new();
        self.blocks(&mut body, desc, 5);
        let body = body.trim_end();
        let _ = write!(out, "- {head}");
        if body.is_empty() {
            out.push('\n');
            return;
        }
        out.push_str(" —");
        let mut first = true;
        for line in body.lines() {
            if first {
                let _ = writeln!(out, " {line}");
                first = false;
            } else if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
    }

    fn type_ref(&self, ty: &TypeRef) -> String {
        let code = markdown_code(&ty.shown);
        match &ty.target {
            Some(t) => format!("[{code}]({})", self.href(t)),
            None => code,
        }
    }

    fn index_page(&self, entries: &[IndexEntry]) -> String {
        let mut out = String::from("# Index\n\n");
        self.nav(&mut out);
        out.push_str("<a id=\"by-kind\"></a>\n\n## By kind\n\n");
        for kind in EntryKind::ALL {
            let list: Vec<&IndexEntry> = entries.iter().filter(|e| e.kind == kind).collect();
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<a id=\"kind-{}\"></a>\n\n### {}\n",
                kind.label(),
                kind.plural()
            );
            for e in list {
                let _ = writeln!(
                    out,
                    "- [{}]({})",
                    markdown_code(&e.name),
                    self.href(&e.target)
                );
            }
            out.push('\n');
        }
        out.push_str("<a id=\"by-name\"></a>\n\n## By name\n\n");
        let mut letter = None;
        for e in entries {
            let l = index::initial(&e.name);
            if letter != Some(l) {
                let _ = writeln!(out, "\n### {}\n", esc(&l.to_string()));
                letter = Some(l);
            }
            let _ = writeln!(
                out,
                "- [{}]({}) · {}",
                markdown_code(&e.name),
                self.href(&e.target),
                e.kind.label()
            );
        }
        out
    }
}
