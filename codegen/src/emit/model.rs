//! Model types: structs, open enums, choice enums and list wrappers, with their XML codecs (calling the
//! runtime) and serde attributes for EM's JSON form.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, Paths};
use crate::ir::*;
use crate::names::ident;

/// Every type of a module, with the protocol impls their roles earn. `all` is every type of the schema.
pub fn module_items(module: &Module, all: &[&TypeDef], paths: &Paths) -> TokenStream {
    let items = module.types.iter().map(|t| {
        let def = type_def(t, paths);
        let protocol = match &t.kind {
            TypeKind::Struct(s) => {
                let markers = json_list_markers(t, s, paths);
                let impls = super::protocol::struct_impls(t, s, all, paths);
                quote!(#markers #impls)
            }
            _ => TokenStream::new(),
        };
        quote!(#def #protocol)
    });
    quote!(#(#items)*)
}

fn type_def(t: &TypeDef, paths: &Paths) -> TokenStream {
    match &t.kind {
        TypeKind::Enum(e) => open_enum(t, e, paths),
        TypeKind::Struct(s) => structure(t, s, paths),
        TypeKind::List(l) => list(t, l, paths),
        TypeKind::Choice(c) => choice(t, c, paths),
    }
}

/// `impl XmlDocument` for a type that can be a whole document.
fn document_impl(paths: &Paths, name: &proc_macro2::Ident, root: &str) -> TokenStream {
    let rt = paths.rt();
    quote! {
        impl #rt::XmlDocument for #name {
            const ROOT: &'static str = #root;
        }
    }
}

fn bytes(s: &str) -> Literal {
    Literal::byte_string(s.as_bytes())
}

/// The schema description, or a plain statement of what the item is when the schema has none.
fn described(doc: &Option<String>, fallback: impl FnOnce() -> String) -> String {
    doc.clone().unwrap_or_else(fallback)
}

/// The Rust type of a simple value.
pub(crate) fn value_type(v: &ValueType, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    match v {
        ValueType::String | ValueType::Guid | ValueType::Uid | ValueType::Url => quote!(::std::string::String),
        ValueType::Boolean => quote!(bool),
        ValueType::Int => quote!(i32),
        ValueType::Long => quote!(i64),
        ValueType::UnsignedShort => quote!(u16),
        ValueType::DateTime => quote!(#rt::DateTime),
        ValueType::Byte => quote!(i8),
        ValueType::Short => quote!(i16),
        ValueType::UnsignedByte => quote!(u8),
        ValueType::UnsignedInt => quote!(u32),
        ValueType::UnsignedLong => quote!(u64),
        ValueType::Float => quote!(#rt::Float),
        ValueType::Double => quote!(#rt::Double),
        ValueType::Decimal => quote!(#rt::Decimal),
        ValueType::Date => quote!(#rt::Date),
        ValueType::Time => quote!(#rt::TimeOfDay),
        ValueType::Duration => quote!(#rt::Duration),
        ValueType::Base64Binary => quote!(#rt::Base64Binary),
        ValueType::HexBinary => quote!(#rt::HexBinary),
        ValueType::Enum(name) => paths.ty(name),
        ValueType::List(item) => {
            let item = value_type(item, paths);
            quote!(#rt::ValueList<#item>)
        }
    }
}

fn open_enum(t: &TypeDef, e: &EnumType, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let name = format_ident!("{}", t.rust_name);
    let doc = doc_attrs(&format!(
        "{}\n\nAn open enumeration: values this version does not know are kept in [`{}::Unknown`].",
        described(&t.doc, || format!("Values of `{}`.", t.name)),
        t.rust_name
    ));
    let variants = e.values.iter().map(|v| {
        let ident = format_ident!("{}", v.rust_name);
        let doc = doc_attrs(&format!(
            "{}\n\nWire value `{}`.",
            described(&v.doc, || format!("The value `{}`.", v.wire)),
            v.wire
        ));
        quote!(#doc #ident,)
    });
    let to_str = e.values.iter().map(|v| {
        let ident = format_ident!("{}", v.rust_name);
        let wire = &v.wire;
        quote!(Self::#ident => #wire,)
    });
    let from_str = e.values.iter().map(|v| {
        let ident = format_ident!("{}", v.rust_name);
        let wire = &v.wire;
        quote!(#wire => Self::#ident,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the bindings does not know, kept exactly as received.
            Unknown(#rt::UnknownValue),
        }

        impl #name {
            /// The wire form of the value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(#rt::UnknownValue::new_unchecked(other)),
                }
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::XmlValue for #name {
            fn from_text(text: ::std::borrow::Cow<'_, str>) -> ::core::result::Result<Self, #rt::ValueError> {
                Ok(Self::from(&*text))
            }

            fn to_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #rt::json::deserialize_open_enum(deserializer)
            }
        }
    }
}

/// Where a field lives on the wire, for its rustdoc.
fn wire_note(f: &Field) -> String {
    match &f.kind {
        FieldKind::Attribute { name, .. } => format!("Attribute `{name}`."),
        FieldKind::Value { element, .. } | FieldKind::Child { element, .. } => format!("Element `<{element}>`."),
        FieldKind::List { element, .. } => format!("Element `<{element}>`, a list wrapper."),
        FieldKind::Marker { element } => format!("Element `<{element}/>`, present or not."),
        FieldKind::Choice { choice, .. } => format!("One of the elements of [`{choice}`]."),
        FieldKind::Text { .. } => "The element's text content.".to_owned(),
    }
}

fn field_type(f: &Field, paths: &Paths) -> TokenStream {
    let inner = match &f.kind {
        FieldKind::Attribute { value, .. } | FieldKind::Value { value, .. } | FieldKind::Text { value } => {
            value_type(value, paths)
        }
        FieldKind::Child { ty, .. } => paths.ty(ty),
        FieldKind::List { item, item_value, .. } => {
            let item = match item_value {
                Some(value) => value_type(value, paths),
                None => paths.ty(item),
            };
            quote!(::std::vec::Vec<#item>)
        }
        FieldKind::Marker { .. } => return quote!(bool),
        FieldKind::Choice { choice, .. } => paths.ty(choice),
    };
    match (f.occurs, &f.kind) {
        (Occurs::Required, _) | (Occurs::Repeated, FieldKind::List { .. }) => inner,
        (Occurs::Optional, _) => quote!(::core::option::Option<#inner>),
        (Occurs::Repeated, _) => quote!(::std::vec::Vec<#inner>),
    }
}

fn serde_attr(f: &Field, paths: &Paths) -> TokenStream {
    let json = f.json_name.clone().unwrap_or_default();
    match &f.kind {
        FieldKind::Choice { .. } if f.occurs == Occurs::Optional => {
            let with = format!("{}::json::optional_choice", paths.runtime);
            quote!(#[serde(flatten, default, deserialize_with = #with)])
        }
        FieldKind::Choice { .. } => quote!(#[serde(flatten)]),
        FieldKind::Marker { .. } => {
            let with = format!("{}::json::marker", paths.runtime);
            quote!(#[serde(rename = #json, default, with = #with)])
        }
        FieldKind::List { list, json: own_json, .. } => {
            let list = paths.type_str(own_json.as_ref().map_or(list, |j| &j.marker));
            if f.occurs == Occurs::Optional {
                let with = format!("{}::json::OptList::<{list}>", paths.runtime);
                quote!(#[serde(rename = #json, default, with = #with)])
            } else {
                let with = format!("{}::json::List::<{list}>", paths.runtime);
                quote!(#[serde(rename = #json, with = #with)])
            }
        }
        _ if f.occurs == Occurs::Repeated => {
            let with = format!("{}::json::repeated", paths.runtime);
            quote!(#[serde(rename = #json, default, with = #with)])
        }
        _ => quote!(#[serde(rename = #json)]),
    }
}

/// Whether `Default` makes sense: nothing required that has no natural empty value.
fn has_default(s: &StructType) -> bool {
    let defaultable = |v: &ValueType| {
        !matches!(v, ValueType::DateTime | ValueType::Date | ValueType::Time | ValueType::Decimal | ValueType::Enum(_))
    };
    s.fields.iter().all(|f| {
        f.occurs != Occurs::Required
            || match &f.kind {
                FieldKind::Marker { .. } | FieldKind::List { .. } => true,
                FieldKind::Attribute { value, .. } | FieldKind::Value { value, .. } | FieldKind::Text { value } => {
                    defaultable(value)
                }
                FieldKind::Child { .. } | FieldKind::Choice { .. } => false,
            }
    })
}

fn structure(t: &TypeDef, s: &StructType, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let name = format_ident!("{}", t.rust_name);
    let mut about = described(&t.doc, || format!("The `{}` type.", t.name));
    match (&s.root, s.bases.is_empty()) {
        (Some(root), true) => about.push_str(&format!("\n\nDocument root `<{root}>`.")),
        (Some(root), false) => {
            about.push_str(&format!("\n\nDocument root `<{root}>`; extends `{}`.", s.bases.join("` < `")))
        }
        (None, false) => about.push_str(&format!("\n\nExtends `{}`.", s.bases.join("` < `"))),
        (None, true) => {}
    }
    if !s.links.is_empty() {
        about.push_str("\n\nLinks it carries:");
        for l in &s.links {
            about.push_str(&format!("\n- `{}`", l.rel));
            if let Some(t) = &l.link_type {
                about.push_str(&format!(" (`{t}`)"));
            }
            if let Some(doc) = &l.doc {
                about.push_str(&format!(": {doc}"));
            }
        }
    }
    let doc = doc_attrs(&about);
    let default = has_default(s).then(|| quote!(Default,));

    let fields = s.fields.iter().map(|f| {
        let ident = ident(&f.rust_name);
        let ty = field_type(f, paths);
        let serde = serde_attr(f, paths);
        let aliases = &f.json_aliases;
        let serde = quote!(#serde #(#[serde(alias = #aliases)])*);
        let mut text =
            format!("{}\n\n{}", described(&f.doc, || format!("The `{}` member.", f.rust_name)), wire_note(f));
        if let Some(base) = &f.inherited_from {
            text.push_str(&format!(" Inherited from `{base}`."));
        }
        let doc = doc_attrs(&text);
        quote!(#doc #serde pub #ident: #ty,)
    });

    // Decoder: attributes in any order, then child elements by name.
    let attrs: Vec<&Field> = s.fields.iter().filter(|f| matches!(f.kind, FieldKind::Attribute { .. })).collect();
    let elements = s.elements_in_wire_order();
    let locals = s.fields.iter().map(|f| {
        let ident = ident(&f.rust_name);
        match (&f.kind, f.occurs) {
            (FieldKind::Text { .. }, _) => quote!(),
            (FieldKind::Marker { .. }, _) => quote!(let mut #ident = false;),
            (FieldKind::List { .. }, _) | (_, Occurs::Required | Occurs::Optional) => quote!(let mut #ident = None;),
            (_, Occurs::Repeated) => quote!(let mut #ident = ::std::vec::Vec::new();),
        }
    });
    let attr_loop = match attrs.as_slice() {
        [] => quote!(reader.check_attributes(element)?;),
        [only] => {
            let FieldKind::Attribute { name, .. } = &only.kind else { unreachable!("filtered to attributes") };
            let (ident, name) = (ident(&only.rust_name), bytes(name));
            quote! {
                for attr in reader.attributes(element) {
                    let attr = attr?;
                    if attr.name() == #name {
                        #ident = Some(attr.value()?);
                    }
                }
            }
        }
        many => {
            let arms = many.iter().map(|f| {
                let FieldKind::Attribute { name, .. } = &f.kind else { unreachable!("filtered to attributes") };
                let (ident, name) = (ident(&f.rust_name), bytes(name));
                quote!(#name => #ident = Some(attr.value()?),)
            });
            quote! {
                for attr in reader.attributes(element) {
                    let attr = attr?;
                    match attr.name() {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        }
    };
    let text = s.fields.iter().find(|f| matches!(f.kind, FieldKind::Text { .. }));
    let element_loop = if let Some(text) = text {
        let ident = ident(&text.rust_name);
        quote!(let #ident = reader.read_content(element)?;)
    } else if elements.is_empty() {
        quote! {
            while let Some(child) = reader.next_child(element)? {
                reader.skip(&child)?;
            }
        }
    } else {
        let arms = elements.iter().map(|f| element_arm(f, paths));
        quote! {
            while let Some(child) = reader.next_child(element)? {
                match child.name() {
                    #(#arms)*
                    _ => reader.skip(&child)?,
                }
            }
        }
    };
    let construct = s.fields.iter().map(|f| {
        let ident = ident(&f.rust_name);
        match (&f.kind, f.occurs) {
            (FieldKind::Attribute { name, .. }, Occurs::Required) => {
                quote!(#ident: reader.required_attr(element, #ident, #name)?,)
            }
            (
                FieldKind::Value { element: e, .. }
                | FieldKind::Child { element: e, .. }
                | FieldKind::List { element: e, .. },
                Occurs::Required,
            ) => {
                quote!(#ident: reader.required_element(element, #ident, #e)?,)
            }
            (FieldKind::Choice { alternatives, .. }, Occurs::Required) => {
                let names: Vec<&str> = alternatives.iter().map(|a| a.element.as_str()).collect();
                let names = names.join("` or `");
                quote!(#ident: reader.required_element(element, #ident, #names)?,)
            }
            (FieldKind::List { .. }, Occurs::Repeated) => quote!(#ident: #ident.unwrap_or_default(),),
            _ => quote!(#ident,),
        }
    });

    // Encoder: attributes, then elements in wire order.
    let write_attrs = attrs.iter().map(|f| {
        let FieldKind::Attribute { name, .. } = &f.kind else { unreachable!("filtered to attributes") };
        let ident = ident(&f.rust_name);
        if f.occurs == Occurs::Required {
            quote!(writer.attr(#name, &self.#ident);)
        } else {
            quote!(writer.opt_attr(#name, self.#ident.as_ref());)
        }
    });
    let write_elements = elements.iter().map(|f| write_element(f, paths));
    let write_text = text.map(|f| {
        let ident = ident(&f.rust_name);
        quote!(writer.text(&self.#ident);)
    });
    let document = s.root.as_deref().map(|root| document_impl(paths, &name, root));

    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }

        impl #rt::XmlDecode for #name {
            fn decode(reader: &mut #rt::XmlReader<'_>, element: &#rt::Element<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                #(#locals)*
                #attr_loop
                #element_loop
                Ok(Self {
                    #(#construct)*
                })
            }
        }

        impl #rt::XmlEncode for #name {
            fn encode(&self, writer: &mut #rt::XmlWriter, name: &'static str) {
                writer.start(name);
                #(#write_attrs)*
                #write_text
                #(#write_elements)*
                writer.end();
            }
        }

        #document
    }
}

fn element_arm(f: &Field, paths: &Paths) -> TokenStream {
    let ident = ident(&f.rust_name);
    let rt = paths.rt();
    // The element's name, and the other spellings some servers use (`xml-alias`).
    let names_of = |element: &str| {
        let aliases = f.xml_aliases.iter().map(|a| bytes(a));
        let name = bytes(element);
        quote!(#name #(| #aliases)*)
    };
    // A repeated element collects; one that holds a single value refuses a second occurrence.
    let read_into = |read: TokenStream| match f.occurs {
        Occurs::Repeated => quote!(#ident.push(#read(reader, &child)?)),
        _ => quote!(reader.read_once(&child, &mut #ident, #read)?),
    };
    match &f.kind {
        FieldKind::Attribute { .. } | FieldKind::Text { .. } => quote!(),
        FieldKind::Value { element, .. } => {
            let (name, read) = (names_of(element), read_into(quote!(#rt::XmlReader::read_value)));
            quote!(#name => #read,)
        }
        FieldKind::Child { element, .. } => {
            let (name, read) = (names_of(element), read_into(quote!(#rt::XmlReader::read_child)));
            quote!(#name => #read,)
        }
        FieldKind::List { element, list, item_value, .. } => {
            let name = names_of(element);
            let list = paths.ty(list);
            let read = if item_value.is_some() { quote!(read_value_list) } else { quote!(read_list) };
            quote!(#name => reader.read_once(&child, &mut #ident, #rt::XmlReader::#read::<#list>)?,)
        }
        FieldKind::Marker { element } => {
            let name = names_of(element);
            quote!(#name => {
                reader.skip(&child)?;
                #ident = true;
            })
        }
        FieldKind::Choice { choice, alternatives } => {
            let ty = paths.ty(choice);
            let arms = alternatives.iter().map(|a| {
                let name = bytes(&a.element);
                let variant = format_ident!("{}", a.rust_name);
                let read = match &a.content {
                    AltContent::Marker => quote!(|reader, child| reader.skip(child).map(|()| #ty::#variant)),
                    AltContent::Value(_) => quote!(|reader, child| reader.read_value(child).map(#ty::#variant)),
                    AltContent::Struct(_) => quote!(|reader, child| reader.read_child(child).map(#ty::#variant)),
                };
                quote!(#name => reader.read_alternative(&child, &mut #ident, #read)?,)
            });
            quote!(#(#arms)*)
        }
    }
}

fn write_element(f: &Field, paths: &Paths) -> TokenStream {
    let ident = ident(&f.rust_name);
    match (&f.kind, f.occurs) {
        (FieldKind::Attribute { .. } | FieldKind::Text { .. }, _) => quote!(),
        (FieldKind::Value { element, .. }, Occurs::Required) => quote!(writer.value(#element, &self.#ident);),
        (FieldKind::Value { element, .. }, Occurs::Optional) => {
            quote!(writer.opt_value(#element, self.#ident.as_ref());)
        }
        (FieldKind::Value { element, .. }, Occurs::Repeated) => quote! {
            for value in &self.#ident {
                writer.value(#element, value);
            }
        },
        (FieldKind::Child { element, .. }, Occurs::Required) => quote!(writer.child(#element, &self.#ident);),
        (FieldKind::Child { element, .. }, Occurs::Optional) => {
            quote!(writer.opt_child(#element, self.#ident.as_ref());)
        }
        (FieldKind::Child { element, .. }, Occurs::Repeated) => quote!(writer.repeated(#element, &self.#ident);),
        (FieldKind::List { element, list, item_value, .. }, Occurs::Optional) => {
            let list = paths.ty(list);
            let write = if item_value.is_some() { quote!(opt_value_list) } else { quote!(opt_list) };
            quote!(writer.#write::<#list>(#element, self.#ident.as_ref());)
        }
        (FieldKind::List { element, list, item_value, .. }, _) => {
            let list = paths.ty(list);
            let write = if item_value.is_some() { quote!(value_list) } else { quote!(list) };
            quote!(writer.#write::<#list>(#element, &self.#ident);)
        }
        (FieldKind::Marker { element }, _) => quote!(writer.marker(#element, self.#ident);),
        (FieldKind::Choice { choice, alternatives }, occurs) => {
            let ty = paths.ty(choice);
            let arms: Vec<TokenStream> = alternatives
                .iter()
                .map(|a| {
                    let variant = format_ident!("{}", a.rust_name);
                    let element = &a.element;
                    match &a.content {
                        AltContent::Marker => quote!(#ty::#variant => writer.marker(#element, true),),
                        AltContent::Value(_) => quote!(#ty::#variant(value) => writer.value(#element, value),),
                        AltContent::Struct(_) => quote!(#ty::#variant(value) => writer.child(#element, value),),
                    }
                })
                .collect();
            if occurs == Occurs::Required {
                quote!(match &self.#ident { #(#arms)* })
            } else {
                quote! {
                    if let Some(#ident) = &self.#ident {
                        match #ident { #(#arms)* }
                    }
                }
            }
        }
    }
}

fn choice(t: &TypeDef, c: &Choice, paths: &Paths) -> TokenStream {
    let name = format_ident!("{}", t.rust_name);
    let doc = doc_attrs(&described(&t.doc, || format!("One of the elements of `{}`.", t.name)));
    let variants = c.alternatives.iter().map(|a| {
        let variant = format_ident!("{}", a.rust_name);
        let json = &a.json_name;
        let doc = doc_attrs(&format!(
            "{}\n\nElement `<{}>`.",
            described(&a.doc, || format!("The `{}` element.", a.element)),
            a.element
        ));
        match &a.content {
            AltContent::Marker => {
                let with = format!("{}::json::marker_variant", paths.runtime);
                quote!(#doc #[serde(rename = #json, with = #with)] #variant,)
            }
            AltContent::Value(v) => {
                let ty = value_type(v, paths);
                quote!(#doc #[serde(rename = #json)] #variant(#ty),)
            }
            AltContent::Struct(s) => {
                let ty = paths.ty(s);
                quote!(#doc #[serde(rename = #json)] #variant(#ty),)
            }
        }
    });
    let rt = paths.rt();
    let keys = c.alternatives.iter().map(|a| &a.json_name);
    // One alternative a structure, another a flag: the variants differ in size by nature. Boxing them
    // would make every match on a decoded document clumsier for a few bytes saved.
    let allow = c
        .alternatives
        .iter()
        .any(|a| matches!(a.content, AltContent::Struct(_)))
        .then(|| quote!(#[allow(clippy::large_enum_variant)]));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #allow
        pub enum #name {
            #(#variants)*
        }

        impl #rt::json::ChoiceKeys for #name {
            const KEYS: &'static [&'static str] = &[#(#keys),*];
        }
    }
}

fn list(t: &TypeDef, l: &ListType, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let name = format_ident!("{}", t.rust_name);
    let item = match &l.item_value {
        Some(value) => value_type(value, paths),
        None => paths.ty(&l.item_type),
    };
    let (read_items, write_list) = match l.item_value {
        Some(_) => (quote!(read_value_items), quote!(value_list)),
        None => (quote!(read_items), quote!(list)),
    };
    let mut about = described(&t.doc, || format!("A list of `{}`.", l.item_type));
    about.push_str(&format!("\n\nItems are `<{}>` elements", l.item_element));
    if let Some(root) = &l.root {
        about.push_str(&format!("; document root `<{root}>`"));
    }
    about.push('.');
    let doc = doc_attrs(&about);
    let item_element = &l.item_element;
    let item_names = std::iter::once(&l.item_element).chain(&l.item_aliases);
    let json_key = match &l.json_key {
        Some(k) => quote!(Some(#k)),
        None => quote!(None),
    };
    let items_doc = format!(" The `<{}>` items, in document order.", l.item_element);
    let document = l.root.as_deref().map(|root| document_impl(paths, &name, root));
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct #name {
            #[doc = #items_doc]
            pub items: ::std::vec::Vec<#item>,
        }

        impl #rt::ListType for #name {
            type Item = #item;
            const ITEM: &'static str = #item_element;
            const ITEM_NAMES: &'static [&'static str] = &[#(#item_names),*];
            const JSON_KEY: ::core::option::Option<&'static str> = #json_key;
        }

        impl #rt::XmlDecode for #name {
            fn decode(reader: &mut #rt::XmlReader<'_>, element: &#rt::Element<'_>) -> ::core::result::Result<Self, #rt::DecodeError> {
                Ok(Self { items: reader.#read_items::<Self>(element)? })
            }
        }

        impl #rt::XmlEncode for #name {
            fn encode(&self, writer: &mut #rt::XmlWriter, name: &'static str) {
                writer.#write_list::<Self>(name, &self.items);
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::json::serialize_items::<Self, S>(&self.items, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #rt::json::deserialize_items::<Self, D>(deserializer).map(|items| Self { items })
            }
        }

        #document
    }
}

/// The `Document` enum: every document type, chosen by root element.
pub fn documents(modules: &[Module], paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let roots: Vec<(&TypeDef, &str)> = modules
        .iter()
        .flat_map(|m| &m.types)
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(StructType { root: Some(root), .. })
            | TypeKind::List(ListType { root: Some(root), .. }) => Some((t, root.as_str())),
            _ => None,
        })
        .collect();
    let variants = roots.iter().map(|(t, root)| {
        let variant = format_ident!("{}", t.rust_name);
        let ty = paths.ty(&t.rust_name);
        let doc = format!(" A `<{root}>` document.");
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let root_names = roots.iter().map(|(_, root)| root);
    let decode_arms = roots.iter().map(|(t, root)| {
        let variant = format_ident!("{}", t.rust_name);
        let name = bytes(root);
        quote!(#name => Self::#variant(reader.read_root(&root)?),)
    });
    let encode_arms = roots.iter().map(|(t, _)| {
        let variant = format_ident!("{}", t.rust_name);
        quote!(Self::#variant(value) => #rt::XmlDocument::to_xml(value),)
    });
    let json_arms = roots.iter().map(|(t, root)| {
        let variant = format_ident!("{}", t.rust_name);
        quote!(#root => ::serde_json::from_str(json).map(Self::#variant),)
    });
    let root_arms = roots.iter().map(|(t, root)| {
        let variant = format_ident!("{}", t.rust_name);
        quote!(Self::#variant(_) => #root,)
    });
    quote! {
        /// Any document these bindings can decode, chosen by its root element.
        ///
        /// Serializes to EM's JSON form of the document inside.
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum Document {
            #(#variants)*
        }

        impl Document {
            /// The root element names this enum decodes.
            pub const ROOTS: &'static [&'static str] = &[#(#root_names),*];

            /// Decodes a document, choosing the type from the root element.
            pub fn from_xml(xml: &str) -> ::core::result::Result<Self, #rt::DecodeError> {
                let mut reader = #rt::XmlReader::new(xml);
                let root = reader.root()?;
                let document = match root.name() {
                    #(#decode_arms)*
                    _ => return Err(reader.unknown_root(&root, Self::ROOTS)),
                };
                reader.finish()?;
                Ok(document)
            }

            /// Decodes EM's JSON form of a document whose XML root element would be `root` (JSON carries
            /// no root name, so the caller says which document it is). `None` for an unknown root.
            pub fn from_json(root: &str, json: &str) -> ::core::option::Option<::core::result::Result<Self, ::serde_json::Error>> {
                Some(match root {
                    #(#json_arms)*
                    _ => return None,
                })
            }

            /// Encodes the document as XML.
            pub fn to_xml(&self) -> ::std::string::String {
                match self {
                    #(#encode_arms)*
                }
            }

            /// The root element name of the document.
            pub fn root(&self) -> &'static str {
                match self {
                    #(#root_arms)*
                }
            }
        }
    }
}

/// Marker types for lists whose JSON form differs in one use (`json-key` on the element): the list's items
/// and element names with this use's JSON key, for the field's serde helper.
fn json_list_markers(t: &TypeDef, s: &StructType, paths: &Paths) -> TokenStream {
    let rt = paths.rt();
    let markers = s.fields.iter().filter_map(|f| {
        let FieldKind::List { list, json: Some(json), .. } = &f.kind else { return None };
        let marker = format_ident!("{}", json.marker);
        let list = paths.ty(list);
        let key = match &json.key {
            Some(k) => quote!(::core::option::Option::Some(#k)),
            None => quote!(::core::option::Option::None),
        };
        let doc = format!(
            " How `{}::{}` appears in JSON: the items of its list under {}.",
            t.rust_name,
            f.rust_name,
            json.key.as_deref().map_or("no key (a bare array)".to_owned(), |k| format!("the key `{k}`"))
        );
        Some(quote! {
            #[doc = #doc]
            #[doc(hidden)]
            pub struct #marker;

            impl #rt::ListType for #marker {
                type Item = <#list as #rt::ListType>::Item;
                const ITEM: &'static str = <#list as #rt::ListType>::ITEM;
                const ITEM_NAMES: &'static [&'static str] = <#list as #rt::ListType>::ITEM_NAMES;
                const JSON_KEY: ::core::option::Option<&'static str> = #key;
            }
        })
    });
    quote!(#(#markers)*)
}
