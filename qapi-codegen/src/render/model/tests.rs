use super::*;
use qapi_parser::{MemLoader, Options};

pub(crate) fn load(text: &str) -> Schema {
    let loader = MemLoader::default().with("s.json", text);
    match qapi_parser::load_with("s.json", &loader, &Options::default()) {
        Ok(s) => s,
        Err(e) => panic!("{e:?}"),
    }
}

const SCHEMA: &str = r#"
##
# = Widgets
#
# All about *widgets*.
##

##
# @Base:
#
# @id: the identifier
#
# Since: 1.0
##
{ 'struct': 'Base', 'data': { 'id': 'int' } }

##
# @Kind:
#
# @a: first
#
# @b: second
#
# Since: 1.0
##
{ 'enum': 'Kind', 'data': [ 'a', { 'name': 'b', 'if': 'CONFIG_B' } ] }

##
# @Widget:
#
# A widget; see @Base.
#
# @name: its name, as in
#     @id
#
# @kind: its kind
#
# Since: 2.0
##
{ 'struct': 'Widget', 'base': 'Base',
  'data': { 'name': 'str', '*kind': 'Kind' } }

##
# @widget-list:
#
# List widgets with name @prefix.
#
# @prefix: name prefix
#
# Features:
#
# @deprecated: use something else
#
# Returns: the widgets
#
# Since: 3.0
##
{ 'command': 'widget-list', 'data': { '*prefix': 'str' },
  'returns': [ 'Widget' ], 'features': [ 'deprecated' ],
  'if': { 'not': 'CONFIG_WIN32' } }
"#;

fn entry<'a>(site: &'a Site, name: &str) -> &'a Entry {
    site.pages
        .iter()
        .flat_map(|p| &p.items)
        .find_map(|i| match i {
            Item::Entry(e) if e.name == name => Some(&**e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no entry {name}"))
}

#[test]
fn a_page_per_file_titled_by_its_heading() {
    let site = build(&load(SCHEMA), None);
    assert_eq!(site.pages.len(), 1);
    assert_eq!(site.pages[0].stem, "index");
    assert_eq!(site.title, "Widgets");
    assert!(matches!(site.pages[0].items[0], Item::Text(_)));
    assert_eq!(site.pages[0].items.len(), 5);
    assert_eq!(build(&load(SCHEMA), Some("T")).title, "T");
}

#[test]
fn commands_list_arguments_returns_and_features() {
    let site = build(&load(SCHEMA), None);
    let e = entry(&site, "widget-list");
    assert_eq!(e.anchor, "command-widget-list");
    assert_eq!(
        e.condition.as_deref(),
        Some("Available unless CONFIG_WIN32")
    );
    assert_eq!(e.flags, vec!["deprecated"]);
    assert_eq!(e.groups.len(), 1);
    let row = &e.groups[0].rows[0];
    assert_eq!((row.name.as_str(), row.optional), ("prefix", true));
    assert_eq!(row.anchor, "command-widget-list.prefix");
    let ret = e.returns.as_ref().unwrap();
    assert_eq!(ret.ty.as_ref().unwrap().shown, "[Widget]");
    assert_eq!(
        ret.ty.as_ref().unwrap().target,
        Some(Target::Anchor {
            page: 0,
            anchor: "type-Widget".into()
        })
    );
    assert_eq!(e.features.len(), 1);
    // `@prefix` in the body links to the argument's row.
    let Block::Para(body) = &e.body[0] else {
        panic!()
    };
    assert!(body.iter().any(
        |i| matches!(i, Inline::Link { target: Target::Anchor { anchor, .. }, .. }
        if anchor == "command-widget-list.prefix")
    ));
}

#[test]
fn structs_show_inherited_members() {
    let site = build(&load(SCHEMA), None);
    let e = entry(&site, "Widget");
    assert_eq!(e.kind, EntryKind::Struct);
    assert_eq!(e.groups.len(), 2);
    assert_eq!(e.groups[0].rows.len(), 2);
    assert_eq!(e.groups[1].rows[0].name, "id");
    // The inherited member keeps its own description.
    assert_eq!(
        e.groups[1].rows[0].desc,
        vec![Block::Para(vec![Inline::Text("the identifier".into())])]
    );
    let kind = &e.groups[0].rows[1];
    assert_eq!(kind.ty.as_ref().unwrap().shown, "Kind");
    // The hanging indentation of a description is not a nested block.
    assert!(matches!(&e.groups[0].rows[0].desc[..], [Block::Para(_)]));
}

#[test]
fn enum_values_carry_conditions() {
    let site = build(&load(SCHEMA), None);
    let e = entry(&site, "Kind");
    let rows = &e.groups[0].rows;
    assert_eq!(rows[1].condition.as_deref(), Some("if CONFIG_B"));
    assert!(rows[1].ty.is_none());
}

#[test]
fn unions_show_branches() {
    let s = load(
        r#"
##
# @Tk:
#
# @x: x
#
# @y: y
#
# Since: 1
##
{ 'enum': 'Tk', 'data': [ 'x', 'y' ] }
##
# @Xb:
#
# @val: a value
#
# Since: 1
##
{ 'struct': 'Xb', 'data': { 'val': 'int' } }
##
# @Un:
#
# @type: the kind
#
# Since: 1
##
{ 'union': 'Un', 'base': { 'type': 'Tk' }, 'discriminator': 'type',
  'data': { 'x': 'Xb' } }
"#,
    );
    let site = build(&s, None);
    let e = entry(&site, "Un");
    assert_eq!(e.kind, EntryKind::Union);
    assert_eq!(e.groups.len(), 2);
    assert_eq!(e.groups[0].rows[0].name, "type");
    assert_eq!(e.groups[1].rows[0].anchor, "type-Un.x.val");
    assert_eq!(
        e.groups[1].rows[0].desc,
        vec![Block::Para(vec![Inline::Text("a value".into())])]
    );
}

#[test]
fn tagged_text_drops_hanging_indent() {
    assert_eq!(entry::tagged_text("a\n    b\n\n    - c"), "a\nb\n\n- c");
}
