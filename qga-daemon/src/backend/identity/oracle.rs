//! Test helper: asks a real qemu-ga 7.2 (on a temporary unix socket) the
//! same question as our backend, and compares the two replies' shapes:
//! member names and JSON types, recursively, with the elements of a list
//! merged into one shape.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const QEMU_GA: &str = "/usr/sbin/qemu-ga";

/// A running qemu-ga, stopped (by its own pid) when dropped.
pub struct Agent {
    child: Child,
    reader: BufReader<UnixStream>,
    _dir: tempfile::TempDir,
}

impl Agent {
    /// Starts qemu-ga; `None`, with the reason printed, when it is absent.
    pub fn start() -> Option<Agent> {
        if !Path::new(QEMU_GA).exists() {
            println!("skipped: {QEMU_GA} is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("sock");
        let state = dir.path().join("state");
        std::fs::create_dir(&state).unwrap();
        let mut child = Command::new(QEMU_GA)
            .args(["-m", "unix-listen", "-p"])
            .arg(&socket)
            .arg("-t")
            .arg(&state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let begun = Instant::now();
        let stream = loop {
            match UnixStream::connect(&socket) {
                Ok(s) => break s,
                Err(_) if begun.elapsed() < Duration::from_secs(10) => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("qemu-ga does not listen: {e}");
                }
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        Some(Agent {
            child,
            reader: BufReader::new(stream),
            _dir: dir,
        })
    }

    /// `Ok(return value)` or `Err(error desc)` of one command.
    pub fn call(&mut self, execute: &str, arguments: Value) -> Result<Value, String> {
        let mut line = json!({"execute": execute, "arguments": arguments}).to_string();
        line.push('\n');
        self.reader.get_mut().write_all(line.as_bytes()).unwrap();
        let mut reply = String::new();
        self.reader.read_line(&mut reply).unwrap();
        let reply: Value = serde_json::from_str(&reply).unwrap();
        match (reply.get("return"), reply.pointer("/error/desc")) {
            (Some(v), _) => Ok(v.clone()),
            (None, Some(Value::String(d))) => Err(d.clone()),
            _ => panic!("odd reply {reply}"),
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The JSON type of a value, objects and lists included.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `null`.
    Null,
    /// A boolean.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// A list and the merged shape of its elements (`None`: empty).
    List(Option<Box<Shape>>),
    /// An object and its members' shapes.
    Object(BTreeMap<String, Shape>),
    /// Elements of different types in one list.
    Mixed,
}

/// The shape of `v`.
pub fn shape(v: &Value) -> Shape {
    match v {
        Value::Null => Shape::Null,
        Value::Bool(_) => Shape::Bool,
        Value::Number(_) => Shape::Number,
        Value::String(_) => Shape::String,
        Value::Array(a) => Shape::List(a.iter().map(shape).reduce(merge).map(Box::new)),
        Value::Object(o) => Shape::Object(o.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
    }
}

fn merge(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Object(mut x), Shape::Object(y)) => {
            for (k, v) in y {
                let m = match x.remove(&k) {
                    Some(old) => merge(old, v),
                    None => v,
                };
                x.insert(k, m);
            }
            Shape::Object(x)
        }
        (Shape::List(x), Shape::List(y)) => Shape::List(match (x, y) {
            (Some(x), Some(y)) => Some(Box::new(merge(*x, *y))),
            (x, y) => x.or(y),
        }),
        (a, b) if a == b => a,
        _ => Shape::Mixed,
    }
}

/// Where `ours` and `theirs` differ; members named in `extra_ok` may be
/// ours only.
pub fn differences(ours: &Shape, theirs: &Shape, extra_ok: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    walk(ours, theirs, extra_ok, "$", &mut out);
    out
}

fn walk(ours: &Shape, theirs: &Shape, extra_ok: &[&str], at: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Shape::Object(a), Shape::Object(b)) => {
            for (k, v) in b {
                match a.get(k) {
                    Some(o) => walk(o, v, extra_ok, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: missing in ours")),
                }
            }
            for k in a.keys() {
                if !b.contains_key(k) && !extra_ok.contains(&k.as_str()) {
                    out.push(format!("{at}.{k}: only in ours"));
                }
            }
        }
        (Shape::List(Some(a)), Shape::List(Some(b))) => {
            walk(a, b, extra_ok, &format!("{at}[]"), out)
        }
        (Shape::List(_), Shape::List(_)) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: ours {a:?}, qemu-ga {b:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_shapes() {
        let theirs = shape(&json!([{"a": 1}, {"b": "x", "l": [true]}]));
        assert!(differences(
            &shape(&json!([{"a": 2, "b": "", "l": [false], "n": 1}])),
            &theirs,
            &["n"]
        )
        .is_empty());
        assert_eq!(
            differences(&shape(&json!([{"a": "2", "l": [1]}])), &theirs, &[]),
            [
                "$[].a: ours String, qemu-ga Number",
                "$[].b: missing in ours",
                "$[].l[]: ours Number, qemu-ga Bool"
            ]
        );
        assert_eq!(
            shape(&json!([1, "a"])),
            Shape::List(Some(Box::new(Shape::Mixed)))
        );
        assert_eq!(
            differences(&shape(&json!({"z": 1})), &shape(&json!({})), &[]),
            ["$.z: only in ours"]
        );
    }
}
