//! Checked expressions: the output of the expression checker (pass 2).
//!
//! Every definition has had its keys and value shapes checked and its
//! shorthand forms expanded; names are checked against the naming rules.
//! Type names are NOT resolved yet: that is the schema builder's job
//! (pass 3, [`crate::schema`]).

use std::sync::Arc;

use crate::doc::DocBlock;
use crate::ifcond::IfCond;
use crate::source::{Info, Span};

/// A reference to a type as written: `'Name'` or `['Name']`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `'Name'`.
    Named(String),
    /// `['Name']`: an array of `Name`.
    Array(String),
}

/// A feature: `'name'` or `{'name': ..., 'if': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureDef {
    /// The feature name.
    pub name: String,
    /// Its condition, if any.
    pub ifcond: Option<IfCond>,
    /// Where it is written.
    pub span: Span,
}

/// A member of a struct, of a union's inline base, or a command/event
/// argument.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberDef {
    /// The name, without the `*` that marks optional members.
    pub name: String,
    /// The key as written, `*` included (QEMU quotes it in some messages).
    pub key: String,
    /// `*name`.
    pub optional: bool,
    /// The member's type.
    pub ty: TypeRef,
    /// Longhand `'if'`.
    pub ifcond: Option<IfCond>,
    /// Longhand `'features'`.
    pub features: Vec<FeatureDef>,
    /// Where the key is written.
    pub span: Span,
}

/// An enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValueDef {
    /// The value as sent on the wire.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<FeatureDef>,
    /// Where it is written.
    pub span: Span,
}

/// A union or alternate branch.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchDef {
    /// The branch name (a discriminator value for unions).
    pub name: String,
    /// The branch type (arrays only in alternates).
    pub ty: TypeRef,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Where the key is written.
    pub span: Span,
}

/// A type given by name, or members given inline (which QEMU turns into an
/// implicit object type).
#[derive(Debug, Clone, PartialEq)]
pub enum MembersOrRef {
    /// `'TypeName'`.
    Ref(String),
    /// `{ members }`.
    Inline(Vec<MemberDef>),
}

/// `{'enum': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The values, in order.
    pub values: Vec<EnumValueDef>,
    /// `'prefix'`: the C name prefix of the values.
    pub prefix: Option<String>,
}

/// `{'struct': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// `'base'`.
    pub base: Option<String>,
    /// `'data'`.
    pub members: Vec<MemberDef>,
}

/// `{'union': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// `'base'`: a struct name or inline members.
    pub base: MembersOrRef,
    /// `'discriminator'`.
    pub discriminator: String,
    /// `'data'`: the explicit branches, in order.
    pub branches: Vec<BranchDef>,
}

/// `{'alternate': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlternateDef {
    /// `'data'`: the branches, in order (never empty).
    pub branches: Vec<BranchDef>,
}

/// `{'command': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandDef {
    /// `'data'`; `None` when absent. An empty inline object stays
    /// `Some(Inline([]))` here; the schema builder gives it no argument type.
    pub data: Option<MembersOrRef>,
    /// `'returns'`.
    pub returns: Option<TypeRef>,
    /// `'boxed': true`.
    pub boxed: bool,
    /// `'gen'` (default true).
    pub gen: bool,
    /// `'success-response'` (default true).
    pub success_response: bool,
    /// `'allow-oob': true`.
    pub allow_oob: bool,
    /// `'allow-preconfig': true`.
    pub allow_preconfig: bool,
    /// `'coroutine': true`.
    pub coroutine: bool,
}

/// `{'event': ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// `'data'`.
    pub data: Option<MembersOrRef>,
    /// `'boxed': true`.
    pub boxed: bool,
}

/// What kind of definition, with its kind-specific parts.
#[derive(Debug, Clone, PartialEq)]
pub enum DefKind {
    /// An enumeration.
    Enum(EnumDef),
    /// A struct.
    Struct(StructDef),
    /// A (flat) union.
    Union(UnionDef),
    /// An alternate.
    Alternate(AlternateDef),
    /// A command.
    Command(CommandDef),
    /// An event.
    Event(EventDef),
}

impl DefKind {
    /// The meta word: `enum`, `struct`, `union`, `alternate`, `command`,
    /// `event`.
    pub fn meta(&self) -> &'static str {
        match self {
            DefKind::Enum(_) => "enum",
            DefKind::Struct(_) => "struct",
            DefKind::Union(_) => "union",
            DefKind::Alternate(_) => "alternate",
            DefKind::Command(_) => "command",
            DefKind::Event(_) => "event",
        }
    }
}

/// One checked definition.
#[derive(Debug, Clone)]
pub struct Definition {
    /// The name as written.
    pub name: String,
    /// Where: the line of the opening `{`, with the `In META 'NAME'` context.
    pub info: Info,
    /// The doc block right before it, if any.
    pub doc: Option<Arc<DocBlock>>,
    /// The definition's own `'if'`.
    pub ifcond: Option<IfCond>,
    /// The definition's own `'features'`.
    pub features: Vec<FeatureDef>,
    /// The kind-specific parts.
    pub kind: DefKind,
    /// Synthesised by the checker rather than written in the schema (only
    /// in compat mode: the implicit enum and branch wrappers of an old
    /// simple union, an old inline nested struct). Its name is reserved
    /// (`q_obj_...`, `...Kind`) and is not subject to the naming rules.
    pub implicit: bool,
}

/// A top-level item after checking, in source order (included files
/// spliced in where their directive stands).
#[derive(Debug, Clone)]
pub enum Item {
    /// An include directive (recorded even when the file was already
    /// included and thus skipped).
    Include {
        /// `dirname(including file) + "/" + include string`, un-normalised.
        path: String,
        /// Where the directive is.
        info: Info,
    },
    /// A definition.
    Definition(Definition),
}
