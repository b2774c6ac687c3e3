//! Inline markup: literals, emphasis, references, roles and hyperlinks.

use super::{Inline, Resolve};
use crate::render::links::Target;

/// Parse `text` into inline nodes.
pub(super) fn parse(text: &str, res: &dyn Resolve) -> Vec<Inline> {
    let mut p = InlineParser {
        src: text,
        res,
        out: Vec::new(),
        text: String::new(),
    };
    p.run();
    p.out
}

struct InlineParser<'a> {
    src: &'a str,
    res: &'a dyn Resolve,
    out: Vec<Inline>,
    text: String,
}

/// Characters that may come right before an inline markup start.
fn opens_after(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c.is_whitespace() || "'\"([{<-/:‘“’«¡¿".contains(c),
    }
}

/// Characters that may come right after an inline markup end.
fn closes_before(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => c.is_whitespace() || "'\")]}>-/:.,;!?\\’”»".contains(c),
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

impl InlineParser<'_> {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push(Inline::Text(std::mem::take(&mut self.text)));
        }
    }

    fn push(&mut self, node: Inline) {
        self.flush();
        self.out.push(node);
    }

    fn run(&mut self) {
        let src = self.src;
        let mut i = 0;
        while let Some(c) = src[i..].chars().next() {
            let prev = src[..i].chars().next_back();
            let rest = &src[i..];
            let used = match c {
                '\\' => self.escape(rest),
                '`' if opens_after(prev) => self.backquote(rest, None),
                ':' if opens_after(prev) => self.role(rest),
                '*' if opens_after(prev) => self.emphasis(rest),
                '@' if !prev.is_some_and(|p| p.is_alphanumeric()) => self.at_ref(rest),
                'h' if opens_after(prev) => self.url(rest),
                _ => None,
            };
            match used {
                Some(n) => i += n,
                None => {
                    self.text.push(c);
                    i += c.len_utf8();
                }
            }
        }
        self.flush();
    }

    /// `\x`: `x` taken literally; an escaped space disappears.
    fn escape(&mut self, rest: &str) -> Option<usize> {
        let next = rest[1..].chars().next()?;
        if !next.is_whitespace() {
            self.text.push(next);
        }
        Some(1 + next.len_utf8())
    }

    /// ``` ``literal`` ```, `` `reference` ``, `` `text <url>`_ ``.
    fn backquote(&mut self, rest: &str, role: Option<&str>) -> Option<usize> {
        if role.is_none() {
            if let Some(body) = rest.strip_prefix("``") {
                let end = find_close(body, "``")?;
                self.push(Inline::Code(body[..end].to_string()));
                return Some(2 + end + 2);
            }
        }
        let body = &rest[1..];
        let end = find_close(body, "`")?;
        let inner = &body[..end];
        let mut used = 1 + end + 1;
        let after = &rest[used..];
        if role.is_none() && after.starts_with('_') {
            used += if after.starts_with("__") { 2 } else { 1 };
            self.hyperlink(inner);
            return Some(used);
        }
        self.reference(inner, role);
        Some(used)
    }

    /// `` `text <url>`_ ``: a link when a URL is given, else the text.
    fn hyperlink(&mut self, inner: &str) {
        let (label, target) = split_target(inner);
        match target {
            Some(url) if !url.is_empty() => self.push(Inline::Link {
                target: Target::Url(url.to_string()),
                content: vec![Inline::Text(label.to_string())],
            }),
            _ => self.text.push_str(label),
        }
    }

    /// A cross-reference in a role (or the default role).
    fn reference(&mut self, inner: &str, role: Option<&str>) {
        let (label, target) = split_target(inner);
        let target = target.unwrap_or(label);
        match role {
            None | Some("qapi:any" | "qapi:cmd" | "qapi:event" | "qapi:type" | "qapi:obj") => {
                let name = target.trim_start_matches(['~', '!']);
                let label = if target == label { name } else { label };
                self.link_or_code(label, name);
            }
            Some("doc" | "ref" | "term" | "abbr" | "title" | "title-reference") => {
                self.push(Inline::Emph(label.to_string()))
            }
            Some("emphasis") => self.push(Inline::Emph(label.to_string())),
            Some("strong") => self.push(Inline::Strong(label.to_string())),
            Some(_) => self.push(Inline::Code(label.to_string())),
        }
    }

    fn link_or_code(&mut self, label: &str, name: &str) {
        let code = Inline::Code(label.to_string());
        match self.res.resolve(name) {
            Some(target) => self.push(Inline::Link {
                target,
                content: vec![code],
            }),
            None => self.push(code),
        }
    }

    /// `:role:`text``.
    fn role(&mut self, rest: &str) -> Option<usize> {
        let body = &rest[1..];
        let end = body.find(':')?;
        let name = &body[..end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:+".contains(c))
        {
            return None;
        }
        // A role name may itself contain colons (`:qapi:type:`): take the
        // longest prefix that is followed by a backquote.
        let mut name_end = end;
        loop {
            let after = body.get(name_end + 1..)?;
            if after.starts_with('`') {
                break;
            }
            let next = after.find(':')?;
            let candidate = &body[..name_end + 1 + next];
            if !candidate
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:+".contains(c))
            {
                return None;
            }
            name_end += 1 + next;
        }
        let role = &body[..name_end];
        let used = 1 + name_end + 1;
        let n = self.backquote(&rest[used..], Some(role))?;
        Some(used + n)
    }

    /// `*emphasis*` and `**strong**`.
    fn emphasis(&mut self, rest: &str) -> Option<usize> {
        let strong = rest.starts_with("**");
        let mark = if strong { "**" } else { "*" };
        let body = &rest[mark.len()..];
        if body.chars().next().map_or(true, char::is_whitespace) {
            return None;
        }
        let mut from = 0;
        loop {
            let end = from + body[from..].find(mark)?;
            let before = body[..end].chars().next_back();
            let after = body[end + mark.len()..].chars().next();
            let is_end = end > 0
                && !before.is_some_and(char::is_whitespace)
                && closes_before(after)
                && !(strong && after == Some('*'));
            if is_end {
                let inner = body[..end].to_string();
                self.push(if strong {
                    Inline::Strong(inner)
                } else {
                    Inline::Emph(inner)
                });
                return Some(mark.len() * 2 + end);
            }
            from = end + 1;
        }
    }

    /// `@name`: a member or definition name.
    fn at_ref(&mut self, rest: &str) -> Option<usize> {
        let body = &rest[1..];
        let len = body.find(|c| !is_name_char(c)).unwrap_or(body.len());
        let name = body[..len].trim_end_matches(['.', '-']);
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        self.link_or_code(name, name);
        Some(1 + name.len())
    }

    /// A standalone `http(s)://` address.
    fn url(&mut self, rest: &str) -> Option<usize> {
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            return None;
        }
        let len = rest
            .find(|c: char| c.is_whitespace() || "<>\"`".contains(c))
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'']);
        self.push(Inline::Link {
            target: Target::Url(url.to_string()),
            content: vec![Inline::Text(url.to_string())],
        });
        Some(url.len())
    }
}

/// Where `mark` closes in `body`: the first occurrence that is not at
/// the very start, followed by something that may end markup.
fn find_close(body: &str, mark: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let end = from + body[from..].find(mark)?;
        if end > 0 && !body[..end].ends_with('\\') {
            return Some(end);
        }
        from = end + mark.len();
    }
}

/// `label <target>` → (`label`, `Some(target)`); otherwise (`text`, None).
fn split_target(inner: &str) -> (&str, Option<&str>) {
    let trimmed = inner.trim_end();
    if let Some(body) = trimmed.strip_suffix('>') {
        if let Some(open) = body.rfind('<') {
            let label = body[..open].trim_end();
            let target = &body[open + 1..];
            if label.is_empty() {
                return (target, Some(target));
            }
            return (label, Some(target));
        }
    }
    (inner, None)
}
