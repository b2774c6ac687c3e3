//! The mount table: `/proc/self/mountinfo` (with `/proc/self/mounts` as a
//! fallback), and qemu-ga's selection of the local block-device
//! filesystems that `guest-get-fsinfo`, `guest-fsfreeze-*` and
//! `guest-fstrim` work on.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::error::SysResult;
use super::fsutil::{host_path, read_text_opt};

/// One line of `/proc/self/mountinfo`, with the octal escapes (`\040` for
/// a space, ...) decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountInfo {
    /// Unique id of the mount.
    pub mount_id: u32,
    /// Id of the parent mount.
    pub parent_id: u32,
    /// Major number of the device (`st_dev`); 0 for virtual filesystems.
    pub major: u32,
    /// Minor number of the device.
    pub minor: u32,
    /// The directory of the filesystem that forms the root of this mount.
    pub root: PathBuf,
    /// Where it is mounted.
    pub mount_point: PathBuf,
    /// Per-mount options (`rw,relatime`).
    pub mount_options: String,
    /// The optional fields (`shared:1`, `master:2`, ...).
    pub optional_fields: Vec<String>,
    /// Filesystem type (`ext4`, `btrfs`, `fuse.sshfs`, ...).
    pub fs_type: String,
    /// Mount source (`/dev/vda1`, `tmpfs`, `server:/export`, ...).
    pub source: String,
    /// Per-superblock options.
    pub super_options: String,
}

/// A filesystem that qemu-ga considers for freeze, trim and fsinfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsMount {
    /// Where it is mounted.
    pub dir: PathBuf,
    /// Filesystem type.
    pub fs_type: String,
    /// Major number of the block device.
    pub major: u32,
    /// Minor number of the block device.
    pub minor: u32,
}

/// Filesystem types that reach their data over the network. qemu-ga does
/// not need the list (such filesystems have major number 0 and are
/// skipped for that), but callers may use it to explain a skip.
pub const NETWORK_FS_TYPES: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smbfs",
    "smb3",
    "ncpfs",
    "afs",
    "9p",
    "ceph",
    "glusterfs",
    "fuse.sshfs",
    "coda",
    "lustre",
    "ocfs2",
    "gfs2",
    "virtiofs",
];

/// Filesystem types without a backing block device (all with major
/// number 0).
pub const VIRTUAL_FS_TYPES: &[&str] = &[
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "tmpfs",
    "ramfs",
    "cgroup",
    "cgroup2",
    "pstore",
    "bpf",
    "securityfs",
    "debugfs",
    "tracefs",
    "configfs",
    "fusectl",
    "mqueue",
    "hugetlbfs",
    "autofs",
    "binfmt_misc",
    "efivarfs",
    "rpc_pipefs",
    "nsfs",
    "overlay",
    "squashfs",
];

/// Whether `fs_type` is a network filesystem (see [`NETWORK_FS_TYPES`]).
pub fn is_network_fs(fs_type: &str) -> bool {
    NETWORK_FS_TYPES.contains(&fs_type)
}

/// Whether `fs_type` is a virtual filesystem (see [`VIRTUAL_FS_TYPES`]).
pub fn is_virtual_fs(fs_type: &str) -> bool {
    VIRTUAL_FS_TYPES.contains(&fs_type)
}

/// Decodes the kernel's mount-table escapes: `\NNN` (three octal digits,
/// the first 0-3) and `\\`. Any other backslash is kept as is.
pub fn decode_mount_name(field: &str) -> Vec<u8> {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1..i + 4).unwrap_or(&[]);
        if bytes.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else if let [d1 @ b'0'..=b'3', d2 @ b'0'..=b'7', d3 @ b'0'..=b'7'] = next {
            out.push((d1 - b'0') * 64 + (d2 - b'0') * 8 + (d3 - b'0'));
            i += 4;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

fn decode_path(field: &str) -> PathBuf {
    PathBuf::from(OsString::from_vec(decode_mount_name(field)))
}

fn decode_text(field: &str) -> String {
    String::from_utf8_lossy(&decode_mount_name(field)).into_owned()
}

/// Parses one line of `/proc/self/mountinfo`; `None` if malformed.
pub fn parse_mountinfo_line(line: &str) -> Option<MountInfo> {
    let line = line.trim_end_matches(['\n', '\r']);
    let mut fields = line.split(' ');
    let mount_id = fields.next()?.parse().ok()?;
    let parent_id = fields.next()?.parse().ok()?;
    let (major, minor) = fields.next()?.split_once(':')?;
    let (major, minor) = (major.parse().ok()?, minor.parse().ok()?);
    let root = decode_path(fields.next()?);
    let mount_point = decode_path(fields.next()?);
    let mount_options = fields.next()?.to_string();
    let mut optional_fields = Vec::new();
    loop {
        match fields.next()? {
            "-" => break,
            field => optional_fields.push(field.to_string()),
        }
    }
    let fs_type = decode_text(fields.next()?);
    let source = decode_text(fields.next()?);
    let super_options = fields.next().unwrap_or_default().to_string();
    if fs_type.is_empty() {
        return None;
    }
    Some(MountInfo {
        mount_id,
        parent_id,
        major,
        minor,
        root,
        mount_point,
        mount_options,
        optional_fields,
        fs_type,
        source,
        super_options,
    })
}

/// Parses `/proc/self/mountinfo` in mount order, skipping malformed lines.
pub fn parse_mountinfo(text: &str) -> Vec<MountInfo> {
    text.lines().filter_map(parse_mountinfo_line).collect()
}

/// Reads `/proc/self/mountinfo` below `root`; `None` when it is missing.
pub fn read_mountinfo(root: &Path) -> SysResult<Option<Vec<MountInfo>>> {
    let text = read_text_opt(&host_path(root, "/proc/self/mountinfo"))?;
    Ok(text.map(|t| parse_mountinfo(&t)))
}

/// What a mount source path is, as qemu-ga checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceKind {
    /// A block device with these numbers.
    Block(u32, u32),
    /// A directory: a bind mount.
    Directory,
    /// Missing, or anything else.
    Other,
}

fn source_kind(root: &Path, source: &str) -> SourceKind {
    if !source.starts_with('/') {
        return SourceKind::Other;
    }
    match std::fs::metadata(host_path(root, source)) {
        Ok(m) if m.is_dir() => SourceKind::Directory,
        Ok(m) if m.file_type().is_block_device() => {
            SourceKind::Block(rustix::fs::major(m.rdev()), rustix::fs::minor(m.rdev()))
        }
        _ => SourceKind::Other,
    }
}

/// qemu-ga's choice from `/proc/self/mountinfo`: mounts whose device has a
/// non-zero major number (which leaves out virtual and network
/// filesystems); btrfs, which reports major 0, is kept when its source is
/// a block device, with that device's numbers. Order is mount order; a
/// device mounted several times (bind mounts) is listed each time, as
/// qemu-ga does (see [`unique_devices`]).
pub fn select_local_mounts(root: &Path, mounts: &[MountInfo]) -> Vec<FsMount> {
    mounts
        .iter()
        .filter_map(|m| {
            let (major, minor) = if m.major != 0 {
                (m.major, m.minor)
            } else if m.fs_type == "btrfs" {
                match source_kind(root, &m.source) {
                    SourceKind::Block(major, minor) => (major, minor),
                    _ => return None,
                }
            } else {
                return None;
            };
            Some(FsMount {
                dir: m.mount_point.clone(),
                fs_type: m.fs_type.clone(),
                major,
                minor,
            })
        })
        .collect()
}

/// One entry of `/proc/self/mounts` (the fstab-like format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    /// Mount source.
    pub source: String,
    /// Where it is mounted.
    pub dir: PathBuf,
    /// Filesystem type.
    pub fs_type: String,
    /// Mount options.
    pub options: String,
}

/// Parses `/proc/self/mounts`, skipping malformed lines.
pub fn parse_mounts(text: &str) -> Vec<MountEntry> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let source = decode_text(f.next()?);
            let dir = decode_path(f.next()?);
            let fs_type = decode_text(f.next()?);
            let options = f.next().unwrap_or_default().to_string();
            Some(MountEntry {
                source,
                dir,
                fs_type,
                options,
            })
        })
        .collect()
}

/// qemu-ga's choice from `/proc/self/mounts` when mountinfo is missing:
/// sources that are absolute paths, except `smbfs` and `cifs`, and except
/// bind mounts (source is a directory). The device numbers come from the
/// source when it is a block device, else they are 0.
pub fn select_local_mounts_from_mtab(root: &Path, entries: &[MountEntry]) -> Vec<FsMount> {
    entries
        .iter()
        .filter(|e| e.source.starts_with('/') && e.fs_type != "smbfs" && e.fs_type != "cifs")
        .filter_map(|e| {
            let (major, minor) = match source_kind(root, &e.source) {
                SourceKind::Directory => return None,
                SourceKind::Block(major, minor) => (major, minor),
                SourceKind::Other => (0, 0),
            };
            Some(FsMount {
                dir: e.dir.clone(),
                fs_type: e.fs_type.clone(),
                major,
                minor,
            })
        })
        .collect()
}

/// The local filesystems as qemu-ga lists them, in mount order: from
/// `/proc/self/mountinfo`, or `/proc/self/mounts` if that is missing.
pub fn local_mounts(root: &Path) -> SysResult<Vec<FsMount>> {
    if let Some(mounts) = read_mountinfo(root)? {
        return Ok(select_local_mounts(root, &mounts));
    }
    let path = host_path(root, "/proc/self/mounts");
    let text = super::fsutil::read_text(&path)?;
    Ok(select_local_mounts_from_mtab(root, &parse_mounts(&text)))
}

/// The order in which to freeze: the reverse of mount order, so that a
/// filesystem mounted on top of another is frozen before it. Thawing uses
/// mount order.
pub fn freeze_order(mounts: &[FsMount]) -> impl Iterator<Item = &FsMount> {
    mounts.iter().rev()
}

/// Keeps the first mount of each device.
pub fn unique_devices(mounts: &[FsMount]) -> Vec<FsMount> {
    let mut seen = std::collections::HashSet::new();
    mounts
        .iter()
        .filter(|m| seen.insert((m.major, m.minor)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const MOUNTINFO: &str = "\
22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
24 22 0:5 / /dev rw,nosuid shared:2 master:9 - devtmpfs udev rw,size=100k
30 22 253:2 / /mnt/my\\040disk rw,relatime - xfs /dev/vdb rw
31 22 0:40 / /srv rw - nfs4 server:/export rw,vers=4.2
32 22 0:41 / /data rw - btrfs /dev/sdz rw
33 30 253:2 /sub /mnt/bind rw - xfs /dev/vdb rw
garbage line here
34 22 x:1 / /bad rw - ext4 /dev/x rw
35 22 8:1 / /nodash rw ext4 /dev/x rw
";

    #[test]
    fn decode_escapes() {
        assert_eq!(decode_mount_name("a\\040b"), b"a b");
        assert_eq!(
            decode_mount_name("tab\\011nl\\012bs\\134"),
            b"tab\tnl\nbs\\"
        );
        assert_eq!(decode_mount_name("x\\\\y"), b"x\\y");
        assert_eq!(decode_mount_name("bad\\9xx"), b"bad\\9xx");
        assert_eq!(decode_mount_name("end\\04"), b"end\\04");
        assert_eq!(decode_mount_name("\\"), b"\\");
        assert_eq!(decode_mount_name("\\377"), [0xff]);
    }

    #[test]
    fn parse_lines() {
        let m = parse_mountinfo(MOUNTINFO);
        assert_eq!(m.len(), 7);
        assert_eq!(m[0].mount_point, PathBuf::from("/"));
        assert_eq!((m[0].major, m[0].minor), (253, 1));
        assert_eq!(m[0].optional_fields, vec!["shared:1"]);
        assert_eq!(m[0].super_options, "rw,errors=remount-ro");
        assert_eq!(m[2].optional_fields, vec!["shared:2", "master:9"]);
        assert_eq!(m[3].mount_point, PathBuf::from("/mnt/my disk"));
        assert_eq!(m[4].source, "server:/export");
        assert_eq!(m[6].root, PathBuf::from("/sub"));
    }

    #[test]
    fn selection_follows_qemu() {
        let dir = tempfile::tempdir().unwrap();
        let m = parse_mountinfo(MOUNTINFO);
        let local = select_local_mounts(dir.path(), &m);
        let dirs: Vec<_> = local.iter().map(|f| f.dir.to_str().unwrap()).collect();
        // btrfs on a missing device is skipped, as are proc, devtmpfs, nfs.
        assert_eq!(dirs, vec!["/", "/mnt/my disk", "/mnt/bind"]);
        let order: Vec<_> = freeze_order(&local).map(|f| f.dir.clone()).collect();
        assert_eq!(order[0], PathBuf::from("/mnt/bind"));
        let unique = unique_devices(&local);
        assert_eq!(unique.len(), 2);
        assert_eq!(unique[1].dir, PathBuf::from("/mnt/my disk"));
    }

    #[test]
    fn fs_type_lists() {
        assert!(is_network_fs("nfs4") && is_network_fs("cifs"));
        assert!(is_virtual_fs("proc") && is_virtual_fs("tmpfs"));
        assert!(!is_network_fs("ext4") && !is_virtual_fs("xfs"));
    }

    #[test]
    fn mtab_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("proc/self")).unwrap();
        fs::create_dir_all(root.join("srv/bindsrc")).unwrap();
        fs::create_dir_all(root.join("dev")).unwrap();
        fs::write(root.join("dev/vda1"), "").unwrap();
        fs::write(
            root.join("proc/self/mounts"),
            "/dev/vda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n//srv/share /s cifs rw 0 0\n\
             /srv/bindsrc /b none rw,bind 0 0\n/dev/missing /m\\040x ext4 rw 0 0\nshort\n",
        )
        .unwrap();
        let local = local_mounts(root).unwrap();
        let dirs: Vec<_> = local.iter().map(|f| f.dir.to_str().unwrap()).collect();
        assert_eq!(dirs, vec!["/", "/m x"]);
        assert_eq!((local[0].major, local[0].minor), (0, 0));
    }

    #[test]
    fn mountinfo_preferred_and_missing_everything() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(local_mounts(root).unwrap_err().is_not_found());
        fs::create_dir_all(root.join("proc/self")).unwrap();
        fs::write(root.join("proc/self/mountinfo"), MOUNTINFO).unwrap();
        assert_eq!(local_mounts(root).unwrap().len(), 3);
    }

    #[test]
    fn real_system() {
        let root = Path::new("/");
        if let Ok(Some(m)) = read_mountinfo(root) {
            assert!(!m.is_empty());
            assert!(select_local_mounts(root, &m).iter().all(|f| f.major != 0));
        }
    }
}
