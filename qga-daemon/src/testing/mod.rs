//! Helpers shared by the unit tests of several modules.

pub mod qemu_ga;
