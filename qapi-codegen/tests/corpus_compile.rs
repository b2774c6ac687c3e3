//! The code generated for the real schemas of `../shared/qapi-corpus`
//! (the full QMP tree, the guest agent schemas of every era, read in
//! compat mode when old) compiles without a warning, with every condition
//! symbol defined and with every one undefined.
//!
//! The generated files go into a small crate under
//! `target/compile-check/` that `cargo check --offline` builds with its own
//! target directory; a rerun with unchanged code is quick. Skipped, with a
//! message, when `../shared` is absent. Entry points the parser cannot
//! read yet are listed and skipped: they are the parser's to fix.

use std::path::{Path, PathBuf};
use std::process::Command;

use qapi_codegen::builder::write_if_changed;
use qapi_codegen::cfg::UnknownSymbol;
use qapi_codegen::Options;

/// (module name, entry point relative to the corpus, compat mode)
const ENTRIES: &[(&str, &str, bool)] = &[
    ("qmp", "qmp/qapi-schema.json", false),
    ("qga_10_2", "qga/qga-schema-10.2.50.json", false),
    ("qga_7_2", "qga/qga-schema-7.2.0.json", true),
    ("qmp_7_2", "legacy/qmp-7.2.0/qapi/qapi-schema.json", true),
    ("qmp_5_2", "legacy/qmp-5.2.0/qapi/qapi-schema.json", true),
    ("qmp_2_0", "legacy/qmp-2.0.0/qapi-schema.json", true),
    ("qmp_1_0", "legacy/qmp-1.0/qapi-schema.json", true),
    ("qga_9_2", "legacy/qga/qga-schema-9.2.0.json", true),
    ("qga_8_2", "legacy/qga/qga-schema-8.2.0.json", true),
    ("qga_6_2", "legacy/qga/qga-schema-6.2.0.json", true),
    ("qga_6_0", "legacy/qga/qga-schema-6.0.0.json", true),
    ("qga_5_2", "legacy/qga/qga-schema-5.2.0.json", true),
    ("qga_4_2", "legacy/qga/qga-schema-4.2.0.json", true),
    ("qga_3_0", "legacy/qga/qga-schema-3.0.0.json", true),
    ("qga_2_12", "legacy/qga/qga-schema-2.12.0.json", true),
    ("qga_2_9", "legacy/qga/qga-schema-2.9.0.json", true),
    ("qga_2_5", "legacy/qga/qga-schema-2.5.0.json", true),
    ("qga_2_0", "legacy/qga/qga-schema-2.0.0.json", true),
    ("qga_1_1", "legacy/qga/qga-schema-1.1.0.json", true),
    ("qga_1_0", "legacy/qga/qga-schema-1.0.json", true),
    ("qga_seed_e2k", "qga/qga-schema-seed-e2k.json", true),
    ("qga_seed_0_15", "qga/qga-schema-seed-0.15.json", true),
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options(defined: bool) -> Options {
    let mut opts = Options::default();
    opts.cfg.unknown(if defined {
        UnknownSymbol::Defined
    } else {
        UnknownSymbol::Undefined
    });
    opts
}

#[test]
fn corpus_schemas_generate_code_that_compiles() {
    let corpus = manifest_dir().join("../../shared/qapi-corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    if std::env::var_os("QAPI_SKIP_COMPILE_CHECK").is_some() {
        eprintln!("skipped: QAPI_SKIP_COMPILE_CHECK is set");
        return;
    }
    let root = manifest_dir().join("../target/compile-check");
    let src = root.join("src");
    let mut lib = String::from("#![deny(warnings)]\n");
    let mut unreadable = Vec::new();
    for (name, entry, compat) in ENTRIES {
        let path = corpus.join(entry);
        let opts = qapi_parser::Options { compat: *compat };
        let schema = match qapi_parser::load(&path.to_string_lossy(), &opts) {
            Ok(s) => s,
            Err(e) => {
                unreadable.push(format!("{entry}: {}", e.0[0]));
                continue;
            }
        };
        for defined in [true, false] {
            let module = format!("{name}_{}", if defined { "on" } else { "off" });
            let code = qapi_codegen::generate(&schema, &options(defined))
                .unwrap_or_else(|e| panic!("{entry}: {e}"));
            write_if_changed(&src.join(format!("{module}.rs")), &code).unwrap();
            lib.push_str(&format!(
                "pub mod {module} {{\n    include!(\"{module}.rs\");\n}}\n"
            ));
        }
    }
    if !unreadable.is_empty() {
        eprintln!(
            "entry points the parser cannot read yet (not compiled):\n  {}",
            unreadable.join("\n  ")
        );
    }
    assert!(
        unreadable.len() <= ENTRIES.len() / 2,
        "too many unreadable entry points"
    );
    write_if_changed(&src.join("lib.rs"), &lib).unwrap();
    write_if_changed(&root.join("Cargo.toml"), MANIFEST).unwrap();
    let lock = manifest_dir().join("../Cargo.lock");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        if !root.join("Cargo.lock").exists() {
            write_if_changed(&root.join("Cargo.lock"), &text).unwrap();
        }
    }
    check(&root);
}

const MANIFEST: &str = r#"[package]
name = "qapi-compile-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
serde = "1"
serde_json = { version = "1", features = ["preserve_order"] }

[workspace]
"#;

fn check(root: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "generated code does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
