//! One request from the wire to its reply: envelope, lookup, gate,
//! arguments, call, reply.
//!
//! The steps are the generated ones ([`qga_generated::execute`] spelled
//! out), so that one command can leave the generated path after its
//! arguments are decoded: `guest-file-read`, whose reply is streamed
//! ([`Reply::with_base64`]) instead of holding its data twice, once read
//! and once as base64 text. Every other command goes through the
//! generated dispatcher and types.

use super::Agent;
use crate::backend::files::ReadOutcome;
use crate::server::{Handler, Reply};
use qga_generated::qapi;
use qga_generated::{Commands, Request};
use serde_json::{json, Value};

/// The only command whose reply carries the 0xFF sentinel.
const DELIMITED: &str = "guest-sync-delimited";

/// What a command produced.
enum Outcome {
    /// A return value, serialised in full.
    Value(Value),
    /// The bytes `guest-file-read` read, encoded as the reply is written.
    FileRead(ReadOutcome),
}

impl Agent {
    /// Runs one request (any JSON value) and returns its reply, or `None`
    /// for a command that succeeded without one.
    pub fn run(&self, request: Value) -> Option<Reply> {
        let envelope = match qapi::check_envelope(request) {
            Ok(envelope) => envelope,
            Err((error, id)) => return Some(Reply::new(&qapi::reply(Err(error), id), false)),
        };
        let id = envelope.id;
        match self.execute(&envelope.execute, envelope.arguments) {
            Ok(None) => None,
            // Only a successful guest-sync-delimited gets the sentinel.
            Ok(Some(Outcome::Value(value))) => Some(Reply::new(
                &qapi::reply(Ok(value), id),
                envelope.execute == DELIMITED,
            )),
            Ok(Some(Outcome::FileRead(read))) => Some(file_read_reply(read, id)),
            Err(error) => Some(Reply::new(&qapi::reply(Err(error), id), false)),
        }
    }

    /// Runs command `name`: the lookup, the gate, the arguments, the call.
    /// `Ok(None)` when the command succeeded and sends no reply.
    fn execute(
        &self,
        name: &str,
        arguments: Option<qapi::Map>,
    ) -> Result<Option<Outcome>, qapi::Error> {
        self.registry.check(name)?;
        Commands::gate(self, name)?;
        match Request::from_qapi(name, arguments)? {
            Request::GuestFileRead(args) => {
                let read = self.read_file(args.handle, args.count)?;
                Ok(Some(Outcome::FileRead(read)))
            }
            request => {
                let response = qga_generated::dispatch(self, request)?;
                Ok(response
                    .has_reply()
                    .then(|| Outcome::Value(response.into_qapi())))
            }
        }
    }
}

/// The reply to a `guest-file-read` that read `read`: qemu-ga's
/// `{"count", "buf-b64", "eof"}` (the members of the generated
/// [`GuestFileRead`](qga_generated::GuestFileRead)), with the base64 text streamed.
fn file_read_reply(read: ReadOutcome, id: Option<Value>) -> Reply {
    let reply = qapi::reply(
        Ok(json!({"count": read.data.len(), "buf-b64": "", "eof": read.eof})),
        id,
    );
    reply
        .pointer("/return/buf-b64")
        .and_then(|hole| Reply::with_base64(&reply, hole, read.data))
        .unwrap_or_else(|| {
            // Not reached: the member is right there.
            let error = qapi::Error::generic("failed to build the guest-file-read reply");
            Reply::new(&qapi::reply(Err(error), None), false)
        })
}

impl Handler for Agent {
    fn handle(&self, request: Value) -> Option<Reply> {
        self.run(request)
    }
}
