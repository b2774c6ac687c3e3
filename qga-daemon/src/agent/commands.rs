//! The [`Commands`] implementation: one thin method per command.
//!
//! This `impl` is the one place where commands are wired to their
//! backends. A command not implemented here keeps the trait's default
//! body, which answers `this feature or command is not currently
//! supported` (after the generated code has checked its arguments).

use super::{info, Agent};
use qga_generated::{qapi, Commands, GuestAgentInfo};

/// One call on the shared [`Agent`]: the generated trait takes
/// `&mut self`, while the agent is shared by every client thread.
pub(super) struct Call<'a>(pub(super) &'a Agent);

impl Commands for Call<'_> {
    fn guest_sync_delimited(&mut self, id: i64) -> Result<i64, qapi::Error> {
        // The handler puts the 0xFF sentinel before this reply.
        Ok(id)
    }

    fn guest_sync(&mut self, id: i64) -> Result<i64, qapi::Error> {
        Ok(id)
    }

    fn guest_ping(&mut self) -> Result<(), qapi::Error> {
        Ok(())
    }

    fn guest_info(&mut self) -> Result<GuestAgentInfo, qapi::Error> {
        Ok(info::agent_info(&self.0.gate))
    }
}
