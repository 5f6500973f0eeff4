//! Syntax tree + symbols -> IR. Runs only on a schema that passed `validate`, so every lookup succeeds;
//! where one would not, the item is left out rather than guessed.

use super::*;
use crate::names;
use crate::schema::{self, Item, Member, SchemaFile};
use crate::validate::{parse_path, parse_query, Symbols, TypeEntry};

/// Builds the IR. `sources` are the display paths, indexed like the files.
pub fn lower(files: &[SchemaFile], sources: &[String], symbols: &Symbols<'_>) -> Ir {
    let mut ir = Ir { modules: Vec::new(), resources: Vec::new() };
    let resource_index: Vec<&str> = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|i| if let Item::Resource(r) = i { Some(r.name.value.as_str()) } else { None })
        .collect();
    for file in files {
        let source = sources.get(file.index).cloned().unwrap_or_default();
        let mut module = Module {
            name: names::field(&file.module),
            source: source.clone(),
            doc: file.doc.clone(),
            types: Vec::new(),
        };
        for item in &file.items {
            match item {
                Item::Enum(d) => module.types.push(enum_type(d, symbols)),
                Item::Complex(d) => {
                    if !d.is_abstract {
                        module.types.push(struct_type(d, symbols, &resource_index));
                    }
                    // Choice enums belong to the type that declares them, abstract or not.
                    module.types.extend(d.members.iter().filter_map(|m| match m {
                        Member::Choice(c) => Some(choice_type(d, c, symbols)),
                        _ => None,
                    }));
                }
                Item::List(d) => module.types.push(list_type(d, symbols)),
                Item::Resource(r) => ir.resources.push(resource(r, &source, symbols, &resource_index)),
                Item::Amend(_) => {}
            }
        }
        ir.modules.push(module);
    }
    ir
}

fn enum_type(d: &schema::EnumDecl, symbols: &Symbols<'_>) -> TypeDef {
    let values = d
        .values
        .iter()
        .map(|v| EnumValue {
            wire: v.name.value.clone(),
            rust_name: v.rust.as_ref().map_or_else(|| names::type_name(&v.name.value), |r| r.value.clone()),
            doc: v.doc.clone(),
        })
        .collect();
    TypeDef {
        name: d.name.value.clone(),
        rust_name: symbols.rust_type(&d.name.value),
        doc: d.doc.clone(),
        kind: TypeKind::Enum(EnumType { values }),
    }
}

fn list_type(d: &schema::ListDecl, symbols: &Symbols<'_>) -> TypeDef {
    TypeDef {
        name: d.name.value.clone(),
        rust_name: symbols.rust_type(&d.name.value),
        doc: d.doc.clone(),
        kind: TypeKind::List(ListType {
            root: d.root.as_ref().map(|r| r.value.clone()),
            item_element: d.item.value.clone(),
            item_aliases: d.item_aliases.iter().map(|a| a.value.clone()).collect(),
            item_type: symbols.rust_type(&d.ty.value),
            item_value: value_type(&d.ty.value, symbols),
            json_key: d.json_key.as_ref().map(|k| k.value.clone()),
        }),
    }
}

fn occurs(o: schema::Occurs) -> Occurs {
    match o {
        schema::Occurs::Required => Occurs::Required,
        schema::Occurs::Optional => Occurs::Optional,
        schema::Occurs::Repeated => Occurs::Repeated,
    }
}

/// The value type of a simple or enum type name.
fn value_type(ty: &str, symbols: &Symbols<'_>) -> Option<ValueType> {
    if let Some(item) = list_item(ty) {
        return value_type(item, symbols).map(|v| ValueType::List(Box::new(v)));
    }
    ValueType::builtin(ty).or_else(|| match symbols.types.get(ty) {
        Some(TypeEntry::Enum(_)) => Some(ValueType::Enum(symbols.rust_type(ty))),
        _ => None,
    })
}

/// A declared link: where following it leads. A method reference without a resource is one of
/// `resource`'s.
fn link(l: &schema::LinkDecl, resource: Option<&str>, symbols: &Symbols<'_>, resource_index: &[&str]) -> Option<Link> {
    let target = match (&l.method, &l.link_type) {
        (Some(m), _) => {
            let (res, method) = m.value.split_once('.').or(resource.map(|r| (r, m.value.as_str())))?;
            let index = resource_index.iter().position(|n| *n == res)?;
            let decl = symbols.resources.get(res)?;
            let method = decl.methods.iter().position(|x| x.name.value == method)?;
            LinkTarget::Method { resource: index, method }
        }
        (None, Some(lt)) => {
            let (ty, _) = symbols.link_types.get(lt.value.as_str())?;
            LinkTarget::Document { ty: symbols.rust_type(ty) }
        }
        (None, None) => return None,
    };
    Some(Link {
        rel: l.rel.value.clone(),
        link_type: l.link_type.as_ref().map(|t| t.value.clone()),
        target,
        doc: l.doc.clone(),
    })
}

fn struct_type(d: &schema::ComplexDecl, symbols: &Symbols<'_>, resource_index: &[&str]) -> TypeDef {
    let chain = symbols.chain(d);
    let mut fields_by_level: Vec<Vec<Field>> = Vec::new();
    let mut wire_index = 0;
    for decl in &chain {
        let inherited_from = (!std::ptr::eq(*decl, d)).then(|| decl.name.value.clone());
        let mut elements = Vec::new();
        let mut attributes = Vec::new();
        for member in &decl.members {
            match member {
                Member::Attribute(f) => {
                    let Some(value) = value_type(&f.ty.value, symbols) else { continue };
                    let kind = FieldKind::Attribute { name: f.name.value.clone(), value };
                    attributes.push(field(f, kind, None, &inherited_from));
                }
                Member::Element(f) => {
                    let element = f.name.value.clone();
                    let kind = if f.ty.value == "marker" {
                        FieldKind::Marker { element }
                    } else if let Some(value) = value_type(&f.ty.value, symbols) {
                        FieldKind::Value { element, value }
                    } else {
                        match symbols.types.get(f.ty.value.as_str()) {
                            Some(TypeEntry::List(l)) => FieldKind::List {
                                element,
                                list: symbols.rust_type(&l.name.value),
                                item: symbols.rust_type(&l.ty.value),
                                item_value: value_type(&l.ty.value, symbols),
                                json: f.json_key.as_ref().map(|k| JsonList {
                                    marker: names::type_name(&format!(
                                        "{}_{}_json",
                                        d.name.value,
                                        f.rust.as_ref().map_or(&f.name.value, |r| &r.value)
                                    )),
                                    key: (!k.value.is_empty()).then(|| k.value.clone()),
                                }),
                            },
                            Some(TypeEntry::Complex(_)) => {
                                FieldKind::Child { element, ty: symbols.rust_type(&f.ty.value) }
                            }
                            _ => continue,
                        }
                    };
                    elements.push(field(f, kind, Some(wire_index), &inherited_from));
                    wire_index += 1;
                }
                Member::Text(f) => {
                    let Some(value) = value_type(&f.ty.value, symbols) else { continue };
                    // With the attributes: it has no place among elements on the wire.
                    attributes.push(field(f, FieldKind::Text { value }, None, &inherited_from));
                }
                Member::Choice(c) => {
                    let rust_name = choice_name(decl, c);
                    let TypeKind::Choice(Choice { alternatives }) = choice_type(decl, c, symbols).kind else {
                        continue;
                    };
                    elements.push(Field {
                        rust_name: c.rust.as_ref().map_or_else(|| names::field(&c.name.value), |r| r.value.clone()),
                        json_name: None,
                        json_aliases: Vec::new(),
                        xml_aliases: Vec::new(),
                        doc: c.doc.clone(),
                        occurs: occurs(c.occurs.value),
                        kind: FieldKind::Choice { choice: rust_name, alternatives },
                        wire_index: Some(wire_index),
                        inherited_from: inherited_from.clone(),
                        role: None,
                    });
                    wire_index += 1;
                }
            }
        }
        // EM's JSON lists elements before attributes within a level.
        elements.extend(attributes);
        fields_by_level.push(elements);
    }
    // The derived type's own fields first, then each base's, nearest first.
    let fields = fields_by_level.into_iter().rev().flatten().collect();
    let bases = chain.iter().rev().skip(1).map(|c| c.name.value.clone()).collect();
    TypeDef {
        name: d.name.value.clone(),
        rust_name: symbols.rust_type(&d.name.value),
        doc: d.doc.clone(),
        kind: TypeKind::Struct(StructType {
            root: d.root.as_ref().map(|r| r.value.clone()),
            bases,
            fields,
            links: d.links.iter().filter_map(|l| link(l, None, symbols, resource_index)).collect(),
        }),
    }
}

/// The IR field of an `<attribute>` or `<element>`.
fn field(f: &schema::FieldDecl, kind: FieldKind, wire_index: Option<usize>, inherited_from: &Option<String>) -> Field {
    Field {
        rust_name: f.rust.as_ref().map_or_else(|| names::field(&f.name.value), |r| r.value.clone()),
        json_name: Some(f.json.as_ref().unwrap_or(&f.name).value.clone()),
        json_aliases: f.json_aliases.iter().map(|a| a.value.clone()).collect(),
        xml_aliases: f.xml_aliases.iter().map(|a| a.value.clone()).collect(),
        doc: f.doc.clone(),
        occurs: occurs(f.occurs.value),
        kind,
        wire_index,
        inherited_from: inherited_from.clone(),
        role: f.role.as_ref().and_then(|r| FieldRole::parse(&r.value)),
    }
}

fn choice_name(owner: &schema::ComplexDecl, c: &schema::ChoiceDecl) -> String {
    names::type_name(&format!("{}{}", owner.name.value, c.name.value))
}

fn choice_type(owner: &schema::ComplexDecl, c: &schema::ChoiceDecl, symbols: &Symbols<'_>) -> TypeDef {
    let alternatives = c
        .alternatives
        .iter()
        .map(|a| Alternative {
            element: a.name.value.clone(),
            rust_name: a.rust.as_ref().map_or_else(|| names::type_name(&a.name.value), |r| r.value.clone()),
            json_name: a.json.as_ref().unwrap_or(&a.name).value.clone(),
            doc: a.doc.clone(),
            content: if a.ty.value == "marker" {
                AltContent::Marker
            } else if let Some(v) = value_type(&a.ty.value, symbols) {
                AltContent::Value(v)
            } else {
                AltContent::Struct(symbols.rust_type(&a.ty.value))
            },
        })
        .collect();
    let rust_name = choice_name(owner, c);
    TypeDef {
        name: format!("{}.{}", owner.name.value, c.name.value),
        rust_name,
        doc: c.doc.clone(),
        kind: TypeKind::Choice(Choice { alternatives }),
    }
}

fn resource(r: &schema::ResourceDecl, source: &str, symbols: &Symbols<'_>, resource_index: &[&str]) -> Resource {
    let placeholders = parse_path(&r.path.value).unwrap_or_default();
    let params: Vec<Param> = placeholders
        .iter()
        .filter_map(|(name, _)| r.params.iter().find(|p| &p.name.value == name))
        .map(|p| Param {
            name: p.name.value.clone(),
            rust_name: p.rust.as_ref().map_or_else(|| names::field(&p.name.value), |r| r.value.clone()),
            value: ValueType::builtin(&p.ty.value).unwrap_or(ValueType::String),
            doc: p.doc.clone(),
        })
        .collect();
    let mut segments = Vec::new();
    let mut rest = r.path.value.as_str();
    for (i, (name, tail)) in placeholders.iter().enumerate() {
        let marker = if *tail { format!("{{*{name}}}") } else { format!("{{{name}}}") };
        if let Some(at) = rest.find(&marker) {
            if at > 0 {
                segments.push(Segment::Literal(rest[..at].to_owned()));
            }
            segments.push(if *tail { Segment::Rest(i) } else { Segment::Param(i) });
            rest = &rest[at + marker.len()..];
        }
    }
    if !rest.is_empty() {
        segments.push(Segment::Literal(rest.to_owned()));
    }
    let doc_type = |name: &str| symbols.types.get(name).map(|_| symbols.rust_type(name));
    let root_of = |name: &str| symbols.types.get(name).and_then(|e| e.root()).unwrap_or_default().to_owned();
    let representations = r
        .representations
        .iter()
        .map(|rep| Representation {
            name: rep.name.value.clone(),
            ty: doc_type(&rep.ty.value).unwrap_or_default(),
            root: root_of(&rep.ty.value),
            query: rep.query.as_ref().and_then(|q| parse_query(&q.value)).map(|(k, v)| (k.to_owned(), v.to_owned())),
            link_types: rep.link_types.iter().map(|l| l.value.clone()).collect(),
            auth: if rep.auth.as_ref().is_some_and(|a| a.value == "none") { Auth::None } else { Auth::Session },
            links: rep.links.iter().filter_map(|l| link(l, Some(&r.name.value), symbols, resource_index)).collect(),
            doc: rep.doc.clone(),
        })
        .collect();
    let methods = r
        .methods
        .iter()
        .map(|m| Method {
            name: m.name.value.clone(),
            rust_name: names::field(&m.name.value),
            verb: match m.verb.value.as_str() {
                "POST" => Verb::Post,
                "PUT" => Verb::Put,
                "DELETE" => Verb::Delete,
                _ => Verb::Get,
            },
            status: m.status.value.parse().unwrap_or(200),
            query: m
                .queries
                .iter()
                .map(|q| QueryParam {
                    name: q.name.value.clone(),
                    rust_name: q.rust.as_ref().map_or_else(|| names::field(&q.name.value), |r| r.value.clone()),
                    kind: match (&q.value, &q.ty) {
                        (Some(v), _) => QueryKind::Fixed(v.value.clone()),
                        (None, Some(t)) => QueryKind::Caller {
                            value: value_type(&t.value, symbols).unwrap_or(ValueType::String),
                            required: q.required,
                        },
                        (None, None) => QueryKind::Fixed(String::new()),
                    },
                    doc: q.doc.clone(),
                })
                .collect(),
            request: m.request.as_ref().map(|req| Body {
                ty: symbols.rust_type(&req.ty.value),
                media: if req.media.is_empty() {
                    vec![Media::Xml, Media::Json]
                } else {
                    req.media
                        .iter()
                        .map(|m| if m.value == "application/json" { Media::Json } else { Media::Xml })
                        .collect()
                },
                required: req.required,
            }),
            response: match &m.response {
                None => Response::None,
                Some(r) if r.value == "binary" => Response::Binary,
                Some(r) => Response::Document(symbols.rust_type(&r.value)),
            },
            returns_task: m.returns_task,
            auth: match m.auth.as_ref().map(|a| a.value.as_str()) {
                Some("basic") => Auth::Basic,
                Some("none") => Auth::None,
                _ => Auth::Session,
            },
            response_headers: m
                .response_headers
                .iter()
                .map(|h| ResponseHeader {
                    name: h.name.value.clone(),
                    rust_name: h.rust.as_ref().map_or_else(|| names::field(&h.name.value), |r| r.value.clone()),
                    session_token: h.role.as_ref().is_some_and(|r| r.value == "session-token"),
                    doc: h.doc.clone(),
                })
                .collect(),
            doc: m.doc.clone(),
        })
        .collect();
    Resource {
        name: r.name.value.clone(),
        rust_name: names::type_name(&r.name.value),
        doc: r.doc.clone(),
        source: source.to_owned(),
        path: r.path.value.clone(),
        segments,
        params,
        representations,
        methods,
    }
}
