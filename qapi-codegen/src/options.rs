//! What the caller can choose about the generated code.

use crate::cfg::CfgMap;

/// Options of [`generate`](crate::generate).
#[derive(Debug, Clone)]
pub struct Options {
    /// How `'if'` conditions become `#[cfg]` predicates.
    pub cfg: CfgMap,
    /// Carry the schema's documentation into `#[doc]` attributes.
    pub docs: bool,
    /// The name of the trait a server implements, one method per command.
    pub trait_name: String,
    /// Give every trait method a default body that fails with QEMU's
    /// "this feature or command is not currently supported", so a server
    /// implements only what it supports.
    pub default_unsupported: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cfg: CfgMap::default(),
            docs: true,
            trait_name: "Commands".to_string(),
            default_unsupported: true,
        }
    }
}
