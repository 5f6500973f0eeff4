//! The schema language's syntax tree: what the files say, with positions, before any resolution.
//!
//! See `schemas/README.md` for the language itself.

mod merge;
mod parse;

pub use merge::merge;
pub(crate) use parse::normalize_doc;
pub use parse::parse_file;

use crate::diagnostics::Pos;

/// Whether `c` is a control or formatting character that has no business in a description or a file
/// name: it cannot be seen, and rustc rejects the bidirectional ones in the generated doc comments
/// (`text_direction_codepoint_in_comment`). Tab and line feed are fine.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' // control characters but tab and line feed
        | '\u{ad}' // soft hyphen
        | '\u{61c}' // Arabic letter mark
        | '\u{180e}' // Mongolian vowel separator
        | '\u{200b}' | '\u{200e}' | '\u{200f}' // zero width space, left-to-right and right-to-left marks
        | '\u{2028}' | '\u{2029}' // line and paragraph separators
        | '\u{202a}'..='\u{202e}' // bidirectional embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidirectional isolates
        | '\u{206a}'..='\u{206f}' // deprecated formatting characters
        | '\u{feff}' // zero width no-break space (byte order mark)
        | '\u{fff9}'..='\u{fffb}' // interlinear annotations
    )
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

/// One schema file.
#[derive(Clone, Debug)]
pub struct SchemaFile {
    /// Index of the file (for [`Pos::file`]).
    pub index: usize,
    /// Module name (the file stem).
    pub module: String,
    /// Module documentation.
    pub doc: Option<String>,
    /// Declarations in file order.
    pub items: Vec<Item>,
}

/// A top-level declaration.
#[derive(Clone, Debug)]
pub enum Item {
    /// `<enum>`
    Enum(EnumDecl),
    /// `<complex>`
    Complex(ComplexDecl),
    /// `<list>`
    List(ListDecl),
    /// `<resource>`
    Resource(ResourceDecl),
    /// `<extend>` or `<correct>`: applied to its target by [`merge`] before validation.
    Amend(Amendment),
}

/// Whether an amendment adds or changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmendKind {
    /// `<extend>`: adds members, values, representations, methods or links; naming one that exists is an
    /// error.
    Extend,
    /// `<correct>`: changes what is there; naming something that does not exist is an error, so a
    /// correction cannot outlive what it corrects.
    Correct,
}

/// The kind of declaration an amendment targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Complex,
    Enum,
    List,
    Resource,
}

impl TargetKind {
    /// The schema word for it.
    pub fn word(self) -> &'static str {
        match self {
            TargetKind::Complex => "complex type",
            TargetKind::Enum => "enum",
            TargetKind::List => "list",
            TargetKind::Resource => "resource",
        }
    }
}

/// `<extend complex|enum|list|resource="Name">` or `<correct ...>`.
#[derive(Clone, Debug)]
pub struct Amendment {
    pub kind: AmendKind,
    pub what: TargetKind,
    pub target: Spanned<String>,
    /// `<correct ... rust="Name">`: the target's Rust type name (an XSD-derived name, say).
    pub rust: Option<Spanned<String>>,
    pub doc: Option<String>,
    /// `<extend complex>`: members to add (a `<choice>` naming an existing choice adds alternatives).
    pub members: Vec<Member>,
    /// `<correct complex>`: changes to existing members.
    pub corrections: Vec<MemberCorrection>,
    /// Enum values to add (`extend`) or whose `rust`/`doc` change (`correct`).
    pub values: Vec<EnumValueDecl>,
    /// `<correct list>`: what changes.
    pub list: Option<ListCorrection>,
    /// `<extend resource>`: representations and methods to add.
    pub representations: Vec<RepresentationDecl>,
    pub methods: Vec<MethodDecl>,
    /// `<extend resource>`: links to add to an existing representation (its name, the link).
    pub links: Vec<(Spanned<String>, LinkDecl)>,
    /// `<extend complex>`: links the type carries.
    pub type_links: Vec<LinkDecl>,
}

/// `<correct list>`: a new JSON key, and item aliases to add.
#[derive(Clone, Debug)]
pub struct ListCorrection {
    pub json_key: Option<Spanned<String>>,
    pub item_aliases: Vec<Spanned<String>>,
}

/// A member named in `<correct complex>` and what to change about it.
#[derive(Clone, Debug)]
pub struct MemberCorrection {
    pub pos: Pos,
    pub name: Spanned<String>,
    pub ty: Option<Spanned<String>>,
    pub occurs: Option<Spanned<Occurs>>,
    pub json: Option<Spanned<String>>,
    pub rust: Option<Spanned<String>>,
    pub role: Option<Spanned<String>>,
    pub json_key: Option<Spanned<String>>,
    pub json_aliases: Vec<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<enum>`
#[derive(Clone, Debug)]
pub struct EnumDecl {
    pub name: Spanned<String>,
    /// The Rust type name, when not the one derived from `name`.
    pub rust: Option<Spanned<String>>,
    pub doc: Option<String>,
    pub values: Vec<EnumValueDecl>,
}

/// `<value>` of an enum.
#[derive(Clone, Debug)]
pub struct EnumValueDecl {
    pub name: Spanned<String>,
    pub rust: Option<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<complex>`
#[derive(Clone, Debug)]
pub struct ComplexDecl {
    pub name: Spanned<String>,
    /// The Rust type name, when not the one derived from `name`.
    pub rust: Option<Spanned<String>>,
    pub extends: Option<Spanned<String>>,
    pub is_abstract: bool,
    pub root: Option<Spanned<String>>,
    pub doc: Option<String>,
    pub members: Vec<Member>,
    /// `<link>`s this type carries wherever it appears (a list item's own links, say); a `method` names
    /// `Resource.method`.
    pub links: Vec<LinkDecl>,
}

/// How often a field occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurs {
    Required,
    Optional,
    Repeated,
}

/// A member of a complex type, in wire order.
#[derive(Clone, Debug)]
pub enum Member {
    Attribute(FieldDecl),
    Element(FieldDecl),
    Choice(ChoiceDecl),
    /// `<text>`: the element's own text content (beside attributes, instead of child elements).
    Text(FieldDecl),
}

/// `<attribute>`, `<element>` or a choice alternative.
#[derive(Clone, Debug)]
pub struct FieldDecl {
    pub name: Spanned<String>,
    pub ty: Spanned<String>,
    pub occurs: Spanned<Occurs>,
    pub json: Option<Spanned<String>>,
    pub rust: Option<Spanned<String>>,
    /// The part the field plays for the client and server (`rel`, `href`, `links`, `state`, ...).
    pub role: Option<Spanned<String>>,
    /// The JSON key of this use of a list, overriding the list type's (`""` for a bare array).
    pub json_key: Option<Spanned<String>>,
    /// Other JSON names accepted on read (`json-alias="A B"`).
    pub json_aliases: Vec<Spanned<String>>,
    /// Other element names accepted on read (`xml-alias="A B"`, elements only).
    pub xml_aliases: Vec<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<choice>`
#[derive(Clone, Debug)]
pub struct ChoiceDecl {
    pub name: Spanned<String>,
    pub occurs: Spanned<Occurs>,
    pub rust: Option<Spanned<String>>,
    pub doc: Option<String>,
    pub alternatives: Vec<FieldDecl>,
}

/// `<list>`
#[derive(Clone, Debug)]
pub struct ListDecl {
    pub name: Spanned<String>,
    /// The Rust type name, when not the one derived from `name`.
    pub rust: Option<Spanned<String>>,
    pub item: Spanned<String>,
    pub ty: Spanned<String>,
    pub root: Option<Spanned<String>>,
    pub json_key: Option<Spanned<String>>,
    pub item_aliases: Vec<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<resource>`
#[derive(Clone, Debug)]
pub struct ResourceDecl {
    pub name: Spanned<String>,
    pub path: Spanned<String>,
    pub doc: Option<String>,
    pub params: Vec<ParamDecl>,
    pub representations: Vec<RepresentationDecl>,
    pub methods: Vec<MethodDecl>,
}

/// `<param>`
#[derive(Clone, Debug)]
pub struct ParamDecl {
    pub name: Spanned<String>,
    pub ty: Spanned<String>,
    pub rust: Option<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<representation>`
#[derive(Clone, Debug)]
pub struct RepresentationDecl {
    pub name: Spanned<String>,
    pub ty: Spanned<String>,
    pub query: Option<Spanned<String>>,
    pub link_types: Vec<Spanned<String>>,
    pub auth: Option<Spanned<String>>,
    pub doc: Option<String>,
    pub links: Vec<LinkDecl>,
}

/// `<link>`
#[derive(Clone, Debug)]
pub struct LinkDecl {
    pub pos: Pos,
    pub rel: Spanned<String>,
    pub link_type: Option<Spanned<String>>,
    pub method: Option<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<method>`
#[derive(Clone, Debug)]
pub struct MethodDecl {
    pub name: Spanned<String>,
    pub verb: Spanned<String>,
    pub status: Spanned<String>,
    pub response: Option<Spanned<String>>,
    pub returns_task: bool,
    pub auth: Option<Spanned<String>>,
    pub doc: Option<String>,
    pub queries: Vec<QueryDecl>,
    pub request: Option<RequestDecl>,
    pub response_headers: Vec<HeaderDecl>,
}

/// `<response-header>`
#[derive(Clone, Debug)]
pub struct HeaderDecl {
    pub name: Spanned<String>,
    pub rust: Option<Spanned<String>>,
    pub role: Option<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<query>`
#[derive(Clone, Debug)]
pub struct QueryDecl {
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
    pub ty: Option<Spanned<String>>,
    pub required: bool,
    pub rust: Option<Spanned<String>>,
    pub doc: Option<String>,
}

/// `<request>`
#[derive(Clone, Debug)]
pub struct RequestDecl {
    pub pos: Pos,
    pub ty: Spanned<String>,
    pub media: Vec<Spanned<String>>,
    pub required: bool,
    pub doc: Option<String>,
}
