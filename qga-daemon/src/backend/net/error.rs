//! Why a network command failed, with qemu-ga's texts.

pub use crate::backend::cpu::error::reason;

/// A failed network command; `Display` is qemu-ga's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// The interface addresses cannot be read.
    #[error("getifaddrs failed: {0}")]
    Addresses(String),
    /// A routing table cannot be read.
    #[error("open(\"{path}\"): {reason}")]
    Open {
        /// The table's file.
        path: &'static str,
        /// `strerror` of the failure.
        reason: String,
    },
}
