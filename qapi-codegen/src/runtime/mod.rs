//! The support code generated files carry.
//!
//! These files are emitted verbatim into every generated file (inside its
//! `qapi` module), so generated code needs nothing beyond std, serde_json
//! and (for the serde impls) serde: `support.rs` always, `server.rs`,
//! `client.rs` and `serde.rs` when those parts are generated. They are
//! also compiled here, so their tests run with this crate's.

use crate::options::Options;

/// Errors, value paths, checked readers, the marshalling traits.
pub const SUPPORT_RS: &str = include_str!("support.rs");
/// The command registry and the request envelope.
pub const SERVER_RS: &str = include_str!("server.rs");
/// The client connection.
pub const CLIENT_RS: &str = include_str!("client.rs");
/// The serde helpers.
pub const SERDE_RS: &str = include_str!("serde.rs");

/// The support source for a file generated with `opts`.
pub fn support_source(opts: &Options, has_commands: bool) -> String {
    let mut out = String::from(SUPPORT_RS);
    if opts.server && has_commands {
        out.push_str(SERVER_RS);
    }
    if opts.client && has_commands {
        out.push_str(CLIENT_RS);
    }
    if opts.serde {
        out.push_str(SERDE_RS);
    }
    out
}

#[cfg(test)]
#[allow(dead_code)]
mod support {
    include!("support.rs");
    include!("server.rs");
    include!("client.rs");
    include!("serde.rs");
}

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod server_tests;

#[cfg(test)]
mod tests {
    use super::support::*;
    use serde_json::json;

    #[test]
    fn full_names_follow_qemu() {
        let root = Path::Root;
        let a = Path::Member(&root, "a");
        let ab = Path::Member(&a, "b");
        let l = Path::Member(&root, "l");
        let l0 = Path::Element(&l, 0);
        let l0m = Path::Member(&l0, "m");
        assert_eq!(a.full_name(), "a");
        assert_eq!(ab.full_name(), "a.b");
        assert_eq!(l0.full_name(), "l[0]");
        assert_eq!(l0m.full_name(), "l[0].m");
        assert_eq!(root.full_name(), "<anonymous>");
        assert_eq!(l0.leaf_name(), "null");
        assert_eq!(l0m.leaf_name(), "m");
    }

    #[test]
    fn scalar_errors_have_qemus_text() {
        let root = Path::Root;
        let x = Path::Member(&root, "x");
        assert_eq!(
            int64(&json!(1.5), &x).unwrap_err().desc,
            "Invalid parameter type for 'x', expected: integer"
        );
        assert_eq!(
            int64(&json!(9223372036854775808u64), &x).unwrap_err().desc,
            "Invalid parameter type for 'x', expected: integer"
        );
        assert_eq!(
            boolean(&json!("true"), &x).unwrap_err().desc,
            "Invalid parameter type for 'x', expected: boolean"
        );
        assert_eq!(
            string(json!(1), &x).unwrap_err().desc,
            "Invalid parameter type for 'x', expected: string"
        );
        assert_eq!(
            number(&json!("1"), &x).unwrap_err().desc,
            "Invalid parameter type for 'x', expected: number"
        );
        assert_eq!(number(&json!(3), &x).unwrap(), 3.0);
    }

    #[test]
    fn ranges_are_checked_at_the_edges() {
        let root = Path::Root;
        let x = Path::Member(&root, "x");
        assert_eq!(int_in::<i8>(&json!(127), &x, "int8_t").unwrap(), 127);
        assert_eq!(int_in::<i8>(&json!(-128), &x, "int8_t").unwrap(), -128);
        assert_eq!(
            int_in::<i8>(&json!(128), &x, "int8_t").unwrap_err().desc,
            "Parameter 'x' expects int8_t"
        );
        assert_eq!(uint_in::<u8>(&json!(255), &x, "uint8_t").unwrap(), 255);
        assert_eq!(
            uint_in::<u8>(&json!(256), &x, "uint8_t").unwrap_err().desc,
            "Parameter 'x' expects uint8_t"
        );
        assert_eq!(uint64(&json!(u64::MAX), &x).unwrap(), u64::MAX);
        assert_eq!(uint64(&json!(-1), &x).unwrap(), u64::MAX);
        assert_eq!(
            uint64(&json!(1.0), &x).unwrap_err().desc,
            "Parameter 'x' expects uint64"
        );
    }

    #[test]
    fn members_missing_and_unexpected() {
        let root = Path::Root;
        let mut m = object(json!({"a": 1, "zz": 2}), &root).unwrap();
        assert!(take_required(&mut m, "a", &root).is_ok());
        assert_eq!(
            take_required(&mut m, "b", &root).unwrap_err().desc,
            "Parameter 'b' is missing"
        );
        assert_eq!(
            check_no_more(&m, &root).unwrap_err().desc,
            "Parameter 'zz' is unexpected"
        );
        let outer = Path::Member(&root, "opts");
        let m2 = object(json!({"q": 1}), &outer).unwrap();
        assert_eq!(
            check_no_more(&m2, &outer).unwrap_err().desc,
            "Parameter 'opts.q' is unexpected"
        );
        assert_eq!(
            object(json!([]), &outer).unwrap_err().desc,
            "Invalid parameter type for 'opts', expected: object"
        );
    }

    #[test]
    fn error_replies_have_class_and_desc() {
        assert_eq!(
            Error::command_not_found("x").to_reply(),
            json!({"error": {"class": "CommandNotFound", "desc": "The command x has not been found"}})
        );
        assert_eq!(
            ErrorClass::from_wire("GenericError"),
            ErrorClass::GenericError
        );
    }

    #[test]
    fn enum_and_alternate_errors_use_the_plain_name() {
        let root = Path::Root;
        let a = Path::Member(&root, "a");
        let ab = Path::Member(&a, "whence");
        assert_eq!(
            bad_enum_value(&ab, "middle").desc,
            "Parameter 'whence' does not accept value 'middle'"
        );
        assert_eq!(
            bad_alternate(&ab, "GuestFileWhence").desc,
            "Invalid parameter type for 'whence', expected: GuestFileWhence"
        );
        let e = Path::Element(&ab, 3);
        assert_eq!(
            bad_enum_value(&e, "x").desc,
            "Parameter 'null' does not accept value 'x'"
        );
    }

    #[test]
    fn lists_name_their_elements() {
        let root = Path::Root;
        let l = Path::Member(&root, "l");
        let got = <Vec<String>>::from_qapi(json!(["a", 1]), &l).unwrap_err();
        assert_eq!(
            got.desc,
            "Invalid parameter type for 'l[1]', expected: string"
        );
        let got = <Vec<u8>>::from_qapi(json!([1, 300]), &l).unwrap_err();
        assert_eq!(got.desc, "Parameter 'null' expects uint8_t");
        assert_eq!(
            <Vec<i64>>::from_qapi(json!([1, -2]), &l).unwrap(),
            vec![1, -2]
        );
    }

    #[test]
    fn optional_and_required_members() {
        let root = Path::Root;
        let mut m = object(json!({"a": 1, "b": "x"}), &root).unwrap();
        let a: i64 = required(&mut m, "a", &root).unwrap();
        let b: Option<String> = optional(&mut m, "b", &root).unwrap();
        let c: Option<bool> = optional(&mut m, "c", &root).unwrap();
        assert_eq!((a, b.as_deref(), c), (1, Some("x"), None));
        assert!(m.is_empty());
        let mut out = Map::new();
        put(&mut out, "a", a);
        put_optional(&mut out, "c", c);
        put_optional(&mut out, "b", Some(true));
        assert_eq!(serde_json::Value::Object(out), json!({"a": 1, "b": true}));
    }

    #[test]
    fn scalars_write_their_wire_form() {
        assert_eq!(f64::NAN.into_qapi(), serde_json::Value::Null);
        assert_eq!(1.5f64.into_qapi(), json!(1.5));
        assert_eq!(u64::MAX.into_qapi(), json!(u64::MAX));
        assert_eq!(().into_qapi(), serde_json::Value::Null);
        assert_eq!(Box::new(-3i8).into_qapi(), json!(-3));
    }
}
