//! Schema documentation → `#[doc]` attributes.
//!
//! QAPI doc text is reStructuredText; rustdoc reads Markdown. The text is
//! carried over as prose: lines are joined into paragraphs and list
//! items (an indented line would start a Markdown code block, which
//! rustdoc would compile as a doctest) and the characters Markdown or rustdoc would interpret as
//! links or HTML are escaped.

use proc_macro2::TokenStream;
use qapi_parser::doc::{DocBlock, SectionKind};
use qapi_parser::schema::Feature;
use quote::quote;

use super::context::Ctx;

/// Make `text` safe and plain as Markdown: escape what Markdown would
/// interpret, and join each line to the one before unless it starts a
/// paragraph or a list item (so no line is ever indented: an indented
/// line would be a code block, or a list continuation that lints flag).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_before = true;
    for line in text.lines() {
        let content = line.trim();
        if content.is_empty() {
            if !out.is_empty() && !blank_before {
                out.push_str("\n\n");
            }
            blank_before = true;
            continue;
        }
        if !blank_before {
            out.push(if starts_list_item(content) { '\n' } else { ' ' });
        }
        blank_before = false;
        for c in content.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '\\' | '#' | '|') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

/// `- x`, `* x`, `+ x`, `1. x`.
fn starts_list_item(line: &str) -> bool {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

/// `#[doc = "..."]` attributes, one per line of `text` (nothing for empty
/// text).
pub fn attrs(text: &str) -> TokenStream {
    let text = text.trim();
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|l| format!(" {l}").trim_end().to_string());
    quote!(#(#[doc = #lines])*)
}

impl Ctx<'_> {
    /// The doc of a definition: its body, other sections (`Returns`,
    /// `Errors`, `Since`, ...), its features; or a fallback line.
    pub fn definition_doc(
        &self,
        doc: Option<&DocBlock>,
        wire: &str,
        kind: &str,
        features: &[Feature],
    ) -> TokenStream {
        if !self.opts.docs {
            return TokenStream::new();
        }
        let fallback = format!("`{wire}` ({kind})");
        let fallback = fallback.as_str();
        let mut text = String::new();
        match doc {
            Some(d) => {
                text.push_str(&escape(&d.body().text));
                for s in d.other_sections() {
                    let body = escape(&s.text);
                    if body.is_empty() {
                        continue;
                    }
                    let label = match s.kind {
                        SectionKind::Returns => "Returns: ",
                        SectionKind::Errors => "Errors: ",
                        SectionKind::Since => "Since: ",
                        SectionKind::Todo => "TODO: ",
                        _ => "",
                    };
                    push_paragraph(&mut text, &format!("{label}{body}"));
                }
            }
            None => text.push_str(fallback),
        }
        if text.trim().is_empty() {
            text.push_str(fallback);
        }
        if let Some(line) = self.unstable_line(doc, features) {
            push_paragraph(&mut text, &line);
        }
        if !features.is_empty() {
            let mut list = String::from("Features:");
            for f in features {
                let what = doc
                    .and_then(|d| d.feature(&f.name))
                    .map(|s| escape(&s.text))
                    .unwrap_or_default();
                list.push_str(&format!("\n- `{}`: {}", f.name, what.replace('\n', " ")));
            }
            push_paragraph(&mut text, &list);
        }
        attrs(&text)
    }

    /// `#[deprecated]` when `features` has an unconditional `deprecated`.
    pub fn deprecated_attr(&self, features: &[Feature]) -> TokenStream {
        if self.has_feature(features, "deprecated") {
            quote!(#[deprecated])
        } else {
            TokenStream::new()
        }
    }

    /// The doc of a member, enum value or branch `name`, described in
    /// `doc`, with `fallback` when it is not.
    pub fn member_doc(
        &self,
        doc: Option<&DocBlock>,
        name: &str,
        fallback: &str,
        features: &[Feature],
    ) -> TokenStream {
        if !self.opts.docs {
            return TokenStream::new();
        }
        let mut text = doc
            .and_then(|d| d.arg(name))
            .map(|s| escape(&s.text))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| fallback.to_string());
        if let Some(line) = self.unstable_line(doc, features) {
            push_paragraph(&mut text, &line);
        }
        attrs(&text)
    }

    /// `Unstable: ...` when `features` has `unstable` (with the feature's
    /// description from `doc`, when it has one).
    fn unstable_line(&self, doc: Option<&DocBlock>, features: &[Feature]) -> Option<String> {
        if !features.iter().any(|f| f.name == "unstable") {
            return None;
        }
        let what = doc
            .and_then(|d| d.feature("unstable"))
            .map(|s| escape(&s.text).replace('\n', " "))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "this is not a stable interface".to_string());
        Some(format!("Unstable: {what}"))
    }
}

fn push_paragraph(text: &mut String, para: &str) {
    if !text.trim().is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(para);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_prose_plain() {
        assert_eq!(
            escape("see [x] <y>\n    indented # h\n\n\n- a\n  b\n1. c\n"),
            "see \\[x\\] \\<y\\> indented \\# h\n\n- a b\n1. c"
        );
        assert_eq!(escape("\n\n"), "");
    }

    #[test]
    fn attrs_one_per_line() {
        let t = attrs("a\nb").to_string();
        assert_eq!(t, "# [doc = \" a\"] # [doc = \" b\"]");
        assert!(attrs("  \n").is_empty());
    }
}
