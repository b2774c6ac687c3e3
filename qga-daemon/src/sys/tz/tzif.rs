//! Time zone information files (TZif, RFC 8536), versions 1 to 4.

use super::posix::{self, LocalType, PosixTz};

/// A parsed TZif file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TzIf {
    transitions: Vec<(i64, usize)>,
    types: Vec<LocalType>,
    footer: Option<PosixTz>,
}

struct Counts {
    isut: usize,
    isstd: usize,
    leap: usize,
    time: usize,
    typ: usize,
    chars: usize,
}

fn be_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn be_i64(data: &[u8], at: usize) -> Option<i64> {
    Some(i64::from_be_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

/// Reads a header at `at`: the version byte and the counts.
fn header(data: &[u8], at: usize) -> Option<(u8, Counts)> {
    if data.get(at..at + 4)? != b"TZif" {
        return None;
    }
    let version = *data.get(at + 4)?;
    let n = |i: usize| be_u32(data, at + 20 + 4 * i).and_then(|v| usize::try_from(v).ok());
    Some((
        version,
        Counts {
            isut: n(0)?,
            isstd: n(1)?,
            leap: n(2)?,
            time: n(3)?,
            typ: n(4)?,
            chars: n(5)?,
        },
    ))
}

fn block_len(c: &Counts, time_size: usize) -> Option<usize> {
    let parts = [
        c.time.checked_mul(time_size)?,
        c.time,
        c.typ.checked_mul(6)?,
        c.chars,
        c.leap.checked_mul(time_size + 4)?,
        c.isstd,
        c.isut,
    ];
    parts.iter().try_fold(0usize, |acc, p| acc.checked_add(*p))
}

fn data_block(data: &[u8], at: usize, c: &Counts, time_size: usize) -> Option<TzIf> {
    let times_at = at;
    let idx_at = times_at + c.time * time_size;
    let types_at = idx_at + c.time;
    let chars_at = types_at + c.typ * 6;
    let chars = data.get(chars_at..chars_at + c.chars)?;
    if c.typ == 0 {
        return None;
    }
    let mut types = Vec::with_capacity(c.typ);
    for i in 0..c.typ {
        let t = types_at + i * 6;
        let offset = be_u32(data, t)? as i32;
        let is_dst = *data.get(t + 4)? != 0;
        let desig = usize::from(*data.get(t + 5)?);
        let tail = chars.get(desig..)?;
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        types.push(LocalType {
            utc_offset: offset,
            abbreviation: String::from_utf8_lossy(tail.get(..end)?).into_owned(),
            is_dst,
        });
    }
    let mut transitions = Vec::with_capacity(c.time);
    for i in 0..c.time {
        let time = if time_size == 8 {
            be_i64(data, times_at + i * 8)?
        } else {
            i64::from(be_u32(data, times_at + i * 4)? as i32)
        };
        let index = usize::from(*data.get(idx_at + i)?);
        if index >= types.len() {
            return None;
        }
        transitions.push((time, index));
    }
    Some(TzIf {
        transitions,
        types,
        footer: None,
    })
}

/// Parses TZif bytes; `None` if they are not a valid file.
pub fn parse(data: &[u8]) -> Option<TzIf> {
    let (version, v1) = header(data, 0)?;
    if version == 0 {
        return data_block(data, 44, &v1, 4);
    }
    let v2_at = 44 + block_len(&v1, 4)?;
    let (_, v2) = header(data, v2_at)?;
    let body_at = v2_at + 44;
    let mut tz = data_block(data, body_at, &v2, 8)?;
    let footer_at = body_at + block_len(&v2, 8)?;
    if let Some(footer) = data.get(footer_at..) {
        let text = String::from_utf8_lossy(footer);
        let rule = text
            .trim_start_matches('\n')
            .split('\n')
            .next()
            .unwrap_or_default();
        tz.footer = posix::parse(rule);
    }
    Some(tz)
}

impl TzIf {
    /// The local time type in force at `utc` (seconds since the epoch).
    pub fn local_type(&self, utc: i64) -> Option<&LocalType> {
        let after = self.transitions.partition_point(|(t, _)| *t <= utc);
        if after == self.transitions.len() {
            if let Some(footer) = &self.footer {
                return Some(footer.local_type(utc));
            }
        }
        match after.checked_sub(1) {
            Some(i) => self.types.get(self.transitions.get(i)?.1),
            None => self.types.first(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a version-2 TZif file with the given transitions, types
    /// (offset, dst, name) and footer.
    pub fn build(transitions: &[(i64, u8)], types: &[(i32, bool, &str)], footer: &str) -> Vec<u8> {
        let mut chars = Vec::new();
        let mut ttinfo = Vec::new();
        for (off, dst, name) in types {
            ttinfo.extend_from_slice(&off.to_be_bytes());
            ttinfo.push(u8::from(*dst));
            ttinfo.push(chars.len() as u8);
            chars.extend_from_slice(name.as_bytes());
            chars.push(0);
        }
        let head = |version: u8| {
            let mut h = b"TZif".to_vec();
            h.push(version);
            h.extend_from_slice(&[0u8; 15]);
            for n in [0, 0, 0, transitions.len(), types.len(), chars.len()] {
                h.extend_from_slice(&(n as u32).to_be_bytes());
            }
            h
        };
        let mut out = head(b'2');
        for (t, _) in transitions {
            out.extend_from_slice(&(*t as i32).to_be_bytes());
        }
        out.extend(transitions.iter().map(|(_, i)| *i));
        out.extend_from_slice(&ttinfo);
        out.extend_from_slice(&chars);
        out.extend(head(b'2'));
        for (t, _) in transitions {
            out.extend_from_slice(&t.to_be_bytes());
        }
        out.extend(transitions.iter().map(|(_, i)| *i));
        out.extend_from_slice(&ttinfo);
        out.extend_from_slice(&chars);
        out.extend_from_slice(format!("\n{footer}\n").as_bytes());
        out
    }

    #[test]
    fn lookup_with_footer() {
        let data = build(
            &[(1000, 1), (2000, 2)],
            &[
                (0, false, "LMT"),
                (3600, false, "CET"),
                (7200, true, "CEST"),
            ],
            "CET-1CEST,M3.5.0,M10.5.0/3",
        );
        let tz = parse(&data).unwrap();
        assert_eq!(tz.local_type(0).unwrap().abbreviation, "LMT");
        assert_eq!(tz.local_type(1500).unwrap().abbreviation, "CET");
        // After the last transition the footer rule decides: mid-July is DST.
        let july = posix::days_from_civil(2024, 7, 1) * 86_400;
        assert_eq!(tz.local_type(july).unwrap().utc_offset, 7200);
        let jan = posix::days_from_civil(2024, 1, 1) * 86_400;
        assert_eq!(tz.local_type(jan).unwrap().abbreviation, "CET");
    }

    #[test]
    fn utc_and_garbage() {
        let utc = parse(&build(&[], &[(0, false, "UTC")], "UTC0")).unwrap();
        assert_eq!(utc.local_type(1_700_000_000).unwrap().abbreviation, "UTC");
        assert!(parse(b"").is_none());
        assert!(parse(b"TZif2garbage").is_none());
        let mut truncated = build(&[(5, 0)], &[(0, false, "UTC")], "UTC0");
        truncated.truncate(60);
        assert!(parse(&truncated).is_none());
        // A transition naming a type that does not exist.
        let bad = build(&[(5, 3)], &[(0, false, "UTC")], "");
        assert!(parse(&bad).is_none());
    }

    #[test]
    fn real_zoneinfo() {
        if let Ok(data) = std::fs::read("/usr/share/zoneinfo/Europe/Paris") {
            let tz = parse(&data).unwrap();
            let july = posix::days_from_civil(2030, 7, 1) * 86_400;
            assert_eq!(tz.local_type(july).unwrap().abbreviation, "CEST");
        }
    }
}
