//! Reply shapes against qemu-ga: `guest-network-get-interfaces` against
//! qemu-ga 7.2 running on this machine (skipped, with the reason printed,
//! when `/usr/sbin/qemu-ga` is absent), and `guest-network-get-route`,
//! which 7.2 lacks, against qemu-ga 10.0's reply recorded in the shared
//! transcript (skipped when the transcript is absent).

use std::collections::BTreeSet;

use qga_generated::qapi::IntoQapi;
use serde_json::{json, Value};

use super::Network;
use crate::backend::files::oracle::{differences, shape, QemuGa};

#[test]
fn interfaces_shape_and_names() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let theirs = ga.call("guest-network-get-interfaces", json!({})).unwrap();
    let ours = Network::new("/").interfaces().unwrap().into_qapi();
    let d = differences(&shape(&ours), &shape(&theirs), &[], &[]);
    assert!(d.is_empty(), "{d:?}\nours: {ours}\nqemu-ga: {theirs}");
    let names = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.get("name")?.as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(names(&ours), names(&theirs));
}

/// The `return` of the first recorded `guest-network-get-route` reply.
fn recorded_routes() -> Option<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/qga-oracle/transcript-qemu-ga.jsonl"
    );
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let record: Value = serde_json::from_str(line).ok()?;
        if record.get("name")?.as_str()? != "guest-network-get-route" {
            return None;
        }
        let reply: Value = serde_json::from_str(record.get("response")?.as_str()?).ok()?;
        reply.get("return").cloned()
    })
}

#[test]
fn routes_shape_matches_recording() {
    let Some(theirs) = recorded_routes() else {
        println!("skipped: no recorded guest-network-get-route reply");
        return;
    };
    let ours = Network::new("/").routes().unwrap().into_qapi();
    if ours.as_array().is_some_and(Vec::is_empty) {
        println!("skipped: this machine has no routes");
        return;
    }
    // The recording has both families; compare each family on its own
    // so that a machine without IPv6 still compares its IPv4 routes.
    for version in [4, 6] {
        let pick = |v: &Value| -> Value {
            Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter(|r| r.get("version") == Some(&json!(version)))
                    .cloned()
                    .collect(),
            )
        };
        let (ours, theirs) = (pick(&ours), pick(&theirs));
        if ours.as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        let d = differences(&shape(&ours), &shape(&theirs), &[], &[]);
        assert!(d.is_empty(), "IPv{version}: {d:?}\nours: {ours}");
    }
}
