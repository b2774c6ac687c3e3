//! QEMU's dictionary order.
//!
//! qemu-ga keeps JSON objects in a hash table of 512 buckets and walks it
//! bucket by bucket, so members come out in ascending bucket order; within
//! one bucket the most recently inserted member comes first. Both the reply
//! writer and the request checks, which report the first problem met,
//! follow this order.

use serde_json::{Map, Value};

/// Number of buckets of a QEMU dictionary.
const BUCKETS: u32 = 512;

/// The bucket QEMU puts `key` in: `tdb_hash(key) % 512`.
///
/// QEMU stores keys in modified UTF-8, where U+0000 is the two bytes
/// `C0 80`; the hash is taken over that form.
pub fn bucket(key: &str) -> u16 {
    let mut len: u32 = 0;
    let mut value: u32 = 0;
    let mut i: u32 = 0;
    let mut add = |byte: u8| {
        value = value.wrapping_add(u32::from(byte) << ((i * 5) % 24));
        i += 1;
    };
    for &byte in key.as_bytes() {
        if byte == 0 {
            add(0xC0);
            add(0x80);
            len += 2;
        } else {
            add(byte);
            len += 1;
        }
    }
    let seeded = value.wrapping_add(0x238F_13AF_u32.wrapping_mul(len));
    let hash = 1_103_515_243_u32.wrapping_mul(seeded).wrapping_add(12_345);
    // The remainder is below 512.
    u16::try_from(hash % BUCKETS).unwrap_or_default()
}

/// The members of `map` in the order qemu-ga iterates (and prints) them,
/// taking the map's order as insertion order.
pub fn ordered(map: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut members: Vec<(u16, &str, &Value)> = map
        .iter()
        .rev()
        .map(|(k, v)| (bucket(k), k.as_str(), v))
        .collect();
    // Stable: within a bucket, the reversed insertion order stays.
    members.sort_by_key(|m| m.0);
    members.into_iter().map(|(_, k, v)| (k, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_buckets() {
        // Values from qga_probe.py's qdict_bucket().
        let known = [
            ("return", 401),
            ("id", 486),
            ("error", 489),
            ("class", 211),
            ("desc", 377),
            ("execute", 299),
            ("arguments", 447),
            ("exec-oob", 162),
            ("exited", 486),
            ("supported_commands", 484),
        ];
        for (key, expected) in known {
            assert_eq!(bucket(key), expected, "{key}");
        }
    }

    fn keys(v: &Value) -> Vec<&str> {
        ordered(v.as_object().unwrap())
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    #[test]
    fn transcript_orders() {
        // Member orders seen on the wire.
        assert_eq!(
            keys(&json!({"eof": 0, "buf-b64": 0, "count": 0})),
            ["count", "buf-b64", "eof"]
        );
        assert_eq!(keys(&json!({"position": 0, "eof": 0})), ["eof", "position"]);
        assert_eq!(keys(&json!({"id": 0, "return": 0})), ["return", "id"]);
        assert_eq!(keys(&json!({"error": 0, "id": 0})), ["id", "error"]);
        assert_eq!(keys(&json!({"desc": 0, "class": 0})), ["class", "desc"]);
        assert_eq!(
            keys(&json!({"name": 0, "enabled": 0, "success-response": 0})),
            ["enabled", "name", "success-response"]
        );
        assert_eq!(
            keys(&json!({"exited": 0, "out-data": 0, "exitcode": 0})),
            ["exitcode", "out-data", "exited"]
        );
        assert_eq!(
            keys(&json!({"version": 0, "supported_commands": 0})),
            ["version", "supported_commands"]
        );
    }

    #[test]
    fn same_bucket_reverses_insertion_order() {
        // Find two distinct keys sharing a bucket.
        let target = bucket("a");
        let alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        let other = alphabet
            .chars()
            .flat_map(|x| alphabet.chars().map(move |y| format!("{x}{y}")))
            .flat_map(|xy| alphabet.chars().map(move |z| format!("{xy}{z}")))
            .find(|k| bucket(k) == target)
            .unwrap();
        let mut map = Map::new();
        map.insert("a".to_owned(), json!(1));
        map.insert(other.clone(), json!(2));
        let order: Vec<&str> = ordered(&map).into_iter().map(|(k, _)| k).collect();
        assert_eq!(order, [other.as_str(), "a"]);
    }

    #[test]
    fn nul_hashes_as_modified_utf8() {
        assert_ne!(bucket("a\0b"), bucket("ab"));
        // Same as hashing the bytes 'a', C0, 80, 'b' with length 4.
        let mut value = 0x238F_13AF_u32.wrapping_mul(4);
        for (i, b) in [b'a', 0xC0, 0x80, b'b'].iter().enumerate() {
            value = value.wrapping_add(u32::from(*b) << ((i as u32 * 5) % 24));
        }
        let expected = 1_103_515_243_u32.wrapping_mul(value).wrapping_add(12_345) % 512;
        assert_eq!(u32::from(bucket("a\0b")), expected);
    }
}
