//! XSD declarations -> schema-language declarations.
//!
//! Four passes over the file set: look ahead (which global elements use which types, which types are
//! bases, which element names carry anonymous types), name the global types, translate every declaration
//! in file and document order (anonymous types are named and translated where they are met), then turn
//! wrapper types into lists and give global elements that share a type a document type of their own.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use roxmltree::{Node, NodeId};

use super::builtins::{self, Builtin};
use super::files::{children, is_xs, Ctx, Found, Space, XS};
use super::naming::{self, Names};
use crate::diagnostics::{Pos, Sink};
use crate::ir::ValueType;
use crate::schema::{
    is_invisible, ChoiceDecl, ComplexDecl, EnumDecl, EnumValueDecl, FieldDecl, Item, ListDecl, Member, Occurs,
    SchemaFile, Spanned,
};

/// How deep declarations may nest (groups in groups, types in elements in types, restrictions of
/// restrictions...). Far beyond any real schema; it keeps a hostile one from exhausting the stack.
const MAX_NESTING: usize = 64;

/// A node of one of the files: (index into the file list, node id). Ids follow document order.
type Key = (usize, u32);

fn key(f: usize, node: Node<'_, '_>) -> Key {
    (f, node.id().get())
}

/// Runs the passes; one [`SchemaFile`] per file of `ctx`.
pub(super) fn run(ctx: &Ctx<'_, '_>, sink: &mut Sink<'_>) -> Vec<SchemaFile> {
    let mut tr = Translator {
        ctx,
        sink,
        names: Names::default(),
        type_names: HashMap::new(),
        key_by_name: HashMap::new(),
        roots: HashMap::new(),
        used_as_base: BTreeSet::new(),
        global_uses: BTreeMap::new(),
        anon_counts: HashMap::new(),
        shared_roots: Vec::new(),
        complex: HashMap::new(),
        simple: HashMap::new(),
        anon: HashMap::new(),
        placed: Vec::new(),
        seq: 0,
        stack: Vec::new(),
        losers: BTreeSet::new(),
        item_aliases: BTreeMap::new(),
        depth: 0,
    };
    tr.look_ahead();
    tr.name_globals();
    tr.translate_all();
    tr.finish()
}

/// How often a particle occurs: `minOccurs`, and `maxOccurs` (`None` for `unbounded`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Occ {
    min: u64,
    max: Option<u64>,
}

impl Occ {
    const ONE: Occ = Occ { min: 1, max: Some(1) };

    /// A particle occurring `self` times inside a group occurring `outer` times.
    fn times(self, outer: Occ) -> Occ {
        let max = match (self.max, outer.max) {
            (Some(0), _) | (_, Some(0)) => Some(0),
            (Some(a), Some(b)) => Some(a.saturating_mul(b)),
            _ => None,
        };
        Occ { min: self.min.saturating_mul(outer.min), max }
    }

    fn repeats(self) -> bool {
        self.max.is_none_or(|m| m > 1)
    }

    /// The schema language's occurrence, or `None` for a particle that cannot occur (`maxOccurs="0"`).
    fn occurs(self) -> Option<Occurs> {
        match self.max {
            Some(0) => None,
            Some(1) => Some(if self.min == 0 { Occurs::Optional } else { Occurs::Required }),
            _ => Some(Occurs::Repeated),
        }
    }
}

fn word(o: Occurs) -> &'static str {
    match o {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::Repeated => "repeated",
    }
}

/// Whether a restriction may turn `base` into `narrowed`.
fn narrows(base: Occurs, narrowed: Occurs) -> bool {
    base == narrowed
        || matches!(
            (base, narrowed),
            (Occurs::Optional, Occurs::Required) | (Occurs::Repeated, Occurs::Optional | Occurs::Required)
        )
}

/// What the type of an element or attribute is in the schema language.
#[derive(Clone, Debug, PartialEq, Eq)]
enum TypeUse {
    /// A built-in simple type or an enum.
    Simple(String),
    /// A complex type (a structure, or a list once wrappers are decided).
    Complex(String),
    /// An empty complex type: the element's presence is the information.
    Marker,
}

impl TypeUse {
    fn name(&self) -> &str {
        match self {
            TypeUse::Simple(n) | TypeUse::Complex(n) => n,
            TypeUse::Marker => "marker",
        }
    }
}

/// The declaration whose content is being translated: anonymous types met there are named after it and
/// placed after it in its file.
#[derive(Clone, Debug)]
struct Owner {
    /// Index into the file list of the file the declaration goes to.
    file: usize,
    /// Byte offset of the top-level XSD declaration it comes from.
    anchor: usize,
    /// Its name in the schema language.
    name: String,
}

/// Where a declaration goes: file, top-level declaration and order after it.
#[derive(Clone, Copy, Debug)]
struct Place {
    file: usize,
    anchor: usize,
    seq: usize,
}

struct Placed {
    place: Place,
    item: Item,
}

enum Memo {
    InProgress,
    /// The declaration, or `None` for an empty type that is only ever a presence marker.
    Done(Option<Box<ComplexDecl>>),
}

struct Translator<'c, 'd, 't, 'k, 's> {
    ctx: &'c Ctx<'d, 't>,
    sink: &'k mut Sink<'s>,
    names: Names,
    /// Names given to named types and to the anonymous types that need one.
    type_names: HashMap<Key, Spanned<String>>,
    /// Named complex types by their name.
    key_by_name: HashMap<String, Key>,
    /// Document roots of complex types.
    roots: HashMap<Key, Spanned<String>>,
    /// Complex types some `complexContent` derives from.
    used_as_base: BTreeSet<Key>,
    /// Named complex types -> the global elements with that `type`.
    global_uses: BTreeMap<Key, Vec<(usize, Node<'d, 't>)>>,
    /// Local element and attribute names -> how many anonymous types that become declarations they carry.
    anon_counts: HashMap<&'d str, usize>,
    /// Global elements that share their type with others: element (file, node) and the type.
    shared_roots: Vec<(usize, Node<'d, 't>, Key)>,
    complex: HashMap<Key, Memo>,
    /// Simple types -> their schema-language type name (`None` after an error).
    simple: HashMap<Key, Option<String>>,
    /// Anonymous complex types of local elements.
    anon: HashMap<Key, Option<TypeUse>>,
    placed: Vec<Placed>,
    seq: usize,
    /// Groups and attribute groups being expanded, to catch one that contains itself.
    stack: Vec<Key>,
    /// Declarations whose name another type already had (reported): left out, so that the clash is
    /// reported once and not again as a duplicate type.
    losers: BTreeSet<(String, Pos)>,
    /// Repeated choices of one element under several names, all of one type (how a list with item aliases
    /// is written): the position of the first name, which became a repeated element -> the other names and
    /// the position of `maxOccurs`. Only the whole content of a list type may be one (see `make_lists`).
    item_aliases: BTreeMap<Pos, (Vec<Spanned<String>>, Pos)>,
    /// Current nesting of the recursive translation steps (see [`MAX_NESTING`]).
    depth: usize,
}

impl<'d, 't> Translator<'_, 'd, 't, '_, '_> {
    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    fn pos(&self, f: usize, node: Node<'_, '_>) -> Pos {
        self.ctx.pos(f, node)
    }

    fn attr_pos(&self, f: usize, node: Node<'_, '_>, name: &str) -> Pos {
        self.ctx.attr_pos(f, node, name)
    }

    fn node(&self, k: Key) -> Option<Node<'d, 't>> {
        self.ctx.files[k.0].doc.get_node(NodeId::new(k.1))
    }

    /// Gives a type name (see [`Names::claim`]); a declaration that loses is left out at the end.
    fn claim(&mut self, name: &str, pos: Pos, what: String) {
        if !self.names.claim(name, pos, what, self.sink) {
            self.losers.insert((name.to_owned(), pos));
        }
    }

    /// Enters one level of nesting; past [`MAX_NESTING`] reports an error at `node` and says no.
    fn enter(&mut self, f: usize, node: Node<'_, '_>) -> bool {
        if self.depth >= MAX_NESTING {
            let pos = self.pos(f, node);
            self.sink
                .error(pos, format!("declarations nest more than {MAX_NESTING} deep here, which is not supported"));
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn next_seq(&mut self) -> usize {
        self.seq += 1;
        self.seq
    }

    fn check_attrs(&mut self, f: usize, node: Node<'_, '_>, allowed: &[&str]) {
        for a in node.attributes() {
            if a.namespace().is_some() || allowed.contains(&a.name()) {
                continue;
            }
            let pos = self.ctx.at(f, a.range().start);
            let d =
                self.sink.error(pos, format!("unknown attribute `{}` on `xs:{}`", a.name(), node.tag_name().name()));
            if let Some(best) = crate::names::closest(a.name(), allowed.iter().copied()) {
                d.note(format!("did you mean `{best}`?"));
            }
        }
    }

    /// A boolean attribute (`true`/`1`, `false`/`0`; absent is false).
    fn flag(&mut self, f: usize, node: Node<'_, '_>, name: &str) -> bool {
        match node.attribute(name).map(str::trim) {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => {
                let pos = self.attr_pos(f, node, name);
                self.sink.error(pos, format!("`{name}` must be `true` or `false`, not `{other}`"));
                false
            }
        }
    }

    /// Reports an element that has no place where it is.
    fn unexpected(&mut self, f: usize, node: Node<'_, '_>, parent: &str) {
        let pos = self.pos(f, node);
        let name = node.tag_name().name();
        if node.tag_name().namespace() != Some(XS) {
            self.sink.error(pos, format!("element `{name}` is not in the XML Schema namespace"));
            return;
        }
        match name {
            "any" | "redefine" | "override" | "openContent" | "defaultOpenContent" | "assert" | "alternative" => {
                self.sink.error(pos, format!("xs:{name} is not supported"));
            }
            _ => {
                self.sink.error(pos, format!("unexpected `xs:{name}` in `xs:{parent}`"));
            }
        }
    }

    /// `minOccurs` and `maxOccurs` of a particle.
    fn occ(&mut self, f: usize, node: Node<'_, '_>) -> Occ {
        let min = match node.attribute("minOccurs").map(str::trim) {
            None => 1,
            Some(v) => v.parse::<u64>().unwrap_or_else(|_| {
                let pos = self.attr_pos(f, node, "minOccurs");
                self.sink.error(pos, format!("`minOccurs` must be a non-negative integer, not `{v}`"));
                1
            }),
        };
        let max = match node.attribute("maxOccurs").map(str::trim) {
            None => Some(1),
            Some("unbounded") => None,
            Some(v) => Some(v.parse::<u64>().unwrap_or_else(|_| {
                let pos = self.attr_pos(f, node, "maxOccurs");
                self.sink.error(pos, format!("`maxOccurs` must be a non-negative integer or `unbounded`, not `{v}`"));
                1
            })),
        };
        if let Some(m) = max.filter(|m| *m < min) {
            let pos = self.attr_pos(f, node, "minOccurs");
            self.sink.error(pos, format!("`minOccurs` ({min}) is greater than `maxOccurs` ({m})"));
        }
        Occ { min, max }
    }

    /// The description of a declaration: its `xs:annotation/xs:documentation` texts, one paragraph each.
    fn doc(&mut self, f: usize, node: Node<'_, '_>) -> Option<String> {
        let mut parts = Vec::new();
        for annotation in children(node).filter(|c| is_xs(*c, "annotation")) {
            for c in children(annotation) {
                if is_xs(c, "documentation") {
                    let text: String = c.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
                    if let Some(ch) = text.chars().find(|ch| is_invisible(*ch)) {
                        let range = c.range();
                        let raw = self.ctx.files[f].doc.input_text().get(range.clone()).unwrap_or("");
                        let pos = self.ctx.at(f, range.start + raw.find(ch).unwrap_or(0));
                        self.sink.error(
                            pos,
                            format!("doc text contains the invisible character U+{:04X}; remove it", u32::from(ch)),
                        );
                    }
                    let text = crate::schema::normalize_doc(&text);
                    if !text.is_empty() {
                        parts.push(text);
                    }
                } else if is_xs(c, "appinfo") {
                    let pos = self.pos(f, c);
                    self.sink.warning(pos, "xs:appinfo is ignored");
                } else {
                    self.unexpected(f, c, "annotation");
                }
            }
        }
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }

    /// The enumerated `xs:restriction` of an open enumeration written as a union (how the export writes every
    /// enum): a `simpleType` whose `xs:union` has no `memberTypes` and holds one inline restriction with
    /// `xs:enumeration`s and otherwise only facet-free restrictions of `xs:string`, which admit any other
    /// value. Every enum of the schema language is open, so nothing is lost.
    fn open_enum_union<'a, 'b>(node: Node<'a, 'b>) -> Option<Node<'a, 'b>> {
        let union = children(node).find(|c| is_xs(*c, "union"))?;
        if union.attribute("memberTypes").is_some() {
            return None;
        }
        let mut enumerated = None;
        for member in children(union).filter(|c| !is_xs(*c, "annotation")) {
            let restriction = is_xs(member, "simpleType")
                .then(|| children(member).filter(|c| !is_xs(*c, "annotation")).collect::<Vec<_>>())
                .and_then(|parts| match parts.as_slice() {
                    [r] if is_xs(*r, "restriction") => Some(*r),
                    _ => None,
                })?;
            let base_is_string = restriction.attribute("base").is_some_and(|base| {
                let (prefix, local) = base.split_once(':').map_or((None, base), |(p, l)| (Some(p), l));
                local == "string" && restriction.lookup_namespace_uri(prefix) == Some(XS)
            });
            let facets: Vec<Node<'_, '_>> = children(restriction).filter(|c| !is_xs(*c, "annotation")).collect();
            if !base_is_string {
                return None;
            }
            if facets.is_empty() {
                continue;
            }
            if enumerated.is_some() || !facets.iter().all(|c| is_xs(*c, "enumeration")) {
                return None;
            }
            enumerated = Some(restriction);
        }
        enumerated
    }

    /// Whether a `simpleType` is an enumeration (directly, or through an inline base).
    fn is_enumerated(node: Node<'_, '_>) -> bool {
        if Self::open_enum_union(node).is_some() {
            return true;
        }
        let mut current = node;
        for _ in 0..MAX_NESTING {
            let Some(r) = children(current).find(|c| is_xs(*c, "restriction")) else { return false };
            if children(r).any(|c| is_xs(c, "enumeration")) {
                return true;
            }
            match children(r).find(|c| is_xs(*c, "simpleType")) {
                Some(inner) if r.attribute("base").is_none() => current = inner,
                _ => return false,
            }
        }
        false
    }

    /// Whether a `complexType` is a presence marker wherever an element uses it: not abstract, and no
    /// content and no attributes, inherited ones included.
    fn is_empty_complex(&self, f: usize, node: Node<'d, 't>) -> bool {
        !Self::is_abstract(node) && self.has_no_content(f, node, 0)
    }

    /// Whether a `complexType` declares no content and no attributes, and derives (by extension) only from
    /// types that declare none either. Conservative: a restriction of another type, or a group reference,
    /// counts as content.
    fn has_no_content(&self, f: usize, node: Node<'d, 't>, depth: usize) -> bool {
        fn model(node: Node<'_, '_>) -> bool {
            is_xs(node, "sequence") || is_xs(node, "choice") || is_xs(node, "all")
        }
        fn empty_particle(node: Node<'_, '_>) -> bool {
            empty_within(node, 0)
        }
        fn empty_within(node: Node<'_, '_>, depth: usize) -> bool {
            depth < MAX_NESTING
                && children(node).all(|c| is_xs(c, "annotation") || (model(c) && empty_within(c, depth + 1)))
        }
        let mixed = |n: Node<'_, '_>| n.attribute("mixed").is_some_and(|m| matches!(m.trim(), "true" | "1"));
        if depth > MAX_NESTING || mixed(node) {
            return false;
        }
        for c in children(node) {
            if is_xs(c, "annotation") || (model(c) && empty_particle(c)) {
                continue;
            }
            if !is_xs(c, "complexContent") || mixed(c) {
                return false;
            }
            let Some(d) = children(c).find(|d| is_xs(*d, "extension") || is_xs(*d, "restriction")) else {
                return false;
            };
            if !children(d).all(|x| is_xs(x, "annotation") || (model(x) && empty_particle(x))) {
                return false;
            }
            let Some(base) = d.attribute("base") else { return false };
            match self.ctx.peek(f, d, Space::Type, base) {
                Some(Found::Builtin("anyType")) => {}
                Some(Found::Global(g, b)) if is_xs(d, "extension") && is_xs(b, "complexType") => {
                    if !self.has_no_content(g, b, depth + 1) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        true
    }

    fn is_abstract(node: Node<'_, '_>) -> bool {
        node.attribute("abstract").is_some_and(|a| matches!(a.trim(), "true" | "1"))
    }

    // ----------------------------------------------------------------------------------------------
    // Pass 1 and 2: look ahead, name the global types
    // ----------------------------------------------------------------------------------------------

    fn look_ahead(&mut self) {
        let ctx = self.ctx;
        for (f, file) in ctx.files.iter().enumerate() {
            let root = file.doc.root_element();
            for node in root.descendants().filter(|n| n.is_element() && n.tag_name().namespace() == Some(XS)) {
                let top_level = node.parent() == Some(root);
                match node.tag_name().name() {
                    "element" if top_level && ctx.is_registered(f, node) => {
                        let Some(ty) = node.attribute("type") else { continue };
                        if let Some(Found::Global(g, t)) = ctx.peek(f, node, Space::Type, ty) {
                            if is_xs(t, "complexType") && ctx.is_registered(g, t) {
                                self.global_uses.entry(key(g, t)).or_default().push((f, node));
                            }
                        }
                    }
                    "extension" | "restriction" if node.parent().is_some_and(|p| is_xs(p, "complexContent")) => {
                        let Some(base) = node.attribute("base") else { continue };
                        if let Some(Found::Global(g, t)) = ctx.peek(f, node, Space::Type, base) {
                            if is_xs(t, "complexType") {
                                self.used_as_base.insert(key(g, t));
                            }
                        }
                    }
                    "element" | "attribute" if !top_level => {
                        let Some(name) = node.attribute("name") else { continue };
                        let declared = children(node).any(|c| {
                            (is_xs(c, "complexType") && !self.is_empty_complex(f, c))
                                || (is_xs(c, "simpleType") && Self::is_enumerated(c))
                        });
                        if declared {
                            *self.anon_counts.entry(name).or_default() += 1;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn name_globals(&mut self) {
        let ctx = self.ctx;
        for (f, file) in ctx.files.iter().enumerate() {
            for node in children(file.doc.root_element()) {
                if node.tag_name().namespace() != Some(XS) || !ctx.is_registered(f, node) {
                    continue;
                }
                let Some(written) = node.attribute("name") else { continue };
                let pos = self.attr_pos(f, node, "name");
                match node.tag_name().name() {
                    "complexType" => {
                        let k = key(f, node);
                        let uses = self.global_uses.get(&k).cloned().unwrap_or_default();
                        let declared = !self.is_empty_complex(f, node)
                            || Self::is_abstract(node)
                            || self.used_as_base.contains(&k)
                            || !uses.is_empty();
                        if !declared {
                            continue;
                        }
                        let (name, what) = match uses.as_slice() {
                            [(g, element)] => {
                                let e = element.attribute("name").unwrap_or(written);
                                let root = Spanned { value: e.to_owned(), pos: self.attr_pos(*g, *element, "name") };
                                self.roots.insert(k, root);
                                (e.to_owned(), format!("complexType `{written}` (named after its element `{e}`)"))
                            }
                            _ => (naming::drop_type_suffix(written).to_owned(), format!("complexType `{written}`")),
                        };
                        self.claim(&name, pos, what);
                        self.key_by_name.entry(name.clone()).or_insert(k);
                        self.type_names.insert(k, Spanned { value: name, pos });
                    }
                    "simpleType" if Self::is_enumerated(node) => {
                        let name = naming::drop_type_suffix(written).to_owned();
                        self.claim(&name, pos, format!("simpleType `{written}`"));
                        self.type_names.insert(key(f, node), Spanned { value: name, pos });
                    }
                    "element" => {
                        let anonymous = children(node)
                            .find(|c| is_xs(*c, "complexType") || (is_xs(*c, "simpleType") && Self::is_enumerated(*c)));
                        if let Some(c) = anonymous {
                            let what = format!("the anonymous type of global element `{written}`");
                            self.claim(written, pos, what);
                            let name = Spanned { value: written.to_owned(), pos };
                            if is_xs(c, "complexType") {
                                self.roots.insert(key(f, c), name.clone());
                            }
                            self.type_names.insert(key(f, c), name);
                            continue;
                        }
                        let Some(ty) = node.attribute("type") else { continue };
                        let Some(Found::Global(g, t)) = ctx.peek(f, node, Space::Type, ty) else { continue };
                        let k = key(g, t);
                        if !is_xs(t, "complexType") || self.global_uses.get(&k).is_none_or(|u| u.len() < 2) {
                            continue;
                        }
                        let shared = naming::drop_type_suffix(t.attribute("name").unwrap_or_default());
                        if shared == written {
                            self.roots.insert(k, Spanned { value: written.to_owned(), pos });
                        } else {
                            let what = format!("the document type of global element `{written}`");
                            self.claim(written, pos, what);
                            self.shared_roots.push((f, node, k));
                        }
                    }
                    "attribute" => {
                        if let Some(s) = children(node).find(|c| is_xs(*c, "simpleType") && Self::is_enumerated(*c)) {
                            let what = format!("the anonymous type of global attribute `{written}`");
                            self.claim(written, pos, what);
                            self.type_names.insert(key(f, s), Spanned { value: written.to_owned(), pos });
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The name of an anonymous type declared in `member` (an element or attribute name) of `owner`.
    fn anonymous_name(&mut self, member: &Spanned<String>, owner: &Owner, kind: &str) -> String {
        let bare = member.value.as_str();
        let shared = self.anon_counts.get(bare).copied().unwrap_or(0) > 1;
        let name =
            if self.names.is_taken(bare) || shared { naming::nested(&owner.name, bare) } else { bare.to_owned() };
        let what = format!("the anonymous type of {kind} `{bare}` in `{}`", owner.name);
        self.claim(&name, member.pos, what);
        name
    }

    // ----------------------------------------------------------------------------------------------
    // Pass 3: translate
    // ----------------------------------------------------------------------------------------------

    fn translate_all(&mut self) {
        let ctx = self.ctx;
        for (f, file) in ctx.files.iter().enumerate() {
            for node in children(file.doc.root_element()) {
                if node.tag_name().namespace() != Some(XS) {
                    self.unexpected(f, node, "schema");
                    continue;
                }
                let registered = ctx.is_registered(f, node);
                let own = Place { file: f, anchor: node.range().start, seq: 0 };
                match node.tag_name().name() {
                    "complexType" if registered => self.named_complex(key(f, node)),
                    "simpleType" if registered => {
                        self.simple_type(f, node, own);
                    }
                    "element" if registered => self.global_element(f, node),
                    "attribute" if registered => {
                        self.check_attrs(f, node, &["name", "type", "default", "fixed", "id", "inheritable"]);
                        self.global_attribute_type(f, node);
                    }
                    // Expanded where they are used; duplicates and nameless ones are reported already.
                    "group" | "attributeGroup" | "complexType" | "simpleType" | "element" | "attribute" => {}
                    // Read by `files`.
                    "include" | "import" | "redefine" | "override" | "annotation" => {}
                    "notation" => {
                        let pos = self.pos(f, node);
                        self.sink.warning(pos, "xs:notation is ignored");
                    }
                    _ => self.unexpected(f, node, "schema"),
                }
            }
        }
    }

    /// Translates a named complex type once.
    fn named_complex(&mut self, k: Key) {
        if self.complex.contains_key(&k) {
            return;
        }
        let Some(node) = self.node(k) else { return };
        if !self.enter(k.0, node) {
            self.complex.insert(k, Memo::Done(None));
            return;
        }
        self.translate_named_complex(k, node);
        self.leave();
    }

    fn translate_named_complex(&mut self, k: Key, node: Node<'d, 't>) {
        let Some(name) = self.type_names.get(&k).cloned() else {
            // An empty type nothing derives from and no global element uses: only ever a marker.
            self.complex.insert(k, Memo::Done(None));
            return;
        };
        self.complex.insert(k, Memo::InProgress);
        let owner = Owner { file: k.0, anchor: node.range().start, name: name.value.clone() };
        let root = self.roots.get(&k).cloned();
        let decl = self.complex_type(k.0, node, name, root, &owner, None);
        self.complex.insert(k, Memo::Done(Some(Box::new(decl))));
    }

    fn complex_type(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        name: Spanned<String>,
        root: Option<Spanned<String>>,
        owner: &Owner,
        fallback_doc: Option<String>,
    ) -> ComplexDecl {
        self.check_attrs(f, node, &["name", "abstract", "mixed", "block", "final", "id", "defaultAttributesApply"]);
        if self.flag(f, node, "mixed") {
            let pos = self.attr_pos(f, node, "mixed");
            self.sink.error(pos, "mixed content (`mixed=\"true\"`) is not supported");
        }
        let is_abstract = self.flag(f, node, "abstract");
        let doc = self.doc(f, node).or(fallback_doc);
        let mut decl = ComplexDecl {
            name,
            rust: None,
            extends: None,
            is_abstract,
            root,
            doc,
            members: Vec::new(),
            links: Vec::new(),
        };
        let mut prohibited = Vec::new();
        for child in children(node) {
            if is_xs(child, "simpleContent") {
                self.simple_content(f, child, owner, &mut decl);
            } else if is_xs(child, "complexContent") {
                self.complex_content(f, child, owner, &mut decl);
            } else {
                self.content_child(f, child, owner, &mut decl.members, &mut prohibited, "complexType");
            }
        }
        decl
    }

    /// `simpleContent`: text beside attributes. Extending a simple type gives a `<text name="Value">` member
    /// (EM's JSON names an element's text `Value`, as .NET does) and the attributes; extending or
    /// restricting a type that has text keeps its text and adds or narrows attributes. Facets of the
    /// text are not checked.
    fn simple_content(&mut self, f: usize, node: Node<'d, 't>, owner: &Owner, decl: &mut ComplexDecl) {
        self.check_attrs(f, node, &["id"]);
        let mut derivation = None;
        for c in children(node) {
            if (is_xs(c, "extension") || is_xs(c, "restriction")) && derivation.is_none() {
                derivation = Some(c);
            } else if !is_xs(c, "annotation") {
                self.unexpected(f, c, "simpleContent");
            }
        }
        let Some(d) = derivation else {
            let pos = self.pos(f, node);
            self.sink.error(pos, "`xs:simpleContent` needs an `xs:extension` or an `xs:restriction`");
            return;
        };
        self.check_attrs(f, d, &["base", "id"]);
        let Some(base) = d.attribute("base") else {
            let pos = self.pos(f, d);
            self.sink.error(pos, format!("`xs:{}` needs a `base`", d.tag_name().name()));
            return;
        };
        let pos = self.attr_pos(f, d, "base");
        let mut own = Vec::new();
        let mut prohibited = Vec::new();
        for c in children(d) {
            if is_xs(c, "attribute") || is_xs(c, "attributeGroup") || is_xs(c, "anyAttribute") {
                self.attribute_like(f, c, owner, &mut own, &mut prohibited);
            } else if c.tag_name().namespace() != Some(XS) || is_xs(c, "assert") {
                self.unexpected(f, c, d.tag_name().name());
            }
            // Anything else in a restriction is a facet of the text (or its inline type): not checked.
        }
        match self.ctx.lookup(f, d, Space::Type, base, pos, self.sink) {
            None => {}
            Some(Found::Global(g, b)) if is_xs(b, "complexType") => {
                let bk = key(g, b);
                if is_xs(d, "extension") {
                    if let Some(n) = self.type_names.get(&bk) {
                        decl.extends = Some(Spanned { value: n.value.clone(), pos });
                    }
                    decl.members = own;
                } else {
                    let name = decl.name.value.clone();
                    decl.members = self.restrict(f, d, bk, base, pos, own, prohibited, &name);
                }
            }
            Some(_) if is_xs(d, "restriction") => {
                self.sink.error(
                    pos,
                    format!("a simpleContent restriction derives from a complexType with text, and `{base}` is a simple type; use xs:extension"),
                );
            }
            Some(_) => {
                let Some(TypeUse::Simple(ty)) = self.type_use(f, d, base, pos) else { return };
                let text = Spanned { value: "Value".to_owned(), pos: self.pos(f, d) };
                let occurs = Spanned { value: Occurs::Required, pos: text.pos };
                let doc = self.doc(f, node);
                decl.members.push(Member::Text(field(text, (TypeUse::Simple(ty), pos), occurs, doc)));
                decl.members.extend(own);
            }
        }
    }

    /// A child of `complexType`, `xs:extension` or `xs:restriction`: a model group or an attribute.
    fn content_child(
        &mut self,
        f: usize,
        child: Node<'d, 't>,
        owner: &Owner,
        members: &mut Vec<Member>,
        prohibited: &mut Vec<Spanned<String>>,
        parent: &str,
    ) {
        if child.tag_name().namespace() != Some(XS) {
            self.unexpected(f, child, parent);
            return;
        }
        match child.tag_name().name() {
            "annotation" => {}
            "sequence" | "choice" | "all" | "group" => self.particle(f, child, Occ::ONE, owner, members),
            "attribute" | "attributeGroup" | "anyAttribute" => {
                self.attribute_like(f, child, owner, members, prohibited)
            }
            _ => self.unexpected(f, child, parent),
        }
    }

    fn complex_content(&mut self, f: usize, node: Node<'d, 't>, owner: &Owner, decl: &mut ComplexDecl) {
        self.check_attrs(f, node, &["mixed", "id"]);
        if self.flag(f, node, "mixed") {
            let pos = self.attr_pos(f, node, "mixed");
            self.sink.error(pos, "mixed content (`mixed=\"true\"`) is not supported");
        }
        let mut derivation = None;
        for c in children(node) {
            if (is_xs(c, "extension") || is_xs(c, "restriction")) && derivation.is_none() {
                derivation = Some(c);
            } else if !is_xs(c, "annotation") {
                self.unexpected(f, c, "complexContent");
            }
        }
        let Some(d) = derivation else {
            let pos = self.pos(f, node);
            self.sink.error(pos, "`xs:complexContent` needs an `xs:extension` or an `xs:restriction`");
            return;
        };
        let is_extension = is_xs(d, "extension");
        self.check_attrs(f, d, &["base", "id"]);
        let Some(base) = d.attribute("base") else {
            let pos = self.pos(f, d);
            self.sink.error(pos, format!("`xs:{}` needs a `base`", d.tag_name().name()));
            return;
        };
        let pos = self.attr_pos(f, d, "base");
        let mut own = Vec::new();
        let mut prohibited = Vec::new();
        for c in children(d) {
            self.content_child(f, c, owner, &mut own, &mut prohibited, d.tag_name().name());
        }
        let not_complex = || {
            format!(
                "complexContent cannot derive from the simple type `{base}`; text with attributes is simpleContent, which is not supported yet"
            )
        };
        match self.ctx.lookup(f, d, Space::Type, base, pos, self.sink) {
            None => {}
            Some(Found::Builtin("anyType")) => decl.members = own,
            Some(Found::Builtin(_)) => {
                self.sink.error(pos, not_complex());
            }
            Some(Found::Global(_, b)) if is_xs(b, "simpleType") => {
                self.sink.error(pos, not_complex());
            }
            Some(Found::Global(g, b)) => {
                let bk = key(g, b);
                if is_extension {
                    if let Some(n) = self.type_names.get(&bk) {
                        decl.extends = Some(Spanned { value: n.value.clone(), pos });
                    }
                    decl.members = own;
                } else {
                    let name = decl.name.value.clone();
                    decl.members = self.restrict(f, d, bk, base, pos, own, prohibited, &name);
                }
            }
        }
    }

    /// The members of the complex type `k` and its bases, base first.
    fn effective_members(&mut self, k: Key, pos: Pos, name: &str, base: &str) -> Option<Vec<Member>> {
        let mut chain = Vec::new();
        let mut current = k;
        let mut seen = BTreeSet::new();
        while seen.insert(current) {
            self.named_complex(current);
            match self.complex.get(&current) {
                Some(Memo::InProgress) => {
                    self.sink.error(pos, format!("`{name}` derives from itself through `{base}`"));
                    return None;
                }
                Some(Memo::Done(Some(d))) => {
                    chain.push(d.members.clone());
                    match d.extends.as_ref().and_then(|e| self.key_by_name.get(&e.value)) {
                        Some(next) => current = *next,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        chain.reverse();
        Some(chain.concat())
    }

    /// `complexContent/restriction`: the base's members with the occurrences the restriction narrows;
    /// anything more is an error.
    #[allow(clippy::too_many_arguments)]
    fn restrict(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        bk: Key,
        base: &str,
        base_pos: Pos,
        own: Vec<Member>,
        prohibited: Vec<Spanned<String>>,
        name: &str,
    ) -> Vec<Member> {
        let Some(base_members) = self.effective_members(bk, base_pos, name, base) else { return Vec::new() };
        let at = self.pos(f, node);
        let mut particles = own.iter().filter(|m| !matches!(m, Member::Attribute(_))).peekable();
        let own_attributes: Vec<&FieldDecl> =
            own.iter().filter_map(|m| if let Member::Attribute(a) = m { Some(a) } else { None }).collect();
        let mut out = Vec::new();
        for member in base_members {
            match member {
                Member::Attribute(a) => {
                    if let Some(r) = own_attributes.iter().find(|r| r.name.value == a.name.value) {
                        if let Some(narrowed) = self.narrowed(&a, r, "attribute", base) {
                            out.push(Member::Attribute(narrowed));
                        }
                    } else if let Some(p) = prohibited.iter().find(|p| p.value == a.name.value) {
                        if a.occurs.value == Occurs::Required {
                            let message =
                                format!("the restriction cannot prohibit `{}`, which `{base}` requires", a.name.value);
                            self.sink.error(p.pos, message);
                        }
                    } else {
                        // Attributes a restriction does not mention are inherited as they are.
                        out.push(Member::Attribute(a));
                    }
                }
                Member::Element(e) => match particles.peek() {
                    Some(Member::Element(r)) if r.name.value == e.name.value => {
                        let narrowed = self.narrowed(&e, r, "element", base);
                        out.extend(narrowed.map(Member::Element));
                        particles.next();
                    }
                    _ if e.occurs.value == Occurs::Required => {
                        let message = format!("the restriction leaves out `{}`, which `{base}` requires", e.name.value);
                        self.sink.error(at, message);
                    }
                    _ => {}
                },
                Member::Choice(c) => match particles.peek() {
                    Some(Member::Choice(r))
                        if r.alternatives.len() == c.alternatives.len()
                            && r.alternatives
                                .iter()
                                .zip(&c.alternatives)
                                .all(|(x, y)| x.name.value == y.name.value && x.ty.value == y.ty.value) =>
                    {
                        if !narrows(c.occurs.value, r.occurs.value) {
                            let message = format!(
                                "the choice `{}` is {} in `{base}`; a restriction cannot make it {}",
                                c.name.value,
                                word(c.occurs.value),
                                word(r.occurs.value)
                            );
                            self.sink.error(r.occurs.pos, message);
                        }
                        out.push(Member::Choice(ChoiceDecl {
                            occurs: r.occurs.clone(),
                            doc: r.doc.clone().or(c.doc),
                            ..c
                        }));
                        particles.next();
                    }
                    _ if c.occurs.value == Occurs::Required => {
                        let message = format!(
                            "the restriction leaves out the choice `{}`, which `{base}` requires",
                            c.name.value
                        );
                        self.sink.error(at, message);
                    }
                    _ => {}
                },
                other => out.push(other),
            }
        }
        for extra in particles {
            let (label, pos) = match extra {
                Member::Element(e) => (format!("element `{}`", e.name.value), e.name.pos),
                Member::Choice(c) => (format!("choice `{}`", c.name.value), c.name.pos),
                _ => continue,
            };
            self.sink
                .error(pos, format!("the restriction of `{base}` adds or reorders the {label}; a restriction may only narrow occurrences"))
                .note(format!("{label} is not where `{base}` has it, or `{base}` has no such member"));
        }
        for a in own_attributes {
            if !out.iter().any(|m| matches!(m, Member::Attribute(x) if x.name.value == a.name.value)) {
                let message = format!("the restriction of `{base}` adds the attribute `{}`", a.name.value);
                self.sink.error(a.name.pos, message);
            }
        }
        out
    }

    /// `base` as restated by `restated`: the same type, an occurrence no wider.
    fn narrowed(&mut self, base: &FieldDecl, restated: &FieldDecl, what: &str, base_name: &str) -> Option<FieldDecl> {
        if base.ty.value != restated.ty.value {
            let message = format!(
                "the restriction changes the type of {what} `{}` from `{}` to `{}`; a restriction may only narrow occurrences",
                base.name.value, base.ty.value, restated.ty.value
            );
            self.sink.error(restated.ty.pos, message);
            return None;
        }
        if !narrows(base.occurs.value, restated.occurs.value) {
            let message = format!(
                "{what} `{}` is {} in `{base_name}`; a restriction cannot make it {}",
                base.name.value,
                word(base.occurs.value),
                word(restated.occurs.value)
            );
            self.sink.error(restated.occurs.pos, message);
            return None;
        }
        Some(FieldDecl {
            occurs: restated.occurs.clone(),
            doc: restated.doc.clone().or(base.doc.clone()),
            ..base.clone()
        })
    }

    // ----------------------------------------------------------------------------------------------
    // Particles
    // ----------------------------------------------------------------------------------------------

    /// A particle of a content model, occurring `outer` times, into `out`.
    fn particle(&mut self, f: usize, node: Node<'d, 't>, outer: Occ, owner: &Owner, out: &mut Vec<Member>) {
        if self.enter(f, node) {
            self.particle_at(f, node, outer, owner, out);
            self.leave();
        }
    }

    fn particle_at(&mut self, f: usize, node: Node<'d, 't>, outer: Occ, owner: &Owner, out: &mut Vec<Member>) {
        if node.tag_name().namespace() != Some(XS) {
            self.unexpected(f, node, "sequence");
            return;
        }
        match node.tag_name().name() {
            "annotation" => {}
            kind @ ("sequence" | "all") => {
                self.check_attrs(f, node, &["minOccurs", "maxOccurs", "id"]);
                let own = self.occ(f, node).times(outer);
                if own.max == Some(0) {
                    return;
                }
                let parts: Vec<Node<'d, 't>> = children(node).filter(|c| !is_xs(*c, "annotation")).collect();
                if own.repeats() && parts.len() > 1 {
                    let pos = self.attr_pos(f, node, "maxOccurs");
                    self.sink.error(
                        pos,
                        format!("a repeated xs:{kind} of several particles is not supported: the IR repeats single elements"),
                    );
                    return;
                }
                for p in parts {
                    self.particle(f, p, own, owner, out);
                }
            }
            "choice" => self.choice(f, node, outer, owner, out),
            "group" => {
                if let Some((g, model, own, k)) = self.group(f, node, outer) {
                    self.stack.push(k);
                    self.particle(g, model, own, owner, out);
                    self.stack.pop();
                }
            }
            "element" => {
                if let Some((field, _)) = self.element(f, node, outer, owner) {
                    out.push(Member::Element(field));
                }
            }
            _ => self.unexpected(f, node, node.parent_element().map_or("", |p| p.tag_name().name())),
        }
    }

    /// A `group ref=`: the group's file, its model group, the occurrence of the reference, and its key.
    fn group(&mut self, f: usize, node: Node<'d, 't>, outer: Occ) -> Option<(usize, Node<'d, 't>, Occ, Key)> {
        self.check_attrs(f, node, &["ref", "minOccurs", "maxOccurs", "id"]);
        let Some(r) = node.attribute("ref") else {
            let pos = self.pos(f, node);
            self.sink.error(pos, "`xs:group` here needs a `ref`");
            return None;
        };
        let pos = self.attr_pos(f, node, "ref");
        let Some(Found::Global(g, group)) = self.ctx.lookup(f, node, Space::Group, r, pos, self.sink) else {
            return None;
        };
        let k = key(g, group);
        if self.stack.contains(&k) {
            self.sink.error(pos, format!("group `{r}` contains itself"));
            return None;
        }
        let own = self.occ(f, node).times(outer);
        let model = children(group).find(|c| is_xs(*c, "sequence") || is_xs(*c, "choice") || is_xs(*c, "all"))?;
        (own.max != Some(0)).then_some((g, model, own, k))
    }

    fn choice(&mut self, f: usize, node: Node<'d, 't>, outer: Occ, owner: &Owner, out: &mut Vec<Member>) {
        self.check_attrs(f, node, &["minOccurs", "maxOccurs", "id"]);
        let own = self.occ(f, node).times(outer);
        if own.max == Some(0) {
            return;
        }
        let pos = self.pos(f, node);
        if own.repeats() {
            let at = self.attr_pos(f, node, "maxOccurs");
            // One item under several names, all of one type: a list's item and its aliases, if the owner
            // turns out to be a list (`make_lists`; anything else is the error below, reported in `finish`).
            let mut alternatives = Vec::new();
            let mut emptiable = false;
            for c in children(node) {
                self.alternative(f, c, Occ::ONE, owner, &mut alternatives, &mut emptiable);
            }
            // Only as the whole content of a complexType (`complexType/sequence/choice`), as the export writes it.
            let whole_content = node.parent().is_some_and(|seq| {
                is_xs(seq, "sequence")
                    && children(seq).filter(|c| !is_xs(*c, "annotation")).count() == 1
                    && seq.parent().is_some_and(|t| is_xs(t, "complexType"))
            });
            if whole_content
                && alternatives.len() > 1
                && alternatives.iter().all(|a| a.ty.value == alternatives[0].ty.value && a.ty.value != "marker")
            {
                let mut first = alternatives.remove(0);
                first.occurs = Spanned { value: Occurs::Repeated, pos: at };
                let aliases = alternatives.into_iter().map(|a| a.name).collect();
                self.item_aliases.insert(first.name.pos, (aliases, at));
                out.push(Member::Element(first));
                return;
            }
            self.sink.error(
                at,
                "a repeated xs:choice is not supported: a choice holds one element (make the elements repeat instead)",
            );
            return;
        }
        let mut alternatives = Vec::new();
        let mut emptiable = own.min == 0;
        for c in children(node) {
            self.alternative(f, c, Occ::ONE, owner, &mut alternatives, &mut emptiable);
        }
        let doc = self.doc(f, node);
        let occurs = if emptiable { Occurs::Optional } else { Occurs::Required };
        let occurs_pos = if node.attribute("minOccurs").is_some() { self.attr_pos(f, node, "minOccurs") } else { pos };
        match alternatives.len() {
            0 => {}
            1 => {
                let mut only = alternatives.remove(0);
                only.occurs = Spanned {
                    value: if only.ty.value == "marker" { Occurs::Optional } else { occurs },
                    pos: occurs_pos,
                };
                only.doc = only.doc.or(doc);
                out.push(Member::Element(only));
            }
            _ => {
                let name = alternatives.iter().map(|a| a.name.value.as_str()).collect::<Vec<_>>().join("Or");
                out.push(Member::Choice(ChoiceDecl {
                    name: Spanned { value: name, pos },
                    occurs: Spanned { value: occurs, pos: occurs_pos },
                    rust: None,
                    doc,
                    alternatives,
                }));
            }
        }
    }

    /// A particle inside a choice: an element is an alternative; a nested choice adds its alternatives; a
    /// sequence of one particle is that particle; an empty one makes the choice optional.
    fn alternative(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        outer: Occ,
        owner: &Owner,
        alternatives: &mut Vec<FieldDecl>,
        emptiable: &mut bool,
    ) {
        if self.enter(f, node) {
            self.alternative_at(f, node, outer, owner, alternatives, emptiable);
            self.leave();
        }
    }

    fn alternative_at(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        outer: Occ,
        owner: &Owner,
        alternatives: &mut Vec<FieldDecl>,
        emptiable: &mut bool,
    ) {
        if node.tag_name().namespace() != Some(XS) {
            self.unexpected(f, node, "choice");
            return;
        }
        match node.tag_name().name() {
            "annotation" => {}
            "element" => {
                let Some((mut field, occ)) = self.element(f, node, outer, owner) else { return };
                if occ.repeats() {
                    let pos = self.attr_pos(f, node, "maxOccurs");
                    let message = format!(
                        "alternative `{}` of an xs:choice repeats, which is not supported: an alternative is one element",
                        field.name.value
                    );
                    self.sink.error(pos, message);
                    return;
                }
                if occ.min == 0 {
                    *emptiable = true;
                }
                field.occurs.value = Occurs::Optional;
                alternatives.push(field);
            }
            "choice" => {
                self.check_attrs(f, node, &["minOccurs", "maxOccurs", "id"]);
                let own = self.occ(f, node).times(outer);
                if own.max == Some(0) {
                    return;
                }
                if own.repeats() {
                    let pos = self.attr_pos(f, node, "maxOccurs");
                    self.sink.error(pos, "a repeated xs:choice is not supported: a choice holds one element");
                    return;
                }
                if own.min == 0 {
                    *emptiable = true;
                }
                for c in children(node) {
                    self.alternative(f, c, Occ::ONE, owner, alternatives, emptiable);
                }
            }
            kind @ ("sequence" | "all") => {
                self.check_attrs(f, node, &["minOccurs", "maxOccurs", "id"]);
                let own = self.occ(f, node).times(outer);
                if own.max == Some(0) {
                    return;
                }
                let parts: Vec<Node<'d, 't>> = children(node).filter(|c| !is_xs(*c, "annotation")).collect();
                match parts.as_slice() {
                    [] => *emptiable = true,
                    [one] => self.alternative(f, *one, own, owner, alternatives, emptiable),
                    _ => {
                        let pos = self.pos(f, node);
                        self.sink.error(
                            pos,
                            format!("an xs:{kind} of several particles inside an xs:choice is not supported: an alternative is one element"),
                        );
                    }
                }
            }
            "group" => {
                if let Some((g, model, own, k)) = self.group(f, node, outer) {
                    self.stack.push(k);
                    self.alternative(g, model, own, owner, alternatives, emptiable);
                    self.stack.pop();
                }
            }
            _ => self.unexpected(f, node, "choice"),
        }
    }

    /// Children of an element other than its type: identity constraints are skipped with a warning.
    fn element_children(&mut self, f: usize, node: Node<'d, 't>) {
        for c in children(node) {
            if is_xs(c, "annotation") || is_xs(c, "complexType") || is_xs(c, "simpleType") {
                continue;
            }
            if ["unique", "key", "keyref"].iter().any(|k| is_xs(c, k)) {
                let pos = self.pos(f, c);
                let message = format!("xs:{} is ignored: identity constraints are not checked", c.tag_name().name());
                self.sink.warning(pos, message);
            } else {
                self.unexpected(f, c, "element");
            }
        }
    }

    /// `default` and `fixed` have no place in the IR: a warning each.
    fn ignored_values(&mut self, f: usize, node: Node<'_, '_>, what: &str, name: &str) {
        for attr in ["default", "fixed"] {
            if node.attribute(attr).is_some() {
                let pos = self.attr_pos(f, node, attr);
                let message = format!(
                    "`{attr}` of {what} `{name}` is ignored: the schema language has no default or fixed values"
                );
                self.sink.warning(pos, message);
            }
        }
    }

    /// A local element (or element reference): its field and its occurrence (`min` 0 when it may be
    /// absent, `nillable` included). `None` when it cannot occur or after an error.
    fn element(&mut self, f: usize, node: Node<'d, 't>, outer: Occ, owner: &Owner) -> Option<(FieldDecl, Occ)> {
        self.check_attrs(
            f,
            node,
            &[
                "name",
                "ref",
                "type",
                "minOccurs",
                "maxOccurs",
                "nillable",
                "default",
                "fixed",
                "form",
                "block",
                "id",
                "targetNamespace",
            ],
        );
        self.element_children(f, node);
        let mut occ = self.occ(f, node).times(outer);
        if occ.max == Some(0) {
            return None;
        }
        let doc = self.doc(f, node);
        let (name, ty, doc, nillable) = if let Some(r) = node.attribute("ref") {
            let pos = self.attr_pos(f, node, "ref");
            if node.attribute("name").is_some() || node.attribute("type").is_some() {
                self.sink.error(pos, "an element with `ref` has no `name` or `type` of its own");
            }
            let Some(Found::Global(g, global)) = self.ctx.lookup(f, node, Space::Element, r, pos, self.sink) else {
                return None;
            };
            let written = global.attribute("name")?;
            let ty = self.global_element_type(g, global)?;
            let doc = match doc {
                Some(d) => Some(d),
                None => self.doc(g, global),
            };
            let nillable = self.flag(g, global, "nillable");
            self.ignored_values(g, global, "element", written);
            (Spanned { value: written.to_owned(), pos }, (ty, pos), doc, nillable)
        } else {
            let Some(written) = node.attribute("name") else {
                let pos = self.pos(f, node);
                self.sink.error(pos, "`xs:element` needs a `name` or a `ref`");
                return None;
            };
            let name = Spanned { value: written.to_owned(), pos: self.attr_pos(f, node, "name") };
            let ty = self.element_type(f, node, owner, &name, doc.clone())?;
            (name, ty, doc, self.flag(f, node, "nillable"))
        };
        self.ignored_values(f, node, "element", &name.value);
        if nillable {
            // The runtime reads `xsi:nil="true"` as absent.
            occ.min = 0;
        }
        let mut occurs = occ.occurs()?;
        if ty.0 == TypeUse::Marker && occurs == Occurs::Required {
            occurs = Occurs::Optional;
        }
        let occurs_pos = if occurs == Occurs::Repeated {
            self.attr_pos(f, node, "maxOccurs")
        } else {
            self.attr_pos(f, node, "minOccurs")
        };
        Some((field(name, ty, Spanned { value: occurs, pos: occurs_pos }, doc), occ))
    }

    /// The type of a local element: `type=`, an inline type, or an error.
    fn element_type(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        owner: &Owner,
        name: &Spanned<String>,
        doc: Option<String>,
    ) -> Option<(TypeUse, Pos)> {
        let complex = children(node).find(|c| is_xs(*c, "complexType"));
        let simple = children(node).find(|c| is_xs(*c, "simpleType"));
        match (node.attribute("type"), complex, simple) {
            (Some(t), None, None) => {
                let pos = self.attr_pos(f, node, "type");
                Some((self.type_use(f, node, t, pos)?, pos))
            }
            (None, Some(c), None) => Some((self.anonymous_complex(f, c, owner, name, doc)?, self.pos(f, c))),
            (None, None, Some(s)) => {
                let pos = self.pos(f, s);
                Some((TypeUse::Simple(self.anonymous_simple(f, s, owner, name, "element")?), pos))
            }
            (None, None, None) => {
                self.sink.error(
                    name.pos,
                    format!(
                        "element `{}` has no type (it would hold anything, xs:anyType), which is not supported",
                        name.value
                    ),
                );
                None
            }
            _ => {
                let pos = self.pos(f, node);
                self.sink.error(pos, format!("element `{}` has both a `type` and an inline type", name.value));
                None
            }
        }
    }

    /// A `type=` or `base=` reference.
    fn type_use(&mut self, f: usize, node: Node<'d, 't>, value: &'d str, pos: Pos) -> Option<TypeUse> {
        match self.ctx.lookup(f, node, Space::Type, value, pos, self.sink)? {
            Found::Builtin(local) => match builtins::builtin(local) {
                Some(Builtin::Exact(ty)) => Some(TypeUse::Simple(ty.to_owned())),
                Some(Builtin::Lossy(ty, message)) => {
                    self.sink.warning(pos, message);
                    Some(TypeUse::Simple(ty.to_owned()))
                }
                Some(Builtin::Unsupported(message)) => {
                    self.sink.error(pos, message);
                    None
                }
                None => {
                    self.sink.error(pos, format!("unknown XML Schema built-in type `{value}`"));
                    None
                }
            },
            Found::Global(g, t) if is_xs(t, "complexType") => {
                if self.is_empty_complex(g, t) {
                    return Some(TypeUse::Marker);
                }
                self.type_names.get(&key(g, t)).map(|n| TypeUse::Complex(n.value.clone()))
            }
            Found::Global(g, t) => {
                let own = Place { file: g, anchor: t.range().start, seq: 0 };
                self.simple_type(g, t, own).map(TypeUse::Simple)
            }
        }
    }

    /// An anonymous complex type of a local element, translated once.
    fn anonymous_complex(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        owner: &Owner,
        member: &Spanned<String>,
        doc: Option<String>,
    ) -> Option<TypeUse> {
        let k = key(f, node);
        if let Some(done) = self.anon.get(&k) {
            return done.clone();
        }
        let found = if self.is_empty_complex(f, node) {
            Some(TypeUse::Marker)
        } else {
            let name = self.anonymous_name(member, owner, "element");
            let place = Place { file: owner.file, anchor: owner.anchor, seq: self.next_seq() };
            let inner = Owner { file: owner.file, anchor: owner.anchor, name: name.clone() };
            let spanned = Spanned { value: name.clone(), pos: member.pos };
            let decl = self.complex_type(f, node, spanned, None, &inner, doc);
            self.placed.push(Placed { place, item: Item::Complex(decl) });
            Some(TypeUse::Complex(name))
        };
        self.anon.insert(k, found.clone());
        found
    }

    /// An anonymous simple type of a local element or attribute.
    fn anonymous_simple(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        owner: &Owner,
        member: &Spanned<String>,
        kind: &str,
    ) -> Option<String> {
        let k = key(f, node);
        if !self.simple.contains_key(&k) && !self.type_names.contains_key(&k) && Self::is_enumerated(node) {
            let name = self.anonymous_name(member, owner, kind);
            self.type_names.insert(k, Spanned { value: name, pos: member.pos });
        }
        let place = Place { file: owner.file, anchor: owner.anchor, seq: self.next_seq() };
        self.simple_type(f, node, place)
    }

    /// A simple type, once: an enum declaration (placed at `place`) or the built-in it restricts.
    fn simple_type(&mut self, f: usize, node: Node<'d, 't>, place: Place) -> Option<String> {
        let k = key(f, node);
        if let Some(done) = self.simple.get(&k) {
            return done.clone();
        }
        if !self.enter(f, node) {
            self.simple.insert(k, None);
            return None;
        }
        let found = self.translate_simple_type(k, f, node, place);
        self.leave();
        found
    }

    fn translate_simple_type(&mut self, k: Key, f: usize, node: Node<'d, 't>, place: Place) -> Option<String> {
        // A cycle of restrictions ends here, in an error of the restriction that closes it.
        self.simple.insert(k, None);
        self.check_attrs(f, node, &["name", "final", "id"]);
        let doc = self.doc(f, node);
        let mut result = None;
        let mut derivation = false;
        for c in children(node) {
            if is_xs(c, "annotation") {
                continue;
            }
            if derivation {
                self.unexpected(f, c, "simpleType");
                continue;
            }
            derivation = true;
            if is_xs(c, "restriction") {
                result = self.simple_restriction(f, node, c, doc.clone(), place);
            } else if is_xs(c, "list") {
                result = self.simple_list(f, c, place);
            } else if is_xs(c, "union") {
                match Self::open_enum_union(node) {
                    Some(enumerated) => result = self.simple_restriction(f, node, enumerated, doc.clone(), place),
                    None => {
                        let pos = self.pos(f, c);
                        self.sink.error(pos, "xs:union is not supported");
                    }
                }
            } else {
                derivation = false;
                self.unexpected(f, c, "simpleType");
            }
        }
        if !derivation {
            let pos = self.pos(f, node);
            self.sink.error(pos, "`xs:simpleType` needs an `xs:restriction`, `xs:list` or `xs:union`");
        }
        self.simple.insert(k, result.clone());
        result
    }

    /// `xs:list`: several values of the item type in one text, the schema language's `list(item)`.
    fn simple_list(&mut self, f: usize, node: Node<'d, 't>, place: Place) -> Option<String> {
        self.check_attrs(f, node, &["itemType", "id"]);
        let inline = children(node).find(|c| is_xs(*c, "simpleType"));
        let item = match (node.attribute("itemType"), inline) {
            (Some(item), None) => {
                let pos = self.attr_pos(f, node, "itemType");
                match self.type_use(f, node, item, pos)? {
                    TypeUse::Simple(ty) => ty,
                    _ => {
                        self.sink
                            .error(pos, format!("the items of an xs:list must be a simple type, and `{item}` is not"));
                        return None;
                    }
                }
            }
            (None, Some(inner)) => self.simple_type(f, inner, place)?,
            _ => {
                let pos = self.pos(f, node);
                self.sink.error(pos, "`xs:list` needs an `itemType` or an inline `xs:simpleType`, not both");
                return None;
            }
        };
        if crate::ir::list_item(&item).is_some() {
            let pos = self.pos(f, node);
            self.sink.error(pos, "an xs:list of lists is not a list XML Schema allows");
            return None;
        }
        Some(format!("list({item})"))
    }

    fn simple_restriction(
        &mut self,
        f: usize,
        simple: Node<'d, 't>,
        node: Node<'d, 't>,
        doc: Option<String>,
        place: Place,
    ) -> Option<String> {
        self.check_attrs(f, node, &["base", "id"]);
        let enumerations: Vec<Node<'d, 't>> = children(node).filter(|c| is_xs(*c, "enumeration")).collect();
        let inline = children(node).find(|c| is_xs(*c, "simpleType"));
        if !enumerations.is_empty() {
            // An open enum keeps any text, whatever the base; the base must still exist.
            if let Some(base) = node.attribute("base") {
                let pos = self.attr_pos(f, node, "base");
                self.ctx.lookup(f, node, Space::Type, base, pos, self.sink);
            }
            let Some(name) = self.type_names.get(&key(f, simple)).cloned() else {
                let pos = self.pos(f, simple);
                self.sink.error(pos, "this enumerated simpleType cannot be named here; declare it as a named type");
                return None;
            };
            let mut values = Vec::new();
            for e in enumerations {
                self.check_attrs(f, e, &["value", "id", "fixed"]);
                match e.attribute("value") {
                    Some(v) => values.push(EnumValueDecl {
                        name: Spanned { value: v.to_owned(), pos: self.attr_pos(f, e, "value") },
                        rust: None,
                        doc: self.doc(f, e),
                    }),
                    None => {
                        let pos = self.pos(f, e);
                        self.sink.error(pos, "`xs:enumeration` needs a `value`");
                    }
                }
            }
            let item = Item::Enum(EnumDecl { name: name.clone(), rust: None, doc, values });
            self.placed.push(Placed { place, item });
            return Some(name.value);
        }
        // Facets other than enumerations (patterns, lengths, ranges) are not checked: the type is its base.
        match (node.attribute("base"), inline) {
            (Some(base), None) => {
                let pos = self.attr_pos(f, node, "base");
                match self.type_use(f, node, base, pos)? {
                    TypeUse::Simple(ty) => Some(ty),
                    _ => {
                        self.sink.error(
                            pos,
                            format!("a simpleType can only restrict a simple type, and `{base}` is complex"),
                        );
                        None
                    }
                }
            }
            (None, Some(inner)) => {
                if let Some(name) = self.type_names.get(&key(f, simple)).cloned() {
                    self.type_names.entry(key(f, inner)).or_insert(name);
                }
                self.simple_type(f, inner, place)
            }
            (None, None) => {
                let pos = self.pos(f, node);
                self.sink.error(pos, "`xs:restriction` needs a `base` or an inline `xs:simpleType`");
                None
            }
            (Some(_), Some(_)) => {
                let pos = self.pos(f, node);
                self.sink.error(pos, "`xs:restriction` has both a `base` and an inline `xs:simpleType`");
                None
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Attributes
    // ----------------------------------------------------------------------------------------------

    fn attribute_like(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        owner: &Owner,
        members: &mut Vec<Member>,
        prohibited: &mut Vec<Spanned<String>>,
    ) {
        if self.enter(f, node) {
            self.attribute_like_at(f, node, owner, members, prohibited);
            self.leave();
        }
    }

    fn attribute_like_at(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        owner: &Owner,
        members: &mut Vec<Member>,
        prohibited: &mut Vec<Spanned<String>>,
    ) {
        match node.tag_name().name() {
            "attribute" => self.attribute(f, node, owner, members, prohibited),
            "anyAttribute" => {
                let pos = self.pos(f, node);
                self.sink.warning(pos, "xs:anyAttribute is ignored: the attributes it allows are skipped when reading");
            }
            _ => {
                self.check_attrs(f, node, &["ref", "id"]);
                let Some(r) = node.attribute("ref") else {
                    let pos = self.pos(f, node);
                    self.sink.error(pos, "`xs:attributeGroup` here needs a `ref`");
                    return;
                };
                let pos = self.attr_pos(f, node, "ref");
                let Some(Found::Global(g, group)) = self.ctx.lookup(f, node, Space::AttributeGroup, r, pos, self.sink)
                else {
                    return;
                };
                let k = key(g, group);
                if self.stack.contains(&k) {
                    self.sink.error(pos, format!("attribute group `{r}` contains itself"));
                    return;
                }
                self.stack.push(k);
                for c in children(group) {
                    if is_xs(c, "attribute") || is_xs(c, "attributeGroup") || is_xs(c, "anyAttribute") {
                        self.attribute_like(g, c, owner, members, prohibited);
                    } else if !is_xs(c, "annotation") {
                        self.unexpected(g, c, "attributeGroup");
                    }
                }
                self.stack.pop();
            }
        }
    }

    fn attribute(
        &mut self,
        f: usize,
        node: Node<'d, 't>,
        owner: &Owner,
        members: &mut Vec<Member>,
        prohibited: &mut Vec<Spanned<String>>,
    ) {
        self.check_attrs(
            f,
            node,
            &["name", "ref", "type", "use", "default", "fixed", "form", "id", "targetNamespace", "inheritable"],
        );
        let use_ = node.attribute("use").map_or("optional", str::trim);
        if !matches!(use_, "optional" | "required" | "prohibited") {
            let pos = self.attr_pos(f, node, "use");
            self.sink.error(pos, format!("`use` must be `optional`, `required` or `prohibited`, not `{use_}`"));
        }
        let doc = self.doc(f, node);
        let (name, ty, doc) = if let Some(r) = node.attribute("ref") {
            let pos = self.attr_pos(f, node, "ref");
            let Some(Found::Global(g, global)) = self.ctx.lookup(f, node, Space::Attribute, r, pos, self.sink) else {
                return;
            };
            let Some(written) = global.attribute("name") else { return };
            let Some(ty) = self.global_attribute_type(g, global) else { return };
            self.ignored_values(g, global, "attribute", written);
            let doc = match doc {
                Some(d) => Some(d),
                None => self.doc(g, global),
            };
            (Spanned { value: written.to_owned(), pos }, (ty, pos), doc)
        } else {
            let Some(written) = node.attribute("name") else {
                let pos = self.pos(f, node);
                self.sink.error(pos, "`xs:attribute` needs a `name` or a `ref`");
                return;
            };
            let name = Spanned { value: written.to_owned(), pos: self.attr_pos(f, node, "name") };
            if use_ == "prohibited" {
                prohibited.push(name);
                return;
            }
            let simple = children(node).find(|c| is_xs(*c, "simpleType"));
            let ty = match (node.attribute("type"), simple) {
                (Some(t), None) => {
                    let pos = self.attr_pos(f, node, "type");
                    match self.type_use(f, node, t, pos) {
                        Some(TypeUse::Simple(ty)) => (ty, pos),
                        Some(_) => {
                            let message =
                                format!("attribute `{written}` must have a simple type, and `{t}` is a complexType");
                            self.sink.error(pos, message);
                            return;
                        }
                        None => return,
                    }
                }
                (None, Some(s)) => {
                    let pos = self.pos(f, s);
                    let Some(ty) = self.anonymous_simple(f, s, owner, &name, "attribute") else { return };
                    (ty, pos)
                }
                // No type: any text.
                (None, None) => ("string".to_owned(), name.pos),
                (Some(_), Some(_)) => {
                    let pos = self.pos(f, node);
                    self.sink.error(pos, format!("attribute `{written}` has both a `type` and an inline type"));
                    return;
                }
            };
            (name, ty, doc)
        };
        if use_ == "prohibited" {
            prohibited.push(name);
            return;
        }
        self.ignored_values(f, node, "attribute", &name.value);
        let occurs = if use_ == "required" { Occurs::Required } else { Occurs::Optional };
        let occurs = Spanned { value: occurs, pos: self.attr_pos(f, node, "use") };
        let (ty, ty_pos) = ty;
        members.push(Member::Attribute(field(name, (TypeUse::Simple(ty), ty_pos), occurs, doc)));
    }

    /// The simple type of a global attribute.
    fn global_attribute_type(&mut self, g: usize, node: Node<'d, 't>) -> Option<String> {
        let simple = children(node).find(|c| is_xs(*c, "simpleType"));
        match (node.attribute("type"), simple) {
            (Some(t), None) => {
                let pos = self.attr_pos(g, node, "type");
                match self.type_use(g, node, t, pos)? {
                    TypeUse::Simple(ty) => Some(ty),
                    _ => {
                        let message = format!("an attribute must have a simple type, and `{t}` is a complexType");
                        self.sink.error(pos, message);
                        None
                    }
                }
            }
            (None, Some(s)) => self.simple_type(g, s, Place { file: g, anchor: node.range().start, seq: 0 }),
            (None, None) => Some("string".to_owned()),
            (Some(_), Some(_)) => {
                let pos = self.pos(g, node);
                self.sink.error(pos, "an attribute has both a `type` and an inline type");
                None
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Global elements
    // ----------------------------------------------------------------------------------------------

    fn global_element(&mut self, f: usize, node: Node<'d, 't>) {
        self.check_attrs(
            f,
            node,
            &["name", "type", "substitutionGroup", "abstract", "nillable", "default", "fixed", "block", "final", "id"],
        );
        if node.attribute("substitutionGroup").is_some() {
            let pos = self.attr_pos(f, node, "substitutionGroup");
            self.sink.error(pos, "substitutionGroup is not supported");
        }
        if self.flag(f, node, "abstract") {
            let pos = self.attr_pos(f, node, "abstract");
            self.sink.error(pos, "abstract elements (heads of substitution groups) are not supported");
        }
        self.element_children(f, node);
        let Some(written) = node.attribute("name") else { return };
        self.ignored_values(f, node, "element", written);
        let doc = self.doc(f, node);
        if let Some(c) = children(node).find(|c| is_xs(*c, "complexType")) {
            let k = key(f, c);
            let Some(name) = self.type_names.get(&k).cloned() else { return };
            let owner = Owner { file: f, anchor: node.range().start, name: name.value.clone() };
            let root = self.roots.get(&k).cloned();
            let decl = self.complex_type(f, c, name, root, &owner, doc);
            let place = Place { file: f, anchor: node.range().start, seq: 0 };
            self.placed.push(Placed { place, item: Item::Complex(decl) });
            if node.attribute("type").is_some() || children(node).any(|c| is_xs(c, "simpleType")) {
                let pos = self.pos(f, node);
                self.sink.error(pos, format!("element `{written}` has more than one type"));
            }
        } else {
            // Reports what is wrong with the type, and declares an inline enum. A global element of a
            // simple type is no document (the IR's documents are structures and lists); `ref` uses it.
            self.global_element_type(f, node);
        }
    }

    /// The type of a global element, for `ref=` and its own checks.
    fn global_element_type(&mut self, g: usize, node: Node<'d, 't>) -> Option<TypeUse> {
        let complex = children(node).find(|c| is_xs(*c, "complexType"));
        let simple = children(node).find(|c| is_xs(*c, "simpleType"));
        match (node.attribute("type"), complex, simple) {
            (Some(t), None, None) => {
                let pos = self.attr_pos(g, node, "type");
                self.type_use(g, node, t, pos)
            }
            (None, Some(c), None) => {
                if self.is_empty_complex(g, c) {
                    Some(TypeUse::Marker)
                } else {
                    self.type_names.get(&key(g, c)).map(|n| TypeUse::Complex(n.value.clone()))
                }
            }
            (None, None, Some(s)) => {
                self.simple_type(g, s, Place { file: g, anchor: node.range().start, seq: 0 }).map(TypeUse::Simple)
            }
            (None, None, None) => {
                let pos = self.attr_pos(g, node, "name");
                let name = node.attribute("name").unwrap_or_default();
                self.sink.error(
                    pos,
                    format!(
                        "element `{name}` has no type (it would hold anything, xs:anyType), which is not supported"
                    ),
                );
                None
            }
            _ => {
                let pos = self.pos(g, node);
                let name = node.attribute("name").unwrap_or_default();
                self.sink.error(pos, format!("element `{name}` has both a `type` and an inline type"));
                None
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Pass 4: lists, shared roots, files
    // ----------------------------------------------------------------------------------------------

    fn finish(mut self) -> Vec<SchemaFile> {
        let ctx = self.ctx;
        let mut placed = std::mem::take(&mut self.placed);
        let mut named: Vec<(Key, Memo)> = self.complex.drain().collect();
        named.sort_by_key(|(k, _)| (k.0, self.node(*k).map_or(0, |n| n.range().start)));
        for (k, memo) in named {
            if let (Memo::Done(Some(decl)), Some(node)) = (memo, self.node(k)) {
                let place = Place { file: k.0, anchor: node.range().start, seq: 0 };
                placed.push(Placed { place, item: Item::Complex(*decl) });
            }
        }
        placed.retain(|p| {
            let name = match &p.item {
                Item::Enum(d) => &d.name,
                Item::Complex(d) => &d.name,
                Item::List(d) => &d.name,
                _ => return true,
            };
            !self.losers.contains(&(name.value.clone(), name.pos))
        });
        let used_aliases = self.make_lists(&mut placed);
        for (first, (_, at)) in &self.item_aliases {
            if !used_aliases.contains(first) {
                self.sink.error(
                    *at,
                    "a repeated xs:choice is not supported: a choice holds one element (make the elements repeat instead)",
                );
            }
        }
        self.add_shared_roots(&mut placed);
        placed.sort_by_key(|p| (p.place.file, p.place.anchor, p.place.seq));
        let mut out: Vec<SchemaFile> = Vec::new();
        for (f, file) in ctx.files.iter().enumerate() {
            let doc = self.doc(f, file.doc.root_element());
            out.push(SchemaFile { index: file.index, module: file.module.clone(), doc, items: Vec::new() });
        }
        for p in placed {
            out[p.place.file].items.push(p.item);
        }
        out
    }

    /// The list rule: a structure whose whole content is one repeated element of a simple type, an enum or
    /// a non-abstract structure, with no attributes (inherited ones included) and no base with members,
    /// becomes a list, unless it is a base itself or something uses it where a list cannot be (a repeated
    /// element, a choice alternative).
    ///
    /// A repeated choice of one type's elements (`item_aliases`) is such an element, its other names the
    /// item aliases; the first names of those that became lists are returned.
    fn make_lists(&self, placed: &mut [Placed]) -> BTreeSet<Pos> {
        struct Shape<'a> {
            is_abstract: bool,
            empty: bool,
            extends: Option<&'a str>,
        }
        let mut shapes: HashMap<&str, Shape<'_>> = HashMap::new();
        let mut not_lists: BTreeSet<&str> = BTreeSet::new();
        let enums: BTreeSet<&str> = placed
            .iter()
            .filter_map(|p| if let Item::Enum(e) = &p.item { Some(e.name.value.as_str()) } else { None })
            .collect();
        for p in placed.iter() {
            let Item::Complex(d) = &p.item else { continue };
            shapes.insert(
                &d.name.value,
                Shape {
                    is_abstract: d.is_abstract,
                    empty: d.members.is_empty(),
                    extends: d.extends.as_ref().map(|e| e.value.as_str()),
                },
            );
            for m in &d.members {
                match m {
                    Member::Element(e) if e.occurs.value == Occurs::Repeated => {
                        not_lists.insert(&e.ty.value);
                    }
                    Member::Choice(c) => not_lists.extend(c.alternatives.iter().map(|a| a.ty.value.as_str())),
                    _ => {}
                }
            }
        }
        for k in &self.used_as_base {
            if let Some(n) = self.type_names.get(k) {
                not_lists.insert(&n.value);
            }
        }
        let mut lists = Vec::new();
        for (i, p) in placed.iter().enumerate() {
            let Item::Complex(d) = &p.item else { continue };
            let [Member::Element(e)] = d.members.as_slice() else { continue };
            if d.is_abstract || e.occurs.value != Occurs::Repeated || not_lists.contains(d.name.value.as_str()) {
                continue;
            }
            let ty = e.ty.value.as_str();
            let simple = ValueType::builtin(ty).is_some() || enums.contains(ty);
            if !simple && shapes.get(ty).is_none_or(|s| s.is_abstract) {
                continue;
            }
            let mut base = d.extends.as_ref().map(|b| b.value.as_str());
            let mut seen = BTreeSet::new();
            let mut bases_empty = true;
            while let Some(b) = base {
                match shapes.get(b) {
                    Some(s) if s.empty && seen.insert(b) => base = s.extends,
                    _ => {
                        bases_empty = false;
                        break;
                    }
                }
            }
            if bases_empty {
                lists.push(i);
            }
        }
        let mut used_aliases = BTreeSet::new();
        for i in lists {
            let Item::Complex(d) = &placed[i].item else { continue };
            let Some(Member::Element(e)) = d.members.first() else { continue };
            let item_aliases = match self.item_aliases.get(&e.name.pos) {
                Some((aliases, _)) => {
                    used_aliases.insert(e.name.pos);
                    aliases.clone()
                }
                None => Vec::new(),
            };
            placed[i].item = Item::List(ListDecl {
                name: d.name.clone(),
                rust: None,
                item: e.name.clone(),
                ty: e.ty.clone(),
                root: d.root.clone(),
                json_key: None,
                item_aliases,
                doc: d.doc.clone(),
            });
        }
        used_aliases
    }

    /// A global element that shares its type with other global elements is a document of its own type:
    /// an empty extension of the shared structure, or a copy of the shared list.
    fn add_shared_roots(&mut self, placed: &mut Vec<Placed>) {
        let shared = std::mem::take(&mut self.shared_roots);
        for (f, element, k) in shared {
            let Some(t) = self.type_names.get(&k).cloned() else { continue };
            let Some(written) = element.attribute("name") else { continue };
            let name = Spanned { value: written.to_owned(), pos: self.attr_pos(f, element, "name") };
            let doc = self.doc(f, element);
            let found = placed.iter().find_map(|p| match &p.item {
                Item::Complex(d) if d.name.value == t.value => Some(None),
                Item::List(l) if l.name.value == t.value => Some(Some(l.clone())),
                _ => None,
            });
            let item = match found {
                Some(Some(list)) => {
                    Item::List(ListDecl { name: name.clone(), root: Some(name), doc: doc.or(list.doc.clone()), ..list })
                }
                Some(None) => Item::Complex(ComplexDecl {
                    rust: None,
                    extends: Some(Spanned { value: t.value, pos: self.attr_pos(f, element, "type") }),
                    is_abstract: false,
                    root: Some(name.clone()),
                    doc,
                    members: Vec::new(),
                    links: Vec::new(),
                    name,
                }),
                None => continue,
            };
            placed.push(Placed { place: Place { file: f, anchor: element.range().start, seq: 0 }, item });
        }
    }
}

/// A field of the syntax tree; the schema language's own attributes (`json`, `rust`, `role`...) have no
/// XSD counterpart and stay unset.
fn field(name: Spanned<String>, ty: (TypeUse, Pos), occurs: Spanned<Occurs>, doc: Option<String>) -> FieldDecl {
    FieldDecl {
        name,
        ty: Spanned { value: ty.0.name().to_owned(), pos: ty.1 },
        occurs,
        json: None,
        rust: None,
        role: None,
        json_key: None,
        json_aliases: Vec::new(),
        xml_aliases: Vec::new(),
        doc,
    }
}
