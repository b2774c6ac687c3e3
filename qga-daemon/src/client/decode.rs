//! `--decode`: the base64 payloads of guest-file-read and
//! guest-exec-status written out as the bytes they stand for.

use super::failure::{Failure, Status};
use crate::backend::files::base64;
use qga_generated::qapi::{decode_return, ClientError};
use qga_generated::{GuestExecStatus, GuestFileRead};
use serde_json::Value;
use std::io::Write;

/// The commands `--decode` applies to.
pub const DECODABLE: [&str; 2] = ["guest-file-read", "guest-exec-status"];

/// Writes the payload of `command`'s reply `value`: the data read to
/// `out`, or a process's output to `out` and its error output to `err`.
pub fn write_payload(
    command: &str,
    value: Value,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Status, Failure> {
    match command {
        "guest-file-read" => file_read(value, out),
        "guest-exec-status" => exec_status(value, out, err),
        _ => Err(Failure::Usage(not_decodable(command))),
    }
}

/// The complaint about `--decode` with any other command.
pub fn not_decodable(command: &str) -> String {
    format!(
        "--decode applies to {} only, not {command}",
        DECODABLE.join(" and ")
    )
}

fn file_read(value: Value, out: &mut dyn Write) -> Result<Status, Failure> {
    let read: GuestFileRead = decode_return(value).map_err(protocol)?;
    write(out, &decoded("buf-b64", &read.buf_b64)?)?;
    Ok(Status::Success)
}

/// The process's output on `out` and `err`; the status says whether it
/// has exited, and how, since its entry is gone after this reply.
fn exec_status(value: Value, out: &mut dyn Write, err: &mut dyn Write) -> Result<Status, Failure> {
    let status: GuestExecStatus = decode_return(value).map_err(protocol)?;
    if !status.exited {
        note(err, "the process is still running")?;
        return Ok(Status::StillRunning);
    }
    if let Some(data) = &status.out_data {
        write(out, &decoded("out-data", data)?)?;
    }
    if let Some(data) = &status.err_data {
        write(err, &decoded("err-data", data)?)?;
    }
    for (truncated, stream) in [
        (status.out_truncated, "output"),
        (status.err_truncated, "error output"),
    ] {
        if truncated == Some(true) {
            note(err, &format!("the agent truncated the process's {stream}"))?;
        }
    }
    match (status.exitcode, status.signal) {
        (Some(code), _) if code != 0 => {
            note(err, &format!("the process exited with code {code}"))?;
            Ok(Status::ProcessFailed)
        }
        (None, Some(signal)) => {
            note(err, &format!("the process was killed by signal {signal}"))?;
            Ok(Status::ProcessFailed)
        }
        _ => Ok(Status::Success),
    }
}

fn decoded(member: &str, text: &str) -> Result<Vec<u8>, Failure> {
    base64::decode(text).map_err(|_| Failure::Protocol(format!("'{member}' is not base64")))
}

/// A reply `decode_return` does not accept (only ever a protocol error).
fn protocol(e: ClientError) -> Failure {
    match e {
        ClientError::Protocol(text) => Failure::Protocol(text),
        other => Failure::Protocol(other.to_string()),
    }
}

fn write(to: &mut dyn Write, bytes: &[u8]) -> Result<(), Failure> {
    to.write_all(bytes)
        .and_then(|()| to.flush())
        .map_err(Failure::Output)
}

fn note(err: &mut dyn Write, text: &str) -> Result<(), Failure> {
    write(err, format!("qga-client: {text}\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(command: &str, value: Value) -> (Result<Status, Failure>, Vec<u8>, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = write_payload(command, value, &mut out, &mut err);
        (result, out, String::from_utf8(err).unwrap())
    }

    #[test]
    fn file_read_bytes() {
        let (result, out, err) = run(
            "guest-file-read",
            json!({"count": 3, "buf-b64": "AP9h", "eof": false}),
        );
        assert_eq!(result.unwrap(), Status::Success);
        assert_eq!(out, [0, 0xff, b'a']);
        assert_eq!(err, "");
    }

    #[test]
    fn exec_status_streams_and_codes() {
        let (result, out, err) = run(
            "guest-exec-status",
            json!({"exited": true, "exitcode": 0, "out-data": "aGk=", "err-data": "b29wcw=="}),
        );
        assert_eq!(result.unwrap(), Status::Success);
        assert_eq!(out, b"hi");
        assert_eq!(err, "oops");

        let (result, out, err) = run("guest-exec-status", json!({"exited": false}));
        assert_eq!(result.unwrap(), Status::StillRunning);
        assert!(out.is_empty());
        assert_eq!(err, "qga-client: the process is still running\n");

        let (result, _, err) = run(
            "guest-exec-status",
            json!({"exited": true, "exitcode": 3, "out-truncated": true}),
        );
        assert_eq!(result.unwrap(), Status::ProcessFailed);
        assert_eq!(
            err,
            "qga-client: the agent truncated the process's output\n\
             qga-client: the process exited with code 3\n"
        );

        let (result, _, err) = run("guest-exec-status", json!({"exited": true, "signal": 9}));
        assert_eq!(result.unwrap(), Status::ProcessFailed);
        assert_eq!(err, "qga-client: the process was killed by signal 9\n");
    }

    #[test]
    fn malformed_replies_are_protocol_errors() {
        let (result, ..) = run(
            "guest-file-read",
            json!({"count": 1, "buf-b64": "*", "eof": true}),
        );
        assert!(matches!(result, Err(Failure::Protocol(m)) if m == "'buf-b64' is not base64"));
        let (result, ..) = run("guest-exec-status", json!({"exitcode": 0}));
        assert!(matches!(result, Err(Failure::Protocol(_))));
        let (result, ..) = run("guest-info", json!({}));
        assert!(matches!(result, Err(Failure::Usage(_))));
    }
}
