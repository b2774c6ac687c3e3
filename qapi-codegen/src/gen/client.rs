//! The typed client: `Client<T>` over any `Read + Write`, one method per
//! command.

use proc_macro2::TokenStream;
use quote::quote;

use super::commands::Cmd;
use super::context::Ctx;

/// The command of the delimited handshake.
const SYNC_DELIMITED: &str = "guest-sync-delimited";

impl Ctx<'_> {
    fn client_method(&self, c: &Cmd<'_>) -> TokenStream {
        let params = self.params(c);
        let decls = params.iter().map(|(cfg, n, t)| quote!(#cfg #n: #t));
        let method = &c.method;
        let cfg = &c.cfg;
        let wire = &c.cmd.name;
        let doc = format!(" Call `{wire}`.");
        let deprecated = self.deprecated_attr(&c.cmd.features);
        let arguments = if c.manual {
            quote!(::std::option::Option::Some(arguments))
        } else {
            match c.cmd.arg_type {
                None => quote!(::std::option::Option::None),
                Some(_) if c.cmd.boxed => {
                    quote!(::std::option::Option::Some(qapi::encode_arguments(
                        arguments
                    )))
                }
                Some(t) => {
                    let ty = self.type_ident(t);
                    let inits = params.iter().map(|(cfg, n, _)| quote!(#cfg #n));
                    quote!(::std::option::Option::Some(qapi::encode_arguments(#ty { #(#inits),* })))
                }
            }
        };
        if !c.cmd.success_response {
            return quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = " A successful call gets no reply, so none is awaited."]
                #deprecated
                #cfg
                pub fn #method(&mut self, #(#decls),*) -> ::std::result::Result<(), qapi::ClientError> {
                    self.conn.send(#wire, #arguments)
                }
            };
        }
        let ret = self.ret_type(c);
        let decode = if c.manual {
            quote!(::std::result::Result::Ok(value))
        } else if c.cmd.ret_type.is_none() {
            quote!({
                let _ = value;
                ::std::result::Result::Ok(())
            })
        } else {
            quote!(qapi::decode_return(value))
        };
        quote! {
            #[doc = #doc]
            #deprecated
            #cfg
            pub fn #method(&mut self, #(#decls),*) -> ::std::result::Result<#ret, qapi::ClientError> {
                let value = self.conn.call(#wire, #arguments)?;
                #decode
            }
        }
    }

    /// `Client<T>`.
    pub fn client_items(&self, cmds: &[Cmd<'_>]) -> TokenStream {
        let methods = cmds.iter().map(|c| self.client_method(c));
        let sync = cmds
            .iter()
            .find(|c| c.cmd.name == SYNC_DELIMITED && !c.manual)
            .map(|c| {
                let cfg = &c.cfg;
                quote! {
                    /// The `guest-sync-delimited` handshake: send the
                    /// delimiter byte 0xFF and the request, drop whatever
                    /// arrives before the 0xFF of the reply (replies to
                    /// earlier requests, errors), check that the reply
                    /// echoes `id`.
                    #cfg
                    pub fn sync_delimited(&mut self, id: i64) -> ::std::result::Result<(), qapi::ClientError> {
                        self.conn.sync_delimited(#SYNC_DELIMITED, id)
                    }
                }
            });
        quote! {
            /// A client: one typed method per command, over any stream.
            /// Each call writes one request line and reads one reply line
            /// (none for commands that send no reply on success).
            #[derive(Debug)]
            pub struct Client<T> {
                conn: qapi::Connection<T>,
            }

            #[allow(deprecated, clippy::too_many_arguments)]
            impl<T: ::std::io::Read + ::std::io::Write> Client<T> {
                /// A client over `io` (a socket, a serial port...).
                pub fn new(io: T) -> Client<T> {
                    Client { conn: qapi::Connection::new(io) }
                }

                /// The stream.
                pub fn into_inner(self) -> T {
                    self.conn.into_inner()
                }

                /// The connection, for raw requests.
                pub fn connection(&mut self) -> &mut qapi::Connection<T> {
                    &mut self.conn
                }

                /// Send `request`, and read its reply unless the command
                /// sends none on success.
                pub fn call(
                    &mut self,
                    request: Request,
                ) -> ::std::result::Result<::std::option::Option<Response>, qapi::ClientError> {
                    let name = request.name();
                    let arguments = ::std::option::Option::Some(request.into_qapi());
                    if command_info(name).is_some_and(|c| !c.success_response) {
                        self.conn.send(name, arguments)?;
                        return ::std::result::Result::Ok(::std::option::Option::None);
                    }
                    let value = self.conn.call(name, arguments)?;
                    Response::from_qapi(name, value)
                        .map(::std::option::Option::Some)
                        .map_err(|e| qapi::ClientError::Protocol(e.desc))
                }

                #sync

                #(#methods)*
            }
        }
    }
}
