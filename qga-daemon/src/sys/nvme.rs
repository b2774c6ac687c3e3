//! NVMe health data: the SMART / Health Information log page (log
//! identifier 02h, 512 bytes) read from a device and decoded.
//!
//! The layout is the NVMe base specification's: little-endian integers at
//! fixed offsets, several counters 128 bits wide.

use std::fs::File;
use std::io;
use std::path::Path;

use super::ioctl::{nvme_admin_get_log_page, LogPageRequest};

/// Log identifier of the SMART / Health Information page.
pub const SMART_LOG_ID: u8 = 0x02;
/// Its size in bytes.
pub const SMART_LOG_LEN: usize = 512;
/// The namespace id that asks for the controller as a whole.
pub const NSID_ALL: u32 = 0xFFFF_FFFF;

/// The decoded SMART / Health Information log page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SmartHealthLog {
    /// Critical warning bits (byte 0).
    pub critical_warning: u8,
    /// Composite temperature in kelvins (bytes 1-2, not 2-aligned).
    pub temperature: u16,
    /// Available spare, percent (byte 3).
    pub available_spare: u8,
    /// Available spare threshold, percent (byte 4).
    pub available_spare_threshold: u8,
    /// Percentage used (byte 5).
    pub percentage_used: u8,
    /// Data units read, in thousands of 512-byte units (bytes 32-47).
    pub data_units_read: u128,
    /// Data units written (bytes 48-63).
    pub data_units_written: u128,
    /// Host read commands (bytes 64-79).
    pub host_read_commands: u128,
    /// Host write commands (bytes 80-95).
    pub host_write_commands: u128,
    /// Controller busy time, minutes (bytes 96-111).
    pub controller_busy_time: u128,
    /// Power cycles (bytes 112-127).
    pub power_cycles: u128,
    /// Power-on hours (bytes 128-143).
    pub power_on_hours: u128,
    /// Unsafe shutdowns (bytes 144-159).
    pub unsafe_shutdowns: u128,
    /// Media and data integrity errors (bytes 160-175).
    pub media_errors: u128,
    /// Number of error information log entries (bytes 176-191).
    pub number_of_error_log_entries: u128,
}

/// The little-endian 16-bit value at `at`.
fn le16(page: &[u8; SMART_LOG_LEN], at: usize) -> u16 {
    let mut bytes = [0u8; 2];
    bytes.copy_from_slice(&page[at..at + 2]);
    u16::from_le_bytes(bytes)
}

/// The little-endian 128-bit counter at `at`.
fn le128(page: &[u8; SMART_LOG_LEN], at: usize) -> u128 {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&page[at..at + 16]);
    u128::from_le_bytes(bytes)
}

impl SmartHealthLog {
    /// Decodes a log page. Every byte pattern is a valid page.
    pub fn decode(page: &[u8; SMART_LOG_LEN]) -> Self {
        SmartHealthLog {
            critical_warning: page[0],
            temperature: le16(page, 1),
            available_spare: page[3],
            available_spare_threshold: page[4],
            percentage_used: page[5],
            data_units_read: le128(page, 32),
            data_units_written: le128(page, 48),
            host_read_commands: le128(page, 64),
            host_write_commands: le128(page, 80),
            controller_busy_time: le128(page, 96),
            power_cycles: le128(page, 112),
            power_on_hours: le128(page, 128),
            unsafe_shutdowns: le128(page, 144),
            media_errors: le128(page, 160),
            number_of_error_log_entries: le128(page, 176),
        }
    }
}

/// Reads the controller-wide SMART log through the NVMe device node
/// `dev` (a namespace block device such as `/dev/nvme0n1` or the
/// controller `/dev/nvme0`), keeping any pending asynchronous event, as
/// qemu-ga does. Needs `CAP_SYS_ADMIN`.
pub fn read_smart_log(dev: &Path) -> io::Result<SmartHealthLog> {
    let device = File::open(dev)?;
    let mut page = [0u8; SMART_LOG_LEN];
    let request = LogPageRequest {
        nsid: NSID_ALL,
        log_id: SMART_LOG_ID,
        retain_async_event: true,
    };
    nvme_admin_get_log_page(&device, request, &mut page)?;
    Ok(SmartHealthLog::decode(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with a distinct value in every field: each 128-bit counter
    /// has its own low and high halves, so a field read at the wrong offset
    /// or in the wrong byte order shows.
    fn fixture_page() -> [u8; SMART_LOG_LEN] {
        let mut page = [0xEEu8; SMART_LOG_LEN];
        page[0] = 0x05;
        page[1..3].copy_from_slice(&310u16.to_le_bytes());
        page[3] = 97;
        page[4] = 10;
        page[5] = 3;
        for (i, at) in (32..192).step_by(16).enumerate() {
            let i = i as u64;
            page[at..at + 8].copy_from_slice(&(0x1000 + i).to_le_bytes());
            page[at + 8..at + 16].copy_from_slice(&(0x20 + i).to_le_bytes());
        }
        page
    }

    fn counter(i: u64) -> u128 {
        (u128::from(0x20 + i) << 64) | u128::from(0x1000 + i)
    }

    #[test]
    fn fields_at_their_offsets() {
        let log = SmartHealthLog::decode(&fixture_page());
        assert_eq!(log.critical_warning, 5);
        assert_eq!(log.temperature, 310);
        assert_eq!(log.available_spare, 97);
        assert_eq!(log.available_spare_threshold, 10);
        assert_eq!(log.percentage_used, 3);
        let counters = [
            log.data_units_read,
            log.data_units_written,
            log.host_read_commands,
            log.host_write_commands,
            log.controller_busy_time,
            log.power_cycles,
            log.power_on_hours,
            log.unsafe_shutdowns,
            log.media_errors,
            log.number_of_error_log_entries,
        ];
        for (i, value) in counters.into_iter().enumerate() {
            assert_eq!(value, counter(i as u64), "counter {i}");
        }
    }

    #[test]
    fn temperature_is_little_endian_and_unaligned() {
        let mut page = [0u8; SMART_LOG_LEN];
        page[1] = 0x34;
        page[2] = 0x12;
        assert_eq!(SmartHealthLog::decode(&page).temperature, 0x1234);
        assert_eq!(
            SmartHealthLog::decode(&[0u8; SMART_LOG_LEN]),
            SmartHealthLog::default()
        );
        let full = SmartHealthLog::decode(&[0xFF; SMART_LOG_LEN]);
        assert_eq!(full.power_on_hours, u128::MAX);
        assert_eq!(full.temperature, u16::MAX);
    }

    #[test]
    fn non_nvme_devices_fail() {
        let e = read_smart_log(Path::new("/dev/null")).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTTY));
        let e = read_smart_log(Path::new("/nonexistent/nvme0n1")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }
}
