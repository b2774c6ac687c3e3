//! Parse and check the real schemas: the full QMP tree and the guest agent
//! schema, read from `../shared` (skipped when absent).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use qapi_parser::{load_with, MemLoader, Options};

/// Every `.json` file under `dir`, keyed by its path relative to `base`,
/// so that the benchmark measures the front end, not the disk.
fn preload(base: &Path, dir: &Path, loader: &mut MemLoader) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            preload(base, &path, loader);
        } else if path.extension().is_some_and(|e| e == "json") {
            if let (Ok(rel), Ok(text)) = (path.strip_prefix(base), std::fs::read(&path)) {
                let key = rel.to_string_lossy().into_owned();
                loader.files.insert(key, text);
            }
        }
    }
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qapi-corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

fn bench(c: &mut Criterion) {
    let Some(dir) = corpus() else {
        return;
    };
    let mut loader = MemLoader::default();
    preload(&dir, &dir.join("qmp"), &mut loader);
    preload(&dir, &dir.join("qga"), &mut loader);
    let opts = Options::default();
    for (name, path) in [
        ("qmp", "qmp/qapi-schema.json"),
        ("qga", "qga/qga-schema-10.2.50.json"),
    ] {
        if let Err(e) = load_with(path, &loader, &opts) {
            eprintln!("skipping {name}: {e}");
            continue;
        }
        c.bench_function(name, |b| {
            b.iter(|| load_with(path, &loader, &opts).map(|s| s.types.len()))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
