//! One invocation of `qga-client`: prepare the request, connect, handshake,
//! send, print.

use super::cli::Args;
use super::decode::{self, DECODABLE};
use super::failure::{Awaited, Failure, Status};
use super::handshake::{self, SYNC_COMMAND};
use super::output;
use super::request::{self, Call};
use super::stream::Stream;
use qga_generated::qapi::Connection;
use qga_generated::Client;
use std::io::{self, Read, Write};

/// The standard streams of a run.
#[allow(missing_debug_implementations)] // trait objects
pub struct Terminal<'a> {
    /// Where `-` reads the arguments from.
    pub stdin: &'a mut dyn Read,
    /// Where replies go.
    pub stdout: &'a mut dyn Write,
    /// Where the process output of `guest-exec-status --decode` and notes
    /// go (failures are the caller's to print).
    pub stderr: &'a mut dyn Write,
}

/// Runs what `args` asks for.
pub fn run(args: &Args, terminal: Terminal<'_>) -> Result<Status, Failure> {
    // Everything that can be refused locally is, before connecting.
    let call = args
        .command
        .as_deref()
        .map(|command| prepare(args, command, &mut *terminal.stdin))
        .transpose()?;
    let stream = Stream::connect(&args.address, args.timeout()).map_err(|source| {
        // A unix connect that timed out (SO_SNDTIMEO) reports EAGAIN.
        if source.kind() == io::ErrorKind::WouldBlock {
            Failure::Timeout {
                awaited: Awaited::Accept,
                seconds: args.timeout,
            }
        } else {
            Failure::Connect {
                address: args.address.to_string(),
                source,
            }
        }
    })?;
    let mut client = Client::new(stream);
    handshake::synchronize(client.connection(), handshake::random_id())
        .map_err(|e| Failure::from_client(e, Awaited::Handshake, args.timeout))?;
    match call {
        Some(call) => execute(args, client.connection(), &call, terminal),
        None => {
            let info = client.guest_info().map_err(|e| {
                Failure::from_client(e, Awaited::Reply("guest-info".into()), args.timeout)
            })?;
            let text = output::command_list(&info);
            terminal
                .stdout
                .write_all(text.as_bytes())
                .and_then(|()| terminal.stdout.flush())
                .map_err(Failure::Output)?;
            Ok(Status::Success)
        }
    }
}

fn prepare(args: &Args, command: &str, stdin: &mut dyn Read) -> Result<Call, Failure> {
    if args.decode && !DECODABLE.contains(&command) {
        return Err(Failure::Usage(decode::not_decodable(command)));
    }
    let arguments = request::read_arguments(args.arguments.as_deref(), stdin)?;
    if args.raw {
        Ok(Call::raw(command, arguments))
    } else {
        Call::checked(command, arguments)
    }
}

fn execute<T: Read + Write>(
    args: &Args,
    conn: &mut Connection<T>,
    call: &Call,
    terminal: Terminal<'_>,
) -> Result<Status, Failure> {
    let failed = |e| Failure::from_client(e, Awaited::Reply(call.name.clone()), args.timeout);
    conn.send(&call.name, call.arguments.clone())
        .map_err(failed)?;
    if !call.expects_reply {
        return Ok(Status::Success);
    }
    if call.name == SYNC_COMMAND {
        // Its reply comes after a 0xFF of its own.
        conn.skip_to_delimiter().map_err(failed)?;
    }
    let value = conn.read_reply().map_err(failed)?;
    if args.decode {
        return decode::write_payload(&call.name, value, terminal.stdout, terminal.stderr);
    }
    output::write_json(&value, args.compact, terminal.stdout).map_err(Failure::Output)?;
    Ok(Status::Success)
}
