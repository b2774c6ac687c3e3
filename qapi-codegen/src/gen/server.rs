//! The server side of commands: the trait (one `&self` method per command
//! and the `gate` hook), the dispatcher, and the request handler.

use proc_macro2::{Ident, TokenStream};
use qapi_parser::schema::Command;
use quote::quote;

use super::commands::Cmd;
use super::context::Ctx;
use super::idents::ident;

/// One parameter of a command method: its `#[cfg]`, name and type.
pub type Param = (TokenStream, Ident, TokenStream);

impl Ctx<'_> {
    /// The parameters of a command method: one per argument, the whole
    /// argument object when boxed, the raw arguments for `gen: false`.
    pub fn params(&self, c: &Cmd<'_>) -> Vec<Param> {
        if c.manual {
            return vec![(TokenStream::new(), ident("arguments"), quote!(qapi::Map))];
        }
        self.command_params(c.cmd)
    }

    fn command_params(&self, c: &Command) -> Vec<Param> {
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

    /// The Rust type a command method returns on success.
    pub fn ret_type(&self, c: &Cmd<'_>) -> TokenStream {
        if c.manual {
            return quote!(::serde_json::Value);
        }
        match c.cmd.ret_type {
            None => quote!(()),
            Some(t) => self.rust_type(t),
        }
    }

    fn trait_method(&self, c: &Cmd<'_>) -> TokenStream {
        let params = self.params(c);
        let decls = params.iter().map(|(cfg, n, t)| quote!(#cfg #n: #t));
        let ret = self.ret_type(c);
        let method = &c.method;
        let cfg = &c.cfg;
        let doc = self.definition_doc(
            c.cmd.doc.map(|d| self.schema.doc(d)),
            &c.cmd.name,
            "command",
            &c.cmd.features,
        );
        let deprecated = self.deprecated_attr(&c.cmd.features);
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
            #deprecated
            #cfg
            fn #method(&self, #(#decls),*) -> ::std::result::Result<#ret, qapi::Error> #body
        }
    }

    fn dispatch_arm(&self, c: &Cmd<'_>) -> TokenStream {
        let (var, cfg, method) = (&c.variant, &c.cfg, &c.method);
        let wrap = match c.cmd.ret_type {
            None if !c.manual => quote!(.map(|()| Response::#var)),
            _ => quote!(.map(Response::#var)),
        };
        if c.manual || (c.cmd.boxed && c.cmd.arg_type.is_some()) {
            return quote!(#cfg Request::#var(a) => server.#method(a) #wrap);
        }
        match c.cmd.arg_type {
            None => quote!(#cfg Request::#var => server.#method() #wrap),
            Some(_) => {
                let args = self
                    .params(c)
                    .into_iter()
                    .map(|(cfg, n, _)| quote!(#cfg a.#n));
                quote!(#cfg Request::#var(a) => server.#method(#(#args),*) #wrap)
            }
        }
    }

    /// The trait, `dispatch`, `execute`, `handle` and `registry`.
    pub fn server_items(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let trait_name = ident(&self.opts.trait_name);
        let methods = cmds.iter().map(|c| self.trait_method(c));
        let calls = cmds.iter().map(|c| self.dispatch_arm(c));
        let trait_doc = if self.opts.default_unsupported {
            " The commands of the schema, one method each. Every method has a default\n body that fails as unsupported; implement the ones you support.\n\n Methods take `&self`: a server may serve several clients at once, so\n implementations keep their state behind interior mutability."
        } else {
            " The commands of the schema, one method each.\n\n Methods take `&self`: a server may serve several clients at once, so\n implementations keep their state behind interior mutability."
        };
        quote! {
            #[doc = #trait_doc]
            #[allow(deprecated, clippy::too_many_arguments)]
            pub trait #trait_name {
                /// Called for every call of an existing, enabled command,
                /// before its arguments are read: an error here is the
                /// reply (to refuse commands in some state, say).
                fn gate(&self, command: &str) -> ::std::result::Result<(), qapi::Error> {
                    let _ = command;
                    ::std::result::Result::Ok(())
                }

                #(#methods)*
            }

            /// Run `request` on `server`.
            #[allow(deprecated)]
            pub fn dispatch<S: #trait_name + ?::std::marker::Sized>(
                server: &S,
                request: Request,
            ) -> ::std::result::Result<Response, qapi::Error> {
                match request { #(#calls,)* }
            }

            /// Run a call of command `name`: the lookup and the enabled
            /// check in `registry`, the server's gate, the arguments, the
            /// command. `Ok(None)` when the command sends no reply on
            /// success, otherwise the `return` value or the error.
            pub fn execute<S: #trait_name + ?::std::marker::Sized>(
                server: &S,
                registry: &qapi::Registry,
                name: &str,
                arguments: ::std::option::Option<qapi::Map>,
            ) -> ::std::result::Result<::std::option::Option<::serde_json::Value>, qapi::Error> {
                registry.check(name)?;
                server.gate(name)?;
                let request = Request::from_qapi(name, arguments)?;
                let response = dispatch(server, request)?;
                ::std::result::Result::Ok(response.has_reply().then(|| response.into_qapi()))
            }

            /// Answer one request object (`{"execute": ..., "arguments":
            /// ..., "id": ...}`): the reply, with the request's `id`, or
            /// `None` for a command that succeeded and sends no reply on
            /// success.
            pub fn handle<S: #trait_name + ?::std::marker::Sized>(
                server: &S,
                registry: &qapi::Registry,
                request: ::serde_json::Value,
            ) -> ::std::option::Option<::serde_json::Value> {
                qapi::handle_request(request, |name, arguments| {
                    execute(server, registry, name, arguments)
                })
            }

            /// A registry of every command, all enabled.
            pub fn registry() -> qapi::Registry {
                qapi::Registry::new(COMMANDS)
            }
        }
    }
}
