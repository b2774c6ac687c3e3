//! Commands: the `Request` and `Response` enums (the wire form of
//! arguments and return values), the server trait, the dispatcher and the
//! registry.

use proc_macro2::{Ident, TokenStream};
use qapi_parser::schema::{Command, Feature, TypeId};
use quote::quote;

use super::context::Ctx;
use super::idents::ident;
use crate::names::{self, Namespace};

/// One generated command, named.
#[derive(Debug)]
struct Cmd<'a> {
    cmd: &'a Command,
    variant: Ident,
    method: Ident,
    cfg: TokenStream,
}

impl Ctx<'_> {
    fn cmds(&self) -> Vec<Cmd<'_>> {
        let mut variants = Namespace::new();
        let mut methods = Namespace::new();
        self.schema
            .commands
            .iter()
            .filter(|c| c.gen)
            .map(|c| Cmd {
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
        if cmds.is_empty() && self.schema.commands.is_empty() {
            return TokenStream::new();
        }
        let request = self.request_enum(&cmds);
        let response = self.response_enum(&cmds);
        let server = self.server_trait(&cmds);
        let registry = self.registry(&cmds);
        quote!(#request #response #server #registry)
    }

    fn request_enum(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let defs = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            let doc = format!(" `{}`.", c.cmd.name);
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
                None => quote!(#cfg Request::#var => #wire),
                Some(_) => quote!(#cfg Request::#var(..) => #wire),
            }
        });
        let parse = cmds.iter().map(|c| {
            let (var, cfg, wire) = (&c.variant, &c.cfg, &c.cmd.name);
            match c.cmd.arg_type {
                None => quote!(#cfg #wire => Request::#var),
                Some(_) => quote! {
                    #cfg #wire => Request::#var(qapi::ObjectMembers::take_members(&mut members, &root)?)
                },
            }
        });
        let write = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
            match c.cmd.arg_type {
                None => quote!(#cfg Request::#var => {}),
                Some(_) => quote!(#cfg Request::#var(a) => qapi::ObjectMembers::put_members(a, &mut members)),
            }
        });
        quote! {
            /// A command call: which command, with its arguments.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum Request { #(#defs,)* }

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
                None => quote!(#cfg Response::#var => #wire),
                Some(_) => quote!(#cfg Response::#var(..) => #wire),
            }
        });
        let parse = cmds.iter().map(|c| {
            let (var, cfg, wire) = (&c.variant, &c.cfg, &c.cmd.name);
            match c.cmd.ret_type {
                None => quote!(#cfg #wire => qapi::object(value, &root).map(|_| Response::#var)),
                Some(_) => quote!(#cfg #wire => qapi::FromQapi::from_qapi(value, &root).map(Response::#var)),
            }
        });
        let write = cmds.iter().map(|c| {
            let (var, cfg) = (&c.variant, &c.cfg);
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
                None => quote!(#cfg Response::#var => false),
                Some(_) => quote!(#cfg Response::#var(..) => false),
            }
        });
        quote! {
            /// What a command returned.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum Response { #(#defs,)* }

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

    /// The parameters of a command method: one per argument, or the whole
    /// argument object when boxed.
    fn params(&self, c: &Command) -> Vec<(TokenStream, Ident, TokenStream)> {
        let Some(arg) = c.arg_type else {
            return Vec::new();
        };
        if c.boxed {
            return vec![(TokenStream::new(), ident("arguments"), self.rust_type(arg))];
        }
        let Some(o) = self.schema.ty(arg).as_object() else {
            return Vec::new();
        };
        self.fields(arg, o)
            .into_iter()
            .map(|f| {
                let cfg = self.member_cfg(arg, f.member);
                let ty = self.member_type(arg, f.member);
                (cfg, f.ident, ty)
            })
            .collect()
    }

    fn ret_type(&self, ret: Option<TypeId>) -> TokenStream {
        match ret {
            None => quote!(()),
            Some(t) => self.rust_type(t),
        }
    }

    fn server_trait(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let trait_name = ident(&self.opts.trait_name);
        let methods = cmds.iter().map(|c| {
            let params = self.params(c.cmd);
            let decls = params.iter().map(|(cfg, n, t)| quote!(#cfg #n: #t));
            let ret = self.ret_type(c.cmd.ret_type);
            let method = &c.method;
            let cfg = &c.cfg;
            let doc = self.definition_doc(
                c.cmd.doc.map(|d| self.schema.doc(d)),
                &format!("Command `{}`.", c.cmd.name),
                &c.cmd.features,
            );
            let body = if self.opts.default_unsupported {
                let uses = params.iter().map(|(cfg, n, _)| quote!(#cfg let _ = #n;));
                quote!({
                    #(#uses)*
                    ::std::result::Result::Err(qapi::Error::unsupported())
                })
            } else {
                quote!(;)
            };
            quote! {
                #doc
                #cfg
                fn #method(&mut self, #(#decls),*) -> ::std::result::Result<#ret, qapi::Error> #body
            }
        });
        let calls = cmds.iter().map(|c| {
            let (var, cfg, method) = (&c.variant, &c.cfg, &c.method);
            let wrap = match c.cmd.ret_type {
                None => quote!(.map(|()| Response::#var)),
                Some(_) => quote!(.map(Response::#var)),
            };
            match c.cmd.arg_type {
                None => quote!(#cfg Request::#var => server.#method() #wrap),
                Some(_) if c.cmd.boxed => quote!(#cfg Request::#var(a) => server.#method(a) #wrap),
                Some(_) => {
                    let args = self
                        .params(c.cmd)
                        .into_iter()
                        .map(|(cfg, n, _)| quote!(#cfg a.#n));
                    quote!(#cfg Request::#var(a) => server.#method(#(#args),*) #wrap)
                }
            }
        });
        let trait_doc = if self.opts.default_unsupported {
            " The commands of the schema, one method each. Every method has a default\n body that fails as unsupported; implement the ones you support."
        } else {
            " The commands of the schema, one method each."
        };
        quote! {
            #[doc = #trait_doc]
            #[allow(clippy::too_many_arguments)]
            pub trait #trait_name {
                #(#methods)*
            }

            /// Run `request` on `server`.
            pub fn dispatch<S: #trait_name + ?::std::marker::Sized>(
                server: &mut S,
                request: Request,
            ) -> ::std::result::Result<Response, qapi::Error> {
                match request { #(#calls,)* }
            }

            /// Read, run and answer a call of command `name`: `Ok(None)` when
            /// the command sends no reply on success, otherwise the `return`
            /// value or the error.
            pub fn execute<S: #trait_name + ?::std::marker::Sized>(
                server: &mut S,
                name: &str,
                arguments: ::std::option::Option<qapi::Map>,
            ) -> ::std::result::Result<::std::option::Option<::serde_json::Value>, qapi::Error> {
                let request = Request::from_qapi(name, arguments)?;
                let response = dispatch(server, request)?;
                ::std::result::Result::Ok(response.has_reply().then(|| response.into_qapi()))
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
            quote! {
                #cfg qapi::CommandInfo {
                    name: #name,
                    success_response: #sr,
                    allow_oob: #oob,
                    allow_preconfig: #pre,
                    coroutine: #co,
                    features: #features,
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
