//! Every check that needs more than one declaration. All problems are reported, not just the first; the
//! symbol table built on the way is what `ir::lower` resolves names with.
//!
//! These checks run on the merged syntax tree, so they hold for both front-ends (the schema language and
//! XSD); checks only one language needs live with its reader (`schema/parse.rs`, `xsd/`). By topic:
//! `types` (enums, complex types, lists), `resources` (paths, representations, methods, links), `naming`
//! (`rust=` overrides), `roles` (the parts fields play for the client and server).

use std::collections::BTreeMap;

use crate::diagnostics::{Pos, Sink};
use crate::ir::BUILTIN_TYPES;
use crate::names;
use crate::schema::*;

mod naming;
mod resources;
mod roles;
mod types;

pub use resources::{parse_path, parse_query};

/// A declared type.
#[derive(Clone, Copy, Debug)]
pub enum TypeEntry<'a> {
    Enum(&'a EnumDecl),
    Complex(&'a ComplexDecl),
    List(&'a ListDecl),
}

impl<'a> TypeEntry<'a> {
    fn name(&self) -> &'a Spanned<String> {
        match self {
            TypeEntry::Enum(d) => &d.name,
            TypeEntry::Complex(d) => &d.name,
            TypeEntry::List(d) => &d.name,
        }
    }

    /// The `rust=` override of its Rust name, if any.
    fn rust(&self) -> Option<&'a Spanned<String>> {
        match self {
            TypeEntry::Enum(d) => d.rust.as_ref(),
            TypeEntry::Complex(d) => d.rust.as_ref(),
            TypeEntry::List(d) => d.rust.as_ref(),
        }
    }

    /// Whether the type can be a whole document.
    pub fn root(&self) -> Option<&'a str> {
        match self {
            TypeEntry::Complex(d) if !d.is_abstract => d.root.as_ref().map(|r| r.value.as_str()),
            TypeEntry::List(d) => d.root.as_ref().map(|r| r.value.as_str()),
            _ => None,
        }
    }
}

/// Names resolved across all files.
#[derive(Debug, Default)]
pub struct Symbols<'a> {
    /// Types by schema name.
    pub types: BTreeMap<&'a str, TypeEntry<'a>>,
    /// Resources by name.
    pub resources: BTreeMap<&'a str, &'a ResourceDecl>,
    /// Link type -> the document type it leads to, and where that was first said.
    pub link_types: BTreeMap<&'a str, (&'a str, Pos)>,
}

impl<'a> Symbols<'a> {
    /// The Rust type name of the declared type `schema_name`: its `rust=` override, or the name derived
    /// from it.
    pub fn rust_type(&self, schema_name: &str) -> String {
        match self.types.get(schema_name).and_then(|e| e.rust()) {
            Some(rust) => rust.value.clone(),
            None => names::type_name(schema_name),
        }
    }

    /// The complex type and its bases, base first. Stops at a cycle or an unknown base.
    pub fn chain(&self, decl: &'a ComplexDecl) -> Vec<&'a ComplexDecl> {
        let mut chain = vec![decl];
        let mut current = decl;
        while let Some(base) = &current.extends {
            match self.types.get(base.value.as_str()) {
                Some(TypeEntry::Complex(b)) if !chain.iter().any(|c| std::ptr::eq(*c, *b)) => {
                    chain.push(b);
                    current = b;
                }
                _ => break,
            }
        }
        chain.reverse();
        chain
    }
}

/// Runs every check; problems go to `sink`.
pub fn validate<'a>(files: &'a [SchemaFile], sink: &mut Sink<'_>) -> Symbols<'a> {
    let mut v = Validator { sink, symbols: Symbols::default(), rust_types: BTreeMap::new(), roots: BTreeMap::new() };
    v.collect(files);
    for file in files {
        for item in &file.items {
            match item {
                Item::Enum(d) => v.enum_decl(d),
                Item::Complex(d) => v.complex(d),
                Item::List(d) => v.list(d),
                // Applied by `schema::merge` before validation.
                Item::Resource(_) | Item::Amend(_) => {}
            }
        }
    }
    let resources: Vec<&ResourceDecl> = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|i| if let Item::Resource(r) = i { Some(r) } else { None })
        .collect();
    for r in &resources {
        v.resource(r);
    }
    for r in &resources {
        v.links(r);
    }
    // Links declared on types, once every resource and link type is known.
    for file in files {
        for item in &file.items {
            if let Item::Complex(d) = item {
                for link in &d.links {
                    v.link(link, None);
                }
            }
        }
    }
    v.symbols
}

struct Validator<'a, 's, 'f> {
    sink: &'s mut Sink<'f>,
    symbols: Symbols<'a>,
    /// Rust type name -> the schema name that took it, and where.
    rust_types: BTreeMap<String, (String, Pos)>,
    /// Root element -> where it was declared.
    roots: BTreeMap<&'a str, Pos>,
}

impl<'a> Validator<'a, '_, '_> {
    fn claim_rust_type(&mut self, rust: String, schema_name: &str, pos: Pos) {
        if names::RESERVED_TYPES.contains(&rust.as_str()) {
            self.sink.error(pos, format!("`{schema_name}` would become `{rust}`, a name the generator uses itself"));
            return;
        }
        if let Some((other, first)) = self.rust_types.get(&rust) {
            let note = format!("`{other}` took it at {}", self.sink.at(*first));
            self.sink
                .error(
                    pos,
                    format!("`{schema_name}` would become the Rust type `{rust}`, which another name already takes"),
                )
                .note(note);
        } else {
            self.rust_types.insert(rust, (schema_name.to_owned(), pos));
        }
    }

    fn collect(&mut self, files: &'a [SchemaFile]) {
        for file in files {
            for item in &file.items {
                let entry = match item {
                    Item::Enum(d) => TypeEntry::Enum(d),
                    Item::Complex(d) => TypeEntry::Complex(d),
                    Item::List(d) => TypeEntry::List(d),
                    Item::Amend(_) => continue,
                    Item::Resource(r) => {
                        if let Some(first) = self.symbols.resources.get(r.name.value.as_str()) {
                            let note = format!("first declared at {}", self.sink.at(first.name.pos));
                            self.sink.error(r.name.pos, format!("duplicate resource `{}`", r.name.value)).note(note);
                        } else {
                            self.symbols.resources.insert(&r.name.value, r);
                        }
                        continue;
                    }
                };
                let name = entry.name();
                if !names::is_identifier(&name.value) {
                    self.sink.error(name.pos, format!("`{}` is not a valid type name", name.value));
                    continue;
                }
                if BUILTIN_TYPES.contains(&name.value.as_str()) {
                    self.sink.error(name.pos, format!("`{}` is a built-in type and cannot be declared", name.value));
                    continue;
                }
                if let Some(first) = self.symbols.types.get(name.value.as_str()) {
                    let note = format!("first declared at {}", self.sink.at(first.name().pos));
                    self.sink.error(name.pos, format!("duplicate type `{}`", name.value)).note(note);
                    continue;
                }
                self.symbols.types.insert(&name.value, entry);
                let is_abstract = matches!(entry, TypeEntry::Complex(d) if d.is_abstract);
                if let Some(rust) = entry.rust() {
                    self.check_rust_type_name(&Some(rust.clone()));
                }
                if !is_abstract {
                    let pos = entry.rust().map_or(name.pos, |r| r.pos);
                    self.claim_rust_type(self.symbols.rust_type(&name.value), &name.value, pos);
                }
                if let TypeEntry::Complex(d) = entry {
                    for member in &d.members {
                        if let Member::Choice(c) = member {
                            let rust = names::type_name(&format!("{}{}", d.name.value, c.name.value));
                            self.claim_rust_type(rust, &format!("{}.{}", d.name.value, c.name.value), c.name.pos);
                        }
                    }
                }
                let root = match entry {
                    TypeEntry::Complex(d) => d.root.as_ref(),
                    TypeEntry::List(d) => d.root.as_ref(),
                    TypeEntry::Enum(_) => None,
                };
                if let Some(root) = root {
                    if let Some(first) = self.roots.get(root.value.as_str()) {
                        let note = format!("first used at {}", self.sink.at(*first));
                        self.sink
                            .error(root.pos, format!("root element `{}` is used by two types", root.value))
                            .note(note);
                    } else {
                        self.roots.insert(&root.value, root.pos);
                    }
                }
            }
        }
    }

    fn unknown_type(&mut self, ty: &Spanned<String>) {
        let candidates: Vec<&str> = self.symbols.types.keys().copied().chain(BUILTIN_TYPES.iter().copied()).collect();
        let d = self.sink.error(ty.pos, format!("unknown type `{}`", ty.value));
        if let Some(best) = names::closest(&ty.value, candidates) {
            d.note(format!("did you mean `{best}`?"));
        }
    }
}

fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
