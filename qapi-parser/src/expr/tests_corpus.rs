//! QEMU's own test cases and the real schemas, read from `../shared`
//! when it is there.

use super::tests::definitions;
use super::*;

/// Where the shared reference material is, if present.
fn shared_dir() -> Option<std::path::PathBuf> {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("QAPI_SHARED").map(std::path::PathBuf::from),
        Some(manifest.join("../../shared")),
        Some(manifest.join("../../../shared")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_dir())
        .and_then(|p| p.canonicalize().ok())
}

/// QEMU's test cases whose error comes from this pass (those about doc
/// blocks are tested separately: the test reader ignores comments).
const PASS2_CASES: &[&str] = &[
    "allow-preconfig-test",
    "alternate-branch-if-invalid",
    "alternate-empty",
    "args-array-empty",
    "args-bad-boxed",
    "args-invalid",
    "args-member-case",
    "bad-ident",
    "bad-if-all",
    "bad-if-empty-list",
    "bad-if-keys",
    "bad-if-not",
    "bad-type-dict",
    "enum-bad-member",
    "enum-bad-prefix",
    "enum-dict-member-unknown",
    "enum-if-invalid",
    "enum-member-case",
    "enum-wrong-data",
    "event-case",
    "event-nest-struct",
    "features-if-invalid",
    "features-name-bad-type",
    "nested-struct-data",
    "oob-test",
    "reserved-enum-q",
    "reserved-member-q",
    "reserved-member-underscore",
    "struct-data-typename",
    "struct-member-invalid",
    "type-case",
    "union-array-branch",
    "union-bad-discriminator",
    "union-branch-invalid-dict",
    "union-inline-invalid-dict",
    "union-invalid-data",
    "unknown-expr-key",
];

/// Cases this pass cannot see: errors of the parser, of directives and of
/// doc comments.
fn is_other_pass_case(name: &str, expected: &str) -> bool {
    let first = expected.lines().next().unwrap_or("");
    let has_column = first
        .split(':')
        .nth(2)
        .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
    has_column
        || first.starts_with("In file included")
        || ["doc-", "include-", "pragma-"]
            .iter()
            .any(|p| name.starts_with(p))
        || ["non-objects", "quoted-structural-chars", "missing-schema"].contains(&name)
}

#[test]
fn qemu_test_cases() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (QEMU's test cases) not found");
        return;
    };
    let dir = shared.join("qapi-corpus/qemu-tests");
    let cases = std::fs::read_to_string(dir.join("CASES.txt")).unwrap();
    let (mut errors, mut valid) = (0, 0);
    for name in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.json"))) else {
            continue;
        };
        let expected = std::fs::read_to_string(dir.join(format!("{name}.err"))).unwrap_or_default();
        if is_other_pass_case(name, &expected) {
            continue;
        }
        let parsed = testutil::parsed_file(&format!("{name}.json"), &text, Pragma::default());
        let got = check(&parsed, &Options::default());
        if PASS2_CASES.contains(&name) {
            let got = got.err().map(|e| e.to_string()).unwrap_or_default();
            assert_eq!(got, expected.trim_end(), "case {name}");
            errors += 1;
        } else {
            if let Err(e) = got {
                panic!("case {name}: unexpected error {e}");
            }
            valid += 1;
        }
    }
    assert_eq!(errors, PASS2_CASES.len());
    eprintln!("{errors} error cases and {valid} other cases agree");
}

/// Every `.json` file under `dir` (recursively), sorted.
fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Check a set of files as one schema (pragmas from all of them apply to
/// all; the test reader sees no doc blocks, so `doc-required` is dropped).
fn check_files(files: &[std::path::PathBuf], opts: &Options) -> Result<usize, String> {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
        .collect();
    let mut pragma = Pragma::default();
    for (path, text) in &texts {
        pragma = testutil::parsed_file(path, text, pragma).pragma;
    }
    pragma.doc_required = false;
    let mut count = 0;
    for (path, text) in &texts {
        let mut parsed = testutil::parsed_file(path, text, Pragma::default());
        parsed.pragma = pragma.clone();
        let items = check(&parsed, opts).map_err(|e| e.to_string())?;
        count += definitions(items).len();
    }
    Ok(count)
}

#[test]
fn corpus_schemas() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (the schema corpus) not found");
        return;
    };
    let corpus = shared.join("qapi-corpus");
    let mut schemas: Vec<Vec<std::path::PathBuf>> = Vec::new();
    for dir in ["qga", "legacy/qga", "legacy/qmp-1.0", "legacy/qmp-2.0.0"] {
        schemas.extend(json_files(&corpus.join(dir)).into_iter().map(|f| vec![f]));
    }
    for dir in ["qmp", "legacy/qmp-5.2.0", "legacy/qmp-7.2.0"] {
        schemas.push(json_files(&corpus.join(dir)));
    }
    let mut sd = json_files(&corpus.join("storage-daemon"));
    sd.extend(json_files(&corpus.join("qmp")));
    schemas.push(sd);

    let compat = Options { compat: true };
    let mut total = 0;
    for files in &schemas {
        let name = files
            .first()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        match check_files(files, &compat) {
            Ok(n) => total += n,
            Err(e) => panic!("{name}: compat mode: {e}"),
        }
        // The modern schemas pass in strict mode too.
        let modern = name.contains("qga-schema-10.2")
            || name.contains("qga-schema-9.2")
            || name.contains("/qmp/")
            || name.contains("storage-daemon");
        if modern {
            if let Err(e) = check_files(files, &Options::default()) {
                panic!("{name}: strict mode: {e}");
            }
        }
    }
    eprintln!("{} schemas, {total} definitions", schemas.len());
}

/// QEMU's test cases through the real parser: every case whose error is
/// this pass's gets it exactly, every case that parses and has no error
/// of this pass passes.
#[test]
fn qemu_test_cases_end_to_end() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (QEMU's test cases) not found");
        return;
    };
    let dir = shared.join("qapi-corpus/qemu-tests");
    let prefix = format!("{}/", dir.display());
    let cases = std::fs::read_to_string(dir.join("CASES.txt")).unwrap();
    let doc_cases = ["doc-bad-symbol", "doc-invalid-return"];
    let (mut errors, mut valid, mut parse_errors) = (0, 0, 0);
    for name in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let path = format!("{prefix}{name}.json");
        if !std::path::Path::new(&path).exists() {
            continue;
        }
        let expected = std::fs::read_to_string(dir.join(format!("{name}.err"))).unwrap_or_default();
        let ours = PASS2_CASES.contains(&name) || doc_cases.contains(&name);
        let parsed = match crate::parse::parse(&path, &crate::FsLoader, &Options::default()) {
            Ok(p) => p,
            Err(e) => {
                assert!(!ours, "case {name}: parse error {e}");
                parse_errors += 1;
                continue;
            }
        };
        let got = check(&parsed, &Options::default());
        if ours {
            let got = got.err().map(|e| e.to_string()).unwrap_or_default();
            assert_eq!(got.replace(&prefix, ""), expected.trim_end(), "case {name}");
            errors += 1;
        } else {
            if let Err(e) = got {
                panic!("case {name}: unexpected error {e}");
            }
            valid += 1;
        }
    }
    assert_eq!(errors, PASS2_CASES.len() + doc_cases.len());
    eprintln!("{errors} error cases and {valid} other cases agree ({parse_errors} stop in pass 1)");
}

/// Reads the corpus from disk; its `qapi` link to `qmp` may have become a
/// plain file holding the target's name, so follow that by hand.
struct CorpusLoader;

impl crate::SourceLoader for CorpusLoader {
    fn load(&self, path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        let text = path
            .to_string_lossy()
            .replace("/../../qapi/", "/../../qmp/");
        std::fs::read(text)
    }
}

/// The real schemas through the real parser: all pass this pass in compat
/// mode, the modern ones in strict mode too.
#[test]
fn corpus_schemas_end_to_end() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (the schema corpus) not found");
        return;
    };
    let corpus = shared.join("qapi-corpus");
    let mut roots: Vec<std::path::PathBuf> = Vec::new();
    roots.extend(json_files(&corpus.join("qga")));
    roots.extend(json_files(&corpus.join("legacy/qga")));
    for root in [
        "legacy/qmp-1.0/qapi-schema.json",
        "legacy/qmp-2.0.0/qapi-schema.json",
        "legacy/qmp-5.2.0/qapi/qapi-schema.json",
        "legacy/qmp-7.2.0/qapi/qapi-schema.json",
        "qmp/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
    ] {
        roots.push(corpus.join(root));
    }
    let (mut checked, mut skipped) = (0, 0);
    for root in &roots {
        let path = root.display().to_string();
        let modern = path.contains("qga-schema-10.2")
            || path.contains("/qmp/")
            || path.contains("storage-daemon");
        let mut modes = vec![Options { compat: true }];
        if modern {
            modes.push(Options::default());
        }
        for opts in modes {
            let parsed = match crate::parse::parse(&path, &CorpusLoader, &opts) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("not checked (pass 1 stops): {e}");
                    skipped += 1;
                    continue;
                }
            };
            if let Err(e) = check(&parsed, &opts) {
                panic!("{path} (compat {}): {e}", opts.compat);
            }
            checked += 1;
        }
    }
    eprintln!("{checked} checked, {skipped} stopped in pass 1");
}
