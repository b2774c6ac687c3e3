//! qemu-ga's wire protocol.
