//! Schema documentation → `#[doc]` attributes, one per line of the
//! source (through [`super::rst`]), the wire name first.

use proc_macro2::TokenStream;
use qapi_parser::doc::{DocBlock, SectionKind};
use qapi_parser::schema::Feature;
use quote::quote;

use super::context::Ctx;
use super::rst::to_markdown;

/// `#[doc = "..."]` attributes, one per line (a leading space on each,
/// as `///` gives; nothing for no lines).
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// Append `para` after a blank line (none before the first).
fn push_paragraph(out: &mut Vec<String>, para: Vec<String>) {
    if para.is_empty() {
        return;
    }
    if out.last().is_some_and(|l| !l.is_empty()) {
        out.push(String::new());
    }
    out.extend(para);
}

/// `label` in front of the first line of `lines`.
fn labelled(label: &str, mut lines: Vec<String>) -> Vec<String> {
    match lines.first_mut() {
        Some(first) if !first.starts_with("```") => first.insert_str(0, &format!("{label} ")),
        _ => lines.insert(0, label.to_string()),
    }
    lines
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
        let mut lines = vec![format!("`{wire}` ({kind})")];
        if let Some(d) = doc {
            push_paragraph(&mut lines, to_markdown(&d.body().text));
            for s in d.other_sections() {
                let body = to_markdown(&s.text);
                let para = match s.kind {
                    SectionKind::Returns => labelled("Returns:", body),
                    SectionKind::Errors => labelled("Errors:", body),
                    SectionKind::Since => labelled("Since:", body),
                    SectionKind::Todo => labelled("TODO:", body),
                    _ => body,
                };
                push_paragraph(&mut lines, para);
            }
        }
        if !features.is_empty() {
            let mut list = vec!["Features:".to_string(), String::new()];
            for f in features {
                let what = doc
                    .and_then(|d| d.feature(&f.name))
                    .map(|s| to_markdown(&s.text).join(" "))
                    .unwrap_or_default();
                list.push(format!("- `{}`: {}", f.name, what).trim_end().to_string());
            }
            push_paragraph(&mut lines, list);
        }
        if let Some(line) = self.unstable_line(doc, features) {
            push_paragraph(&mut lines, vec![line]);
        }
        attrs(&lines)
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
        let mut lines = doc
            .and_then(|d| d.arg(name))
            .map(|s| to_markdown(&s.text))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| vec![fallback.to_string()]);
        if let Some(line) = self.unstable_line(doc, features) {
            push_paragraph(&mut lines, vec![line]);
        }
        attrs(&lines)
    }

    /// `Unstable: ...` when `features` has `unstable` (with the feature's
    /// description from `doc`, when it has one).
    fn unstable_line(&self, doc: Option<&DocBlock>, features: &[Feature]) -> Option<String> {
        if !features.iter().any(|f| f.name == "unstable") {
            return None;
        }
        let what = doc
            .and_then(|d| d.feature("unstable"))
            .map(|s| to_markdown(&s.text).join(" "))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "this is not a stable interface".to_string());
        Some(format!("Unstable: {what}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attrs_one_per_line() {
        let t = attrs(&["a".to_string(), String::new(), "b".to_string()]).to_string();
        assert_eq!(t, "# [doc = \" a\"] # [doc = \"\"] # [doc = \" b\"]");
        assert!(attrs(&[]).is_empty());
    }

    #[test]
    fn labels_go_on_the_first_line() {
        assert_eq!(
            labelled("Since:", vec!["1.0".into()]),
            vec!["Since: 1.0".to_string()]
        );
        assert_eq!(labelled("Returns:", vec!["```text".into()])[0], "Returns:");
    }
}
