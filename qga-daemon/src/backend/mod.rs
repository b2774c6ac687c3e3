//! The Linux implementation of each guest agent command area.
//!
//! Each module does the work of a group of commands and returns the
//! generated protocol types; `agent` (the `Commands` implementation) stays a
//! thin layer of gate, backend call and error mapping on top.

pub mod cpu;
pub mod exec;
pub mod files;
pub mod freeze;
pub mod fs;
pub mod identity;
pub mod memory;
pub mod net;
pub mod power;
pub mod ssh;
pub mod suspend;
pub mod time;
pub mod users;
