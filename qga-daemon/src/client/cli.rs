//! The command line of `qga-client`.

use super::address::Address;
use std::time::Duration;

/// `qga-client [OPTIONS] ADDRESS COMMAND [ARGUMENTS]`, or `ADDRESS --list`.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "qga-client",
    version,
    about = "Sends one command to a QEMU guest agent and prints its reply",
    after_help = AFTER_HELP
)]
pub struct Args {
    /// The agent: a unix socket path (the host end of QEMU's virtio-serial
    /// chardev, or an agent run with `-m unix-listen`), or `vsock:CID:PORT`.
    #[arg(value_name = "ADDRESS")]
    pub address: Address,

    /// A guest agent command, e.g. `guest-info`.
    #[arg(value_name = "COMMAND", required_unless_present = "list")]
    pub command: Option<String>,

    /// The command's arguments as a JSON object, or `-` to read them from
    /// stdin.
    #[arg(value_name = "ARGUMENTS")]
    pub arguments: Option<String>,

    /// List the agent's commands (from guest-info), marking disabled ones.
    #[arg(long, conflicts_with_all = ["command", "raw", "decode"])]
    pub list: bool,

    /// Send COMMAND and ARGUMENTS as given, without checking them against
    /// this client's schema (for other agents or newer versions).
    #[arg(long)]
    pub raw: bool,

    /// Print the reply on one line instead of indented.
    #[arg(long)]
    pub compact: bool,

    /// For guest-file-read and guest-exec-status: write the decoded
    /// base64 payloads (raw bytes) instead of the JSON reply.
    #[arg(long)]
    pub decode: bool,

    /// Give up when the agent has not answered for this long (0: wait
    /// forever).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: f64,
}

impl Args {
    /// The socket timeout: `None` waits forever.
    pub fn timeout(&self) -> Option<Duration> {
        (self.timeout > 0.0)
            .then(|| Duration::try_from_secs_f64(self.timeout).ok())
            .flatten()
    }
}

/// A non-negative, finite number of seconds that a `Duration` can hold.
fn parse_seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if seconds == 0.0 || Duration::try_from_secs_f64(seconds).is_ok() {
        Ok(seconds)
    } else {
        Err(format!("'{text}' is not a usable number of seconds"))
    }
}

const AFTER_HELP: &str = "\
Before the command, the client sends 0xFF and guest-sync-delimited with a
random id, and drops everything the agent sends before the echo of that id
(replies queued for earlier clients, the error the 0xFF itself causes).
ARGUMENTS are checked against the guest agent schema first, so a wrong
argument fails with the agent's own error without being sent; --raw skips
that check.

Output: the reply's `return` value as JSON on stdout. guest-shutdown and
guest-suspend-* send no reply on success: nothing is printed.

Exit status:
  0  success
  1  the agent answered with an error (printed as `CLASS: desc` on stderr),
     or the request was refused locally with the error the agent would give
  2  connection, protocol or usage error, or timeout
  3  guest-exec-status --decode: the process is still running
  4  guest-exec-status --decode: the process exited with a non-zero code or
     was killed by a signal (said on stderr)

Examples:
  qga-client /tmp/qga.sock guest-info
  qga-client /tmp/qga.sock guest-file-open '{\"path\":\"/etc/hostname\"}'
  qga-client vsock:3:1234 --list";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("qga-client").chain(args.iter().copied()))
    }

    #[test]
    fn command_and_arguments() {
        let args = parse(&["/tmp/s", "guest-file-open", r#"{"path":"/x"}"#]).unwrap();
        assert_eq!(args.address, Address::Unix("/tmp/s".into()));
        assert_eq!(args.command.as_deref(), Some("guest-file-open"));
        assert_eq!(args.arguments.as_deref(), Some(r#"{"path":"/x"}"#));
        assert_eq!(args.timeout(), Some(Duration::from_secs(30)));
    }

    #[test]
    fn list_needs_no_command_and_excludes_one() {
        assert!(parse(&["/tmp/s", "--list"]).unwrap().list);
        assert!(parse(&["/tmp/s", "--list", "guest-ping"]).is_err());
        assert!(parse(&["/tmp/s"]).is_err());
    }

    #[test]
    fn timeouts() {
        let args = parse(&["/tmp/s", "guest-ping", "--timeout", "0"]).unwrap();
        assert_eq!(args.timeout(), None);
        let args = parse(&["/tmp/s", "guest-ping", "--timeout", "0.25"]).unwrap();
        assert_eq!(args.timeout(), Some(Duration::from_millis(250)));
        for bad in ["-1", "abc", "inf", "NaN", "1e300"] {
            assert!(
                parse(&["/tmp/s", "guest-ping", "--timeout", bad]).is_err(),
                "{bad}"
            );
        }
    }
}
