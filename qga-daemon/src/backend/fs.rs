//! Filesystems and disks: `guest-get-fsinfo`, `guest-get-disks`,
//! `guest-get-diskstats`, `guest-get-cpustats` and `guest-fstrim`.

pub mod mounts;
