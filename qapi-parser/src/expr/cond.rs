//! `'if'` conditions: checked and turned into [`IfCond`].
//!
//! The modern form is `'IDENT'`, `{'all': [...]}`, `{'any': [...]}` or
//! `{'not': ...}`. In compat mode a string may also be a C preprocessor
//! expression (`'defined(A) || !defined(B)'`) and the whole condition may
//! be a list of such strings, all of which must hold.

use crate::ifcond::IfCond;
use crate::syntax::{Value, ValueKind};

use super::keys::check_keys;

/// How deeply conditions may nest before they are rejected (QEMU has no
/// limit of its own; this only keeps the checker's stack bounded).
const MAX_DEPTH: usize = 64;

/// A configuration symbol: `[A-Z][A-Z0-9_]*`.
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Check condition `value` of `source` (`struct`, `'data' member 'x'`);
/// the error is the complete message.
pub(crate) fn check_if(value: &Value, source: &str, compat: bool) -> Result<IfCond, String> {
    if compat {
        match &value.kind {
            ValueKind::Str(s) if !is_ident(s) => {
                return c_expr::parse(s).ok_or_else(|| invalid_ident(s, source))
            }
            ValueKind::Array(items) => return compat_list(items, source),
            _ => {}
        }
    }
    Checker { source }.cond(value, 0)
}

fn invalid_ident(s: &str, source: &str) -> String {
    format!("'if' condition '{s}' of {source} is not a valid identifier")
}

/// A list of C-expression strings, all of which must hold.
fn compat_list(items: &[Value], source: &str) -> Result<IfCond, String> {
    let mut conds = Vec::new();
    for item in items {
        let s = item.as_str().ok_or_else(|| {
            format!("'if' condition of {source} must be a string or a list of strings")
        })?;
        let cond = if is_ident(s) {
            IfCond::Name(s.to_string())
        } else {
            c_expr::parse(s).ok_or_else(|| invalid_ident(s, source))?
        };
        conds.push(cond);
    }
    match conds.len() {
        0 => Err(format!("'if' condition [] of {source} is useless")),
        1 => Ok(conds.remove(0)),
        _ => Ok(IfCond::All(conds)),
    }
}

struct Checker<'a> {
    source: &'a str,
}

impl Checker<'_> {
    fn cond(&self, value: &Value, depth: usize) -> Result<IfCond, String> {
        let source = self.source;
        if depth > MAX_DEPTH {
            return Err(format!("'if' condition of {source} is nested too deeply"));
        }
        let members = match &value.kind {
            ValueKind::Str(s) if is_ident(s) => return Ok(IfCond::Name(s.clone())),
            ValueKind::Str(s) => return Err(invalid_ident(s, source)),
            ValueKind::Object(members) => members,
            _ => {
                return Err(format!(
                    "'if' condition of {source} must be a string or an object"
                ))
            }
        };
        check_keys(
            members,
            &format!("'if' condition of {source}"),
            &[],
            &["all", "any", "not"],
        )?;
        let [(key, operand)] = members.as_slice() else {
            return Err(format!("'if' condition of {source} has conflicting keys"));
        };
        match key.name.as_str() {
            "not" => Ok(IfCond::Not(Box::new(self.cond(operand, depth + 1)?))),
            op => {
                let operands = operand
                    .as_array()
                    .ok_or_else(|| format!("'{op}' condition of {source} must be an array"))?;
                if operands.is_empty() {
                    return Err(format!("'if' condition [] of {source} is useless"));
                }
                let conds = operands
                    .iter()
                    .map(|o| self.cond(o, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if op == "all" {
                    IfCond::All(conds)
                } else {
                    IfCond::Any(conds)
                })
            }
        }
    }
}

/// The C preprocessor expressions of QEMU 3.0 to 6.1 conditions.
mod c_expr {
    use super::{is_ident, IfCond, MAX_DEPTH};

    #[derive(Debug, Clone, PartialEq)]
    enum Tok<'a> {
        Ident(&'a str),
        Open,
        Close,
        Not,
        And,
        Or,
    }

    fn lex(s: &str) -> Option<Vec<Tok<'_>>> {
        let mut toks = Vec::new();
        let mut rest = s.trim_start();
        while let Some(c) = rest.chars().next() {
            let (tok, len) = match c {
                '(' => (Tok::Open, 1),
                ')' => (Tok::Close, 1),
                '!' => (Tok::Not, 1),
                '&' if rest.starts_with("&&") => (Tok::And, 2),
                '|' if rest.starts_with("||") => (Tok::Or, 2),
                c if c.is_ascii_alphabetic() || c == '_' => {
                    let len = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    (Tok::Ident(&rest[..len]), len)
                }
                _ => return None,
            };
            toks.push(tok);
            rest = rest[len..].trim_start();
        }
        Some(toks)
    }

    struct Parser<'a> {
        toks: Vec<Tok<'a>>,
        pos: usize,
    }

    impl<'a> Parser<'a> {
        fn peek(&self) -> Option<Tok<'a>> {
            self.toks.get(self.pos).cloned()
        }

        fn eat(&mut self, tok: &Tok<'_>) -> bool {
            if self.peek().as_ref() == Some(tok) {
                self.pos += 1;
                true
            } else {
                false
            }
        }

        /// `a || b || ...` (a single operand is returned as is).
        fn or(&mut self, depth: usize) -> Option<IfCond> {
            let mut conds = vec![self.and(depth)?];
            while self.eat(&Tok::Or) {
                conds.push(self.and(depth)?);
            }
            Some(one_or(conds, IfCond::Any))
        }

        fn and(&mut self, depth: usize) -> Option<IfCond> {
            let mut conds = vec![self.unary(depth)?];
            while self.eat(&Tok::And) {
                conds.push(self.unary(depth)?);
            }
            Some(one_or(conds, IfCond::All))
        }

        fn unary(&mut self, depth: usize) -> Option<IfCond> {
            if depth > MAX_DEPTH {
                return None;
            }
            if self.eat(&Tok::Not) {
                return Some(IfCond::Not(Box::new(self.unary(depth + 1)?)));
            }
            if self.eat(&Tok::Open) {
                let cond = self.or(depth + 1)?;
                return self.eat(&Tok::Close).then_some(cond);
            }
            let Some(Tok::Ident(word)) = self.peek() else {
                return None;
            };
            self.pos += 1;
            if word == "defined" {
                let paren = self.eat(&Tok::Open);
                let Some(Tok::Ident(name)) = self.peek() else {
                    return None;
                };
                self.pos += 1;
                if paren && !self.eat(&Tok::Close) {
                    return None;
                }
                return is_ident(name).then(|| IfCond::Name(name.to_string()));
            }
            is_ident(word).then(|| IfCond::Name(word.to_string()))
        }
    }

    fn one_or(mut conds: Vec<IfCond>, many: fn(Vec<IfCond>) -> IfCond) -> IfCond {
        if conds.len() == 1 {
            conds.remove(0)
        } else {
            many(conds)
        }
    }

    /// Parse `s`; `None` when it is not such an expression.
    pub(super) fn parse(s: &str) -> Option<IfCond> {
        let mut p = Parser {
            toks: lex(s)?,
            pos: 0,
        };
        let cond = p.or(0)?;
        (p.pos == p.toks.len()).then_some(cond)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::testutil::value;

    fn strict(src: &str) -> Result<IfCond, String> {
        check_if(&value(src), "struct", false)
    }

    fn compat(src: &str) -> Result<IfCond, String> {
        check_if(&value(src), "struct", true)
    }

    fn name(n: &str) -> IfCond {
        IfCond::Name(n.into())
    }

    #[test]
    fn modern_forms() {
        assert_eq!(strict("'CONFIG_A'"), Ok(name("CONFIG_A")));
        assert_eq!(
            strict("{'all': ['A', {'not': 'B'}]}"),
            Ok(IfCond::All(vec![
                name("A"),
                IfCond::Not(Box::new(name("B")))
            ]))
        );
        assert_eq!(strict("{'any': ['A']}"), Ok(IfCond::Any(vec![name("A")])));
    }

    #[test]
    fn modern_errors() {
        assert_eq!(
            strict("{'not': ''}"),
            Err("'if' condition '' of struct is not a valid identifier".into())
        );
        assert_eq!(
            strict("'defined(A)'"),
            Err("'if' condition 'defined(A)' of struct is not a valid identifier".into())
        );
        assert_eq!(
            strict("['A']"),
            Err("'if' condition of struct must be a string or an object".into())
        );
        assert_eq!(
            strict("{'val': 'A'}"),
            Err("'if' condition of struct has unknown key 'val'\n\
                 Valid keys are 'all', 'any', 'not'."
                .into())
        );
        assert_eq!(
            strict("{'all': ['A'], 'any': ['B']}"),
            Err("'if' condition of struct has conflicting keys".into())
        );
        assert_eq!(
            strict("{}"),
            Err("'if' condition of struct has conflicting keys".into())
        );
        assert_eq!(
            strict("{'all': 'A'}"),
            Err("'all' condition of struct must be an array".into())
        );
        assert_eq!(
            strict("{'any': []}"),
            Err("'if' condition [] of struct is useless".into())
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("{}'A'{}", "{'not': ".repeat(200), "}".repeat(200));
        assert!(strict(&src).unwrap_err().contains("nested too deeply"));
        let src = format!("{}defined(A){}", "(".repeat(500), ")".repeat(500));
        assert!(compat(&format!("'{src}'")).is_err());
    }

    #[test]
    fn c_expressions_in_compat() {
        assert_eq!(compat("'defined(CONFIG_SPICE)'"), Ok(name("CONFIG_SPICE")));
        assert_eq!(
            compat("'defined(A) || defined(B)'"),
            Ok(IfCond::Any(vec![name("A"), name("B")]))
        );
        assert_eq!(
            compat("'!defined(A) && (defined B || C)'"),
            Ok(IfCond::All(vec![
                IfCond::Not(Box::new(name("A"))),
                IfCond::Any(vec![name("B"), name("C")])
            ]))
        );
        assert_eq!(
            compat("['defined(A)', 'defined(B)']"),
            Ok(IfCond::All(vec![name("A"), name("B")]))
        );
        assert_eq!(compat("['defined(A)']"), Ok(name("A")));
        assert!(compat("'defined(A'").is_err());
        assert!(compat("'A ||'").is_err());
        assert!(compat("[]").is_err());
        // Modern forms still work in compat mode.
        assert_eq!(compat("{'not': 'A'}"), Ok(IfCond::Not(Box::new(name("A")))));
    }
}
