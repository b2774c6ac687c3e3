//! The wire form of every generated type: `FromQapi` (QEMU's input
//! visitor: members in schema order, `Parameter 'x' is missing`, type
//! errors, then leftovers as unexpected) and `IntoQapi`.

use proc_macro2::TokenStream;
use qapi_parser::schema::{AlternateType, JsonType, ObjectType, TypeId, TypeKind};
use quote::{format_ident, quote};

use super::context::Ctx;
use super::idents::bare;

impl Ctx<'_> {
    /// The marshalling impls of generated type `id`.
    pub fn marshal_item(&self, id: TypeId) -> TokenStream {
        match &self.schema.ty(id).kind {
            TypeKind::Enum(_) => self.enum_marshal(id),
            TypeKind::Object(o) => self.object_marshal(id, o),
            TypeKind::Alternate(a) => self.alternate_marshal(id, a),
            TypeKind::Builtin(_) | TypeKind::Array { .. } => TokenStream::new(),
        }
    }

    /// `Serialize` and `Deserialize` through the wire form (a macro of
    /// the support module).
    pub fn serde_impls(&self, id: TypeId) -> TokenStream {
        let name = self.type_ident(id);
        quote!(qapi_impl_serde!(#name);)
    }

    fn enum_marshal(&self, id: TypeId) -> TokenStream {
        let name = self.type_ident(id);
        quote! {
            impl qapi::FromQapi for #name {
                fn from_qapi(
                    v: ::serde_json::Value,
                    path: &qapi::Path<'_>,
                ) -> ::std::result::Result<Self, qapi::Error> {
                    let s = qapi::string(v, path)?;
                    #name::from_wire(&s).ok_or_else(|| qapi::bad_enum_value(path, &s))
                }
            }

            impl qapi::IntoQapi for #name {
                fn into_qapi(self) -> ::serde_json::Value {
                    ::serde_json::Value::String(self.as_str().into())
                }
            }
        }
    }

    fn object_marshal(&self, id: TypeId, o: &ObjectType) -> TokenStream {
        let name = self.type_ident(id);
        let fields = self.fields(id, o);
        let tag_name = o.variants.as_ref().map(|v| v.tag.name.as_str());
        let mut takes = Vec::new();
        let mut puts = Vec::new();
        for m in &o.members {
            let wire = &m.name;
            let cfg = self.member_cfg(id, m);
            let ty = self.member_type(id, m);
            let (local, access) = if Some(wire.as_str()) == tag_name {
                (format_ident!("tag__"), quote!(self.branch.tag()))
            } else {
                let Some(f) = fields.iter().find(|f| f.member.name == *wire) else {
                    continue;
                };
                let fid = &f.ident;
                (
                    format_ident!("f_{}", bare(&fid.to_string())),
                    quote!(self.#fid),
                )
            };
            let ty = if Some(wire.as_str()) == tag_name {
                self.rust_type(m.ty)
            } else {
                ty
            };
            let read = if m.optional {
                quote!(qapi::optional(members, #wire, path)?)
            } else {
                quote!(qapi::required(members, #wire, path)?)
            };
            takes.push(quote!(#cfg let #local: #ty = #read;));
            puts.push(if m.optional {
                quote!(#cfg qapi::put_optional(members, #wire, #access);)
            } else {
                quote!(#cfg qapi::put(members, #wire, #access);)
            });
        }
        let inits = fields.iter().map(|f| {
            let cfg = self.member_cfg(id, f.member);
            let fid = &f.ident;
            let local = format_ident!("f_{}", bare(&fid.to_string()));
            quote!(#cfg #fid: #local)
        });
        let (branch_take, branch_init, branch_put) = match &o.variants {
            None => (TokenStream::new(), TokenStream::new(), TokenStream::new()),
            Some(v) => self.union_branch_code(id, o, &v.tag.name, v.tag.ty),
        };
        quote! {
            impl qapi::ObjectMembers for #name {
                #[allow(unused_variables)]
                fn take_members(
                    members: &mut qapi::Map,
                    path: &qapi::Path<'_>,
                ) -> ::std::result::Result<Self, qapi::Error> {
                    #(#takes)*
                    #branch_take
                    ::std::result::Result::Ok(#name { #(#inits,)* #branch_init })
                }

                #[allow(unused_variables)]
                fn put_members(self, members: &mut qapi::Map) {
                    #(#puts)*
                    #branch_put
                }
            }

            impl qapi::FromQapi for #name {
                fn from_qapi(
                    v: ::serde_json::Value,
                    path: &qapi::Path<'_>,
                ) -> ::std::result::Result<Self, qapi::Error> {
                    qapi::from_object(v, path)
                }
            }

            impl qapi::IntoQapi for #name {
                fn into_qapi(self) -> ::serde_json::Value {
                    qapi::to_object(self)
                }
            }
        }
    }

    /// For a union: reading the branch selected by the tag, the field
    /// initialiser, and writing the branch's members.
    fn union_branch_code(
        &self,
        id: TypeId,
        o: &ObjectType,
        tag_wire: &str,
        tag_ty: TypeId,
    ) -> (TokenStream, TokenStream, TokenStream) {
        let branch_enum = self.branch_enum_ident(id);
        let tag_enum = self.type_ident(tag_ty);
        let arms = self.union_arms(id, o);
        let reads = arms.iter().map(|a| {
            let var = &a.variant;
            let cfg = &a.cfg;
            match (a.payload, a.boxed) {
                (None, _) => quote!(#cfg #tag_enum::#var => #branch_enum::#var),
                (Some(_), false) => quote! {
                    #cfg #tag_enum::#var => #branch_enum::#var(
                        qapi::ObjectMembers::take_members(members, path)?
                    )
                },
                (Some(_), true) => quote! {
                    #cfg #tag_enum::#var => #branch_enum::#var(::std::boxed::Box::new(
                        qapi::ObjectMembers::take_members(members, path)?
                    ))
                },
            }
        });
        let fallback = if arms.iter().any(|a| a.own_cond) {
            quote! {
                #[allow(unreachable_patterns)]
                _ => {
                    return ::std::result::Result::Err(qapi::bad_enum_value(
                        &qapi::Path::Member(path, #tag_wire),
                        tag__.as_str(),
                    ))
                }
            }
        } else {
            TokenStream::new()
        };
        let take = quote! {
            let branch = match tag__ {
                #(#reads,)*
                #fallback
            };
        };
        let writes = arms.iter().map(|a| {
            let var = &a.variant;
            let cfg = &a.cfg;
            match (a.payload, a.boxed) {
                (None, _) => quote!(#cfg #branch_enum::#var => {}),
                (Some(_), false) => {
                    quote!(#cfg #branch_enum::#var(b) => qapi::ObjectMembers::put_members(b, members))
                }
                (Some(_), true) => {
                    quote!(#cfg #branch_enum::#var(b) => qapi::ObjectMembers::put_members(*b, members))
                }
            }
        });
        let put = quote! {
            match self.branch { #(#writes,)* }
        };
        (take, quote!(branch), put)
    }

    fn alternate_marshal(&self, id: TypeId, a: &AlternateType) -> TokenStream {
        let name = self.type_ident(id);
        let wire_name = &self.schema.ty(id).name;
        let variants = self.alternate_variants(a);
        let reads = variants.iter().map(|(var, b)| {
            let alt_cond = self.schema.ty(id).ifcond.as_ref();
            let cfg = self.cfg_all(&[b.ifcond.as_ref(), self.extra_cond(alt_cond, b.ty)]);
            let qtype = b.json.qtype().unwrap_or("qnull");
            if b.json == JsonType::Null {
                quote!(#cfg #qtype => ::std::result::Result::Ok(#name::#var))
            } else {
                quote!(#cfg #qtype => qapi::FromQapi::from_qapi(v, path).map(#name::#var))
            }
        });
        let writes = variants.iter().map(|(var, b)| {
            let alt_cond = self.schema.ty(id).ifcond.as_ref();
            let cfg = self.cfg_all(&[b.ifcond.as_ref(), self.extra_cond(alt_cond, b.ty)]);
            if b.json == JsonType::Null {
                quote!(#cfg #name::#var => ::serde_json::Value::Null)
            } else {
                quote!(#cfg #name::#var(x) => qapi::IntoQapi::into_qapi(x))
            }
        });
        quote! {
            impl qapi::FromQapi for #name {
                fn from_qapi(
                    v: ::serde_json::Value,
                    path: &qapi::Path<'_>,
                ) -> ::std::result::Result<Self, qapi::Error> {
                    match qapi::qtype(&v) {
                        #(#reads,)*
                        _ => ::std::result::Result::Err(qapi::bad_alternate(path, #wire_name)),
                    }
                }
            }

            impl qapi::IntoQapi for #name {
                fn into_qapi(self) -> ::serde_json::Value {
                    match self { #(#writes,)* }
                }
            }
        }
    }
}
