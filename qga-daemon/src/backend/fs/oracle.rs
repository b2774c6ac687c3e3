//! The qemu-ga reference of the filesystem tests: see [`crate::testing::qemu_ga`].
pub(crate) use crate::testing::qemu_ga::*;
