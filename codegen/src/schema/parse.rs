//! roxmltree -> syntax tree. Checks only the shape of each file (known elements and attributes, values of
//! closed keywords); everything that needs more than one declaration is `validate`'s job.

use std::ops::Range;

use roxmltree::{Document, Node};

use super::*;
use crate::diagnostics::{LineIndex, Pos, Sink};

/// Parses one file. Problems go to `sink`; what could be read is returned either way, so one run reports
/// as much as possible.
pub fn parse_file(index: usize, module: &str, text: &str, sink: &mut Sink<'_>) -> Option<SchemaFile> {
    // Editors do not count a byte order mark as a column; neither do positions here.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let p = e.pos();
            sink.error(Pos { file: index, line: p.row, col: p.col }, format!("not well-formed XML: {e}"));
            return None;
        }
    };
    let mut p = Parser { index, doc: &doc, lines: LineIndex::new(text), sink };
    let root = doc.root_element();
    if root.tag_name().name() != "schema" || root.tag_name().namespace().is_some() {
        let pos = p.pos(root);
        p.sink.error(pos, format!("the root element must be `<schema>`, found `<{}>`", root.tag_name().name()));
        return None;
    }
    p.check_attrs(root, &[]);
    let mut file = SchemaFile { index, module: module.to_owned(), doc: p.doc(root), items: Vec::new() };
    for node in p.elements(root) {
        let item = match node.tag_name().name() {
            "doc" => continue,
            "enum" => p.enum_decl(node).map(Item::Enum),
            "complex" => p.complex(node).map(Item::Complex),
            "list" => p.list(node).map(Item::List),
            "resource" => p.resource(node).map(Item::Resource),
            "extend" => p.amendment(node, AmendKind::Extend).map(Item::Amend),
            "correct" => p.amendment(node, AmendKind::Correct).map(Item::Amend),
            other => {
                p.unexpected(node, other, "enum, complex, list, resource, extend, correct or doc");
                None
            }
        };
        file.items.extend(item);
    }
    Some(file)
}

struct Parser<'a, 'd, 's> {
    index: usize,
    doc: &'a Document<'d>,
    /// Positions of `doc`'s text, so that each costs the same wherever it is in the file.
    lines: LineIndex,
    sink: &'a mut Sink<'s>,
}

impl<'a, 'd, 's> Parser<'a, 'd, 's> {
    fn at(&self, offset: usize) -> Pos {
        self.lines.pos(self.index, self.doc.input_text(), offset)
    }

    fn pos(&self, node: Node<'_, '_>) -> Pos {
        self.at(node.range().start)
    }

    /// Child elements, with stray text reported.
    fn elements<'n>(&mut self, node: Node<'n, 'd>) -> Vec<Node<'n, 'd>> {
        let mut out = Vec::new();
        for child in node.children() {
            if child.is_element() {
                if child.tag_name().namespace().is_some() {
                    let pos = self.pos(child);
                    self.sink.error(
                        pos,
                        format!("element `{}` is in a namespace; schema elements have none", child.tag_name().name()),
                    );
                } else {
                    out.push(child);
                }
            } else if child.is_text()
                && !child.text().unwrap_or("").trim().is_empty()
                && node.tag_name().name() != "doc"
            {
                // Point at the text itself, not at the whitespace before it.
                let range = child.range();
                let raw = self.doc.input_text().get(range.clone()).unwrap_or("");
                let lead = raw.len() - raw.trim_start().len();
                let pos = self.at(range.start + lead);
                self.sink.error(pos, format!("unexpected text inside `<{}>`", node.tag_name().name()));
            }
        }
        out
    }

    fn unexpected(&mut self, node: Node<'_, '_>, name: &str, expected: &str) {
        let pos = self.pos(node);
        let parent = node.parent_element().map_or("", |p| p.tag_name().name());
        self.sink
            .error(pos, format!("unexpected element `<{name}>` in `<{parent}>`"))
            .note(format!("expected one of: {expected}"));
    }

    fn check_attrs(&mut self, node: Node<'_, '_>, allowed: &[&str]) {
        for attr in node.attributes() {
            if attr.namespace().is_some() {
                continue;
            }
            if attr.name() != "doc" && attr.value().chars().any(is_invisible) {
                // Names become identifiers, but paths, wire values and media types reach doc comments.
                let what = format!("the value of `{}`", attr.name());
                self.report_invisible(&what, attr.value(), attr.range_value());
            }
            if !allowed.contains(&attr.name()) && attr.name() != "doc" {
                let pos = self.at(attr.range().start);
                let d = self
                    .sink
                    .error(pos, format!("unknown attribute `{}` on `<{}>`", attr.name(), node.tag_name().name()));
                if let Some(best) = crate::names::closest(attr.name(), allowed.iter().copied()) {
                    d.note(format!("did you mean `{best}`?"));
                } else if !allowed.is_empty() {
                    d.note(format!("allowed: {}", allowed.join(", ")));
                }
            }
        }
    }

    fn attr(&self, node: Node<'_, '_>, name: &str) -> Option<Spanned<String>> {
        let attr = node.attributes().find(|a| a.name() == name && a.namespace().is_none())?;
        Some(Spanned { value: attr.value().to_owned(), pos: self.at(attr.range_value().start) })
    }

    fn required(&mut self, node: Node<'_, '_>, name: &str) -> Option<Spanned<String>> {
        let found = self.attr(node, name);
        if found.is_none() {
            let pos = self.pos(node);
            self.sink.error(pos, format!("`<{}>` needs a `{name}` attribute", node.tag_name().name()));
        }
        found
    }

    fn flag(&mut self, node: Node<'_, '_>, name: &str) -> bool {
        match self.attr(node, name) {
            None => false,
            Some(v) if v.value == "true" => true,
            Some(v) if v.value == "false" => false,
            Some(v) => {
                self.sink.error(v.pos, format!("`{name}` must be `true` or `false`, not `{}`", v.value));
                false
            }
        }
    }

    fn words(&self, node: Node<'_, '_>, name: &str) -> Vec<Spanned<String>> {
        let Some(attr) = node.attributes().find(|a| a.name() == name && a.namespace().is_none()) else {
            return Vec::new();
        };
        let range = attr.range_value();
        let raw = self.doc.input_text().get(range.clone()).unwrap_or("");
        let raw_words: Vec<&str> = raw.split_ascii_whitespace().collect();
        let words: Vec<&str> = attr.value().split_ascii_whitespace().collect();
        // Positions come from the source text, so a reference before a word does not shift it; values
        // come from the decoded attribute. Should a reference decode to whitespace, the counts differ and
        // every word points at the start of the value.
        words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let offset = match raw_words.get(i) {
                    Some(w) if raw_words.len() == words.len() => w.as_ptr() as usize - raw.as_ptr() as usize,
                    _ => 0,
                };
                Spanned { value: (*word).to_owned(), pos: self.at(range.start + offset) }
            })
            .collect()
    }

    fn occurs(&mut self, node: Node<'_, '_>) -> Spanned<Occurs> {
        let Some(v) = self.attr(node, "occurs") else {
            return Spanned { value: Occurs::Optional, pos: self.pos(node) };
        };
        let value = match v.value.as_str() {
            "required" => Occurs::Required,
            "optional" => Occurs::Optional,
            "repeated" => Occurs::Repeated,
            other => {
                self.sink.error(v.pos, format!("`occurs` must be `required`, `optional` or `repeated`, not `{other}`"));
                Occurs::Optional
            }
        };
        Spanned { value, pos: v.pos }
    }

    /// The description: a `doc` attribute or a `<doc>` child, not both.
    fn doc(&mut self, node: Node<'_, '_>) -> Option<String> {
        let attr = self.attr(node, "doc");
        if let Some(a) = node.attributes().find(|a| a.name() == "doc" && a.namespace().is_none()) {
            self.check_doc_text(a.value(), a.range_value());
        }
        let child = self.doc_child(node);
        if let (Some(a), Some(_)) = (&attr, &child) {
            self.sink.error(a.pos, "a description is given both as `doc=` and as `<doc>`; keep one");
        }
        attr.map(|a| normalize_doc(&a.value)).or(child)
    }

    fn doc_child(&mut self, node: Node<'_, '_>) -> Option<String> {
        let docs: Vec<_> = node.children().filter(|c| c.is_element() && c.tag_name().name() == "doc").collect();
        if docs.len() > 1 {
            let pos = self.pos(docs[1]);
            self.sink.error(pos, "more than one `<doc>`");
        }
        let d = docs.first()?;
        let text: String = d.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
        self.check_doc_text(&text, d.range());
        Some(normalize_doc(&text)).filter(|t| !t.is_empty())
    }

    /// Reports the first invisible character of a description (`text`, written at `range` of the file):
    /// it would go into the generated doc comments unseen, and rustc rejects some of them there. The
    /// error points at the character itself when it is written as such, else at the start of `range`
    /// (a character reference, for one).
    fn check_doc_text(&mut self, text: &str, range: Range<usize>) {
        self.report_invisible("doc text", text, range);
    }

    /// Reports the first invisible character of `text` (`what`), if any.
    fn report_invisible(&mut self, what: &str, text: &str, range: Range<usize>) {
        let Some(c) = text.chars().find(|c| is_invisible(*c)) else { return };
        let raw = self.doc.input_text().get(range.clone()).unwrap_or("");
        let offset = range.start + raw.find(c).unwrap_or(0);
        let pos = self.at(offset);
        self.sink.error(pos, format!("{what} contains the invisible character U+{:04X}; remove it", u32::from(c)));
    }

    fn enum_decl(&mut self, node: Node<'_, 'd>) -> Option<EnumDecl> {
        self.check_attrs(node, &["name", "rust"]);
        let name = self.required(node, "name")?;
        let rust = self.attr(node, "rust");
        let doc = self.doc(node);
        let values = self.enum_values(node);
        if values.is_empty() {
            self.sink.error(name.pos, format!("enum `{}` has no values", name.value));
        }
        Some(EnumDecl { name, rust, doc, values })
    }

    fn enum_values(&mut self, node: Node<'_, 'd>) -> Vec<EnumValueDecl> {
        let mut values = Vec::new();
        for child in self.elements(node) {
            match child.tag_name().name() {
                "doc" => {}
                "value" => {
                    self.check_attrs(child, &["name", "rust", "doc"]);
                    if let Some(name) = self.required(child, "name") {
                        values.push(EnumValueDecl { name, rust: self.attr(child, "rust"), doc: self.doc(child) });
                    }
                }
                other => self.unexpected(child, other, "value, doc"),
            }
        }
        values
    }

    /// `<extend what="Name">` (additions) or `<correct what="Name">` (changes to what is there) of a
    /// declaration made in another file (or by an XSD).
    fn amendment(&mut self, node: Node<'_, 'd>, kind: AmendKind) -> Option<Amendment> {
        self.check_attrs(node, &["complex", "enum", "list", "resource", "rust"]);
        let targets: Vec<(TargetKind, Spanned<String>)> = [
            (TargetKind::Complex, "complex"),
            (TargetKind::Enum, "enum"),
            (TargetKind::List, "list"),
            (TargetKind::Resource, "resource"),
        ]
        .into_iter()
        .filter_map(|(k, attr)| self.attr(node, attr).map(|v| (k, v)))
        .collect();
        let verb = if kind == AmendKind::Extend { "extend" } else { "correct" };
        let (what, target) = match targets.as_slice() {
            [one] => one.clone(),
            _ => {
                let pos = self.pos(node);
                self.sink
                    .error(pos, format!("`<{verb}>` names exactly one of `complex`, `enum`, `list` or `resource`"));
                return None;
            }
        };
        let rust = self.attr(node, "rust");
        if let (Some(r), AmendKind::Extend) = (&rust, kind) {
            self.sink.error(r.pos, "`rust` renames in `<correct>`, not in `<extend>`");
        }
        let mut amendment = Amendment {
            kind,
            what,
            target,
            rust,
            doc: self.doc(node),
            members: Vec::new(),
            corrections: Vec::new(),
            values: Vec::new(),
            list: None,
            representations: Vec::new(),
            methods: Vec::new(),
            links: Vec::new(),
            type_links: Vec::new(),
        };
        match (what, kind) {
            (TargetKind::Complex, AmendKind::Extend) => {
                amendment.members = self.members(node);
                amendment.type_links = self.type_links(node);
            }
            (TargetKind::Complex, AmendKind::Correct) => {
                for child in self.elements(node) {
                    match child.tag_name().name() {
                        "doc" => {}
                        "attribute" | "element" | "text" => amendment.corrections.extend(self.correction(child)),
                        other => self.unexpected(child, other, "attribute, element, text, doc"),
                    }
                }
            }
            (TargetKind::Enum, _) => amendment.values = self.enum_values(node),
            (TargetKind::List, AmendKind::Correct) => {
                for child in self.elements(node) {
                    match child.tag_name().name() {
                        "doc" => {}
                        "list" => {
                            self.check_attrs(child, &["json-key", "item-alias"]);
                            amendment.list = Some(ListCorrection {
                                json_key: self.attr(child, "json-key"),
                                item_aliases: self.words(child, "item-alias"),
                            });
                        }
                        other => self.unexpected(child, other, "list, doc"),
                    }
                }
            }
            (TargetKind::List, AmendKind::Extend) => {
                let pos = self.pos(node);
                self.sink.error(
                    pos,
                    "a list has nothing to extend; use `<correct list=...>` for its JSON key or item aliases",
                );
            }
            (TargetKind::Resource, AmendKind::Extend) => {
                for child in self.elements(node) {
                    match child.tag_name().name() {
                        "doc" => {}
                        "representation" => amendment.representations.extend(self.representation(child)),
                        "method" => amendment.methods.extend(self.method(child)),
                        "link" => {
                            let representation = self.required(child, "representation");
                            if let (Some(representation), Some(link)) =
                                (representation, self.link(child, &["representation"]))
                            {
                                amendment.links.push((representation, link));
                            }
                        }
                        other => self.unexpected(child, other, "representation, method, link, doc"),
                    }
                }
            }
            (TargetKind::Resource, AmendKind::Correct) => {
                let pos = self.pos(node);
                self.sink
                    .error(pos, "resources are corrected where they are declared; `<extend resource=...>` adds to one");
            }
        }
        Some(amendment)
    }

    /// A member of `<correct complex>`: its name, and only what changes.
    fn correction(&mut self, node: Node<'_, 'd>) -> Option<MemberCorrection> {
        self.check_attrs(node, &["name", "type", "occurs", "json", "rust", "role", "json-key", "json-alias", "doc"]);
        let name = self.required(node, "name")?;
        Some(MemberCorrection {
            pos: self.pos(node),
            ty: self.attr(node, "type"),
            occurs: self.attr(node, "occurs").is_some().then(|| self.occurs(node)),
            json: self.attr(node, "json"),
            rust: self.attr(node, "rust"),
            role: self.attr(node, "role"),
            json_key: self.attr(node, "json-key"),
            json_aliases: self.words(node, "json-alias"),
            doc: self.doc(node),
            name,
        })
    }

    fn field(&mut self, node: Node<'_, 'd>, kind: &str) -> Option<FieldDecl> {
        let allowed: &[&str] = if kind == "alternative" {
            &["name", "type", "json", "rust"]
        } else if kind == "text" {
            &["name", "type", "json", "rust", "json-alias"]
        } else {
            &["name", "type", "occurs", "json", "rust", "role", "json-key", "json-alias", "xml-alias"]
        };
        self.check_attrs(node, allowed);
        let name = self.required(node, "name");
        let ty = self.required(node, "type");
        let occurs = if kind == "text" {
            // The text of an element is always there, if only empty.
            Spanned { value: Occurs::Required, pos: self.pos(node) }
        } else if kind == "alternative" {
            Spanned { value: Occurs::Optional, pos: self.pos(node) }
        } else {
            self.occurs(node)
        };
        let json = self.attr(node, "json");
        let rust = self.attr(node, "rust");
        let role = self.attr(node, "role");
        let json_key = if kind == "element" { self.attr(node, "json-key") } else { None };
        if kind == "attribute" {
            if let Some(k) = self.attr(node, "json-key") {
                self.sink.error(k.pos, "`json-key` applies to elements holding a list, not to attributes");
            }
        }
        let json_aliases = self.words(node, "json-alias");
        let xml_aliases = if kind == "element" { self.words(node, "xml-alias") } else { Vec::new() };
        if let (Some(a), true) = (self.attr(node, "xml-alias"), kind == "attribute") {
            self.sink.error(a.pos, "`xml-alias` applies to elements, not to attributes");
        }
        let doc = self.doc(node);
        Some(FieldDecl { name: name?, ty: ty?, occurs, json, rust, role, json_key, json_aliases, xml_aliases, doc })
    }

    fn complex(&mut self, node: Node<'_, 'd>) -> Option<ComplexDecl> {
        self.check_attrs(node, &["name", "extends", "abstract", "root", "rust"]);
        let name = self.required(node, "name")?;
        let mut decl = ComplexDecl {
            rust: self.attr(node, "rust"),
            extends: self.attr(node, "extends"),
            is_abstract: self.flag(node, "abstract"),
            root: self.attr(node, "root"),
            doc: self.doc(node),
            members: Vec::new(),
            links: Vec::new(),
            name,
        };
        decl.members = self.members(node);
        decl.links = self.type_links(node);
        Some(decl)
    }

    /// The `<link>` children of a `<complex>` (or `<extend complex>`).
    fn type_links(&mut self, node: Node<'_, 'd>) -> Vec<LinkDecl> {
        let children = self.elements(node).into_iter().filter(|c| c.tag_name().name() == "link");
        children.filter_map(|child| self.link(child, &[])).collect()
    }

    /// A `<link rel [link-type] [method] [doc]>` (with `also` allowed beside): it needs a `link-type`, a
    /// `method` or both.
    fn link(&mut self, node: Node<'_, 'd>, also: &[&str]) -> Option<LinkDecl> {
        let allowed: Vec<&str> = ["rel", "link-type", "method"].into_iter().chain(also.iter().copied()).collect();
        self.check_attrs(node, &allowed);
        let rel = self.required(node, "rel")?;
        let link = LinkDecl {
            pos: self.pos(node),
            link_type: self.attr(node, "link-type"),
            method: self.attr(node, "method"),
            doc: self.doc(node),
            rel,
        };
        if link.link_type.is_none() && link.method.is_none() {
            self.sink.error(link.pos, format!("link `{}` needs `link-type`, `method` or both", link.rel.value));
        }
        Some(link)
    }

    /// The members of a `<complex>` (or `<extend complex>`), in wire order.
    fn members(&mut self, node: Node<'_, 'd>) -> Vec<Member> {
        let mut members = Vec::new();
        for child in self.elements(node) {
            match child.tag_name().name() {
                // Links are read by `type_links`.
                "doc" | "link" => {}
                "attribute" => members.extend(self.field(child, "attribute").map(Member::Attribute)),
                "element" => members.extend(self.field(child, "element").map(Member::Element)),
                "text" => members.extend(self.field(child, "text").map(Member::Text)),
                "choice" => {
                    self.check_attrs(child, &["name", "occurs", "rust"]);
                    let Some(name) = self.required(child, "name") else { continue };
                    let mut choice = ChoiceDecl {
                        occurs: self.occurs(child),
                        rust: self.attr(child, "rust"),
                        doc: self.doc(child),
                        alternatives: Vec::new(),
                        name,
                    };
                    for alt in self.elements(child) {
                        match alt.tag_name().name() {
                            "doc" => {}
                            "element" => choice.alternatives.extend(self.field(alt, "alternative")),
                            other => self.unexpected(alt, other, "element, doc"),
                        }
                    }
                    // At least two alternatives, once any `<extend>` has added its own (checked in validate).
                    members.push(Member::Choice(choice));
                }
                other => self.unexpected(child, other, "attribute, element, choice, text, link, doc"),
            }
        }
        members
    }

    fn list(&mut self, node: Node<'_, 'd>) -> Option<ListDecl> {
        self.check_attrs(node, &["name", "item", "type", "root", "json-key", "item-alias", "rust"]);
        let name = self.required(node, "name");
        let item = self.required(node, "item");
        let ty = self.required(node, "type");
        for child in self.elements(node) {
            if child.tag_name().name() != "doc" {
                self.unexpected(child, child.tag_name().name(), "doc");
            }
        }
        Some(ListDecl {
            rust: self.attr(node, "rust"),
            root: self.attr(node, "root"),
            json_key: self.attr(node, "json-key"),
            item_aliases: self.words(node, "item-alias"),
            doc: self.doc(node),
            name: name?,
            item: item?,
            ty: ty?,
        })
    }

    fn resource(&mut self, node: Node<'_, 'd>) -> Option<ResourceDecl> {
        self.check_attrs(node, &["name", "path"]);
        let name = self.required(node, "name");
        let path = self.required(node, "path");
        let mut decl = ResourceDecl {
            doc: self.doc(node),
            params: Vec::new(),
            representations: Vec::new(),
            methods: Vec::new(),
            name: name?,
            path: path?,
        };
        for child in self.elements(node) {
            match child.tag_name().name() {
                "doc" => {}
                "param" => {
                    self.check_attrs(child, &["name", "type", "rust"]);
                    let (name, ty) = (self.required(child, "name"), self.required(child, "type"));
                    if let (Some(name), Some(ty)) = (name, ty) {
                        decl.params.push(ParamDecl { name, ty, rust: self.attr(child, "rust"), doc: self.doc(child) });
                    }
                }
                "representation" => decl.representations.extend(self.representation(child)),
                "method" => decl.methods.extend(self.method(child)),
                other => self.unexpected(child, other, "param, representation, method, doc"),
            }
        }
        Some(decl)
    }

    fn representation(&mut self, node: Node<'_, 'd>) -> Option<RepresentationDecl> {
        self.check_attrs(node, &["name", "type", "query", "link-types", "auth"]);
        let name = self.required(node, "name");
        let ty = self.required(node, "type");
        let mut links = Vec::new();
        for child in self.elements(node) {
            match child.tag_name().name() {
                "doc" => {}
                "link" => links.extend(self.link(child, &[])),
                other => self.unexpected(child, other, "link, doc"),
            }
        }
        Some(RepresentationDecl {
            query: self.attr(node, "query"),
            link_types: self.words(node, "link-types"),
            auth: self.attr(node, "auth"),
            doc: self.doc(node),
            links,
            name: name?,
            ty: ty?,
        })
    }

    fn method(&mut self, node: Node<'_, 'd>) -> Option<MethodDecl> {
        self.check_attrs(node, &["name", "verb", "status", "response", "returns-task", "auth"]);
        let name = self.required(node, "name");
        let verb = self.required(node, "verb");
        let status = self.required(node, "status");
        let mut decl = MethodDecl {
            response: self.attr(node, "response"),
            returns_task: self.flag(node, "returns-task"),
            auth: self.attr(node, "auth"),
            doc: self.doc(node),
            queries: Vec::new(),
            request: None,
            response_headers: Vec::new(),
            name: name?,
            verb: verb?,
            status: status?,
        };
        for child in self.elements(node) {
            match child.tag_name().name() {
                "doc" => {}
                "query" => {
                    self.check_attrs(child, &["name", "value", "type", "required", "rust"]);
                    let Some(name) = self.required(child, "name") else { continue };
                    let query = QueryDecl {
                        value: self.attr(child, "value"),
                        ty: self.attr(child, "type"),
                        required: self.flag(child, "required"),
                        rust: self.attr(child, "rust"),
                        doc: self.doc(child),
                        name,
                    };
                    match (&query.value, &query.ty) {
                        (Some(_), Some(_)) | (None, None) => {
                            let pos = self.pos(child);
                            self.sink.error(pos, format!("query `{}` needs exactly one of `value` (fixed) and `type` (supplied by the caller)", query.name.value));
                        }
                        _ => {}
                    }
                    decl.queries.push(query);
                }
                "request" => {
                    self.check_attrs(child, &["type", "media", "required"]);
                    let pos = self.pos(child);
                    if decl.request.is_some() {
                        self.sink.error(pos, "a method has at most one `<request>`");
                    }
                    let Some(ty) = self.required(child, "type") else { continue };
                    decl.request = Some(RequestDecl {
                        pos,
                        media: self.words(child, "media"),
                        required: self.attr(child, "required").is_none() || self.flag(child, "required"),
                        doc: self.doc(child),
                        ty,
                    });
                }
                "response-header" => {
                    self.check_attrs(child, &["name", "rust", "role"]);
                    let Some(name) = self.required(child, "name") else { continue };
                    decl.response_headers.push(HeaderDecl {
                        rust: self.attr(child, "rust"),
                        role: self.attr(child, "role"),
                        doc: self.doc(child),
                        name,
                    });
                }
                other => self.unexpected(child, other, "query, request, response-header, doc"),
            }
        }
        Some(decl)
    }
}

/// Trims each line and drops blank lines at both ends, keeping paragraph breaks (the XSD front-end
/// reads `xs:documentation` the same way).
pub(crate) fn normalize_doc(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(start, |i| i + 1);
    let mut out = String::new();
    let mut blank = false;
    for line in &lines[start..end] {
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}
