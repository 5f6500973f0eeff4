//! Property tests over every document type, derived from the schema.
//!
//! Nothing here names a generated type. The test loads `schemas/*.xml` with the generator library
//! (`codegen::load`, as `cargo xtask codegen` does), walks the IR and turns every document root into a
//! proptest strategy that draws a random but valid XML document together with the JSON value EM would
//! give for it (the JSON form is derived from the same IR: JSON names, list keys, markers, choices).
//! Every structure reachable from a root is thereby drawn; [`every_struct_is_reached_from_a_root`]
//! checks that this is every structure of the schema.
//!
//! What the strategy varies: strings with characters that need escaping (`& < > " '`, tab, line feed,
//! carriage return) and non-ASCII ones, written with entity references, numeric character references or
//! CDATA; integers over the whole range of their Rust type, with `+`, leading zeros and surrounding
//! whitespace; booleans as `true`/`false`/`1`/`0`; dateTimes with 0 to 9 fractional digits and every offset
//! form the runtime keeps; known and unknown enumeration values; optional fields present, left out or
//! `xsi:nil`; lists of 0 to 2 items under every accepted item name; one alternative of each choice; the EM
//! namespace as the default namespace or under one or two prefixes, sometimes declared again on an inner
//! element; attributes in any order; `<X/>` or `<X></X>`; an XML declaration; indentation.
//! On top of that each element may carry noise that a decoder must ignore: unknown attributes, attributes
//! of other namespaces (with the names of known ones), and unknown elements, elements of other namespaces
//! (with the names of known ones), comments and processing instructions at any position among the
//! children, with nested content; comments and processing instructions inside the text of simple values.
//!
//! Properties, for every root (`PROPTEST_CASES` cases each, 64 by default):
//!
//! 0. [`decoding_keeps_every_value`]: `to_json(decode(doc))` is exactly the JSON value the document holds:
//!    nothing present is lost or defaulted, nothing absent is invented.
//! 1. [`xml_round_trip`]: `decode(doc) = v` and `decode(v.to_xml()) == v`.
//! 2. [`json_round_trip`]: `Document::from_json(root, to_json(v)) == v`.
//! 3. [`xml_json_xml_is_stable`]: `from_json(to_json(v)).to_xml() == v.to_xml()`.
//! 4. [`unknown_content_is_ignored`]: the document with noise decodes to the same value as without it.
//!
//! A failing case prints the document (and, for property 4, both documents).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::Instant;

use codegen::ir::{AltContent, Field, FieldKind, Ir, Occurs, TypeDef, TypeKind, ValueType};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::strategy::Union;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRunner};
use serde_json::{Map, Value};
use support::schema::ir;
use veeam_em::model::Document;
use veeam_em::runtime::XmlValue;

// Only the schema loader is used here.
#[allow(dead_code)]
mod support;

/// The EM namespace.
const EM_NS: &str = veeam_em::runtime::NAMESPACE;
/// A namespace that is not EM's, for noise.
const OTHER_NS: &str = "urn:example:not-em";
/// XML Schema instance, for `xsi:nil`.
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Cases per root unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 64;

type Name = Rc<str>;
type S<T> = BoxedStrategy<T>;

// ---------------------------------------------------------------------------------------------------------
// The schema.

/// The types by Rust name (the IR refers to types by their Rust name).
fn types_by_name(ir: &Ir) -> BTreeMap<&str, &TypeDef> {
    ir.types().map(|t| (t.rust_name.as_str(), t)).collect()
}

/// Every document root: (root element, Rust type name).
fn roots(ir: &Ir) -> Vec<(String, String)> {
    ir.types()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => s.root.clone().map(|r| (r, t.rust_name.clone())),
            TypeKind::List(l) => l.root.clone().map(|r| (r, t.rust_name.clone())),
            _ => None,
        })
        .collect()
}

/// The types a type refers to directly (struct field types, list item types, choice alternatives).
fn references(t: &TypeDef) -> Vec<&str> {
    let mut out = Vec::new();
    match &t.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                match &f.kind {
                    FieldKind::Attribute { value: ValueType::Enum(e), .. }
                    | FieldKind::Value { value: ValueType::Enum(e), .. }
                    | FieldKind::Text { value: ValueType::Enum(e) } => out.push(e.as_str()),
                    FieldKind::Child { ty, .. } => out.push(ty),
                    FieldKind::List { list, .. } => out.push(list),
                    FieldKind::Choice { choice, alternatives } => {
                        out.push(choice);
                        out.extend(alternatives.iter().filter_map(alternative_type));
                    }
                    _ => {}
                }
            }
        }
        TypeKind::List(l) => match &l.item_value {
            Some(ValueType::Enum(e)) => out.push(e),
            Some(_) => {}
            None => out.push(&l.item_type),
        },
        TypeKind::Choice(c) => out.extend(c.alternatives.iter().filter_map(alternative_type)),
        TypeKind::Enum(_) => {}
    }
    out
}

fn alternative_type(a: &codegen::ir::Alternative) -> Option<&str> {
    match &a.content {
        AltContent::Struct(ty) => Some(ty),
        AltContent::Value(ValueType::Enum(e)) => Some(e),
        _ => None,
    }
}

/// Every element and attribute name the schema knows, so noise can avoid them (or use them on purpose
/// in another namespace).
struct KnownNames {
    elements: Vec<Name>,
    attributes: Vec<Name>,
    all: BTreeSet<String>,
}

impl KnownNames {
    fn of(ir: &Ir) -> KnownNames {
        let mut elements = BTreeSet::new();
        let mut attributes = BTreeSet::new();
        for t in ir.types() {
            match &t.kind {
                TypeKind::Struct(s) => {
                    elements.extend(s.root.clone());
                    for f in &s.fields {
                        match &f.kind {
                            FieldKind::Attribute { name, .. } => {
                                attributes.insert(name.clone());
                            }
                            FieldKind::Value { element, .. }
                            | FieldKind::Child { element, .. }
                            | FieldKind::List { element, .. }
                            | FieldKind::Marker { element } => {
                                elements.insert(element.clone());
                            }
                            FieldKind::Choice { alternatives, .. } => {
                                elements.extend(alternatives.iter().map(|a| a.element.clone()))
                            }
                            // Text content has no name of its own.
                            FieldKind::Text { .. } => {}
                        }
                    }
                }
                TypeKind::List(l) => {
                    elements.extend(l.root.clone());
                    elements.insert(l.item_element.clone());
                    elements.extend(l.item_aliases.iter().cloned());
                }
                TypeKind::Choice(c) => elements.extend(c.alternatives.iter().map(|a| a.element.clone())),
                TypeKind::Enum(_) => {}
            }
        }
        let all = elements.iter().chain(&attributes).cloned().collect();
        KnownNames {
            elements: elements.iter().map(|s| Name::from(s.as_str())).collect(),
            attributes: attributes.iter().map(|s| Name::from(s.as_str())).collect(),
            all,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Generated documents.

/// Text as it is written: the characters and how they are escaped.
#[derive(Clone, Debug)]
struct Lexical {
    text: String,
    /// Escaping style (see [`escape_text`] and [`escape_attr`]).
    style: u8,
}

/// An attribute; `prefix` is declared on the element that carries it.
#[derive(Clone, Debug)]
struct Attr {
    prefix: Option<(Name, &'static str)>,
    name: Name,
    value: Lexical,
}

impl Attr {
    fn plain(name: Name, value: Lexical) -> Attr {
        Attr { prefix: None, name, value }
    }
}

#[derive(Clone, Debug)]
enum Body {
    Text(Lexical),
    Children(Vec<Node>),
}

/// An element of the document.
#[derive(Clone, Debug)]
struct Node {
    /// Local name.
    name: Name,
    /// The structure it holds (for the coverage count).
    ty: Option<Name>,
    /// Which of the document's EM namespace forms it is written with.
    ns_pick: u8,
    /// Its attributes, in the order written.
    attrs: Vec<Attr>,
    body: Body,
    /// Whether an element without content is written `<X/>` rather than `<X></X>`.
    self_close: bool,
    noise: Noise,
}

/// What a decoder must ignore on one element.
#[derive(Clone, Debug, Default)]
struct Noise {
    attrs: Vec<Attr>,
    /// Junk and where it goes among the children (taken modulo their number + 1); for an element with
    /// text, comments and processing instructions and the character position they split the text at.
    children: Vec<(usize, Junk)>,
}

#[derive(Clone, Debug)]
enum Junk {
    Comment(String),
    ProcessingInstruction(String),
    Element(JunkElement),
}

#[derive(Clone, Debug)]
struct JunkElement {
    ns: JunkNs,
    ns_pick: u8,
    name: Name,
    attrs: Vec<Attr>,
    text: Option<Lexical>,
    children: Vec<JunkElement>,
}

#[derive(Clone, Copy, Debug)]
enum JunkNs {
    /// The EM namespace (the name is then one the schema does not know).
    Em,
    /// Another namespace under the prefix `o`.
    Prefixed,
    /// Another namespace as the default namespace of the element.
    Default,
}

/// How the document is written.
#[derive(Clone, Debug)]
struct Style {
    /// The forms of the EM namespace declared on the root: `None` is the default namespace.
    forms: Vec<Option<Name>>,
    xml_declaration: bool,
    pretty: bool,
}

/// One generated document and the JSON value it holds.
#[derive(Clone, Debug)]
struct Case {
    style: Style,
    root: Node,
    expected: Value,
}

impl Case {
    fn document(&self) -> String {
        render(self, false)
    }

    fn noisy_document(&self) -> String {
        render(self, true)
    }

    fn structs(&self, into: &mut BTreeSet<Name>) {
        fn walk(n: &Node, into: &mut BTreeSet<Name>) {
            if let Some(ty) = &n.ty {
                into.insert(ty.clone());
            }
            if let Body::Children(children) = &n.body {
                children.iter().for_each(|c| walk(c, into));
            }
        }
        walk(&self.root, into);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Rendering.

fn render(case: &Case, noise: bool) -> String {
    let mut r = Render { out: String::new(), forms: &case.style.forms, noise, pretty: case.style.pretty };
    if case.style.xml_declaration {
        r.out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    }
    r.node(&case.root, 0, true);
    r.out
}

struct Render<'a> {
    out: String,
    forms: &'a [Option<Name>],
    noise: bool,
    pretty: bool,
}

impl Render<'_> {
    fn em_qname(&self, pick: u8, local: &str) -> String {
        match &self.forms[usize::from(pick) % self.forms.len()] {
            None => local.to_owned(),
            Some(prefix) => format!("{prefix}:{local}"),
        }
    }

    fn newline(&mut self, depth: usize) {
        if self.pretty {
            self.out.push('\n');
            self.out.push_str(&"  ".repeat(depth));
        }
    }

    /// `<qname` with namespace declarations and attributes (duplicates by qualified name dropped).
    fn start_tag<'b>(
        &mut self,
        qname: &str,
        mut decls: Vec<(Option<Name>, &str)>,
        attrs: impl Iterator<Item = &'b Attr>,
    ) {
        self.out.push('<');
        self.out.push_str(qname);
        let mut seen = BTreeSet::new();
        let mut written = Vec::new();
        for a in attrs {
            let q = match &a.prefix {
                Some((p, _)) => format!("{p}:{}", a.name),
                None => a.name.to_string(),
            };
            if !seen.insert(q.clone()) {
                continue;
            }
            if let Some((p, uri)) = &a.prefix {
                if !decls.iter().any(|(d, _)| d.as_ref() == Some(p)) {
                    decls.push((Some(p.clone()), uri));
                }
            }
            written.push((q, &a.value));
        }
        for (prefix, uri) in decls {
            match prefix {
                None => self.out.push_str(&format!(" xmlns=\"{uri}\"")),
                Some(p) => self.out.push_str(&format!(" xmlns:{p}=\"{uri}\"")),
            }
        }
        for (q, v) in written {
            let (quote, text) = escape_attr(&v.text, v.style);
            self.out.push_str(&format!(" {q}={quote}{text}{quote}"));
        }
    }

    fn node(&mut self, n: &Node, depth: usize, root: bool) {
        let qname = self.em_qname(n.ns_pick, &n.name);
        let mut decls: Vec<(Option<Name>, &str)> = Vec::new();
        if root {
            decls.extend(self.forms.iter().map(|f| (f.clone(), EM_NS)));
        } else if n.ns_pick & 0x80 != 0 {
            // The element declares its own namespace form again (a new scope with the same binding).
            decls.push((self.forms[usize::from(n.ns_pick) % self.forms.len()].clone(), EM_NS));
        }
        let noise_attrs: &[Attr] = if self.noise { &n.noise.attrs } else { &[] };
        self.start_tag(&qname, decls, n.attrs.iter().chain(noise_attrs));
        match &n.body {
            Body::Text(t) => {
                let mut splits: Vec<(usize, &Junk)> = Vec::new();
                if self.noise {
                    let boundaries: Vec<usize> = t.text.char_indices().map(|(i, _)| i).chain([t.text.len()]).collect();
                    splits = n.noise.children.iter().map(|(at, j)| (boundaries[at % boundaries.len()], j)).collect();
                    splits.sort_by_key(|(at, _)| *at);
                }
                if t.text.is_empty() && splits.is_empty() && n.self_close {
                    self.out.push_str("/>");
                    return;
                }
                self.out.push('>');
                let mut done = 0;
                for (at, junk) in splits {
                    self.out.push_str(&escape_text(&t.text[done..at], t.style));
                    self.junk(junk);
                    done = at;
                }
                self.out.push_str(&escape_text(&t.text[done..], t.style));
            }
            Body::Children(children) => {
                let mut junk: Vec<(usize, &Junk)> = Vec::new();
                if self.noise {
                    junk = n.noise.children.iter().map(|(at, j)| (at % (children.len() + 1), j)).collect();
                    junk.sort_by_key(|(at, _)| *at);
                }
                if children.is_empty() && junk.is_empty() && n.self_close {
                    self.out.push_str("/>");
                    return;
                }
                self.out.push('>');
                let any = !children.is_empty() || !junk.is_empty();
                let mut junk = junk.into_iter().peekable();
                for at in 0..=children.len() {
                    while let Some((_, j)) = junk.next_if(|(p, _)| *p == at) {
                        self.newline(depth + 1);
                        self.junk(j);
                    }
                    if let Some(child) = children.get(at) {
                        self.newline(depth + 1);
                        self.node(child, depth + 1, false);
                    }
                }
                if any {
                    self.newline(depth);
                }
            }
        }
        self.out.push_str(&format!("</{qname}>"));
    }

    fn junk(&mut self, j: &Junk) {
        match j {
            Junk::Comment(text) => self.out.push_str(&format!("<!--{text}-->")),
            Junk::ProcessingInstruction(text) => self.out.push_str(&format!("<?note {text}?>")),
            Junk::Element(e) => self.junk_element(e),
        }
    }

    fn junk_element(&mut self, e: &JunkElement) {
        let (qname, decls) = match e.ns {
            JunkNs::Em => (self.em_qname(e.ns_pick, &e.name), Vec::new()),
            JunkNs::Prefixed => (format!("o:{}", e.name), vec![(Some(Name::from("o")), OTHER_NS)]),
            JunkNs::Default => (e.name.to_string(), vec![(None, OTHER_NS)]),
        };
        self.start_tag(&qname, decls, e.attrs.iter());
        if e.text.is_none() && e.children.is_empty() {
            self.out.push_str("/>");
            return;
        }
        self.out.push('>');
        if let Some(text) = &e.text {
            self.out.push_str(&escape_text(&text.text, text.style));
        }
        for child in &e.children {
            self.junk_element(child);
        }
        self.out.push_str(&format!("</{qname}>"));
    }
}

/// Element text in one of four styles: 0 the usual entities, 1 hexadecimal character references for
/// everything but letters, digits and spaces, 2 a CDATA section (when the text allows one), 3 decimal
/// character references and named entities.
fn escape_text(text: &str, style: u8) -> String {
    match style % 4 {
        2 if !text.contains("]]>") && !text.contains('\r') => format!("<![CDATA[{text}]]>"),
        style @ (1 | 3) => {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    c if c.is_ascii_alphanumeric() || c == ' ' => out.push(c),
                    '"' if style == 3 => out.push_str("&quot;"),
                    '\'' if style == 3 => out.push_str("&apos;"),
                    '&' if style == 3 => out.push_str("&amp;"),
                    c if style == 1 => out.push_str(&format!("&#x{:X};", u32::from(c))),
                    c => out.push_str(&format!("&#{};", u32::from(c))),
                }
            }
            out
        }
        _ => {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '\r' => out.push_str("&#13;"),
                    c => out.push(c),
                }
            }
            out
        }
    }
}

/// An attribute value and its quote: bit 2 of `style` picks `'` over `"`; style 1 writes everything but
/// letters, digits and spaces as character references. Tab, line feed and carriage return are always
/// references (a literal one would be normalized to a space).
fn escape_attr(text: &str, style: u8) -> (char, String) {
    let quote = if style & 4 == 0 { '"' } else { '\'' };
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' if quote == '"' => out.push_str("&quot;"),
            '\'' if quote == '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if style % 4 == 1 && !c.is_ascii_alphanumeric() && c != ' ' => {
                out.push_str(&format!("&#x{:x};", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    (quote, out)
}

// ---------------------------------------------------------------------------------------------------------
// Strategies for values.

/// Strings: mostly letters, with characters that need escaping, whitespace and non-ASCII ones mixed in,
/// and a few whole strings that are traps for a writer or a reader.
fn text() -> S<String> {
    let ch = prop_oneof![
        8 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        2 => proptest::char::range('0', '9'),
        3 => Just(' '),
        4 => select(vec!['&', '<', '>', '"', '\'', ']', ';', '#', '/', '\\', '=']),
        3 => select(vec!['é', 'ß', 'Ω', '日', '本', '🦀', '\u{a0}', '\u{2028}', '\u{fffd}', '\u{10ffff}']),
        2 => select(vec!['\t', '\n', '\r']),
    ];
    let traps = select(vec![
        "",
        " ",
        "  \n\t ",
        "]]>",
        "&amp;",
        "<![CDATA[x]]>",
        "\r\n",
        "<Link Rel=\"x\"/>",
        "&#38;",
        "a  b ",
        " ",
    ])
    .prop_map(str::to_owned);
    prop_oneof![8 => vec(ch, 0..12).prop_map(|v| v.into_iter().collect()), 1 => traps].boxed()
}

/// Whitespace around a value whose type ignores it.
fn padding() -> S<(String, String)> {
    let pad = || select(vec!["", "", "", " ", "\n  ", "\t"]).prop_map(str::to_owned);
    (pad(), pad()).boxed()
}

fn integer(values: S<i64>) -> S<(Lexical, Value)> {
    (values, 0..4u8, padding(), any::<u8>())
        .prop_map(|(n, form, (l, r), style)| {
            let plain = n.to_string();
            let written = match form {
                1 if n >= 0 => format!("+{plain}"),
                2 => match plain.strip_prefix('-') {
                    Some(digits) => format!("-00{digits}"),
                    None => format!("00{plain}"),
                },
                _ => plain,
            };
            (Lexical { text: format!("{l}{written}{r}"), style }, Value::from(n))
        })
        .boxed()
}

/// Integers over the whole range of `T`, with its ends and small values favoured.
fn range_of<T>() -> S<i64>
where
    T: Arbitrary + Into<i64> + num_bounds::Bounds + 'static,
{
    prop_oneof![
        4 => any::<T>().prop_map(Into::into),
        1 => Just(T::MIN_I64),
        1 => Just(T::MAX_I64),
        2 => (-3i64..100).prop_filter("in range", |n| (T::MIN_I64..=T::MAX_I64).contains(n)),
    ]
    .boxed()
}

mod num_bounds {
    pub trait Bounds {
        const MIN_I64: i64;
        const MAX_I64: i64;
    }
    impl Bounds for i32 {
        const MIN_I64: i64 = i32::MIN as i64;
        const MAX_I64: i64 = i32::MAX as i64;
    }
    impl Bounds for i64 {
        const MIN_I64: i64 = i64::MIN;
        const MAX_I64: i64 = i64::MAX;
    }
    macro_rules! bounds {
        ($($ty:ty),*) => {$(
            impl Bounds for $ty {
                const MIN_I64: i64 = <$ty>::MIN as i64;
                const MAX_I64: i64 = <$ty>::MAX as i64;
            }
        )*};
    }
    bounds!(i8, i16, u8, u16, u32);
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `xs:dateTime` values the runtime keeps as written: years 1 to 9999, 0 to 9 fractional digits, `Z`, no
/// offset, `+hh:mm`, `-hh:mm`, `+00:00` and `-00:00`.
fn date_time() -> S<String> {
    let date = (1u32..=9999, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| (y, m, d.min(days_in_month(y, m))));
    let time = (0u32..24, 0u32..60, 0u32..60);
    let fraction = (0usize..=9, 0u32..1_000_000_000).prop_map(|(digits, n)| match digits {
        0 => String::new(),
        _ => format!(".{}", &format!("{n:09}")[..digits]),
    });
    let offset = prop_oneof![
        3 => Just("Z".to_owned()),
        1 => Just(String::new()),
        1 => Just("-00:00".to_owned()),
        1 => Just("+00:00".to_owned()),
        2 => (any::<bool>(), 0u32..=14, select(vec![0u32, 15, 30, 45]))
            .prop_map(|(neg, h, m)| format!("{}{h:02}:{m:02}", if neg { '-' } else { '+' })),
    ];
    (date, time, fraction, offset)
        .prop_map(|((y, mo, d), (h, mi, s), f, o)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}{o}"))
        .boxed()
}

// ---------------------------------------------------------------------------------------------------------
// Strategies for documents, derived from the IR.

/// The JSON entries, attributes and child elements one field contributes to its element.
#[derive(Clone, Debug, Default)]
struct Part {
    attrs: Vec<Attr>,
    children: Vec<Node>,
    /// The element's own text content (a type with `<text>`).
    text: Option<Lexical>,
    json: Vec<(String, Value)>,
}

impl Part {
    fn json_only(key: &str, value: Value) -> Part {
        Part { json: vec![(key.to_owned(), value)], ..Part::default() }
    }
}

/// Per-element variation: namespace form, empty-element form, attribute order, noise.
#[derive(Clone, Debug)]
struct Extras {
    ns_pick: u8,
    self_close: bool,
    attr_order: u64,
    noise: Noise,
}

struct Builder<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// Structures met while building, by Rust name.
    reached: BTreeSet<String>,
    /// Structures being built (a type that contains itself is cut off here).
    stack: Vec<String>,
    extras: S<Extras>,
    value_extras: S<Extras>,
}

impl<'a> Builder<'a> {
    /// `with_noise`: whether elements carry noise (only the property about noise needs it; drawing it
    /// costs time).
    fn new(ir: &'a Ir, with_noise: bool) -> Self {
        let (noise, text_noise) = match with_noise {
            true => (noise(&Rc::new(KnownNames::of(ir))), text_noise()),
            false => (Just(Noise::default()).boxed(), Just(Vec::new()).boxed()),
        };
        let extras = (any::<u8>(), any::<bool>(), any::<u64>(), noise.clone())
            .prop_map(|(ns_pick, self_close, attr_order, noise)| Extras { ns_pick, self_close, attr_order, noise })
            .boxed();
        // Elements with text get noise attributes, and comments and processing instructions inside the
        // text (elements inside a simple value are not noise: see `data_loss.rs`).
        let value_extras = (extras.clone(), text_noise)
            .prop_map(|(mut x, inside)| {
                x.noise.children = inside;
                x
            })
            .boxed();
        Builder { types: types_by_name(ir), reached: BTreeSet::new(), stack: Vec::new(), extras, value_extras }
    }

    fn def(&self, rust_name: &str) -> &'a TypeDef {
        self.types.get(rust_name).copied().unwrap_or_else(|| panic!("the IR names an unknown type `{rust_name}`"))
    }

    /// One strategy per document root.
    fn documents(&mut self, ir: &Ir) -> Vec<(String, S<Case>)> {
        roots(ir)
            .into_iter()
            .map(|(root, ty)| {
                let node = match &self.def(&ty).kind {
                    TypeKind::Struct(_) => {
                        self.struct_node(&root, &ty).unwrap_or_else(|| panic!("root `{root}` contains itself"))
                    }
                    TypeKind::List(_) => self.list_node(&root, &ty, None),
                    _ => unreachable!("only structures and lists are roots"),
                };
                let case = (node, style()).prop_map(|((root, expected), style)| Case { style, root, expected }).boxed();
                (root, case)
            })
            .collect()
    }

    /// A simple value: its text and its JSON.
    fn value(&self, v: &ValueType) -> S<(Lexical, Value)> {
        let texts = |strategy: S<String>| {
            (strategy, any::<u8>())
                .prop_map(|(s, style)| (Lexical { text: s.clone(), style }, Value::String(s)))
                .boxed()
        };
        match v {
            ValueType::String | ValueType::Guid | ValueType::Uid | ValueType::Url => texts(text()),
            ValueType::Boolean => (any::<bool>(), any::<bool>(), padding(), any::<u8>())
                .prop_map(|(b, digit, (l, r), style)| {
                    let written = match (b, digit) {
                        (true, false) => "true",
                        (true, true) => "1",
                        (false, false) => "false",
                        (false, true) => "0",
                    };
                    (Lexical { text: format!("{l}{written}{r}"), style }, Value::Bool(b))
                })
                .boxed(),
            ValueType::Int => integer(range_of::<i32>()),
            ValueType::Long => integer(range_of::<i64>()),
            ValueType::UnsignedShort => integer(range_of::<u16>()),
            ValueType::Byte => integer(range_of::<i8>()),
            ValueType::Short => integer(range_of::<i16>()),
            ValueType::UnsignedByte => integer(range_of::<u8>()),
            ValueType::UnsignedInt => integer(range_of::<u32>()),
            ValueType::UnsignedLong => integer((0..=i64::MAX).boxed()),
            // The remaining types: a value of the runtime type, written in its own text form; JSON a number
            // for the floating-point types, the same text otherwise.
            ValueType::Float | ValueType::Double => (-1.0e6..1.0e6f64, any::<u8>())
                .prop_map(|(x, style)| {
                    let x = f64::from(x as f32);
                    let text = veeam_em::runtime::Double(x).to_text().into_owned();
                    (Lexical { text, style }, Value::from(x))
                })
                .boxed(),
            ValueType::Decimal => texts(
                (any::<bool>(), 0..1_000_000u32, 0..1000u32)
                    .prop_map(|(neg, whole, frac)| format!("{}{whole}.{frac:03}", if neg { "-" } else { "" }))
                    .boxed(),
            ),
            ValueType::Date => {
                texts((1..=9999i32, 1..=12u8, 1..=28u8).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")).boxed())
            }
            ValueType::Time => {
                texts((0..24u8, 0..60u8, 0..60u8).prop_map(|(h, m, sec)| format!("{h:02}:{m:02}:{sec:02}")).boxed())
            }
            ValueType::Duration => texts((1..400u32, 1..24u32).prop_map(|(d, h)| format!("P{d}DT{h}H")).boxed()),
            ValueType::Base64Binary => texts(
                proptest::collection::vec(any::<u8>(), 0..12)
                    .prop_map(|bytes| veeam_em::runtime::Base64Binary(bytes).to_text().into_owned())
                    .boxed(),
            ),
            ValueType::HexBinary => texts(
                proptest::collection::vec(any::<u8>(), 0..12)
                    .prop_map(|bytes| veeam_em::runtime::HexBinary(bytes).to_text().into_owned())
                    .boxed(),
            ),
            ValueType::DateTime => (date_time(), padding(), any::<u8>())
                .prop_map(|(t, (l, r), style)| (Lexical { text: format!("{l}{t}{r}"), style }, Value::String(t)))
                .boxed(),
            // Items joined by whitespace; JSON an array. A string item is one token (an item holds no
            // whitespace in an xs:list), so strings are generated without it.
            ValueType::List(item) => {
                let items = match &**item {
                    ValueType::String | ValueType::Guid | ValueType::Uid | ValueType::Url => {
                        texts("[A-Za-z0-9_.:-]{1,8}".prop_map(|s: String| s).boxed())
                    }
                    ValueType::Enum(name) => {
                        let TypeKind::Enum(e) = &self.def(name).kind else { panic!("`{name}` is not an enumeration") };
                        let known: Vec<String> = e.values.iter().map(|v| v.wire.clone()).collect();
                        if known.is_empty() {
                            texts("[A-Za-z0-9_.:-]{1,8}".prop_map(|s: String| s).boxed())
                        } else {
                            texts(select(known).boxed())
                        }
                    }
                    other => self.value(other),
                };
                (vec(items, 0..4), any::<u8>())
                    .prop_map(|(items, style)| {
                        let text = items.iter().map(|(l, _)| l.text.trim().to_owned()).collect::<Vec<_>>().join(" ");
                        let json = Value::Array(items.into_iter().map(|(_, j)| j).collect());
                        (Lexical { text, style }, json)
                    })
                    .boxed()
            }
            ValueType::Enum(name) => {
                let TypeKind::Enum(e) = &self.def(name).kind else { panic!("`{name}` is not an enumeration") };
                let known: Vec<String> = e.values.iter().map(|v| v.wire.clone()).collect();
                // Every enumeration is open: any other text is kept as it came.
                if known.is_empty() {
                    texts(text())
                } else {
                    texts(prop_oneof![3 => select(known), 1 => text()].boxed())
                }
            }
        }
    }

    /// `<element>value</element>`.
    fn value_node(&self, element: &str, v: &ValueType) -> S<(Node, Value)> {
        let name: Name = element.into();
        (self.value(v), self.value_extras.clone())
            .prop_map(move |((lexical, json), x)| {
                let node = Node {
                    name: name.clone(),
                    ty: None,
                    ns_pick: x.ns_pick,
                    attrs: Vec::new(),
                    body: Body::Text(lexical),
                    self_close: x.self_close,
                    noise: x.noise,
                };
                (node, json)
            })
            .boxed()
    }

    /// A presence-only element: `{}` in JSON.
    fn marker_node(&self, element: &str) -> S<(Node, Value)> {
        let name: Name = element.into();
        self.extras
            .clone()
            .prop_map(move |x| {
                let node = Node {
                    name: name.clone(),
                    ty: None,
                    ns_pick: x.ns_pick,
                    attrs: Vec::new(),
                    body: Body::Children(Vec::new()),
                    self_close: x.self_close,
                    noise: x.noise,
                };
                (node, Value::Object(Map::new()))
            })
            .boxed()
    }

    /// `<element xsi:nil="true"/>`: the value is absent.
    fn nil_node(&self, element: &str) -> S<Node> {
        let name: Name = element.into();
        (any::<u8>(), any::<bool>(), select(vec!["xsi", "i"]), select(vec!["true", "1"]))
            .prop_map(move |(ns_pick, self_close, prefix, value)| Node {
                name: name.clone(),
                ty: None,
                ns_pick,
                attrs: vec![Attr {
                    prefix: Some((prefix.into(), XSI_NS)),
                    name: "nil".into(),
                    value: Lexical { text: value.to_owned(), style: 0 },
                }],
                body: Body::Children(Vec::new()),
                self_close,
                noise: Noise::default(),
            })
            .boxed()
    }

    /// An element holding the structure `ty`, or `None` when `ty` is already being built (a structure
    /// that contains itself is cut off there).
    fn struct_node(&mut self, element: &str, ty: &str) -> Option<S<(Node, Value)>> {
        if self.stack.iter().any(|t| t == ty) {
            return None;
        }
        let def = self.def(ty);
        let TypeKind::Struct(s) = &def.kind else { panic!("`{ty}` is used as a structure but is not one") };
        self.reached.insert(ty.to_owned());
        self.stack.push(ty.to_owned());
        let attributes: Vec<S<Part>> = s
            .fields
            .iter()
            .filter(|f| matches!(f.kind, FieldKind::Attribute { .. } | FieldKind::Text { .. }))
            .map(|f| self.field(ty, f))
            .collect();
        let elements: Vec<S<Part>> = s.elements_in_wire_order().into_iter().map(|f| self.field(ty, f)).collect();
        self.stack.pop();
        let (name, type_name): (Name, Name) = (element.into(), ty.into());
        // Text content takes the noise a text value can hold (no elements).
        let has_text = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Text { .. }));
        let extras = if has_text { self.value_extras.clone() } else { self.extras.clone() };
        let strategy = (attributes, elements, extras).prop_map(move |(attributes, elements, x)| {
            let mut json = Map::new();
            let mut attrs = Vec::new();
            let mut children = Vec::new();
            let mut text = None;
            for part in attributes.into_iter().chain(elements) {
                attrs.extend(part.attrs);
                children.extend(part.children);
                text = text.or(part.text);
                for (key, value) in part.json {
                    let before = json.insert(key.clone(), value);
                    assert!(before.is_none(), "two fields of `{type_name}` have the JSON name `{key}`");
                }
            }
            shuffle(&mut attrs, x.attr_order);
            let node = Node {
                name: name.clone(),
                ty: Some(type_name.clone()),
                ns_pick: x.ns_pick,
                attrs,
                body: match text {
                    Some(text) => Body::Text(text),
                    None => Body::Children(children),
                },
                self_close: x.self_close,
                noise: x.noise,
            };
            (node, Value::Object(json))
        });
        Some(strategy.boxed())
    }

    /// A list wrapper called `element` holding 0 to 2 items of the list type `list`, each under the item
    /// name or one of its aliases. `json_key` is the field's own JSON form when it has one.
    fn list_node(&mut self, element: &str, list: &str, json_key: Option<Option<String>>) -> S<(Node, Value)> {
        let TypeKind::List(l) = &self.def(list).kind else { panic!("`{list}` is used as a list but is not one") };
        let key = json_key.unwrap_or_else(|| l.json_key.clone());
        let item_names: Vec<Name> =
            std::iter::once(&l.item_element).chain(&l.item_aliases).map(|n| Name::from(n.as_str())).collect();
        let item = match &l.item_value {
            Some(value) => Some(self.value_node(&l.item_element, value)),
            None => self.struct_node(&l.item_element, &l.item_type),
        };
        let items = match item {
            Some(item) => vec(
                (item, select(item_names)).prop_map(|((mut node, json), name)| {
                    node.name = name;
                    (node, json)
                }),
                0..3,
            )
            .boxed(),
            None => Just(Vec::new()).boxed(),
        };
        let name: Name = element.into();
        (items, self.extras.clone())
            .prop_map(move |(items, x)| {
                let (children, values): (Vec<Node>, Vec<Value>) = items.into_iter().unzip();
                let json = match &key {
                    None => Value::Array(values),
                    Some(key) => Value::Object(Map::from_iter([(key.clone(), Value::Array(values))])),
                };
                let node = Node {
                    name: name.clone(),
                    ty: None,
                    ns_pick: x.ns_pick,
                    attrs: Vec::new(),
                    body: Body::Children(children),
                    self_close: x.self_close,
                    noise: x.noise,
                };
                (node, json)
            })
            .boxed()
    }

    /// What one field contributes, present or absent as its cardinality allows.
    fn field(&mut self, owner: &str, f: &Field) -> S<Part> {
        let key = f.json_name.clone().unwrap_or_default();
        match &f.kind {
            FieldKind::Attribute { name, value } => {
                let name: Name = name.as_str().into();
                let k = key.clone();
                let present = self
                    .value(value)
                    .prop_map(move |(lexical, json)| Part {
                        attrs: vec![Attr::plain(name.clone(), lexical)],
                        json: vec![(k.clone(), json)],
                        ..Part::default()
                    })
                    .boxed();
                match f.occurs {
                    Occurs::Required => present,
                    _ => prop_oneof![3 => present, 1 => Just(Part::json_only(&key, Value::Null))].boxed(),
                }
            }
            FieldKind::Text { value } => {
                let k = key.clone();
                self.value(value)
                    .prop_map(move |(lexical, json)| Part {
                        text: Some(lexical),
                        json: vec![(k.clone(), json)],
                        ..Part::default()
                    })
                    .boxed()
            }
            FieldKind::Value { element, value } => {
                let present = self.value_node(element, value);
                self.element_field(owner, f, element, Some(present))
            }
            FieldKind::Child { element, ty } => {
                let present = self.struct_node(element, ty);
                self.element_field(owner, f, element, present)
            }
            FieldKind::List { element, list, json, .. } => {
                assert_ne!(f.occurs, Occurs::Repeated, "{owner}.{}: a repeated list", f.rust_name);
                let present = self.list_node(element, list, json.as_ref().map(|j| j.key.clone()));
                self.element_field(owner, f, element, Some(present))
            }
            FieldKind::Marker { element } => {
                let present = self.marker_node(element);
                self.element_field(owner, f, element, Some(present))
            }
            FieldKind::Choice { alternatives, .. } => {
                let mut options = Vec::new();
                let mut nils = Vec::new();
                for a in alternatives {
                    let node = match &a.content {
                        AltContent::Value(v) => Some(self.value_node(&a.element, v)),
                        AltContent::Struct(ty) => self.struct_node(&a.element, ty),
                        AltContent::Marker => Some(self.marker_node(&a.element)),
                    };
                    let Some(node) = node else { continue };
                    let json_name = a.json_name.clone();
                    options.push(
                        node.prop_map(move |(node, json)| Part {
                            children: vec![node],
                            json: vec![(json_name.clone(), json)],
                            ..Part::default()
                        })
                        .boxed(),
                    );
                    nils.push(self.nil_node(&a.element));
                }
                if options.is_empty() {
                    assert_ne!(
                        f.occurs,
                        Occurs::Required,
                        "{owner}.{}: every alternative contains {owner}",
                        f.rust_name
                    );
                    return Just(Part::default()).boxed();
                }
                if f.occurs == Occurs::Required {
                    return Union::new(options).boxed();
                }
                // An absent choice adds no JSON property at all: each alternative is a property of its own.
                let absent = prop_oneof![
                    2 => Just(Part::default()),
                    1 => Union::new(nils).prop_map(|node| Part { children: vec![node], ..Part::default() }),
                ];
                prop_oneof![3 => Union::new(options), 1 => absent].boxed()
            }
        }
    }

    /// An element field: required, optional (absent, `xsi:nil` or present) or repeated (0 to 2 times).
    /// `present` is `None` when the type cannot be nested here (it contains itself).
    fn element_field(&self, owner: &str, f: &Field, element: &str, present: Option<S<(Node, Value)>>) -> S<Part> {
        let key = f.json_name.clone().unwrap_or_default();
        let one = |present: S<(Node, Value)>| {
            let key = key.clone();
            present.prop_map(move |(node, json)| Part {
                children: vec![node],
                json: vec![(key.clone(), json)],
                ..Part::default()
            })
        };
        let nil = {
            let key = key.clone();
            self.nil_node(element).prop_map(move |node| Part {
                children: vec![node],
                json: vec![(key.clone(), Value::Null)],
                ..Part::default()
            })
        };
        match (f.occurs, present) {
            (Occurs::Required, Some(present)) => one(present).boxed(),
            (Occurs::Required, None) => panic!("{owner}.{} requires a value that contains {owner} itself", f.rust_name),
            (Occurs::Optional, Some(present)) => prop_oneof![
                4 => one(present),
                1 => Just(Part::json_only(&key, Value::Null)),
                1 => nil,
            ]
            .boxed(),
            (Occurs::Optional, None) => Just(Part::json_only(&key, Value::Null)).boxed(),
            (Occurs::Repeated, Some(present)) => vec(present, 0..3)
                .prop_map(move |items| {
                    let (children, values): (Vec<Node>, Vec<Value>) = items.into_iter().unzip();
                    Part { children, json: vec![(key.clone(), Value::Array(values))], ..Part::default() }
                })
                .boxed(),
            (Occurs::Repeated, None) => Just(Part::json_only(&key, Value::Array(Vec::new()))).boxed(),
        }
    }
}

/// A deterministic permutation from a seed (attributes come in any order).
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
}

/// The namespace forms, the XML declaration and indentation of a document.
fn style() -> S<Style> {
    let forms: Vec<Option<Name>> = vec![None, Some("v".into()), Some("em".into()), Some("ns0".into())];
    (subsequence(forms, 1..=2), any::<bool>(), any::<bool>())
        .prop_map(|(forms, xml_declaration, pretty)| Style { forms, xml_declaration, pretty })
        .boxed()
}

/// A name the schema does not know (for attributes and EM-namespace elements).
fn unknown_name(known: &Rc<KnownNames>) -> S<Name> {
    let known = known.clone();
    let stems = vec!["Extra", "x", "_private", "Links2", "data.v2", "New-Field", "Ref_", "ÉtatNouveau", "日本"];
    (select(stems), 0u16..1000)
        .prop_map(move |(stem, n)| {
            let mut name = format!("{stem}{n}");
            while known.all.contains(&name) {
                name.push('_');
            }
            Name::from(name.as_str())
        })
        .boxed()
}

/// Noise for one element: unknown attributes, known attribute names in another namespace, and junk
/// children (unknown EM elements, elements of another namespace under known names, comments).
fn noise(known: &Rc<KnownNames>) -> S<Noise> {
    let lexical = || (text(), any::<u8>()).prop_map(|(text, style)| Lexical { text, style });
    let unknown_attr = (unknown_name(known), lexical()).prop_map(|(name, value)| Attr::plain(name, value));
    let foreign_names = select(known.attributes.iter().cloned().chain([Name::from("nil")]).collect::<Vec<_>>());
    let foreign_attr =
        (foreign_names, lexical()).prop_map(|(name, value)| Attr { prefix: Some(("o".into(), OTHER_NS)), name, value });
    let attr = prop_oneof![unknown_attr, foreign_attr].boxed();

    let known_or_unknown = prop_oneof![select(known.elements.clone()), unknown_name(known)].boxed();
    let leaf = (
        prop_oneof![Just(JunkNs::Prefixed), Just(JunkNs::Default)],
        any::<u8>(),
        known_or_unknown.clone(),
        vec(attr.clone(), 0..2),
        proptest::option::of(lexical()),
    )
        .prop_map(|(ns, ns_pick, name, attrs, text)| JunkElement {
            ns,
            ns_pick,
            name,
            attrs,
            text,
            children: Vec::new(),
        });
    let nested = leaf.prop_recursive(2, 6, 3, |inner| {
        (inner.clone(), vec(inner, 0..3)).prop_map(|(mut e, children)| {
            e.children = children;
            e
        })
    });
    // The top of a junk element: either in another namespace (any name, known ones included) or in the
    // EM namespace under a name the schema does not know.
    let element = (nested, any::<bool>(), unknown_name(known)).prop_map(|(mut e, em, unknown)| {
        if em {
            e.ns = JunkNs::Em;
            e.name = unknown;
        }
        Junk::Element(e)
    });
    let junk = prop_oneof![4 => element, 1 => comment_or_pi()];
    prop_oneof![
        2 => Just(Noise::default()),
        1 => (vec(attr, 0..3), vec((any::<usize>(), junk), 0..3))
            .prop_map(|(attrs, children)| Noise { attrs, children }),
    ]
    .boxed()
}

/// A comment or a processing instruction.
fn comment_or_pi() -> S<Junk> {
    prop_oneof!["[a-z <>&]{0,10}".prop_map(Junk::Comment), "[a-z <>&]{0,10}".prop_map(Junk::ProcessingInstruction),]
        .boxed()
}

/// Comments and processing instructions inside the text of a simple value, and where they go.
fn text_noise() -> S<Vec<(usize, Junk)>> {
    prop_oneof![2 => Just(Vec::new()), 1 => vec((any::<usize>(), comment_or_pi()), 1..3)].boxed()
}

// ---------------------------------------------------------------------------------------------------------
// Running.

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES)
}

/// Runs `check` on `cases()` documents of every root; all failures are reported together at the end.
fn for_every_root(property: &str, with_noise: bool, check: impl Fn(&str, &Case) -> Result<(), String>) {
    let ir = ir();
    let mut builder = Builder::new(ir, with_noise);
    let documents = builder.documents(ir);
    let cases = cases();
    let covered = RefCell::new(BTreeSet::new());
    let start = Instant::now();
    let mut failures = Vec::new();
    for (root, strategy) in &documents {
        let config = Config {
            cases,
            failure_persistence: None,
            max_shrink_iters: 4096,
            max_shrink_time: 30_000,
            max_global_rejects: 100_000,
            // ChaCha, the default, is slow unoptimized; the cases need no cryptographic randomness.
            rng_algorithm: RngAlgorithm::XorShift,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(strategy, |case| {
            case.structs(&mut covered.borrow_mut());
            check(root, &case).map_err(TestCaseError::fail)
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(reason, _)) => failures.push(format!("<{root}>: {reason}")),
            Err(TestError::Abort(reason)) => failures.push(format!("<{root}>: aborted: {reason}")),
        }
    }
    let structs = builder.reached.len();
    println!(
        "{property}: {} roots x {cases} cases in {:.2?}; {} of the {structs} structures reachable from a root \
         were in a generated document",
        documents.len(),
        start.elapsed(),
        covered.borrow().len(),
    );
    assert!(failures.is_empty(), "{property} failed for {} root(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

fn decode(document: &str) -> Result<Document, String> {
    Document::from_xml(document).map_err(|e| format!("the document does not decode: {e}\n--- document ---\n{document}"))
}

fn to_json(value: &Document) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("{value:?} does not serialize to JSON: {e}"))
}

fn from_json(root: &str, json: &str) -> Result<Document, String> {
    match Document::from_json(root, json) {
        Some(Ok(value)) => Ok(value),
        Some(Err(e)) => Err(format!("the JSON does not decode: {e}\n--- JSON ---\n{json}")),
        None => Err(format!("Document::from_json does not know the root `{root}`")),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[test]
fn decoding_keeps_every_value() {
    for_every_root("decoding keeps every value", false, |root, case| {
        let document = case.document();
        let value = decode(&document)?;
        if value.root() != root {
            return Err(format!("decoded as <{}>\n--- document ---\n{document}", value.root()));
        }
        let json = serde_json::to_value(&value).map_err(|e| e.to_string())?;
        if json != case.expected {
            return Err(format!(
                "the decoded value is not what the document holds\n--- document ---\n{document}\n--- expected \
                 (JSON) ---\n{}\n--- decoded (JSON) ---\n{}",
                pretty(&case.expected),
                pretty(&json)
            ));
        }
        Ok(())
    });
}

#[test]
fn xml_round_trip() {
    for_every_root("XML round trip", false, |_, case| {
        let document = case.document();
        let value = decode(&document)?;
        let written = value.to_xml();
        let again = Document::from_xml(&written).map_err(|e| {
            format!("to_xml() does not decode: {e}\n--- document ---\n{document}\n--- to_xml ---\n{written}")
        })?;
        if again != value {
            return Err(format!(
                "decode(to_xml(v)) != v\n--- document ---\n{document}\n--- to_xml ---\n{written}\n--- v ---\n\
                 {value:#?}\n--- decoded again ---\n{again:#?}"
            ));
        }
        Ok(())
    });
}

#[test]
fn json_round_trip() {
    for_every_root("JSON round trip", false, |root, case| {
        let document = case.document();
        let value = decode(&document)?;
        let json = to_json(&value)?;
        let again = from_json(root, &json).map_err(|e| format!("{e}\n--- document ---\n{document}"))?;
        if again != value {
            return Err(format!(
                "from_json(to_json(v)) != v\n--- document ---\n{document}\n--- JSON ---\n{json}\n--- v ---\n\
                 {value:#?}\n--- from JSON ---\n{again:#?}"
            ));
        }
        Ok(())
    });
}

#[test]
fn xml_json_xml_is_stable() {
    for_every_root("XML -> JSON -> XML", false, |root, case| {
        let document = case.document();
        let value = decode(&document)?;
        let json = to_json(&value)?;
        let again = from_json(root, &json).map_err(|e| format!("{e}\n--- document ---\n{document}"))?;
        let (direct, via_json) = (value.to_xml(), again.to_xml());
        if direct != via_json {
            return Err(format!(
                "to_xml differs after a trip through JSON\n--- document ---\n{document}\n--- JSON ---\n{json}\n\
                 --- v.to_xml() ---\n{direct}\n--- from_json(to_json(v)).to_xml() ---\n{via_json}"
            ));
        }
        Ok(())
    });
}

#[test]
fn unknown_content_is_ignored() {
    for_every_root("unknown content is ignored", true, |_, case| {
        let (plain, noisy) = (case.document(), case.noisy_document());
        let value = decode(&plain)?;
        let with_noise = Document::from_xml(&noisy).map_err(|e| {
            format!(
                "the document with noise does not decode: {e}\n--- document ---\n{plain}\n--- with noise ---\n{noisy}"
            )
        })?;
        if with_noise != value {
            return Err(format!(
                "noise changed the value\n--- document ---\n{plain}\n--- with noise ---\n{noisy}\n--- without \
                 ---\n{value:#?}\n--- with ---\n{with_noise:#?}"
            ));
        }
        Ok(())
    });
}

/// Every structure of the schema is reachable from some document root (so the properties above cover it),
/// the IR's roots are the ones `Document` decodes, and the generator met every reachable structure.
#[test]
fn every_struct_is_reached_from_a_root() {
    let ir = ir();
    let types = types_by_name(ir);
    let roots = roots(ir);

    let ir_roots: BTreeSet<&str> = roots.iter().map(|(r, _)| r.as_str()).collect();
    let document_roots: BTreeSet<&str> = Document::ROOTS.iter().copied().collect();
    assert_eq!(ir_roots, document_roots, "the schema's roots and Document::ROOTS differ (regenerate?)");

    // Reachability over the IR's type references.
    let mut reachable: BTreeSet<&str> = BTreeSet::new();
    let mut queue: Vec<&str> = roots.iter().map(|(_, ty)| ty.as_str()).collect();
    while let Some(ty) = queue.pop() {
        if reachable.insert(ty) {
            queue.extend(references(types[ty]));
        }
    }
    let mut referrers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in ir.types() {
        for r in references(t) {
            referrers.entry(r).or_default().insert(&t.rust_name);
        }
    }
    let structs: BTreeSet<&str> =
        ir.types().filter(|t| matches!(t.kind, TypeKind::Struct(_))).map(|t| t.rust_name.as_str()).collect();
    let unreachable: Vec<String> = structs
        .iter()
        .filter(|s| !reachable.contains(*s))
        .map(|s| match referrers.get(s) {
            None => format!("{s}: not a document root, and no field of any type refers to it"),
            Some(by) => format!(
                "{s}: not a document root, and only unreachable types refer to it ({})",
                by.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        })
        .collect();

    let mut builder = Builder::new(ir, false);
    let documents = builder.documents(ir);
    let built: BTreeSet<&str> = builder.reached.iter().map(String::as_str).collect();
    let reachable_structs: BTreeSet<&str> = structs.intersection(&reachable).copied().collect();
    println!(
        "{} roots; {} of {} structures reachable from a root; the strategies build {}",
        documents.len(),
        reachable_structs.len(),
        structs.len(),
        built.len()
    );
    assert_eq!(built, reachable_structs, "the strategies do not build every reachable structure");
    assert!(
        unreachable.is_empty(),
        "structures no document root reaches, so no property covers them:\n{}",
        unreachable.join("\n")
    );
}
