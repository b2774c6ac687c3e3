//! The generated files under `tests/snapshots/` are what the generator
//! produces today. They are compiled (and exercised) by the
//! `*_generated` tests; this test keeps them current. Run with
//! `QAPI_UPDATE_SNAPSHOTS=1` to rewrite them after a deliberate change.

use std::path::PathBuf;

use qapi_codegen::cfg::UnknownSymbol;
use qapi_codegen::Options;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(schema: PathBuf, opts: &Options, snapshot: &str) {
    let parsed = qapi_parser::load(&schema.to_string_lossy(), &Default::default())
        .unwrap_or_else(|e| panic!("{}: {}", schema.display(), e.0[0]));
    let code = qapi_codegen::generate(&parsed, opts).unwrap();
    let path = manifest_dir().join("tests/snapshots").join(snapshot);
    if std::env::var_os("QAPI_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &code).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old != code {
        let first = old
            .lines()
            .zip(code.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(old.lines().count().min(code.lines().count()));
        panic!(
            "{} is stale (first difference at line {}); rerun with QAPI_UPDATE_SNAPSHOTS=1",
            path.display(),
            first + 1
        );
    }
}

/// The options the guest agent snapshot is generated with: the platform
/// symbols mapped to Rust targets, the optional-library symbols present.
fn qga_options() -> Options {
    let mut opts = Options::default();
    opts.cfg.unknown(UnknownSymbol::Defined);
    opts
}

/// The kitchen sink's two test symbols: one always, one never defined.
fn kitchen_sink_options() -> Options {
    let mut opts = Options::default();
    opts.cfg.always("TEST_YES").never("TEST_NO");
    opts.cfg.unknown(UnknownSymbol::Error);
    opts
}

#[test]
fn qga_snapshot_is_current() {
    check(
        manifest_dir().join("../schema/qga/qapi-schema.json"),
        &qga_options(),
        "qga.rs",
    );
}

#[test]
fn kitchen_sink_snapshot_is_current() {
    check(
        manifest_dir().join("tests/schemas/kitchen-sink.json"),
        &kitchen_sink_options(),
        "kitchen_sink.rs",
    );
}

#[test]
fn unmapped_symbols_are_refused_when_asked() {
    let schema = manifest_dir().join("tests/schemas/kitchen-sink.json");
    let parsed = qapi_parser::load(&schema.to_string_lossy(), &Default::default()).unwrap();
    let mut opts = Options::default();
    opts.cfg.unknown(UnknownSymbol::Error);
    let err = qapi_codegen::generate(&parsed, &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no cfg mapping for condition symbol 'TEST_YES'\n\
         no cfg mapping for condition symbol 'TEST_NO'"
    );
}

#[test]
fn generation_is_deterministic() {
    let schema = manifest_dir().join("tests/schemas/kitchen-sink.json");
    let parsed = qapi_parser::load(&schema.to_string_lossy(), &Default::default()).unwrap();
    let a = qapi_codegen::generate(&parsed, &kitchen_sink_options()).unwrap();
    let b = qapi_codegen::generate(&parsed, &kitchen_sink_options()).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with(qapi_codegen::HEADER));
}
