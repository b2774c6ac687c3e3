//! The guest agent protocol, generated at build time from
//! `schema/qga/qapi-schema.json`: every type, the `Commands` server trait,
//! the request dispatcher, the command registry and the typed client.

include!(concat!(env!("OUT_DIR"), "/qga.rs"));
