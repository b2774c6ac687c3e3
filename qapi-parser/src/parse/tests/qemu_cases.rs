//! QEMU's own front-end test cases (`../shared/qapi-corpus/qemu-tests`),
//! as far as pass 1 decides them: every error pass 1 reports must be the
//! expected one, and every expected error that pass 1 is responsible for
//! must be reported. Skipped, with a message, where the corpus is absent.

use std::io;
use std::path::{Path, PathBuf};

use crate::parse::SourceLoader;

/// Reads paths relative to a directory, as QEMU's test runner does.
struct DirLoader(PathBuf);

impl SourceLoader for DirLoader {
    fn load(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

fn cases_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/qapi-corpus/qemu-tests");
    dir.is_dir().then_some(dir)
}

/// Messages with a column that pass 1 itself produces (the others come
/// from the doc block parser).
const OWN_PARSE_MESSAGES: &[&str] = &[
    "stray '",
    "missing terminating",
    "unknown escape",
    "funny character in string",
    "expected ",
    "duplicate key",
    "junk after '##'",
    "documentation comment must end with '##'",
];

/// Line-only messages of pass 1.
const OWN_SEM_MESSAGES: &[&str] = &[
    "top-level expression must be an object",
    "invalid 'include' directive",
    "value of 'include' must be a string",
    "inclusion loop for ",
    "can't read ",
    "invalid 'pragma' directive",
    "value of 'pragma' must be an object",
    "pragma ",
    "unknown pragma",
    "documentation for '",
    "definition documentation required",
];

/// Whether pass 1 is responsible for the error text `err`.
fn is_own(err: &str) -> bool {
    let Some(last) = err
        .lines()
        .find(|l| !l.starts_with("In file included from"))
    else {
        return false;
    };
    // FILE:LINE:COL: msg or FILE:LINE: msg
    let mut parts = last.splitn(4, ": ");
    let loc = parts.next().unwrap_or_default();
    let rest = last.get(loc.len() + 2..).unwrap_or_default();
    let has_col = loc.matches(':').count() == 2;
    if has_col {
        OWN_PARSE_MESSAGES.iter().any(|m| rest.starts_with(m))
    } else {
        last.starts_with("can't read schema file")
            || OWN_SEM_MESSAGES.iter().any(|m| rest.starts_with(m))
    }
}

#[test]
fn qemu_cases_agree_with_pass_1() {
    let Some(dir) = cases_dir() else {
        eprintln!("skipped: ../shared/qapi-corpus/qemu-tests not found");
        return;
    };
    let Ok(list) = std::fs::read_to_string(dir.join("CASES.txt")) else {
        eprintln!("skipped: CASES.txt not readable");
        return;
    };
    let loader = DirLoader(dir.clone());
    let mut failures = Vec::new();
    let (mut checked, mut errors) = (0, 0);
    for name in list.split_whitespace() {
        let json = format!("{name}.json");
        let expected = std::fs::read_to_string(dir.join(format!("{name}.err"))).unwrap_or_default();
        let expected = expected.trim_end();
        checked += 1;
        let got = crate::parse::parse(&json, &loader, &crate::Options::default());
        match got {
            Err(err) => {
                errors += 1;
                let err = err.to_string();
                if err != expected {
                    failures.push(format!("{name}: got\n{err}\nexpected\n{expected}"));
                }
            }
            Ok(_) if is_own(expected) => {
                failures.push(format!("{name}: no error, expected\n{expected}"));
            }
            Ok(_) => {}
        }
    }
    eprintln!("{checked} cases, {errors} with an error in pass 1");
    assert!(checked > 100, "only {checked} cases checked");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
