//! Comparison of JSON replies by shape: member names and JSON types,
//! recursively, ignoring the values themselves.
//!
//! The elements of an array are merged into one shape (the union of their
//! types and members), so an array of interfaces compares as "interface".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

/// Deepest nesting examined; deeper parts compare as equal.
const MAX_DEPTH: usize = 128;

/// A JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool,
    /// any number
    Number,
    /// a string
    String,
    /// an array
    Array,
    /// an object
    Object,
}

impl Kind {
    fn of(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(_) => Self::Bool,
            Value::Number(_) => Self::Number,
            Value::String(_) => Self::String,
            Value::Array(_) => Self::Array,
            Value::Object(_) => Self::Object,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "bool",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
        }
    }
}

/// The shape of one or more JSON values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    kinds: BTreeSet<Kind>,
    members: BTreeMap<String, Shape>,
    /// Merged shape of array elements; `None` when every array was empty.
    items: Option<Box<Shape>>,
}

impl Shape {
    /// The shape of `value`.
    pub fn of(value: &Value) -> Self {
        Self::of_at(value, 0)
    }

    fn of_at(value: &Value, depth: usize) -> Self {
        let mut shape = Self {
            kinds: BTreeSet::from([Kind::of(value)]),
            ..Self::default()
        };
        if depth >= MAX_DEPTH {
            return shape;
        }
        match value {
            Value::Object(map) => {
                for (name, member) in map {
                    shape
                        .members
                        .insert(name.clone(), Self::of_at(member, depth + 1));
                }
            }
            Value::Array(items) => {
                for item in items {
                    let item = Self::of_at(item, depth + 1);
                    shape.items = Some(Box::new(match shape.items.take() {
                        Some(prev) => prev.merge(item),
                        None => item,
                    }));
                }
            }
            _ => {}
        }
        shape
    }

    /// The union of two shapes.
    pub fn merge(mut self, other: Self) -> Self {
        self.kinds.extend(other.kinds);
        for (name, shape) in other.members {
            let merged = match self.members.remove(&name) {
                Some(mine) => mine.merge(shape),
                None => shape,
            };
            self.members.insert(name, merged);
        }
        self.items = match (self.items, other.items) {
            (Some(a), Some(b)) => Some(Box::new(a.merge(*b))),
            (a, b) => a.or(b),
        };
        self
    }

    fn kind_names(&self) -> String {
        let names: Vec<&str> = self.kinds.iter().map(|k| k.name()).collect();
        names.join("|")
    }
}

/// How an actual value differs from the reference at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffKind {
    /// The reference has this member, the actual value does not.
    Missing,
    /// The actual value has a member the reference does not.
    Extra,
    /// The JSON types differ.
    Type {
        /// Types in the reference.
        reference: String,
        /// Types in the actual value.
        actual: String,
    },
}

/// One difference, at a path such as `return[].ip-addresses[].prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeDiff {
    /// Where: member names joined by `.`, `[]` for array elements.
    pub path: String,
    /// What.
    pub kind: DiffKind,
}

impl ShapeDiff {
    /// Whether this difference means the actual value lacks something the
    /// reference has (a missing member or a different type), as opposed to
    /// merely having more.
    pub fn is_regression(&self) -> bool {
        !matches!(self.kind, DiffKind::Extra)
    }
}

impl fmt::Display for ShapeDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DiffKind::Missing => write!(f, "{}: missing", self.path),
            DiffKind::Extra => write!(f, "{}: extra member", self.path),
            DiffKind::Type { reference, actual } => {
                write!(f, "{}: {actual} instead of {reference}", self.path)
            }
        }
    }
}

/// Differences in shape between `actual` and `reference`, with paths
/// starting at `root`.
pub fn compare(reference: &Value, actual: &Value, root: &str) -> Vec<ShapeDiff> {
    let mut diffs = Vec::new();
    compare_shapes(&Shape::of(reference), &Shape::of(actual), root, &mut diffs);
    diffs
}

/// Differences between two shapes, appended to `out`.
pub fn compare_shapes(reference: &Shape, actual: &Shape, path: &str, out: &mut Vec<ShapeDiff>) {
    if reference.kinds != actual.kinds {
        out.push(ShapeDiff {
            path: path.to_owned(),
            kind: DiffKind::Type {
                reference: reference.kind_names(),
                actual: actual.kind_names(),
            },
        });
    }
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if reference.kinds.contains(&Kind::Object) && actual.kinds.contains(&Kind::Object) {
        for (name, shape) in &reference.members {
            match actual.members.get(name) {
                Some(other) => compare_shapes(shape, other, &join(name), out),
                None => out.push(ShapeDiff {
                    path: join(name),
                    kind: DiffKind::Missing,
                }),
            }
        }
        for name in actual.members.keys() {
            if !reference.members.contains_key(name) {
                out.push(ShapeDiff {
                    path: join(name),
                    kind: DiffKind::Extra,
                });
            }
        }
    }
    if let (Some(a), Some(b)) = (&reference.items, &actual.items) {
        compare_shapes(a, b, &format!("{path}[]"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_shapes_with_different_values_match() {
        let a = json!({"return": {"pid": 1, "name": "x", "ok": true, "l": [1, 2]}});
        let b = json!({"return": {"name": "yy", "pid": 99, "ok": false, "l": []}});
        assert!(compare(&a, &b, "").is_empty());
    }

    #[test]
    fn missing_extra_and_type_changes_are_reported_with_paths() {
        let reference = json!({"return": [{"name": "lo", "ip": [{"prefix": 8}]}]});
        let actual = json!({"return": [{"ip": [{"prefix": "8"}], "stats": {}}]});
        let diffs = compare(&reference, &actual, "step");
        let text: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "step.return[].ip[].prefix: string instead of number",
                "step.return[].name: missing",
                "step.return[].stats: extra member",
            ]
        );
        assert!(diffs[0].is_regression() && diffs[1].is_regression());
        assert!(!diffs[2].is_regression());
    }

    #[test]
    fn array_elements_are_merged() {
        // One element has an optional member: the union still matches.
        let reference = json!([{"a": 1}, {"a": 2, "b": "x"}]);
        let actual = json!([{"a": 3, "b": "y"}]);
        assert!(compare(&reference, &actual, "").is_empty());
        let mixed = Shape::of(&json!([1, "s"]));
        let items = mixed.items.expect("items");
        assert_eq!(items.kind_names(), "number|string");
    }

    #[test]
    fn top_level_type_change_and_error_replies() {
        let diffs = compare(&json!({"return": {}}), &json!({"error": {}}), "");
        let text: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["return: missing", "error: extra member"]);
        let diffs = compare(&json!([]), &json!({}), "x");
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].path, "x");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut deep = json!(1);
        for _ in 0..10_000 {
            deep = Value::Array(vec![deep]);
        }
        let diffs = compare(&deep, &deep, "");
        assert!(diffs.is_empty());
        // serde_json drops recursively too; unwind the value by hand.
        let mut cur = deep;
        while let Value::Array(mut v) = cur {
            cur = v.pop().unwrap_or(Value::Null);
        }
    }
}
