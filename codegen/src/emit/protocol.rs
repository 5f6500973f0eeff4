//! The runtime's protocol traits for the model types, from the schema's `role` marks: which type is a
//! link, which types carry links, which is a task and which is an error body. The client and server code
//! only ever reach model fields through these impls.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use crate::ir::*;
use crate::names::ident;

/// The link types that name each document type (Rust name -> link types, in schema order).
pub fn link_types_by_document(ir: &Ir) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rep in ir.resources.iter().flat_map(|r| &r.representations) {
        let entry = map.entry(rep.ty.clone()).or_default();
        for lt in &rep.link_types {
            if !entry.contains(lt) {
                entry.push(lt.clone());
            }
        }
    }
    map
}

/// `impl Document` for every root type.
pub fn document_impls(modules: &[Module], link_types: &BTreeMap<String, Vec<String>>, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let impls = modules.iter().flat_map(|m| &m.types).filter_map(|t| {
        let has_root = matches!(
            &t.kind,
            TypeKind::Struct(StructType { root: Some(_), .. }) | TypeKind::List(ListType { root: Some(_), .. })
        );
        if !has_root {
            return None;
        }
        let ty = paths.ty(&t.rust_name);
        let names = link_types.get(&t.rust_name).cloned().unwrap_or_default();
        Some(quote! {
            impl #rt::Document for #ty {
                const LINK_TYPES: &'static [&'static str] = &[#(#names),*];
            }
        })
    });
    quote!(#(#impls)*)
}

/// The protocol trait impls one structure earns from its roles.
pub fn struct_impls(t: &TypeDef, s: &StructType, all: &[&TypeDef], paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let name = format_ident!("{}", t.rust_name);
    let role = |r: FieldRole| s.fields.iter().find(|f| f.role == Some(r));
    let mut out = TokenStream::new();

    if let (Some(rel), Some(href)) = (role(FieldRole::Rel), role(FieldRole::Href)) {
        let rel = text(rel);
        let href = text(href);
        let link_type = opt_text(role(FieldRole::LinkType));
        let link_name = opt_text(role(FieldRole::Name));
        out.extend(quote! {
            impl #rt::LinkView for #name {
                fn rel(&self) -> &str { #rel }
                fn href(&self) -> &str { #href }
                fn link_type(&self) -> ::core::option::Option<&str> { #link_type }
                fn name(&self) -> ::core::option::Option<&str> { #link_name }
            }
        });
    }

    if let Some(links) = role(FieldRole::Links) {
        if let FieldKind::List { item, .. } = &links.kind {
            let field = ident(&links.rust_name);
            let item_ty = paths.ty(item);
            let list = match links.occurs {
                Occurs::Optional => quote!(self.#field.as_deref().unwrap_or(&[])),
                _ => quote!(&self.#field),
            };
            let href = opt_text(role(FieldRole::Href));
            out.extend(quote! {
                impl #rt::HasLinks for #name {
                    type Link = #item_ty;
                    fn links(&self) -> &[#item_ty] { #list }
                    fn href(&self) -> ::core::option::Option<&str> { #href }
                }
            });
        }
    }

    if let Some(state) = role(FieldRole::State) {
        let state = opt_text(Some(state));
        let result = role(FieldRole::Result).and_then(|f| match &f.kind {
            FieldKind::Child { ty, .. } => Some((f, ty)),
            _ => None,
        });
        let (succeeded, message) = match result {
            Some((field, ty)) => {
                let inner = all.iter().find_map(|t| match &t.kind {
                    TypeKind::Struct(inner) if &t.rust_name == ty => Some(inner),
                    _ => None,
                });
                let in_result = |r: FieldRole| inner.and_then(|i| i.fields.iter().find(|f| f.role == Some(r)));
                let access = ident(&field.rust_name);
                let result = match field.occurs {
                    Occurs::Optional => quote!(self.#access.as_ref()),
                    _ => quote!(::core::option::Option::Some(&self.#access)),
                };
                let succeeded = match in_result(FieldRole::Success) {
                    Some(f) => {
                        let f_ident = ident(&f.rust_name);
                        match f.occurs {
                            Occurs::Optional => quote!(#result.and_then(|r| r.#f_ident)),
                            _ => quote!(#result.map(|r| r.#f_ident)),
                        }
                    }
                    None => quote!(::core::option::Option::None),
                };
                let message = match in_result(FieldRole::Message) {
                    Some(f) => {
                        let f_ident = ident(&f.rust_name);
                        match f.occurs {
                            Occurs::Optional => quote!(#result.and_then(|r| r.#f_ident.as_deref())),
                            _ => quote!(#result.map(|r| r.#f_ident.as_str())),
                        }
                    }
                    None => quote!(::core::option::Option::None),
                };
                (succeeded, message)
            }
            None => (quote!(::core::option::Option::None), quote!(::core::option::Option::None)),
        };
        out.extend(quote! {
            impl #rt::TaskView for #name {
                fn state(&self) -> ::core::option::Option<&str> { #state }
                fn succeeded(&self) -> ::core::option::Option<bool> { #succeeded }
                fn message(&self) -> ::core::option::Option<&str> { #message }
            }
        });
    }

    if let Some(paging) = role(FieldRole::Paging) {
        out.extend(paged_impl(&name, s, paging, all, paths));
    }

    if let Some(code) = role(FieldRole::StatusCode) {
        let message = role(FieldRole::Message);
        let message_get = opt_text(message);
        let code_ident = ident(&code.rust_name);
        let code_get = match code.occurs {
            Occurs::Optional => quote!(self.#code_ident.map(i64::from)),
            _ => quote!(::core::option::Option::Some(i64::from(self.#code_ident))),
        };
        let code_ty = match &code.kind {
            FieldKind::Attribute { value, .. } | FieldKind::Value { value, .. } => value.clone(),
            _ => ValueType::Int,
        };
        let convert = match code_ty {
            ValueType::UnsignedShort => quote!(status_code),
            ValueType::Long => quote!(i64::from(status_code)),
            _ => quote!(i32::from(status_code)),
        };
        let code_set = match code.occurs {
            Occurs::Optional => quote!(#code_ident: ::core::option::Option::Some(#convert),),
            _ => quote!(#code_ident: #convert,),
        };
        let message_set = message.map(|m| {
            let m_ident = ident(&m.rust_name);
            match m.occurs {
                Occurs::Optional => quote!(#m_ident: ::core::option::Option::Some(message.to_owned()),),
                _ => quote!(#m_ident: message.to_owned(),),
            }
        });
        let set = 1 + usize::from(message.is_some());
        let rest = (s.fields.len() > set).then(|| quote!(..::core::default::Default::default()));
        out.extend(quote! {
            impl #rt::ErrorView for #name {
                fn message(&self) -> ::core::option::Option<&str> { #message_get }
                fn status_code(&self) -> ::core::option::Option<i64> { #code_get }
                fn from_parts(message: &str, status_code: u16) -> Self {
                    Self { #message_set #code_set #rest }
                }
            }
        });
    }
    out
}

/// The struct a field of `Child` kind holds.
fn child_struct<'a>(f: &Field, all: &[&'a TypeDef]) -> Option<&'a StructType> {
    let FieldKind::Child { ty, .. } = &f.kind else { return None };
    all.iter().find_map(|t| match &t.kind {
        TypeKind::Struct(s) if &t.rust_name == ty => Some(s),
        _ => None,
    })
}

/// How many items a list field (or, one level down, a structure of lists) holds on `value`.
fn count(f: &Field, value: TokenStream, all: &[&TypeDef]) -> TokenStream {
    let field = ident(&f.rust_name);
    match (&f.kind, f.occurs) {
        (FieldKind::List { .. }, Occurs::Optional) => quote!(#value.#field.as_ref().map_or(0, Vec::len)),
        (FieldKind::List { .. }, _) => quote!(#value.#field.len()),
        (FieldKind::Child { .. }, occurs) => {
            let Some(inner) = child_struct(f, all) else { return quote!(0) };
            let lists: Vec<TokenStream> = inner
                .fields
                .iter()
                .filter(|g| matches!(g.kind, FieldKind::List { .. }) && g.role != Some(FieldRole::Links))
                .map(|g| count(g, quote!(inner), all))
                .collect();
            if lists.is_empty() {
                return quote!(0);
            }
            match occurs {
                Occurs::Optional => quote!(#value.#field.as_ref().map_or(0, |inner| #(#lists)+*)),
                _ => quote!({ let inner = &#value.#field; #(#lists)+* }),
            }
        }
        _ => quote!(0),
    }
}

/// `impl Paged` for a page type: its `paging` element's `pages-count`, and the items of its `items` fields.
fn paged_impl(
    name: &proc_macro2::Ident,
    s: &StructType,
    paging: &Field,
    all: &[&TypeDef],
    paths: &Paths,
) -> TokenStream {
    let rt = paths.rt();
    let pages_count = child_struct(paging, all)
        .and_then(|p| p.fields.iter().find(|f| f.role == Some(FieldRole::PagesCount)))
        .map(|count_field| {
            let paging_field = ident(&paging.rust_name);
            let count_ident = ident(&count_field.rust_name);
            let paging_ref = match paging.occurs {
                Occurs::Optional => quote!(self.#paging_field.as_ref()),
                _ => quote!(Some(&self.#paging_field)),
            };
            let value = match count_field.occurs {
                Occurs::Optional => quote!(p.#count_ident),
                _ => quote!(Some(p.#count_ident)),
            };
            quote!(#paging_ref.and_then(|p| #value).and_then(|n| u32::try_from(n).ok()))
        })
        .unwrap_or_else(|| quote!(None));
    let items: Vec<TokenStream> =
        s.fields.iter().filter(|f| f.role == Some(FieldRole::Items)).map(|f| count(f, quote!(self), all)).collect();
    let item_count = if items.is_empty() { quote!(None) } else { quote!(Some(#(#items)+*)) };
    quote! {
        impl #rt::client::Paged for #name {
            fn pages_count(&self) -> ::core::option::Option<u32> { #pages_count }
            fn is_empty_page(&self) -> bool { #rt::client::Paged::item_count(self) == ::core::option::Option::Some(0) }
            fn item_count(&self) -> ::core::option::Option<usize> { #item_count }
        }
    }
}

/// A `&str` for a text field that the trait requires; a missing optional value reads as empty.
fn text(f: &Field) -> TokenStream {
    let field = ident(&f.rust_name);
    let is_enum = matches!(
        &f.kind,
        FieldKind::Attribute { value: ValueType::Enum(_), .. } | FieldKind::Value { value: ValueType::Enum(_), .. }
    );
    match (f.occurs, is_enum) {
        (Occurs::Optional, false) => quote!(self.#field.as_deref().unwrap_or_default()),
        (Occurs::Optional, true) => quote!(self.#field.as_ref().map_or("", |v| v.as_str())),
        (_, false) => quote!(&self.#field),
        (_, true) => quote!(self.#field.as_str()),
    }
}

/// An `Option<&str>` for a text field, `None` when the role is not there.
fn opt_text(f: Option<&Field>) -> TokenStream {
    let Some(f) = f else { return quote!(::core::option::Option::None) };
    let field = ident(&f.rust_name);
    let is_enum = matches!(
        &f.kind,
        FieldKind::Attribute { value: ValueType::Enum(_), .. } | FieldKind::Value { value: ValueType::Enum(_), .. }
    );
    match (f.occurs, is_enum) {
        (Occurs::Optional, false) => quote!(self.#field.as_deref()),
        (Occurs::Optional, true) => quote!(self.#field.as_ref().map(|v| v.as_str())),
        (_, false) => quote!(::core::option::Option::Some(self.#field.as_str())),
        (_, true) => quote!(::core::option::Option::Some(self.#field.as_str())),
    }
}
