//! The request to send, from the command line: read, checked against the
//! schema (unless raw), and whether it gets a reply.

use super::failure::Failure;
use qga_generated::qapi::Map;
use qga_generated::{command_info, Request};
use serde_json::Value;
use std::io::Read;

/// The ARGUMENTS value that means "read them from stdin".
pub const FROM_STDIN: &str = "-";

/// A request ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The command's wire name.
    pub name: String,
    /// Its arguments; `None` sends no `arguments` member.
    pub arguments: Option<Map>,
    /// Whether the agent answers a success (false for guest-shutdown and
    /// guest-suspend-*).
    pub expects_reply: bool,
}

impl Call {
    /// The call decoded into the schema's request type, so that an unknown
    /// command or a wrong argument fails here with the error the agent
    /// would give; the arguments sent are that request's wire form.
    pub fn checked(name: &str, arguments: Option<Map>) -> Result<Call, Failure> {
        let request = Request::from_qapi(name, arguments).map_err(Failure::Rejected)?;
        let name = request.name();
        let arguments = Some(request.into_qapi()).filter(|a| !a.is_empty());
        Ok(Call {
            name: name.to_owned(),
            arguments,
            expects_reply: expects_reply(name),
        })
    }

    /// The call as given. Commands unknown to the schema are assumed to
    /// reply.
    pub fn raw(name: &str, arguments: Option<Map>) -> Call {
        Call {
            name: name.to_owned(),
            arguments,
            expects_reply: expects_reply(name),
        }
    }
}

fn expects_reply(name: &str) -> bool {
    command_info(name).map_or(true, |c| c.success_response)
}

/// The arguments object from the ARGUMENTS operand: JSON text, or `-`
/// for stdin (where nothing but whitespace means no arguments).
pub fn read_arguments(operand: Option<&str>, stdin: &mut dyn Read) -> Result<Option<Map>, Failure> {
    let text = match operand {
        None => return Ok(None),
        Some(FROM_STDIN) => {
            let mut text = String::new();
            stdin.read_to_string(&mut text).map_err(|e| {
                Failure::Usage(format!("cannot read the arguments from stdin: {e}"))
            })?;
            if text.trim().is_empty() {
                return Ok(None);
            }
            text
        }
        Some(text) => text.to_owned(),
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(Failure::Usage("ARGUMENTS must be a JSON object".to_owned())),
        Err(e) => Err(Failure::Usage(format!("ARGUMENTS is not valid JSON: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Map {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("an object"),
        }
    }

    #[test]
    fn checked_calls_are_normalised() {
        let call = Call::checked("guest-ping", None).unwrap();
        assert_eq!(call.arguments, None);
        assert!(call.expects_reply);
        let call = Call::checked("guest-file-open", Some(object(json!({"path": "/x"})))).unwrap();
        assert_eq!(call.arguments, Some(object(json!({"path": "/x"}))));
        let call = Call::checked("guest-shutdown", None).unwrap();
        assert!(!call.expects_reply);
    }

    #[test]
    fn checked_calls_fail_as_the_agent_would() {
        let err = |name, args: Value| match Call::checked(name, Some(object(args))) {
            Err(Failure::Rejected(e)) => format!("{}: {}", e.class.as_str(), e.desc),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            err("guest-file-open", json!({})),
            "GenericError: Parameter 'path' is missing"
        );
        assert_eq!(
            err("guest-file-read", json!({"handle": "x"})),
            "GenericError: Invalid parameter type for 'handle', expected: integer"
        );
        assert_eq!(
            err("guest-ping", json!({"x": 1})),
            "GenericError: Parameter 'x' is unexpected"
        );
        assert_eq!(
            err("guest-nope", json!({})),
            "CommandNotFound: The command guest-nope has not been found"
        );
    }

    #[test]
    fn raw_calls_are_sent_as_given() {
        let call = Call::raw("guest-nope", Some(object(json!({"a": [1]}))));
        assert_eq!(call.name, "guest-nope");
        assert_eq!(call.arguments, Some(object(json!({"a": [1]}))));
        assert!(call.expects_reply);
        assert!(!Call::raw("guest-suspend-ram", None).expects_reply);
    }

    #[test]
    fn arguments_from_the_operand_or_stdin() {
        let mut no_stdin: &[u8] = b"";
        assert_eq!(read_arguments(None, &mut no_stdin).unwrap(), None);
        assert_eq!(
            read_arguments(Some(r#"{"id":1}"#), &mut no_stdin).unwrap(),
            Some(object(json!({"id": 1})))
        );
        let mut stdin: &[u8] = b" {\"path\": \"/etc/hostname\"}\n";
        assert_eq!(
            read_arguments(Some("-"), &mut stdin).unwrap(),
            Some(object(json!({"path": "/etc/hostname"})))
        );
        let mut blank: &[u8] = b"\n";
        assert_eq!(read_arguments(Some("-"), &mut blank).unwrap(), None);
    }

    #[test]
    fn bad_arguments() {
        let mut no_stdin: &[u8] = b"";
        for (text, message) in [
            ("[1]", "ARGUMENTS must be a JSON object"),
            ("{", "ARGUMENTS is not valid JSON"),
            ("{'a':1}", "ARGUMENTS is not valid JSON"),
        ] {
            match read_arguments(Some(text), &mut no_stdin) {
                Err(Failure::Usage(m)) => assert!(m.starts_with(message), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
