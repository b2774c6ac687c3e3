//! The real schemas of `../shared/qapi-corpus`: every file reads in
//! compatibility mode, the modern ones in strict mode too. Skipped, with a
//! message, where the corpus is absent.

use std::io;
use std::path::{Path, PathBuf};

use crate::parse::{parse, FsLoader, SourceLoader, TopExpr};
use crate::Options;

/// Reads from disk, with `qapi-corpus/qapi` standing for
/// `qapi-corpus/qmp` as the corpus intends (a copy of the corpus may have
/// lost that symbolic link).
struct CorpusLoader;

impl SourceLoader for CorpusLoader {
    fn load(&self, path: &Path) -> io::Result<Vec<u8>> {
        let text = path.to_string_lossy();
        let normal = crate::parse::paths::normpath(&text);
        let mapped = normal.replace("/qapi-corpus/qapi/", "/qapi-corpus/qmp/");
        FsLoader.load(Path::new(&mapped))
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qapi-corpus");
    dir.is_dir().then_some(dir)
}

/// Every `.json` file under `dir`, sorted (symbolic links not followed, so
/// the `qapi` alias of `qmp` is not read twice).
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                todo.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|x| x == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_file_reads_in_compat_mode() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/qapi-corpus not found");
        return;
    };
    let compat = Options { compat: true };
    let mut failures = Vec::new();
    let mut count = 0;
    for sub in ["qga", "qmp", "storage-daemon", "legacy"] {
        for file in json_files(&dir.join(sub)) {
            let path = file.display().to_string();
            count += 1;
            if let Err(e) = parse(&path, &CorpusLoader, &compat) {
                failures.push(e.to_string());
            }
        }
    }
    assert!(count > 130, "only {count} files");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every definition of the corpus, read again with the pest grammar,
/// gives the same tree as the reader (spans included).
#[test]
fn grammar_agrees_with_the_reader_on_the_corpus() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/qapi-corpus not found");
        return;
    };
    let mut count = 0;
    for (sub, compat) in [
        ("legacy", true),
        ("qga", true),
        ("qmp", false),
        ("qmp", true),
    ] {
        let opts = Options { compat };
        for file in json_files(&dir.join(sub)) {
            let parsed = parse(&file.display().to_string(), &CorpusLoader, &opts).unwrap();
            for expr in &parsed.exprs {
                let TopExpr::Expr { value, info, .. } = expr else {
                    continue;
                };
                let mut lexer = crate::parse::lexer::Lexer::new(info.file.clone(), compat);
                let (start, end) = (value.span.start as usize, value.span.end as usize);
                let again = crate::parse::values::read(&mut lexer, start, end).unwrap();
                assert_eq!(again.as_ref(), Some(value), "{}", info.loc());
                count += 1;
            }
        }
    }
    assert!(count > 10_000, "only {count} definitions");
}

#[test]
fn modern_schemas_read_in_strict_mode() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/qapi-corpus not found");
        return;
    };
    let strict = Options::default();
    let qmp = dir.join("qmp/qapi-schema.json").display().to_string();
    let parsed = parse(&qmp, &FsLoader, &strict).unwrap();
    assert_eq!(parsed.files.len(), 46);
    assert_eq!(parsed.docs.len(), 1055);
    let includes = parsed
        .exprs
        .iter()
        .filter(|e| matches!(e, TopExpr::Include { .. }))
        .count();
    assert_eq!(includes, 69);
    assert_eq!(parsed.exprs.len() - includes, 1078 - 69);

    let sd = dir
        .join("storage-daemon/qapi/qapi-schema.json")
        .display()
        .to_string();
    let parsed = parse(&sd, &CorpusLoader, &strict).unwrap();
    let pragma_file = parsed
        .files
        .iter()
        .find(|f| f.path.ends_with("pragma.json"))
        .unwrap();
    assert!(pragma_file
        .path
        .ends_with("storage-daemon/qapi/../../qapi/pragma.json"));
    assert!(parsed.pragma.doc_required);

    for qga in ["qga-schema-10.2.50.json", "qga-schema-10.2.0.json"] {
        let path = dir.join("qga").join(qga).display().to_string();
        parse(&path, &FsLoader, &strict).unwrap();
    }
}

#[test]
fn old_schemas_fail_in_strict_mode() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/qapi-corpus not found");
        return;
    };
    let path = dir
        .join("legacy/qga/qga-schema-1.0.json")
        .display()
        .to_string();
    // The doc comment before the missing comma fails first.
    let err = parse(&path, &FsLoader, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("qga-schema-1.0.json:10:29: Use two spaces"),
        "{err}"
    );
    let path = dir
        .join("legacy/qmp-5.2.0/qapi/pragma.json")
        .display()
        .to_string();
    let err = parse(&path, &FsLoader, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown pragma 'returns-whitelist'"), "{err}");
}
