//! Throughput of the wire protocol: reading big and many small requests,
//! writing big and small replies, and a streamed 48 MiB file-read reply.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use qga_daemon::protocol::{encode_reply, success_reply, Event, Reader};
use qga_daemon::server::Reply;
use serde_json::{json, Value};

/// A guest-file-write request carrying `len` bytes of base64.
fn big_request(len: usize) -> Vec<u8> {
    let mut req =
        br#"{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":""#.to_vec();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    req.extend(alphabet.iter().cycle().take(len));
    req.extend_from_slice(br#""}}"#);
    req
}

fn read(reader: &mut Reader, input: &[u8], chunk: usize) -> usize {
    let mut values = 0;
    for piece in input.chunks(chunk) {
        for event in reader.feed(piece) {
            if let Event::Value(v) = event {
                black_box(&v);
                values += 1;
            }
        }
    }
    values
}

fn bench_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    let req = big_request(48 << 20);
    group.throughput(Throughput::Bytes(req.len() as u64));
    group.bench_function("48MiB string, 4 KiB chunks", |b| {
        b.iter(|| assert_eq!(read(&mut Reader::new(), &req, 4096), 1))
    });
    group.bench_function("48MiB string, one chunk", |b| {
        b.iter(|| assert_eq!(read(&mut Reader::new(), &req, req.len()), 1))
    });

    let pings = br#"{"execute":"guest-ping"}"#.repeat(10_000);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("10k pipelined pings", |b| {
        b.iter(|| assert_eq!(read(&mut Reader::new(), &pings, 4096), 10_000))
    });
    group.finish();
}

fn bench_write(c: &mut Criterion) {
    let mut group = c.benchmark_group("write");
    group.sample_size(10);
    let data: String = "QUJD".repeat(16 << 20);
    let reply = success_reply(
        json!({"count": 48 << 20, "buf-b64": data, "eof": false}),
        None,
    );
    group.throughput(Throughput::Bytes(64 << 20));
    group.bench_function("64MiB base64 reply", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            encode_reply(&mut out, &reply, false);
            black_box(out.len())
        })
    });
    // The same reply as guest-file-read sends it: 48 MiB of data encoded
    // piece by piece as it is written.
    let data: Vec<u8> = (0..48u32 << 20).map(|i| (i % 251) as u8).collect();
    let template = success_reply(
        json!({"count": 48 << 20, "buf-b64": "", "eof": false}),
        None,
    );
    let hole = template.pointer("/return/buf-b64").unwrap();
    let streamed = Reply::with_base64(&template, hole, data).unwrap();
    group.bench_function("48MiB streamed file-read reply", |b| {
        b.iter(|| {
            let mut written = 0;
            let Ok(()) = streamed.write_pieces(|piece| {
                written += black_box(piece).len();
                Ok::<(), std::convert::Infallible>(())
            });
            written
        })
    });
    let ping = success_reply(Value::Object(Default::default()), Some(json!(7)));
    group.throughput(Throughput::Elements(1));
    group.bench_function("ping reply", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            encode_reply(&mut out, black_box(&ping), false);
            black_box(out.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_read, bench_write);
criterion_main!(benches);
