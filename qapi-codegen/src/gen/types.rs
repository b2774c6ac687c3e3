//! Type definitions: enums, structs, unions (a struct plus a branch enum)
//! and alternates.

use proc_macro2::{Delimiter, Ident, TokenStream, TokenTree};
use qapi_parser::schema::{
    AlternateType, Builtin, EnumType, EnumValue, JsonType, ObjectType, TypeId, TypeKind,
};
use quote::quote;

use super::context::{holds_builtin, holds_float, Ctx, Q_EMPTY};
use super::idents::ident;
use crate::names::{self, Namespace};

/// A member of a generated struct.
#[derive(Debug)]
pub struct Field<'a> {
    /// The Rust field name.
    pub ident: Ident,
    /// The schema member.
    pub member: &'a qapi_parser::schema::Member,
}

/// A branch of a union's branch enum.
#[derive(Debug)]
pub struct UnionArm {
    /// The variant (the same as the tag enum's).
    pub variant: Ident,
    /// The wire value of the tag.
    pub tag_value: String,
    /// The payload type, `None` for a branch without members.
    pub payload: Option<TypeId>,
    /// Whether the payload is boxed.
    pub boxed: bool,
    /// `#[cfg]` of the branch (its tag value's and its own condition).
    pub cfg: TokenStream,
    /// The branch has a condition of its own.
    pub own_cond: bool,
}

impl<'a> Ctx<'a> {
    /// The Rust variant names of enum `e`, in value order.
    pub fn enum_variants<'e>(&self, e: &'e EnumType) -> Vec<(Ident, &'e EnumValue)> {
        let mut ns = Namespace::new();
        e.values
            .iter()
            .map(|v| (ident(&ns.claim(&v.name, names::variant_name(&v.name))), v))
            .collect()
    }

    /// The Rust fields of object `id`, in member order (the tag of a
    /// union is not a field: the branch enum carries it).
    pub fn fields(&self, id: TypeId, o: &'a ObjectType) -> Vec<Field<'a>> {
        let mut ns = Namespace::new();
        if o.is_union() {
            ns.claim("", "branch".to_string());
        }
        let tag = o.variants.as_ref().map(|v| v.tag.name.as_str());
        let _ = id;
        o.members
            .iter()
            .filter(|m| Some(m.name.as_str()) != tag)
            .map(|m| Field {
                ident: ident(&ns.claim(&m.name, names::field_name(&m.name))),
                member: m,
            })
            .collect()
    }

    /// The arms of union `id`'s branch enum.
    pub fn union_arms(&self, id: TypeId, o: &ObjectType) -> Vec<UnionArm> {
        let Some(v) = &o.variants else {
            return Vec::new();
        };
        let Some(tag_enum) = self.schema.ty(v.tag.ty).as_enum() else {
            return Vec::new();
        };
        let variants = self.enum_variants(tag_enum);
        let union_cond = self.schema.ty(id).ifcond.as_ref();
        v.branches
            .iter()
            .filter_map(|b| {
                let (variant, value) = variants.iter().find(|(_, ev)| ev.name == b.name)?;
                let empty = self.schema.ty(b.ty).name == Q_EMPTY;
                Some(UnionArm {
                    variant: variant.clone(),
                    tag_value: b.name.clone(),
                    payload: (!empty).then_some(b.ty),
                    boxed: !empty && self.components.needs_box(id, b.ty),
                    cfg: self.cfg_all(&[
                        value.ifcond.as_ref(),
                        b.ifcond.as_ref(),
                        self.extra_cond(union_cond, b.ty),
                    ]),
                    own_cond: [b.ifcond.as_ref(), self.extra_cond(union_cond, b.ty)]
                        .into_iter()
                        .flatten()
                        .any(|c| Some(c) != value.ifcond.as_ref()),
                })
            })
            .collect()
    }

    /// The Rust variant names of alternate `a`'s branches.
    pub fn alternate_variants<'b>(
        &self,
        a: &'b AlternateType,
    ) -> Vec<(Ident, &'b qapi_parser::schema::AltBranch)> {
        let mut ns = Namespace::new();
        a.branches
            .iter()
            .map(|b| (ident(&ns.claim(&b.name, names::variant_name(&b.name))), b))
            .collect()
    }

    /// The definition of generated type `id` with its marshalling.
    pub fn type_item(&self, id: TypeId) -> TokenStream {
        let ty = self.schema.ty(id);
        let def = match &ty.kind {
            TypeKind::Enum(e) => self.enum_def(id, e),
            TypeKind::Object(o) => self.object_def(id, o),
            TypeKind::Alternate(a) => self.alternate_def(id, a),
            TypeKind::Builtin(_) | TypeKind::Array { .. } => return TokenStream::new(),
        };
        let marshal = self.marshal_item(id);
        let cfg = self.cfg(ty.ifcond.as_ref());
        // Every item of the type carries the type's condition.
        let prefix = quote!(#cfg #[allow(deprecated)]);
        let mut out = TokenStream::new();
        for item in [def, marshal] {
            prefix_items(item, &prefix, &mut out);
        }
        if self.opts.serde {
            let serde = self.serde_impls(id);
            out.extend(quote!(#cfg #serde));
        }
        out
    }

    fn type_doc_attrs(&self, id: TypeId, what: &str) -> TokenStream {
        let ty = self.schema.ty(id);
        let doc = self.definition_doc(self.type_doc(id), &ty.name, what, &ty.features);
        let deprecated = self.deprecated_attr(&ty.features);
        quote!(#doc #deprecated)
    }

    fn enum_def(&self, id: TypeId, e: &EnumType) -> TokenStream {
        let name = self.type_ident(id);
        let doc = self.type_doc_attrs(id, "enum");
        let block = self.type_doc(id);
        let variants = self.enum_variants(e);
        let defs = variants.iter().map(|(v, ev)| {
            let cfg = self.cfg(ev.ifcond.as_ref());
            let doc = self.member_doc(block, &ev.name, &format!("`{}`", ev.name), &ev.features);
            let deprecated = self.deprecated_attr(&ev.features);
            quote!(#doc #deprecated #cfg #v)
        });
        let all = variants.iter().map(|(v, ev)| {
            let cfg = self.cfg(ev.ifcond.as_ref());
            quote!(#cfg #name::#v)
        });
        let as_str = variants.iter().map(|(v, ev)| {
            let cfg = self.cfg(ev.ifcond.as_ref());
            let wire = &ev.name;
            quote!(#cfg #name::#v => #wire)
        });
        let enum_derives = self.enum_derives();
        let from = variants.iter().map(|(v, ev)| {
            let cfg = self.cfg(ev.ifcond.as_ref());
            let wire = &ev.name;
            quote!(#cfg #wire => ::std::option::Option::Some(#name::#v))
        });
        quote! {
            #doc
            #enum_derives
            #[allow(clippy::enum_variant_names, clippy::upper_case_acronyms)]
            pub enum #name { #(#defs,)* }

            impl #name {
                /// Every value, in schema order.
                pub const ALL: &'static [#name] = &[#(#all),*];

                /// The value as sent on the wire.
                pub fn as_str(self) -> &'static str {
                    match self { #(#as_str,)* }
                }

                /// The value sent on the wire as `wire`.
                #[allow(clippy::match_single_binding)]
                pub fn from_wire(wire: &str) -> ::std::option::Option<#name> {
                    match wire {
                        #(#from,)*
                        _ => ::std::option::Option::None,
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        }
    }

    /// The derives of the struct or enum generated for `id` (`branch`:
    /// a union's branch enum): the standard ones, then the extra ones
    /// asked for that are valid for it.
    fn derives(&self, id: TypeId, branch: bool) -> TokenStream {
        let float = holds_float(self.schema, id);
        let any = holds_builtin(self.schema, id, Builtin::Any);
        let mut list: Vec<&str> = vec!["Debug", "Clone", "PartialEq"];
        if !float {
            list.push("Eq");
        }
        let ty = self.schema.ty(id);
        let plain_struct = !branch && ty.as_object().is_some_and(|o| !o.is_union());
        for extra in &self.opts.derives {
            let last = extra.rsplit("::").next().unwrap_or(extra).trim();
            let valid = match last {
                "Eq" => !float,
                "Hash" | "Ord" => !float && !any,
                "PartialOrd" => !any,
                "Default" => plain_struct && self.defaultable(id),
                "Copy" => false,
                _ => true,
            };
            if valid && !list.iter().any(|d| d.rsplit("::").next() == Some(last)) {
                list.push(extra.as_str());
            }
        }
        self.derive_attr(&list)
    }

    /// `#[derive(...)]` of `list`; a path that does not parse is left out
    /// (the builder checks them).
    fn derive_attr(&self, list: &[&str]) -> TokenStream {
        let paths = list
            .iter()
            .filter_map(|d| syn::parse_str::<syn::Path>(d).ok());
        quote!(#[derive(#(#paths),*)])
    }

    /// Whether every member of struct `id` has a `Default`: optional, or
    /// a built-in or array type.
    fn defaultable(&self, id: TypeId) -> bool {
        let Some(o) = self.schema.ty(id).as_object() else {
            return false;
        };
        o.members.iter().all(|m| {
            m.optional
                || matches!(
                    self.schema.ty(m.ty).kind,
                    TypeKind::Builtin(_) | TypeKind::Array { .. }
                )
        })
    }

    /// The derives of a simple enum, with the valid extra ones.
    fn enum_derives(&self) -> TokenStream {
        let mut list: Vec<&str> = vec![
            "Debug",
            "Clone",
            "Copy",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ];
        for extra in &self.opts.derives {
            let last = extra.rsplit("::").next().unwrap_or(extra).trim();
            if last != "Default" && !list.contains(&last) {
                list.push(extra.as_str());
            }
        }
        self.derive_attr(&list)
    }

    fn object_def(&self, id: TypeId, o: &ObjectType) -> TokenStream {
        let name = self.type_ident(id);
        let what = if o.is_union() { "union" } else { "struct" };
        let doc = self.type_doc_attrs(id, what);
        let derives = self.derives(id, false);
        let fields = self.fields(id, o).into_iter().map(|f| {
            let m = f.member;
            let doc = self.member_doc(
                self.type_doc(m.owner),
                &m.name,
                &format!("Member `{}`.", m.name),
                &m.features,
            );
            let deprecated = self.deprecated_attr(&m.features);
            let cfg = self.member_cfg(id, m);
            let ty = self.member_type(id, m);
            let fname = f.ident;
            quote!(#doc #deprecated #cfg pub #fname: #ty)
        });
        let mut fields: Vec<TokenStream> = fields.collect();
        let mut extra = TokenStream::new();
        if let Some(v) = &o.variants {
            let branch = self.branch_enum_ident(id);
            let tag = &v.tag.name;
            let doc = format!(" The branch, which also gives member `{tag}`.");
            fields.push(quote!(#[doc = #doc] pub branch: #branch));
            extra = self.branch_enum_def(id, o);
        }
        quote! {
            #doc
            #derives
            pub struct #name { #(#fields,)* }
            #extra
        }
    }

    fn branch_enum_def(&self, id: TypeId, o: &ObjectType) -> TokenStream {
        let Some(v) = &o.variants else {
            return TokenStream::new();
        };
        let union = &self.schema.ty(id).name;
        let name = self.branch_enum_ident(id);
        let tag_ty = self.type_ident(v.tag.ty);
        let derives = self.derives(id, true);
        let arms = self.union_arms(id, o);
        let block = self.type_doc(id);
        let defs = arms.iter().map(|a| {
            let var = &a.variant;
            let cfg = &a.cfg;
            let doc = self.member_doc(
                block,
                &a.tag_value,
                &format!("Branch `{}`.", a.tag_value),
                &[],
            );
            match a.payload {
                None => quote!(#doc #cfg #var),
                Some(p) => {
                    let t = self.rust_type(p);
                    if a.boxed {
                        quote!(#doc #cfg #var(::std::boxed::Box<#t>))
                    } else {
                        quote!(#doc #cfg #var(#t))
                    }
                }
            }
        });
        let tags = arms.iter().map(|a| {
            let var = &a.variant;
            let cfg = &a.cfg;
            match a.payload {
                None => quote!(#cfg #name::#var => #tag_ty::#var),
                Some(_) => quote!(#cfg #name::#var(..) => #tag_ty::#var),
            }
        });
        let doc = format!(" The branches of union `{union}`.");
        quote! {
            #[doc = #doc]
            #derives
            #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum #name { #(#defs,)* }

            impl #name {
                /// The tag value that selects this branch.
                pub fn tag(&self) -> #tag_ty {
                    match self { #(#tags,)* }
                }
            }
        }
    }

    fn alternate_def(&self, id: TypeId, a: &AlternateType) -> TokenStream {
        let name = self.type_ident(id);
        let doc = self.type_doc_attrs(id, "alternate");
        let derives = self.derives(id, false);
        let block = self.type_doc(id);
        let defs = self.alternate_variants(a).into_iter().map(|(var, b)| {
            let alt_cond = self.schema.ty(id).ifcond.as_ref();
            let cfg = self.cfg_all(&[b.ifcond.as_ref(), self.extra_cond(alt_cond, b.ty)]);
            let doc = self.member_doc(block, &b.name, &format!("Branch `{}`.", b.name), &[]);
            if b.json == JsonType::Null {
                quote!(#doc #cfg #var)
            } else {
                let t = self.held_type(id, b.ty);
                quote!(#doc #cfg #var(#t))
            }
        });
        quote! {
            #doc
            #derives
            #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum #name { #(#defs,)* }
        }
    }
}

/// Put `prefix` in front of every item of `items`, appending to `out`.
///
/// The items are the generator's own, so they are split without a full
/// parse: a top-level item ends with a `{...}` body or a `;`.
fn prefix_items(items: TokenStream, prefix: &TokenStream, out: &mut TokenStream) {
    let mut current = TokenStream::new();
    for tt in items {
        let ends = match &tt {
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        current.extend(std::iter::once(tt));
        if ends {
            out.extend(prefix.clone());
            out.extend(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.extend(prefix.clone());
        out.extend(current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_prefix() {
        let items = quote! {
            #[derive(Debug)] pub struct A { x: i32 }
            impl<'de> T<'de> for A { fn f() {} }
            pub struct B(i32);
        };
        let mut out = TokenStream::new();
        prefix_items(items, &quote!(#[cfg(unix)]), &mut out);
        let text = out.to_string();
        assert_eq!(text.matches("# [cfg (unix)]").count(), 3, "{text}");
        assert!(text.starts_with("# [cfg (unix)] # [derive (Debug)] pub struct A"));
    }
}
