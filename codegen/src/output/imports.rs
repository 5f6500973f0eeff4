//! Writes generated files the way a person would: `Option<String>` rather than
//! `::core::option::Option<::std::string::String>`, with a `use` block at the top.
//!
//! Emitters write every path in full, which is always correct; this pass shortens the ones that cannot
//! clash. A name is shortened only when nothing else in the file (an item the file defines, or another
//! import) already uses it, so a schema type called `Option`, `Url` or `Document` keeps the full path for
//! the other one.

use std::collections::{BTreeMap, BTreeSet};

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Item, Path, PathArguments, PathSegment, Token};

/// Prelude names a person writes bare.
const PRELUDE: &[(&str, &str)] = &[
    ("::core::option::Option", "Option"),
    ("::core::result::Result", "Result"),
    ("::std::string::String", "String"),
    ("::std::vec::Vec", "Vec"),
    ("::std::vec", "vec"),
    ("::core::convert::From", "From"),
    ("::core::default::Default", "Default"),
    ("::std::boxed::Box", "Box"),
];

/// Shortens the paths of `file` and adds the imports that makes necessary. `own_module` is the module the
/// file is (`model` for the model files), whose items it names bare; `in_scope` are more names of that
/// module the file sees without an import (the model's `mod.rs` re-exports every type with globs).
pub fn tidy(file: &mut syn::File, own_module: &str, in_scope: &BTreeSet<String>) {
    let mut local: BTreeSet<String> = file.items.iter().filter_map(item_name).collect();
    local.extend(in_scope.iter().cloned());
    let mut taken = local.clone();
    for item in &file.items {
        if let Item::Use(u) = item {
            use_names(&u.tree, &mut taken);
        }
    }
    let mut shortener = Shortener {
        taken: &mut taken,
        local: &local,
        own_module,
        imports: BTreeMap::new(),
        prelude_blocked: BTreeSet::new(),
    };
    for item in &mut file.items {
        shortener.visit_item_mut(item);
    }
    let imports = shortener.imports;
    let uses: Vec<Item> = group(&imports)
        .into_iter()
        .map(|line| syn::parse_str::<Item>(&line).unwrap_or_else(|e| panic!("internal: bad import `{line}`: {e}")))
        .collect();
    // Inner attributes and doc comments stay first; imports go before the first item.
    let at = file.items.iter().position(|i| !matches!(i, Item::Use(_))).unwrap_or(file.items.len());
    for (offset, item) in uses.into_iter().enumerate() {
        file.items.insert(at + offset, item);
    }
}

/// `use` lines, one per crate root, with items in braces.
fn group(imports: &BTreeMap<String, String>) -> Vec<String> {
    let mut by_parent: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for full in imports.values() {
        let (parent, name) = full.rsplit_once("::").unwrap_or(("", full));
        by_parent.entry(parent.to_owned()).or_default().insert(name.to_owned());
    }
    // std first, then other crates, then this crate, as rustfmt's grouping would have it.
    let rank = |p: &str| match p.split("::").next() {
        Some("std") => 0,
        Some("crate") | Some("super") => 2,
        _ => 1,
    };
    let mut lines: Vec<(u8, String)> = by_parent
        .iter()
        .map(|(parent, names)| {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let line = if names.len() == 1 {
                format!("use {parent}::{};", names[0])
            } else {
                format!("use {parent}::{{{}}};", names.join(", "))
            };
            (rank(parent), line)
        })
        .collect();
    lines.sort();
    lines.into_iter().map(|(_, line)| line).collect()
}

fn item_name(item: &Item) -> Option<String> {
    Some(match item {
        Item::Struct(i) => i.ident.to_string(),
        Item::Enum(i) => i.ident.to_string(),
        Item::Trait(i) => i.ident.to_string(),
        Item::Fn(i) => i.sig.ident.to_string(),
        Item::Static(i) => i.ident.to_string(),
        Item::Const(i) => i.ident.to_string(),
        Item::Type(i) => i.ident.to_string(),
        Item::Mod(i) => i.ident.to_string(),
        _ => return None,
    })
}

fn use_names(tree: &syn::UseTree, names: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, names),
        syn::UseTree::Name(n) => {
            names.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            names.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, names)),
        syn::UseTree::Glob(_) => {}
    }
}

struct Shortener<'a> {
    /// Names in use in the file: its own items and the imports made so far.
    taken: &'a mut BTreeSet<String>,
    /// The items the file defines.
    local: &'a BTreeSet<String>,
    /// The module the file is, under `crate`.
    own_module: &'a str,
    /// Short name -> imported path.
    imports: BTreeMap<String, String>,
    /// Prelude names a file item shadows (keep them qualified).
    prelude_blocked: BTreeSet<String>,
}

impl Shortener<'_> {
    /// The short form of a full path, importing what it needs; `None` keeps it as it is.
    fn shorten(&mut self, text: &str) -> Option<String> {
        for variant in ["Some", "None", "Ok", "Err"] {
            for owner in ["::core::option::Option::", "::core::result::Result::"] {
                if text == format!("{owner}{variant}") && !self.taken.contains(variant) {
                    return Some(variant.to_owned());
                }
            }
        }
        if let Some(name) = text.strip_prefix(&format!("crate::{}::", self.own_module)) {
            // A type of the module being written is named bare when the file defines it.
            if !name.contains("::") && self.local.contains(name) {
                return Some(name.to_owned());
            }
        }
        for (full, short) in PRELUDE {
            if let Some(rest) = text.strip_prefix(full) {
                if rest.is_empty() || rest.starts_with("::") {
                    if self.taken.contains(*short) || self.prelude_blocked.contains(*short) {
                        self.prelude_blocked.insert((*short).to_owned());
                        return None;
                    }
                    return Some(format!("{short}{rest}"));
                }
            }
        }
        let segments: Vec<&str> = text.trim_start_matches("::").split("::").collect();
        let absolute = text.starts_with("::");
        let (import, keep) = match segments.as_slice() {
            // `::core::fmt::Display` -> `fmt::Display` with `use std::fmt`.
            ["core" | "std", "fmt", rest @ ..] if !rest.is_empty() => ("std::fmt".to_owned(), 2),
            // `::std::borrow::Cow` -> `Cow`; `::core::str::FromStr` -> `FromStr`.
            ["core" | "std", module, name, ..] if starts_upper(name) => (format!("std::{module}::{name}"), 3),
            // `::core::future::Future` and the like are covered above; functions keep their module.
            ["core" | "std", ..] => return None,
            // `crate::model::Link` -> `Link`.
            ["crate", "model", name, ..] if !absolute && starts_upper(name) => (format!("crate::model::{name}"), 3),
            ["crate", ..] => return None,
            // `::veeam_em_runtime::Url` -> `Url`; `::veeam_em_runtime::href::with_query` -> `href::with_query`.
            [krate, name, ..] if absolute && starts_upper(name) => (format!("{krate}::{name}"), 2),
            [krate, module, _, ..] if absolute => (format!("{krate}::{module}"), 2),
            // `::serde_json::from_str` -> `serde_json::from_str`.
            [_, _] if absolute => return Some(text.trim_start_matches("::").to_owned()),
            _ => return None,
        };
        let name = import.rsplit("::").next().unwrap_or_default().to_owned();
        match self.imports.get(&name) {
            Some(existing) if *existing == import => {}
            Some(_) => return None,
            None => {
                if self.taken.contains(&name) {
                    return None;
                }
                self.taken.insert(name.clone());
                self.imports.insert(name.clone(), import);
            }
        }
        let rest = &segments[keep..];
        Some(if rest.is_empty() { name } else { format!("{name}::{}", rest.join("::")) })
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

/// The path as text (`::a::b::C`), without generic arguments; `None` when a segment other than the last
/// has arguments (the short form could not keep them).
fn path_text(path: &Path) -> Option<String> {
    let mut text = String::new();
    if path.leading_colon.is_some() {
        text.push_str("::");
    }
    let last = path.segments.len().saturating_sub(1);
    for (i, segment) in path.segments.iter().enumerate() {
        if i > 0 {
            text.push_str("::");
        }
        if i < last && !matches!(segment.arguments, PathArguments::None) {
            return None;
        }
        text.push_str(&segment.ident.to_string());
    }
    Some(text)
}

impl Shortener<'_> {
    /// `<T as path::Trait>::rest`: the trait part is shortened on its own and `position` follows it.
    fn qualified(&mut self, qself: &mut Option<syn::QSelf>, path: &mut Path) -> bool {
        let Some(q) = qself else { return false };
        self.visit_type_mut(&mut q.ty);
        let mut prefix = Path { leading_colon: path.leading_colon, segments: Punctuated::new() };
        let mut rest: Vec<PathSegment> = Vec::new();
        for (i, segment) in path.segments.iter().enumerate() {
            if i < q.position {
                prefix.segments.push(segment.clone());
            } else {
                rest.push(segment.clone());
            }
        }
        self.visit_path_mut(&mut prefix);
        q.position = prefix.segments.len();
        let mut segments = prefix.segments;
        for mut segment in rest {
            self.visit_path_arguments_mut(&mut segment.arguments);
            segments.push(segment);
        }
        *path = Path { leading_colon: prefix.leading_colon, segments };
        true
    }
}

impl VisitMut for Shortener<'_> {
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        if !self.qualified(&mut node.qself, &mut node.path) {
            visit_mut::visit_type_path_mut(self, node);
        }
    }

    fn visit_expr_path_mut(&mut self, node: &mut syn::ExprPath) {
        if !self.qualified(&mut node.qself, &mut node.path) {
            visit_mut::visit_expr_path_mut(self, node);
        }
    }

    fn visit_path_mut(&mut self, path: &mut Path) {
        // Generic arguments first (`Option<::std::string::String>`).
        visit_mut::visit_path_mut(self, path);
        if path.leading_colon.is_none() && path.segments.first().is_none_or(|s| s.ident != "crate") {
            return;
        }
        let Some(text) = path_text(path) else { return };
        let Some(short) = self.shorten(&text) else { return };
        let arguments = path.segments.last().map(|s| s.arguments.clone()).unwrap_or(PathArguments::None);
        let mut segments: Punctuated<PathSegment, Token![::]> = short
            .split("::")
            .map(|s| PathSegment {
                ident: syn::Ident::new(s, proc_macro2::Span::call_site()),
                arguments: PathArguments::None,
            })
            .collect();
        if let Some(last) = segments.last_mut() {
            last.arguments = arguments;
        }
        *path = Path { leading_colon: None, segments };
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        // `#[derive(::serde::Serialize)]`: the derive list is tokens to syn; read it as paths.
        if attr.path().is_ident("derive") {
            if let Ok(mut list) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated) {
                for path in list.iter_mut() {
                    self.visit_path_mut(path);
                }
                *attr = syn::parse_quote!(#[derive(#list)]);
            }
        }
    }
}
