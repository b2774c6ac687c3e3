//! The real qemu-ga as a reference: started on a temporary unix socket,
//! asked the same questions as our backends, and the two replies compared
//! by *shape*.
//!
//! The shape of a JSON value is its type, with the members of objects
//! (recursively) and the element shapes of arrays merged into one. Two
//! replies have the same shape when they have the same members with the
//! same JSON types, whatever the values. Integers and floats are one
//! type: qemu-ga prints an integral double without a fraction, so the text
//! cannot tell them apart.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Where Debian installs qemu-ga.
pub const QEMU_GA: &str = "/usr/sbin/qemu-ga";

/// A qemu-ga process serving a unix socket in a temporary directory,
/// stopped (by its own pid) when dropped.
#[derive(Debug)]
pub struct QemuGa {
    child: Child,
    stream: BufReader<UnixStream>,
    _dir: tempfile::TempDir,
}

impl QemuGa {
    /// Starts qemu-ga, or returns `None`, printing why, when it is not
    /// installed or cannot be started.
    pub fn start() -> Option<QemuGa> {
        match Self::try_start() {
            Ok(ga) => Some(ga),
            Err(why) => {
                println!("skipped the qemu-ga comparison: {why}");
                None
            }
        }
    }

    fn try_start() -> Result<QemuGa, String> {
        if !Path::new(QEMU_GA).exists() {
            return Err(format!(
                "{QEMU_GA} is absent (apt-get install qemu-guest-agent)"
            ));
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let socket = dir.path().join("qga.sock");
        let state = dir.path().join("state");
        std::fs::create_dir(&state).map_err(|e| e.to_string())?;
        let mut child = Command::new(QEMU_GA)
            .args(["-m", "unix-listen", "-p"])
            .arg(&socket)
            .arg("-t")
            .arg(&state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {QEMU_GA}: {e}"))?;
        let start = Instant::now();
        let stream = loop {
            match UnixStream::connect(&socket) {
                Ok(stream) => break stream,
                Err(_) if start.elapsed() < Duration::from_secs(10) => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("qemu-ga does not listen: {e}"));
                }
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        Ok(QemuGa {
            child,
            stream: BufReader::new(stream),
            _dir: dir,
        })
    }

    /// Runs a command: `Ok(return value)` or `Err(error description)`.
    pub fn call(&mut self, execute: &str, arguments: Value) -> Result<Value, String> {
        let request = json!({"execute": execute, "arguments": arguments});
        let mut line = request.to_string();
        line.push('\n');
        self.stream
            .get_mut()
            .write_all(line.as_bytes())
            .expect("request sent");
        let mut reply = String::new();
        self.stream.read_line(&mut reply).expect("reply read");
        let reply: Value = serde_json::from_str(&reply).expect("reply is JSON");
        if let Some(value) = reply.get("return") {
            return Ok(value.clone());
        }
        let desc = reply
            .pointer("/error/desc")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("neither return nor error: {reply}"));
        Err(desc.to_owned())
    }

    /// The return value of `command` without arguments; an error reply
    /// fails the test.
    pub fn ask(&mut self, command: &str) -> Value {
        self.call(command, json!({}))
            .unwrap_or_else(|e| panic!("qemu-ga refused {command}: {e}"))
    }
}

impl Drop for QemuGa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The JSON type of a value, with object members and array elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array whose elements have the merged shape (`None`: empty).
    Array(Option<Box<Shape>>),
    /// An object's members.
    Object(BTreeMap<String, Shape>),
    /// Elements of an array that disagree.
    Mixed,
}

/// The shape of `value`.
pub fn shape(value: &Value) -> Shape {
    match value {
        Value::Null => Shape::Null,
        Value::Bool(_) => Shape::Bool,
        Value::Number(_) => Shape::Number,
        Value::String(_) => Shape::String,
        Value::Array(items) => Shape::Array(items.iter().map(shape).reduce(merge).map(Box::new)),
        Value::Object(members) => Shape::Object(
            members
                .iter()
                .map(|(name, v)| (name.clone(), shape(v)))
                .collect(),
        ),
    }
}

/// Two shapes seen in one array, as one: objects take every member seen.
fn merge(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Object(mut a), Shape::Object(b)) => {
            for (name, s) in b {
                let merged = match a.remove(&name) {
                    Some(old) => merge(old, s),
                    None => s,
                };
                a.insert(name, merged);
            }
            Shape::Object(a)
        }
        (Shape::Array(a), Shape::Array(b)) => Shape::Array(match (a, b) {
            (Some(a), Some(b)) => Some(Box::new(merge(*a, *b))),
            (a, b) => a.or(b),
        }),
        (a, b) if a == b => a,
        _ => Shape::Mixed,
    }
}

/// The differences between `ours` and `theirs`, as paths like
/// `$.out-data: missing in ours`; members named in `ours_only` may be
/// present only in ours, those in `theirs_only` only in theirs.
pub fn differences(
    ours: &Shape,
    theirs: &Shape,
    ours_only: &[&str],
    theirs_only: &[&str],
) -> Vec<String> {
    let mut found = Vec::new();
    compare("$", ours, theirs, ours_only, theirs_only, &mut found);
    found
}

fn compare(
    at: &str,
    ours: &Shape,
    theirs: &Shape,
    ours_only: &[&str],
    theirs_only: &[&str],
    found: &mut Vec<String>,
) {
    match (ours, theirs) {
        (Shape::Object(a), Shape::Object(b)) => {
            for (name, s) in a {
                let path = format!("{at}.{name}");
                match b.get(name) {
                    Some(t) => compare(&path, s, t, ours_only, theirs_only, found),
                    None if ours_only.contains(&name.as_str()) => {}
                    None => found.push(format!("{path}: only in ours")),
                }
            }
            for name in b.keys().filter(|n| !a.contains_key(*n)) {
                if !theirs_only.contains(&name.as_str()) {
                    found.push(format!("{at}.{name}: missing in ours"));
                }
            }
        }
        (Shape::Array(Some(a)), Shape::Array(Some(b))) => {
            compare(&format!("{at}[]"), a, b, ours_only, theirs_only, found)
        }
        // An empty list matches any list.
        (Shape::Array(_), Shape::Array(_)) => {}
        (a, b) if a == b => {}
        (a, b) => found.push(format!("{at}: ours {a:?}, qemu-ga {b:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_merge_array_elements() {
        let s = shape(&json!([{"a": 1}, {"b": "x"}, {"a": 2.5, "c": [true]}]));
        let expected = shape(&json!([{"a": 0, "b": "", "c": [false]}]));
        assert_eq!(s, expected);
        assert_eq!(
            shape(&json!([1, "x"])),
            Shape::Array(Some(Box::new(Shape::Mixed)))
        );
        assert_eq!(shape(&json!(null)), Shape::Null);
    }

    #[test]
    fn differences_name_the_paths() {
        let ours = shape(&json!({"count": 1, "eof": true, "extra": 1, "l": [{"c": 1}]}));
        let theirs = shape(&json!({"count": "1", "eof": true, "gone": 1, "l": [{"c": true}]}));
        assert_eq!(
            differences(&ours, &theirs, &[], &[]),
            [
                "$.count: ours Number, qemu-ga String",
                "$.extra: only in ours",
                "$.l[].c: ours Number, qemu-ga Bool",
                "$.gone: missing in ours"
            ]
        );
        assert_eq!(differences(&ours, &theirs, &["extra"], &["gone"]).len(), 2);
        assert!(differences(&ours, &ours, &[], &[]).is_empty());
        // An empty list says nothing about its elements.
        assert!(differences(&shape(&json!([])), &shape(&json!([1])), &[], &[]).is_empty());
    }
}
