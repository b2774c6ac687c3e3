//! The kernel requests that have no safe binding: filesystem freeze, thaw
//! and trim (`FIFREEZE`, `FITHAW`, `FITRIM`) and the NVMe admin command
//! Get Log Page (`NVME_IOCTL_ADMIN_CMD`).
//!
//! This is the crate's only module with `unsafe` code. Each request is
//! issued through `rustix::ioctl` (rather than nix's `ioctl_*!` macros):
//! it takes a borrowed descriptor (`AsFd`) instead of a raw integer, it
//! computes the opcodes with the target architecture's `_IOWR` encoding at
//! compile time, its argument patterns (`NoArg`, `Updater`) tie the
//! argument's lifetime to the call, it returns the errno as `io::Error`
//! without going through libc, and the crate already builds it (nix would
//! need its `ioctl` feature on top). The wrappers below are safe: each
//! passes the kernel exactly the argument type its opcode is defined with.

use std::ffi::c_int;
use std::io;
use std::marker::PhantomData;
use std::os::fd::AsFd;

use rustix::ioctl::{ioctl, opcode, Ioctl, IoctlOutput, NoArg, Opcode, Updater};

/// `FIFREEZE = _IOWR('X', 119, int)`; the kernel ignores the argument.
pub const FIFREEZE: Opcode = opcode::read_write::<c_int>(b'X', 119);
/// `FITHAW = _IOWR('X', 120, int)`; the kernel ignores the argument.
pub const FITHAW: Opcode = opcode::read_write::<c_int>(b'X', 120);
/// `FITRIM = _IOWR('X', 121, struct fstrim_range)`.
pub const FITRIM: Opcode = opcode::read_write::<TrimRange>(b'X', 121);
/// `NVME_IOCTL_ADMIN_CMD = _IOWR('N', 0x41, struct nvme_admin_cmd)`.
pub const NVME_IOCTL_ADMIN_CMD: Opcode = opcode::read_write::<NvmePassthruCommand>(b'N', 0x41);

/// NVMe admin opcode Get Log Page.
const NVME_ADMIN_GET_LOG_PAGE: u8 = 0x02;
/// Retain Asynchronous Event (bit 15 of command dword 10): reading the log
/// does not clear a pending SMART event that another program waits for.
const NVME_LOG_RETAIN_ASYNC_EVENT: u32 = 1 << 15;

/// `struct fstrim_range` of `<linux/fs.h>`: the byte range to trim and the
/// shortest free extent worth discarding. The kernel writes back the
/// number of bytes trimmed into `len` and the minimum it applied into
/// `minimum_length`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrimRange {
    /// First byte of the range.
    pub start: u64,
    /// Length of the range; after the call, the bytes trimmed.
    pub len: u64,
    /// Free extents shorter than this are skipped (`minlen`); after the
    /// call, the value the filesystem applied (it may round it up).
    pub minimum_length: u64,
}

impl TrimRange {
    /// The whole filesystem, skipping free extents shorter than `minimum`
    /// bytes.
    pub fn whole(minimum: u64) -> Self {
        TrimRange {
            start: 0,
            len: u64::MAX,
            minimum_length: minimum,
        }
    }
}

/// `struct nvme_passthru_cmd` of `<linux/nvme_ioctl.h>` (72 bytes), the
/// argument of `NVME_IOCTL_ADMIN_CMD`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NvmePassthruCommand {
    opcode: u8,
    flags: u8,
    reserved: u16,
    nsid: u32,
    cdw2: u32,
    cdw3: u32,
    metadata: u64,
    addr: u64,
    metadata_len: u32,
    data_len: u32,
    cdw10: u32,
    cdw11: u32,
    cdw12: u32,
    cdw13: u32,
    cdw14: u32,
    cdw15: u32,
    timeout_ms: u32,
    result: u32,
}

/// An NVMe Get Log Page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogPageRequest {
    /// Namespace id; `0xFFFF_FFFF` asks for the controller as a whole.
    pub nsid: u32,
    /// Log page identifier (`0x02`: SMART / Health Information).
    pub log_id: u8,
    /// Whether to keep a pending asynchronous event (the RAE bit).
    pub retain_async_event: bool,
}

impl LogPageRequest {
    /// The command for a `len`-byte log page into the buffer at `addr`, or
    /// `None` when `len` is not a non-zero multiple of 4 that fits the
    /// command's 32-bit length.
    fn command(&self, addr: u64, len: usize) -> Option<NvmePassthruCommand> {
        let data_len = u32::try_from(len).ok().filter(|&l| l != 0 && l % 4 == 0)?;
        // Number of dwords minus one, split over dword 10 (low 16 bits,
        // NUMDL) and dword 11 (high 16 bits, NUMDU).
        let dwords = data_len / 4 - 1;
        let rae = if self.retain_async_event {
            NVME_LOG_RETAIN_ASYNC_EVENT
        } else {
            0
        };
        Some(NvmePassthruCommand {
            opcode: NVME_ADMIN_GET_LOG_PAGE,
            nsid: self.nsid,
            addr,
            data_len,
            cdw10: u32::from(self.log_id) | rae | ((dwords & 0xFFFF) << 16),
            cdw11: dwords >> 16,
            ..NvmePassthruCommand::default()
        })
    }
}

/// `NVME_IOCTL_ADMIN_CMD` with its data buffer: the command holds the
/// buffer's address as an integer, so the mutable borrow is kept here, to
/// stop the buffer from being used or freed before the call.
struct AdminCommand<'buf> {
    command: NvmePassthruCommand,
    _buffer: PhantomData<&'buf mut [u8]>,
}

impl<'buf> AdminCommand<'buf> {
    /// Get Log Page `request` into all of `buffer`; `None` when the
    /// buffer's length cannot be asked for (see [`LogPageRequest`]).
    fn get_log_page(request: &LogPageRequest, buffer: &'buf mut [u8]) -> Option<Self> {
        let command = request.command(buffer.as_mut_ptr() as u64, buffer.len())?;
        Some(AdminCommand {
            command,
            _buffer: PhantomData,
        })
    }
}

// SAFETY: the opcode is NVME_IOCTL_ADMIN_CMD and the pointer handed over is
// to a `struct nvme_passthru_cmd` laid out as the kernel's (`repr(C)`, size
// and offsets checked by the tests). The kernel writes the command's
// `result` and `data_len` bytes at `addr`, which points to a buffer of that
// length borrowed mutably for `'buf`; hence IS_MUTATING. The output is the
// call's return value (the NVMe status, 0 on success) and reads no memory.
unsafe impl Ioctl for AdminCommand<'_> {
    type Output = IoctlOutput;

    const IS_MUTATING: bool = true;

    fn opcode(&self) -> Opcode {
        NVME_IOCTL_ADMIN_CMD
    }

    fn as_ptr(&mut self) -> *mut std::ffi::c_void {
        std::ptr::addr_of_mut!(self.command).cast()
    }

    unsafe fn output_from_ptr(
        out: IoctlOutput,
        _: *mut std::ffi::c_void,
    ) -> rustix::io::Result<IoctlOutput> {
        Ok(out)
    }
}

/// `FIFREEZE` on the filesystem that `fd` (usually its mount point,
/// opened read-only) belongs to: flushes it and blocks every writer until
/// [`thaw`].
///
/// Errors as the kernel gives them: `EOPNOTSUPP` when the filesystem cannot
/// be frozen, `EBUSY` when it already is, `EPERM` without `CAP_SYS_ADMIN`.
pub fn freeze(fd: impl AsFd) -> io::Result<()> {
    // SAFETY: FIFREEZE takes no argument (the kernel ignores it), which is
    // what `NoArg` passes (a null pointer); no memory is touched.
    let request = unsafe { NoArg::<FIFREEZE>::new() };
    // SAFETY: `request` pairs FIFREEZE with its argument pattern; the call
    // only borrows `fd` for its duration.
    unsafe { ioctl(fd, request) }.map_err(io::Error::from)
}

/// `FITHAW` on the filesystem that `fd` belongs to. `EINVAL` means it was
/// not frozen. A filesystem frozen N times needs N thaws.
pub fn thaw(fd: impl AsFd) -> io::Result<()> {
    // SAFETY: as for FIFREEZE: no argument, no memory touched.
    let request = unsafe { NoArg::<FITHAW>::new() };
    // SAFETY: `request` pairs FITHAW with its argument pattern.
    unsafe { ioctl(fd, request) }.map_err(io::Error::from)
}

/// `FITRIM` on the filesystem that `fd` belongs to: discards the unused
/// blocks in `range`. Returns the range as the kernel wrote it back: `len`
/// is the number of bytes trimmed and `minimum_length` the minimum extent
/// length the filesystem applied.
///
/// `EOPNOTSUPP` or `ENOTTY` mean the filesystem or its device cannot trim.
pub fn trim(fd: impl AsFd, range: TrimRange) -> io::Result<TrimRange> {
    let mut range = range;
    // SAFETY: FITRIM reads and writes back exactly one `struct
    // fstrim_range`, which `TrimRange` mirrors (`repr(C)`, three u64); the
    // `Updater` borrows it mutably for the call.
    let request = unsafe { Updater::<FITRIM, TrimRange>::new(&mut range) };
    // SAFETY: `request` pairs FITRIM with its argument type.
    unsafe { ioctl(fd, request) }.map_err(io::Error::from)?;
    Ok(range)
}

/// NVMe admin command Get Log Page through `NVME_IOCTL_ADMIN_CMD` on `fd`
/// (an NVMe controller character device or namespace block device, opened
/// by a process with `CAP_SYS_ADMIN`): fills all of `buffer` with the log
/// page `request` names.
///
/// `buffer`'s length must be a non-zero multiple of 4 (`InvalidInput`
/// otherwise, without a call). A command the device completes with an
/// error status is an error carrying that status.
pub fn nvme_admin_get_log_page(
    fd: impl AsFd,
    request: LogPageRequest,
    buffer: &mut [u8],
) -> io::Result<()> {
    let length = buffer.len();
    let admin = AdminCommand::get_log_page(&request, buffer).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a log page of {length} bytes cannot be read (a non-zero multiple of 4 is needed)"
            ),
        )
    })?;
    // SAFETY: `admin` is a Get Log Page command whose `addr` and
    // `data_len` describe `buffer` exactly; `admin` holds `buffer`'s
    // mutable borrow (so it stays alive and unaliased) until the call
    // returns, and any byte pattern is a valid `u8`.
    let status = unsafe { ioctl(fd, admin) }.map_err(io::Error::from)?;
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "NVMe Get Log Page {:#04x} failed with status {status:#x}",
            request.log_id
        )))
    }
}

#[cfg(test)]
mod tests;
