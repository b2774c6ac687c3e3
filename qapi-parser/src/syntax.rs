//! The syntax tree: JSON-like values with a span on every node.
//!
//! This is what the grammar produces, before any meaning is given to keys.
//! Object members keep their source order (QEMU's dicts are ordered).

use crate::source::Span;

/// A value with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: ValueKind,
    /// Where it is: for objects and arrays, from the opening to the closing
    /// bracket; for strings, including the quotes.
    pub span: Span,
}

/// The four kinds of QAPI value (there are no numbers and no null).
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `{ 'key': value, ... }`, in source order, keys unique.
    Object(Vec<(Key, Value)>),
    /// `[ value, ... ]`.
    Array(Vec<Value>),
    /// `'text'`, escapes resolved.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
}

/// An object key with its place (the string including its quotes).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text, escapes resolved.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

impl Value {
    /// The members, when this is an object.
    pub fn as_object(&self) -> Option<&[(Key, Value)]> {
        match &self.kind {
            ValueKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, when this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of member `key`, when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }
}
