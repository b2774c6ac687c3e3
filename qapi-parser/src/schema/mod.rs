//! Pass 3: the checked, resolved IR.
//!
//! [`build`] creates every entity (the built-in types, implicit types and
//! the definitions), resolves every type name to a [`TypeId`], runs QEMU's
//! semantic checks in QEMU's order, and attaches the doc blocks. The result,
//! [`Schema`], is plain data meant for code generators: iterate
//! [`Schema::entities`] or [`Schema::modules`] for definition order, or look
//! things up by name.

mod builder;
mod check;
mod define;
mod docs;
mod modules;
mod names;
mod types;

use crate::hash::HashMap;
use std::sync::Arc;

pub use names::c_name;
pub use types::*;

use crate::ast::Item;
use crate::diag::Errors;
use crate::doc::DocBlock;
use crate::parse::{Parsed, Pragma};
use crate::Options;

/// A checked schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Every type, indexed by [`TypeId`], in definition order: the
    /// built-ins first, implicit types right before the definition that
    /// caused them.
    pub types: Vec<Type>,
    /// Every command, indexed by [`CommandId`], in definition order.
    pub commands: Vec<Command>,
    /// Every event, indexed by [`EventId`], in definition order.
    pub events: Vec<Event>,
    /// Every entity (include directives too) in definition order.
    pub entities: Vec<Entity>,
    /// The modules in the order first seen: `./builtin`, the main file,
    /// then included files.
    pub modules: Vec<Module>,
    /// Every doc block in source order, checked against its definition:
    /// members allowed undocumented by pragma `documentation-exceptions`
    /// have an empty `Member` section after the described ones.
    pub docs: Vec<Arc<DocBlock>>,
    /// Every feature name used, the special ones first, then in order of
    /// first use.
    pub feature_names: Vec<String>,
    /// The pragma state.
    pub pragma: Pragma,
    names: HashMap<String, Entity>,
}

impl Schema {
    /// The type `id`.
    ///
    /// # Panics
    /// When `id` does not come from this schema.
    pub fn ty(&self, id: TypeId) -> &Type {
        &self.types[id.index()]
    }

    /// The command `id`.
    ///
    /// # Panics
    /// When `id` does not come from this schema.
    pub fn command(&self, id: CommandId) -> &Command {
        &self.commands[id.index()]
    }

    /// The event `id`.
    ///
    /// # Panics
    /// When `id` does not come from this schema.
    pub fn event(&self, id: EventId) -> &Event {
        &self.events[id.index()]
    }

    /// The module `id`.
    ///
    /// # Panics
    /// When `id` does not come from this schema.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    /// The doc block `id`.
    ///
    /// # Panics
    /// When `id` does not come from this schema.
    pub fn doc(&self, id: DocId) -> &DocBlock {
        &self.docs[id.index()]
    }

    /// The type, command or event called `name`.
    pub fn lookup(&self, name: &str) -> Option<&Entity> {
        self.names.get(name)
    }

    /// The type called `name`.
    pub fn lookup_type(&self, name: &str) -> Option<TypeId> {
        match self.names.get(name) {
            Some(Entity::Type(id)) => Some(*id),
            _ => None,
        }
    }

    /// The command called `name`.
    pub fn lookup_command(&self, name: &str) -> Option<CommandId> {
        match self.names.get(name) {
            Some(Entity::Command(id)) => Some(*id),
            _ => None,
        }
    }

    /// The event called `name`.
    pub fn lookup_event(&self, name: &str) -> Option<EventId> {
        match self.names.get(name) {
            Some(Entity::Event(id)) => Some(*id),
            _ => None,
        }
    }

    /// The types with their ids, in definition order.
    pub fn types(&self) -> impl Iterator<Item = (TypeId, &Type)> {
        self.types
            .iter()
            .enumerate()
            .map(|(i, t)| (TypeId(i as u32), t))
    }

    /// QEMU's description of a type in messages: `struct type 'Foo'`,
    /// `built-in type 'int'`, `array type ['Foo']`.
    pub fn describe_type(&self, id: TypeId) -> String {
        describe_type(self.ty(id))
    }
}

/// QEMU's description of `ty` in messages.
pub(crate) fn describe_type(ty: &Type) -> String {
    match &ty.kind {
        TypeKind::Array { .. } => {
            let elem = ty.name.strip_suffix("List").unwrap_or(&ty.name);
            format!("array type ['{elem}']")
        }
        _ => format!("{} type '{}'", ty.meta(), ty.name),
    }
}

/// Build the IR from checked expressions.
///
/// On failure the errors come in the order QEMU would meet them; the first
/// is the one QEMU reports.
pub fn build(parsed: &Parsed, items: Vec<Item>, opts: &Options) -> Result<Schema, Errors> {
    builder::Builder::new(parsed, opts).run(items)
}

#[cfg(test)]
mod tests;
