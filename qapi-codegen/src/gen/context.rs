//! What every part of the generator shares: the schema, the options, the
//! Rust name of every generated item, and the conditions as `#[cfg]`.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Ident, TokenStream};
use qapi_parser::doc::DocBlock;
use qapi_parser::ifcond::IfCond;
use qapi_parser::schema::{Builtin, Member, Schema, Type, TypeId, TypeKind};
use quote::quote;

use super::idents::ident;
use super::recursion::Components;
use crate::names::{self, Namespace};
use crate::options::Options;

/// Names of the fixed items of a generated file, which schema types must
/// not take.
pub const FIXED_TYPES: &[&str] = &[
    "Request", "Response", "Event", "Client", "COMMANDS", "EVENTS",
];

/// The name of the implicit empty object type of union branches.
pub const Q_EMPTY: &str = "q_empty";

/// Shared generator state.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The schema.
    pub schema: &'a Schema,
    /// The options.
    pub opts: &'a Options,
    /// Which members need boxing.
    pub components: Components,
    type_names: HashMap<TypeId, String>,
    branch_enum_names: HashMap<TypeId, String>,
    type_docs: HashMap<TypeId, &'a DocBlock>,
    cfg_errors: RefCell<Vec<String>>,
}

impl<'a> Ctx<'a> {
    /// Name everything in `schema`.
    pub fn new(schema: &'a Schema, opts: &'a Options) -> Self {
        let mut ns = Namespace::with_reserved(
            FIXED_TYPES
                .iter()
                .copied()
                .chain(std::iter::once(opts.trait_name.as_str())),
        );
        let generated: Vec<(TypeId, &Type)> =
            schema.types().filter(|(_, t)| is_generated(t)).collect();
        let mut type_names = HashMap::new();
        // Names the schema author wrote first, so that they keep their
        // spelling when an implicit type would convert to the same name.
        for implicit in [false, true] {
            for (id, t) in &generated {
                if is_q_object(t) != implicit {
                    continue;
                }
                let wire = t.name.strip_prefix("q_obj_").unwrap_or(&t.name);
                let name = ns.claim(&t.name, names::type_name(wire));
                type_names.insert(*id, name);
            }
        }
        let mut branch_enum_names = HashMap::new();
        for (id, t) in &generated {
            if t.as_object().is_some_and(|o| o.is_union()) {
                let base = type_names.get(id).cloned().unwrap_or_default();
                let wire = format!("{}\u{0}branch", t.name);
                branch_enum_names.insert(*id, ns.claim(&wire, format!("{base}Branch")));
            }
        }
        let mut type_docs = HashMap::new();
        for (id, t) in schema.types() {
            if let Some(doc) = t.doc {
                type_docs.insert(id, schema.doc(doc));
            }
        }
        // Implicit argument types take their member descriptions from the
        // command or event.
        let owners = schema
            .commands
            .iter()
            .map(|c| (c.arg_type, c.doc))
            .chain(schema.events.iter().map(|e| (e.arg_type, e.doc)));
        for (arg, doc) in owners {
            if let (Some(arg), Some(doc)) = (arg, doc) {
                type_docs.entry(arg).or_insert_with(|| schema.doc(doc));
            }
        }
        Ctx {
            schema,
            opts,
            components: Components::new(schema),
            type_names,
            branch_enum_names,
            type_docs,
            cfg_errors: RefCell::new(Vec::new()),
        }
    }

    /// The types that get a Rust definition, in definition order.
    pub fn generated_types(&self) -> impl Iterator<Item = (TypeId, &'a Type)> + 'a {
        self.schema.types().filter(|(_, t)| is_generated(t))
    }

    /// The Rust name of generated type `id`.
    pub fn type_ident(&self, id: TypeId) -> Ident {
        match self.type_names.get(&id) {
            Some(n) => ident(n),
            None => ident(&names::type_name(&self.schema.ty(id).name)),
        }
    }

    /// The Rust name of union `id`'s branch enum.
    pub fn branch_enum_ident(&self, id: TypeId) -> Ident {
        match self.branch_enum_names.get(&id) {
            Some(n) => ident(n),
            None => ident(&format!("{}Branch", self.type_ident(id))),
        }
    }

    /// The doc block describing type `id` and its members.
    pub fn type_doc(&self, id: TypeId) -> Option<&'a DocBlock> {
        self.type_docs.get(&id).copied()
    }

    /// The Rust type of a value of schema type `id`.
    pub fn rust_type(&self, id: TypeId) -> TokenStream {
        let ty = self.schema.ty(id);
        match &ty.kind {
            TypeKind::Builtin(b) => builtin_type(*b),
            TypeKind::Array { element } => {
                let inner = self.rust_type(*element);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeKind::Object(_) if ty.name == Q_EMPTY => quote!(()),
            TypeKind::Enum(_) | TypeKind::Object(_) | TypeKind::Alternate(_) => {
                let name = self.type_ident(id);
                quote!(#name)
            }
        }
    }

    /// The Rust type of `inner` held inline by `outer` (boxed when the
    /// types contain each other).
    pub fn held_type(&self, outer: TypeId, inner: TypeId) -> TokenStream {
        let t = self.rust_type(inner);
        if self.components.needs_box(outer, inner) {
            quote!(::std::boxed::Box<#t>)
        } else {
            t
        }
    }

    /// The Rust type of a member of `outer`, `Option` when optional.
    pub fn member_type(&self, outer: TypeId, m: &Member) -> TokenStream {
        let t = self.held_type(outer, m.ty);
        if m.optional {
            quote!(::std::option::Option<#t>)
        } else {
            t
        }
    }

    /// `#[cfg(...)]` for a condition; an unmappable symbol is recorded
    /// and yields no attribute.
    pub fn cfg(&self, cond: Option<&IfCond>) -> TokenStream {
        match self.opts.cfg.attr(cond) {
            Ok(t) => t,
            Err(e) => {
                let mut errors = self.cfg_errors.borrow_mut();
                let msg = format!("no cfg mapping for condition symbol '{}'", e.0);
                if !errors.contains(&msg) {
                    errors.push(msg);
                }
                TokenStream::new()
            }
        }
    }

    /// `#[cfg]` for several conditions that must all hold.
    pub fn cfg_all(&self, conds: &[Option<&IfCond>]) -> TokenStream {
        let mut acc: Option<IfCond> = None;
        for c in conds.iter().flatten() {
            acc = Some(match acc {
                None => (*c).clone(),
                Some(a) if a == **c => a,
                Some(a) => IfCond::and(&a, c),
            });
        }
        self.cfg(acc.as_ref())
    }

    /// The condition of type `id` (an array has its element's).
    ///
    /// Whatever refers to a type also carries the type's condition: in a
    /// valid schema that is implied anyway, and otherwise the generated
    /// code still compiles when the type is compiled out.
    pub fn type_cond(&self, id: TypeId) -> Option<&'a IfCond> {
        let mut t = self.schema.ty(id);
        while let TypeKind::Array { element } = &t.kind {
            if t.ifcond.is_some() {
                break;
            }
            t = self.schema.ty(*element);
        }
        t.ifcond.as_ref()
    }

    /// The condition of type `inner` when it is not the same as `outer`
    /// (the condition of what refers to it), which implies it.
    pub fn extra_cond(&self, outer: Option<&IfCond>, inner: TypeId) -> Option<&'a IfCond> {
        self.type_cond(inner).filter(|c| Some(*c) != outer)
    }

    /// `#[cfg]` of member `m` of type `outer`: its own condition and its
    /// type's.
    pub fn member_cfg(&self, outer: TypeId, m: &Member) -> TokenStream {
        let outer_cond = self.schema.ty(outer).ifcond.as_ref();
        let own = m.ifcond.as_ref();
        let inner = self
            .extra_cond(outer_cond, m.ty)
            .filter(|c| Some(*c) != own);
        self.cfg_all(&[own, inner])
    }

    /// The condition symbols that could not be mapped.
    pub fn take_cfg_errors(&self) -> Vec<String> {
        std::mem::take(&mut *self.cfg_errors.borrow_mut())
    }
}

/// Whether `t` gets its own Rust definition.
pub fn is_generated(t: &Type) -> bool {
    match &t.kind {
        TypeKind::Builtin(_) | TypeKind::Array { .. } => false,
        TypeKind::Object(_) => t.name != Q_EMPTY,
        TypeKind::Enum(_) | TypeKind::Alternate(_) => true,
    }
}

/// Whether `t` is one of the implicit `q_obj_` object types.
fn is_q_object(t: &Type) -> bool {
    t.name.starts_with("q_")
}

/// The Rust type of a built-in.
pub fn builtin_type(b: Builtin) -> TokenStream {
    match b {
        Builtin::Str => quote!(::std::string::String),
        Builtin::Number => quote!(f64),
        Builtin::Int | Builtin::Int64 => quote!(i64),
        Builtin::Int8 => quote!(i8),
        Builtin::Int16 => quote!(i16),
        Builtin::Int32 => quote!(i32),
        Builtin::Uint8 => quote!(u8),
        Builtin::Uint16 => quote!(u16),
        Builtin::Uint32 => quote!(u32),
        Builtin::Uint64 | Builtin::Size => quote!(u64),
        Builtin::Bool => quote!(bool),
        Builtin::Any => quote!(::serde_json::Value),
        Builtin::Null => quote!(()),
    }
}

/// Whether a value of `id` (transitively) holds a float, which rules
/// out deriving `Eq`.
pub fn holds_float(schema: &Schema, id: TypeId) -> bool {
    holds_builtin(schema, id, Builtin::Number)
}

/// Whether a value of `id` (transitively) holds a value of built-in type
/// `which`.
pub fn holds_builtin(schema: &Schema, id: TypeId, which: Builtin) -> bool {
    let mut seen = vec![false; schema.types.len()];
    let mut todo = vec![id];
    while let Some(t) = todo.pop() {
        match seen.get_mut(t.index()) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        match &schema.ty(t).kind {
            TypeKind::Builtin(b) if *b == which => return true,
            TypeKind::Builtin(_) | TypeKind::Enum(_) => {}
            TypeKind::Array { element } => todo.push(*element),
            TypeKind::Object(o) => {
                todo.extend(o.members.iter().map(|m| m.ty));
                if let Some(v) = &o.variants {
                    todo.extend(v.branches.iter().map(|b| b.ty));
                }
            }
            TypeKind::Alternate(a) => todo.extend(a.branches.iter().map(|b| b.ty)),
        }
    }
    false
}
