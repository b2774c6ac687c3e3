//! One request from the wire to its reply.

use super::commands::Call;
use super::Agent;
use crate::protocol::{error_reply, success_reply, ErrorClass, Request};
use crate::server::{Handler, Reply};
use qga_generated::qapi;
use serde_json::Value;

/// The only command whose reply carries the 0xFF sentinel.
const DELIMITED: &str = "guest-sync-delimited";

impl Agent {
    /// Runs one request (any JSON value) and returns its reply, or `None`
    /// for a command that succeeded without one.
    pub fn run(&self, request: Value) -> Option<Reply> {
        let request = match Request::from_value(request) {
            Ok(request) => request,
            Err(e) => return Some(Reply::new(&e.into_reply(), false)),
        };
        let Request {
            execute,
            arguments,
            id,
        } = request;
        let outcome = match qga_generated::command_info(&execute) {
            None => Err(qapi::Error::command_not_found(&execute)),
            Some(info) => self
                .gate
                .check(info.name)
                .and_then(|()| qga_generated::execute(&mut Call(self), info.name, Some(arguments))),
        };
        match outcome {
            Ok(None) => None,
            Ok(Some(ret)) => Some(Reply::new(&success_reply(ret, id), execute == DELIMITED)),
            Err(e) => Some(Reply::new(
                &error_reply(error_class(e.class), e.desc, id),
                false,
            )),
        }
    }
}

impl Handler for Agent {
    fn handle(&self, request: Value) -> Option<Reply> {
        self.run(request)
    }
}

/// The wire's error class for a generated error's class.
fn error_class(class: qapi::ErrorClass) -> ErrorClass {
    match class {
        qapi::ErrorClass::GenericError => ErrorClass::GenericError,
        qapi::ErrorClass::CommandNotFound => ErrorClass::CommandNotFound,
        qapi::ErrorClass::DeviceNotActive => ErrorClass::DeviceNotActive,
        qapi::ErrorClass::DeviceNotFound => ErrorClass::DeviceNotFound,
        qapi::ErrorClass::KVMMissingCap => ErrorClass::KvmMissingCap,
    }
}
