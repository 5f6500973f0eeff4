//! Descriptions of the API for other tools, printed from the IR alone: an XML Schema of every type
//! ([`xsd()`]) and an OpenAPI 3.1 document of every resource ([`openapi()`]).
//!
//! Both are deterministic: the same IR gives the same bytes. `cargo xtask export xsd|openapi` writes them.
//!
//! Naming rules shared by both:
//! - a schema type `Name` is the XSD type `NameType` and the OpenAPI component `Name`;
//! - a document root is a global XSD element and the `xml.name` of its component;
//! - the IR is flat (every inherited member is copied into the derived type and abstract bases are gone),
//!   so both exports are flat too: no `xs:extension`, no `allOf`.

mod json;
pub mod openapi;
pub mod xsd;

use std::collections::BTreeMap;

use crate::ir::{Ir, TypeDef};

pub use openapi::openapi;
pub use xsd::xsd;

/// EM's XML namespace (the runtime's `NAMESPACE`; a test keeps the two equal).
pub const NAMESPACE: &str = "http://www.veeam.com/ent/v1.0";

/// The IR's types by Rust name, the name the IR uses to refer to a type.
struct Types<'a> {
    by_rust: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> Types<'a> {
    fn new(ir: &'a Ir) -> Self {
        Types { by_rust: ir.types().map(|t| (t.rust_name.as_str(), t)).collect() }
    }

    /// The type a Rust name refers to.
    fn get(&self, rust_name: &str) -> Option<&'a TypeDef> {
        self.by_rust.get(rust_name).copied()
    }

    /// The schema name of the type a Rust name refers to (the Rust name itself if it is unknown, which a
    /// validated schema never gives).
    fn schema_name(&self, rust_name: &str) -> String {
        self.get(rust_name).map_or_else(|| rust_name.to_owned(), |t| t.name.clone())
    }
}
