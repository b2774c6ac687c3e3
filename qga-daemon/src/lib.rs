//! A drop-in replacement for the QEMU guest agent.
//!
//! - [`protocol`]: qemu-ga's wire protocol: the streaming JSON reader (QEMU's
//!   JSON dialect and limits), the request envelope, the reply writer.
//! - [`config`]: qemu-ga's command line and configuration file.
//! - [`sys`]: readers of the guest's procfs, sysfs and system files, each
//!   taking the filesystem root so that it can be tested on a fake tree.

pub mod config;
pub mod protocol;
pub mod sys;
