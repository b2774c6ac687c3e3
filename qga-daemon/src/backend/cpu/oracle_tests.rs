//! `guest-get-vcpus` against qemu-ga 7.2 on this machine: the same member
//! names and JSON types. Skipped, with the reason printed, when
//! `/usr/sbin/qemu-ga` is not installed.

use qga_generated::qapi::IntoQapi;
use serde_json::json;

use super::Vcpus;
use crate::backend::files::oracle::{differences, shape, QemuGa};

#[test]
fn get_vcpus_shape() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let theirs = ga.call("guest-get-vcpus", json!({})).unwrap();
    let ours = Vcpus::new("/").get().unwrap().into_qapi();
    let d = differences(&shape(&ours), &shape(&theirs), &[], &[]);
    assert!(d.is_empty(), "{d:?}\nours: {ours}\nqemu-ga: {theirs}");
    assert_eq!(
        ours.as_array().map(Vec::len),
        theirs.as_array().map(Vec::len),
        "same number of CPUs"
    );
}

#[test]
fn set_vcpus_missing_cpu_error() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    // A CPU that does not exist: nothing can change on this machine.
    let id = 99_999;
    let theirs = ga
        .call(
            "guest-set-vcpus",
            json!({"vcpus": [{"logical-id": id, "online": true}]}),
        )
        .unwrap_err();
    let ours = Vcpus::new("/")
        .set(&[qga_generated::GuestLogicalProcessor {
            logical_id: id,
            online: true,
            can_offline: None,
        }])
        .unwrap_err()
        .to_string();
    assert_eq!(ours, theirs);
}
