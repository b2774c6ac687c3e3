//! `guest-get-vcpus` and `guest-set-vcpus`: the logical CPUs of
//! `/sys/devices/system/cpu` and their online state.
//!
//! Error texts are qemu-ga's, with its paths: a CPU's directory is written
//! `/sys/devices/system/cpu/cpuN/` and its state file
//! `/sys/devices/system/cpu/cpuN//online` (qemu-ga joins the two with a
//! second slash).
//!
//! Where this differs from qemu-ga 10.x: `guest-get-vcpus` lists the CPUs
//! by id, where qemu-ga follows the `readdir` order of
//! `/sys/devices/system/cpu` (sysfs hash order: `cpu1` before `cpu0` on a
//! two-vCPU guest).

pub mod error;
#[cfg(test)]
mod oracle_tests;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use qga_generated::GuestLogicalProcessor;

use crate::sys::cpus::{self, SetOnline};
pub use error::VcpuError;

/// The vCPU commands, on the system below `root` (`/` in production).
#[derive(Debug, Clone)]
pub struct Vcpus {
    root: PathBuf,
}

impl Vcpus {
    /// Works on the tree below `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Vcpus { root: root.into() }
    }

    /// `guest-get-vcpus`: every logical CPU, by id, with `can-offline`
    /// always filled in.
    pub fn get(&self) -> Result<Vec<GuestLogicalProcessor>, VcpuError> {
        let ids = cpus::cpu_ids(&self.root).map_err(|e| VcpuError::list(&e))?;
        ids.into_iter()
            .map(|id| {
                let cpu = cpus::read_vcpu(&self.root, id)
                    .map_err(|e| VcpuError::from_sys(id.into(), &e))?;
                Ok(GuestLogicalProcessor {
                    logical_id: cpu.logical_id.into(),
                    online: cpu.online,
                    can_offline: Some(cpu.can_offline),
                })
            })
            .collect()
    }

    /// `guest-set-vcpus`: applies the entries in order and stops at the
    /// first failure. Returns how many were applied; the failure is an
    /// error only when it is the first entry's (nothing was applied).
    pub fn set(&self, vcpus: &[GuestLogicalProcessor]) -> Result<i64, VcpuError> {
        let mut processed: i64 = 0;
        for vcpu in vcpus {
            if let Err(e) = self.set_one(vcpu) {
                return if processed == 0 {
                    Err(e)
                } else {
                    Ok(processed)
                };
            }
            processed = processed.saturating_add(1);
        }
        Ok(processed)
    }

    /// Applies one entry; `can-offline` is ignored, as the schema says.
    fn set_one(&self, vcpu: &GuestLogicalProcessor) -> Result<(), VcpuError> {
        let id = vcpu.logical_id;
        let Ok(sys_id) = u32::try_from(id) else {
            // No such directory can exist: `cpu-1`, `cpu4294967296`.
            return Err(VcpuError::missing_dir(id));
        };
        match cpus::set_vcpu_online(&self.root, sys_id, vcpu.online) {
            Ok(SetOnline::Changed | SetOnline::Unchanged) => Ok(()),
            Ok(SetOnline::CannotOffline) => Err(VcpuError::CannotOffline(id)),
            Err(e) => Err(VcpuError::from_sys(id, &e)),
        }
    }
}
