//! Naming rules for definitions, members, values, branches and features.
//!
//! A name is an optional downstream prefix `__RFQDN_`, an optional `x-`,
//! then a stem: a letter followed by letters, digits, `-` and `_` (letters
//! in any case at this level). Its C form must not start with `q_`, which
//! is reserved for generated names. Each kind of name then restricts the
//! case of its stem.

/// Why a name was rejected; [`NameError::message`] gives QEMU's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameError {
    /// Not a valid name at all, or reserved by its `q_` C form.
    Invalid,
    /// A lower-case name using an upper-case letter or `_`.
    NotLower,
    /// An upper-case (event) name using a lower-case letter or `-`.
    NotUpper,
    /// A type name that is not CamelCase.
    NotCamel,
}

impl NameError {
    /// The message, `source` describing what is named (`struct`,
    /// `'data' member 'x'`).
    pub(crate) fn message(self, source: &str) -> String {
        match self {
            NameError::Invalid => format!("{source} has an invalid name"),
            NameError::NotLower => format!("name of {source} must not use uppercase or '_'"),
            NameError::NotUpper => format!("name of {source} must not use lowercase or '-'"),
            NameError::NotCamel => format!("name of {source} must use CamelCase"),
        }
    }
}

/// Whether the C form of `name` starts with `q_` (without building it).
fn c_name_is_reserved(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next() == Some('q') && chars.next().is_some_and(|c| !c.is_ascii_alphanumeric())
}

fn is_stem(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Strip the optional `__RFQDN_` prefix. The prefix is `__`, a non-empty
/// run of letters, digits, `.` and `-`, then `_`; since the run cannot
/// contain `_`, the first `_` after `__` ends it.
fn strip_downstream_prefix(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("__")?;
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))?;
    if end == 0 {
        return None;
    }
    rest[end..].strip_prefix('_')
}

/// Check the general name rule; returns the stem (the name without its
/// prefixes).
pub(crate) fn stem(name: &str) -> Result<&str, NameError> {
    let rest = match strip_downstream_prefix(name) {
        Some(rest) => rest,
        // A name starting with `__` that has no proper prefix can only
        // fail: a stem starts with a letter.
        None => name,
    };
    let stem = match rest.get(..2) {
        Some(x) if x.eq_ignore_ascii_case("x-") && is_stem(&rest[2..]) => &rest[2..],
        _ if is_stem(rest) => rest,
        _ => return Err(NameError::Invalid),
    };
    if c_name_is_reserved(name) {
        return Err(NameError::Invalid);
    }
    Ok(stem)
}

/// A lower-case name (commands, members, enum values, branches, features):
/// no upper-case letters unless `permit_upper`, no `_` unless
/// `permit_underscore`.
pub(crate) fn check_lower(
    name: &str,
    permit_upper: bool,
    permit_underscore: bool,
) -> Result<(), NameError> {
    let stem = stem(name)?;
    if (!permit_upper && stem.chars().any(|c| c.is_ascii_uppercase()))
        || (!permit_underscore && stem.contains('_'))
    {
        return Err(NameError::NotLower);
    }
    Ok(())
}

/// An upper-case name (events): no lower-case letters, no `-`.
pub(crate) fn check_upper(name: &str) -> Result<(), NameError> {
    let stem = stem(name)?;
    if stem.chars().any(|c| c.is_ascii_lowercase() || c == '-') {
        return Err(NameError::NotUpper);
    }
    Ok(())
}

/// A CamelCase name (types): an upper-case letter first, then letters and
/// digits only, at least one of them a lower-case letter.
pub(crate) fn check_camel(name: &str) -> Result<(), NameError> {
    let stem = stem(name)?;
    let mut chars = stem.chars();
    let ok = matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && stem.chars().all(|c| c.is_ascii_alphanumeric())
        && chars.any(|c| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(NameError::NotCamel)
    }
}

/// An enum value: a lower-case name that may also start with a digit.
pub(crate) fn check_enum_value(name: &str, permissive: bool) -> Result<(), NameError> {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        // Checked as if a letter came first.
        check_lower(&format!("d{name}"), permissive, permissive)
    } else {
        check_lower(name, permissive, permissive)
    }
}

/// A definition name, checked by the rule of its meta; the error is the
/// complete message.
pub(crate) fn check_definition(
    name: &str,
    meta: &str,
    command_name_exception: bool,
) -> Result<(), String> {
    let res = match meta {
        "event" => check_upper(name),
        "command" => check_lower(name, false, command_name_exception),
        _ => check_camel(name),
    };
    res.map_err(|e| e.message(meta))?;
    if !matches!(meta, "event" | "command") && name.ends_with("List") {
        return Err(format!("{meta} name should not end in 'List'"));
    }
    Ok(())
}

/// Member names reserved by the generated C: `u`, and `has_...`.
pub(crate) fn is_reserved_member(name: &str) -> bool {
    // Their C forms are `u` and `has_...`, read off the name itself.
    name == "u"
        || name
            .strip_prefix("has")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| !c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_prefixes() {
        assert_eq!(stem("foo-bar"), Ok("foo-bar"));
        assert_eq!(stem("x-foo"), Ok("foo"));
        assert_eq!(stem("X-foo"), Ok("foo"));
        assert_eq!(stem("__com.redhat_x-foo"), Ok("foo"));
        assert_eq!(stem("__com.redhat_foo_bar"), Ok("foo_bar"));
        // `x-` followed by no valid stem: the whole is the stem.
        assert_eq!(stem("x-1a"), Ok("x-1a"));
        assert_eq!(stem("x-"), Ok("x-"));
        assert_eq!(stem("__foo"), Err(NameError::Invalid));
        assert_eq!(stem("___foo"), Err(NameError::Invalid));
        assert_eq!(stem("_oops"), Err(NameError::Invalid));
        assert_eq!(stem("*oops"), Err(NameError::Invalid));
        assert_eq!(stem(""), Err(NameError::Invalid));
        assert_eq!(stem("1a"), Err(NameError::Invalid));
        assert_eq!(stem("a.b"), Err(NameError::Invalid));
        assert_eq!(stem("q-unix"), Err(NameError::Invalid));
        assert_eq!(stem("q_obj"), Err(NameError::Invalid));
        assert_eq!(stem("Q_obj"), Ok("Q_obj"));
    }

    #[test]
    fn case_rules() {
        assert_eq!(check_lower("a-b", false, false), Ok(()));
        assert_eq!(check_lower("a_b", false, false), Err(NameError::NotLower));
        assert_eq!(check_lower("a_b", false, true), Ok(()));
        assert_eq!(check_lower("aB", false, true), Err(NameError::NotLower));
        assert_eq!(check_lower("aB", true, false), Ok(()));
        // The prefix's `_` does not count.
        assert_eq!(check_lower("__org.foo_bar", false, false), Ok(()));
        assert_eq!(check_upper("EVENT_A"), Ok(()));
        assert_eq!(check_upper("oops"), Err(NameError::NotUpper));
        assert_eq!(check_upper("A-B"), Err(NameError::NotUpper));
        assert_eq!(check_camel("Foo"), Ok(()));
        assert_eq!(check_camel("FOO"), Err(NameError::NotCamel));
        assert_eq!(check_camel("not-a-camel"), Err(NameError::NotCamel));
        assert_eq!(check_camel("Foo_Bar"), Err(NameError::NotCamel));
        assert_eq!(check_camel("F1o"), Ok(()));
        assert_eq!(check_enum_value("1x", false), Ok(()));
        assert_eq!(check_enum_value("Value", false), Err(NameError::NotLower));
        assert_eq!(check_enum_value("q-Unix", true), Err(NameError::Invalid));
    }

    #[test]
    fn definition_names() {
        assert_eq!(
            check_definition("FooList", "struct", false),
            Err("struct name should not end in 'List'".into())
        );
        assert_eq!(
            check_definition("*oops", "struct", false),
            Err("struct has an invalid name".into())
        );
        assert_eq!(
            check_definition("a_b", "command", false),
            Err("name of command must not use uppercase or '_'".into())
        );
        assert_eq!(check_definition("a_b", "command", true), Ok(()));
        assert_eq!(
            check_definition("oops", "event", false),
            Err("name of event must not use lowercase or '-'".into())
        );
        assert!(is_reserved_member("u"));
        assert!(is_reserved_member("has-x"));
        assert!(!is_reserved_member("hash"));
        assert!(is_reserved_member("has_x"));
        assert!(is_reserved_member("hasé"));
        assert!(!is_reserved_member("has"));
        assert!(!is_reserved_member("uu"));
    }
}
