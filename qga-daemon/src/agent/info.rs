//! `guest-info`: the version and the command list, as qemu-ga builds it.

use super::Gate;
use crate::config::QEMU_COMPAT_VERSION;
use qga_generated::{GuestAgentCommandInfo, GuestAgentInfo, COMMANDS};

/// The `guest-info` reply: [`QEMU_COMPAT_VERSION`] and every registered
/// command in reverse schema order (qemu-ga prepends each one to its
/// list), disabled ones included with `enabled: false`.
pub fn agent_info(gate: &Gate) -> GuestAgentInfo {
    GuestAgentInfo {
        version: QEMU_COMPAT_VERSION.to_owned(),
        supported_commands: COMMANDS
            .iter()
            .rev()
            .map(|c| GuestAgentCommandInfo {
                name: c.name.to_owned(),
                enabled: gate.is_enabled(c.name),
                success_response: c.success_response,
            })
            .collect(),
    }
}
