//! QAPI doc text (reStructuredText) → rustdoc Markdown, line by line.
//!
//! The line structure is kept. What rustdoc would misread is changed:
//! prose lines lose their indentation (an indented line would become a
//! code block, compiled as a doctest), list continuations get exactly
//! the item's indentation, literal blocks (after `::`, and the content of
//! `.. qmp-example::` and other directives) become ```` ```text ````
//! fences, `.. note::` a "Note:" paragraph, `@name` a code span, and the
//! characters Markdown would take for links or HTML are escaped.

/// The Markdown lines for `text`.
pub fn to_markdown(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut list_indent: Option<usize> = None;
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        i += 1;
        let content = line.trim();
        if content.is_empty() {
            push_blank(&mut out);
            continue;
        }
        let indent = indent_of(line);
        if let Some(rest) = content.strip_prefix(".. ") {
            let (name, arg) = rest.split_once("::").unwrap_or((rest, ""));
            let name = name.trim();
            let arg = arg.trim();
            if name == "note" || name == "admonition" || name == "important" || name == "warning" {
                let label = match name {
                    "note" => "Note:".to_string(),
                    "important" => "Important:".to_string(),
                    "warning" => "Warning:".to_string(),
                    _ => format!("{}:", prose(arg)),
                };
                let mut first = label;
                if name != "admonition" && !arg.is_empty() {
                    first.push(' ');
                    first.push_str(&prose(arg));
                }
                out.push(first);
                // The content is prose: carry on with the indented lines.
                list_indent = None;
                continue;
            }
            // Any other directive: its options, then its content as text.
            let mut title = None;
            while let Some(opt) = lines.get(i).map(|l| l.trim()) {
                if opt.starts_with(':') && indent_of(lines.get(i).copied().unwrap_or("")) > indent {
                    if let Some(t) = opt.strip_prefix(":title:") {
                        title = Some(t.trim().to_string());
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            let heading = match (name, title) {
                ("qmp-example", Some(t)) => format!("Example: {}", prose(&t)),
                ("qmp-example", None) => "Example:".to_string(),
                (_, Some(t)) => prose(&t),
                (other, None) if !arg.is_empty() => format!("{}: {}", prose(other), prose(arg)),
                _ => String::new(),
            };
            if !heading.is_empty() {
                out.push(heading);
                push_blank(&mut out);
            }
            i = literal_block(&lines, i, indent, &mut out);
            list_indent = None;
            continue;
        }
        let (text, literal) = match content.strip_suffix("::") {
            Some(before) if before.trim().is_empty() => (String::new(), true),
            Some(before) if before.ends_with(' ') => (before.trim_end().to_string(), true),
            Some(before) => (format!("{before}:"), true),
            None => (content.to_string(), false),
        };
        if !text.is_empty() {
            let item = list_item_width(&text);
            let pad = match (item, list_indent) {
                (Some(w), _) => {
                    list_indent = Some(w);
                    0
                }
                (None, Some(w)) if out.last().is_some_and(|l: &String| !l.is_empty()) => w,
                _ => {
                    list_indent = None;
                    0
                }
            };
            out.push(format!("{}{}", " ".repeat(pad), prose(&text)));
        }
        if literal {
            push_blank(&mut out);
            i = literal_block(&lines, i, indent, &mut out);
            list_indent = None;
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// A fence with the lines from `start` indented deeper than `base`
/// (blank lines inside kept), dedented; returns where the block ends.
fn literal_block(lines: &[&str], start: usize, base: usize, out: &mut Vec<String>) -> usize {
    let mut end = start;
    let mut last_text = start;
    while let Some(&l) = lines.get(end) {
        if !l.trim().is_empty() {
            if indent_of(l) <= base {
                break;
            }
            last_text = end + 1;
        }
        end += 1;
    }
    let block = lines.get(start..last_text).unwrap_or_default();
    let dedent = block
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent_of(l))
        .min()
        .unwrap_or(0);
    let body: Vec<String> = block
        .iter()
        .skip_while(|l| l.trim().is_empty())
        .map(|l| {
            l.get(dedent..)
                .unwrap_or("")
                .trim_end()
                .replace("```", "'''")
        })
        .collect();
    if !body.is_empty() {
        push_blank(out);
        out.push("```text".to_string());
        out.extend(body);
        out.push("```".to_string());
        out.push(String::new());
    }
    last_text.max(start)
}

fn push_blank(out: &mut Vec<String>) {
    if out.last().is_some_and(|l| !l.is_empty()) {
        out.push(String::new());
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The content column of a list item line (`- x` → 2, `12. x` → 4).
fn list_item_width(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line.get(digits..).is_some_and(|r| r.starts_with(". "))).then_some(digits + 2)
}

/// One prose line: `@name` → `` `name` ``, Markdown specials escaped.
pub fn prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut chars = line.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let starts_ref = c == '@'
            && !prev.is_some_and(|p| p.is_alphanumeric())
            && chars.peek().is_some_and(|n| n.is_ascii_alphabetic());
        if starts_ref {
            let mut name = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_ascii_alphanumeric() || n == '-' || n == '_' {
                    name.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push('`');
            out.push_str(&name);
            out.push('`');
            prev = Some('`');
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>' | '\\' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> String {
        to_markdown(text).join("\n")
    }

    #[test]
    fn prose_keeps_lines_and_drops_indentation() {
        assert_eq!(
            md("The @id, see [x] <y>\n    indented # h\n\n\n- a\n  b\n10. c\n    d"),
            "The `id`, see \\[x\\] \\<y\\>\nindented \\# h\n\n- a\n  b\n10. c\n    d"
        );
        assert_eq!(prose("mail@host and @a-b."), "mail@host and `a-b`.");
    }

    #[test]
    fn examples_become_text_fences() {
        let text = "Intro\n\n.. qmp-example::\n   :title: Sync\n\n   -> { \"execute\": \"x\",\n        \"arguments\": {} }\n   <- { \"return\": 1 }\n\nAfter.";
        assert_eq!(
            md(text),
            "Intro\n\nExample: Sync\n\n```text\n-> { \"execute\": \"x\",\n     \"arguments\": {} }\n<- { \"return\": 1 }\n```\n\nAfter."
        );
    }

    #[test]
    fn literal_blocks_after_double_colon() {
        assert_eq!(
            md("For example::\n\n    fn x() {}\n      y\nDone"),
            "For example:\n\n```text\nfn x() {}\n  y\n```\n\nDone"
        );
        assert_eq!(md("Code ::\n\n  a"), "Code\n\n```text\na\n```");
    }

    #[test]
    fn notes_become_paragraphs() {
        assert_eq!(
            md(".. note:: This is\n   important.\n\nNext"),
            "Note: This is\nimportant.\n\nNext"
        );
        assert_eq!(md(".. note::\n\n   Careful."), "Note:\n\nCareful.");
    }
}
