//! Rust code generation from checked QAPI schemas.
pub mod cfg;
pub mod names;
pub mod runtime;
