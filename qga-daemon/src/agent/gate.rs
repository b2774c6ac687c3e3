//! Which commands may run: `-b`/`--block-rpcs`, `-a`/`--allow-rpcs` and
//! frozen mode, as qemu-ga 10.0 decides it.

use crate::config::Config;
use crate::daemon::Frozen;
use qga_generated::qapi;
use std::sync::Arc;

/// The commands that keep working while filesystems are frozen: they write
/// nothing to a filesystem.
pub const FROZEN_SAFE: &[&str] = &[
    "guest-ping",
    "guest-info",
    "guest-sync",
    "guest-sync-delimited",
    "guest-fsfreeze-status",
    "guest-fsfreeze-thaw",
];

/// Decides whether a command is enabled.
///
/// A command blocked by `-b`, or missing from a non-empty `-a` list (the
/// sync commands included), is disabled for good; while frozen, every
/// command but the [`FROZEN_SAFE`] ones is disabled too. A call of a
/// disabled command fails before its arguments are read, with qemu-ga
/// 10.0's text (the same for all three reasons).
#[derive(Debug)]
pub struct Gate {
    block: Vec<String>,
    allow: Vec<String>,
    frozen: Arc<Frozen>,
}

impl Gate {
    /// The gate for `config`'s lists, following `frozen`.
    pub fn new(config: &Config, frozen: Arc<Frozen>) -> Self {
        Gate {
            block: config.block_rpcs.clone(),
            allow: config.allow_rpcs.clone(),
            frozen,
        }
    }

    /// Whether `name` may run now.
    pub fn is_enabled(&self, name: &str) -> bool {
        enabled(&self.block, &self.allow, self.frozen.is_frozen(), name)
    }

    /// `Ok` if `name` may run now, else the error to answer.
    pub fn check(&self, name: &str) -> Result<(), qapi::Error> {
        if self.is_enabled(name) {
            Ok(())
        } else {
            Err(disabled(name))
        }
    }
}

/// The rule itself: block wins over allow; frozen disables all but
/// [`FROZEN_SAFE`].
fn enabled(block: &[String], allow: &[String], frozen: bool, name: &str) -> bool {
    let listed = |list: &[String]| list.iter().any(|n| n == name);
    !listed(block)
        && (allow.is_empty() || listed(allow))
        && (!frozen || FROZEN_SAFE.contains(&name))
}

/// qemu-ga 10.0's error for a disabled command.
pub(crate) fn disabled(name: &str) -> qapi::Error {
    qapi::Error {
        class: qapi::ErrorClass::CommandNotFound,
        desc: format!("Command {name} has been disabled: the command is not allowed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn everything_enabled_by_default() {
        for c in qga_generated::COMMANDS {
            assert!(enabled(&[], &[], false, c.name), "{}", c.name);
        }
    }

    #[test]
    fn block_list() {
        let block = list(&["guest-exec", "guest-bogus"]);
        assert!(!enabled(&block, &[], false, "guest-exec"));
        assert!(enabled(&block, &[], false, "guest-exec-status"));
        assert!(enabled(&block, &[], false, "guest-sync"));
    }

    #[test]
    fn allow_list_disables_the_rest_including_sync() {
        let allow = list(&["guest-ping", "guest-info"]);
        assert!(enabled(&[], &allow, false, "guest-ping"));
        assert!(enabled(&[], &allow, false, "guest-info"));
        assert!(!enabled(&[], &allow, false, "guest-sync"));
        assert!(!enabled(&[], &allow, false, "guest-sync-delimited"));
        assert!(!enabled(&[], &allow, false, "guest-get-time"));
    }

    #[test]
    fn block_wins_over_allow() {
        let allow = list(&["guest-ping", "guest-exec"]);
        let block = list(&["guest-exec"]);
        assert!(!enabled(&block, &allow, false, "guest-exec"));
        assert!(enabled(&block, &allow, false, "guest-ping"));
    }

    #[test]
    fn frozen_keeps_only_the_safe_commands() {
        for c in qga_generated::COMMANDS {
            assert_eq!(
                enabled(&[], &[], true, c.name),
                FROZEN_SAFE.contains(&c.name),
                "{}",
                c.name
            );
        }
        // The lists still apply while frozen.
        let block = list(&["guest-ping"]);
        assert!(!enabled(&block, &[], true, "guest-ping"));
    }

    #[test]
    fn disabled_text() {
        let e = disabled("guest-exec");
        assert_eq!(e.class, qapi::ErrorClass::CommandNotFound);
        assert_eq!(
            e.desc,
            "Command guest-exec has been disabled: the command is not allowed"
        );
    }

    #[test]
    fn frozen_safe_commands_exist() {
        for name in FROZEN_SAFE {
            assert!(qga_generated::command_info(name).is_some(), "{name}");
        }
    }
}
