//! The request encodings, and the kernel's answers on files that cannot
//! take the requests. Nothing here freezes a real filesystem: the freeze
//! of a loop-mounted image is in `backend::freeze`'s real tests.

use std::fs::File;
use std::mem::{offset_of, size_of};

use super::*;

fn errno(result: io::Result<impl std::fmt::Debug>) -> Option<i32> {
    result.expect_err("the request succeeded").raw_os_error()
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn opcodes_match_the_kernel_headers() {
    assert_eq!(FIFREEZE, 0xC004_5877);
    assert_eq!(FITHAW, 0xC004_5878);
    assert_eq!(FITRIM, 0xC018_5879);
    assert_eq!(NVME_IOCTL_ADMIN_CMD, 0xC048_4E41);
}

#[test]
fn argument_layouts_match_the_kernel_headers() {
    assert_eq!(size_of::<TrimRange>(), 24);
    assert_eq!(offset_of!(TrimRange, len), 8);
    assert_eq!(offset_of!(TrimRange, minimum_length), 16);
    assert_eq!(size_of::<NvmePassthruCommand>(), 72);
    assert_eq!(offset_of!(NvmePassthruCommand, nsid), 4);
    assert_eq!(offset_of!(NvmePassthruCommand, metadata), 16);
    assert_eq!(offset_of!(NvmePassthruCommand, addr), 24);
    assert_eq!(offset_of!(NvmePassthruCommand, data_len), 36);
    assert_eq!(offset_of!(NvmePassthruCommand, cdw10), 40);
    assert_eq!(offset_of!(NvmePassthruCommand, timeout_ms), 64);
    assert_eq!(offset_of!(NvmePassthruCommand, result), 68);
}

#[test]
fn smart_log_command_encoding() {
    let request = LogPageRequest {
        nsid: 0xFFFF_FFFF,
        log_id: 0x02,
        retain_async_event: true,
    };
    let c = request.command(0x1000, 512).unwrap();
    assert_eq!(c.opcode, 0x02);
    assert_eq!(c.nsid, 0xFFFF_FFFF);
    assert_eq!((c.addr, c.data_len), (0x1000, 512));
    // Log 02h, RAE, 128 dwords (127 as "number of dwords minus one").
    assert_eq!(c.cdw10, 0x007F_8002);
    assert_eq!(c.cdw11, 0);
    let without_rae = LogPageRequest {
        retain_async_event: false,
        ..request
    };
    assert_eq!(without_rae.command(0, 512).unwrap().cdw10, 0x007F_0002);
    // 1 MiB: 262144 dwords, 0x3FFFF split over NUMDL and NUMDU.
    let big = request.command(0, 1 << 20).unwrap();
    assert_eq!(big.cdw10 >> 16, 0xFFFF);
    assert_eq!(big.cdw11, 0x3);
    for bad in [0, 3, 510] {
        assert!(request.command(0, bad).is_none(), "{bad}");
    }
}

#[test]
fn bad_log_buffer_is_refused_before_the_call() {
    let null = File::open("/dev/null").unwrap();
    let request = LogPageRequest {
        nsid: 1,
        log_id: 2,
        retain_async_event: true,
    };
    let e = nvme_admin_get_log_page(&null, request, &mut [0u8; 6]).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(e.raw_os_error(), None);
    assert!(nvme_admin_get_log_page(&null, request, &mut []).is_err());
}

#[test]
fn devices_without_the_request_say_enotty() {
    let null = File::open("/dev/null").unwrap();
    let request = LogPageRequest {
        nsid: 0xFFFF_FFFF,
        log_id: 2,
        retain_async_event: true,
    };
    let mut log = [0u8; 512];
    assert_eq!(
        errno(nvme_admin_get_log_page(&null, request, &mut log)),
        Some(libc::ENOTTY)
    );
    assert_eq!(log, [0u8; 512]);
    assert_eq!(errno(trim(&null, TrimRange::whole(0))), Some(libc::ENOTTY));
}

#[test]
fn procfs_cannot_be_frozen_or_trimmed() {
    // procfs has no freeze operation: with CAP_SYS_ADMIN the kernel
    // answers EOPNOTSUPP, without it EPERM (checked first).
    let proc_file = File::open("/proc/self/stat").unwrap();
    let e = errno(freeze(&proc_file));
    assert!(matches!(e, Some(libc::EOPNOTSUPP | libc::EPERM)), "{e:?}");
    let proc_dir = File::open("/proc").unwrap();
    assert_eq!(
        errno(trim(&proc_dir, TrimRange::whole(0))),
        Some(libc::ENOTTY)
    );
}

#[test]
fn thawing_what_is_not_frozen_is_einval() {
    // Harmless on any filesystem: a thaw only undoes a freeze.
    // EPERM without CAP_SYS_ADMIN.
    let null = File::open("/dev/null").unwrap();
    let e = errno(thaw(&null));
    assert!(matches!(e, Some(libc::EINVAL | libc::EPERM)), "{e:?}");
}

#[test]
fn whole_range() {
    assert_eq!(
        TrimRange::whole(4096),
        TrimRange {
            start: 0,
            len: u64::MAX,
            minimum_length: 4096
        }
    );
}
