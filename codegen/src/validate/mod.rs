//! Every check that needs more than one declaration. All problems are reported, not just the first; the
//! symbol table built on the way is what `ir::lower` resolves names with.

use std::collections::BTreeMap;

use crate::diagnostics::{Pos, Sink};
use crate::ir::{ValueType, BUILTIN_TYPES};
use crate::names;
use crate::schema::*;

mod roles;

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
                if !is_abstract {
                    self.claim_rust_type(names::type_name(&name.value), &name.value, name.pos);
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

    fn enum_decl(&mut self, d: &'a EnumDecl) {
        let mut wire: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut rust: BTreeMap<String, &str> = BTreeMap::new();
        for value in &d.values {
            if let Some(first) = wire.insert(&value.name.value, value.name.pos) {
                let note = format!("first declared at {}", self.sink.at(first));
                self.sink
                    .error(value.name.pos, format!("duplicate value `{}` in enum `{}`", value.name.value, d.name.value))
                    .note(note);
                continue;
            }
            self.check_rust_variant_name(&value.rust);
            let name = value.rust.as_ref().map_or_else(|| names::type_name(&value.name.value), |r| r.value.clone());
            if value.rust.is_some() && (!names::is_identifier(&name) || names::is_keyword(&name)) {
                // A bad `rust=` is reported where it is written (`check_rust_variant_name`).
            } else if !names::is_identifier(&name) || names::is_keyword(&name) {
                self.sink.error(
                    value.name.pos,
                    format!(
                        "value `{}` gives `{name}`, which is not a usable Rust variant name; set `rust=`",
                        value.name.value
                    ),
                );
            } else if name == "Unknown" {
                self.sink.error(
                    value.name.pos,
                    "`Unknown` is the case that keeps values the schema does not list; set `rust=`",
                );
            } else if let Some(other) = rust.insert(name.clone(), &value.name.value) {
                self.sink.error(
                    value.name.pos,
                    format!("values `{other}` and `{}` both become `{name}` in Rust; set `rust=`", value.name.value),
                );
            }
        }
    }

    fn resolve_field_type(&mut self, field: &FieldDecl, is_attribute: bool, in_choice: bool) {
        let ty = field.ty.value.as_str();
        if ValueType::builtin(ty).is_some() {
            return;
        }
        if ty == "marker" {
            if is_attribute {
                self.sink.error(field.ty.pos, "an attribute cannot be a presence-only `marker`");
            } else if field.occurs.value != Occurs::Optional && !in_choice {
                self.sink.error(field.occurs.pos, "a `marker` is optional by nature; drop `occurs`");
            }
            return;
        }
        match self.symbols.types.get(ty).copied() {
            None => self.unknown_type(&field.ty),
            Some(TypeEntry::Enum(_)) => {}
            Some(TypeEntry::Complex(c)) => {
                if is_attribute {
                    self.sink.error(
                        field.ty.pos,
                        format!("attribute `{}` cannot hold the complex type `{ty}`", field.name.value),
                    );
                } else if c.is_abstract {
                    self.sink.error(field.ty.pos, format!("`{ty}` is abstract and cannot be used as a field type"));
                }
            }
            Some(TypeEntry::List(_)) => {
                if is_attribute {
                    self.sink
                        .error(field.ty.pos, format!("attribute `{}` cannot hold the list `{ty}`", field.name.value));
                } else if in_choice {
                    self.sink.error(field.ty.pos, "a choice alternative cannot be a list");
                } else if field.occurs.value == Occurs::Repeated {
                    self.sink.error(
                        field.occurs.pos,
                        format!("`{ty}` is a list and already repeats its items; use `optional` or `required`"),
                    );
                }
            }
        }
    }

    /// A `rust=` override of a field, parameter or header name: an identifier in snake_case.
    fn check_rust_name(&mut self, rust: &Option<Spanned<String>>) {
        self.check_rust_override(rust, names::field, "snake_case; a Rust field or parameter name must be");
    }

    /// A `rust=` override of an enum variant (an enum value or a choice alternative): UpperCamelCase.
    fn check_rust_variant_name(&mut self, rust: &Option<Spanned<String>>) {
        self.check_rust_override(rust, names::type_name, "UpperCamelCase; a Rust enum variant name must be");
    }

    /// The override must be an identifier that its own case conversion (`heck`'s) leaves unchanged.
    fn check_rust_override(&mut self, rust: &Option<Spanned<String>>, convert: fn(&str) -> String, case: &str) {
        let Some(r) = rust else { return };
        if !names::is_identifier(&r.value) {
            self.sink.error(r.pos, format!("`{}` is not a valid Rust name", r.value));
            return;
        }
        let converted = convert(&r.value);
        if converted != r.value {
            let d = self.sink.error(r.pos, format!("`{}` is not {case}", r.value));
            if names::is_identifier(&converted) {
                d.note(format!("did you mean `{converted}`?"));
            }
        }
    }

    fn complex(&mut self, d: &'a ComplexDecl) {
        if let Some(base) = &d.extends {
            match self.symbols.types.get(base.value.as_str()).copied() {
                None if ValueType::builtin(&base.value).is_none() && base.value != "marker" => self.unknown_type(base),
                Some(TypeEntry::Complex(_)) => {
                    if let Some(cycle) = self.cycle_through(d) {
                        self.sink.error(base.pos, format!("`{}` extends itself: {}", d.name.value, cycle.join(" -> ")));
                        return;
                    }
                    if self.in_cycle(d) {
                        // Extends a type that is itself in a cycle: that type reports it.
                        return;
                    }
                }
                _ => {
                    self.sink.error(
                        base.pos,
                        format!("`{}` can only extend a complex type, and `{}` is not one", d.name.value, base.value),
                    );
                }
            }
        }
        if !d.is_abstract {
            self.check_containment(d);
            if !self.in_cycle(d) {
                let chain = self.symbols.chain(d);
                let fields = chain.iter().flat_map(|c| &c.members).filter_map(|m| match m {
                    Member::Attribute(f) | Member::Element(f) | Member::Text(f) => Some(f),
                    Member::Choice(_) => None,
                });
                roles::check_unique(fields, self.sink);
            }
        }
        if let (true, Some(root)) = (d.is_abstract, &d.root) {
            self.sink.error(root.pos, format!("abstract type `{}` cannot be a document root", d.name.value));
        }
        for member in &d.members {
            match member {
                Member::Attribute(f) => {
                    if f.occurs.value == Occurs::Repeated {
                        self.sink.error(f.occurs.pos, format!("attribute `{}` cannot be `repeated`", f.name.value));
                    }
                    self.check_rust_name(&f.rust);
                    self.resolve_field_type(f, true, false);
                    roles::check_field(f, true, &self.symbols, self.sink);
                }
                Member::Element(f) => {
                    self.check_rust_name(&f.rust);
                    self.resolve_field_type(f, false, false);
                    if let Some(k) = &f.json_key {
                        let is_list = matches!(self.symbols.types.get(f.ty.value.as_str()), Some(TypeEntry::List(_)));
                        if !is_list {
                            self.sink.error(
                                k.pos,
                                format!(
                                    "`json-key` applies to elements holding a list, and `{}` is not one",
                                    f.ty.value
                                ),
                            );
                        }
                    }
                    roles::check_field(f, false, &self.symbols, self.sink);
                }
                Member::Text(f) => {
                    self.check_rust_name(&f.rust);
                    self.resolve_field_type(f, true, false);
                    roles::check_field(f, true, &self.symbols, self.sink);
                }
                Member::Choice(c) => {
                    if c.alternatives.len() < 2 {
                        self.sink
                            .error(c.name.pos, format!("choice `{}` needs at least two alternatives", c.name.value));
                    }
                    if c.occurs.value == Occurs::Repeated {
                        self.sink.error(c.occurs.pos, format!("choice `{}` cannot be `repeated`", c.name.value));
                    }
                    self.check_rust_name(&c.rust);
                    let mut variants: BTreeMap<String, &str> = BTreeMap::new();
                    for alt in &c.alternatives {
                        self.check_rust_variant_name(&alt.rust);
                        self.resolve_field_type(alt, false, true);
                        let rust =
                            alt.rust.as_ref().map_or_else(|| names::type_name(&alt.name.value), |r| r.value.clone());
                        if alt.rust.is_some() && (!names::is_identifier(&rust) || names::is_keyword(&rust)) {
                            // A bad `rust=` is reported where it is written (`check_rust_variant_name`).
                            continue;
                        }
                        if is_xml_name(&alt.name.value) && (!names::is_identifier(&rust) || names::is_keyword(&rust)) {
                            self.sink.error(
                                alt.name.pos,
                                format!(
                                    "alternative `{}` gives no usable Rust variant name (`{rust}`); set `rust=`",
                                    alt.name.value
                                ),
                            );
                            continue;
                        }
                        if let Some(other) = variants.insert(rust.clone(), &alt.name.value) {
                            self.sink.error(
                                alt.name.pos,
                                format!(
                                    "alternatives `{other}` and `{}` both become `{rust}` in Rust; set `rust=`",
                                    alt.name.value
                                ),
                            );
                        }
                    }
                }
            }
        }
        self.check_text_content(d);
        // Name clashes are checked on the flattened type, inherited members included, but reported only
        // for the type's own members: a clash inside a base is the base's to report.
        let mut attrs: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut elements: BTreeMap<&str, Pos> = BTreeMap::new();
        let mut rust: BTreeMap<String, (&str, Pos)> = BTreeMap::new();
        let mut json: BTreeMap<&str, Pos> = BTreeMap::new();
        for decl in self.symbols.chain(d) {
            let own = std::ptr::eq(decl, d);
            for member in &decl.members {
                let (xml_names, is_attr): (Vec<&Spanned<String>>, bool) = match member {
                    Member::Attribute(f) => (vec![&f.name], true),
                    Member::Element(f) => (vec![&f.name], false),
                    Member::Choice(c) => (c.alternatives.iter().map(|a| &a.name).collect(), false),
                    // Text content has no name on the wire.
                    Member::Text(_) => (Vec::new(), false),
                };
                let mut clashed = false;
                for name in xml_names {
                    if own && !is_xml_name(&name.value) {
                        let what = if is_attr { "attribute" } else { "element" };
                        self.sink.error(name.pos, format!("`{}` is not a valid {what} name", name.value));
                        clashed = true;
                        continue;
                    }
                    let seen = if is_attr { &mut attrs } else { &mut elements };
                    if let Some(first) = seen.get(name.value.as_str()) {
                        clashed = true;
                        if own {
                            let what = if is_attr { "attribute" } else { "element" };
                            let note = format!("first at {}", self.sink.at(*first));
                            self.sink
                                .error(name.pos, format!("{what} `{}` appears twice in `{}`", name.value, d.name.value))
                                .note(note);
                        }
                    } else {
                        seen.insert(&name.value, name.pos);
                    }
                }
                if clashed {
                    // One problem, one report: the same name would also clash as a field and a JSON key.
                    continue;
                }
                let (label, rust_name, json_names): (&Spanned<String>, String, Vec<&Spanned<String>>) = match member {
                    Member::Attribute(f) | Member::Element(f) | Member::Text(f) => (
                        &f.name,
                        f.rust.as_ref().map_or_else(|| names::field(&f.name.value), |r| r.value.clone()),
                        vec![f.json.as_ref().unwrap_or(&f.name)],
                    ),
                    Member::Choice(c) => (
                        &c.name,
                        c.rust.as_ref().map_or_else(|| names::field(&c.name.value), |r| r.value.clone()),
                        c.alternatives.iter().map(|a| a.json.as_ref().unwrap_or(&a.name)).collect(),
                    ),
                };
                let overridden = match member {
                    Member::Attribute(f) | Member::Element(f) | Member::Text(f) => f.rust.is_some(),
                    Member::Choice(c) => c.rust.is_some(),
                };
                if !names::is_identifier(&rust_name) {
                    // A bad `rust=` is reported where it is written (`check_rust_name`).
                    if own && !overridden {
                        self.sink.error(
                            label.pos,
                            format!("`{}` gives no usable Rust field name (`{rust_name}`); set `rust=`", label.value),
                        );
                    }
                } else if names::RESERVED_FIELDS.contains(&rust_name.as_str()) {
                    if own {
                        self.sink.error(
                            label.pos,
                            format!(
                                "`{}` would become the field `{rust_name}`, a name the generated decoder uses; set `rust=`",
                                label.value
                            ),
                        );
                    }
                } else if let Some((other, first)) = rust.get(&rust_name) {
                    if own {
                        let note = format!("`{other}` is at {}", self.sink.at(*first));
                        self.sink
                            .error(
                                label.pos,
                                format!(
                                    "`{}` and `{other}` both become the field `{rust_name}` of `{}`; set `rust=` on one",
                                    label.value, d.name.value
                                ),
                            )
                            .note(note);
                    }
                } else {
                    rust.insert(rust_name, (&label.value, label.pos));
                }
                for j in json_names {
                    if let Some(first) = json.get(j.value.as_str()) {
                        if own {
                            let note = format!("first at {}", self.sink.at(*first));
                            self.sink
                                .error(j.pos, format!("JSON name `{}` is used twice in `{}`", j.value, d.name.value))
                                .note(note);
                        }
                    } else {
                        json.insert(&j.value, j.pos);
                    }
                }
            }
        }
    }

    /// A type that holds itself directly (not through a list or repeated element) has no finite size.
    /// Text content (`<text>`) sits beside attributes only: one per type, inherited ones included, and no
    /// child elements or choices anywhere in the chain. Reported on the type's own members.
    fn check_text_content(&mut self, d: &'a ComplexDecl) {
        if self.in_cycle(d) {
            return;
        }
        let chain = self.symbols.chain(d);
        let members = || chain.iter().flat_map(|c| &c.members);
        let texts: Vec<&FieldDecl> =
            members().filter_map(|m| if let Member::Text(f) = m { Some(f) } else { None }).collect();
        let Some(first) = texts.first() else { return };
        let own = |pos: Pos| d.members.iter().any(|m| matches!(m, Member::Text(f) if f.name.pos == pos));
        for extra in texts.iter().skip(1).filter(|t| own(t.name.pos)) {
            let note = format!("first at {}", self.sink.at(first.name.pos));
            self.sink.error(extra.name.pos, format!("`{}` has text content twice", d.name.value)).note(note);
        }
        let element = members().find_map(|m| match m {
            Member::Element(f) => Some(&f.name),
            Member::Choice(c) => Some(&c.name),
            _ => None,
        });
        if let Some(element) = element {
            if let Some(text) = texts.iter().find(|t| own(t.name.pos)) {
                let note = format!("`{}` at {}", element.value, self.sink.at(element.pos));
                self.sink
                    .error(
                        text.name.pos,
                        format!("`{}` has text content, so it cannot also have child elements", d.name.value),
                    )
                    .note(note);
            }
        }
    }

    fn check_containment(&mut self, d: &'a ComplexDecl) {
        // Depth-first over the types `d` holds by value; `path` is the chain of `Type.Element` steps.
        fn walk<'a>(
            symbols: &Symbols<'a>,
            target: &'a ComplexDecl,
            current: &'a ComplexDecl,
            path: &mut Vec<String>,
            seen: &mut Vec<*const ComplexDecl>,
        ) -> bool {
            for decl in symbols.chain(current) {
                for member in &decl.members {
                    let held: Vec<&FieldDecl> = match member {
                        Member::Element(f) if f.occurs.value != Occurs::Repeated => vec![f],
                        Member::Choice(c) => c.alternatives.iter().collect(),
                        _ => Vec::new(),
                    };
                    for f in held {
                        let Some(TypeEntry::Complex(next)) = symbols.types.get(f.ty.value.as_str()).copied() else {
                            continue;
                        };
                        path.push(format!("{}.{}", current.name.value, f.name.value));
                        if std::ptr::eq(next, target) {
                            return true;
                        }
                        if !seen.contains(&(next as *const _)) {
                            seen.push(next);
                            if walk(symbols, target, next, path, seen) {
                                return true;
                            }
                        }
                        path.pop();
                    }
                }
            }
            false
        }
        let (mut path, mut seen) = (Vec::new(), Vec::new());
        if walk(&self.symbols, d, d, &mut path, &mut seen) {
            self.sink
                .error(d.name.pos, format!("`{}` contains itself through {}", d.name.value, path.join(" -> ")))
                .note("only a list or a `repeated` element can hold a value of the type that holds it");
        }
    }

    /// The names around the cycle `d` is part of (`A -> B -> A`), if any.
    fn cycle_through(&self, d: &'a ComplexDecl) -> Option<Vec<&'a str>> {
        let mut names = vec![d.name.value.as_str()];
        let mut current = d;
        while let Some(base) = &current.extends {
            let Some(TypeEntry::Complex(next)) = self.symbols.types.get(base.value.as_str()).copied() else {
                return None;
            };
            names.push(&next.name.value);
            if std::ptr::eq(next, d) {
                return Some(names);
            }
            if names[..names.len() - 1].contains(&next.name.value.as_str()) {
                return None;
            }
            current = next;
        }
        None
    }

    /// Whether the bases of `d` lead into a cycle (`d` itself not in it: `cycle_through` said so).
    fn in_cycle(&self, d: &'a ComplexDecl) -> bool {
        // `chain` stops before it would revisit a type, so a chain whose first type still has a complex
        // base was cut short by a cycle.
        self.symbols.chain(d).first().is_some_and(|first| {
            first
                .extends
                .as_ref()
                .is_some_and(|b| matches!(self.symbols.types.get(b.value.as_str()), Some(TypeEntry::Complex(_))))
        })
    }

    fn list(&mut self, d: &'a ListDecl) {
        match self.symbols.types.get(d.ty.value.as_str()).copied() {
            // A list of simple values: `<Path>C:\</Path><Path>D:\</Path>`.
            None if ValueType::builtin(&d.ty.value).is_some() => {}
            None if d.ty.value == "marker" => {
                self.sink.error(d.ty.pos, "list items cannot be presence-only `marker`s");
            }
            None => self.unknown_type(&d.ty),
            Some(TypeEntry::Complex(c)) if !c.is_abstract => {}
            Some(TypeEntry::Enum(_)) => {}
            Some(_) => {
                self.sink.error(
                    d.ty.pos,
                    format!(
                        "list items must be a simple type or a non-abstract complex type, and `{}` is not one",
                        d.ty.value
                    ),
                );
            }
        }
        for name in std::iter::once(&d.item).chain(&d.item_aliases) {
            if !is_xml_name(&name.value) {
                self.sink.error(name.pos, format!("`{}` is not a valid element name", name.value));
            }
        }
    }

    fn document_type(&mut self, ty: &Spanned<String>, what: &str) -> Option<&'a str> {
        match self.symbols.types.get(ty.value.as_str()).copied() {
            None => {
                self.unknown_type(ty);
                None
            }
            Some(entry) => match entry.root() {
                Some(_) => Some(entry.name().value.as_str()),
                None => {
                    self.sink.error(ty.pos, format!("{what} `{}` is not a document type (it has no `root`)", ty.value));
                    None
                }
            },
        }
    }

    fn resource(&mut self, r: &'a ResourceDecl) {
        if !names::is_identifier(&r.name.value) {
            self.sink.error(r.name.pos, format!("`{}` is not a valid resource name", r.name.value));
        }
        let placeholders = match parse_path(&r.path.value) {
            Ok(p) => Some(p),
            Err(message) => {
                self.sink.error(r.path.pos, message);
                None
            }
        };
        let mut params: BTreeMap<&str, Pos> = BTreeMap::new();
        for p in &r.params {
            if params.insert(&p.name.value, p.name.pos).is_some() {
                self.sink.error(p.name.pos, format!("duplicate parameter `{}`", p.name.value));
            }
            if !matches!(p.ty.value.as_str(), "string" | "guid" | "uid" | "int" | "long") {
                self.sink.error(
                    p.ty.pos,
                    format!("a path parameter must be string, guid, uid, int or long, not `{}`", p.ty.value),
                );
            }
            if placeholders.as_ref().is_some_and(|ph| !ph.iter().any(|(name, _)| name == &p.name.value)) {
                self.sink.error(
                    p.name.pos,
                    format!("parameter `{}` does not appear in the path `{}`", p.name.value, r.path.value),
                );
            }
            self.check_rust_name(&p.rust);
        }
        for (name, _) in placeholders.iter().flatten() {
            if !params.contains_key(name.as_str()) {
                self.sink
                    .error(r.path.pos, format!("`{{{name}}}` in the path is not bound by a `<param name=\"{name}\">`"));
            }
        }
        let mut names_seen: BTreeMap<&str, Pos> = BTreeMap::new();
        for rep in &r.representations {
            if names_seen.insert(&rep.name.value, rep.name.pos).is_some() {
                self.sink.error(
                    rep.name.pos,
                    format!("duplicate representation `{}` in `{}`", rep.name.value, r.name.value),
                );
            }
            if let Some(q) = &rep.query {
                if parse_query(&q.value).is_none() {
                    self.sink.error(q.pos, format!("`{}` is not a `name=value` query", q.value));
                }
            }
            if let Some(auth) = &rep.auth {
                if !matches!(auth.value.as_str(), "session" | "none") {
                    self.sink.error(
                        auth.pos,
                        format!("a representation's `auth` must be session or none, not `{}`", auth.value),
                    );
                }
            }
            let Some(ty) = self.document_type(&rep.ty, "representation type") else { continue };
            for lt in &rep.link_types {
                match self.symbols.link_types.get(lt.value.as_str()) {
                    Some((other, first)) if *other != ty => {
                        let note = format!("it leads to `{other}` at {}", self.sink.at(*first));
                        self.sink
                            .error(lt.pos, format!("link type `{}` would lead to `{ty}` here", lt.value))
                            .note(note);
                    }
                    Some(_) => {}
                    None => {
                        self.symbols.link_types.insert(&lt.value, (ty, lt.pos));
                    }
                }
            }
        }
        let mut methods: BTreeMap<&str, Pos> = BTreeMap::new();
        for m in &r.methods {
            if let Some(first) = methods.insert(&m.name.value, m.name.pos) {
                let note = format!("first declared at {}", self.sink.at(first));
                self.sink
                    .error(m.name.pos, format!("duplicate method `{}` in `{}`", m.name.value, r.name.value))
                    .note(note);
            }
            if !names::is_identifier(&m.name.value) || names::field(&m.name.value) != m.name.value {
                let snake = names::field(&m.name.value);
                let d = self
                    .sink
                    .error(m.name.pos, format!("method name `{}` must be a snake_case identifier", m.name.value));
                if names::is_identifier(&snake) && snake != m.name.value {
                    d.note(format!("did you mean `{snake}`?"));
                }
            }
            if !matches!(m.verb.value.as_str(), "GET" | "POST" | "PUT" | "DELETE") {
                self.sink.error(m.verb.pos, format!("`verb` must be GET, POST, PUT or DELETE, not `{}`", m.verb.value));
            }
            let status = m.status.value.parse::<u16>().ok().filter(|s| (100..600).contains(s));
            if status.is_none() {
                self.sink.error(m.status.pos, format!("`{}` is not an HTTP status code", m.status.value));
            }
            let response = match &m.response {
                Some(r) if r.value == "binary" => None,
                Some(r) => self.document_type(r, "response type"),
                None => None,
            };
            if m.returns_task {
                if status.is_some_and(|s| s != 202) {
                    self.sink.error(m.status.pos, "a method that returns a task answers 202");
                }
                if response.is_none() && m.response.as_ref().is_none_or(|r| r.value == "binary") {
                    self.sink.error(m.name.pos, "a method that returns a task needs a `response` document type");
                }
            }
            if let Some(auth) = &m.auth {
                if !matches!(auth.value.as_str(), "session" | "basic" | "none") {
                    self.sink.error(auth.pos, format!("`auth` must be session, basic or none, not `{}`", auth.value));
                }
            }
            for h in &m.response_headers {
                roles::check_header(h, self.sink);
                self.check_rust_name(&h.rust);
                let is_token = h.role.as_ref().is_some_and(|r| r.value == "session-token");
                if is_token && m.auth.as_ref().is_none_or(|a| a.value != "basic") {
                    self.sink.error(h.name.pos, "only the logon method (`auth=\"basic\"`) can carry the session token");
                }
            }
            let mut queries: BTreeMap<&str, Pos> = BTreeMap::new();
            for q in &m.queries {
                if queries.insert(&q.name.value, q.name.pos).is_some() {
                    self.sink.error(q.name.pos, format!("duplicate query parameter `{}`", q.name.value));
                }
                if let Some(ty) = &q.ty {
                    if ValueType::builtin(&ty.value).is_none()
                        && !matches!(self.symbols.types.get(ty.value.as_str()), Some(TypeEntry::Enum(_)))
                    {
                        if self.symbols.types.contains_key(ty.value.as_str()) {
                            self.sink
                                .error(ty.pos, format!("query parameter `{}` must have a simple type", q.name.value));
                        } else {
                            self.unknown_type(ty);
                        }
                    }
                }
                self.check_rust_name(&q.rust);
            }
            if let Some(req) = &m.request {
                self.document_type(&req.ty, "request type");
                for media in &req.media {
                    if !matches!(media.value.as_str(), "application/xml" | "application/json") {
                        self.sink.error(
                            media.pos,
                            format!(
                                "`{}` is not a media type EM accepts (application/xml, application/json)",
                                media.value
                            ),
                        );
                    }
                }
            }
        }
    }

    fn links(&mut self, r: &'a ResourceDecl) {
        for rep in &r.representations {
            for link in &rep.links {
                self.link(link, Some(&r.name.value));
            }
        }
    }

    /// A link's type must be one some representation declares, and its method must exist
    /// (`Resource.method`, or a method of `resource` when the link is declared on one).
    fn link(&mut self, link: &LinkDecl, resource: Option<&str>) {
        if let Some(lt) = &link.link_type {
            if !self.symbols.link_types.contains_key(lt.value.as_str()) {
                let d =
                    self.sink.error(lt.pos, format!("link type `{}` is not declared by any representation", lt.value));
                if let Some(best) = similar(&lt.value, self.symbols.link_types.keys().copied()) {
                    d.note(format!("did you mean `{best}`?"));
                }
            }
        }
        if let Some(m) = &link.method {
            let Some((res, method)) = m.value.split_once('.').or(resource.map(|r| (r, m.value.as_str()))) else {
                self.sink.error(m.pos, format!("link method `{}`: a link on a type names `Resource.method`", m.value));
                return;
            };
            match self.symbols.resources.get(res) {
                None => {
                    let d = self.sink.error(m.pos, format!("link method `{}`: no resource `{res}`", m.value));
                    if let Some(best) = similar(res, self.symbols.resources.keys().copied()) {
                        d.note(format!("did you mean `{best}`?"));
                    }
                }
                Some(target) if !target.methods.iter().any(|x| x.name.value == method) => {
                    let d =
                        self.sink.error(m.pos, format!("link method `{}`: `{res}` has no method `{method}`", m.value));
                    if let Some(best) = similar(method, target.methods.iter().map(|x| x.name.value.as_str())) {
                        d.note(format!("did you mean `{best}`?"));
                    }
                }
                Some(_) => {}
            }
        }
    }
}

/// The name among `candidates` that `wanted` most likely misspells: one that differs only in case, or
/// else the nearest within an edit distance of 2 (and less than `wanted`'s length, so that short names
/// do not suggest everything). Ties go to the first candidate.
fn similar<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let wanted_len = wanted.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance =
            if candidate.to_lowercase() == wanted.to_lowercase() { 0 } else { levenshtein(wanted, candidate) };
        if distance <= 2 && distance < wanted_len && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// Edits (insertions, deletions, substitutions of one character) that turn `a` into `b`.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb { diagonal } else { 1 + diagonal.min(above).min(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Splits `name=value`.
pub fn parse_query(q: &str) -> Option<(&str, &str)> {
    let (k, v) = q.split_once('=')?;
    (!k.is_empty() && !v.is_empty() && !v.contains('=') && !k.contains('&') && !v.contains('&')).then_some((k, v))
}

/// The placeholders of a path template, with whether each takes the rest of the path.
pub fn parse_path(path: &str) -> Result<Vec<(String, bool)>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`"));
    }
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unbalanced `}}` in path `{path}`"));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed `{{` in path `{path}`"))?;
        let inner = &after[..close];
        let (name, tail) = match inner.strip_prefix('*') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if !names::is_identifier(name) {
            return Err(format!("`{{{inner}}}` in path `{path}` is not a parameter name"));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(format!("`{{{name}}}` appears twice in path `{path}`"));
        }
        rest = &after[close + 1..];
        if tail && !rest.is_empty() {
            return Err(format!("`{{*{name}}}` takes the rest of the path and must come last in `{path}`"));
        }
        out.push((name.to_owned(), tail));
    }
    Ok(out)
}
