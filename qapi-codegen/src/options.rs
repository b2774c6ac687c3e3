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
    /// Generate the server side: the trait, the dispatcher, the registry.
    pub server: bool,
    /// Generate the typed client (`Client<T>` over `Read + Write`).
    pub client: bool,
    /// Implement `serde::Serialize` and `serde::Deserialize` for every
    /// generated type, through its exact wire form (the generated code
    /// then needs the `serde` crate too).
    pub serde: bool,
    /// Extra derives for every generated struct and enum where they are
    /// valid (`Hash` and `Eq` are skipped for types holding floats or
    /// `any`, and so on); written as in `#[derive(...)]`.
    pub derives: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cfg: CfgMap::default(),
            docs: true,
            trait_name: "Commands".to_string(),
            default_unsupported: true,
            server: true,
            client: true,
            serde: true,
            derives: Vec::new(),
        }
    }
}
