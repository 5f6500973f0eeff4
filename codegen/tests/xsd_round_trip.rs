//! Issue 7: the exported XSD, imported again, describes the same wire format.
//!
//! The real schema folder is exported with [`codegen::export::xsd`] and the XSD is loaded alone, as
//! `schemas/em.xsd`, through [`codegen::load`]. For every structure, list and enumeration of the original IR,
//! the imported type with the same Rust name (or, when the XSD naming rule renames it, the one behind the same
//! document root) must have the same *wire shape*: root element, attributes (name, value type, use), elements
//! in wire order (name, occurrence, what they hold), enumeration values, list items and their aliases.
//! Everything XSD has no place for (JSON names, roles, `json-key`, docs, resources, ...) is not compared;
//! it is computed from the two IRs and printed as the list of ignored aspects.
//!
//! Since one emitter prints the model of both, an equal wire shape means the model generated from the XSD
//! decodes what the hand schema's model decodes. [`the_imported_xsd_covers_every_example_the_conformance_test_decodes`]
//! makes that explicit for the complete reference examples whose root the imported XSD declares: the root
//! maps to a type of the same wire shape as the hand schema's type for that root (the type
//! `generated/tests/conformance.rs` round-trips the example as).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::ir::{AltContent, Field, FieldKind, Ir, Occurs, StructType, TypeDef, TypeKind, ValueType};
use codegen::Source;

/// Display path of the exported XSD when it is loaded again (the module is `em`).
const XSD_PATH: &str = "schemas/em.xsd";

/// The hand schema's IR.
fn original() -> Ir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let sources = codegen::read_dir(&dir, "schemas").unwrap_or_else(|e| panic!("{e}"));
    codegen::load(&sources).unwrap_or_else(|d| panic!("{d}"))
}

/// The hand schema, its exported XSD, and the IR that XSD loads as (alone), with the warnings of the load.
struct RoundTrip {
    original: Ir,
    xsd: String,
    imported: Ir,
    warnings: Vec<String>,
}

fn round_trip() -> RoundTrip {
    let original = original();
    let xsd = codegen::export::xsd(&original);
    let source = Source { path: XSD_PATH.to_owned(), text: xsd.clone() };
    let (imported, warnings) = codegen::load_with_warnings(&[source]).unwrap_or_else(|d| panic!("{d}"));
    RoundTrip { original, xsd, imported, warnings: warnings.0.iter().map(ToString::to_string).collect() }
}

fn by_rust(ir: &Ir) -> BTreeMap<&str, &TypeDef> {
    ir.types().map(|t| (t.rust_name.as_str(), t)).collect()
}

fn root_of(t: &TypeDef) -> Option<&str> {
    match &t.kind {
        TypeKind::Struct(s) => s.root.as_deref(),
        TypeKind::List(l) => l.root.as_deref(),
        _ => None,
    }
}

/// Whether a type has a wire shape of its own (a choice is compared in place, inside its owner).
fn compared(t: &TypeDef) -> bool {
    !matches!(t.kind, TypeKind::Choice(_))
}

/// Original Rust name -> imported Rust name, for every compared type: the same name, else the imported type
/// behind the same document root (XSD naming rule 1 names a type used by one global element after it).
fn correspondence<'a>(original: &'a Ir, imported: &'a Ir) -> BTreeMap<&'a str, &'a str> {
    let imported_types = by_rust(imported);
    let imported_roots: BTreeMap<&str, &str> =
        imported.types().filter_map(|t| root_of(t).map(|r| (r, t.rust_name.as_str()))).collect();
    let mut map = BTreeMap::new();
    for t in original.types().filter(|t| compared(t)) {
        let same_name = imported_types.get(t.rust_name.as_str()).map(|i| i.rust_name.as_str());
        let same_root = root_of(t).and_then(|r| imported_roots.get(r).copied());
        let found = match (same_name, same_root) {
            // Prefer the type behind the same root: a same-named type could be another one.
            (_, Some(by_root)) => Some(by_root),
            (Some(by_name), None) => Some(by_name),
            (None, None) => None,
        };
        if let Some(found) = found {
            map.insert(t.rust_name.as_str(), found);
        }
    }
    map
}

/// How a type reference is written in a shape: imported names are translated back to original names, so two
/// shapes compare equal when they refer to corresponding types.
struct Names<'a> {
    /// Imported Rust name -> original Rust name (empty for the original side).
    back: BTreeMap<&'a str, &'a str>,
}

impl Names<'_> {
    fn ty(&self, rust: &str) -> String {
        self.back.get(rust).copied().unwrap_or(rust).to_owned()
    }

    /// The wire class of a simple value: `guid`, `uid` and `url` are text on the wire and `String` in Rust.
    fn value(&self, v: &ValueType) -> String {
        match v {
            ValueType::String | ValueType::Guid | ValueType::Uid | ValueType::Url => "string".to_owned(),
            ValueType::Enum(rust) => format!("enum {}", self.ty(rust)),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}

fn occurs(o: Occurs) -> &'static str {
    match o {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::Repeated => "repeated",
    }
}

/// The wire shape of a type, one line per fact; type references by original Rust name.
fn shape(t: &TypeDef, names: &Names<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    match &t.kind {
        TypeKind::Enum(e) => {
            lines.push("enum".to_owned());
            lines.extend(e.values.iter().map(|v| format!("value {:?}", v.wire)));
        }
        TypeKind::List(l) => {
            lines.push(format!("list root={:?}", l.root));
            let item = match &l.item_value {
                Some(v) => names.value(v),
                None => format!("type {}", names.ty(&l.item_type)),
            };
            lines.push(format!("item <{}> {item}", l.item_element));
            lines.extend(l.item_aliases.iter().map(|a| format!("item alias <{a}>")));
        }
        TypeKind::Struct(s) => {
            lines.push(format!("struct root={:?}", s.root));
            // Attributes are unordered on the wire.
            let mut attributes: Vec<String> = s
                .fields
                .iter()
                .filter_map(|f| match &f.kind {
                    FieldKind::Attribute { name, value } => {
                        Some(format!("attribute {name}: {} {}", names.value(value), occurs(f.occurs)))
                    }
                    _ => None,
                })
                .collect();
            attributes.sort();
            lines.extend(attributes);
            for f in &s.fields {
                if let FieldKind::Text { value } = &f.kind {
                    lines.push(format!("text: {}", names.value(value)));
                }
            }
            for f in s.elements_in_wire_order() {
                lines.push(element(f, names));
            }
        }
        TypeKind::Choice(_) => unreachable!("choices are compared in place"),
    }
    lines
}

fn element(f: &Field, names: &Names<'_>) -> String {
    let o = occurs(f.occurs);
    match &f.kind {
        FieldKind::Value { element, value } => format!("element <{element}> {o}: {}", names.value(value)),
        FieldKind::Child { element, ty } => format!("element <{element}> {o}: type {}", names.ty(ty)),
        FieldKind::List { element, list, item, item_value, .. } => {
            let item = match item_value {
                Some(v) => names.value(v),
                None => format!("type {}", names.ty(item)),
            };
            // The item element and aliases are the list type's, compared with that type.
            format!("element <{element}> {o}: list {} of {item}", names.ty(list))
        }
        FieldKind::Marker { element } => format!("element <{element}> {o}: marker"),
        FieldKind::Choice { alternatives, .. } => {
            let alternatives: Vec<String> = alternatives
                .iter()
                .map(|a| match &a.content {
                    AltContent::Value(v) => format!("<{}> {}", a.element, names.value(v)),
                    AltContent::Struct(ty) => format!("<{}> type {}", a.element, names.ty(ty)),
                    AltContent::Marker => format!("<{}> marker", a.element),
                })
                .collect();
            format!("choice {o}: {}", alternatives.join(" | "))
        }
        FieldKind::Attribute { .. } | FieldKind::Text { .. } => unreachable!("not an element"),
    }
}

/// The two IRs side by side: corresponding types and their wire shapes.
struct Comparison<'a> {
    rt: &'a RoundTrip,
    /// Original Rust name -> imported Rust name.
    map: BTreeMap<&'a str, &'a str>,
    /// Compared types without a counterpart in the import.
    missing: Vec<String>,
    /// Compared types whose wire shapes differ: name, hand schema's shape, imported shape.
    different: Vec<(String, Vec<String>, Vec<String>)>,
    /// Wire shape of every compared type of the hand schema that has a counterpart (equal or not).
    shapes: BTreeMap<&'a str, (Vec<String>, Vec<String>)>,
}

fn compare(rt: &RoundTrip) -> Comparison<'_> {
    let map = correspondence(&rt.original, &rt.imported);
    let original_names = Names { back: BTreeMap::new() };
    let imported_names = Names { back: map.iter().map(|(o, i)| (*i, *o)).collect() };
    let imported_types = by_rust(&rt.imported);
    let mut c =
        Comparison { rt, map: BTreeMap::new(), missing: Vec::new(), different: Vec::new(), shapes: BTreeMap::new() };
    for t in rt.original.types().filter(|t| compared(t)) {
        let Some(imported) = map.get(t.rust_name.as_str()) else {
            c.missing.push(t.rust_name.clone());
            continue;
        };
        let a = shape(t, &original_names);
        let b = shape(imported_types[imported], &imported_names);
        if a != b {
            c.different.push((t.rust_name.clone(), a.clone(), b.clone()));
        }
        c.shapes.insert(t.rust_name.as_str(), (a, b));
    }
    c.map = map;
    c
}

/// Aspects of the IR the XSD has no place for, computed by walking corresponding types and members: aspect
/// -> the places where the two IRs differ in it (`Type` or `Type.member`).
fn ignored_aspects(c: &Comparison<'_>) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut note = |aspect: &'static str, differs: bool, place: String| {
        if differs {
            out.entry(aspect).or_default().push(place);
        }
    };
    let (original, imported) = (&c.rt.original, &c.rt.imported);
    let imported_types = by_rust(imported);
    note(
        "resources (paths, methods, representations)",
        original.resources != imported.resources,
        format!("{} resources -> {}", original.resources.len(), imported.resources.len()),
    );
    note(
        "module split (one module per schema file)",
        original.modules.len() != imported.modules.len(),
        format!("{} modules -> {}", original.modules.len(), imported.modules.len()),
    );
    for (o_name, i_name) in &c.map {
        let o = original.types().find(|t| t.rust_name == *o_name).expect("original type");
        let i = imported_types[i_name];
        note(
            "Rust type name (XSD naming rule 1: a type behind one global element takes its name)",
            o_name != i_name,
            format!("{o_name} -> {i_name}"),
        );
        note("documentation", o.doc != i.doc, o_name.to_string());
        match (&o.kind, &i.kind) {
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for (x, y) in a.values.iter().zip(&b.values) {
                    let place = format!("{o_name}.{}", x.wire);
                    note("enum variant Rust name", x.rust_name != y.rust_name, place.clone());
                    note("documentation", x.doc != y.doc, place);
                }
            }
            (TypeKind::List(a), TypeKind::List(b)) => {
                note(
                    "list json-key",
                    a.json_key != b.json_key,
                    format!("{o_name}: {:?} -> {:?}", a.json_key, b.json_key),
                );
            }
            (TypeKind::Struct(a), TypeKind::Struct(b)) => struct_aspects(o_name, a, b, &mut note),
            _ => {}
        }
    }
    out
}

/// The key a member has on the wire: attribute name, element position, or the text.
fn wire_key(f: &Field) -> String {
    match &f.kind {
        FieldKind::Attribute { name, .. } => format!("@{name}"),
        FieldKind::Text { .. } => "text()".to_owned(),
        _ => format!("#{}", f.wire_index.unwrap_or_default()),
    }
}

fn struct_aspects(ty: &str, a: &StructType, b: &StructType, note: &mut impl FnMut(&'static str, bool, String)) {
    note("base types (the export is flat)", a.bases != b.bases, format!("{ty}: {:?} -> {:?}", a.bases, b.bases));
    note("links declared on the type", a.links != b.links, format!("{ty}: {} links", a.links.len()));
    let order = |s: &StructType| s.fields.iter().map(wire_key).collect::<Vec<_>>();
    note("Rust/JSON member order (own members first)", order(a) != order(b), ty.to_owned());
    let members: BTreeMap<String, &Field> = b.fields.iter().map(|f| (wire_key(f), f)).collect();
    for x in &a.fields {
        let Some(y) = members.get(&wire_key(x)) else { continue };
        let place = format!("{ty}.{}", x.rust_name);
        note("Rust member name", x.rust_name != y.rust_name, place.clone());
        note("JSON name", x.json_name != y.json_name, place.clone());
        note("JSON aliases", x.json_aliases != y.json_aliases, place.clone());
        note("role", x.role != y.role, place.clone());
        note("inherited from (the export is flat)", x.inherited_from != y.inherited_from, place.clone());
        note("documentation", x.doc != y.doc, place.clone());
        let class = |v: &ValueType| matches!(v, ValueType::Guid | ValueType::Uid | ValueType::Url);
        match (&x.kind, &y.kind) {
            (FieldKind::Attribute { value: v, .. }, FieldKind::Attribute { value: w, .. })
            | (FieldKind::Value { value: v, .. }, FieldKind::Value { value: w, .. })
            | (FieldKind::Text { value: v }, FieldKind::Text { value: w }) => {
                note(
                    "guid/uid/url (text on the wire, String in Rust; exported as xs:string)",
                    class(v) && v != w,
                    place,
                );
            }
            (FieldKind::List { json: j, .. }, FieldKind::List { json: k, .. }) => {
                note("json-key of one use of a list", j != k, place);
            }
            (FieldKind::Choice { choice: m, alternatives: p }, FieldKind::Choice { choice: n, alternatives: q }) => {
                note("choice Rust name (XSD: alternatives joined by `Or`)", m != n, format!("{place}: {m} -> {n}"));
                for (alt, other) in p.iter().zip(q) {
                    let place = format!("{place}.{}", alt.element);
                    note("choice alternative Rust name", alt.rust_name != other.rust_name, place.clone());
                    note("JSON name", alt.json_name != other.json_name, place.clone());
                    note("documentation", alt.doc != other.doc, place);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_exported_xsd_imports_with_the_same_wire_shape() {
    let rt = round_trip();
    assert!(rt.warnings.is_empty(), "importing the export warns: {:#?}", rt.warnings);
    let c = compare(&rt);
    eprintln!("exported XSD: {} bytes, imported as {} types", rt.xsd.len(), rt.imported.types().count());
    for t in rt.original.types().filter(|t| compared(t)) {
        let name = t.rust_name.as_str();
        let status = match (c.map.get(name), c.shapes.get(name)) {
            (None, _) | (_, None) => "MISSING in the import".to_owned(),
            (Some(i), Some((a, b))) => {
                let verdict = if a == b { "equal" } else { "DIFFERENT" };
                let renamed = if *i == name { String::new() } else { format!(" (imported as {i})") };
                format!("{verdict}, {} wire facts{renamed}", a.len())
            }
        };
        eprintln!("  {name:<32} {status}");
    }
    for (name, a, b) in &c.different {
        eprintln!("{name}:\n  hand schema: {a:#?}\n  imported:    {b:#?}");
    }
    // Types of the import that correspond to nothing (besides the choices, compared in place).
    let matched: BTreeSet<&str> = c.map.values().copied().collect();
    let extra: Vec<&str> = rt
        .imported
        .types()
        .filter(|t| compared(t) && !matched.contains(t.rust_name.as_str()))
        .map(|t| t.rust_name.as_str())
        .collect();
    let aspects = ignored_aspects(&c);
    eprintln!("ignored aspects (XSD has no place for them), with the number of places that differ:");
    for (aspect, places) in &aspects {
        let shown: Vec<&str> = places.iter().take(4).map(String::as_str).collect();
        let more = if places.len() > shown.len() { ", ..." } else { "" };
        eprintln!("  {aspect}: {} ({}{more})", places.len(), shown.join(", "));
    }
    let compared_count = rt.original.types().filter(|t| compared(t)).count();
    eprintln!(
        "types compared: {compared_count}, equal wire shape: {}, different: {}, missing: {}, extra in the import: {}",
        c.shapes.values().filter(|(a, b)| a == b).count(),
        c.different.len(),
        c.missing.len(),
        extra.len()
    );
    assert!(c.missing.is_empty(), "types missing from the import: {:?}", c.missing);
    assert!(extra.is_empty(), "types of the import that correspond to no type of the hand schema: {extra:?}");
    let different: Vec<&str> = c.different.iter().map(|(n, _, _)| n.as_str()).collect();
    assert!(different.is_empty(), "wire shapes differ: {different:?}");
    // Every difference between the IRs is wire-neutral: it is one of the computed ignored aspects, or it
    // would have shown in a wire shape above.
}

fn examples_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/examples");
    assert!(dir.is_dir(), "reference examples not found at {}", dir.display());
    dir
}

/// The root element of every complete example document (`*.xml` directly in the folder), sorted by file.
fn complete_examples() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, doc.root_element().tag_name().name().to_owned())
        })
        .collect()
}

fn roots(ir: &Ir) -> BTreeMap<&str, &str> {
    ir.types().filter_map(|t| root_of(t).map(|r| (r, t.rust_name.as_str()))).collect()
}

#[test]
fn the_imported_xsd_covers_every_example_the_conformance_test_decodes() {
    let rt = round_trip();
    let c = compare(&rt);
    let hand_roots = roots(&rt.original);
    let imported_roots = roots(&rt.imported);
    assert_eq!(
        hand_roots.keys().collect::<Vec<_>>(),
        imported_roots.keys().collect::<Vec<_>>(),
        "the import declares other document roots than the hand schema"
    );
    let examples = complete_examples();
    let mut covered = 0;
    let mut failures = Vec::new();
    for (file, root) in &examples {
        let Some(imported) = imported_roots.get(root.as_str()) else {
            eprintln!("  {file:<56} <{root}>: no root of the import (nor of the hand schema)");
            continue;
        };
        // The type `generated/tests/conformance.rs` decodes the example as: the hand schema's type of the root.
        let Some(hand) = hand_roots.get(root.as_str()) else {
            failures.push(format!("{file}: <{root}> is a root of the import only"));
            continue;
        };
        let same_type = c.map.get(hand) == Some(imported);
        let equal = c.shapes.get(hand).is_some_and(|(a, b)| a == b);
        eprintln!(
            "  {file:<56} <{root}>: {hand} / imported {imported}: {}",
            if equal { "equal wire shape" } else { "DIFFERENT" }
        );
        if same_type && equal {
            covered += 1;
        } else {
            failures.push(format!("{file}: <{root}> is {hand} in the hand schema and {imported} in the import"));
        }
    }
    eprintln!(
        "roots declared by the import: {}; complete examples: {}; covered (root declared, same wire shape): {covered}",
        imported_roots.len(),
        examples.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(covered > 0, "no complete example has a root the import declares");
}

#[test]
fn the_imported_xsd_generates_code() {
    let rt = round_trip();
    let files = codegen::output::crate_files(&rt.imported).unwrap_or_else(|e| panic!("{e}"));
    assert!(files.iter().any(|f| f.path.ends_with("model/mod.rs")), "no model/mod.rs among the generated files");
    let single = codegen::output::single_file(&rt.imported, XSD_PATH, "::veeam_em::runtime", "test")
        .unwrap_or_else(|e| panic!("{e}"));
    // Every type of the import is in the model.
    for t in rt.imported.types() {
        assert!(single.contains(&format!(" {} ", t.rust_name)), "{} is not in the generated model", t.rust_name);
    }
    eprintln!(
        "generated from the import: {} files of the crate layout, {} bytes in the single-file layout",
        files.len(),
        single.len()
    );
}
