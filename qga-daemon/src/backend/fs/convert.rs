//! From the system readers' data to the generated protocol types.

use qga_generated::{
    GuestCCWAddress, GuestCpuStats, GuestCpuStatsBranch, GuestDiskAddress, GuestDiskBusType,
    GuestDiskSmart, GuestDiskSmartBranch, GuestDiskStats, GuestDiskStatsInfo, GuestLinuxCpuStats,
    GuestNVMeSmart, GuestPCIAddress,
};

use crate::sys::block::{BusType, FsDisk};
use crate::sys::cpustats::{ticks_to_ms, CpuTimes};
use crate::sys::diskstats::DiskStats;
use crate::sys::nvme::SmartHealthLog;

/// The schema's bus type for a bus the readers recognise.
pub fn bus_type(bus: BusType) -> GuestDiskBusType {
    match bus {
        BusType::Unknown => GuestDiskBusType::Unknown,
        BusType::Ide => GuestDiskBusType::Ide,
        BusType::Scsi => GuestDiskBusType::Scsi,
        BusType::Virtio => GuestDiskBusType::Virtio,
        BusType::Sata => GuestDiskBusType::Sata,
        BusType::Nvme => GuestDiskBusType::Nvme,
        BusType::Usb => GuestDiskBusType::Usb,
    }
}

/// A disk's address; an unknown PCI controller is -1 in every field, as
/// qemu-ga reports it.
pub fn disk_address(disk: &FsDisk) -> GuestDiskAddress {
    let a = &disk.address;
    let pci_controller = match a.pci_controller {
        Some(p) => GuestPCIAddress {
            domain: i64::from(p.domain),
            bus: i64::from(p.bus),
            slot: i64::from(p.slot),
            function: i64::from(p.function),
        },
        None => GuestPCIAddress {
            domain: -1,
            bus: -1,
            slot: -1,
            function: -1,
        },
    };
    GuestDiskAddress {
        pci_controller,
        bus_type: bus_type(a.bus_type),
        bus: i64::from(a.bus),
        target: i64::from(a.target),
        unit: i64::from(a.unit),
        serial: disk.serial.clone(),
        dev: disk.dev.clone(),
        ccw_address: a.ccw_address.map(|c| GuestCCWAddress {
            cssid: i64::from(c.cssid),
            ssid: i64::from(c.ssid),
            subchno: i64::from(c.subchno),
            devno: i64::from(c.devno),
        }),
    }
}

/// The low and high 64 bits of a 128-bit counter (truncation intended).
fn halves(counter: u128) -> (u64, u64) {
    (counter as u64, (counter >> 64) as u64)
}

/// An NVMe SMART / Health log as the schema's `smart` member.
pub fn nvme_smart(log: &SmartHealthLog) -> GuestDiskSmart {
    let (data_units_read_lo, data_units_read_hi) = halves(log.data_units_read);
    let (data_units_written_lo, data_units_written_hi) = halves(log.data_units_written);
    let (host_read_commands_lo, host_read_commands_hi) = halves(log.host_read_commands);
    let (host_write_commands_lo, host_write_commands_hi) = halves(log.host_write_commands);
    let (controller_busy_time_lo, controller_busy_time_hi) = halves(log.controller_busy_time);
    let (power_cycles_lo, power_cycles_hi) = halves(log.power_cycles);
    let (power_on_hours_lo, power_on_hours_hi) = halves(log.power_on_hours);
    let (unsafe_shutdowns_lo, unsafe_shutdowns_hi) = halves(log.unsafe_shutdowns);
    let (media_errors_lo, media_errors_hi) = halves(log.media_errors);
    let (number_of_error_log_entries_lo, number_of_error_log_entries_hi) =
        halves(log.number_of_error_log_entries);
    GuestDiskSmart {
        branch: GuestDiskSmartBranch::Nvme(GuestNVMeSmart {
            critical_warning: i64::from(log.critical_warning),
            temperature: i64::from(log.temperature),
            available_spare: i64::from(log.available_spare),
            available_spare_threshold: i64::from(log.available_spare_threshold),
            percentage_used: i64::from(log.percentage_used),
            data_units_read_lo,
            data_units_read_hi,
            data_units_written_lo,
            data_units_written_hi,
            host_read_commands_lo,
            host_read_commands_hi,
            host_write_commands_lo,
            host_write_commands_hi,
            controller_busy_time_lo,
            controller_busy_time_hi,
            power_cycles_lo,
            power_cycles_hi,
            power_on_hours_lo,
            power_on_hours_hi,
            unsafe_shutdowns_lo,
            unsafe_shutdowns_hi,
            media_errors_lo,
            media_errors_hi,
            number_of_error_log_entries_lo,
            number_of_error_log_entries_hi,
        }),
    }
}

/// One `/proc/diskstats` line.
pub fn disk_stats(s: DiskStats) -> GuestDiskStatsInfo {
    let wide = u64::from;
    GuestDiskStatsInfo {
        name: s.name,
        major: u64::from(s.major),
        minor: u64::from(s.minor),
        stats: GuestDiskStats {
            read_sectors: s.read_sectors,
            read_ios: s.read_ios,
            read_merges: s.read_merges,
            write_sectors: s.write_sectors,
            write_ios: s.write_ios,
            write_merges: s.write_merges,
            discard_sectors: s.discard_sectors,
            discard_ios: s.discard_ios,
            discard_merges: s.discard_merges,
            flush_ios: s.flush_ios,
            read_ticks: s.read_ticks.map(wide),
            write_ticks: s.write_ticks.map(wide),
            discard_ticks: s.discard_ticks.map(wide),
            flush_ticks: s.flush_ticks.map(wide),
            ios_pgr: s.ios_pgr.map(wide),
            total_ticks: s.total_ticks.map(wide),
            weight_ticks: s.weight_ticks.map(wide),
        },
    }
}

/// One `cpuN` line of `/proc/stat`, in milliseconds at `ticks_per_second`.
pub fn cpu_stats(c: &CpuTimes, ticks_per_second: u64) -> GuestCpuStats {
    let ms = |ticks: u64| ticks_to_ms(ticks, ticks_per_second);
    GuestCpuStats {
        branch: GuestCpuStatsBranch::Linux(GuestLinuxCpuStats {
            cpu: i64::from(c.cpu),
            user: ms(c.user),
            nice: ms(c.nice),
            system: ms(c.system),
            idle: ms(c.idle),
            iowait: c.iowait.map(ms),
            irq: c.irq.map(ms),
            softirq: c.softirq.map(ms),
            steal: c.steal.map(ms),
            guest: c.guest.map(ms),
            guestnice: c.guest_nice.map(ms),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::block::{CcwAddress, DiskAddress, PciAddress};

    #[test]
    fn addresses() {
        let mut disk = FsDisk {
            address: DiskAddress {
                bus_type: BusType::Scsi,
                bus: 1,
                target: 2,
                unit: 3,
                ..DiskAddress::default()
            },
            dev: Some("/dev/sda".into()),
            serial: Some("S1".into()),
        };
        let a = disk_address(&disk);
        assert_eq!(a.pci_controller.domain, -1);
        assert_eq!(a.pci_controller.function, -1);
        assert_eq!(a.bus_type, GuestDiskBusType::Scsi);
        assert_eq!((a.bus, a.target, a.unit), (1, 2, 3));
        assert_eq!(a.dev.as_deref(), Some("/dev/sda"));
        assert_eq!(a.serial.as_deref(), Some("S1"));
        assert!(a.ccw_address.is_none());
        disk.address.pci_controller = Some(PciAddress {
            domain: 0,
            bus: 0,
            slot: 4,
            function: 1,
        });
        disk.address.ccw_address = Some(CcwAddress {
            cssid: 0xfe,
            ssid: 0,
            subchno: 2,
            devno: 0x1a,
        });
        let a = disk_address(&disk);
        assert_eq!((a.pci_controller.slot, a.pci_controller.function), (4, 1));
        assert_eq!(a.ccw_address.unwrap().cssid, 0xfe);
        for (bus, name) in [
            (BusType::Unknown, "unknown"),
            (BusType::Ide, "ide"),
            (BusType::Virtio, "virtio"),
            (BusType::Sata, "sata"),
            (BusType::Nvme, "nvme"),
            (BusType::Usb, "usb"),
        ] {
            assert_eq!(bus_type(bus).as_str(), name);
        }
    }

    #[test]
    fn smart_counters_split_into_halves() {
        let log = SmartHealthLog {
            critical_warning: 0x1F,
            temperature: 0xFFFF,
            available_spare: 100,
            available_spare_threshold: 10,
            percentage_used: 255,
            data_units_read: (7 << 64) | 9,
            power_on_hours: u128::MAX,
            number_of_error_log_entries: 1 << 64,
            ..SmartHealthLog::default()
        };
        let GuestDiskSmartBranch::Nvme(s) = nvme_smart(&log).branch else {
            panic!("not the nvme branch");
        };
        assert_eq!(s.critical_warning, 0x1F);
        assert_eq!(s.temperature, 65535);
        assert_eq!((s.available_spare, s.available_spare_threshold), (100, 10));
        assert_eq!(s.percentage_used, 255);
        assert_eq!((s.data_units_read_lo, s.data_units_read_hi), (9, 7));
        assert_eq!((s.data_units_written_lo, s.data_units_written_hi), (0, 0));
        assert_eq!(
            (s.power_on_hours_lo, s.power_on_hours_hi),
            (u64::MAX, u64::MAX)
        );
        assert_eq!(
            (
                s.number_of_error_log_entries_lo,
                s.number_of_error_log_entries_hi
            ),
            (0, 1)
        );
    }

    #[test]
    fn stats() {
        let s = DiskStats {
            major: 8,
            minor: 0,
            name: "sda".into(),
            read_ios: Some(1),
            read_ticks: Some(u32::MAX),
            flush_ios: None,
            ..DiskStats::default()
        };
        let i = disk_stats(s);
        assert_eq!((i.name.as_str(), i.major, i.minor), ("sda", 8, 0));
        assert_eq!(i.stats.read_ios, Some(1));
        assert_eq!(i.stats.read_ticks, Some(u64::from(u32::MAX)));
        assert_eq!(i.stats.flush_ios, None);

        let c = CpuTimes {
            cpu: 3,
            user: 250,
            nice: 1,
            system: 2,
            idle: 3,
            iowait: Some(4),
            irq: None,
            softirq: None,
            steal: None,
            guest: None,
            guest_nice: None,
        };
        let GuestCpuStatsBranch::Linux(l) = cpu_stats(&c, 100).branch;
        assert_eq!((l.cpu, l.user, l.nice, l.idle), (3, 2500, 10, 30));
        assert_eq!(l.iowait, Some(40));
        assert_eq!(l.irq, None);
        assert_eq!(l.guestnice, None);
    }
}
