//! Why a suspend command failed, with qemu-ga's texts.

/// A failed suspend; `Display` is qemu-ga's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuspendError {
    /// No method can suspend the guest in that mode.
    #[error("the requested suspend mode is not supported by the guest")]
    NotSupported,
    /// A helper program disappeared before it could run.
    #[error("the helper program '{0}' was not found")]
    HelperNotFound(String),
    /// A helper program exited with a non-zero status.
    #[error("the helper program '{what}' returned an unexpected exit status code ({code})")]
    HelperStatus {
        /// The program (with its argument for systemctl).
        what: String,
        /// Its exit status.
        code: i32,
    },
    /// A helper program was killed by a signal.
    #[error("the helper program '{what}' was killed by signal {signal}")]
    HelperSignal {
        /// The program.
        what: String,
        /// The signal number.
        signal: i32,
    },
    /// A helper program could not be started.
    #[error("failed to create child process, error '{0}'")]
    Spawn(String),
    /// A power management file could not be written.
    #[error("suspend: cannot write to '{file}': {reason}")]
    Write {
        /// The file (`/sys/power/state` or `/sys/power/disk`).
        file: &'static str,
        /// `strerror` of the failure.
        reason: String,
    },
}
