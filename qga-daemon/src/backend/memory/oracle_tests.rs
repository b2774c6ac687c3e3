//! The read-only memory block commands against qemu-ga 7.2 on this
//! machine: the same member names and JSON types, and the same values
//! (memory blocks rarely change). Skipped, with the reason printed, when
//! `/usr/sbin/qemu-ga` is not installed.

use qga_generated::qapi::IntoQapi;
use serde_json::json;

use super::MemoryBlocks;
use crate::backend::files::oracle::{differences, shape, QemuGa};

#[test]
fn memory_blocks_shape() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let m = MemoryBlocks::new("/");
    for (command, ours) in [
        ("guest-get-memory-blocks", m.get().map(IntoQapi::into_qapi)),
        (
            "guest-get-memory-block-info",
            m.info().map(IntoQapi::into_qapi),
        ),
    ] {
        let theirs = ga.call(command, json!({}));
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                let d = differences(&shape(&ours), &shape(&theirs), &[], &[]);
                assert!(d.is_empty(), "{command}: {d:?}");
                if let (Some(a), Some(b)) = (ours.as_array(), theirs.as_array()) {
                    assert_eq!(a.len(), b.len(), "{command}: block count");
                }
            }
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs, "{command}"),
            (ours, theirs) => panic!("{command}: ours {ours:?}, qemu-ga {theirs:?}"),
        }
    }
}
