//! How a run of `qga-client` ends: its exit status, and what went wrong.

use qga_generated::qapi::{self, ClientError};
use std::fmt;
use std::io;

/// How a run that reached the agent ended; each has its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The command succeeded (exit 0).
    Success,
    /// `guest-exec-status --decode`: the process has not exited (exit 3).
    StillRunning,
    /// `guest-exec-status --decode`: the process exited with a non-zero
    /// code or was killed by a signal (exit 4).
    ProcessFailed,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::StillRunning => 3,
            Status::ProcessFailed => 4,
        }
    }
}

/// What the client was waiting for when the agent fell silent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Awaited {
    /// The listener's accepting the connection.
    Accept,
    /// The echo of the `guest-sync-delimited` handshake.
    Handshake,
    /// The reply to this command.
    Reply(String),
}

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// The agent answered with an error (exit 1).
    Agent(qapi::Error),
    /// The request was not sent: checking it against the schema gave this
    /// error, the one the agent would give (exit 1).
    Rejected(qapi::Error),
    /// The connection could not be opened (exit 2).
    Connect {
        /// The address, as given.
        address: String,
        /// Why.
        source: io::Error,
    },
    /// The agent did not answer in time (exit 2).
    Timeout {
        /// What was awaited.
        awaited: Awaited,
        /// The timeout, in seconds.
        seconds: f64,
    },
    /// The agent closed the connection (exit 2).
    Closed,
    /// Reading or writing the connection failed (exit 2).
    Io(io::Error),
    /// The agent sent something the protocol does not allow (exit 2).
    Protocol(String),
    /// The command line or the arguments cannot be used (exit 2).
    Usage(String),
    /// Writing the output failed (exit 2).
    Output(io::Error),
}

impl Failure {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Agent(_) | Failure::Rejected(_) => 1,
            _ => 2,
        }
    }

    /// A failed exchange with the agent, while waiting for `awaited`.
    pub fn from_client(error: ClientError, awaited: Awaited, seconds: f64) -> Failure {
        match error {
            ClientError::Qapi(e) => Failure::Agent(e),
            ClientError::Protocol(text) => Failure::Protocol(text),
            ClientError::Io(e) => match e.kind() {
                // What a socket read or write timeout reports.
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                    Failure::Timeout { awaited, seconds }
                }
                io::ErrorKind::UnexpectedEof => Failure::Closed,
                _ => Failure::Io(e),
            },
        }
    }

    /// Whether the text should be prefixed with the program name: error
    /// replies are printed bare, as `CLASS: desc`.
    pub fn is_error_reply(&self) -> bool {
        matches!(self, Failure::Agent(_) | Failure::Rejected(_))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Agent(e) => write!(f, "{}: {}", e.class.as_str(), e.desc),
            Failure::Rejected(e) => write!(
                f,
                "{}: {}\nqga-client: not sent (checked against this client's guest agent \
                 schema; --raw sends it unchecked)",
                e.class.as_str(),
                e.desc
            ),
            Failure::Connect { address, source } => {
                write!(f, "cannot connect to {address}: {source}")
            }
            Failure::Timeout {
                awaited: Awaited::Accept,
                seconds,
            } => write!(
                f,
                "the agent did not accept the connection within {seconds} s \
                 (its backlog is full)"
            ),
            Failure::Timeout {
                awaited: Awaited::Handshake,
                seconds,
            } => write!(
                f,
                "no answer to the handshake within {seconds} s (is the agent running? \
                 is another client connected? it serves one at a time)"
            ),
            Failure::Timeout {
                awaited: Awaited::Reply(command),
                seconds,
            } => write!(f, "no reply to {command} within {seconds} s"),
            Failure::Closed => write!(f, "the agent closed the connection"),
            Failure::Io(e) => write!(f, "connection error: {e}"),
            Failure::Protocol(text) => write!(f, "protocol error: {text}"),
            Failure::Usage(text) => write!(f, "{text}"),
            Failure::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_map_to_failures() {
        let timeout = io::Error::from(io::ErrorKind::WouldBlock);
        let awaited = Awaited::Reply("guest-info".into());
        let f = Failure::from_client(ClientError::Io(timeout), awaited.clone(), 1.5);
        assert_eq!(f.code(), 2);
        assert_eq!(f.to_string(), "no reply to guest-info within 1.5 s");
        let timeout = io::Error::from(io::ErrorKind::TimedOut);
        let f = Failure::from_client(ClientError::Io(timeout), Awaited::Handshake, 30.0);
        assert!(f
            .to_string()
            .starts_with("no answer to the handshake within 30 s"));

        let eof = io::Error::from(io::ErrorKind::UnexpectedEof);
        let f = Failure::from_client(ClientError::Io(eof), awaited.clone(), 1.0);
        assert!(matches!(f, Failure::Closed));

        let e = qapi::Error::generic("Parameter 'path' is missing");
        let f = Failure::from_client(ClientError::Qapi(e), awaited, 1.0);
        assert_eq!(f.code(), 1);
        assert!(f.is_error_reply());
        assert_eq!(f.to_string(), "GenericError: Parameter 'path' is missing");
    }

    #[test]
    fn local_rejection_says_it_was_not_sent() {
        let f = Failure::Rejected(qapi::Error::command_not_found("guest-nope"));
        assert_eq!(f.code(), 1);
        let text = f.to_string();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("CommandNotFound: The command guest-nope has not been found")
        );
        assert!(lines.next().is_some_and(|l| l.contains("--raw")));
    }

    #[test]
    fn status_codes() {
        assert_eq!(Status::Success.code(), 0);
        assert_eq!(Status::StillRunning.code(), 3);
        assert_eq!(Status::ProcessFailed.code(), 4);
    }
}
