//! Tests over the shared schema corpus (skipped when it is absent): QEMU's
//! own dumps of `doc-good.json` and of the guest agent schema, and every
//! doc block of the real schemas.

use std::path::{Path, PathBuf};

use super::tests::{blocks, parse_raw, source};
use super::DocBlock;
use crate::Options;

/// The shared corpus folder, if present.
fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qapi-corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: no corpus at {}", dir.display());
        None
    }
}

/// A doc block in the format of QEMU's `test-qapi.py`.
fn dump(doc: &DocBlock) -> String {
    let mut out = match &doc.symbol {
        Some(s) => format!("doc symbol={s}\n"),
        None => "doc freeform\n".to_string(),
    };
    out += &format!("    body=\n{}\n", doc.body().text);
    for s in doc.args() {
        out += &format!("    arg={}\n{}\n", s.name.as_deref().unwrap_or(""), s.text);
    }
    for s in doc.features() {
        out += &format!(
            "    feature={}\n{}\n",
            s.name.as_deref().unwrap_or(""),
            s.text
        );
    }
    for s in doc.other_sections() {
        out += &format!("    section={}\n{}\n", s.kind, s.text);
    }
    out
}

/// The doc part of a QEMU dump, without the empty descriptions the schema
/// builder adds for undocumented members (a parsed description is never
/// empty).
fn expected_docs(out: &str) -> String {
    let lines: Vec<&str> = out.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("doc "))
        .unwrap_or(lines.len());
    let mut kept = String::new();
    let mut i = first;
    while let Some(line) = lines.get(i) {
        let stub = line.starts_with("    arg=") && lines.get(i + 1) == Some(&"");
        if stub {
            i += 2;
            continue;
        }
        kept += line;
        kept.push('\n');
        i += 1;
    }
    kept
}

/// Dump every doc block of `path`.
fn dump_file(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("corpus file readable");
    let file = source("f.json", &text);
    let mut out = String::new();
    for block in blocks(&file) {
        match parse_raw(&block, &Options::default()) {
            Ok(doc) => out += &dump(&doc),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    out
}

/// Compare line by line, reporting the first difference.
fn assert_same(got: &str, want: &str) {
    for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "first difference at dump line {}", n + 1);
    }
    assert_eq!(got.lines().count(), want.lines().count());
}

#[test]
fn doc_good_matches_qemus_dump() {
    let Some(dir) = corpus() else { return };
    let tests = dir.join("qemu-tests");
    let want = std::fs::read_to_string(tests.join("doc-good.out")).expect("doc-good.out");
    assert_same(
        &dump_file(&tests.join("doc-good.json")),
        &expected_docs(&want),
    );
}

#[test]
fn guest_agent_schema_matches_qemus_dump() {
    let Some(dir) = corpus() else { return };
    let want = std::fs::read_to_string(dir.join("expected/qga-schema-10.2.50.out"))
        .expect("expected dump");
    let got = dump_file(&dir.join("qga/qga-schema-10.2.50.json"));
    assert_same(&got, &expected_docs(&want));
}

/// Every `.json` file under `dir`, recursively, without following links.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_symlink() {
            continue;
        }
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Parse every block of every file; the first error of each failing file.
fn failures(files: &[PathBuf], opts: &Options) -> Vec<String> {
    let mut bad = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let file = source(&path.display().to_string(), &text);
        // Unterminated blocks in files from before doc comments existed
        // are the lexer's business (plain comments in compat mode).
        let checked = blocks(&file)
            .into_iter()
            .filter(|b| !opts.compat || b.end.is_some());
        if let Some(e) = checked.map(|b| parse_raw(&b, opts)).find_map(Result::err) {
            bad.push(e.to_string());
        }
    }
    bad
}

#[test]
fn current_schemas_pass_strict_mode() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    json_files(&dir.join("qmp"), &mut files);
    json_files(&dir.join("storage-daemon"), &mut files);
    files.push(dir.join("qga/qga-schema-10.2.50.json"));
    files.push(dir.join("qga/qga-schema-10.2.0.json"));
    assert!(files.len() > 40);
    let bad = failures(&files, &Options::default());
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn older_schemas_fail_strict_but_pass_compat() {
    let Some(dir) = corpus() else { return };
    let older = [
        "legacy/qga/qga-schema-9.2.0.json",
        "legacy/qga/qga-schema-8.2.0.json",
        "qga/qga-schema-7.2.0.json",
    ];
    let files: Vec<PathBuf> = older.iter().map(|f| dir.join(f)).collect();
    for f in &files {
        assert!(f.is_file(), "{}", f.display());
        assert_eq!(
            failures(std::slice::from_ref(f), &Options::default()).len(),
            1
        );
    }
    let mut all = Vec::new();
    json_files(&dir, &mut all);
    let bad = failures(&all, &Options { compat: true });
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn compat_reads_current_schemas_like_strict() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    json_files(&dir.join("qmp"), &mut files);
    files.push(dir.join("qga/qga-schema-10.2.50.json"));
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let file = source("f.json", &text);
        for block in blocks(&file) {
            let strict = parse_raw(&block, &Options::default()).map(|d| dump(&d));
            let compat = parse_raw(&block, &Options { compat: true }).map(|d| dump(&d));
            assert_eq!(
                strict.ok(),
                compat.ok(),
                "{} line {}",
                path.display(),
                block.start.line
            );
        }
    }
}

#[test]
fn qemu_doc_error_cases() {
    let Some(dir) = corpus() else { return };
    let tests = dir.join("qemu-tests");
    let cases = [
        "doc-bad-indent",
        "doc-duplicate-features",
        "doc-duplicated-return",
        "doc-empty-arg",
        "doc-empty-section",
        "doc-invalid-section",
        "doc-long-line",
        "doc-missing-colon",
        "doc-missing-space",
    ];
    for case in cases {
        let name = format!("{case}.json");
        let text = std::fs::read_to_string(tests.join(&name)).expect("case readable");
        let want = std::fs::read_to_string(tests.join(format!("{case}.err"))).expect("err");
        let file = source(&name, &text);
        let got = blocks(&file)
            .iter()
            .find_map(|b| parse_raw(b, &Options::default()).err())
            .map(|e| format!("{e}\n"));
        assert_eq!(got.as_deref(), Some(want.as_str()), "{case}");
    }
}
