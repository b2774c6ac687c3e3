//! `qga-client`: a host-side command-line client of the guest agent,
//! built on the generated [`qga_generated::Client`].
//!
//! `qga-client [OPTIONS] ADDRESS COMMAND [ARGUMENTS]` connects to an agent
//! (a unix socket, or `vsock:CID:PORT`), runs the `guest-sync-delimited`
//! handshake, sends one command and prints the `return` value of the
//! reply as JSON.
//!
//! - [`cli`]: the command line.
//! - [`address`]: the agent's address; [`stream`]: the connection.
//! - [`handshake`]: 0xFF and `guest-sync-delimited`, skipping stale replies.
//! - [`request`]: the arguments, checked against the schema unless raw.
//! - [`output`] and [`decode`]: what is printed.
//! - [`failure`]: exit statuses and error messages; [`invocation`]: one run.

pub mod address;
pub mod cli;
pub mod decode;
pub mod failure;
pub mod handshake;
pub mod invocation;
pub mod output;
pub mod request;
pub mod stream;

pub use cli::Args;
pub use failure::{Failure, Status};
pub use invocation::{run, Terminal};
