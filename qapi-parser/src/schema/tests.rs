//! Unit tests of the schema builder, on hand-made checked definitions.

use std::sync::Arc;

use super::*;
use crate::ast::*;
use crate::doc::{DocBlock, DocSection, SectionKind};
use crate::source::{Info, SourceFile, Span};

fn file() -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: "t.json".into(),
        text: "".into(),
        included_from: None,
    })
}

fn info(line: u32) -> Info {
    Info::new(file(), line, 1)
}

fn parsed(docs: Vec<Arc<DocBlock>>, pragma: Pragma) -> Parsed {
    Parsed {
        files: vec![file()],
        exprs: Vec::new(),
        docs,
        pragma,
    }
}

fn member(name: &str, ty: TypeRef) -> MemberDef {
    MemberDef {
        name: name.into(),
        key: name.into(),
        optional: false,
        ty,
        ifcond: None,
        features: Vec::new(),
        span: Span::default(),
    }
}

fn named(n: &str) -> TypeRef {
    TypeRef::Named(n.into())
}

fn def(line: u32, name: &str, kind: DefKind) -> Item {
    Item::Definition(Definition {
        name: name.into(),
        info: info(line).in_defn(kind.meta(), name),
        doc: None,
        ifcond: None,
        features: Vec::new(),
        kind,
        implicit: false,
    })
}

fn strukt(line: u32, name: &str, base: Option<&str>, members: Vec<MemberDef>) -> Item {
    def(
        line,
        name,
        DefKind::Struct(StructDef {
            base: base.map(str::to_string),
            members,
        }),
    )
}

fn enum_(line: u32, name: &str, values: &[&str]) -> Item {
    let values = values
        .iter()
        .map(|v| EnumValueDef {
            name: v.to_string(),
            ifcond: None,
            features: Vec::new(),
            span: Span::default(),
        })
        .collect();
    def(
        line,
        name,
        DefKind::Enum(EnumDef {
            values,
            prefix: None,
        }),
    )
}

fn branch(name: &str, ty: TypeRef) -> BranchDef {
    BranchDef {
        name: name.into(),
        ty,
        ifcond: None,
        span: Span::default(),
    }
}

fn command(line: u32, name: &str, data: Option<MembersOrRef>, returns: Option<TypeRef>) -> Item {
    def(
        line,
        name,
        DefKind::Command(CommandDef {
            data,
            returns,
            boxed: false,
            gen: true,
            success_response: true,
            allow_oob: false,
            allow_preconfig: false,
            coroutine: false,
        }),
    )
}

fn run(items: Vec<Item>) -> Result<Schema, Errors> {
    build(
        &parsed(Vec::new(), Pragma::default()),
        items,
        &Options::default(),
    )
}

fn first_error(items: Vec<Item>) -> String {
    match run(items) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

const BUILTIN_DUMP: &str = "module ./builtin\nobject q_empty\nenum QType\n    member none\n    member qnull\n    member qnum\n    member qstring\n    member qdict\n    member qlist\n    member qbool\nmodule t.json\n";

#[test]
fn empty_schema_dumps_the_builtin_module() {
    let s = run(Vec::new()).unwrap();
    assert_eq!(crate::dump::dump(&s), BUILTIN_DUMP);
    let int = s.lookup_type("int").unwrap();
    assert_eq!(s.ty(int).kind, TypeKind::Builtin(Builtin::Int));
    let list = s.lookup_type("intList").unwrap();
    assert_eq!(s.ty(list).element(), Some(int));
    assert!(s.ty(list).is_builtin());
}

#[test]
fn struct_with_base_and_array_member() {
    let s = run(vec![
        strukt(1, "Base", None, vec![member("a", named("int"))]),
        strukt(
            2,
            "Sub",
            Some("Base"),
            vec![member("b", TypeRef::Array("Base".into()))],
        ),
    ])
    .unwrap();
    let dump = crate::dump::dump(&s);
    assert!(dump.ends_with(
        "object Base\n    member a: int optional=False\narray BaseList Base\nobject Sub\n    base Base\n    member b: BaseList optional=False\n"
    ), "{dump}");
    let sub = s.lookup_type("Sub").unwrap();
    let base = s.lookup_type("Base").unwrap();
    let o = s.ty(sub).as_object().unwrap();
    assert_eq!(o.base, Some(base));
    let names: Vec<_> = o
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.owner))
        .collect();
    assert_eq!(names, vec![("a", base), ("b", sub)]);
}

#[test]
fn union_gets_implicit_empty_branches() {
    let s = run(vec![
        enum_(1, "E", &["x", "y"]),
        strukt(2, "X", None, vec![]),
        def(
            3,
            "U",
            DefKind::Union(UnionDef {
                base: MembersOrRef::Inline(vec![member("kind", named("E"))]),
                discriminator: "kind".into(),
                branches: vec![branch("x", named("X"))],
            }),
        ),
    ])
    .unwrap();
    let u = s.lookup_type("U").unwrap();
    let v = s.ty(u).as_object().unwrap().variants.as_ref().unwrap();
    assert_eq!(v.tag.name, "kind");
    assert_eq!(v.branches.len(), 2);
    assert!(!v.branches[0].implicit);
    assert!(v.branches[1].implicit);
    assert_eq!(s.ty(v.branches[1].ty).name, "q_empty");
    assert!(crate::dump::dump(&s).contains(
        "object q_obj_U-base\n    member kind: E optional=False\nobject U\n    base q_obj_U-base\n    tag kind\n    case x: X\n    case y: q_empty\n"
    ));
}

#[test]
fn redefinition_has_a_previous_definition_block() {
    let e = first_error(vec![strukt(2, "Foo", None, vec![]), enum_(3, "Foo", &[])]);
    assert_eq!(
        e,
        "t.json: In enum 'Foo':\nt.json:3: 'Foo' is already defined\nt.json: In struct 'Foo':\nt.json:2: previous definition"
    );
    let e = first_error(vec![command(2, "int", None, None)]);
    assert_eq!(
        e,
        "t.json: In command 'int':\nt.json:2: built-in type 'int' is already defined"
    );
}

#[test]
fn unknown_types_name_their_user() {
    let e = first_error(vec![command(
        2,
        "c",
        Some(MembersOrRef::Inline(vec![member("a", named("Nope"))])),
        None,
    )]);
    assert_eq!(
        e,
        "t.json: In command 'c':\nt.json:2: parameter 'a' uses unknown type 'Nope'"
    );
    let e = first_error(vec![strukt(
        4,
        "S",
        None,
        vec![member("a", TypeRef::Array("Nope".into()))],
    )]);
    assert_eq!(
        e,
        "t.json: In struct 'S':\nt.json:4: struct uses unknown type 'Nope'"
    );
}

#[test]
fn base_cycles_and_clashes() {
    let e = first_error(vec![strukt(2, "Loopy", Some("Loopy"), vec![])]);
    assert_eq!(
        e,
        "t.json: In struct 'Loopy':\nt.json:2: object Loopy contains itself"
    );
    let e = first_error(vec![
        strukt(1, "Base", None, vec![member("name", named("str"))]),
        strukt(5, "Sub", Some("Base"), vec![member("name", named("str"))]),
    ]);
    assert_eq!(
        e,
        "t.json: In struct 'Sub':\nt.json:5: member 'name' collides with member 'name' of type 'Base'"
    );
}

#[test]
fn alternates_must_be_distinguishable() {
    let alt = |branches| def(2, "Alt", DefKind::Alternate(AlternateDef { branches }));
    let e = first_error(vec![alt(vec![
        branch("one", named("bool")),
        branch("two", named("str")),
    ])]);
    assert_eq!(
        e,
        "t.json: In alternate 'Alt':\nt.json:2: branch 'two' can't be distinguished from 'one'"
    );
    let s = run(vec![alt(vec![
        branch("n", named("null")),
        branch("l", TypeRef::Array("int".into())),
    ])])
    .unwrap();
    let a = s.ty(s.lookup_type("Alt").unwrap()).as_alternate().unwrap();
    assert_eq!(a.branches[0].json, JsonType::Null);
    assert_eq!(a.branches[1].json, JsonType::Array);
}

#[test]
fn command_returns_must_be_objects() {
    let e = first_error(vec![command(
        3,
        "c",
        None,
        Some(TypeRef::Array("int".into())),
    )]);
    assert_eq!(
        e,
        "t.json: In command 'c':\nt.json:3: command's 'returns' cannot take array type ['int']"
    );
}

fn doc_block(line: u32, symbol: &str, members: &[&str]) -> Arc<DocBlock> {
    let mut sections = vec![DocSection {
        kind: SectionKind::Plain,
        name: None,
        text: String::new(),
        info: info(line),
    }];
    for (i, m) in members.iter().enumerate() {
        sections.push(DocSection {
            kind: SectionKind::Member,
            name: Some(m.to_string()),
            text: format!("about {m}"),
            info: info(line + 1 + i as u32),
        });
    }
    Arc::new(DocBlock {
        info: info(line),
        symbol: Some(symbol.into()),
        sections,
    })
}

fn documented(line: u32, item: Item, doc: &Arc<DocBlock>) -> Item {
    match item {
        Item::Definition(mut d) => {
            d.doc = Some(doc.clone());
            d.info.line = line;
            Item::Definition(d)
        }
        other => other,
    }
}

#[test]
fn docs_are_checked_against_members() {
    let doc = doc_block(1, "S", &["a"]);
    let item = documented(
        5,
        strukt(
            5,
            "S",
            None,
            vec![member("a", named("int")), member("b", named("int"))],
        ),
        &doc,
    );
    let p = parsed(vec![doc.clone()], Pragma::default());
    let e = build(&p, vec![item.clone()], &Options::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.json: In struct 'S':\nt.json:5: member 'b' lacks documentation"
    );

    let pragma = Pragma {
        documentation_exceptions: vec!["S".into()],
        ..Pragma::default()
    };
    let p = parsed(vec![doc.clone()], pragma);
    let s = build(&p, vec![item], &Options::default()).unwrap();
    let args: Vec<_> = s.docs[0].args().map(|a| a.name.clone().unwrap()).collect();
    assert_eq!(args, vec!["a", "b"]);

    let doc = doc_block(1, "S", &["a", "x", "y"]);
    let item = documented(
        6,
        strukt(6, "S", None, vec![member("a", named("int"))]),
        &doc,
    );
    let p = parsed(vec![doc.clone()], Pragma::default());
    let e = build(&p, vec![item], &Options::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.json:3: documented members 'x', 'y' do not exist"
    );
}

#[test]
fn too_many_features() {
    let features = (0..63)
        .map(|i| FeatureDef {
            name: format!("f{i:02x}"),
            ifcond: None,
            span: Span::default(),
        })
        .collect();
    let Item::Definition(mut d) = command(2, "go-fish", None, None) else {
        unreachable!()
    };
    d.features = features;
    let e = first_error(vec![Item::Definition(d)]);
    assert_eq!(
        e,
        "t.json: In command 'go-fish':\nt.json:2: Maximum of 64 schema features is permitted"
    );
}
