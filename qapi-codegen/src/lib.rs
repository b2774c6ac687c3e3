//! Rust code generation from checked QAPI schemas.
//!
//! [`generate`] turns a [`qapi_parser::Schema`] into one Rust source file;
//! [`Builder`] does it from a `build.rs`. The generated code needs only
//! std, `serde_json` (with its `preserve_order` feature if member order
//! matters to you) and, for its serde impls, `serde`.
pub mod builder;
pub mod cfg;
pub mod examples;
mod gen;
pub mod names;
pub mod options;
pub mod render;
pub mod runtime;

pub use builder::{BuildError, Builder, Config, Generated};
pub use gen::{generate, generate_tokens, GenError, HEADER};
pub use options::Options;
