//! Key-set checks and small helpers over syntax values.

use crate::syntax::{Key, Value, ValueKind};

/// `'a', 'b', 'c'`: the names sorted, quoted, comma separated.
fn quoted_sorted<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.into_iter().collect();
    names.sort_unstable();
    names.dedup();
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Check that `members` has every key of `required` and no key outside
/// `required` and `optional`. Missing keys are reported before unknown
/// ones; the error is the complete message.
pub(crate) fn check_keys(
    members: &[(Key, Value)],
    source: &str,
    required: &[&str],
    optional: &[&str],
) -> Result<(), String> {
    let has = |k: &str| members.iter().any(|(key, _)| key.name == k);
    let missing: Vec<&str> = required.iter().copied().filter(|k| !has(k)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{source} misses key{} {}",
            plural(missing.len()),
            quoted_sorted(missing)
        ));
    }
    let unknown: Vec<&str> = members
        .iter()
        .map(|(k, _)| k.name.as_str())
        .filter(|k| !required.contains(k) && !optional.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "{source} has unknown key{} {}\nValid keys are {}.",
            plural(unknown.len()),
            quoted_sorted(unknown),
            quoted_sorted(required.iter().chain(optional).copied())
        ));
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// The value of `key` in an object's members.
pub(crate) fn get<'a>(members: &'a [(Key, Value)], key: &str) -> Option<&'a Value> {
    members.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

/// Python's truth value of a schema value: false for `false` and for an
/// empty string, array or object.
pub(crate) fn truthy(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Bool(b) => *b,
        ValueKind::Str(s) => !s.is_empty(),
        ValueKind::Array(a) => !a.is_empty(),
        ValueKind::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn obj(keys: &[&str]) -> Vec<(Key, Value)> {
        keys.iter()
            .map(|k| {
                (
                    Key {
                        name: (*k).to_string(),
                        span: Span::default(),
                    },
                    Value {
                        kind: ValueKind::Bool(true),
                        span: Span::default(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn missing_before_unknown() {
        let m = obj(&["bogus", "struct"]);
        assert_eq!(
            check_keys(&m, "struct", &["struct", "data"], &["if"]),
            Err("struct misses key 'data'".to_string())
        );
        let m = obj(&["x"]);
        assert_eq!(
            check_keys(&m, "union", &["union", "data"], &[]),
            Err("union misses keys 'data', 'union'".to_string())
        );
    }

    #[test]
    fn unknown_keys_list_valid_ones() {
        let m = obj(&["struct", "data", "phony", "bogus"]);
        assert_eq!(
            check_keys(
                &m,
                "struct",
                &["struct", "data"],
                &["base", "if", "features"]
            ),
            Err("struct has unknown keys 'bogus', 'phony'\n\
                 Valid keys are 'base', 'data', 'features', 'if', 'struct'."
                .to_string())
        );
        assert_eq!(
            check_keys(&m[..2], "struct", &["struct", "data"], &[]),
            Ok(())
        );
    }
}
