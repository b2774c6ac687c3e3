//! The qemu-ga reference of the file tests: see [`crate::testing::qemu_ga`].
pub(crate) use crate::testing::qemu_ga::*;
