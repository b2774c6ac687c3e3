//! The code generated for the kitchen-sink schema and the guest agent
//! schema, through the same engine `build.rs` uses ([`Builder::generate`]),
//! kept as insta snapshots. The `snapshot-build` crate compiles them
//! (under `#![deny(warnings)]`) and exercises them.
//!
//! After a deliberate change: `INSTA_UPDATE=always cargo test -p
//! qapi-codegen --test snapshots` (or `cargo insta review`).

use std::path::PathBuf;

use qapi_codegen::cfg::UnknownSymbol;
use qapi_codegen::Builder;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The kitchen sink's two test symbols: one always, one never defined.
fn kitchen_sink() -> Builder {
    let mut b = Builder::new();
    b.schema(manifest_dir().join("tests/schemas/kitchen-sink.json"))
        .cfg_always("TEST_YES")
        .cfg_never("TEST_NO")
        .unknown_cfg(UnknownSymbol::Error);
    b
}

/// The guest agent schema with the platform symbols mapped to Rust
/// targets and the optional-library symbols present.
fn qga() -> Builder {
    let mut b = Builder::new();
    b.schema(manifest_dir().join("../schema/qga/qapi-schema.json"))
        .unknown_cfg(UnknownSymbol::Defined);
    b
}

#[test]
fn kitchen_sink_snapshot() {
    let code = kitchen_sink().generate().unwrap().code;
    insta::assert_snapshot!("kitchen_sink", code);
}

#[test]
fn qga_snapshot() {
    let code = qga().generate().unwrap().code;
    insta::assert_snapshot!("qga", code);
}

#[test]
fn unmapped_symbols_are_refused_when_asked() {
    let mut strict = Builder::new();
    strict
        .schema(manifest_dir().join("tests/schemas/kitchen-sink.json"))
        .unknown_cfg(UnknownSymbol::Error);
    let err = strict.generate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot generate code: no cfg mapping for condition symbol 'TEST_YES'\n\
         no cfg mapping for condition symbol 'TEST_NO'"
    );
}

#[test]
fn generation_is_deterministic() {
    let a = kitchen_sink().generate().unwrap().code;
    let b = kitchen_sink().generate().unwrap().code;
    assert_eq!(a, b);
    assert!(a.starts_with(qapi_codegen::HEADER));
}
