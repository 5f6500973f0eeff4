//! The typed client: one handle per resource, one async call per representation and per method, on the
//! runtime's `Connection` (transport, session, retries and decoding live there, once).

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, inner_doc_attrs, Paths};
use crate::ir::*;
use crate::names::ident;

/// The Rust name of a representation's call: `default` reads as `get`.
pub fn representation_call(rep: &Representation) -> String {
    if rep.name == "default" {
        "get".to_owned()
    } else {
        crate::names::field(&rep.name)
    }
}

/// The `client/mod.rs` module.
pub fn module(ir: &Ir, paths: &Paths) -> TokenStream {
    let doc = inner_doc_attrs(
        "Typed calls for every resource the schema declares.\n\n\
         [`Client`] holds one connection (a shared connection pool and one logon session). Each resource has\n\
         a handle ([`Client::vm_replica_point`] gives a [`VmReplicaPointApi`], for example) with one async\n\
         call per representation and per method. Links in decoded documents are followed with\n\
         [`Client::follow`], tasks are awaited with [`Client::wait`].",
    );
    let protocol = protocol_static(ir, paths);
    let client = client_struct(ir, paths);
    let handles = ir.resources.iter().filter(|r| has_calls(r)).map(|r| handle(ir, r, paths));
    quote! {
        #doc
        #protocol
        #client
        #(#handles)*
    }
}

/// The logon method: the one that authenticates with Basic.
fn logon_method(ir: &Ir) -> Option<(&Resource, &Method)> {
    ir.resources.iter().find_map(|r| r.methods.iter().find(|m| m.auth == Auth::Basic).map(|m| (r, m)))
}

/// The method that ends a session: DELETE on the logon response's own document.
fn session_type(ir: &Ir) -> Option<&str> {
    logon_method(ir).and_then(|(_, m)| match &m.response {
        Response::Document(ty) => Some(ty.as_str()),
        _ => None,
    })
}

fn protocol_static(ir: &Ir, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let (path, query, status, header) = match logon_method(ir) {
        Some((r, m)) => {
            let path = r.path.trim_start_matches('/').to_owned();
            let query: Vec<TokenStream> = m.fixed_query().iter().map(|(k, v)| quote!((#k, #v))).collect();
            let header =
                m.response_headers.iter().find(|h| h.session_token).map(|h| h.name.clone()).unwrap_or_default();
            (path, query, m.status, header)
        }
        None => (String::new(), Vec::new(), 201, String::new()),
    };
    let status_literal = proc_macro2::Literal::u16_unsuffixed(status);
    let decode_error = match ir.struct_with_role(FieldRole::StatusCode) {
        Some(t) => {
            let ty = paths.ty(t);
            quote!(#rt::client::error_body::<#ty>)
        }
        None => quote!(|_, _| ::core::option::Option::None),
    };
    let logout_href = match session_type(ir) {
        Some(t) => {
            let ty = paths.ty(t);
            quote!(#rt::client::session_href::<#ty>)
        }
        None => quote!(|_, _| ::core::option::Option::None),
    };
    quote! {
        /// What the runtime needs to know about this API's sessions and error bodies.
        pub static PROTOCOL: #rt::Protocol = #rt::Protocol {
            logon: #rt::LogonCall {
                path: #path,
                query: &[#(#query),*],
                status: #status_literal,
                token_header: #header,
            },
            decode_error: #decode_error,
            logout_href: #logout_href,
        };
    }
}

/// The struct holding a method's caller-supplied query parameters.
pub fn params_struct_name(r: &Resource, m: &Method) -> proc_macro2::Ident {
    format_ident!("{}{}Params", r.rust_name, m.rust_name.to_upper_camel_case())
}

/// Whether a resource has calls of its own (the logon resource has only `Client::logon`).
fn has_calls(r: &Resource) -> bool {
    !r.representations.is_empty() || r.methods.iter().any(|m| m.auth != Auth::Basic)
}

fn handle_name(r: &Resource) -> proc_macro2::Ident {
    format_ident!("{}Api", r.rust_name)
}

fn client_struct(ir: &Ir, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let logon = logon_method(ir).and_then(|(_, m)| {
        let Response::Document(ty) = &m.response else { return None };
        let ty = paths.ty(ty);
        let doc = doc_attrs(&format!(
            "{}\n\nThe token is kept by the connection and sent with every later call; calls made before \
             `logon` log on by themselves.",
            m.doc.clone().unwrap_or_else(|| "Logs on with the configured credentials.".to_owned())
        ));
        Some(quote! {
            #doc
            pub async fn logon(&self) -> ::core::result::Result<#ty, #rt::ClientError> {
                self.connection.logon().await?.decode()
            }

            /// Ends the session on the server (when there is one) and forgets its token.
            pub async fn logout(&self) -> ::core::result::Result<(), #rt::ClientError> {
                self.connection.logout().await
            }
        })
    });
    let wait = ir.struct_with_role(FieldRole::State).map(|t| {
        let ty = paths.ty(t);
        quote! {
            /// Polls `task` until it is finished and returns the finished task; a task that finished
            /// unsuccessfully is [`ClientError::TaskFailed`] with the server's message.
            pub async fn wait(&self, task: &#ty, options: &#rt::WaitOptions) -> ::core::result::Result<#ty, #rt::ClientError> {
                self.connection.wait(task, options).await
            }
        }
    });
    let accessors = ir.resources.iter().filter(|r| has_calls(r)).map(|r| {
        let name = ident(&crate::names::field(&r.name));
        let handle = handle_name(r);
        let params: Vec<_> = r.params.iter().map(|p| ident(&p.rust_name)).collect();
        let doc = doc_attrs(&format!(
            "`{}`: {}",
            r.path,
            r.doc.clone().unwrap_or_else(|| format!("the `{}` resource.", r.name))
        ));
        quote! {
            #doc
            pub fn #name(&self, #(#params: &str),*) -> #handle {
                #handle::new(self, #(#params),*)
            }
        }
    });
    quote! {
        /// A client for one EM server: a shared connection pool and one logon session.
        ///
        /// Cloning is cheap and clones share the pool and the session.
        #[derive(Clone, Debug)]
        pub struct Client {
            connection: #rt::Connection,
        }

        impl ::core::convert::From<#rt::Connection> for Client {
            fn from(connection: #rt::Connection) -> Self {
                Client { connection }
            }
        }

        impl Client {
            /// Starts configuring a client for the EM server at `base_url` (`https://em:9398`, with or without
            /// the `/api` suffix).
            pub fn builder(base_url: &str) -> #rt::ClientBuilder<Client> {
                #rt::ClientBuilder::new(base_url, &PROTOCOL)
            }

            /// The underlying connection, for calls the schema does not describe.
            pub fn connection(&self) -> &#rt::Connection {
                &self.connection
            }

            #logon

            #wait

            /// Follows the link of `from` with relation `rel` whose link type names a `T` (or the only such
            /// link without a type), and decodes what it leads to.
            pub async fn follow<T: #rt::Document>(&self, from: &impl #rt::HasLinks, rel: &str) -> ::core::result::Result<T, #rt::ClientError> {
                self.connection.follow(from, rel).await
            }

            /// Follows the link of `from` with relation `rel` and exactly the link type `link_type` (for
            /// links that share a relation and a document type, such as a point's `Up` links to its replica
            /// and to its backup server).
            pub async fn follow_type<T: #rt::Document>(&self, from: &impl #rt::HasLinks, rel: &str, link_type: &str) -> ::core::result::Result<T, #rt::ClientError> {
                self.connection.follow_type(from, rel, link_type).await
            }

            /// The full form of a reference: follows its `Alternate` link to a `T` (an `EntityRef` of a
            /// replica point resolves to the `VmReplicaPoint` entity).
            pub async fn resolve<T: #rt::Document>(&self, reference: &impl #rt::HasLinks) -> ::core::result::Result<T, #rt::ClientError> {
                self.connection.follow(reference, "Alternate").await
            }

            /// Reads the document at `href` (an address taken from a document) as a `T`.
            pub async fn get<T: #rt::Document>(&self, href: &str) -> ::core::result::Result<T, #rt::ClientError> {
                self.connection.fetch(#rt::Request::get(self.connection.href(href)?)).await
            }

            #(#accessors)*
        }
    }
}

/// Segments of a path template for `Connection::url`, which joins them with `/`.
fn segments(r: &Resource, paths: &Paths) -> Vec<TokenStream> {
    let rt = paths.rt();
    let mut out = Vec::new();
    for segment in &r.segments {
        match segment {
            Segment::Literal(text) => {
                out.extend(text.split('/').filter(|w| !w.is_empty()).map(|word| quote!(#rt::Segment::Literal(#word))));
            }
            Segment::Param(i) => {
                let p = ident(&r.params[*i].rust_name);
                out.push(quote!(#rt::Segment::Param(#p)));
            }
            Segment::Rest(i) => {
                let p = ident(&r.params[*i].rust_name);
                out.push(quote!(#rt::Segment::Rest(#p)));
            }
        }
    }
    out
}

/// The literal template for matching hrefs: `vmReplicaPoints/{}/mounts` as a list of pieces.
fn template(r: &Resource, paths: &Paths) -> Vec<TokenStream> {
    let rt = paths.rt();
    r.segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => quote!(#rt::Segment::Literal(#text)),
            Segment::Param(_) => quote!(#rt::Segment::Param("")),
            Segment::Rest(_) => quote!(#rt::Segment::Rest("")),
        })
        .collect()
}

fn handle(ir: &Ir, r: &Resource, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let name = handle_name(r);
    let params: Vec<_> = r.params.iter().map(|p| ident(&p.rust_name)).collect();
    let segments = segments(r, paths);
    let template = template(r, paths);
    let doc = doc_attrs(&format!(
        "`{}`: {}\n\nMade by [`Client::{}`] or, from an address in a document, [`{name}::from_href`].",
        r.path,
        r.doc.clone().unwrap_or_else(|| format!("the `{}` resource.", r.name)),
        crate::names::field(&r.name),
    ));
    let not_this = format!("not the address of a `{}` resource", r.name);
    let new_doc = doc_attrs(&format!("The handle for the resource at `{}` with these path parameters.", r.path));
    let mut calls: Vec<TokenStream> = Vec::new();
    let mut param_structs: Vec<TokenStream> = Vec::new();
    for rep in &r.representations {
        calls.push(representation(r, rep, paths));
    }
    for m in &r.methods {
        if m.auth == Auth::Basic {
            continue; // `Client::logon`
        }
        let (call, params) = method(r, m, paths);
        calls.push(call);
        param_structs.extend(params);
        calls.extend(pages_call(ir, r, m, paths));
    }
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #name {
            client: Client,
            url: #rt::Url,
        }

        impl #name {
            const TEMPLATE: &'static [#rt::Segment<'static>] = &[#(#template),*];

            #new_doc
            pub fn new(client: &Client, #(#params: &str),*) -> Self {
                let url = client.connection.url(&[#(#segments),*], &[]);
                #name { client: client.clone(), url }
            }

            /// The handle for the resource at `href`, an address taken from a document; fails when the
            /// address is not one of this resource.
            pub fn from_href(client: &Client, href: &str) -> ::core::result::Result<Self, #rt::ClientError> {
                let mut url = client.connection.href(href)?;
                if !#rt::href::matches_template(client.connection.base_url(), &url, Self::TEMPLATE) {
                    return Err(#rt::ClientError::invalid_url(href, #not_this));
                }
                url.set_query(::core::option::Option::None);
                Ok(#name { client: client.clone(), url })
            }

            /// The resource's address, without a query.
            pub fn url(&self) -> &#rt::Url {
                &self.url
            }

            #(#calls)*
        }

        #(#param_structs)*
    }
}

fn auth_tokens(auth: Auth, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    match auth {
        Auth::Session => quote!(),
        Auth::None => quote!(.with_auth(#rt::Auth::None)),
        Auth::Basic => quote!(.with_auth(#rt::Auth::Basic)),
    }
}

fn representation(r: &Resource, rep: &Representation, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let call = ident(&representation_call(rep));
    let ty = paths.ty(&rep.ty);
    let query = rep.query.iter().map(|(k, v)| quote!((#k, #v)));
    let shown = match &rep.query {
        Some((k, v)) => format!("GET {}?{k}={v}", r.path),
        None => format!("GET {}", r.path),
    };
    let doc = doc_attrs(&format!(
        "{}\n\n`{shown}`, a `<{}>` document.",
        rep.doc.clone().unwrap_or_else(|| format!("The `{}` representation.", rep.name)),
        rep.root
    ));
    let auth = auth_tokens(rep.auth, paths);
    quote! {
        #doc
        pub async fn #call(&self) -> ::core::result::Result<#ty, #rt::ClientError> {
            let url = #rt::href::with_query(&self.url, &[#(#query),*]);
            self.client.connection.fetch(#rt::Request::get(url)#auth).await
        }
    }
}

fn method(r: &Resource, m: &Method, paths: &Paths) -> (TokenStream, Option<TokenStream>) {
    let rt = paths.rt();
    let call = ident(&m.rust_name);
    let verb = format_ident!("{}", m.verb.as_str());
    let fixed = m.fixed_query();
    let caller = m.caller_query();
    let mut args = Vec::new();
    let mut params_struct = None;
    let url = if caller.is_empty() {
        let fixed = fixed.iter().map(|(k, v)| quote!((#k, #v)));
        quote!(#rt::href::with_query(&self.url, &[#(#fixed),*]))
    } else {
        let params_name = params_struct_name(r, m);
        args.push(quote!(params: &#params_name));
        params_struct = Some(params_struct_def(r, m, &caller, paths));
        let fixed = fixed.iter().map(|(k, v)| quote!((#k, ::std::string::String::from(#v))));
        let pushes = caller.iter().map(|(q, _, required)| {
            let n = &q.name;
            let f = ident(&q.rust_name);
            if *required {
                quote!(query.push((#n, params.#f.to_string()));)
            } else {
                quote!(if let ::core::option::Option::Some(value) = &params.#f { query.push((#n, value.to_string())); })
            }
        });
        quote! {{
            let mut query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec![#(#fixed),*];
            #(#pushes)*
            let pairs: ::std::vec::Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            #rt::href::with_query(&self.url, &pairs)
        }}
    };
    let body = m.request.as_ref().map(|b| {
        let ty = paths.ty(&b.ty);
        let allowed = b.media.iter().map(|m| match m {
            Media::Xml => quote!(#rt::Wire::Xml),
            Media::Json => quote!(#rt::Wire::Json),
        });
        let encode = quote!(#rt::Body::encode(body, self.client.connection.wire(), &[#(#allowed),*]));
        if b.required {
            args.insert(0, quote!(body: &#ty));
            quote!(let request = request.with_body(#encode);)
        } else {
            args.insert(0, quote!(body: ::core::option::Option<&#ty>));
            quote! {
                let request = match body {
                    ::core::option::Option::Some(body) => request.with_body(#encode),
                    ::core::option::Option::None => request,
                };
            }
        }
    });
    let (ret, fetch) = match &m.response {
        Response::Document(ty) => {
            let ty = paths.ty(ty);
            (quote!(#ty), quote!(fetch))
        }
        Response::Binary => (quote!(#rt::Download), quote!(fetch_download)),
        Response::None => (quote!(()), quote!(fetch_none)),
    };
    let status = m.status;
    let auth = auth_tokens(m.auth, paths);
    let shown_query: Vec<String> = m
        .query
        .iter()
        .map(|q| match &q.kind {
            QueryKind::Fixed(v) => format!("{}={v}", q.name),
            QueryKind::Caller { .. } => format!("{}=…", q.name),
        })
        .collect();
    let shown = if shown_query.is_empty() {
        format!("{} {}", m.verb.as_str(), r.path)
    } else {
        format!("{} {}?{}", m.verb.as_str(), r.path, shown_query.join("&"))
    };
    let answer = match (&m.response, m.returns_task) {
        (Response::Document(_), true) => "; answers with a task to wait for (see [`Client::wait`])".to_owned(),
        (Response::Binary, _) => "; the answer is streamed (see [`Download`])".to_owned(),
        _ => String::new(),
    };
    let retry_note = if m.verb == Verb::Get || m.verb == Verb::Delete || m.verb == Verb::Put {
        ""
    } else {
        "\n\nNever retried on its own: a lost answer does not mean the server did not act."
    };
    let doc = doc_attrs(&format!(
        "{}\n\n`{shown}`, expecting {status}{answer}.{retry_note}",
        m.doc.clone().unwrap_or_else(|| format!("The `{}` call.", m.name)),
    ));
    let body = body.unwrap_or_default();
    let call_tokens = quote! {
        #doc
        pub async fn #call(&self, #(#args),*) -> ::core::result::Result<#ret, #rt::ClientError> {
            let url = #url;
            let request = #rt::Request::new(#rt::Method::#verb, url).with_expect(#status)#auth;
            #body
            self.client.connection.#fetch(request).await
        }
    };
    (call_tokens, params_struct)
}

/// The struct of a method's caller-supplied query parameters.
fn params_struct_def(
    r: &Resource,
    m: &Method,
    caller: &[(&QueryParam, &ValueType, bool)],
    paths: &Paths,
) -> TokenStream {
    let name = params_struct_name(r, m);
    let fields = caller.iter().map(|(q, v, required)| {
        let f = ident(&q.rust_name);
        let ty = super::model::value_type(v, paths);
        let doc = doc_attrs(&format!(
            "{}\n\nQuery parameter `{}`.",
            q.doc.clone().unwrap_or_else(|| format!("The `{}` parameter.", q.name)),
            q.name
        ));
        if *required {
            quote!(#doc pub #f: #ty,)
        } else {
            quote!(#doc pub #f: ::core::option::Option<#ty>,)
        }
    });
    // `..Default::default()` keeps call sites short; a required enum or date has no empty value.
    let no_default = |v: &ValueType| {
        matches!(v, ValueType::Enum(_) | ValueType::DateTime | ValueType::Date | ValueType::Time | ValueType::Decimal)
    };
    let derive = if caller.iter().any(|(_, v, required)| *required && no_default(v)) {
        quote!(#[derive(Clone, Debug, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    };
    let doc = doc_attrs(&format!("Caller-supplied query parameters of [`{}Api::{}`].", r.rust_name, m.rust_name));
    quote! {
        #doc
        #derive
        pub struct #name {
            #(#fields)*
        }
    }
}

/// Whether a document type is a page (its schema type has a `paging` role).
fn is_paged(ir: &Ir, ty: &str) -> bool {
    ir.types().any(|t| {
        t.rust_name == ty
            && matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.role == Some(FieldRole::Paging)))
    })
}

/// `<method>_pages`: every page of a paged call as a lazy stream, for methods with `page` and `pageSize`
/// parameters whose answer is a page.
fn pages_call(ir: &Ir, r: &Resource, m: &Method, paths: &Paths) -> Option<TokenStream> {
    let rt = paths.rt();
    let Response::Document(ty) = &m.response else { return None };
    if !is_paged(ir, ty) {
        return None;
    }
    let int_param = |wire: &str| {
        m.query.iter().find_map(|q| match &q.kind {
            QueryKind::Caller { value: ValueType::Int, required: false } if q.name == wire => Some(ident(&q.rust_name)),
            _ => None,
        })
    };
    let (page, page_size) = (int_param("page")?, int_param("pageSize")?);
    let call = ident(&m.rust_name);
    let name = format_ident!("{}_pages", m.rust_name);
    let params = params_struct_name(r, m);
    let ty = paths.ty(ty);
    let doc = doc_attrs(&format!(
        "Every page of [`{call}`](Self::{call}), fetched lazily as the stream is polled: page 1, 2, ... until \
         the last page (by the page's own paging information), an empty page or an error. `params.{page}` is \
         ignored; `params.{page_size}` sets the page size (without it the server sends everything at once)."
    ));
    Some(quote! {
        #doc
        pub fn #name(&self, params: &#params) -> impl #rt::Stream<Item = ::core::result::Result<#ty, #rt::ClientError>> + Send + 'static {
            let handle = self.clone();
            let params = params.clone();
            let size = params.#page_size.and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0).unwrap_or(u32::MAX);
            #rt::client::pages(
                move |page| {
                    let handle = handle.clone();
                    let mut params = params.clone();
                    params.#page = i32::try_from(page).ok();
                    async move { handle.#call(&params).await }
                },
                size,
            )
        }
    })
}
