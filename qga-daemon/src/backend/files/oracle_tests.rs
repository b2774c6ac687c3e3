//! The guest-file commands side by side with qemu-ga 7.2 on this machine:
//! the same operations on the same temporary files give replies of the
//! same shape and errors with the same text.

use std::fs;

use qga_generated::qapi::IntoQapi;
use qga_generated::{GuestFileWhence, QGASeek};
use serde_json::{json, Value};

use super::oracle::{differences, shape, QemuGa};
use super::*;

/// Asserts that `ours` (serialised through the generated wire encoding)
/// and qemu-ga's reply have the same shape.
fn same_shape(what: &str, ours: Value, theirs: &Value) {
    let diff = differences(&shape(&ours), &shape(theirs), &[], &[]);
    assert!(
        diff.is_empty(),
        "{what}: {diff:?}\nours: {ours}\nqemu-ga: {theirs}"
    );
}

fn same_error<T: std::fmt::Debug>(
    what: &str,
    ours: Result<T, FileError>,
    theirs: Result<Value, String>,
) {
    let ours = ours.expect_err(what).to_string();
    assert_eq!(Err(ours), theirs.map(|_| ()), "{what}");
}

#[test]
fn replies_and_errors_match_qemu_ga() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.txt");
    fs::write(&small, b"hello qga\nline two\n\0\xff binary tail\n").unwrap();
    let small = small.to_str().unwrap();
    let files = GuestFiles::new();
    let handles = MemoryHandles::default();

    // Open, read in pieces, hit the end.
    let theirs_h = ga
        .call("guest-file-open", json!({"path": small, "mode": "r"}))
        .unwrap();
    let ours_h = files.open(&handles, small, Some("r")).unwrap();
    same_shape("open", ours_h.into_qapi(), &theirs_h);
    let th = theirs_h.as_i64().unwrap();
    for count in [Some(5), None, None, Some(0)] {
        let mut args = json!({"handle": th});
        if let Some(c) = count {
            args["count"] = c.into();
        }
        let theirs = ga.call("guest-file-read", args).unwrap();
        let ours = files.read(ours_h, count).unwrap().into_qapi();
        same_shape("read", ours.clone(), &theirs);
        assert_eq!(ours, theirs, "read {count:?}");
    }

    // Seeks by name and by code.
    for (offset, whence, code) in [
        (0, QGASeek::Set, 0),
        (3, QGASeek::Cur, 1),
        (-4, QGASeek::End, 2),
    ] {
        let theirs = ga
            .call(
                "guest-file-seek",
                json!({"handle": th, "offset": offset, "whence": whence.as_str()}),
            )
            .unwrap();
        let ours = files
            .seek(ours_h, offset, &GuestFileWhence::Name(whence))
            .unwrap()
            .into_qapi();
        assert_eq!(ours, theirs, "seek {offset} {whence}");
        let theirs = ga
            .call(
                "guest-file-seek",
                json!({"handle": th, "offset": 0, "whence": code}),
            )
            .unwrap();
        let ours = files
            .seek(ours_h, 0, &GuestFileWhence::Value(code))
            .unwrap()
            .into_qapi();
        assert_eq!(ours, theirs, "seek 0 {code}");
    }

    // Errors on a read-only handle.
    for count in [-1, MAX_READ_COUNT + 1] {
        same_error(
            "read count",
            files.read(ours_h, Some(count)),
            ga.call("guest-file-read", json!({"handle": th, "count": count})),
        );
    }
    same_error(
        "write read-only",
        files.write(ours_h, "aGk=", None),
        ga.call("guest-file-write", json!({"handle": th, "buf-b64": "aGk="})),
    );
    same_error(
        "seek before start",
        files.seek(ours_h, -1, &GuestFileWhence::Value(0)),
        ga.call(
            "guest-file-seek",
            json!({"handle": th, "offset": -1, "whence": 0}),
        ),
    );
    same_shape(
        "flush",
        json!({}),
        &ga.call("guest-file-flush", json!({"handle": th})).unwrap(),
    );
    files.flush(ours_h).unwrap();
    same_shape(
        "close",
        json!({}),
        &ga.call("guest-file-close", json!({"handle": th})).unwrap(),
    );
    files.close(ours_h).unwrap();
    for handle in [th, 999999] {
        same_error(
            "stale handle",
            files.read(handle, None),
            ga.call("guest-file-read", json!({"handle": handle})),
        );
    }

    // Open failures.
    let missing = dir.path().join("does-not-exist");
    let missing = missing.to_str().unwrap();
    same_error(
        "missing",
        files.open(&handles, missing, None),
        ga.call("guest-file-open", json!({"path": missing})),
    );
    same_error(
        "bad mode",
        files.open(&handles, small, Some("rz")),
        ga.call("guest-file-open", json!({"path": small, "mode": "rz"})),
    );

    // A directory opens, and fails to read.
    let d = dir.path().to_str().unwrap();
    let theirs_d = ga.call("guest-file-open", json!({"path": d})).unwrap();
    let ours_d = files.open(&handles, d, None).unwrap();
    same_error(
        "read directory",
        files.read(ours_d, None),
        ga.call("guest-file-read", json!({"handle": theirs_d})),
    );

    // Writing: both agents write their own file; the contents must agree.
    let theirs_path = dir.path().join("theirs.txt");
    let ours_path = dir.path().join("ours.txt");
    let tw = ga
        .call(
            "guest-file-open",
            json!({"path": theirs_path, "mode": "w+"}),
        )
        .unwrap();
    let ow = files
        .open(&handles, ours_path.to_str().unwrap(), Some("w+"))
        .unwrap();
    for (b64, count) in [
        ("d3JpdHRlbiBieSBxZ2EK", None),
        ("YWJjZGVm", Some(3)),
        ("", None),
    ] {
        let mut args = json!({"handle": tw, "buf-b64": b64});
        if let Some(c) = count {
            args["count"] = c.into();
        }
        let theirs = ga.call("guest-file-write", args).unwrap();
        let ours = files.write(ow, b64, count).unwrap().into_qapi();
        same_shape("write", ours.clone(), &theirs);
        assert_eq!(ours, theirs, "write {b64} {count:?}");
    }
    same_error(
        "write count",
        files.write(ow, "eHk=", Some(10)),
        ga.call(
            "guest-file-write",
            json!({"handle": tw, "buf-b64": "eHk=", "count": 10}),
        ),
    );
    same_error(
        "write base64",
        files.write(ow, "!!!not base64!!!", None),
        ga.call(
            "guest-file-write",
            json!({"handle": tw, "buf-b64": "!!!not base64!!!"}),
        ),
    );
    // Read back through the same handle after a seek.
    ga.call(
        "guest-file-seek",
        json!({"handle": tw, "offset": 0, "whence": "set"}),
    )
    .unwrap();
    files
        .seek(ow, 0, &GuestFileWhence::Name(QGASeek::Set))
        .unwrap();
    let theirs = ga.call("guest-file-read", json!({"handle": tw})).unwrap();
    assert_eq!(files.read(ow, None).unwrap().into_qapi(), theirs);
    ga.call("guest-file-close", json!({"handle": tw})).unwrap();
    files.close(ow).unwrap();
    assert_eq!(
        fs::read(&ours_path).unwrap(),
        fs::read(&theirs_path).unwrap()
    );
}
