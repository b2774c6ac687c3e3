//! The shapes of doc comment lines QEMU recognises, matched by hand.
//!
//! Each function states the pattern it stands for; the semantics are
//! those of Python's `re.match` (anchored at the start of the line).

use super::SectionKind;

/// Python's `str.isspace()` for one character (also what `\s` matches).
pub(super) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.rstrip()`.
pub(super) fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// Length of the leading `\s*` run, in characters.
pub(super) fn indent_of(s: &str) -> usize {
    s.chars().take_while(|&c| is_py_space(c)).count()
}

/// Length of the leading run of plain spaces (`^ *`), in characters.
pub(super) fn spaces_of(s: &str) -> usize {
    s.chars().take_while(|&c| c == ' ').count()
}

/// A line starting with `@NAME:` (`@([^:]*): *`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NameColon<'a> {
    /// Everything between `@` and the first `:` (may be empty).
    pub name: &'a str,
    /// The text after the colon and the spaces following it.
    pub rest: &'a str,
}

/// Match `@NAME:` at the start of `line`.
pub(super) fn name_colon(line: &str) -> Option<NameColon<'_>> {
    let after_at = line.strip_prefix('@')?;
    let (name, after_colon) = after_at.split_once(':')?;
    Some(NameColon {
        name,
        rest: after_colon.trim_start_matches(' '),
    })
}

/// What a section tag at the start of a line announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    /// `Returns:`, `Errors:`, `Since:` or `TODO:`.
    Section(SectionKind),
    /// `Note:` or `Notes:` (the word as written).
    Note(&'static str),
    /// `Example:` or `Examples:` (the word as written).
    Example(&'static str),
}

/// The tag words, in the order QEMU's alternation tries them (a plural
/// before its singular, as `Notes?` is greedy).
const TAGS: [(&str, Tag); 8] = [
    ("Returns", Tag::Section(SectionKind::Returns)),
    ("Errors", Tag::Section(SectionKind::Errors)),
    ("Since", Tag::Section(SectionKind::Since)),
    ("Notes", Tag::Note("Notes")),
    ("Note", Tag::Note("Note")),
    ("Examples", Tag::Example("Examples")),
    ("Example", Tag::Example("Example")),
    ("TODO", Tag::Section(SectionKind::Todo)),
];

/// Match a section tag (`(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): *`)
/// at the start of `line`; returns the tag and the text after it.
///
/// `Word::` is rST markup, not a tag.
pub(super) fn tag(line: &str) -> Option<(Tag, &str)> {
    TAGS.iter().find_map(|&(word, tag)| {
        let after = line.strip_prefix(word)?;
        if after.starts_with("::") {
            return None;
        }
        let rest = after.strip_prefix(':')?;
        Some((tag, rest.trim_start_matches(' ')))
    })
}

/// A line that opens a literal block: `::` alone or `.. qmp-example::`
/// (`(\.\. +qmp-example)? *::$`).
pub(super) fn starts_literal(line: &str) -> bool {
    let is_bare_marker = |s: &str| s.trim_start_matches(' ') == "::";
    let directive = line.strip_prefix("..").and_then(|after| {
        let name = after.trim_start_matches(' ');
        if name.len() == after.len() {
            return None;
        }
        name.strip_prefix("qmp-example")
    });
    directive.is_some_and(is_bare_marker) || is_bare_marker(line)
}

/// A line that is nothing but a URL (` *(https?|ftp)://[^ ]*$`).
pub(super) fn is_url_only(line: &str) -> bool {
    let s = line.trim_start_matches(' ');
    ["https://", "http://", "ftp://"]
        .iter()
        .any(|scheme| s.strip_prefix(scheme).is_some_and(|r| !r.contains(' ')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_colon_takes_everything_up_to_the_first_colon() {
        let m = name_colon("@foo:   bar: baz").unwrap();
        assert_eq!((m.name, m.rest), ("foo", "bar: baz"));
        let m = name_colon("@:").unwrap();
        assert_eq!((m.name, m.rest), ("", ""));
        let m = name_colon("@a b: c").unwrap();
        assert_eq!(m.name, "a b");
        assert!(name_colon("@foo").is_none());
        assert!(name_colon(" @foo:").is_none());
    }

    #[test]
    fn tags_need_one_colon() {
        assert_eq!(
            tag("Returns: x"),
            Some((Tag::Section(SectionKind::Returns), "x"))
        );
        assert_eq!(
            tag("Since:2.0"),
            Some((Tag::Section(SectionKind::Since), "2.0"))
        );
        assert_eq!(tag("TODO:"), Some((Tag::Section(SectionKind::Todo), "")));
        assert_eq!(tag("Notes: a"), Some((Tag::Note("Notes"), "a")));
        assert_eq!(tag("Note:"), Some((Tag::Note("Note"), "")));
        assert_eq!(tag("Examples:"), Some((Tag::Example("Examples"), "")));
        assert_eq!(tag("Note::"), None);
        assert_eq!(tag("Notes::"), None);
        assert_eq!(tag("Examples::"), None);
        assert_eq!(tag("Returns :"), None);
        assert_eq!(tag("Sincerely: x"), None);
        assert_eq!(tag("returns: x"), None);
        assert_eq!(tag("Todo: x"), None);
    }

    #[test]
    fn literal_markers() {
        assert!(starts_literal("::"));
        assert!(starts_literal("   ::"));
        assert!(starts_literal(".. qmp-example::"));
        assert!(starts_literal("..   qmp-example ::"));
        assert!(!starts_literal("..qmp-example::"));
        assert!(!starts_literal(" .. qmp-example::"));
        assert!(!starts_literal("Example::"));
        assert!(!starts_literal(":: x"));
        assert!(!starts_literal(".. qmp-example:: x"));
    }

    #[test]
    fn url_lines() {
        assert!(is_url_only("https://example.org/a#b"));
        assert!(is_url_only("    http://x"));
        assert!(is_url_only("ftp://x"));
        assert!(!is_url_only("see https://x"));
        assert!(!is_url_only("https://x y"));
        assert!(!is_url_only("gopher://x"));
    }

    #[test]
    fn whitespace_follows_python() {
        assert_eq!(rstrip("a \t\u{1f}"), "a");
        assert_eq!(indent_of("\t  x"), 3);
        assert_eq!(spaces_of("\t  x"), 0);
        assert_eq!(spaces_of("  x"), 2);
    }
}
