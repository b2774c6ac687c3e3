//! Code generation time (the guest agent schema; the full QMP tree when
//! `../shared` is present) and the cost of the generated marshalling.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

use qga_generated as qga;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: PathBuf) -> Option<qapi_parser::Schema> {
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    Some(qapi_parser::load(&path.to_string_lossy(), &Default::default()).expect("valid schema"))
}

fn generation(c: &mut Criterion) {
    let opts = qapi_codegen::Options::default();
    if let Some(schema) = load(manifest_dir().join("../schema/qga/qapi-schema.json")) {
        c.bench_function("generate qga", |b| {
            b.iter(|| qapi_codegen::generate(black_box(&schema), &opts).unwrap())
        });
    }
    if let Some(schema) = load(manifest_dir().join("../../shared/qapi-corpus/qmp/qapi-schema.json"))
    {
        let mut group = c.benchmark_group("qmp");
        group.sample_size(10);
        group.bench_function("generate qmp", |b| {
            b.iter(|| qapi_codegen::generate(black_box(&schema), &opts).unwrap())
        });
        group.finish();
    }
}

fn args(v: Value) -> Option<qga::qapi::Map> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn marshalling(c: &mut Criterion) {
    let exec = json!({"path": "/bin/sh", "arg": ["-c", "echo hi"], "env": ["A=1"],
                      "capture-output": "separated"});
    c.bench_function("read guest-exec arguments", |b| {
        b.iter(|| qga::Request::from_qapi("guest-exec", args(black_box(exec.clone()))).unwrap())
    });
    let big = "QUFB".repeat(4 << 20); // 16 MiB of base64
    let write = json!({"handle": 1000, "buf-b64": big});
    c.bench_function("read guest-file-write 16 MiB", |b| {
        b.iter_batched(
            || args(write.clone()),
            |a| qga::Request::from_qapi("guest-file-write", a).unwrap(),
            criterion::BatchSize::LargeInput,
        )
    });
    let read = qga::GuestFileRead {
        count: 3 << 22,
        buf_b64: "QUFB".repeat(4 << 20),
        eof: false,
    };
    c.bench_function("write guest-file-read reply 16 MiB", |b| {
        b.iter_batched(
            || qga::Response::GuestFileRead(read.clone()),
            |r| r.into_qapi(),
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, generation, marshalling);
criterion_main!(benches);
