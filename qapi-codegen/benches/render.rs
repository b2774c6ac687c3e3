//! Time `qapi-gen doc` rendering (schema already loaded) on the guest
//! agent schema and, when the shared corpus is present, the full QMP
//! schema; print a table.
//!
//! ```text
//! cargo bench -p qapi-codegen --bench render
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use qapi_codegen::render::{render, Format, Options};

/// Best and median of `runs` timings of `f`.
fn time<F: FnMut() -> usize>(runs: usize, mut f: F) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        size = std::hint::black_box(f());
        times.push(start.elapsed());
    }
    times.sort();
    (times[0], times[times.len() / 2], size)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schemas = [
        ("qga", root.join("schema/qga/qapi-schema.json")),
        (
            "qmp",
            root.join("../shared/qapi-corpus/qmp/qapi-schema.json"),
        ),
    ];
    println!(
        "{:<6} {:<9} {:>6} {:>10} {:>12} {:>12} {:>11}",
        "schema", "format", "pages", "bytes", "best ms", "median ms", "load ms"
    );
    for (name, path) in schemas {
        if !path.exists() {
            println!("{name:<6} skipped: {} is absent", path.display());
            continue;
        }
        let path = path.to_string_lossy().into_owned();
        let opts = qapi_parser::Options::default();
        let (_, load, _) = time(5, || {
            qapi_parser::load(&path, &opts).map_or(0, |s| s.types.len())
        });
        let schema = match qapi_parser::load(&path, &opts) {
            Ok(s) => s,
            Err(e) => {
                println!("{name:<6} does not load: {}", e.0[0]);
                continue;
            }
        };
        for (label, format) in [("html", Format::Html), ("markdown", Format::Markdown)] {
            let o = Options {
                format,
                title: None,
            };
            let pages = render(&schema, &o).len();
            let (best, median, bytes) = time(10, || {
                render(&schema, &o).iter().map(|p| p.contents.len()).sum()
            });
            println!(
                "{name:<6} {label:<9} {pages:>6} {bytes:>10} {:>12.1} {:>12.1} {:>11.1}",
                best.as_secs_f64() * 1e3,
                median.as_secs_f64() * 1e3,
                load.as_secs_f64() * 1e3
            );
        }
    }
}
