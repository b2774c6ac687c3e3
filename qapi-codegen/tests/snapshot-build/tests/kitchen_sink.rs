//! The generated code of the kitchen-sink schema: it compiles (it is
//! included here), and every construct reads and writes its wire form.

use qapi_snapshot_build::ks;

use ks::qapi::{FromQapi, IntoQapi, Map, Path};
use serde_json::{json, Value};

fn read<T: FromQapi>(v: Value) -> Result<T, String> {
    T::from_qapi(v, &Path::Root).map_err(|e| e.desc)
}

fn round_trip<T: FromQapi + IntoQapi + Clone + std::fmt::Debug>(v: Value) -> T {
    let t: T = read(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
    assert_eq!(t.clone().into_qapi(), v);
    t
}

fn args(v: Value) -> Option<Map> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

#[test]
fn enums_keep_wire_names_and_conditions() {
    use ks::{Clash, Colour, Digits};
    assert_eq!(Colour::ALL, &[Colour::Red, Colour::Green, Colour::Blue]);
    assert_eq!(Colour::from_wire("ultraviolet"), None);
    assert_eq!(Digits::_1.as_str(), "1");
    assert_eq!(Digits::X3.as_str(), "x-3");
    assert_eq!(Digits::Type.to_string(), "type");
    assert_eq!(
        [Clash::AB, Clash::AB2, Clash::AB3].map(Clash::as_str),
        ["a-b", "aB", "A_B"]
    );
    assert!(ks::Void::ALL.is_empty());
    assert_eq!(
        read::<Colour>(json!("ultraviolet")).unwrap_err(),
        "Parameter 'null' does not accept value 'ultraviolet'"
    );
}

#[test]
fn keywords_base_members_and_every_integer_type() {
    let k: ks::Keywords = round_trip(json!({
        "id": 1, "type": "t", "match": true, "self": -8, "fn": 5, "async": 6
    }));
    assert_eq!(
        (k.id, k.r#type.as_str(), k.self_, k.r#fn),
        (1, "t", -8, Some(5))
    );
    let n = json!({
        "i8": -128, "i16": 32767, "i32": -2147483648i64, "i64": i64::MIN,
        "int": 0, "u8": 255, "u16": 65535, "u32": 4294967295u64,
        "u64": u64::MAX, "sz": 0, "n": 0.5, "any": {"x": [null]},
        "nothing": null, "list": [1.5]
    });
    let _: ks::Numbers = round_trip(n.clone());
    let mut bad = n.clone();
    bad["u16"] = json!(65536);
    assert_eq!(
        read::<ks::Numbers>(bad).unwrap_err(),
        "Parameter 'u16' expects uint16_t"
    );
    let mut bad = n.clone();
    bad["u64"] = json!(-1);
    let wrapped: ks::Numbers = read(bad).unwrap();
    assert_eq!(wrapped.u64, u64::MAX);
    let mut bad = n;
    bad["nothing"] = json!(0);
    assert_eq!(
        read::<ks::Numbers>(bad).unwrap_err(),
        "Invalid parameter type for 'nothing', expected: null"
    );
}

#[test]
fn recursive_types_are_boxed_and_nest() {
    let t: ks::Tree = round_trip(json!({
        "name": "root",
        "left": {"name": "l", "children": []},
        "children": [{"name": "c", "children": [], "right": {"name": "r", "children": []}}]
    }));
    assert_eq!(t.left.as_ref().map(|l| l.name.as_str()), Some("l"));
    assert_eq!(
        read::<ks::Tree>(json!({"name": "x", "children": [{"name": 1}]})).unwrap_err(),
        "Invalid parameter type for 'children[0].name', expected: string"
    );
    let _: ks::Pong = round_trip(json!({"ping": {"pong": {"ping": {}}}}));
    let e: ks::Expr = round_trip(json!({
        "op": "add",
        "left": {"op": "lit", "value": 1},
        "right": {"op": "neg", "arg": {"op": "lit", "value": 2}}
    }));
    assert_eq!(e.branch.tag(), ks::ExprOp::Add);
    let _: ks::Nested = round_trip(json!({"inner": {"inner": 3}}));
}

#[test]
fn unions_read_base_then_branch() {
    let f: ks::Figure = round_trip(json!({"kind": "circle", "label": "c", "radius": 1.5}));
    assert_eq!(f.label.as_deref(), Some("c"));
    assert!(matches!(f.branch, ks::FigureBranch2::Circle(ks::Circle { radius }) if radius == 1.5));
    // Implicit empty branch.
    let p: ks::Figure = round_trip(json!({"kind": "point"}));
    assert_eq!(p.branch, ks::FigureBranch2::Point);
    assert_eq!(
        read::<ks::Figure>(json!({"kind": "square"})).unwrap_err(),
        "Parameter 'side' is missing"
    );
    assert_eq!(
        read::<ks::Figure>(json!({"kind": "point", "side": 1})).unwrap_err(),
        "Parameter 'side' is unexpected"
    );
    assert_eq!(
        read::<ks::Figure>(json!({"label": "x"})).unwrap_err(),
        "Parameter 'kind' is missing"
    );
    // A member called `branch` does not clash with the branch field.
    let paint: ks::Paint = round_trip(json!({
        "first": 1, "tag": "green", "branch": "b", "kind": "point"
    }));
    assert_eq!(paint.branch2, "b");
    assert_eq!(paint.branch.tag(), ks::Colour::Green);
    // A branch compiled out while its tag value is not.
    assert_eq!(
        read::<ks::MaybeGated>(json!({"colour": "red", "side": 1})).unwrap_err(),
        "Parameter 'colour' does not accept value 'red'"
    );
    let _: ks::MaybeGated = round_trip(json!({"colour": "blue"}));
}

#[test]
fn alternates_pick_the_branch_by_json_kind() {
    use ks::{Numeric, Textual};
    assert_eq!(round_trip::<Textual>(json!("s")), Textual::S("s".into()));
    assert_eq!(round_trip::<Textual>(json!(null)), Textual::Z);
    assert_eq!(round_trip::<Textual>(json!([1, 2])), Textual::L(vec![1, 2]));
    assert_eq!(
        round_trip::<Textual>(json!({"side": 2})),
        Textual::O(ks::Square { side: 2 })
    );
    assert_eq!(
        read::<Textual>(json!(true)).unwrap_err(),
        "Invalid parameter type for 'null', expected: Textual"
    );
    assert_eq!(round_trip::<Numeric>(json!(-3)), Numeric::N(-3));
    assert_eq!(
        round_trip::<Numeric>(json!("red")),
        Numeric::C(ks::Colour::Red)
    );
    assert_eq!(round_trip::<Numeric>(json!(false)), Numeric::B(false));
    assert_eq!(
        read::<Numeric>(json!(300)).unwrap_err(),
        "Parameter 'null' expects int8_t"
    );
    assert_eq!(
        read::<Numeric>(json!("pink")).unwrap_err(),
        "Parameter 'null' does not accept value 'pink'"
    );
    // An integer is accepted as a number (and written back as a double).
    assert_eq!(read::<ks::Real>(json!(2)), Ok(ks::Real::X(2.0)));
    assert_eq!(ks::Real::X(2.0).into_qapi(), json!(2.0));
    let _ = round_trip::<ks::Real>(json!([1.5, [2.5]]));
}

#[test]
fn conditional_members_and_implicit_type_names() {
    let c: ks::Conditional = round_trip(json!({"always": "a", "sometimes": "s", "old": 1}));
    assert_eq!(c.sometimes.as_deref(), Some("s"));
    assert_eq!(
        read::<ks::Conditional>(json!({"always": "a", "never": 1, "old": 1})).unwrap_err(),
        "Parameter 'never' is unexpected"
    );
    // Schema names that the fixed items or implicit types would take.
    let _ = ks::Request2 { r: 1 };
    let _ = ks::Event2 { e: 1 };
    let _ = ks::EchoArg { x: 1 };
    let _ = ks::EchoArg2 {
        text: String::new(),
        times: None,
    };
    let _ = ks::FigureBranch { taken: true };
}

#[derive(Default)]
struct Server {
    quit: std::cell::Cell<bool>,
    frozen: std::cell::Cell<bool>,
}

impl ks::Commands for Server {
    fn echo(&self, text: String, times: Option<i64>) -> Result<String, ks::qapi::Error> {
        Ok(text.repeat(times.unwrap_or(1).max(0) as usize))
    }

    fn draw(&self, arguments: ks::Figure) -> Result<ks::Figure, ks::qapi::Error> {
        Ok(arguments)
    }

    fn keywords(
        &self,
        id: i64,
        note: Option<String>,
        r#type: String,
        r#match: bool,
        self_: i8,
        r#fn: Option<u64>,
        r#async: u64,
    ) -> Result<ks::Keywords, ks::qapi::Error> {
        Ok(ks::Keywords {
            id,
            note,
            r#type,
            r#match,
            self_,
            r#fn,
            r#async,
        })
    }

    fn manual(&self, arguments: Map) -> Result<Value, ks::qapi::Error> {
        Ok(json!({ "got": arguments }))
    }

    fn gate(&self, command: &str) -> Result<(), ks::qapi::Error> {
        if self.frozen.get() && command != "ping" {
            return Err(ks::qapi::Error {
                class: ks::qapi::ErrorClass::CommandNotFound,
                desc: format!("Command {command} has been disabled: frozen"),
            });
        }
        Ok(())
    }

    fn quit(&self) -> Result<(), ks::qapi::Error> {
        self.quit.set(true);
        Ok(())
    }

    fn evaluate(&self, expr: ks::Expr) -> Result<ks::ExprLit, ks::qapi::Error> {
        fn eval(e: &ks::Expr) -> i64 {
            match &e.branch {
                ks::ExprBranch::Lit(l) => l.value,
                ks::ExprBranch::Neg(u) => -eval(&u.arg),
                ks::ExprBranch::Add(b) => eval(&b.left) + eval(&b.right),
            }
        }
        Ok(ks::ExprLit { value: eval(&expr) })
    }
}

#[test]
fn commands_dispatch_with_every_argument_form() {
    let s = Server::default();
    let reg = ks::registry();
    let run = |s: &Server, name: &str, a: Value| ks::execute(s, &reg, name, args(a));
    assert_eq!(
        run(&s, "echo", json!({"text": "hi", "times": 2})).unwrap(),
        Some(json!("hihi"))
    );
    let k = json!({"id": 1, "type": "t", "match": false, "self": 1, "async": 2});
    assert_eq!(run(&s, "keywords", k.clone()).unwrap(), Some(k));
    let f = json!({"kind": "square", "side": 3});
    assert_eq!(run(&s, "draw", f.clone()).unwrap(), Some(f));
    assert_eq!(run(&s, "quit", json!({})).unwrap(), None);
    assert!(s.quit.get());
    let e = json!({"expr": {"op": "add", "left": {"op": "lit", "value": 40},
                            "right": {"op": "neg", "arg": {"op": "lit", "value": -2}}}});
    assert_eq!(run(&s, "evaluate", e).unwrap(), Some(json!({"value": 42})));
    assert_eq!(
        run(&s, "no-only", json!({})).unwrap_err().desc,
        "The command no-only has not been found"
    );
    // gen: false: the raw arguments in, the raw value out.
    assert_eq!(
        run(&s, "manual", json!({"any": ["thing"]})).unwrap(),
        Some(json!({"got": {"any": ["thing"]}}))
    );
    assert_eq!(
        run(&s, "ping", json!({})).unwrap_err().desc,
        "this feature or command is not currently supported"
    );
}

#[test]
fn requests_go_through_the_envelope_registry_and_gate() {
    let s = Server::default();
    let reg = ks::registry();
    let handle = |v: Value| ks::handle(&s, &reg, v);
    assert_eq!(
        handle(json!({"execute": "echo", "arguments": {"text": "a"}, "id": [1]})),
        Some(json!({"return": "a", "id": [1]}))
    );
    assert_eq!(handle(json!({"execute": "quit", "id": 2})), None);
    assert_eq!(
        handle(json!({"execute": "echo", "id": "x"})),
        Some(json!({"error": {"class": "GenericError",
                   "desc": "Parameter 'text' is missing"}, "id": "x"}))
    );
    assert_eq!(
        handle(json!({"execute": "no-only"})),
        Some(json!({"error": {"class": "CommandNotFound",
                   "desc": "The command no-only has not been found"}}))
    );
    // Disabled: refused before the arguments are read.
    assert!(reg.disable("echo"));
    assert_eq!(
        handle(json!({"execute": "echo", "arguments": {"bad": 1}})),
        Some(json!({"error": {"class": "CommandNotFound",
                   "desc": "Command echo has been disabled"}}))
    );
    reg.enable("echo");
    // The gate runs after the enabled check, before the arguments.
    s.frozen.set(true);
    assert_eq!(
        handle(json!({"execute": "echo", "arguments": {"bad": 1}})),
        Some(json!({"error": {"class": "CommandNotFound",
                   "desc": "Command echo has been disabled: frozen"}}))
    );
    assert_eq!(
        handle(json!({"execute": "ping"})),
        Some(json!({"error": {"class": "GenericError",
                   "desc": "this feature or command is not currently supported"}}))
    );
    assert_eq!(
        handle(json!({"execute": "nope", "arguments": 1})),
        Some(json!({"error": {"class": "GenericError",
                   "desc": "QMP input member 'arguments' must be an object"}}))
    );
}

#[test]
fn registry_flags_and_features() {
    let names: Vec<&str> = ks::COMMANDS.iter().map(|c| c.name).collect();
    assert!(names.contains(&"yes-only") && !names.contains(&"no-only"));
    assert!(names.contains(&"manual"));
    let fast = ks::command_info("fast").unwrap();
    assert!(fast.allow_oob && fast.allow_preconfig && !fast.coroutine);
    let slow = ks::command_info("slow").unwrap();
    assert!(slow.coroutine);
    assert_eq!(slow.features, &["unstable"]);
    assert!(!ks::command_info("quit").unwrap().success_response);
}

#[test]
fn events_read_and_write_their_data() {
    use ks::Event;
    let e = Event::from_qapi(
        "FIGURE_DRAWN",
        Some(json!({"figure": {"kind": "point"}, "count": 2})),
    )
    .unwrap();
    assert_eq!(e.name(), "FIGURE_DRAWN");
    assert_eq!(
        e.into_qapi(),
        Some(json!({"figure": {"kind": "point"}, "count": 2}))
    );
    assert_eq!(Event::from_qapi("STARTED", None).unwrap(), Event::Started);
    assert_eq!(Event::Started.into_qapi(), None);
    let p = json!({"first": 1, "tag": "red", "branch": "b", "side": 4});
    assert_eq!(
        Event::from_qapi("PAINTED", Some(p.clone()))
            .unwrap()
            .into_qapi(),
        Some(p)
    );
    assert!(Event::from_qapi("NOPE", None).is_err());
    let names: Vec<&str> = ks::EVENTS.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "STARTED",
            "FIGURE_DRAWN",
            "PAINTED",
            "YES_EVENT",
            "OLD_EVENT"
        ]
    );
    assert_eq!(ks::EVENTS[3].features, &["deprecated"]);
    assert!(ks::EVENTS[3].deprecated && !ks::EVENTS[0].deprecated);
}

mod examples;

#[test]
fn the_schema_examples_round_trip() {
    let codec = examples::Codec {
        request: |name, a| {
            ks::Request::from_qapi(name, a)
                .map(|r| Value::Object(r.into_qapi()))
                .map_err(|e| e.desc)
        },
        response: |name, v| {
            ks::Response::from_qapi(name, v)
                .map(ks::Response::into_qapi)
                .map_err(|e| e.desc)
        },
        known: |name| ks::command_info(name).is_some(),
    };
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/kitchen-sink.json");
    assert_eq!(examples::round_trip(schema, &codec), 2);
}

#[test]
fn serde_uses_the_wire_form() {
    let wire = json!({"kind": "circle", "label": "c", "radius": 1.5});
    let f: ks::Figure = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(serde_json::to_value(&f).unwrap(), wire);
    assert_eq!(
        serde_json::to_string(&ks::Colour::Green).unwrap(),
        "\"green\""
    );
    let e = serde_json::from_value::<ks::Figure>(json!({"kind": "square"})).unwrap_err();
    assert_eq!(e.to_string(), "Parameter 'side' is missing");
    let t: ks::Textual = serde_json::from_str("[1, 2]").unwrap();
    assert_eq!(t, ks::Textual::L(vec![1, 2]));
}

#[test]
#[allow(deprecated)]
fn deprecated_and_unstable_features_are_marked() {
    let old = ks::command_info("old-cmd").unwrap();
    assert!(old.deprecated && !old.unstable);
    let risky = ks::command_info("risky").unwrap();
    assert!(risky.unstable && !risky.deprecated);
    // Deprecated fields and values still work (the uses need the allow).
    let l = ks::Legacy { old_field: 1 };
    assert_eq!(l.old_field, 1);
    assert_eq!(ks::Mood::Grumpy.as_str(), "grumpy");
    let r = ks::Request::from_qapi(
        "old-cmd",
        args(json!({"l": {"old-field": 2}, "m": "grumpy"})),
    );
    assert!(r.is_ok());
}

#[test]
fn every_sized_integer_type_has_exact_edges() {
    let base = json!({
        "i8": 0, "i16": 0, "i32": 0, "i64": 0, "int": 0, "u8": 0, "u16": 0,
        "u32": 0, "u64": 0, "sz": 0, "n": 0, "any": 0, "nothing": null, "list": []
    });
    let with = |field: &str, v: Value| {
        let mut n = base.clone();
        n[field] = v;
        read::<ks::Numbers>(n)
    };
    let signed: [(&str, i64, i64, &str); 3] = [
        ("i8", i8::MIN.into(), i8::MAX.into(), "int8_t"),
        ("i16", i16::MIN.into(), i16::MAX.into(), "int16_t"),
        ("i32", i32::MIN.into(), i32::MAX.into(), "int32_t"),
    ];
    for (field, min, max, c_type) in signed {
        assert!(with(field, json!(min)).is_ok(), "{field} {min}");
        assert!(with(field, json!(max)).is_ok(), "{field} {max}");
        let want = format!("Parameter '{field}' expects {c_type}");
        assert_eq!(with(field, json!(min - 1)).unwrap_err(), want);
        assert_eq!(with(field, json!(max + 1)).unwrap_err(), want);
    }
    for field in ["i64", "int"] {
        assert!(with(field, json!(i64::MIN)).is_ok());
        assert!(with(field, json!(i64::MAX)).is_ok());
        let want = format!("Invalid parameter type for '{field}', expected: integer");
        assert_eq!(with(field, json!(i64::MAX as u64 + 1)).unwrap_err(), want);
        assert_eq!(with(field, json!(-9.3e18)).unwrap_err(), want);
        assert_eq!(with(field, json!(1.0)).unwrap_err(), want);
    }
    let unsigned: [(&str, u64, &str); 3] = [
        ("u8", u8::MAX.into(), "uint8_t"),
        ("u16", u16::MAX.into(), "uint16_t"),
        ("u32", u32::MAX.into(), "uint32_t"),
    ];
    for (field, max, c_type) in unsigned {
        assert!(with(field, json!(0)).is_ok(), "{field} 0");
        assert!(with(field, json!(max)).is_ok(), "{field} {max}");
        let want = format!("Parameter '{field}' expects {c_type}");
        assert_eq!(with(field, json!(max + 1)).unwrap_err(), want);
        // QEMU reads a negative value as its two's complement, out of range here.
        assert_eq!(with(field, json!(-1)).unwrap_err(), want);
    }
    for field in ["u64", "sz"] {
        assert!(with(field, json!(u64::MAX)).is_ok());
        let want = format!("Parameter '{field}' expects uint64");
        assert_eq!(with(field, json!(1.8446744073709552e19)).unwrap_err(), want);
        assert_eq!(with(field, json!("1")).unwrap_err(), want);
    }
}
