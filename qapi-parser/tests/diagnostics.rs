//! Golden files for diagnostics: QEMU's exact text and the rich rendering
//! (source line and caret), for one schema per kind of error.

use qapi_parser::{load_with, MemLoader, Options};

/// The first error of the schema `main.json` served with `files`, in both
/// renderings.
fn render(files: &[(&str, &str)]) -> String {
    let mut loader = MemLoader::default();
    for (path, text) in files {
        loader = loader.with(path, *text);
    }
    let errors = match load_with("main.json", &loader, &Options::default()) {
        Ok(_) => return "<no error>".to_string(),
        Err(e) => e,
    };
    let first = errors.first().expect("an error");
    format!(
        "--- qemu format\n{first}\n--- rich\n{}",
        first.render_rich(false)
    )
}

macro_rules! golden {
    ($name:ident, $($file:expr => $text:expr),+ $(,)?) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render(&[$(($file, $text)),+]));
        }
    };
}

golden!(stray_character, "main.json" => "{ 'enum': 'Colour',\n  'data': [ 'red', 'green' ] ; }\n");

golden!(missing_colon, "main.json" => "{ 'struct' 'Point', 'data': {} }\n");

golden!(bad_escape, "main.json" => "{ 'enum': 'E', 'data': [ 'a\\b' ] }\n");

golden!(tab_before_token, "main.json" => "{ 'enum': 'E',\n\t'data': [ 'a' ] ]\n");

golden!(duplicate_key, "main.json" => "{ 'enum': 'E', 'data': [], 'data': [] }\n");

golden!(unknown_key_lists_valid_keys,
    "main.json" => "{ 'alternate': 'Choice',\n  'base': 'Other',\n  'data': { 'n': 'int' } }\n");

golden!(unknown_type,
    "main.json" => "{ 'struct': 'Point',\n  'data': { 'x': 'int', 'y': 'Coordinate' } }\n");

golden!(redefinition_shows_both_places,
    "main.json" => "{ 'command': 'do-it' }\n{ 'enum': 'Mode', 'data': [] }\n{ 'command': 'do-it' }\n");

golden!(error_in_included_file,
    "main.json" => "{ 'include': 'sub/types.json' }\n",
    "sub/types.json" => "# types\n{ 'include': 'more.json' }\n",
    "sub/more.json" => "{ 'struct': 'bad_name', 'data': {} }\n");

golden!(inclusion_loop,
    "main.json" => "{ 'include': 'a.json' }\n",
    "a.json" => "{ 'include': 'main.json' }\n");

golden!(doc_long_line, "main.json" => "##\n# @Colour:\n#\n# A colour, described in a sentence that goes on well past the limit.\n#\n# @red: warm\n#\n# Since: 1.0\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n");

golden!(doc_one_space_between_sentences, "main.json" => "##\n# @Colour:\n#\n# A colour. Another sentence.\n#\n# @red: warm\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n");

golden!(doc_lacks_member, "main.json" => "##\n# @Point:\n#\n# A point.\n#\n# @x: across\n##\n{ 'struct': 'Point', 'data': { 'x': 'int', 'y': 'int' } }\n");

golden!(union_branch_not_in_enum, "main.json" => "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Base', 'data': { 'kind': 'Kind' } }\n{ 'struct': 'B', 'data': {} }\n{ 'union': 'U', 'base': 'Base', 'discriminator': 'kind',\n  'data': { 'b': 'B' } }\n");

golden!(alternate_ambiguity, "main.json" => "{ 'alternate': 'Alt', 'data': { 'n': 'int', 'm': 'number' } }\n");

golden!(non_ascii_in_string, "main.json" => "{ 'enum': 'E', 'data': [ 'caf\u{e9}' ] }\n");
