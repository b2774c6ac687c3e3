//! Where `guest-get-disks` gets NVMe SMART data from: the device itself in
//! production, a fake in tests.

use std::fmt;
use std::io;
use std::path::Path;

use crate::sys::nvme::{read_smart_log, SmartHealthLog};

/// Reads the SMART / Health Information log of an NVMe device.
pub trait SmartSource: Send + Sync + fmt::Debug {
    /// The log of the NVMe device whose node is `dev` (a path already
    /// resolved below the backend's root).
    fn nvme_smart(&self, dev: &Path) -> io::Result<SmartHealthLog>;
}

/// [`SmartSource`] through the NVMe admin command on the device node.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeviceSmart;

impl SmartSource for DeviceSmart {
    fn nvme_smart(&self, dev: &Path) -> io::Result<SmartHealthLog> {
        read_smart_log(dev)
    }
}
