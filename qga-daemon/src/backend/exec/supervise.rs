//! The thread that looks after one `guest-exec` child: it feeds the
//! input, drains the captured output, and reaps the child.
//!
//! All pipes are non-blocking and served by one `poll()` loop, so a child
//! that neither reads its input nor ends never blocks the others. The
//! child is reaped as soon as it ends, even if a grandchild still holds its
//! output open (checked at least every [`REAP_INTERVAL_MS`]), so it never
//! lingers as a zombie; it counts as finished once it has ended *and* its
//! captured streams are closed, as in qemu-ga.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::process::{Child, ExitStatus};
use std::sync::{Arc, Mutex, PoisonError};

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use super::capture::Capture;

/// How often a child that still has open pipes is checked for its end.
pub const REAP_INTERVAL_MS: u16 = 100;

/// Reads served per stream and wake-up, so that one busy stream does not
/// starve the others.
const READS_PER_TURN: usize = 16;

/// The end of a child, as `guest-exec-status` reports it.
#[derive(Debug)]
pub struct Finished {
    /// How the child ended (`None` if waiting for it failed).
    pub status: Option<ExitStatus>,
    /// Its standard output (or both streams, merged), if captured.
    pub out: Option<Capture>,
    /// Its standard error, if captured separately.
    pub err: Option<Capture>,
}

/// Where the supervising thread leaves the [`Finished`] record.
pub type Outcome = Arc<Mutex<Option<Finished>>>;

/// The parent's ends of a child's pipes.
#[derive(Debug, Default)]
pub struct Pipes {
    /// The child's standard input and the bytes still to write to it.
    pub input: Option<(File, Vec<u8>)>,
    /// The child's standard output (or merged output).
    pub out: Option<File>,
    /// The child's standard error.
    pub err: Option<File>,
}

/// One stream being read.
struct Reader {
    file: File,
    capture: Capture,
}

/// Runs until the child has ended and its pipes are closed, then stores
/// the result in `outcome`.
pub fn supervise(mut child: Child, pipes: Pipes, outcome: &Outcome) {
    let mut input = pipes.input.and_then(|(file, data)| {
        nonblocking(&file).ok()?;
        Some((file, data, 0usize))
    });
    let mut out = pipes.out.map(reader);
    let mut err = pipes.err.map(reader);
    let mut out_done = None;
    let mut err_done = None;
    let mut status = None;

    while input.is_some() || out.is_some() || err.is_some() {
        let timeout = if status.is_some() {
            PollTimeout::NONE
        } else {
            PollTimeout::from(REAP_INTERVAL_MS)
        };
        let ready = wait_ready(input.as_ref().map(|i| &i.0), &out, &err, timeout);
        if ready[0]
            && input
                .as_mut()
                .is_some_and(|(file, data, sent)| !feed(file, data, sent))
        {
            input = None;
        }
        if ready[1] && out.as_mut().is_some_and(drain) {
            out_done = out.take().map(|r| r.capture);
        }
        if ready[2] && err.as_mut().is_some_and(drain) {
            err_done = err.take().map(|r| r.capture);
        }
        if status.is_none() {
            status = child.try_wait().ok().flatten();
        }
    }
    if status.is_none() {
        status = child.wait().ok();
    }
    let finished = Finished {
        status,
        out: out_done,
        err: err_done,
    };
    *outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(finished);
}

fn reader(file: File) -> Reader {
    // A stream that cannot be made non-blocking is still read; at worst a
    // wake-up blocks until the child writes or closes it.
    let _ = nonblocking(&file);
    Reader {
        file,
        capture: Capture::new(),
    }
}

fn nonblocking(file: &File) -> io::Result<()> {
    rustix::io::ioctl_fionbio(file, true).map_err(io::Error::from)
}

/// Waits until one of the pipes is ready (or the timeout passes); returns
/// which ones are: input, output, error.
fn wait_ready(
    input: Option<&File>,
    out: &Option<Reader>,
    err: &Option<Reader>,
    timeout: PollTimeout,
) -> [bool; 3] {
    let wanted = [
        input.map(|f| (f.as_fd(), PollFlags::POLLOUT)),
        out.as_ref().map(|r| (r.file.as_fd(), PollFlags::POLLIN)),
        err.as_ref().map(|r| (r.file.as_fd(), PollFlags::POLLIN)),
    ];
    let mut fds: Vec<PollFd<'_>> = wanted
        .iter()
        .flatten()
        .map(|&(fd, flags)| PollFd::new(fd, flags))
        .collect();
    match poll(&mut fds, timeout) {
        Ok(_) => {}
        Err(Errno::EINTR) => return [false; 3],
        // poll() itself failed (out of memory): pause, then try every
        // pipe, which either makes progress or finds it closed.
        Err(_) => {
            std::thread::sleep(std::time::Duration::from_millis(10));
            return [true; 3];
        }
    }
    let mut states = fds.iter().map(|fd| fd.any().unwrap_or(true));
    let mut ready = [false; 3];
    for (slot, want) in ready.iter_mut().zip(&wanted) {
        if want.is_some() {
            *slot = states.next().unwrap_or(false);
        }
    }
    ready
}

/// Writes what the input pipe takes; returns whether it stays open (more
/// to write and no error).
fn feed(file: &mut File, data: &[u8], sent: &mut usize) -> bool {
    loop {
        let Some(rest) = data.get(*sent..).filter(|rest| !rest.is_empty()) else {
            return false;
        };
        match file.write(rest) {
            Ok(0) => return false,
            Ok(n) => *sent += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
            // EPIPE: the child closed its input; the rest is dropped.
            Err(_) => return false,
        }
    }
}

/// Reads what the stream has; returns whether it is finished (end of
/// stream or error).
fn drain(reader: &mut Reader) -> bool {
    for _ in 0..READS_PER_TURN {
        match reader.capture.read_from(&mut reader.file) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
    false
}
