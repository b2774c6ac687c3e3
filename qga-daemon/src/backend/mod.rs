//! The Linux implementation of each guest agent command area.
//!
//! Each module does the work of a group of commands and returns the
//! generated protocol types; `agent` (the `Commands` implementation) stays a
//! thin layer of gate, backend call and error mapping on top.

pub mod exec;
pub mod files;
pub mod freeze;
pub mod fs;
