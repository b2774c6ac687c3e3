//! Test helpers that compare our replies with the real qemu-ga's: start
//! `/usr/sbin/qemu-ga` on a temporary unix socket, ask it a command, and
//! compare reply *shapes* (member names and JSON types, recursively, list
//! elements merged).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const QEMU_GA: &str = "/usr/sbin/qemu-ga";

/// A qemu-ga started for one test; stopped (by its pid) when dropped.
pub struct QemuGa {
    child: Child,
    _dir: tempfile::TempDir,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl QemuGa {
    /// Starts qemu-ga, or explains why it cannot.
    pub fn start() -> Result<QemuGa, String> {
        if !Path::new(QEMU_GA).exists() {
            return Err(format!("{QEMU_GA} is not installed"));
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let sock = dir.path().join("qga.sock");
        let state = dir.path().join("state");
        std::fs::create_dir(&state).map_err(|e| e.to_string())?;
        let mut child = Command::new(QEMU_GA)
            .arg("-m")
            .arg("unix-listen")
            .arg("-p")
            .arg(&sock)
            .arg("-t")
            .arg(&state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {QEMU_GA}: {e}"))?;
        let start = Instant::now();
        let stream = loop {
            match UnixStream::connect(&sock) {
                Ok(s) => break s,
                Err(_) if start.elapsed() < Duration::from_secs(10) => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("cannot connect to qemu-ga: {e}"));
                }
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let writer = stream.try_clone().map_err(|e| e.to_string())?;
        Ok(QemuGa {
            child,
            _dir: dir,
            reader: BufReader::new(stream),
            writer,
        })
    }

    /// The `return` value of `command` (without arguments).
    pub fn ask(&mut self, command: &str) -> Value {
        let request = format!("{{\"execute\": \"{command}\"}}\n");
        self.writer.write_all(request.as_bytes()).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let reply: Value = serde_json::from_str(&line).unwrap();
        match reply.get("return") {
            Some(v) => v.clone(),
            None => panic!("qemu-ga answered {command} with {line}"),
        }
    }
}

impl Drop for QemuGa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shape of a JSON value.
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
    /// A list, with the merged shape of its elements (`None` if empty).
    List(Option<Box<Shape>>),
    /// An object with the shapes of its members.
    Object(BTreeMap<String, Shape>),
    /// Elements of different kinds in one list.
    Mixed,
}

/// The shape of `v`.
pub fn shape(v: &Value) -> Shape {
    match v {
        Value::Null => Shape::Null,
        Value::Bool(_) => Shape::Bool,
        Value::Number(_) => Shape::Number,
        Value::String(_) => Shape::String,
        Value::Array(items) => Shape::List(items.iter().map(shape).reduce(merge).map(Box::new)),
        Value::Object(members) => {
            Shape::Object(members.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
    }
}

/// Two shapes as one: objects get the union of their members.
fn merge(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Object(mut x), Shape::Object(y)) => {
            for (k, v) in y {
                let merged = match x.remove(&k) {
                    Some(old) => merge(old, v),
                    None => v,
                };
                x.insert(k, merged);
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

/// The differences between our shape and qemu-ga's; members named in
/// `extra_ok` may appear in ours only.
pub fn differences(ours: &Shape, theirs: &Shape, extra_ok: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    diff(ours, theirs, extra_ok, "$", &mut out);
    out
}

fn diff(ours: &Shape, theirs: &Shape, extra_ok: &[&str], at: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Shape::Object(a), Shape::Object(b)) => {
            for (k, v) in b {
                match a.get(k) {
                    Some(ours) => diff(ours, v, extra_ok, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: missing in ours")),
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                if !extra_ok.contains(&k.as_str()) {
                    out.push(format!("{at}.{k}: only in ours"));
                }
            }
        }
        (Shape::List(Some(a)), Shape::List(Some(b))) => {
            diff(a, b, extra_ok, &format!("{at}[]"), out)
        }
        (Shape::List(_), Shape::List(_)) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: ours {a:?}, qemu-ga {b:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_merge_and_compare() {
        let theirs = shape(&json!([{"a": 1, "l": []}, {"b": "x", "l": [{"c": true}]}]));
        let ours = shape(&json!([{"a": 2, "b": "y", "l": [{"c": false}], "new": 1}]));
        assert!(differences(&ours, &theirs, &["new"]).is_empty());
        let d = differences(&ours, &theirs, &[]);
        assert_eq!(d, ["$[].new: only in ours"]);
        let wrong = shape(&json!([{"a": "1", "l": [{"c": 1}]}]));
        let d = differences(&wrong, &theirs, &[]);
        assert_eq!(
            d,
            [
                "$[].a: ours String, qemu-ga Number",
                "$[].b: missing in ours",
                "$[].l[].c: ours Number, qemu-ga Bool"
            ]
        );
        assert_eq!(
            shape(&json!([1, "x"])),
            Shape::List(Some(Box::new(Shape::Mixed)))
        );
        assert_eq!(shape(&json!(null)), Shape::Null);
    }
}
