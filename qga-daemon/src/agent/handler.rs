//! One request from the wire to its reply, through the generated request
//! handler: envelope, lookup, gate, arguments, call, reply.

use super::Agent;
use crate::server::{Handler, Reply};
use serde_json::Value;

/// The only command whose reply carries the 0xFF sentinel.
const DELIMITED: &str = "guest-sync-delimited";

impl Agent {
    /// Runs one request (any JSON value) and returns its reply, or `None`
    /// for a command that succeeded without one.
    pub fn run(&self, request: Value) -> Option<Reply> {
        let sync_delimited = request.get("execute").and_then(Value::as_str) == Some(DELIMITED);
        let reply = qga_generated::handle(self, &self.registry, request)?;
        // Only a successful guest-sync-delimited gets the sentinel.
        let delimited = sync_delimited && reply.get("return").is_some();
        Some(Reply::new(&reply, delimited))
    }
}

impl Handler for Agent {
    fn handle(&self, request: Value) -> Option<Reply> {
        self.run(request)
    }
}
