//! An in-memory file tree written out as a `newc` cpio archive, the format
//! the Linux kernel unpacks as an initramfs.

use std::collections::BTreeMap;
use std::io::{self, Write};

const S_IFDIR: u32 = 0o040_000;
const S_IFREG: u32 = 0o100_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFCHR: u32 = 0o020_000;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir { perm: u32 },
    File { perm: u32, data: Vec<u8> },
    Symlink { target: String },
    CharDev { perm: u32, major: u32, minor: u32 },
}

/// A file tree to be packed into an archive. Paths are relative (a leading
/// `/` is ignored); missing parent directories are created with mode 0755.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    nodes: BTreeMap<String, Node>,
}

impl Tree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a directory (and its parents).
    pub fn dir(&mut self, path: &str, perm: u32) {
        let path = self.prepare(path);
        if !path.is_empty() {
            self.nodes.insert(path, Node::Dir { perm });
        }
    }

    /// Adds a regular file with the given contents and permission bits.
    pub fn file(&mut self, path: &str, perm: u32, data: impl Into<Vec<u8>>) {
        let path = self.prepare(path);
        let data = data.into();
        self.nodes.insert(path, Node::File { perm, data });
    }

    /// Adds a symbolic link pointing at `target`.
    pub fn symlink(&mut self, path: &str, target: &str) {
        let path = self.prepare(path);
        let target = target.to_owned();
        self.nodes.insert(path, Node::Symlink { target });
    }

    /// Adds a character device node.
    pub fn char_dev(&mut self, path: &str, perm: u32, major: u32, minor: u32) {
        let path = self.prepare(path);
        self.nodes
            .insert(path, Node::CharDev { perm, major, minor });
    }

    /// Whether something already exists at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.nodes.contains_key(normalize(path))
    }

    /// Number of entries in the tree.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree has no entries.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Normalizes `path` and creates its missing parent directories.
    fn prepare(&mut self, path: &str) -> String {
        let path = normalize(path);
        let mut end = 0;
        while let Some(pos) = path[end..].find('/') {
            let parent = &path[..end + pos];
            self.nodes
                .entry(parent.to_owned())
                .or_insert(Node::Dir { perm: 0o755 });
            end += pos + 1;
        }
        path.to_owned()
    }

    /// Writes the tree as a `newc` archive, closed by the trailer entry.
    ///
    /// Entries come in path order, so every directory precedes its contents.
    pub fn write_newc(&self, out: &mut impl Write) -> io::Result<()> {
        let mut ino: u32 = 1;
        for (path, node) in &self.nodes {
            let (mode, data, rdev): (u32, &[u8], (u32, u32)) = match node {
                Node::Dir { perm } => (S_IFDIR | perm, &[], (0, 0)),
                Node::File { perm, data } => (S_IFREG | perm, data, (0, 0)),
                Node::Symlink { target } => (S_IFLNK | 0o777, target.as_bytes(), (0, 0)),
                Node::CharDev { perm, major, minor } => (S_IFCHR | perm, &[], (*major, *minor)),
            };
            let nlink = if matches!(node, Node::Dir { .. }) {
                2
            } else {
                1
            };
            write_entry(out, ino, mode, nlink, rdev, path, data)?;
            ino = ino.wrapping_add(1);
        }
        write_entry(out, 0, 0, 1, (0, 0), "TRAILER!!!", &[])
    }
}

/// Strips leading and trailing slashes.
fn normalize(path: &str) -> &str {
    path.trim_matches('/')
}

/// Writes one header, its name and its data, each padded to 4 bytes.
fn write_entry(
    out: &mut impl Write,
    ino: u32,
    mode: u32,
    nlink: u32,
    rdev: (u32, u32),
    name: &str,
    data: &[u8],
) -> io::Result<()> {
    let size = u32::try_from(data.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "file too large for cpio"))?;
    let name_size = u32::try_from(name.len() + 1)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "name too long for cpio"))?;
    // Fields: ino mode uid gid nlink mtime filesize devmajor devminor
    // rdevmajor rdevminor namesize check.
    let fields = [
        ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev.0, rdev.1, name_size, 0,
    ];
    let mut header = String::with_capacity(110);
    header.push_str("070701");
    for field in fields {
        header.push_str(&format!("{field:08x}"));
    }
    out.write_all(header.as_bytes())?;
    out.write_all(name.as_bytes())?;
    out.write_all(&[0])?;
    pad(out, header.len() + name.len() + 1)?;
    out.write_all(data)?;
    pad(out, data.len())
}

/// Writes the zero bytes that bring `len` up to a multiple of 4.
fn pad(out: &mut impl Write, len: usize) -> io::Result<()> {
    let n = (4 - len % 4) % 4;
    out.write_all(&[0u8; 3][..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(tree: &Tree) -> Vec<u8> {
        let mut out = Vec::new();
        tree.write_newc(&mut out).expect("writing to a Vec");
        out
    }

    /// Splits an archive back into (name, mode, data) triples.
    fn entries(bytes: &[u8]) -> Vec<(String, u32, Vec<u8>)> {
        let mut out = Vec::new();
        let mut pos = 0;
        loop {
            let header = std::str::from_utf8(&bytes[pos..pos + 110]).expect("ascii header");
            assert!(header.starts_with("070701"), "bad magic at {pos}");
            let field = |i: usize| {
                u32::from_str_radix(&header[6 + 8 * i..14 + 8 * i], 16).expect("hex") as usize
            };
            let (mode, size, name_size) = (field(1), field(6), field(11));
            let name = std::str::from_utf8(&bytes[pos + 110..pos + 110 + name_size - 1])
                .expect("utf-8 name")
                .to_owned();
            pos += (110 + name_size).div_ceil(4) * 4;
            assert_eq!(pos % 4, 0);
            let data = bytes[pos..pos + size].to_vec();
            pos += size.div_ceil(4) * 4;
            if name == "TRAILER!!!" {
                assert_eq!(pos, bytes.len());
                return out;
            }
            out.push((name, mode as u32, data));
        }
    }

    #[test]
    fn parents_come_first_and_are_created() {
        let mut tree = Tree::new();
        tree.file("/usr/sbin/agent", 0o755, b"ELF".to_vec());
        tree.symlink("bin/sh", "/bin/busybox");
        let got = entries(&archive(&tree));
        let names: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["bin", "bin/sh", "usr", "usr/sbin", "usr/sbin/agent"]
        );
        assert_eq!(got[0].1, S_IFDIR | 0o755);
        assert_eq!(
            got[1],
            ("bin/sh".into(), S_IFLNK | 0o777, b"/bin/busybox".to_vec())
        );
        assert_eq!(got[4].1, S_IFREG | 0o755);
        assert_eq!(got[4].2, b"ELF");
    }

    #[test]
    fn padding_is_right_for_every_length() {
        for len in 0..9 {
            let mut tree = Tree::new();
            let name = "x".repeat(len + 1);
            tree.file(&name, 0o644, vec![7u8; len]);
            let got = entries(&archive(&tree));
            assert_eq!(got, [(name, S_IFREG | 0o644, vec![7u8; len])]);
        }
    }

    #[test]
    fn explicit_dir_mode_wins_and_devices_carry_numbers() {
        let mut tree = Tree::new();
        tree.dir("tmp", 0o1777);
        tree.char_dev("dev/console", 0o600, 5, 1);
        let bytes = archive(&tree);
        let got = entries(&bytes);
        assert_eq!(got[2].1, S_IFDIR | 0o1777);
        assert_eq!(got[1].1, S_IFCHR | 0o600);
        // rdevmajor and rdevminor of the device entry (the second one).
        let start = (110 + 4usize).div_ceil(4) * 4; // "dev" entry, no data
        let header = std::str::from_utf8(&bytes[start..start + 110]).expect("ascii");
        assert_eq!(&header[6 + 8 * 9..6 + 8 * 11], "0000000500000001");
        assert!(tree.contains("/dev/console/"));
        assert_eq!(tree.len(), 3);
    }
}
