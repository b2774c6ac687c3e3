//! The scenario against Debian's qemu-ga (bookworm: 7.2), the reference
//! agent. Its replies are recorded in `<target>/e2e/qemu-ga.json` for the
//! shape comparison with our own agent.

use e2e_tests::record::{output_dir, say};
use e2e_tests::{run_scenario, AgentSpec};

#[test]
fn qemu_ga_full_scenario() {
    let result = run_scenario(AgentSpec::debian_qemu_ga());
    if result.skipped.is_none() {
        match result.save(&output_dir()) {
            Ok(path) => say(&format!("recorded {}", path.display())),
            Err(e) => say(&format!("cannot record the replies: {e}")),
        }
    }
    result.assert_passed();
}
