//! IR -> Rust tokens. Emitters print what the IR says and nothing else.

pub mod client;
pub mod model;
pub mod protocol;
pub mod server;

use proc_macro2::TokenStream;
use quote::quote;

/// Where the emitted code finds the runtime and the other model types.
#[derive(Clone, Debug)]
pub struct Paths {
    /// Path of the runtime crate (`::veeam_em_runtime`).
    pub runtime: String,
    /// Path of the module all model types are reachable from (`crate::model`), or `None` when every type
    /// is emitted into one module and can be named directly.
    pub model: Option<String>,
}

impl Paths {
    /// The layout of the `veeam-em` crate.
    pub fn in_crate() -> Self {
        Paths { runtime: "::veeam_em_runtime".into(), model: Some("crate::model".into()) }
    }

    /// Tokens for the runtime path.
    pub(crate) fn rt(&self) -> TokenStream {
        parse_path(&self.runtime)
    }

    /// A path string to a model type, as written inside `#[serde(with = "...")]`.
    pub(crate) fn type_str(&self, rust_name: &str) -> String {
        match &self.model {
            Some(m) => format!("{m}::{rust_name}"),
            None => rust_name.to_owned(),
        }
    }

    /// Tokens naming a model type.
    pub(crate) fn ty(&self, rust_name: &str) -> TokenStream {
        parse_path(&self.type_str(rust_name))
    }
}

fn parse_path(path: &str) -> TokenStream {
    let segments = path.split("::").map(|s| {
        if s.is_empty() {
            quote!()
        } else {
            let ident = crate::names::ident(s);
            quote!(#ident)
        }
    });
    quote!(#(#segments)::*)
}

/// `#[doc = "..."]` attributes, one per line, so prettyplease prints `///` comments.
pub(crate) fn doc_attrs(doc: &str) -> TokenStream {
    doc_lines(doc, false)
}

/// `#![doc = "..."]` attributes, printed as `//!` comments.
pub(crate) fn inner_doc_attrs(doc: &str) -> TokenStream {
    doc_lines(doc, true)
}

fn doc_lines(doc: &str, inner: bool) -> TokenStream {
    let lines = doc.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        }
    });
    quote!(#(#lines)*)
}
