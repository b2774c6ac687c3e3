//! `'if'` conditions as a typed tree.

use std::fmt;

/// A condition: a configuration symbol, or a combination of conditions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IfCond {
    /// `'CONFIG_X'`: true when the symbol is defined.
    Name(String),
    /// `{'all': [...]}`: every condition holds (never empty).
    All(Vec<IfCond>),
    /// `{'any': [...]}`: at least one holds (never empty).
    Any(Vec<IfCond>),
    /// `{'not': ...}`.
    Not(Box<IfCond>),
}

impl IfCond {
    /// Every symbol named in the tree, in order of appearance.
    pub fn symbols(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_symbols(&mut out);
        out
    }

    fn collect_symbols<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            IfCond::Name(n) => out.push(n),
            IfCond::All(v) | IfCond::Any(v) => v.iter().for_each(|c| c.collect_symbols(out)),
            IfCond::Not(c) => c.collect_symbols(out),
        }
    }

    /// Both conditions: `All([a, b])`, flattening nested `All`s.
    pub fn and(a: &IfCond, b: &IfCond) -> IfCond {
        let mut parts = Vec::new();
        for c in [a, b] {
            match c {
                IfCond::All(v) => parts.extend(v.iter().cloned()),
                other => parts.push(other.clone()),
            }
        }
        IfCond::All(parts)
    }
}

/// The Python `repr` of the raw schema value, as QEMU's test dump prints it:
/// `TEST_IF_A`, `{'all': ['A', 'B']}`, `{'not': 'A'}`.
impl fmt::Display for IfCond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IfCond::Name(n) => write!(f, "{n}"),
            _ => self.fmt_repr(f),
        }
    }
}

impl IfCond {
    fn fmt_repr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IfCond::Name(n) => write!(f, "'{n}'"),
            IfCond::All(v) | IfCond::Any(v) => {
                let key = if matches!(self, IfCond::All(_)) {
                    "all"
                } else {
                    "any"
                };
                write!(f, "{{'{key}': [")?;
                for (i, c) in v.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    c.fmt_repr(f)?;
                }
                write!(f, "]}}")
            }
            IfCond::Not(c) => {
                write!(f, "{{'not': ")?;
                c.fmt_repr(f)?;
                write!(f, "}}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_python_repr() {
        let c = IfCond::Not(Box::new(IfCond::Any(vec![
            IfCond::Not(Box::new(IfCond::Name("TEST_IF_EVT".into()))),
            IfCond::Not(Box::new(IfCond::Name("TEST_IF_STRUCT".into()))),
        ])));
        assert_eq!(
            c.to_string(),
            "{'not': {'any': [{'not': 'TEST_IF_EVT'}, {'not': 'TEST_IF_STRUCT'}]}}"
        );
        assert_eq!(IfCond::Name("A".into()).to_string(), "A");
    }
}
