//! The server side: a `Service` trait with one method per representation and method, and a `dispatch`
//! that routes a request to it, decodes the body and query and encodes the answer. The simulator
//! implements the trait, so schema, client and simulator cannot drift apart.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::representation_call;
use super::{doc_attrs, inner_doc_attrs, Paths};
use crate::ir::*;
use crate::names::ident;

/// One call the server answers.
struct Call<'a> {
    resource: &'a Resource,
    /// Trait method name.
    name: proc_macro2::Ident,
    verb: Verb,
    fixed: Vec<(&'a str, &'a str)>,
    kind: CallKind<'a>,
}

enum CallKind<'a> {
    Representation(&'a Representation),
    Method(&'a Method),
}

/// The calls of one resource in the order dispatch tries them: per verb, the most specific fixed query first.
fn calls(r: &Resource) -> Vec<Call<'_>> {
    let prefix = r.name.to_snake_case();
    let mut calls = Vec::new();
    for rep in &r.representations {
        let fixed: Vec<(&str, &str)> = rep.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        // A GET method with the same fixed query answers for the representation (it adds paging).
        let shadowed = r.methods.iter().any(|m| m.verb == Verb::Get && m.fixed_query() == fixed);
        if shadowed {
            continue;
        }
        calls.push(Call {
            resource: r,
            name: format_ident!("{}_{}", prefix, representation_call(rep)),
            verb: Verb::Get,
            fixed,
            kind: CallKind::Representation(rep),
        });
    }
    for m in &r.methods {
        calls.push(Call {
            resource: r,
            name: format_ident!("{}_{}", prefix, m.rust_name),
            verb: m.verb,
            fixed: m.fixed_query(),
            kind: CallKind::Method(m),
        });
    }
    calls.sort_by_key(|c| std::cmp::Reverse(c.fixed.len()));
    calls
}

/// The answer type of a call as the trait returns it.
fn answer_type(call: &Call<'_>, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    match &call.kind {
        CallKind::Representation(rep) => paths.ty(&rep.ty),
        CallKind::Method(m) => {
            let inner = match &m.response {
                Response::Document(ty) => paths.ty(ty),
                Response::Binary => quote!(#rt::Bytes),
                Response::None => quote!(()),
            };
            if m.response_headers.is_empty() {
                inner
            } else {
                quote!(#rt::server::Reply<#inner>)
            }
        }
    }
}

/// The `server/mod.rs` module.
pub fn module(ir: &Ir, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let doc = inner_doc_attrs(
        "The server side of the schema, for simulators and test doubles (feature `server`).\n\n\
         [`Service`] has one method per representation and per method of every resource; [`dispatch`]\n\
         routes a request to it (path, verb and fixed query), decodes path parameters, caller query\n\
         parameters and the body, and encodes the answer in the wire format the caller asked for.\n\
         [`router`] wraps that in an axum router serving everything under `/api`.",
    );
    let all: Vec<Call<'_>> = ir.resources.iter().flat_map(calls).collect();
    let methods = all.iter().map(|c| trait_method(c, paths));
    let error_ty = ir.struct_with_role(FieldRole::StatusCode).map_or_else(|| quote!(()), |t| paths.ty(t));
    let (routes, handlers): (Vec<TokenStream>, Vec<TokenStream>) = ir.resources.iter().map(|r| route(r, paths)).unzip();
    quote! {
        #doc
        use #rt::server::{Fault, ServerRequest, ServerResponse};

        /// Everything a server for this API answers, one method per call.
        ///
        /// Each method gets the request (headers, query, body as received), the decoded path parameters,
        /// the decoded body and the caller's query parameters, and returns the document to send or a
        /// [`Fault`], which is sent as an EM error body with its status.
        pub trait Service: Send + Sync + 'static {
            #(#methods)*
        }

        /// Answers one request with `service`.
        pub async fn dispatch<S: Service>(service: &S, request: ServerRequest) -> ServerResponse {
            let wire = request.wire();
            match route(service, &request, wire).await {
                Ok(response) => response,
                Err(fault) => ServerResponse::fault::<#error_ty>(&fault, wire),
            }
        }

        /// An axum router serving `service` under `/api`.
        pub fn router<S: Service>(service: ::std::sync::Arc<S>) -> #rt::axum::Router {
            #rt::server::router(move |request| {
                let service = ::std::sync::Arc::clone(&service);
                async move { dispatch(&*service, request).await }
            })
        }

        async fn route<S: Service>(service: &S, request: &ServerRequest, wire: #rt::Wire) -> ::core::result::Result<ServerResponse, Fault> {
            let path = request.path.trim_matches('/');
            let segments: ::std::vec::Vec<&str> = if path.is_empty() { ::std::vec::Vec::new() } else { path.split('/').collect() };
            #(#routes)*
            Err(Fault::not_found(format!("no resource at {}", request.path)))
        }

        #(#handlers)*
    }
}

fn trait_method(call: &Call<'_>, paths: &Paths) -> TokenStream {
    let name = &call.name;
    let r = call.resource;
    let params = r.params.iter().map(|p| {
        let p = ident(&p.rust_name);
        quote!(#p: ::std::string::String)
    });
    let mut extra = Vec::new();
    let (doc, shown) = match &call.kind {
        CallKind::Representation(rep) => {
            let q = rep.query.as_ref().map(|(k, v)| format!("?{k}={v}")).unwrap_or_default();
            (rep.doc.clone(), format!("GET {}{q}", r.path))
        }
        CallKind::Method(m) => {
            if let Some(b) = &m.request {
                let ty = paths.ty(&b.ty);
                if b.required {
                    extra.push(quote!(body: #ty));
                } else {
                    extra.push(quote!(body: ::core::option::Option<#ty>));
                }
            }
            if m.query.iter().any(|q| matches!(q.kind, QueryKind::Caller { .. })) {
                let params = super::client::params_struct_name(r, m);
                extra.push(quote!(params: crate::client::#params));
            }
            let q: Vec<String> = m.fixed_query().iter().map(|(k, v)| format!("{k}={v}")).collect();
            let q = if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) };
            (m.doc.clone(), format!("{} {}{q}", m.verb.as_str(), r.path))
        }
    };
    let doc = doc_attrs(&format!("{}\n\n`{shown}`.", doc.unwrap_or_else(|| format!("The `{name}` call."))));
    let answer = answer_type(call, paths);
    quote! {
        #doc
        fn #name(&self, request: &ServerRequest, #(#params,)* #(#extra),*)
            -> impl ::core::future::Future<Output = ::core::result::Result<#answer, Fault>> + Send;
    }
}

/// The slice pattern and guard that recognise a resource's path, with the bindings of its parameters.
fn path_pattern(r: &Resource, paths: &Paths) -> (TokenStream, TokenStream, Vec<TokenStream>) {
    let rt = paths.rt();
    let mut pattern = Vec::new();
    let mut guards = Vec::new();
    let mut bindings = Vec::new();
    let mut literal_index = 0usize;
    for segment in &r.segments {
        match segment {
            Segment::Literal(text) => {
                for word in text.split('/').filter(|w| !w.is_empty()) {
                    let var = format_ident!("l{}", literal_index);
                    literal_index += 1;
                    pattern.push(quote!(#var));
                    guards.push(quote!(#var.eq_ignore_ascii_case(#word)));
                }
            }
            Segment::Param(i) => {
                let p = ident(&r.params[*i].rust_name);
                pattern.push(quote!(#p));
                bindings.push(quote!(let #p = #rt::server::percent_decode(#p);));
            }
            Segment::Rest(i) => {
                let p = ident(&r.params[*i].rust_name);
                pattern.push(quote!(#p @ ..));
                guards.push(quote!(!#p.is_empty()));
                bindings.push(quote!(let #p = #rt::server::percent_decode(&#p.join("/"));));
            }
        }
    }
    let guard = if guards.is_empty() { quote!(true) } else { quote!(#(#guards)&&*) };
    (quote!([#(#pattern),*]), guard, bindings)
}

/// The arm of `route` that recognizes the resource's path, and the function it hands the request to.
/// One function per resource keeps each small: a single function holding every call made the compiler's
/// work on the server grow faster than the schema.
fn route(r: &Resource, paths: &Paths) -> (TokenStream, TokenStream) {
    let rt = paths.rt();
    let (pattern, guard, bindings) = path_pattern(r, paths);
    let handler = format_ident!("serve_{}", crate::names::field(&r.rust_name));
    let params: Vec<_> = r.params.iter().map(|p| ident(&p.rust_name)).collect();
    let doc = format!(" Answers a request for `{}` (`{}`).", r.name, r.path);
    let calls = calls(r);
    let verbs: Vec<Verb> = {
        let mut v: Vec<Verb> = Vec::new();
        for c in &calls {
            if !v.contains(&c.verb) {
                v.push(c.verb);
            }
        }
        v
    };
    let arms = verbs.iter().map(|verb| {
        let method = verb.as_str();
        let tries = calls.iter().filter(|c| c.verb == *verb).map(|c| {
            let invoke = invoke(c, paths);
            if c.fixed.is_empty() {
                quote!(return #invoke;)
            } else {
                let conditions = c
                    .fixed
                    .iter()
                    .map(|(k, v)| quote!(request.query(#k).is_some_and(|value| value.eq_ignore_ascii_case(#v))));
                quote!(if #(#conditions)&&* { return #invoke; })
            }
        });
        let has_default = calls.iter().any(|c| c.verb == *verb && c.fixed.is_empty());
        let fallback =
            (!has_default).then(|| quote!(return Err(Fault::bad_request("unknown action for this resource"));));
        quote! {
            if request.method.as_str() == #method {
                #(#tries)*
                #fallback
            }
        }
    });
    let matches = if r.segments.iter().all(|s| matches!(s, Segment::Literal(t) if t.trim_matches('/').is_empty())) {
        quote!(if segments.is_empty())
    } else {
        quote!(if let #pattern = segments.as_slice())
    };
    let function = quote! {
        #[doc = #doc]
        async fn #handler<S: Service>(
            service: &S,
            request: &ServerRequest,
            wire: #rt::Wire,
            #(#params: ::std::string::String),*
        ) -> ::core::result::Result<ServerResponse, Fault> {
            #(#arms)*
            Err(Fault::new(405, "method not allowed on this resource"))
        }
    };
    let body = quote! {
        #(#bindings)*
        return #handler(service, request, wire, #(#params),*).await;
    };
    let arm =
        if guard.to_string() == "true" { quote!(#matches { #body }) } else { quote!(#matches { if #guard { #body } }) };
    (arm, function)
}

/// The expression that calls the trait method and encodes its answer.
fn invoke(call: &Call<'_>, paths: &Paths) -> TokenStream {
    let name = &call.name;
    let params: Vec<TokenStream> = call
        .resource
        .params
        .iter()
        .map(|p| {
            let p = ident(&p.rust_name);
            quote!(#p.clone())
        })
        .collect();
    match &call.kind {
        CallKind::Representation(_) => quote! {
            {
                let value = service.#name(request, #(#params),*).await?;
                Ok(ServerResponse::document(200, &value, wire))
            }
        },
        CallKind::Method(m) => {
            let mut prepare = Vec::new();
            let mut args = params.clone();
            if let Some(b) = &m.request {
                let ty = paths.ty(&b.ty);
                if b.required {
                    prepare.push(quote!(let body: #ty = request.decode()?;));
                } else {
                    prepare.push(quote! {
                        let body: ::core::option::Option<#ty> =
                            if request.body.iter().all(u8::is_ascii_whitespace) { None } else { Some(request.decode()?) };
                    });
                }
                args.push(quote!(body));
            }
            let mut fields = Vec::new();
            for q in &m.query {
                if let QueryKind::Caller { value, required } = &q.kind {
                    let f = ident(&q.rust_name);
                    let n = &q.name;
                    let parse = parse_value(value, paths);
                    let missing = format!("query parameter `{n}` is required");
                    let bad = format!("query parameter `{n}` is not valid");
                    prepare.push(quote! {
                        let #f = match request.query(#n) {
                            ::core::option::Option::Some(text) => {
                                ::core::option::Option::Some(#parse.ok_or_else(|| Fault::bad_request(#bad))?)
                            }
                            ::core::option::Option::None => ::core::option::Option::None,
                        };
                    });
                    if *required {
                        prepare.push(quote!(let #f = #f.ok_or_else(|| Fault::bad_request(#missing))?;));
                    }
                    fields.push(f);
                }
            }
            if !fields.is_empty() {
                let params = super::client::params_struct_name(call.resource, m);
                prepare.push(quote!(let params = crate::client::#params { #(#fields),* };));
                args.push(quote!(params));
            }
            let status = m.status;
            let answer = match (&m.response, m.response_headers.is_empty()) {
                (Response::Document(_), true) => quote!(Ok(ServerResponse::document(#status, &value, wire))),
                (Response::Document(_), false) => quote! {
                    {
                        let mut response = ServerResponse::document(value.status.unwrap_or(#status), &value.body, wire);
                        for (name, text) in value.headers {
                            response = response.with_header(name, text);
                        }
                        Ok(response)
                    }
                },
                (Response::Binary, _) => quote!(Ok(ServerResponse::binary(value))),
                (Response::None, _) => quote!(Ok(ServerResponse::empty(#status))),
            };
            let bind = if matches!(m.response, Response::None) { quote!() } else { quote!(let value =) };
            quote! {
                {
                    #(#prepare)*
                    #bind service.#name(request, #(#args),*).await?;
                    #answer
                }
            }
        }
    }
}

/// An expression reading the query value `text` as an `Option` of type `v`.
fn parse_value(v: &ValueType, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    match v {
        ValueType::String | ValueType::Guid | ValueType::Uid | ValueType::Url => {
            quote!(::core::option::Option::Some(text.to_owned()))
        }
        ValueType::Boolean => quote!(text.parse::<bool>().ok()),
        ValueType::Int => quote!(text.parse::<i32>().ok()),
        ValueType::Long => quote!(text.parse::<i64>().ok()),
        ValueType::UnsignedShort => quote!(text.parse::<u16>().ok()),
        ValueType::Enum(name) => {
            let ty = paths.ty(name);
            quote!(::core::option::Option::Some(#ty::from(text)))
        }
        // Every other value reads the way it does on the wire.
        other => {
            let ty = super::model::value_type(other, paths);
            quote!(<#ty as #rt::XmlValue>::from_text(::std::borrow::Cow::Borrowed(text)).ok())
        }
    }
}
