//! Large `guest-file-read` replies over the wire: the built agent streams
//! the base64 text, with the same bytes as a reply serialised in full,
//! without holding more than one copy of the data, and gives the memory
//! back afterwards.

mod wire_support;

use qga_daemon::protocol::{base64, encode_reply};
use serde_json::{json, Value};
use wire_support::AgentProcess;

/// A file of `len` bytes that no simple pattern describes.
fn data(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn returned(reply: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(reply).unwrap();
    v.get("return")
        .cloned()
        .unwrap_or_else(|| panic!("not a success: {v}"))
}

#[test]
fn a_large_read_is_streamed_with_the_bytes_of_a_whole_reply() {
    let agent = AgentProcess::start(&[], false);
    let content = data(30 << 20);
    let path = agent.dir().join("big");
    std::fs::write(&path, &content).unwrap();
    let mut c = agent.connect();
    let open = json!({"execute": "guest-file-open", "arguments": {"path": path}});
    let handle = returned(&c.exchange(open.to_string().as_bytes(), 1, 1));
    let idle_hwm = agent.status_kib("VmHWM");

    let read = json!({"execute": "guest-file-read",
                      "arguments": {"handle": handle, "count": 50_331_648},
                      "id": {"big": [1]}});
    let reply = c.exchange(read.to_string().as_bytes(), 1, 1);

    // What a reply serialised in full would be, in qemu-ga's member order.
    let mut expected = Vec::new();
    let whole = json!({"return": {"count": content.len(), "buf-b64": base64::encode(&content), "eof": true},
                       "id": {"big": [1]}});
    encode_reply(&mut expected, &whole, false);
    assert!(
        reply == expected,
        "the streamed reply differs from the whole one"
    );
    assert!(reply.starts_with(b"{\"return\": {\"count\": 31457280, \"buf-b64\": \""));

    // One copy of the data and small pieces; three copies (data, text,
    // reply line) would be 30 + 40 + 40 MiB.
    let growth = agent.status_kib("VmHWM").saturating_sub(idle_hwm);
    assert!(
        growth < (30 << 10) + (8 << 10),
        "the peak grew by {growth} KiB for a 30 MiB read"
    );

    // The end of the file, then the memory goes back.
    let again = json!({"execute": "guest-file-read", "arguments": {"handle": handle}});
    assert_eq!(
        c.exchange(again.to_string().as_bytes(), 1, 1),
        b"{\"return\": {\"count\": 0, \"buf-b64\": \"\", \"eof\": true}}\n"
    );
    let close = json!({"execute": "guest-file-close", "arguments": {"handle": handle}});
    assert_eq!(
        c.exchange(close.to_string().as_bytes(), 1, 1),
        b"{\"return\": {}}\n"
    );
    let rss = agent.status_kib("RssAnon");
    assert!(
        rss < 8 << 10,
        "{rss} KiB of anonymous memory kept after the read"
    );
}

#[test]
fn pipelined_reads_come_back_in_order() {
    let agent = AgentProcess::start(&[], false);
    let content = data(3 << 20);
    let path = agent.dir().join("three");
    std::fs::write(&path, &content).unwrap();
    let mut c = agent.connect();
    let open = json!({"execute": "guest-file-open", "arguments": {"path": path}});
    let handle = returned(&c.exchange(open.to_string().as_bytes(), 1, 1));
    // Four reads and a ping in one write: 1 MiB, 1 MiB, the rest, EOF.
    let mut batch = String::new();
    for _ in 0..4 {
        batch += &json!({"execute": "guest-file-read",
                         "arguments": {"handle": handle, "count": 1 << 20}})
        .to_string();
    }
    batch += r#"{"execute":"guest-ping"}"#;
    let replies = c.exchange(batch.as_bytes(), 3, 5);
    let lines: Vec<&[u8]> = replies.split_inclusive(|&b| b == b'\n').collect();
    let mut back = Vec::new();
    for line in &lines[..4] {
        let r = returned(line);
        back.extend(base64::decode(r["buf-b64"].as_str().unwrap()).unwrap());
        assert_eq!(r["count"], json!(r["count"].as_u64().unwrap()));
    }
    assert!(back == content, "the data came back altered");
    assert_eq!(returned(lines[2])["eof"], json!(false));
    assert_eq!(
        returned(lines[3]),
        json!({"count": 0, "buf-b64": "", "eof": true})
    );
    assert_eq!(lines[4], b"{\"return\": {}}\n");
}
