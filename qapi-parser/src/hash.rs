//! Fast hash maps and sets for the passes: keys are short names from a
//! schema, for which SipHash (the standard library's default, built to
//! resist flooding by remote peers) costs more than all the work around
//! it. The hash here is the multiply-and-rotate one used inside rustc
//! ("Fx"), written out in a few lines.

use std::collections;
use std::hash::{BuildHasherDefault, Hasher};

/// A [`collections::HashMap`] with the fast hash.
pub(crate) type HashMap<K, V> = collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A [`collections::HashSet`] with the fast hash.
pub(crate) type HashSet<T> = collections::HashSet<T, BuildHasherDefault<FxHasher>>;

/// The multiplier (from the golden ratio, as in rustc).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher: each word is mixed in with a rotate, a xor and a multiply.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply carries entropy upwards only; hash tables index by
        // the low bits, so bring the well-mixed high bits down (without
        // this, names differing only after their first bytes collide).
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    fn hash(s: &str) -> u64 {
        BuildHasherDefault::<FxHasher>::default().hash_one(s)
    }

    #[test]
    fn different_names_hash_differently() {
        let names = ["a", "b", "ab", "ba", "a\0", "abcdefgh", "abcdefghi", ""];
        for (i, x) in names.iter().enumerate() {
            for y in &names[i + 1..] {
                assert_ne!(hash(x), hash(y), "{x:?} {y:?}");
            }
        }
        assert_eq!(hash("same"), hash("same"));
    }

    #[test]
    fn low_bits_spread_for_names_with_a_common_prefix() {
        let buckets: HashSet<u64> = (0..4096).map(|i| hash(&format!("v{i}")) & 0xfff).collect();
        assert!(buckets.len() > 2000, "{} buckets", buckets.len());
    }

    #[test]
    fn maps_work() {
        let mut map: HashMap<String, usize> = HashMap::default();
        for i in 0..1000 {
            map.insert(format!("name-{i}"), i);
        }
        assert_eq!(map.len(), 1000);
        assert_eq!(map.get("name-517"), Some(&517));
        let set: HashSet<&str> = ["x", "y", "x"].into_iter().collect();
        assert_eq!(set.len(), 2);
    }
}
