//! Every wire name → Rust name conversion happens here.
//!
//! QAPI names use `-` (and, under pragma exceptions, `_` and upper case);
//! Rust wants `UpperCamel` for types and variants and `snake_case` for
//! fields and methods. On top of case conversion this module handles Rust
//! keywords, names that start with a digit (`QKeyCode`'s `'1'`), and names
//! that collide once converted (`'a-b'` and `'aB'` both become `AB`).

use std::collections::HashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Names of the prelude and std that generated code must not shadow with a
/// type of the same name (it refers to them unqualified only through fully
/// qualified paths, but users of the generated module do import both).
const RESERVED_TYPES: &[&str] = &["Option", "Result", "String", "Vec", "Box", "Self"];

/// `UpperCamel` name for a type. Names that already are valid UpperCamel
/// identifiers (all QAPI type names are) are kept as written, so
/// `GuestFSFreezeStatus` stays recognisable; others are converted.
pub fn type_name(wire: &str) -> String {
    let name = if is_upper_camel(wire) {
        wire.to_string()
    } else {
        wire.to_upper_camel_case()
    };
    let name = fix_leading_digit(name, "T");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        escape_keyword(name)
    }
}

/// `UpperCamel` name for an enum variant or alternate/union branch.
pub fn variant_name(wire: &str) -> String {
    let name = wire.to_upper_camel_case();
    escape_keyword(fix_leading_digit(name, ""))
}

/// `snake_case` name for a struct field, a function argument or a method.
pub fn field_name(wire: &str) -> String {
    let name = wire.to_snake_case();
    escape_keyword(fix_leading_digit(name, ""))
}

/// `snake_case` name for a command's method.
pub fn method_name(wire: &str) -> String {
    field_name(wire)
}

/// QAPI's CamelCase: an upper-case letter first, letters and digits only,
/// at least one lower-case letter (so no all-caps acronym names).
fn is_upper_camel(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && s.chars().any(|c| c.is_ascii_lowercase())
}

/// Identifiers cannot start with a digit (or be empty): prefix `_` (or the
/// given prefix) in that case.
fn fix_leading_digit(name: String, prefix: &str) -> String {
    match name.chars().next() {
        None => format!("_{prefix}"),
        Some(c) if c.is_ascii_digit() => {
            if prefix.is_empty() {
                format!("_{name}")
            } else {
                format!("{prefix}{name}")
            }
        }
        Some(_) => name,
    }
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Hands out unique Rust names within one namespace (the fields of one
/// struct, the variants of one enum, the types of one module).
///
/// The first wire name to claim a Rust name gets it as is; a later one
/// that converts to the same name gets a numeric suffix (`AB2`), so the
/// result is stable as long as the schema's order is.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashMap<String, String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace in which `names` are already taken (by hand-written or
    /// fixed items).
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ns = Self::new();
        for n in names {
            ns.taken.insert(n.to_string(), String::new());
        }
        ns
    }

    /// Claim `candidate` for `wire`, or a suffixed variant of it when another
    /// wire name has it already. Claiming again for the same wire name
    /// returns the same answer.
    pub fn claim(&mut self, wire: &str, candidate: String) -> String {
        match self.taken.get(&candidate) {
            None => {
                self.taken.insert(candidate.clone(), wire.to_string());
                candidate
            }
            Some(owner) if owner == wire && !owner.is_empty() => candidate,
            Some(_) => {
                let base = candidate.trim_start_matches("r#").to_string();
                let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
                    "_"
                } else {
                    ""
                };
                let mut n = 2;
                loop {
                    let next = format!("{base}{sep}{n}");
                    match self.taken.get(&next) {
                        None => {
                            self.taken.insert(next.clone(), wire.to_string());
                            return next;
                        }
                        Some(owner) if owner == wire => return next,
                        Some(_) => n += 1,
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_keep_valid_camel_case() {
        assert_eq!(type_name("GuestFSFreezeStatus"), "GuestFSFreezeStatus");
        assert_eq!(type_name("QKeyCode"), "QKeyCode");
    }

    #[test]
    fn type_names_convert_other_spellings() {
        assert_eq!(type_name("q_obj_guest-exec-arg"), "QObjGuestExecArg");
        assert_eq!(type_name("__com.redhat_Foo"), "ComRedhatFoo");
        assert_eq!(type_name("x-Foo"), "XFoo");
    }

    #[test]
    fn type_names_avoid_std_names() {
        assert_eq!(type_name("String"), "String_");
        assert_eq!(type_name("Option"), "Option_");
    }

    #[test]
    fn fields_are_snake_case() {
        assert_eq!(field_name("buf-b64"), "buf_b64");
        assert_eq!(field_name("out-truncated"), "out_truncated");
        assert_eq!(field_name("ACPI_X"), "acpi_x");
        assert_eq!(field_name("__com.redhat_feature"), "com_redhat_feature");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("match"), "r#match");
        assert_eq!(variant_name("self"), "Self_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("super"), "super_");
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(variant_name("1"), "_1");
        assert_eq!(variant_name("2d"), "_2d");
        assert_eq!(field_name("3des"), "_3des");
        assert_eq!(type_name("9Lives"), "T9lives");
    }

    #[test]
    fn variants_are_upper_camel() {
        assert_eq!(variant_name("guest-fsfreeze"), "GuestFsfreeze");
        assert_eq!(variant_name("qnull"), "Qnull");
        assert_eq!(variant_name("x-foo"), "XFoo");
    }

    #[test]
    fn collisions_get_numbered() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("a-b", variant_name("a-b")), "AB");
        assert_eq!(ns.claim("aB", variant_name("aB")), "AB2");
        assert_eq!(ns.claim("a_b", variant_name("a_b")), "AB3");
        assert_eq!(ns.claim("a-b", variant_name("a-b")), "AB");
        assert_eq!(ns.claim("aB", variant_name("aB")), "AB2");
    }

    #[test]
    fn collisions_with_digit_endings_stay_readable() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("int8", variant_name("int8")), "Int8");
        assert_eq!(ns.claim("int-8", variant_name("int-8")), "Int8_2");
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let mut ns = Namespace::with_reserved(["Event"]);
        assert_eq!(ns.claim("EVENT", type_name("EVENT")), "Event2");
    }

    #[test]
    fn raw_identifiers_collide_on_their_bare_name() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("type", field_name("type")), "r#type");
        assert_eq!(ns.claim("TYPE", field_name("TYPE")), "type2");
    }
}
