//! QEMU's own front-end test cases: every dump or first error must match
//! QEMU's byte for byte.

mod common;

use common::{shared_dir, short_diff, BaseDirLoader};
use qapi_parser::{load_with, Options};

/// How many cases may miss before the test fails.
const ALLOWED_MISSES: usize = 2;

/// What the pipeline prints for `name`: the dump, or the first error and
/// a newline (as QEMU's runner does).
fn run_case(loader: &BaseDirLoader, name: &str) -> (String, String) {
    match load_with(&format!("{name}.json"), loader, &Options::default()) {
        Ok(schema) => (qapi_parser::dump::dump(&schema), String::new()),
        Err(errs) => (String::new(), format!("{errs}\n")),
    }
}

#[test]
fn qemu_front_end_cases() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let dir = shared.join("qapi-corpus/qemu-tests");
    let cases = std::fs::read_to_string(dir.join("CASES.txt")).expect("CASES.txt");
    let loader = BaseDirLoader { base: dir.clone() };
    let mut total = 0;
    let mut misses = Vec::new();
    for name in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        total += 1;
        let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}")));
        let (want_out, want_err) = if name == "missing-schema" {
            (
                String::new(),
                "can't read schema file 'missing-schema.json': No such file or directory\n"
                    .to_string(),
            )
        } else {
            (
                read("out").unwrap_or_default(),
                read("err").unwrap_or_default(),
            )
        };
        let (out, err) = run_case(&loader, name);
        if out != want_out || err != want_err {
            let diff = if err != want_err {
                format!("error:\n{}", short_diff(&want_err, &err))
            } else {
                format!("dump:\n{}", short_diff(&want_out, &out))
            };
            misses.push(format!("{name}: {diff}"));
        }
    }
    for m in &misses {
        eprintln!("MISS {m}");
    }
    eprintln!(
        "qemu cases: {} of {total} match ({} miss)",
        total - misses.len(),
        misses.len()
    );
    assert!(
        misses.len() <= ALLOWED_MISSES,
        "{} of {total} cases miss",
        misses.len()
    );
}
