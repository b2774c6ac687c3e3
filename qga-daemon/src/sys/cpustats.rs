//! `/proc/stat` per-CPU time counters (`guest-get-cpustats`).

use std::path::Path;

use super::error::SysResult;
use super::fsutil::{host_path, read_text};

/// The time counters of one `cpuN` line of `/proc/stat`, in clock ticks
/// (`USER_HZ`). Trailing fields that old kernels lack are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuTimes {
    /// The CPU number `N` of `cpuN`.
    pub cpu: u32,
    /// Time in user mode.
    pub user: u64,
    /// Time in user mode with low priority.
    pub nice: u64,
    /// Time in system mode.
    pub system: u64,
    /// Time idle.
    pub idle: u64,
    /// Time waiting for I/O (Linux 2.5.41+).
    pub iowait: Option<u64>,
    /// Time servicing interrupts (Linux 2.6.0+).
    pub irq: Option<u64>,
    /// Time servicing softirqs (Linux 2.6.0+).
    pub softirq: Option<u64>,
    /// Time stolen by the hypervisor (Linux 2.6.11+).
    pub steal: Option<u64>,
    /// Time running a guest (Linux 2.6.24+).
    pub guest: Option<u64>,
    /// Time running a niced guest (Linux 2.6.33+).
    pub guest_nice: Option<u64>,
}

/// Parses the `cpuN` lines of `/proc/stat`, in file order. The aggregate
/// `cpu` line, other lines, and `cpuN` lines with fewer than the four
/// mandatory counters are skipped.
pub fn parse_cpustats(text: &str) -> Vec<CpuTimes> {
    text.lines().filter_map(parse_cpu_line).collect()
}

fn parse_cpu_line(line: &str) -> Option<CpuTimes> {
    let mut fields = line.split_whitespace();
    let cpu = fields.next()?.strip_prefix("cpu")?.parse::<u32>().ok()?;
    // Counters are taken up to the first one that is not a number.
    let values: Vec<u64> = fields
        .map_while(|f| f.parse::<u64>().ok())
        .take(10)
        .collect();
    let at = |i: usize| values.get(i).copied();
    Some(CpuTimes {
        cpu,
        user: at(0)?,
        nice: at(1)?,
        system: at(2)?,
        idle: at(3)?,
        iowait: at(4),
        irq: at(5),
        softirq: at(6),
        steal: at(7),
        guest: at(8),
        guest_nice: at(9),
    })
}

/// Reads the per-CPU lines of `/proc/stat` below `root`.
pub fn read_cpustats(root: &Path) -> SysResult<Vec<CpuTimes>> {
    let text = read_text(&host_path(root, "/proc/stat"))?;
    Ok(parse_cpustats(&text))
}

/// Converts clock ticks to milliseconds as qemu-ga reports them
/// (`ticks * 1000 / ticks_per_second`, rounded down); a zero tick rate
/// gives 0.
pub fn ticks_to_ms(ticks: u64, ticks_per_second: u64) -> u64 {
    if ticks_per_second == 0 {
        return 0;
    }
    let ms = u128::from(ticks) * 1000 / u128::from(ticks_per_second);
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// The kernel's clock tick rate for `/proc/stat` (`sysconf(_SC_CLK_TCK)`).
pub fn clock_ticks_per_second() -> u64 {
    rustix::param::clock_ticks_per_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "\
cpu  100 2 30 4000 5 6 7 8 9 10
cpu0 50 1 15 2000 2 3 4 5 6 7
cpu1 50 1 15 2000 3 3 3 3 3 3
intr 12345 0 0
ctxt 999
";

    #[test]
    fn modern_kernel() {
        let cpus = parse_cpustats(STAT);
        assert_eq!(cpus.len(), 2);
        assert_eq!(cpus[0].cpu, 0);
        assert_eq!(cpus[0].user, 50);
        assert_eq!(cpus[0].guest_nice, Some(7));
        assert_eq!(cpus[1].cpu, 1);
        assert_eq!(cpus[1].iowait, Some(3));
    }

    #[test]
    fn old_kernels_short_lines() {
        let cpus = parse_cpustats("cpu0 1 2 3 4\ncpu1 1 2 3 4 5 6 7\ncpu2 1 2 3 4 5 6 7 8\n");
        assert_eq!(cpus.len(), 3);
        assert_eq!(cpus[0].iowait, None);
        assert_eq!(cpus[1].softirq, Some(7));
        assert_eq!(cpus[1].steal, None);
        assert_eq!(cpus[2].steal, Some(8));
        assert_eq!(cpus[2].guest, None);
    }

    #[test]
    fn garbage_lines_skipped() {
        let cpus = parse_cpustats("cpu0 1 2 3\ncpuX 1 2 3 4\ncpu3 1 2 3 4 x 6\n\n   \ncpu");
        assert_eq!(cpus.len(), 1);
        assert_eq!(cpus[0].cpu, 3);
        assert_eq!(cpus[0].iowait, None);
        assert_eq!(cpus[0].irq, None);
    }

    #[test]
    fn conversion() {
        assert_eq!(ticks_to_ms(250, 100), 2500);
        assert_eq!(ticks_to_ms(1, 3), 333);
        assert_eq!(ticks_to_ms(u64::MAX, 100), u64::MAX);
        assert_eq!(ticks_to_ms(5, 0), 0);
        assert!(clock_ticks_per_second() > 0);
    }

    #[test]
    fn real_system() {
        if let Ok(cpus) = read_cpustats(Path::new("/")) {
            assert!(!cpus.is_empty());
        }
    }
}
