//! Checks on types: enums, complex types (members, names, text content, containment) and lists.

use std::collections::BTreeMap;

use super::{is_xml_name, roles, Symbols, TypeEntry, Validator};
use crate::diagnostics::Pos;
use crate::ir::ValueType;
use crate::names;
use crate::schema::*;

impl<'a> Validator<'a, '_, '_> {
    pub(super) fn enum_decl(&mut self, d: &'a EnumDecl) {
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

    pub(super) fn resolve_field_type(&mut self, field: &FieldDecl, is_attribute: bool, in_choice: bool) {
        let ty = field.ty.value.as_str();
        if ValueType::builtin(ty).is_some() {
            return;
        }
        if let Some(item) = crate::ir::list_item(ty) {
            // `list(item)`: a simple type or an enum, whitespace-separated in one text.
            let simple = ValueType::builtin(item).is_some_and(|v| !matches!(v, ValueType::List(_)))
                || matches!(self.symbols.types.get(item), Some(TypeEntry::Enum(_)));
            if !simple {
                self.sink.error(
                    field.ty.pos,
                    format!("`{ty}`: the items of a value list must be a simple type or an enum, not `{item}`"),
                );
            }
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

    pub(super) fn complex(&mut self, d: &'a ComplexDecl) {
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
                    Member::Element(f) => (std::iter::once(&f.name).chain(&f.xml_aliases).collect(), false),
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
    pub(super) fn check_text_content(&mut self, d: &'a ComplexDecl) {
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

    pub(super) fn check_containment(&mut self, d: &'a ComplexDecl) {
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
    pub(super) fn cycle_through(&self, d: &'a ComplexDecl) -> Option<Vec<&'a str>> {
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
    pub(super) fn in_cycle(&self, d: &'a ComplexDecl) -> bool {
        // `chain` stops before it would revisit a type, so a chain whose first type still has a complex
        // base was cut short by a cycle.
        self.symbols.chain(d).first().is_some_and(|first| {
            first
                .extends
                .as_ref()
                .is_some_and(|b| matches!(self.symbols.types.get(b.value.as_str()), Some(TypeEntry::Complex(_))))
        })
    }

    pub(super) fn list(&mut self, d: &'a ListDecl) {
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
}
