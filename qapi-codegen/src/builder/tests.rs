use super::*;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("qapi-builder-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn writes_only_on_change() {
    let d = temp("wic");
    let f = d.join("sub").join("x.rs");
    assert!(write_if_changed(&f, "a").unwrap());
    assert!(!write_if_changed(&f, "a").unwrap());
    assert!(write_if_changed(&f, "b").unwrap());
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "b");
}

fn schema_with_include(d: &Path) -> PathBuf {
    std::fs::write(
        d.join("main.json"),
        "{ 'include': 'sub/types.json' }\n{ 'command': 'ping', 'returns': 'Pong' }\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(
        d.join("sub/types.json"),
        "{ 'struct': 'Pong', 'data': { 'n': 'int', '*f': 'number' } }\n",
    )
    .unwrap();
    d.join("main.json")
}

#[test]
fn compiles_a_schema_with_includes_once() {
    let d = temp("gen");
    let main = schema_with_include(&d);
    let mut b = Builder::new();
    b.schema(&main)
        .out_dir(&d)
        .out_file("out.rs")
        .rerun_lines(false);
    let written = b.compile().unwrap();
    assert_eq!(written, d.join("out.rs"));
    let code = std::fs::read_to_string(&written).unwrap();
    assert!(code.contains("pub struct Pong"), "{code}");
    assert!(code.contains("fn ping(&self)"), "{code}");
    let generated = b.generate().unwrap();
    assert_eq!(generated.code, code);
    assert_eq!(generated.files.len(), 2, "{:?}", generated.files);
    assert!(generated.files[1].ends_with("sub/types.json"));
    // A second run leaves the file (and its mtime) alone.
    let before = std::fs::metadata(&written).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    b.compile().unwrap();
    let after = std::fs::metadata(&written).unwrap().modified().unwrap();
    assert_eq!(before, after);
}

#[test]
fn options_shape_the_code() {
    let d = temp("opts");
    let main = schema_with_include(&d);
    let mut b = Builder::new();
    b.schema(&main)
        .client(false)
        .serde(false)
        .server(true)
        .trait_name("Agent")
        .derive("Hash")
        .derive("Default")
        .docs(false);
    let code = b.generate().unwrap().code;
    assert!(code.contains("pub trait Agent"), "{code}");
    assert!(!code.contains("pub struct Client"));
    assert!(!code.contains("::serde::Serialize"));
    // Pong holds a float: no Hash, but Default.
    assert!(
        code.contains("#[derive(Debug, Clone, PartialEq, Default)]"),
        "{code}"
    );
    b.server(false).client(true).serde(true);
    let code = b.generate().unwrap().code;
    assert!(!code.contains("pub trait Agent"));
    assert!(code.contains("pub struct Client"));
    assert!(code.contains("qapi_impl_serde!(Pong);"));
}

#[test]
fn schema_errors_and_bad_options_are_reported() {
    let d = temp("bad");
    std::fs::write(
        d.join("bad.json"),
        "{ 'struct': 'Abc', 'data': { 'x': 'Nope' } }\n",
    )
    .unwrap();
    let mut b = Builder::new();
    b.schema(d.join("bad.json")).out_dir(&d).rerun_lines(false);
    let e = b.compile().unwrap_err();
    let BuildError::Schema(list) = &e else {
        panic!("{e}");
    };
    assert!(list[0].contains("uses unknown type 'Nope'"), "{e}");
    // Debug is the readable text, for `main() -> Result<(), BuildError>`.
    assert_eq!(format!("{e:?}"), e.to_string());
    assert!(e.to_string().starts_with("invalid QAPI schema:\n"));
    let e = Builder::new()
        .schema(d.join("bad.json"))
        .cfg("X", "not valid(")
        .derive("not a path")
        .generate()
        .unwrap_err();
    let BuildError::Config(list) = &e else {
        panic!("{e}");
    };
    assert_eq!(list.len(), 2, "{e}");
    assert!(matches!(
        Builder::new().generate(),
        Err(BuildError::Config(_))
    ));
}
