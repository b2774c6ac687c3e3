//! `/proc/diskstats`: block device I/O counters (`guest-get-diskstats`).
//!
//! Lines have, after `major minor name`, 4 counters (partitions on Linux
//! 2.6), 11 (Linux 2.6+), 15 (4.18+, discard) or 17 (5.5+, flush). Widths
//! follow the kernel's format: tick counters and `in_flight` are 32-bit,
//! the others `unsigned long` (64-bit here).

use std::path::Path;

use super::error::SysResult;
use super::fsutil::{host_path, read_text};

/// One line of `/proc/diskstats`. Counters missing from the line's format
/// are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskStats {
    /// Major device number.
    pub major: u32,
    /// Minor device number.
    pub minor: u32,
    /// Kernel device name (`sda`, `vda1`, `dm-0`, ...).
    pub name: String,
    /// Reads completed.
    pub read_ios: Option<u64>,
    /// Reads merged.
    pub read_merges: Option<u64>,
    /// Sectors read.
    pub read_sectors: Option<u64>,
    /// Milliseconds spent reading.
    pub read_ticks: Option<u32>,
    /// Writes completed.
    pub write_ios: Option<u64>,
    /// Writes merged.
    pub write_merges: Option<u64>,
    /// Sectors written.
    pub write_sectors: Option<u64>,
    /// Milliseconds spent writing.
    pub write_ticks: Option<u32>,
    /// I/Os currently in progress.
    pub ios_pgr: Option<u32>,
    /// Milliseconds spent doing I/O.
    pub total_ticks: Option<u32>,
    /// Weighted milliseconds spent doing I/O.
    pub weight_ticks: Option<u32>,
    /// Discards completed.
    pub discard_ios: Option<u64>,
    /// Discards merged.
    pub discard_merges: Option<u64>,
    /// Sectors discarded.
    pub discard_sectors: Option<u64>,
    /// Milliseconds spent discarding.
    pub discard_ticks: Option<u32>,
    /// Flush requests completed.
    pub flush_ios: Option<u64>,
    /// Milliseconds spent flushing.
    pub flush_ticks: Option<u32>,
}

/// Parses `/proc/diskstats`, in file order. A line is kept when it has at
/// least `major minor name` and 4 counters, as qemu-ga does; counters are
/// read up to the first field that does not parse. A line with 4 counters
/// is the old partition format (reads, sectors read, writes, sectors
/// written); the full sets need 11, 15 and 17 counters; counts in between
/// give a line with no counters.
pub fn parse_diskstats(text: &str) -> Vec<DiskStats> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<DiskStats> {
    let mut fields = line.split_whitespace();
    let major = fields.next()?.parse::<u32>().ok()?;
    let minor = fields.next()?.parse::<u32>().ok()?;
    let name = fields.next()?.to_string();
    let values: Vec<&str> = fields.take(17).collect();
    let count = values
        .iter()
        .take_while(|v| v.parse::<u64>().is_ok())
        .count();
    if count < 4 {
        return None;
    }
    let wide = |i: usize| values.get(i).and_then(|v| v.parse::<u64>().ok());
    // The kernel prints these with %u; a wider value is not a valid field.
    let narrow = |i: usize| values.get(i).and_then(|v| v.parse::<u32>().ok());
    let mut s = DiskStats {
        major,
        minor,
        name,
        ..DiskStats::default()
    };
    if count == 4 {
        s.read_ios = wide(0);
        s.read_sectors = wide(1);
        s.write_ios = wide(2);
        s.write_sectors = wide(3);
    }
    if count >= 11 {
        s.read_ios = wide(0);
        s.read_merges = wide(1);
        s.read_sectors = wide(2);
        s.read_ticks = narrow(3);
        s.write_ios = wide(4);
        s.write_merges = wide(5);
        s.write_sectors = wide(6);
        s.write_ticks = narrow(7);
        s.ios_pgr = narrow(8);
        s.total_ticks = narrow(9);
        s.weight_ticks = narrow(10);
    }
    if count >= 15 {
        s.discard_ios = wide(11);
        s.discard_merges = wide(12);
        s.discard_sectors = wide(13);
        s.discard_ticks = narrow(14);
    }
    if count >= 17 {
        s.flush_ios = wide(15);
        s.flush_ticks = narrow(16);
    }
    Some(s)
}

/// Reads `/proc/diskstats` below `root`.
pub fn read_diskstats(root: &Path) -> SysResult<Vec<DiskStats>> {
    let text = read_text(&host_path(root, "/proc/diskstats"))?;
    Ok(parse_diskstats(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_formats() {
        let text = "\
   8       0 sda 1 2 3 4 5 6 7 8 9 10 11
   8       1 sda1 1 2 3 4
 253       0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
 253       1 vda1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
";
        let d = parse_diskstats(text);
        assert_eq!(d.len(), 4);
        assert_eq!((d[0].major, d[0].minor, d[0].name.as_str()), (8, 0, "sda"));
        assert_eq!(d[0].read_merges, Some(2));
        assert_eq!(d[0].read_sectors, Some(3));
        assert_eq!(d[0].weight_ticks, Some(11));
        assert_eq!(d[0].discard_ios, None);
        assert_eq!(d[1].read_ios, Some(1));
        assert_eq!(d[1].read_sectors, Some(2));
        assert_eq!(d[1].write_ios, Some(3));
        assert_eq!(d[1].write_sectors, Some(4));
        assert_eq!(d[1].read_merges, None);
        assert_eq!(d[2].discard_ticks, Some(15));
        assert_eq!(d[2].flush_ios, None);
        assert_eq!(d[3].flush_ios, Some(16));
        assert_eq!(d[3].flush_ticks, Some(17));
    }

    #[test]
    fn odd_lines() {
        let text =
            "x 0 sda 1 2 3 4\n8 0 sdb 1 2 3\n8 0\n\n8 1 sdc 1 2 3 4 5 6\n8 2 sdd 1 2 3 4 z\n";
        let d = parse_diskstats(text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name, "sdc");
        assert_eq!(d[0].read_ios, None);
        assert_eq!(d[1].name, "sdd");
        assert_eq!(d[1].write_sectors, Some(4));
    }

    #[test]
    fn widths() {
        let big = u64::from(u32::MAX) + 1;
        let line = format!("8 0 sda {big} 0 0 {big} 0 0 0 0 0 0 0\n");
        let d = parse_diskstats(&line);
        assert_eq!(d[0].read_ios, Some(big));
        assert_eq!(d[0].read_ticks, None);
    }

    #[test]
    fn real_system() {
        if let Ok(d) = read_diskstats(Path::new("/")) {
            assert!(d.iter().all(|s| !s.name.is_empty()));
        }
    }
}
