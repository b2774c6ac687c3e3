//! One entry as HTML.

use std::fmt::Write;

use super::Ctx;
use crate::render::escape::html;
use crate::render::model::{Entry, Group, TypeRef};

impl Ctx<'_> {
    /// The entry `e`.
    pub fn entry(&self, out: &mut String, e: &Entry) {
        let kind = e.kind.label();
        let _ = write!(
            out,
            "<section class=\"entry\" id=\"{a}\" data-kind=\"{kind}\">\n<h3 class=\"entry-head\"><span class=\"badge k-{kind}\">{kind}</span> <a class=\"name\" href=\"#{a}\">{n}</a>",
            a = html(&e.anchor),
            n = html(&e.name),
        );
        for f in &e.flags {
            let _ = write!(out, " <span class=\"flag f-{0}\">{0}</span>", html(f));
        }
        if let Some(since) = &e.since {
            out.push_str(" <span class=\"since\">since ");
            self.inlines(out, since);
            out.push_str("</span>");
        }
        out.push_str("</h3>\n");
        if let Some(c) = &e.condition {
            let _ = writeln!(out, "<p class=\"cond\">{}</p>", html(c));
        }
        self.blocks(out, &e.body, 4);
        for g in &e.groups {
            self.group(out, g);
        }
        if let Some(r) = &e.returns {
            out.push_str("<h4>Returns</h4>\n");
            if let Some(ty) = &r.ty {
                out.push_str("<p class=\"ret\">");
                self.type_ref(out, ty);
                out.push_str("</p>\n");
            }
            self.blocks(out, &r.desc, 5);
        }
        if !e.errors.is_empty() {
            out.push_str("<h4>Errors</h4>\n");
            self.blocks(out, &e.errors, 5);
        }
        if !e.features.is_empty() {
            out.push_str("<h4>Features</h4>\n<dl class=\"members\">\n");
            for f in &e.features {
                let _ = write!(
                    out,
                    "<dt><span class=\"flag f-{0}\">{0}</span></dt><dd>",
                    html(&f.name)
                );
                self.blocks(out, &f.desc, 5);
                out.push_str("</dd>\n");
            }
            out.push_str("</dl>\n");
        }
        if !e.traits.is_empty() {
            out.push_str("<ul class=\"traits\">");
            for t in &e.traits {
                let _ = write!(out, "<li>{}</li>", html(t));
            }
            out.push_str("</ul>\n");
        }
        self.blocks(out, &e.rest, 4);
        out.push_str("</section>\n");
    }

    fn group(&self, out: &mut String, g: &Group) {
        out.push_str("<h4>");
        self.inlines(out, &g.title);
        out.push_str("</h4>\n<dl class=\"members\">\n");
        for r in &g.rows {
            let _ = write!(
                out,
                "<dt id=\"{}\"><code class=\"member\">{}</code>",
                html(&r.anchor),
                html(&r.name)
            );
            if let Some(ty) = &r.ty {
                out.push_str(": ");
                self.type_ref(out, ty);
            }
            if r.optional {
                out.push_str(" <span class=\"opt\">optional</span>");
            }
            for f in &r.flags {
                let _ = write!(out, " <span class=\"flag f-{0}\">{0}</span>", html(f));
            }
            if let Some(c) = &r.condition {
                let _ = write!(out, " <span class=\"mcond\">{}</span>", html(c));
            }
            out.push_str("</dt>\n<dd>");
            if r.desc.is_empty() {
                out.push_str("<p class=\"undoc\">Not documented.</p>");
            }
            self.blocks(out, &r.desc, 5);
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }

    fn type_ref(&self, out: &mut String, ty: &TypeRef) {
        let shown = html(&ty.shown);
        match &ty.target {
            Some(t) => {
                let _ = write!(
                    out,
                    "<a class=\"type\" href=\"{}\"><code>{shown}</code></a>",
                    html(&self.href(t))
                );
            }
            None => {
                let _ = write!(out, "<code class=\"type\">{shown}</code>");
            }
        }
    }
}
