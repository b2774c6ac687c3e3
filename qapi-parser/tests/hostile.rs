//! Inputs meant to break a parser: each must give a clear, located error
//! (or a clean result), never a panic, a stack overflow or a hang.

use qapi_parser::{load_with, MemLoader, Options};

fn first_error(text: impl Into<Vec<u8>>) -> String {
    let loader = MemLoader::default().with("h.json", text);
    match load_with("h.json", &loader, &Options::default()) {
        Ok(_) => String::from("<ok>"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let err = first_error(b"{ 'enum': 'E',\n  'data': [ 'a\xff' ] }\n".to_vec());
    assert!(err.starts_with("h.json:2:"), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
}

#[test]
fn arrays_of_arrays_are_rejected() {
    let err = first_error("{ 'struct': 'Sx', 'data': { 'm': [ [ 'int' ] ] } }\n");
    assert_eq!(
        err,
        "h.json: In struct 'Sx':\nh.json:1: 'data' member 'm': array type must contain single type name"
    );
    // QEMU itself dies on an internal assertion here.
    let err = first_error("{ 'struct': 'Sx', 'data': { 'm': [ 'intList' ] } }\n");
    assert!(
        err.starts_with("h.json: In struct 'Sx':\nh.json:1: "),
        "{err}"
    );
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for open in ["[", "{ 'a': "] {
        let text = open.repeat(100_000);
        let err = first_error(text);
        assert!(err.starts_with("h.json:1:"), "{err}");
        assert!(err.contains("nesting"), "{err}");
    }
}

#[test]
fn a_100_mb_file_is_read_in_one_pass() {
    // One definition with a very long doc-free enum: 100 MB of values.
    let mut text = String::from("{ 'enum': 'Big', 'data': [");
    let value = "'v-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ";
    let count = 100_000_000 / value.len();
    for i in 0..count {
        text.push_str(&format!("'v{i}', "));
    }
    text.push_str("'last' ] }\n");
    let started = std::time::Instant::now();
    let err = first_error(text);
    assert_eq!(err, "<ok>");
    // Not a benchmark: a generous bound that only a quadratic pass breaks.
    assert!(
        started.elapsed().as_secs() < 120,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_100_mb_comment_and_garbage_tail() {
    let mut text = String::from("# ");
    text.push_str(&"x".repeat(100_000_000));
    text.push_str("\n{ 'enum': 'E', 'data': [] } ;\n");
    assert_eq!(first_error(text), "h.json:2:29: stray ';'");
}

#[test]
fn nul_and_control_bytes() {
    assert_eq!(
        first_error("{ 'enum': 'E\0' }\n"),
        "h.json:1:11: funny character in string"
    );
    assert_eq!(first_error("\0\n"), "h.json:1:1: stray '\0'");
}

#[test]
fn empty_and_whitespace_only_files_are_empty_schemas() {
    assert_eq!(first_error(""), "<ok>");
    assert_eq!(first_error("\n\n   \n# comment\n"), "<ok>");
}

#[test]
fn unterminated_things_point_at_the_end() {
    assert_eq!(
        first_error("{ 'enum': 'E'"),
        "h.json:1:14: expected ',' or '}'"
    );
    assert_eq!(
        first_error("{ 'enum"),
        "h.json:1:3: missing terminating \"'\""
    );
    // At end of file QEMU points at the last line's final newline.
    assert_eq!(
        first_error("##\n# text\n"),
        "h.json:2:7: documentation comment must end with '##'"
    );
}
