//! Real schemas: the guest agent schema dumps exactly as QEMU 10.2.50
//! dumps it, the full QMP and storage-daemon trees pass, the seed schemas
//! fail with QEMU's first error, and compat mode reads every schema QEMU
//! ever shipped.

mod common;

use std::path::PathBuf;

use common::{shared_dir, short_diff, BaseDirLoader};
use qapi_parser::{load_with, Options, Schema};

fn corpus() -> Option<(PathBuf, BaseDirLoader)> {
    let dir = shared_dir()?.join("qapi-corpus");
    let loader = BaseDirLoader { base: dir.clone() };
    Some((dir, loader))
}

fn load(loader: &BaseDirLoader, path: &str, compat: bool) -> Result<Schema, String> {
    load_with(path, loader, &Options { compat }).map_err(|e| e.to_string())
}

#[test]
fn guest_agent_dump_matches_qemu() {
    let Some((dir, loader)) = corpus() else {
        return;
    };
    let want = std::fs::read_to_string(dir.join("expected/qga-schema-10.2.50.out")).unwrap();
    let schema = load(&loader, "qga/qga-schema-10.2.50.json", false).unwrap();
    let got = qapi_parser::dump::dump(&schema);
    assert!(got == want, "dump differs:\n{}", short_diff(&want, &got));
}

#[test]
fn qmp_and_storage_daemon_trees_pass() {
    let Some((_, loader)) = corpus() else {
        return;
    };
    let qmp = load(&loader, "qmp/qapi-schema.json", false).unwrap();
    // QEMU 10.2.50's own front end counts 1432 entities (the built-ins
    // included), 243 commands, 57 events and 1055 doc blocks.
    assert_eq!(qmp.entities.len(), 1432);
    assert_eq!(qmp.commands.len(), 243);
    assert_eq!(qmp.events.len(), 57);
    assert_eq!(qmp.docs.len(), 1055);
    let arrays = qmp.types.iter().filter(|t| t.element().is_some()).count();
    assert_eq!(arrays, 122);
    load(&loader, "storage-daemon/qapi/qapi-schema.json", false).unwrap();
}

/// SHA-256 of QEMU 10.2.50's own dump (its `test-qapi.py` printer run over
/// its front end, from `qapi-corpus/`) of each tree. Only the digests are
/// kept: the dumps are derived from QEMU's GPL schema files.
const QEMU_DUMP_SHA256: [(&str, &str); 2] = [
    (
        "qmp/qapi-schema.json",
        "8f594da935c7aa2236949df84d388f4a1b6ca4a7df3d1f929c95f6f523ec36a3",
    ),
    (
        "storage-daemon/qapi/qapi-schema.json",
        "e82cc69af85d7ce466af8f668305e054711bac12ced84f4a2893c184c6545828",
    ),
];

#[test]
fn qmp_and_storage_daemon_dumps_equal_qemus() {
    use sha2::{Digest, Sha256};
    let Some((_, loader)) = corpus() else {
        return;
    };
    for (path, want) in QEMU_DUMP_SHA256 {
        let schema = load(&loader, path, false).unwrap();
        let got = qapi_parser::dump::dump(&schema);
        let digest: String = Sha256::digest(got.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if digest != want {
            let out =
                std::env::temp_dir().join(format!("qapi-dump-{}.out", path.replace('/', "_")));
            std::fs::write(&out, &got).unwrap();
            panic!(
                "dump of {path} differs from QEMU's (sha256 {digest}); ours is in {}",
                out.display()
            );
        }
    }
}

#[test]
fn seeds_fail_with_qemus_first_error() {
    let Some((_, loader)) = corpus() else {
        return;
    };
    let e2k = load(&loader, "qga/qga-schema-seed-e2k.json", false).unwrap_err();
    assert_eq!(
        e2k,
        "qga/qga-schema-seed-e2k.json:6:1: documentation line longer than 70 characters"
    );
    let seed = load(&loader, "qga/qga-schema-seed-0.15.json", false).unwrap_err();
    assert_eq!(
        seed,
        "qga/qga-schema-seed-0.15.json:9:29: Use two spaces between sentences\n\
         If this not the end of a sentence, please report a bug."
    );
}

/// Every schema QEMU shipped (and the seeds), by entry point.
const ENTRY_POINTS: &[&str] = &[
    "qga/qga-schema-10.2.50.json",
    "qga/qga-schema-10.2.0.json",
    "qga/qga-schema-7.2.0.json",
    "qga/qga-schema-seed-0.15.json",
    "qga/qga-schema-seed-e2k.json",
    "qmp/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
    "legacy/qga/qga-schema-1.0.json",
    "legacy/qga/qga-schema-1.1.0.json",
    "legacy/qga/qga-schema-2.0.0.json",
    "legacy/qga/qga-schema-2.5.0.json",
    "legacy/qga/qga-schema-2.9.0.json",
    "legacy/qga/qga-schema-2.12.0.json",
    "legacy/qga/qga-schema-3.0.0.json",
    "legacy/qga/qga-schema-4.2.0.json",
    "legacy/qga/qga-schema-5.2.0.json",
    "legacy/qga/qga-schema-6.0.0.json",
    "legacy/qga/qga-schema-6.2.0.json",
    "legacy/qga/qga-schema-8.2.0.json",
    "legacy/qga/qga-schema-9.2.0.json",
    "legacy/qmp-1.0/qapi-schema.json",
    "legacy/qmp-2.0.0/qapi-schema.json",
    "legacy/qmp-5.2.0/qapi/qapi-schema.json",
    "legacy/qmp-7.2.0/qapi/qapi-schema.json",
];

/// Entry points compat mode cannot read yet (none today). Listed so that
/// the suite stays green while one is being worked on; the test fails once
/// a listed one passes, to keep this list honest.
const PENDING: &[&str] = &[];

#[test]
fn compat_reads_every_shipped_schema() {
    let Some((dir, loader)) = corpus() else {
        return;
    };
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for path in ENTRY_POINTS {
        assert!(dir.join(path).is_file(), "{path} is missing");
        let result = load(&loader, path, true);
        match (result, PENDING.contains(path)) {
            (Err(e), false) => failures.push(format!("{path}:\n{e}")),
            (Err(e), true) => eprintln!("pending {path}: {e}"),
            (Ok(_), true) => fixed.push(*path),
            (Ok(_), false) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "compat failures:\n{}",
        failures.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "now passing, remove from PENDING: {fixed:?}"
    );
}

/// The entity walk of a dump: everything before the doc blocks, with the
/// main module's line (which names the file) left out.
fn definitions_only(dump: &str) -> Vec<&str> {
    dump.lines()
        .take_while(|l| !l.starts_with("doc "))
        .filter(|l| !l.starts_with("module ") || *l == "module ./builtin")
        .collect()
}

#[test]
fn our_guest_agent_schema_defines_what_qemus_defines() {
    let Some((_, loader)) = corpus() else {
        return;
    };
    let ours_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/qga/qapi-schema.json"
    );
    let ours = qapi_parser::load(ours_path, &Options::default()).unwrap();
    let qemus = load(&loader, "qga/qga-schema-10.2.50.json", false).unwrap();
    let (ours, qemus) = (
        qapi_parser::dump::dump(&ours),
        qapi_parser::dump::dump(&qemus),
    );
    let (a, b) = (definitions_only(&qemus), definitions_only(&ours));
    assert!(a.len() > 500, "suspiciously short dump: {} lines", a.len());
    assert!(
        a == b,
        "definitions differ:\n{}",
        short_diff(&a.join("\n"), &b.join("\n"))
    );
}
