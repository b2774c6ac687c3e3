//! Events: one `Event` enum with the data of each, and the registry.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Ctx;
use super::idents::ident;
use crate::names::{self, Namespace};

impl Ctx<'_> {
    /// Everything about events, or nothing when the schema has none.
    pub fn events_items(&self) -> TokenStream {
        if self.schema.events.is_empty() {
            return TokenStream::new();
        }
        let mut ns = Namespace::new();
        let evs: Vec<_> = self
            .schema
            .events
            .iter()
            .map(|e| {
                let var = ident(&ns.claim(&e.name, names::variant_name(&e.name)));
                let cfg = self.cfg_all(&[
                    e.ifcond.as_ref(),
                    e.arg_type
                        .and_then(|t| self.extra_cond(e.ifcond.as_ref(), t)),
                ]);
                (e, var, cfg)
            })
            .collect();
        let defs = evs.iter().map(|(e, var, cfg)| {
            let doc = self.definition_doc(
                e.doc.map(|d| self.schema.doc(d)),
                &e.name,
                "event",
                &e.features,
            );
            let deprecated = self.deprecated_attr(&e.features);
            match e.arg_type {
                None => quote!(#doc #deprecated #cfg #var),
                Some(t) => {
                    let ty = self.rust_type(t);
                    quote!(#doc #deprecated #cfg #var(#ty))
                }
            }
        });
        let names = evs.iter().map(|(e, var, cfg)| {
            let wire = &e.name;
            match e.arg_type {
                None => quote!(#cfg Event::#var => #wire),
                Some(_) => quote!(#cfg Event::#var(..) => #wire),
            }
        });
        let parse = evs.iter().map(|(e, var, cfg)| {
            let wire = &e.name;
            match e.arg_type {
                None => quote! {
                    #cfg #wire => {
                        if let ::std::option::Option::Some(d) = data {
                            qapi::check_no_more(&qapi::object(d, &root)?, &root)?;
                        }
                        ::std::result::Result::Ok(Event::#var)
                    }
                },
                Some(_) => quote! {
                    #cfg #wire => {
                        let d = data.unwrap_or_else(|| ::serde_json::Value::Object(qapi::Map::new()));
                        qapi::FromQapi::from_qapi(d, &root).map(Event::#var)
                    }
                },
            }
        });
        let write = evs.iter().map(|(e, var, cfg)| match e.arg_type {
            None => quote!(#cfg Event::#var => ::std::option::Option::None),
            Some(_) => {
                quote!(#cfg Event::#var(d) => ::std::option::Option::Some(qapi::IntoQapi::into_qapi(d)))
            }
        });
        let infos = evs.iter().map(|(e, _, cfg)| {
            let wire = &e.name;
            let features = self.feature_list(&e.features);
            let deprecated = self.has_feature(&e.features, "deprecated");
            let unstable = self.has_feature(&e.features, "unstable");
            quote! {
                #cfg qapi::EventInfo {
                    name: #wire,
                    features: #features,
                    deprecated: #deprecated,
                    unstable: #unstable,
                }
            }
        });
        quote! {
            /// An event, with its data.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(
                deprecated,
                clippy::large_enum_variant,
                clippy::enum_variant_names,
                clippy::upper_case_acronyms
            )]
            pub enum Event { #(#defs,)* }

            #[allow(deprecated)]
            impl Event {
                /// The event's wire name.
                pub fn name(&self) -> &'static str {
                    match self { #(#names,)* }
                }

                /// Read event `name` with its `data` member.
                pub fn from_qapi(
                    name: &str,
                    data: ::std::option::Option<::serde_json::Value>,
                ) -> ::std::result::Result<Event, qapi::Error> {
                    let root = qapi::Path::Root;
                    match name {
                        #(#parse,)*
                        _ => ::std::result::Result::Err(qapi::Error::generic(
                            ::std::format!("unknown event '{name}'"),
                        )),
                    }
                }

                /// The `data` member, for events that have one.
                pub fn into_qapi(self) -> ::std::option::Option<::serde_json::Value> {
                    match self { #(#write,)* }
                }
            }

            /// Every event, in schema order.
            pub const EVENTS: &[qapi::EventInfo] = &[#(#infos),*];
        }
    }
}
