//! The qemu-ga reference of the identity tests: see [`crate::testing::qemu_ga`].
pub(crate) use crate::testing::qemu_ga::{differences, shape, QemuGa as Agent};
