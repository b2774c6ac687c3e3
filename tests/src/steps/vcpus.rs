//! The vCPU steps: take the second vCPU offline and bring it back.

use serde_json::{json, Value};

use super::{items, Runner};
use crate::vm::GUEST_VCPUS;

/// The vCPU taken offline; the boot CPU (0) usually cannot be.
const HOTPLUG_CPU: i64 = 1;

/// The `online` flags of a `guest-get-vcpus` reply, in `logical-id` order
/// (`false` for an entry without a boolean flag).
pub(super) fn online_states(cpus: &Value) -> Vec<bool> {
    let mut states: Vec<(i64, bool)> = items(cpus)
        .iter()
        .map(|c| {
            (
                c["logical-id"].as_i64().unwrap_or(-1),
                c["online"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    states.sort_unstable();
    states.into_iter().map(|(_, online)| online).collect()
}

impl Runner<'_> {
    /// `guest-set-vcpus` takes vCPU 1 offline (one entry processed),
    /// `guest-get-vcpus` shows it offline, and the same back online.
    pub(crate) fn vcpu_cycle(&mut self) -> Result<(), String> {
        for online in [false, true] {
            let state = if online { "online" } else { "offline" };
            let step = format!("guest-set-vcpus {state}");
            let processed = self.call(
                &step,
                "guest-set-vcpus",
                json!({"vcpus": [{"logical-id": HOTPLUG_CPU, "online": online}]}),
            )?;
            self.check(processed == Some(json!(1)), || {
                format!("{step}: {processed:?} processed, expected 1")
            });

            let step = format!("guest-get-vcpus {state}");
            let cpus = self
                .call(&step, "guest-get-vcpus", Value::Null)?
                .unwrap_or_default();
            let mut expected = vec![true; GUEST_VCPUS];
            if let Some(flag) = usize::try_from(HOTPLUG_CPU)
                .ok()
                .and_then(|i| expected.get_mut(i))
            {
                *flag = online;
            }
            self.check(online_states(&cpus) == expected, || {
                format!("{step}: expected online flags {expected:?}: {cpus}")
            });
            let can_offline = items(&cpus)
                .iter()
                .find(|c| c["logical-id"] == json!(HOTPLUG_CPU))
                .map(|c| c["can-offline"].clone());
            self.check(can_offline == Some(json!(true)), || {
                format!("{step}: vCPU {HOTPLUG_CPU} cannot be offlined: {cpus}")
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_in_id_order() {
        let cpus = json!([
            {"logical-id": 1, "online": false, "can-offline": true},
            {"logical-id": 0, "online": true},
            {"logical-id": 2}
        ]);
        assert_eq!(online_states(&cpus), [true, false, false]);
        assert!(online_states(&json!({})).is_empty());
    }
}
