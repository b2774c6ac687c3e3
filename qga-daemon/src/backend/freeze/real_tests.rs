//! Real `FIFREEZE`, `FITHAW` and `FITRIM` on a loop-mounted ext4 image made
//! for the test: they run only as root with `mkfs.ext4` and loop mounts
//! available, and skip with a printed reason otherwise. The freezer's root
//! is a fake tree whose mount table lists the image alone, so no other
//! filesystem is touched.

use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use super::control::{EBUSY, EINVAL};
use super::*;
use crate::backend::fs::Trimmer;
use crate::sys::ioctl::{self, TrimRange};

/// How long a write to the frozen image must stay blocked. Not finishing
/// within this time is taken as the evidence that it blocks.
const BLOCKED_FOR: Duration = Duration::from_millis(700);

/// Unmounts (after thawing whatever the test left frozen) when the test
/// ends, whatever happens.
struct Mounted {
    dir: PathBuf,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Ok(dir) = fs::File::open(&self.dir) {
            // Bounded: each successful thaw undoes one freeze.
            for _ in 0..16 {
                if ioctl::thaw(&dir).is_err() {
                    break;
                }
            }
        }
        let _ = Command::new("umount").arg(&self.dir).output();
    }
}

fn run(program: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("{program}: {e}")),
    }
}

/// Makes `<tmp>/root/mnt` a mounted ext4 image and a fake mount table that
/// lists only it.
fn loop_mount(tmp: &Path) -> Result<(PathBuf, Mounted), String> {
    // `/proc/self` belongs to the effective user.
    if fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(1) != 0 {
        return Err("not root".into());
    }
    let image = tmp.join("image");
    fs::File::create(&image)
        .and_then(|f| f.set_len(16 << 20))
        .map_err(|e| e.to_string())?;
    run(
        "mkfs.ext4",
        &["-q".as_ref(), "-F".as_ref(), image.as_os_str()],
    )?;
    let root = tmp.join("root");
    let mnt = root.join("mnt");
    fs::create_dir_all(&mnt).map_err(|e| e.to_string())?;
    run(
        "mount",
        &[
            "-o".as_ref(),
            "loop".as_ref(),
            image.as_os_str(),
            mnt.as_os_str(),
        ],
    )?;
    let guard = Mounted { dir: mnt.clone() };
    let dev = fs::metadata(&mnt).map_err(|e| e.to_string())?.dev();
    let (major, minor) = (rustix::fs::major(dev), rustix::fs::minor(dev));
    let proc_self = root.join("proc/self");
    fs::create_dir_all(&proc_self).map_err(|e| e.to_string())?;
    fs::write(
        proc_self.join("mountinfo"),
        format!("1 0 {major}:{minor} / /mnt rw - ext4 /dev/loop rw\n"),
    )
    .map_err(|e| e.to_string())?;
    Ok((root, guard))
}

/// The mounted image, or `None` after printing why the test is skipped.
fn mounted_image(tmp: &Path) -> Option<(PathBuf, Mounted)> {
    match loop_mount(tmp) {
        Ok(x) => Some(x),
        Err(reason) => {
            println!("skipped: cannot loop-mount an ext4 image: {reason}");
            None
        }
    }
}

#[test]
fn real_freeze_blocks_writes_until_thaw() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((root, guard)) = mounted_image(tmp.path()) else {
        return;
    };
    let f = Freezer::new(
        &root,
        Arc::new(KernelControl),
        Box::new(MemoryMarker::default()),
        FreezeOptions::default(),
    );
    assert_eq!(f.freeze().unwrap(), 1);
    assert!(f.is_frozen());

    let target = guard.dir.join("written-while-frozen");
    let (done_tx, done_rx) = mpsc::channel();
    let writer = std::thread::spawn(move || {
        let result = fs::File::create(&target).and_then(|mut file| {
            file.write_all(b"data")?;
            file.sync_all()
        });
        let _ = done_tx.send(result.is_ok());
    });
    assert!(
        done_rx.recv_timeout(BLOCKED_FOR).is_err(),
        "a write completed on a frozen filesystem"
    );
    assert_eq!(f.thaw().unwrap(), 1);
    assert!(!f.is_frozen());
    let written = done_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the write did not complete after the thaw");
    assert!(written);
    writer.join().unwrap();
    assert_eq!(
        fs::read(guard.dir.join("written-while-frozen")).unwrap(),
        b"data"
    );

    // guest-fstrim through the same requests: one result, for the image.
    let trim = Trimmer::new(&root, Arc::new(KernelControl))
        .fstrim(Some(0))
        .unwrap();
    assert_eq!(trim.paths.len(), 1);
    let result = &trim.paths[0];
    assert_eq!(result.path, "/mnt");
    assert_eq!(result.error, None);
    assert!(result.minimum.is_some());
    assert!(result.trimmed.is_some());
    drop(guard);
}

/// The kernel's answers that the freezer relies on, straight from the
/// wrappers: a second freeze is EBUSY, a thaw of what is not frozen is
/// EINVAL, and FITRIM reports the bytes it discarded.
#[test]
fn real_requests_report_the_kernel_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((_root, guard)) = mounted_image(tmp.path()) else {
        return;
    };
    let dir = fs::File::open(&guard.dir).unwrap();
    ioctl::freeze(&dir).unwrap();
    assert_eq!(ioctl::freeze(&dir).unwrap_err().raw_os_error(), Some(EBUSY));
    ioctl::thaw(&dir).unwrap();
    assert_eq!(ioctl::thaw(&dir).unwrap_err().raw_os_error(), Some(EINVAL));

    // A fresh 16 MiB ext4 has most of its blocks free; the first trim
    // discards them (the loop device punches holes in the image).
    let done = ioctl::trim(&dir, TrimRange::whole(0)).unwrap();
    assert!(done.len > 0, "nothing trimmed: {done:?}");
    assert!(done.len < 16 << 20, "more than the image: {done:?}");
    println!("first trim: {done:?}");
    // What is discarded stays discarded: a second pass finds less.
    let again = ioctl::trim(&dir, TrimRange::whole(0)).unwrap();
    println!("second trim: {again:?}");
    assert!(again.len <= done.len, "{again:?} after {done:?}");
    drop(dir);
    drop(guard);
}
