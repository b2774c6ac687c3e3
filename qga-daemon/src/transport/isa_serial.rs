//! `-m isa-serial`: a UART such as `/dev/ttyS0`.
//!
//! Opened read-write, non-blocking and without becoming the controlling
//! terminal, then set up as qemu-ga does: input processing off (no break,
//! parity, stripping, CR/NL translation or flow control), output
//! processing and local modes off (no echo, not canonical), `VMIN` 1 and
//! `VTIME` 0, pending input flushed. The character size, parity and stop
//! bits are left as they are.
//!
//! Speed: qemu-ga ORs `B38400` into the control flags, which turns the
//! kernel's default 9600 baud into 38400 (and other speeds into whatever
//! the OR gives); we set 38400 outright. For the emulated UARTs guests use,
//! the speed has no effect on the data.

use super::TransportError;
use nix::sys::termios::{
    self, BaudRate, InputFlags, LocalFlags, OutputFlags, SetArg, SpecialCharacterIndices,
};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Opens the serial port at `path` and puts it in raw mode.
pub fn open(path: &Path) -> Result<File, TransportError> {
    let open_error = |source| TransportError::Open {
        path: path.display().to_string(),
        source,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(open_error)?;
    configure(&file).map_err(|e| open_error(e.into()))?;
    Ok(file)
}

/// Applies qemu-ga's serial settings to an open terminal.
pub fn configure(file: &File) -> nix::Result<()> {
    let mut tio = termios::tcgetattr(file)?;
    tio.input_flags &= !(InputFlags::IGNBRK
        | InputFlags::BRKINT
        | InputFlags::IGNPAR
        | InputFlags::PARMRK
        | InputFlags::INPCK
        | InputFlags::ISTRIP
        | InputFlags::INLCR
        | InputFlags::IGNCR
        | InputFlags::ICRNL
        | InputFlags::IXON
        | InputFlags::IXOFF
        | InputFlags::IXANY
        | InputFlags::IMAXBEL);
    tio.output_flags = OutputFlags::empty();
    tio.local_flags = LocalFlags::empty();
    termios::cfsetspeed(&mut tio, BaudRate::B38400)?;
    for (index, value) in [
        (SpecialCharacterIndices::VMIN, 1),
        (SpecialCharacterIndices::VTIME, 0),
    ] {
        if let Some(slot) = tio.control_chars.get_mut(index as usize) {
            *slot = value;
        }
    }
    termios::tcflush(file, termios::FlushArg::TCIFLUSH)?;
    termios::tcsetattr(file, SetArg::TCSANOW, &tio)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::pty::openpty;

    #[test]
    fn raw_settings_on_a_pty() {
        let pty = openpty(None, None).unwrap();
        let path = nix::unistd::ttyname(&pty.slave).unwrap();
        let port = open(&path).unwrap();
        let tio = termios::tcgetattr(&port).unwrap();
        assert!(!tio.local_flags.contains(LocalFlags::ECHO));
        assert!(!tio.local_flags.contains(LocalFlags::ICANON));
        assert!(!tio.input_flags.contains(InputFlags::ICRNL));
        assert!(!tio.input_flags.contains(InputFlags::IXON));
        assert!(!tio.output_flags.contains(OutputFlags::OPOST));
        assert_eq!(tio.control_chars[SpecialCharacterIndices::VMIN as usize], 1);
        assert_eq!(termios::cfgetospeed(&tio), BaudRate::B38400);
    }

    #[test]
    fn not_a_terminal() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let err = open(file.path()).unwrap_err();
        assert!(
            err.to_string().ends_with("Inappropriate ioctl for device"),
            "{err}"
        );
    }
}
