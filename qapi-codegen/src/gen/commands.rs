//! Commands: the `Request` and `Response` enums (the wire form of
//! arguments and return values) and the registry. The server side is in
//! `server.rs`, the client in `client.rs`.

use proc_macro2::{Ident, TokenStream};
use qapi_parser::schema::{Command, Feature};
use quote::quote;

use super::context::Ctx;
use super::idents::ident;
use crate::names::{self, Namespace};

/// Method names the trait and the client have besides the commands'.
const FIXED_METHODS: &[&str] = &[
    "gate",
    "new",
    "into_inner",
    "connection",
    "sync_delimited",
    "call",
];

/// One generated command, named.
#[derive(Debug)]
pub struct Cmd<'a> {
    /// The command.
    pub cmd: &'a Command,
    /// Its variant in `Request` and `Response`.
    pub variant: Ident,
    /// Its method in the trait and the client.
    pub method: Ident,
    /// Its `#[cfg]`.
    pub cfg: TokenStream,
    /// `gen: false`: the arguments and the return value stay raw JSON.
    pub manual: bool,
}

impl Ctx<'_> {
    /// Every command, named.
    pub fn cmds(&self) -> Vec<Cmd<'_>> {
        let mut variants = Namespace::new();
        let mut methods = Namespace::with_reserved(FIXED_METHODS.iter().copied());
        self.schema
            .commands
            .iter()
            .map(|c| Cmd {
                manual: !c.gen,
                cmd: c,
                variant: ident(&variants.claim(&c.name, names::variant_name(&c.name))),
                method: ident(&methods.claim(&c.name, names::method_name(&c.name))),
                cfg: self.cfg_all(&[
                    c.ifcond.as_ref(),
                    c.arg_type
                        .and_then(|t| self.extra_cond(c.ifcond.as_ref(), t)),
                    c.ret_type
                        .and_then(|t| self.extra_cond(c.ifcond.as_ref(), t)),
                ]),
            })
            .collect()
    }

    /// Everything about commands, or nothing when the schema has none.
    pub fn commands_items(&self) -> TokenStream {
        let cmds = self.cmds();
        if cmds.is_empty() {
            return TokenStream::new();
        }
        let request = self.request_enum(&cmds);
        let response = self.response_enum(&cmds);
        let registry = self.registry(&cmds);
        let server = if self.opts.server {
            self.server_items(&cmds)
        } else {
            TokenStream::new()
        };
        let client = if self.opts.client {
            self.client_items(&cmds)
        } else {
            TokenStream::new()
        };
        quote!(#request #response #registry #server #client)
    }

    fn request_enum(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let defs = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            let doc = format!(" `{}`.", c.cmd.name);
            if c.manual {
                return quote!(#[doc = #doc] #cfg #var(qapi::Map));
            }
            match c.cmd.arg_type {
                None => quote!(#[doc = #doc] #cfg #var),
                Some(t) => {
                    let ty = self.rust_type(t);
                    quote!(#[doc = #doc] #cfg #var(#ty))
                }
            }
        });
        let names = cmds.iter().map(|c| {
            let (var, cfg, wire) = (&c.variant, &c.cfg, &c.cmd.name);
            match c.cmd.arg_type {
                None if !c.manual => quote!(#cfg Request::#var => #wire),
                _ => quote!(#cfg Request::#var(..) => #wire),
            }
        });
        let parse = cmds.iter().map(|c| {
            let (var, cfg, wire) = (&c.variant, &c.cfg, &c.cmd.name);
            if c.manual {
                return quote!(#cfg #wire => Request::#var(::std::mem::take(&mut members)));
            }
            match c.cmd.arg_type {
                None => quote!(#cfg #wire => Request::#var),
                Some(_) => quote! {
                    #cfg #wire => Request::#var(qapi::ObjectMembers::take_members(&mut members, &root)?)
                },
            }
        });
        let write = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            if c.manual {
                return quote!(#cfg Request::#var(a) => members.extend(a));
            }
            match c.cmd.arg_type {
                None => quote!(#cfg Request::#var => {}),
                Some(_) => quote!(#cfg Request::#var(a) => qapi::ObjectMembers::put_members(a, &mut members)),
            }
        });
        quote! {
            /// A command call: which command, with its arguments.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(deprecated, clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum Request { #(#defs,)* }

            #[allow(deprecated)]
            impl Request {
                /// The command's wire name.
                pub fn name(&self) -> &'static str {
                    match self { #(#names,)* }
                }

                /// Read a call of command `name` with `arguments` (absent
                /// arguments are an empty object), with QEMU's errors: an
                /// unknown command, then the arguments in schema order,
                /// then any argument left over.
                #[allow(unreachable_code, unused_mut)]
                pub fn from_qapi(
                    name: &str,
                    arguments: ::std::option::Option<qapi::Map>,
                ) -> ::std::result::Result<Request, qapi::Error> {
                    let mut members = arguments.unwrap_or_default();
                    let root = qapi::Path::Root;
                    let request = match name {
                        #(#parse,)*
                        _ => return ::std::result::Result::Err(qapi::Error::command_not_found(name)),
                    };
                    qapi::check_no_more(&members, &root)?;
                    ::std::result::Result::Ok(request)
                }

                /// The arguments object.
                #[allow(unused_mut)]
                pub fn into_qapi(self) -> qapi::Map {
                    let mut members = qapi::Map::new();
                    match self { #(#write,)* }
                    members
                }
            }
        }
    }

    fn response_enum(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let defs = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            let doc = format!(" What `{}` returns.", c.cmd.name);
            if c.manual {
                return quote!(#[doc = #doc] #cfg #var(::serde_json::Value));
            }
            match c.cmd.ret_type {
                None => quote!(#[doc = #doc] #cfg #var),
                Some(t) => {
                    let ty = self.rust_type(t);
                    quote!(#[doc = #doc] #cfg #var(#ty))
                }
            }
        });
        let names = cmds.iter().map(|c| {
            let (var, cfg, wire) = (&c.variant, &c.cfg, &c.cmd.name);
            match c.cmd.ret_type {
                None if !c.manual => quote!(#cfg Response::#var => #wire),
                _ => quote!(#cfg Response::#var(..) => #wire),
            }
        });
        let parse = cmds.iter().map(|c| {
            let (var, cfg, wire) = (&c.variant, &c.cfg, &c.cmd.name);
            if c.manual {
                return quote!(#cfg #wire => ::std::result::Result::Ok(Response::#var(value)));
            }
            match c.cmd.ret_type {
                None => quote!(#cfg #wire => qapi::object(value, &root).map(|_| Response::#var)),
                Some(_) => quote!(#cfg #wire => qapi::FromQapi::from_qapi(value, &root).map(Response::#var)),
            }
        });
        let write = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            if c.manual {
                return quote!(#cfg Response::#var(v) => v);
            }
            match c.cmd.ret_type {
                None => {
                    quote!(#cfg Response::#var => ::serde_json::Value::Object(qapi::Map::new()))
                }
                Some(_) => quote!(#cfg Response::#var(r) => qapi::IntoQapi::into_qapi(r)),
            }
        });
        let silent = cmds.iter().filter(|c| !c.cmd.success_response).map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            match c.cmd.ret_type {
                None if !c.manual => quote!(#cfg Response::#var => false),
                _ => quote!(#cfg Response::#var(..) => false),
            }
        });
        quote! {
            /// What a command returned.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(deprecated, clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum Response { #(#defs,)* }

            #[allow(deprecated)]
            impl Response {
                /// The command's wire name.
                pub fn name(&self) -> &'static str {
                    match self { #(#names,)* }
                }

                /// Read the `return` value of command `name`.
                pub fn from_qapi(
                    name: &str,
                    value: ::serde_json::Value,
                ) -> ::std::result::Result<Response, qapi::Error> {
                    let root = qapi::Path::Root;
                    match name {
                        #(#parse,)*
                        _ => ::std::result::Result::Err(qapi::Error::command_not_found(name)),
                    }
                }

                /// The `return` value (an empty object for commands that
                /// return nothing).
                pub fn into_qapi(self) -> ::serde_json::Value {
                    match self { #(#write,)* }
                }

                /// Whether a successful call gets a reply.
                pub fn has_reply(&self) -> bool {
                    #[allow(
                        clippy::match_single_binding,
                        clippy::match_like_matches_macro,
                        unreachable_patterns
                    )]
                    match self {
                        #(#silent,)*
                        _ => true,
                    }
                }
            }
        }
    }

    /// `&[...]` of feature names, each under its condition.
    pub fn feature_list(&self, features: &[Feature]) -> TokenStream {
        let items = features.iter().map(|f| {
            let cfg = self.cfg(f.ifcond.as_ref());
            let n = &f.name;
            quote!(#cfg #n)
        });
        quote!(&[#(#items),*])
    }

    /// Whether `features` has feature `name` (unconditionally: a
    /// conditional `deprecated` is not marked).
    pub fn has_feature(&self, features: &[Feature], name: &str) -> bool {
        features
            .iter()
            .any(|f| f.name == name && f.ifcond.is_none())
    }

    fn registry(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let entries = cmds.iter().map(|c| {
            let cmd = c.cmd;
            let cfg = &c.cfg;
            let name = &cmd.name;
            let (sr, oob, pre, co) = (
                cmd.success_response,
                cmd.allow_oob,
                cmd.allow_preconfig,
                cmd.coroutine,
            );
            let features = self.feature_list(&cmd.features);
            let deprecated = self.has_feature(&cmd.features, "deprecated");
            let unstable = self.has_feature(&cmd.features, "unstable");
            quote! {
                #cfg qapi::CommandInfo {
                    name: #name,
                    success_response: #sr,
                    allow_oob: #oob,
                    allow_preconfig: #pre,
                    coroutine: #co,
                    features: #features,
                    deprecated: #deprecated,
                    unstable: #unstable,
                }
            }
        });
        quote! {
            /// Every command, in schema order.
            pub const COMMANDS: &[qapi::CommandInfo] = &[#(#entries),*];

            /// The registration of command `name`.
            pub fn command_info(name: &str) -> ::std::option::Option<&'static qapi::CommandInfo> {
                COMMANDS.iter().find(|c| c.name == name)
            }
        }
    }
}
