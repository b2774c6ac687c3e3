//! A recording [`FsControl`] for tests: it keeps a frozen flag per path and
//! answers like the kernel (EBUSY on a second freeze, EINVAL when thawing
//! something not frozen), with errors that can be planted per path.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::control::{FsControl, FsOpError, TrimOutcome};

/// A planted failure.
#[derive(Debug, Clone, Copy)]
pub enum Fail {
    /// `open` fails with this errno.
    Open(i32),
    /// The request fails with this errno.
    Request(i32),
}

/// The fake; every call is logged as `freeze PATH`, `thaw PATH` or
/// `trim MIN PATH`, with PATH relative to the root it was built with.
#[derive(Debug)]
pub struct FakeControl {
    root: PathBuf,
    frozen: Mutex<HashSet<PathBuf>>,
    fail: Mutex<HashMap<PathBuf, Fail>>,
    log: Mutex<Vec<String>>,
}

impl FakeControl {
    pub fn new(root: &Path) -> Self {
        FakeControl {
            root: root.to_path_buf(),
            frozen: Mutex::default(),
            fail: Mutex::default(),
            log: Mutex::default(),
        }
    }

    fn rel(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        format!("/{}", rel.display())
    }

    /// Plants a failure for mount point `dir` (as the mount table names it).
    pub fn fail(&self, dir: &str, fail: Fail) {
        self.fail.lock().unwrap().insert(PathBuf::from(dir), fail);
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn frozen(&self) -> Vec<String> {
        let mut v: Vec<_> = self
            .frozen
            .lock()
            .unwrap()
            .iter()
            .map(|p| self.rel(p))
            .collect();
        v.sort();
        v
    }

    fn check(&self, op: &str, path: &Path) -> Result<(), FsOpError> {
        let rel = self.rel(path);
        self.log.lock().unwrap().push(format!("{op} {rel}"));
        match self.fail.lock().unwrap().get(Path::new(&rel)) {
            Some(Fail::Open(e)) => Err(FsOpError::Open(io::Error::from_raw_os_error(*e))),
            Some(Fail::Request(e)) => Err(FsOpError::Request(io::Error::from_raw_os_error(*e))),
            None => Ok(()),
        }
    }
}

impl FsControl for FakeControl {
    fn freeze(&self, dir: &Path) -> Result<(), FsOpError> {
        self.check("freeze", dir)?;
        if self.frozen.lock().unwrap().insert(dir.to_path_buf()) {
            Ok(())
        } else {
            Err(FsOpError::Request(io::Error::from_raw_os_error(16)))
        }
    }

    fn thaw(&self, dir: &Path) -> Result<(), FsOpError> {
        let rel = self.rel(dir);
        self.log.lock().unwrap().push(format!("thaw {rel}"));
        if self.frozen.lock().unwrap().remove(dir) {
            Ok(())
        } else {
            Err(FsOpError::Request(io::Error::from_raw_os_error(22)))
        }
    }

    fn trim(&self, dir: &Path, minimum: u64) -> Result<TrimOutcome, FsOpError> {
        self.check(&format!("trim {minimum}"), dir)?;
        Ok(TrimOutcome {
            trimmed: 4096 * (self.rel(dir).len() as u64),
            minimum,
        })
    }
}
