//! `'if'` conditions in words.

use qapi_parser::ifcond::IfCond;

/// Deeper conditions are shown with an ellipsis.
const MAX_DEPTH: usize = 32;

/// The sentence shown for a condition: `Available if CONFIG_LINUX`,
/// `Available if CONFIG_WIN32 or CONFIG_LINUX`, `Available unless
/// CONFIG_WIN32`.
pub fn availability(cond: &IfCond) -> String {
    format!("Available {}", clause(cond))
}

/// `if CONFIG_A and CONFIG_B`, `unless CONFIG_WIN32`.
pub fn clause(cond: &IfCond) -> String {
    match cond {
        IfCond::Not(inner) => format!("unless {}", words(inner, 0, false)),
        _ => format!("if {}", words(cond, 0, false)),
    }
}

/// The condition as an expression in words; `nested` asks for
/// parentheses around a combination.
fn words(cond: &IfCond, depth: usize, nested: bool) -> String {
    if depth > MAX_DEPTH {
        return "…".into();
    }
    let (parts, joiner) = match cond {
        IfCond::Name(n) => return n.clone(),
        IfCond::Not(inner) => return format!("not {}", words(inner, depth + 1, true)),
        IfCond::All(v) => (v, " and "),
        IfCond::Any(v) => (v, " or "),
    };
    if let [only] = parts.as_slice() {
        return words(only, depth + 1, nested);
    }
    let text = parts
        .iter()
        .map(|c| words(c, depth + 1, true))
        .collect::<Vec<_>>()
        .join(joiner);
    if nested {
        format!("({text})")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> IfCond {
        IfCond::Name(n.into())
    }

    #[test]
    fn conditions_read_as_sentences() {
        assert_eq!(
            availability(&name("CONFIG_LINUX")),
            "Available if CONFIG_LINUX"
        );
        assert_eq!(
            availability(&IfCond::Any(vec![
                name("CONFIG_WIN32"),
                name("CONFIG_LINUX")
            ])),
            "Available if CONFIG_WIN32 or CONFIG_LINUX"
        );
        assert_eq!(
            availability(&IfCond::Not(Box::new(name("CONFIG_WIN32")))),
            "Available unless CONFIG_WIN32"
        );
        let mixed = IfCond::All(vec![
            IfCond::Any(vec![name("A"), name("B")]),
            IfCond::Not(Box::new(name("C"))),
        ]);
        assert_eq!(clause(&mixed), "if (A or B) and not C");
    }

    #[test]
    fn deep_conditions_are_cut() {
        let mut c = name("X");
        for _ in 0..100 {
            c = IfCond::Not(Box::new(c));
        }
        assert!(clause(&c).ends_with('…'));
    }
}
