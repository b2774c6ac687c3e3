//! What `qga-client` prints on success: a reply as JSON, or the command
//! list.

use qga_generated::GuestAgentInfo;
use serde_json::Value;
use std::io::{self, Write};

/// Writes `value` as JSON and a newline: indented, or on one line when
/// `compact`. Members keep the order the agent sent them in.
pub fn write_json(value: &Value, compact: bool, out: &mut dyn Write) -> io::Result<()> {
    let text = if compact {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    }?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The agent's commands, one a line, sorted by name; disabled ones are
/// marked `disabled` in a column after the longest name.
pub fn command_list(info: &GuestAgentInfo) -> String {
    let mut commands: Vec<_> = info.supported_commands.iter().collect();
    commands.sort_by(|a, b| a.name.cmp(&b.name));
    let width = commands.iter().map(|c| c.name.len()).max().unwrap_or(0);
    commands.iter().fold(String::new(), |mut text, c| {
        if c.enabled {
            text.push_str(&c.name);
        } else {
            text.push_str(&format!("{:width$}  disabled", c.name));
        }
        text.push('\n');
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use qga_generated::GuestAgentCommandInfo;
    use serde_json::json;

    #[test]
    fn pretty_and_compact() {
        let value = json!({"b": 1, "a": [true]});
        let mut out = Vec::new();
        write_json(&value, true, &mut out).unwrap();
        assert_eq!(out, b"{\"b\":1,\"a\":[true]}\n");
        out.clear();
        write_json(&value, false, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"b\": 1,\n  \"a\": [\n    true\n  ]\n}\n"
        );
    }

    #[test]
    fn list_is_sorted_and_marks_disabled() {
        let command = |name: &str, enabled| GuestAgentCommandInfo {
            name: name.to_owned(),
            enabled,
            success_response: true,
        };
        let info = GuestAgentInfo {
            version: "10.2.0".to_owned(),
            supported_commands: vec![
                command("guest-ping", true),
                command("guest-exec", false),
                command("guest-info", true),
            ],
        };
        assert_eq!(
            command_list(&info),
            "guest-exec  disabled\nguest-info\nguest-ping\n"
        );
    }
}
