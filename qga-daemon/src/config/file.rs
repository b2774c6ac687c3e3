//! The settings read from qemu-ga's configuration file.

use super::keyfile::{KeyFile, KeyFileError};
use super::push_list;

/// The group holding qemu-ga's keys.
const GROUP: &str = "general";

/// What the configuration file sets; `None` (or empty) where it is silent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileSettings {
    pub daemonize: Option<bool>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub logfile: Option<String>,
    pub pidfile: Option<String>,
    pub fsfreeze_hook: Option<String>,
    pub statedir: Option<String>,
    pub verbose: bool,
    pub retry_path: Option<bool>,
    pub block_rpcs: Vec<String>,
    pub allow_rpcs: Vec<String>,
    pub freeze_timeout: Option<u32>,
}

impl FileSettings {
    /// Reads the keys of `[general]` in qemu-ga's order, so that the first
    /// bad value in that order is the one reported. Unknown keys and groups
    /// are ignored (including the old `blacklist` key, as qemu-ga 10 does).
    pub fn from_keyfile(kf: &KeyFile) -> Result<Self, KeyFileError> {
        let string = |key| kf.string(GROUP, key).transpose();
        let boolean = |key| kf.boolean(GROUP, key).transpose();
        let mut settings = FileSettings {
            daemonize: boolean("daemon")?,
            method: string("method")?,
            path: string("path")?,
            logfile: string("logfile")?,
            pidfile: string("pidfile")?,
            fsfreeze_hook: string("fsfreeze-hook")?,
            statedir: string("statedir")?,
            // `verbose=false` cannot lower a level set elsewhere.
            verbose: boolean("verbose")?.unwrap_or(false),
            retry_path: boolean("retry-path")?,
            ..FileSettings::default()
        };
        if let Some(list) = string("block-rpcs")? {
            push_list(&mut settings.block_rpcs, &list);
        }
        if let Some(list) = string("allow-rpcs")? {
            push_list(&mut settings.allow_rpcs, &list);
        }
        settings.freeze_timeout = kf
            .unsigned(GROUP, "freeze-timeout")
            .transpose()?
            .filter(|&n| n != 0);
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<FileSettings, String> {
        let kf = KeyFile::parse(text.as_bytes()).map_err(|e| e.to_string())?;
        FileSettings::from_keyfile(&kf).map_err(|e| e.to_string())
    }

    #[test]
    fn every_key() {
        let s = settings(
            "[general]\ndaemon=true\nmethod=isa-serial\npath=/p\nlogfile=/l\npidfile=/f\n\
             fsfreeze-hook=/h\nstatedir=/t\nverbose=1\nretry-path=true\nblock-rpcs=a,b\n\
             allow-rpcs=x,y\nfreeze-timeout=30\n",
        )
        .unwrap();
        assert_eq!(
            s,
            FileSettings {
                daemonize: Some(true),
                method: Some("isa-serial".into()),
                path: Some("/p".into()),
                logfile: Some("/l".into()),
                pidfile: Some("/f".into()),
                fsfreeze_hook: Some("/h".into()),
                statedir: Some("/t".into()),
                verbose: true,
                retry_path: Some(true),
                block_rpcs: vec!["b".into(), "a".into()],
                allow_rpcs: vec!["y".into(), "x".into()],
                freeze_timeout: Some(30),
            }
        );
    }

    #[test]
    fn empty_and_unknown() {
        let s =
            settings("[general]\nblacklist=a\ndaemonize=true\nfoo=1\n[other]\nmethod=x\n").unwrap();
        assert_eq!(s, FileSettings::default());
        assert_eq!(settings("").unwrap(), FileSettings::default());
    }

    #[test]
    fn explicit_false_and_zero() {
        let s = settings("[general]\ndaemon=false\nverbose=0\nretry-path=0\nfreeze-timeout=0\n")
            .unwrap();
        assert_eq!(s.daemonize, Some(false));
        assert!(!s.verbose);
        assert_eq!(s.retry_path, Some(false));
        assert_eq!(s.freeze_timeout, None);
    }

    #[test]
    fn lists_are_split_on_commas_only() {
        let s = settings("[general]\nblock-rpcs=a;b,c , d,,\nallow-rpcs=\n").unwrap();
        assert_eq!(s.block_rpcs, ["", "", " d", "c ", "a;b"]);
        assert!(s.allow_rpcs.is_empty());
    }

    #[test]
    fn first_bad_key_in_qemu_order_is_reported() {
        let e = settings("[general]\nverbose=maybe2\ndaemon=maybe\n").unwrap_err();
        assert_eq!(
            e,
            "Key file contains key \u{201c}daemon\u{201d} which has a value that cannot be interpreted."
        );
        let e = settings("[general]\nallow-rpcs=\\x\npath=\\q\n").unwrap_err();
        assert!(e.contains("\u{201c}path\u{201d}"), "{e}");
    }

    #[test]
    fn every_key_checks_its_value() {
        for key in [
            "daemon",
            "method",
            "path",
            "logfile",
            "pidfile",
            "fsfreeze-hook",
            "statedir",
            "verbose",
            "retry-path",
            "block-rpcs",
            "allow-rpcs",
        ] {
            let e = settings(&format!("[general]\n{key}=bad\\q\n")).unwrap_err();
            assert_eq!(
                e,
                format!("Key file contains key \u{201c}{key}\u{201d} which has a value that cannot be interpreted.")
            );
        }
        let e = settings("[general]\nfreeze-timeout=soon\n").unwrap_err();
        assert_eq!(
            e,
            "Key file contains key \u{201c}freeze-timeout\u{201d} in group \u{201c}general\u{201d} which has a value that cannot be interpreted."
        );
    }
}
