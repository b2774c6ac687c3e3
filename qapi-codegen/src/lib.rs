//! Rust code generation from checked QAPI schemas.
