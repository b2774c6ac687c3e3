//! Our read-only replies against qemu-ga 7.2's on this machine: the same
//! member names and JSON types (values differ: counters move). Skipped,
//! with the reason printed, when `/usr/sbin/qemu-ga` is not installed.
//!
//! Members that qemu-ga 10.x added and 7.2 lacks may appear in ours only:
//! `total-bytes-privileged` of `guest-get-fsinfo` (10.0).

use std::sync::Arc;

use qga_generated::qapi::IntoQapi;
use serde_json::Value;

use super::oracle::{differences, shape, QemuGa};
use super::Storage;
use crate::backend::freeze::fake::FakeControl;
use crate::backend::freeze::{FreezeOptions, Freezer, MemoryMarker};

fn compare(command: &str, ours: Value, extra_ok: &[&str]) {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let theirs = ga.ask(command);
    let d = differences(&shape(&ours), &shape(&theirs), extra_ok, &[]);
    assert!(
        d.is_empty(),
        "{command}: {d:?}\nours: {ours}\nqemu-ga: {theirs}"
    );
}

#[test]
fn fsfreeze_status_shape() {
    // The status reads no filesystem: a fake control is enough.
    let f = Freezer::new(
        "/",
        Arc::new(FakeControl::new("/".as_ref())),
        Box::new(MemoryMarker::default()),
        FreezeOptions::default(),
    );
    compare("guest-fsfreeze-status", f.status().into_qapi(), &[]);
}

#[test]
fn fsinfo_shape() {
    let ours = Storage::new("/").fsinfo().unwrap();
    compare(
        "guest-get-fsinfo",
        ours.into_qapi(),
        &["total-bytes-privileged"],
    );
}

#[test]
fn disks_shape() {
    let ours = Storage::new("/").disks().unwrap();
    compare("guest-get-disks", ours.into_qapi(), &[]);
}

#[test]
fn diskstats_shape() {
    let ours = Storage::new("/").diskstats().unwrap();
    compare("guest-get-diskstats", ours.into_qapi(), &[]);
}

#[test]
fn cpustats_shape() {
    let ours = Storage::new("/").cpustats().unwrap();
    compare("guest-get-cpustats", ours.into_qapi(), &[]);
}
