//! The plain data of the checked schema: types, members, commands, events.
//!
//! Every reference to a type is a [`TypeId`], an index into
//! [`Schema::types`](super::Schema::types). Nothing here refers back to the
//! syntax tree.

use crate::ifcond::IfCond;
use crate::source::Info;

/// Index of a type in [`Schema::types`](super::Schema::types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// Index of a command in [`Schema::commands`](super::Schema::commands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandId(pub u32);

/// Index of an event in [`Schema::events`](super::Schema::events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub u32);

/// Index of a module in [`Schema::modules`](super::Schema::modules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

/// Index of a doc block in [`Schema::docs`](super::Schema::docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub u32);

macro_rules! index_of {
    ($($t:ty),*) => {$(
        impl $t {
            /// The index as a `usize`.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
index_of!(TypeId, CommandId, EventId, ModuleId, DocId);

/// One top-level thing, in definition order.
#[derive(Debug, Clone)]
pub enum Entity {
    /// An include directive (also a repeated one).
    Include {
        /// The module the directive names.
        module: ModuleId,
        /// Where the directive is.
        info: Info,
    },
    /// A type (built-in, implicit or defined).
    Type(TypeId),
    /// A command.
    Command(CommandId),
    /// An event.
    Event(EventId),
}

/// A schema file, as the generator groups output by it.
#[derive(Debug, Clone)]
pub struct Module {
    /// `./builtin` for the built-in module, otherwise the file's path
    /// relative to the main file's directory, normalised.
    pub name: String,
    /// The module's entities, in definition order.
    pub entities: Vec<Entity>,
}

impl Module {
    /// The name of the module holding the built-in types.
    pub const BUILTIN: &'static str = "./builtin";

    /// Whether this is the built-in module.
    pub fn is_builtin(&self) -> bool {
        self.name == Self::BUILTIN
    }
}

/// A feature of a definition, member or enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature name.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
}

impl Feature {
    /// The features every schema knows.
    pub const SPECIAL: [&'static str; 2] = ["deprecated", "unstable"];

    /// Whether this is `deprecated` or `unstable`.
    pub fn is_special(&self) -> bool {
        Self::SPECIAL.contains(&self.name.as_str())
    }
}

/// How a value of a type looks in JSON (QEMU's `json_type()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// A JSON string (`str`, enums).
    String,
    /// Any JSON number (`number`).
    Number,
    /// A JSON integer (the integer types, `size`).
    Int,
    /// `true` / `false`.
    Boolean,
    /// `null`.
    Null,
    /// Any value (`any`, alternates).
    Value,
    /// A JSON array.
    Array,
    /// A JSON object (structs, unions).
    Object,
}

impl JsonType {
    /// QEMU's name for it (`string`, `number`, `int`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Int => "int",
            JsonType::Boolean => "boolean",
            JsonType::Null => "null",
            JsonType::Value => "value",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// The QType an alternate uses to recognise this kind of value
    /// (`None` for [`JsonType::Value`], which an alternate cannot hold).
    pub fn qtype(self) -> Option<&'static str> {
        Some(match self {
            JsonType::Null => "qnull",
            JsonType::String => "qstring",
            JsonType::Number | JsonType::Int => "qnum",
            JsonType::Boolean => "qbool",
            JsonType::Array => "qlist",
            JsonType::Object => "qdict",
            JsonType::Value => return None,
        })
    }
}

/// A built-in scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `str`.
    Str,
    /// `number` (a double).
    Number,
    /// `int` (64-bit signed).
    Int,
    /// `int8`.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `uint8`.
    Uint8,
    /// `uint16`.
    Uint16,
    /// `uint32`.
    Uint32,
    /// `uint64`.
    Uint64,
    /// `size` (64-bit unsigned).
    Size,
    /// `bool`.
    Bool,
    /// `any`: any JSON value.
    Any,
    /// `null`: only JSON null.
    Null,
}

impl Builtin {
    /// Every built-in, in QEMU's order of definition.
    pub const ALL: [Builtin; 15] = [
        Builtin::Str,
        Builtin::Number,
        Builtin::Int,
        Builtin::Int8,
        Builtin::Int16,
        Builtin::Int32,
        Builtin::Int64,
        Builtin::Uint8,
        Builtin::Uint16,
        Builtin::Uint32,
        Builtin::Uint64,
        Builtin::Size,
        Builtin::Bool,
        Builtin::Any,
        Builtin::Null,
    ];

    /// The schema name.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Str => "str",
            Builtin::Number => "number",
            Builtin::Int => "int",
            Builtin::Int8 => "int8",
            Builtin::Int16 => "int16",
            Builtin::Int32 => "int32",
            Builtin::Int64 => "int64",
            Builtin::Uint8 => "uint8",
            Builtin::Uint16 => "uint16",
            Builtin::Uint32 => "uint32",
            Builtin::Uint64 => "uint64",
            Builtin::Size => "size",
            Builtin::Bool => "bool",
            Builtin::Any => "any",
            Builtin::Null => "null",
        }
    }

    /// Its JSON form.
    pub fn json_type(self) -> JsonType {
        match self {
            Builtin::Str => JsonType::String,
            Builtin::Number => JsonType::Number,
            Builtin::Bool => JsonType::Boolean,
            Builtin::Any => JsonType::Value,
            Builtin::Null => JsonType::Null,
            _ => JsonType::Int,
        }
    }
}

/// An enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value as sent on the wire.
    pub name: String,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
}

/// An enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    /// The values, in order.
    pub values: Vec<EnumValue>,
    /// The C name prefix of the values, when given.
    pub prefix: Option<String>,
}

/// A member of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The wire name (without the `*` of optional members).
    pub name: String,
    /// Its type.
    pub ty: TypeId,
    /// Whether it may be absent.
    pub optional: bool,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
    /// The object type that defines it (a base, for inherited members).
    pub owner: TypeId,
}

/// A branch of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    /// The discriminator value selecting it.
    pub name: String,
    /// Its object type (`q_empty` for implicit branches).
    pub ty: TypeId,
    /// Its condition (an implicit branch has its enum value's).
    pub ifcond: Option<IfCond>,
    /// Added for an enum value the schema gave no branch.
    pub implicit: bool,
}

/// The variant part of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct Variants {
    /// The discriminator member (one of the union's members, of enum type).
    pub tag: Member,
    /// Explicit branches in schema order, then implicit ones in enum order.
    pub branches: Vec<Branch>,
}

/// A struct, a union, or an implicit object type.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectType {
    /// The base type.
    pub base: Option<TypeId>,
    /// The members the type itself defines, in order.
    pub local_members: Vec<Member>,
    /// Every member: the base's (recursively) first, then the local ones.
    pub members: Vec<Member>,
    /// The branches, for a union.
    pub variants: Option<Variants>,
}

impl ObjectType {
    /// Whether this is a union.
    pub fn is_union(&self) -> bool {
        self.variants.is_some()
    }

    /// No members and no branches.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.variants.is_none()
    }

    /// Whether any member (inherited ones included) has a condition.
    pub fn has_conditional_members(&self) -> bool {
        self.members.iter().any(|m| m.ifcond.is_some())
    }
}

/// A branch of an alternate.
#[derive(Debug, Clone, PartialEq)]
pub struct AltBranch {
    /// The branch name.
    pub name: String,
    /// Its type.
    pub ty: TypeId,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// The JSON form that selects this branch.
    pub json: JsonType,
}

/// An alternate: one of several types, told apart by JSON form.
#[derive(Debug, Clone, PartialEq)]
pub struct AlternateType {
    /// The branches, in order.
    pub branches: Vec<AltBranch>,
}

/// What a type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A built-in scalar.
    Builtin(Builtin),
    /// An enumeration (`QType` included).
    Enum(EnumType),
    /// `ElementList`.
    Array {
        /// The element type.
        element: TypeId,
    },
    /// A struct, union or implicit object type.
    Object(ObjectType),
    /// An alternate.
    Alternate(AlternateType),
}

/// A type.
#[derive(Debug, Clone)]
pub struct Type {
    /// The schema name.
    pub name: String,
    /// Where it is defined: `None` for built-in types and their arrays; for
    /// implicit types, the definition that caused them.
    pub info: Option<Info>,
    /// Its module.
    pub module: ModuleId,
    /// Its condition (an array has its element's).
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
    /// Its doc block.
    pub doc: Option<DocId>,
    /// Created by the expression checker for an old form in compat mode
    /// (a simple union's implicit enum or branch wrapper).
    pub synthesized: bool,
    /// What it is.
    pub kind: TypeKind,
}

impl Type {
    /// QEMU's meta word: `built-in`, `enum`, `array`, `struct`, `union`,
    /// `alternate`.
    pub fn meta(&self) -> &'static str {
        match &self.kind {
            TypeKind::Builtin(_) => "built-in",
            TypeKind::Enum(_) => "enum",
            TypeKind::Array { .. } => "array",
            TypeKind::Object(o) if o.is_union() => "union",
            TypeKind::Object(_) => "struct",
            TypeKind::Alternate(_) => "alternate",
        }
    }

    /// Its JSON form.
    pub fn json_type(&self) -> JsonType {
        match &self.kind {
            TypeKind::Builtin(b) => b.json_type(),
            TypeKind::Enum(_) => JsonType::String,
            TypeKind::Array { .. } => JsonType::Array,
            TypeKind::Object(_) => JsonType::Object,
            TypeKind::Alternate(_) => JsonType::Value,
        }
    }

    /// Predefined by every schema: the built-in scalars, their arrays,
    /// `q_empty` and `QType`.
    pub fn is_builtin(&self) -> bool {
        self.info.is_none()
    }

    /// Not written by the schema author under this name (QEMU's
    /// `is_implicit()`): built-ins, arrays, `QType` and the `q_`
    /// object types.
    pub fn is_implicit(&self) -> bool {
        if self.synthesized {
            return true;
        }
        match &self.kind {
            TypeKind::Array { .. } => true,
            TypeKind::Object(_) => self.name.starts_with("q_"),
            TypeKind::Enum(_) => self.name == "QType" || self.info.is_none(),
            _ => self.info.is_none(),
        }
    }

    /// The object parts, for a struct, union or implicit object.
    pub fn as_object(&self) -> Option<&ObjectType> {
        match &self.kind {
            TypeKind::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The values, for an enum.
    pub fn as_enum(&self) -> Option<&EnumType> {
        match &self.kind {
            TypeKind::Enum(e) => Some(e),
            _ => None,
        }
    }

    /// The branches, for an alternate.
    pub fn as_alternate(&self) -> Option<&AlternateType> {
        match &self.kind {
            TypeKind::Alternate(a) => Some(a),
            _ => None,
        }
    }

    /// The element type, for an array.
    pub fn element(&self) -> Option<TypeId> {
        match &self.kind {
            TypeKind::Array { element } => Some(*element),
            _ => None,
        }
    }
}

/// A command.
#[derive(Debug, Clone)]
pub struct Command {
    /// The wire name.
    pub name: String,
    /// Where it is defined.
    pub info: Info,
    /// Its module.
    pub module: ModuleId,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
    /// Its doc block.
    pub doc: Option<DocId>,
    /// The arguments' object type (`q_obj_NAME-arg` for inline arguments);
    /// `None` without arguments.
    pub arg_type: Option<TypeId>,
    /// The return type; `None` returns an empty object.
    pub ret_type: Option<TypeId>,
    /// Arguments passed as one object.
    pub boxed: bool,
    /// Whether to generate the marshaller.
    pub gen: bool,
    /// Whether a success reply is sent.
    pub success_response: bool,
    /// May run out of band.
    pub allow_oob: bool,
    /// Available before machine creation.
    pub allow_preconfig: bool,
    /// Runs in a coroutine.
    pub coroutine: bool,
}

/// An event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The wire name.
    pub name: String,
    /// Where it is defined.
    pub info: Info,
    /// Its module.
    pub module: ModuleId,
    /// Its condition.
    pub ifcond: Option<IfCond>,
    /// Its features.
    pub features: Vec<Feature>,
    /// Its doc block.
    pub doc: Option<DocId>,
    /// The data's object type (`q_obj_NAME-arg` for inline data).
    pub arg_type: Option<TypeId>,
    /// Data passed as one object.
    pub boxed: bool,
}
