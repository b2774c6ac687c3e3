//! Errors from reading the command line and the configuration file.

use thiserror::Error;

/// Why the agent cannot start with the given command line and configuration.
/// `Display` gives qemu-ga's message; every one of them means exit status 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// A command line that getopt would reject, e.g. `unrecognized option
    /// '--bogus'`. qemu-ga prints `<argv0>: <message>` followed by
    /// [`usage_hint`](super::usage_hint).
    #[error("{0}")]
    Usage(String),
    /// The configuration file could not be read or parsed.
    #[error("error loading configuration from path: {path}, {message}")]
    File {
        /// The file that was read.
        path: String,
        /// GLib's description of the problem.
        message: String,
    },
    /// A method other than virtio-serial or isa-serial without `-p`.
    #[error("must specify a path for this channel")]
    MissingPath,
    /// A method that is not one of the four supported ones.
    #[error("unsupported channel method/type: {0}")]
    UnsupportedMethod(String),
    /// A state directory that is not an absolute path.
    #[error("state directory must be an absolute path: {0}")]
    RelativeStateDir(String),
    /// A vsock address without the `<cid>:<port>` shape.
    #[error("error parsing address '{0}'")]
    VsockAddress(String),
    /// A vsock address followed by a `,` and more text.
    #[error("trailing characters in address '{0}'")]
    VsockTrailing(String),
    /// A vsock CID that is not a 32-bit unsigned decimal number.
    #[error("Failed to parse cid '{0}'")]
    VsockCid(String),
    /// A vsock port that is not a 32-bit unsigned decimal number.
    #[error("Failed to parse port '{0}'")]
    VsockPort(String),
}
