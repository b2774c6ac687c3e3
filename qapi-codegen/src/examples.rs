//! The examples of doc blocks: the `->` (client to server) and `<-`
//! (server to client) messages of `.. qmp-example::` blocks.

use qapi_parser::doc::DocBlock;

/// Who sends an example message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `->`: the client.
    ToServer,
    /// `<-`: the server.
    ToClient,
}

/// One message of an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Who sends it.
    pub direction: Direction,
    /// Its text, continuation lines joined with `\n` (may hold `...`
    /// elisions, so it is not always valid JSON).
    pub text: String,
}

/// The messages of every `.. qmp-example::` block in `doc`, in order.
pub fn messages(doc: &DocBlock) -> Vec<Message> {
    examples(doc).into_iter().flatten().collect()
}

/// The messages of each `.. qmp-example::` block in `doc`, one list per
/// block.
pub fn examples(doc: &DocBlock) -> Vec<Vec<Message>> {
    doc.sections
        .iter()
        .flat_map(|s| examples_in(&s.text))
        .collect()
}

/// The messages of each example block in one piece of doc text.
pub fn examples_in(text: &str) -> Vec<Vec<Message>> {
    let mut out = Vec::new();
    let mut chunk = String::new();
    let mut flush = |chunk: &mut String| {
        let mut block = Vec::new();
        messages_in(chunk, &mut block);
        if !block.is_empty() {
            out.push(block);
        }
        chunk.clear();
    };
    for line in text.lines() {
        if line.trim().starts_with(".. qmp-example::") {
            flush(&mut chunk);
        }
        chunk.push_str(line);
        chunk.push('\n');
    }
    flush(&mut chunk);
    out
}

/// The messages of the example blocks in one piece of doc text.
pub fn messages_in(text: &str, out: &mut Vec<Message>) {
    let mut in_example = false;
    let mut current: Option<Message> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with(".. ") {
            out.extend(current.take());
            in_example = trimmed.starts_with(".. qmp-example::");
            continue;
        }
        if !in_example {
            continue;
        }
        let starts = |m: &str| trimmed.strip_prefix(m).map(str::trim_start);
        if let Some(rest) = starts("->") {
            out.extend(current.take());
            current = Some(Message {
                direction: Direction::ToServer,
                text: rest.to_string(),
            });
        } else if let Some(rest) = starts("<-") {
            out.extend(current.take());
            current = Some(Message {
                direction: Direction::ToClient,
                text: rest.to_string(),
            });
        } else if trimmed.is_empty() {
            out.extend(current.take());
        } else if !line.starts_with(' ') {
            // Back to unindented text: the directive's content has ended.
            out.extend(current.take());
            in_example = false;
        } else if let Some(m) = current.as_mut() {
            m.text.push('\n');
            m.text.push_str(trimmed);
        }
    }
    out.extend(current);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_span_lines_and_blocks_end() {
        let text = "Intro\n\n.. qmp-example::\n\n   -> { \"execute\": \"x\",\n        \"arguments\": {} }\n   <- { \"return\": 1 }\n\nAfter.\n   -> not an example\n";
        let mut out = Vec::new();
        messages_in(text, &mut out);
        assert_eq!(
            out,
            vec![
                Message {
                    direction: Direction::ToServer,
                    text: "{ \"execute\": \"x\",\n\"arguments\": {} }".into()
                },
                Message {
                    direction: Direction::ToClient,
                    text: "{ \"return\": 1 }".into()
                },
            ]
        );
    }

    #[test]
    fn examples_are_grouped_by_block() {
        let ex =
            examples_in(".. qmp-example::\n\n   -> {}\n   <- {}\n\n.. qmp-example::\n\n   -> []\n");
        assert_eq!(ex.len(), 2);
        assert_eq!((ex[0].len(), ex[1].len()), (2, 1));
    }

    #[test]
    fn other_directives_are_ignored() {
        let mut out = Vec::new();
        messages_in(".. note::\n\n   -> {}\n", &mut out);
        assert!(out.is_empty());
    }
}
