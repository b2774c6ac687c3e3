//! The code generator's snapshots, compiled: the kitchen-sink schema's
//! code in [`ks`], the guest agent schema's in [`qga`]. Any warning in
//! the generated code fails the build.
#![deny(warnings)]

/// The code generated for `qapi-codegen/tests/schemas/kitchen-sink.json`.
#[allow(dead_code)]
pub mod ks {
    include!(concat!(env!("OUT_DIR"), "/kitchen_sink.rs"));
}

/// The code generated for `schema/qga/qapi-schema.json`.
#[allow(dead_code)]
pub mod qga {
    include!(concat!(env!("OUT_DIR"), "/qga.rs"));
}
