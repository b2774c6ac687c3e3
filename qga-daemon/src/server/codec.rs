//! The protocol's streaming reader as the [`Codec`] of a channel.

use super::{Codec, CodecFactory, Inbound, Reply};
use crate::protocol::{read_error_reply, Event, Reader};
use std::sync::Arc;

impl Codec for Reader {
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<Inbound>) {
        out.extend(Reader::feed(self, bytes).map(|event| match event {
            Event::Value(value) => Inbound::Request(value),
            Event::Error(error) => Inbound::Reply(Reply::new(&read_error_reply(&error), false)),
        }));
    }
}

/// Makes a fresh protocol [`Reader`] for each channel or client.
pub fn protocol_codecs() -> Arc<CodecFactory> {
    Arc::new(|| Box::new(Reader::new()) as Box<dyn Codec>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_errors_come_out_in_order() {
        let mut codec = protocol_codecs()();
        let mut out = Vec::new();
        codec.feed(b"\xff{'execute':", &mut out);
        codec.feed(b"'guest-ping'} }", &mut out);
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(
            out[0],
            Inbound::Reply(Reply::from_bytes(
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n"
                    .into()
            ))
        );
        assert_eq!(
            out[1],
            Inbound::Request(serde_json::json!({"execute": "guest-ping"}))
        );
        assert!(
            matches!(&out[2], Inbound::Reply(r) if r.to_bytes().ends_with(b"expecting value\"}}\n"))
        );
    }
}
