//! Turning name strings into `proc_macro2` identifiers without panicking.

use proc_macro2::{Ident, Span};

/// The identifier for `name` as [`crate::names`] produced it (`r#type`
/// becomes a raw identifier). Characters an identifier cannot hold are
/// replaced by `_`, and an empty or digit-first result gets a `_` prefix,
/// so this never fails.
pub fn ident(name: &str) -> Ident {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let mut clean: String = bare
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() || clean == "_" {
        clean = "__x".to_string();
    } else if clean.starts_with(|c: char| c.is_ascii_digit()) {
        clean.insert(0, '_');
    }
    if raw && !matches!(clean.as_str(), "crate" | "self" | "Self" | "super") {
        Ident::new_raw(&clean, Span::call_site())
    } else {
        Ident::new(&clean, Span::call_site())
    }
}

/// `name` without a raw-identifier prefix, for building other names
/// (`f_type` from `r#type`).
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_raw_identifiers() {
        assert_eq!(ident("foo_bar").to_string(), "foo_bar");
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(bare("r#type"), "type");
    }

    #[test]
    fn odd_input_still_gives_an_identifier() {
        assert_eq!(ident("").to_string(), "__x");
        assert_eq!(ident("_").to_string(), "__x");
        assert_eq!(ident("9a").to_string(), "_9a");
        assert_eq!(ident("a.b-c").to_string(), "a_b_c");
        assert_eq!(ident("é").to_string(), "__x");
    }
}
