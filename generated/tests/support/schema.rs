//! The schema as the tests see it: `schemas/*.xml` loaded with the generator library (`codegen::load`, as
//! `cargo xtask codegen` does), the document roots it declares, EM's JSON form of every type, and where the
//! hand-written test documents live. Nothing here names a generated type, so a new root or field needs no
//! edit of the tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::ir::{AltContent, Field, FieldKind, Ir, ListType, Occurs, StructType, TypeDef, TypeKind, ValueType};
use serde_json::Value;

/// The IR of `schemas/*.xml`, loaded once.
pub fn ir() -> &'static Ir {
    static IR: OnceLock<Ir> = OnceLock::new();
    IR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let sources = codegen::read_dir(&dir, "schemas").unwrap_or_else(|e| panic!("{e}"));
        assert!(!sources.is_empty(), "no schema files in {}", dir.display());
        codegen::load(&sources).unwrap_or_else(|d| panic!("the schema does not load:\n{d}"))
    })
}

/// A document root of the schema.
#[derive(Clone, Debug)]
pub struct Root {
    /// The root element name (`VmReplicaPoints`).
    pub element: String,
    /// The Rust name of its type (`VmReplicaPointList`), which is how the IR names types.
    pub ty: String,
}

/// Every document root, in schema order.
pub fn roots() -> Vec<Root> {
    ir().types()
        .filter_map(|t| {
            let element = match &t.kind {
                TypeKind::Struct(s) => s.root.clone(),
                TypeKind::List(l) => l.root.clone(),
                _ => None,
            }?;
            Some(Root { element, ty: t.rust_name.clone() })
        })
        .collect()
}

/// The type of a root element.
pub fn root_type(element: &str) -> Option<String> {
    roots().into_iter().find(|r| r.element == element).map(|r| r.ty)
}

/// A named type by its Rust name.
pub fn type_def(rust_name: &str) -> Option<&'static TypeDef> {
    static TYPES: OnceLock<BTreeMap<&'static str, &'static TypeDef>> = OnceLock::new();
    TYPES.get_or_init(|| ir().types().map(|t| (t.rust_name.as_str(), t)).collect()).get(rust_name).copied()
}

/// The structure or list a type name stands for (enums and choices have no fields of their own).
pub enum Shape {
    Struct(&'static StructType),
    List(&'static ListType),
}

pub fn shape(rust_name: &str) -> Option<Shape> {
    match &type_def(rust_name)?.kind {
        TypeKind::Struct(s) => Some(Shape::Struct(s)),
        TypeKind::List(l) => Some(Shape::List(l)),
        _ => None,
    }
}

/// The JSON property names of a field: one for a plain field, one per alternative for a choice.
pub fn json_names(field: &Field) -> Vec<&str> {
    match &field.kind {
        FieldKind::Choice { alternatives, .. } => alternatives.iter().map(|a| a.json_name.as_str()).collect(),
        _ => field.json_name.as_deref().into_iter().collect(),
    }
}

// ---------------------------------------------------------------------------------------------------------
// EM's JSON form

/// How closely a JSON value must follow the schema's JSON form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Json {
    /// What the bindings write: every field present under its JSON name (absent ones `null`), lists as
    /// bare arrays or `{"<json-key>": [...]}`, markers `{}`, one key per chosen alternative, a required
    /// choice chosen, nothing else.
    Written,
    /// What a reader accepts: fields may be left out, accepted aliases count, `null` stands for anything
    /// that is not required. Used to tell which type an example body of unknown type is.
    Accepted,
}

/// Checks that `value` is EM's JSON form of a value of the named type (`ty` is a Rust type name).
pub fn check_json(ty: &str, value: &Value, path: &str, mode: Json) -> Result<(), String> {
    match shape(ty) {
        Some(Shape::List(list)) => check_list(ty, list, list.json_key.as_deref(), value, path, mode),
        Some(Shape::Struct(s)) => check_struct(ty, s, value, path, mode),
        None => match &type_def(ty).map(|t| &t.kind) {
            Some(TypeKind::Enum(_)) => check_value(&ValueType::Enum(ty.to_owned()), value, path),
            _ => Err(format!("{path}: schema type {ty} is unknown to this test")),
        },
    }
}

fn check_list(
    ty: &str,
    list: &ListType,
    key: Option<&str>,
    value: &Value,
    path: &str,
    mode: Json,
) -> Result<(), String> {
    let items = match key {
        None => value,
        Some(key) => {
            let object = value.as_object().ok_or_else(|| format!("{path}: {ty} must be {{\"{key}\": [...]}}"))?;
            if object.len() != 1 || !object.contains_key(key) {
                let keys: Vec<&String> = object.keys().collect();
                return Err(format!("{path}: {ty} must be an object with the one key `{key}`, has {keys:?}"));
            }
            &object[key]
        }
    };
    let items = items.as_array().ok_or_else(|| format!("{path}: {ty} items must be an array"))?;
    items.iter().enumerate().try_for_each(|(i, item)| {
        let here = format!("{path}[{i}]");
        match type_def(&list.item_type) {
            Some(_) => check_json(&list.item_type, item, &here, mode),
            // A list of simple values: the IR names no type for its items.
            None => check_scalar(item, &here),
        }
    })
}

fn check_struct(ty: &str, s: &StructType, value: &Value, path: &str, mode: Json) -> Result<(), String> {
    let object = value.as_object().ok_or_else(|| format!("{path}: {ty} must be a JSON object, is {value}"))?;
    for field in &s.fields {
        if let FieldKind::Choice { choice, alternatives } = &field.kind {
            let mut chosen: Option<&str> = None;
            for alternative in alternatives {
                let Some(member) = object.get(&alternative.json_name) else { continue };
                let here = format!("{path}.{}", alternative.json_name);
                if let Some(other) = chosen.replace(&alternative.json_name) {
                    return Err(format!("{here}: a second alternative of choice {choice} (after {other})"));
                }
                match (&alternative.content, member) {
                    (_, Value::Null) if mode == Json::Accepted => {}
                    (AltContent::Value(v), _) => check_value(v, member, &here)?,
                    (AltContent::Struct(t), _) => check_json(t, member, &here, mode)?,
                    (AltContent::Marker, _) => check_marker(member, &here)?,
                }
            }
            if chosen.is_none() && field.occurs == Occurs::Required && mode == Json::Written {
                return Err(format!("{path}: none of the alternatives of the required choice {choice}"));
            }
            continue;
        }
        let Some(name) = &field.json_name else { continue };
        let here = format!("{path}.{name}");
        let alias = field.json_aliases.iter().find(|a| mode == Json::Accepted && object.contains_key(*a));
        let member = match object.get(name).or_else(|| alias.and_then(|a| object.get(a))) {
            None if mode == Json::Accepted => continue,
            None => return Err(format!("{here}: missing (absent values must be written as null)")),
            Some(member) => member,
        };
        match member {
            Value::Null if field.occurs == Occurs::Required => return Err(format!("{here}: required, but null")),
            Value::Null => {}
            _ if field.occurs == Occurs::Repeated => {
                let items = member.as_array().ok_or_else(|| format!("{here}: repeated element must be an array"))?;
                for (i, item) in items.iter().enumerate() {
                    check_field_value(field, item, &format!("{here}[{i}]"), mode)?;
                }
            }
            _ => check_field_value(field, member, &here, mode)?,
        }
    }
    let known = |key: &str| {
        s.fields.iter().any(|f| {
            json_names(f).contains(&key) || (mode == Json::Accepted && f.json_aliases.iter().any(|a| a == key))
        })
    };
    if let Some(key) = object.keys().find(|key| !known(key)) {
        return Err(format!("{path}.{key}: not a field of {ty} (XML artifact?)"));
    }
    Ok(())
}

/// One value of a (non-choice) field.
fn check_field_value(field: &Field, value: &Value, path: &str, mode: Json) -> Result<(), String> {
    match &field.kind {
        FieldKind::Attribute { value: v, .. } | FieldKind::Value { value: v, .. } | FieldKind::Text { value: v } => {
            check_value(v, value, path)
        }
        FieldKind::Child { ty, .. } => check_json(ty, value, path, mode),
        FieldKind::List { list, json, .. } => {
            let Some(Shape::List(def)) = shape(list) else { return Err(format!("{path}: {list} is not a list")) };
            // A use of the list may give it another JSON form than the list type's own.
            let key = match json {
                Some(json) => json.key.as_deref(),
                None => def.json_key.as_deref(),
            };
            check_list(list, def, key, value, path, mode)
        }
        FieldKind::Marker { .. } => check_marker(value, path),
        FieldKind::Choice { .. } => Ok(()),
    }
}

fn check_marker(value: &Value, path: &str) -> Result<(), String> {
    if value.as_object().is_some_and(serde_json::Map::is_empty) {
        Ok(())
    } else {
        Err(format!("{path}: {value} is not the JSON form of a marker ({{}})"))
    }
}

fn check_value(ty: &ValueType, value: &Value, path: &str) -> Result<(), String> {
    let ok = match ty {
        ValueType::Boolean => value.is_boolean(),
        ValueType::Int | ValueType::Long | ValueType::UnsignedShort => value.is_i64() || value.is_u64(),
        ValueType::String
        | ValueType::DateTime
        | ValueType::Guid
        | ValueType::Uid
        | ValueType::Url
        | ValueType::Enum(_) => value.is_string(),
        // A simple type this check does not know yet: any scalar.
        #[allow(unreachable_patterns)]
        _ => return check_scalar(value, path),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{path}: {value} is not the JSON form of {ty:?}"))
    }
}

/// A simple value of some kind: a string, a number or a boolean.
fn check_scalar(value: &Value, path: &str) -> Result<(), String> {
    if value.is_string() || value.is_number() || value.is_boolean() {
        Ok(())
    } else {
        Err(format!("{path}: {value} is not the JSON form of a simple value"))
    }
}

/// The roots whose JSON form an example body of unknown type fits best: every member is a field of the
/// type (recursively, [`Json::Accepted`]), at least one is, and the type leaves the fewest of its own
/// top-level fields out. Several roots when they fit equally well; none when no root fits.
pub fn best_json_roots(value: &Value) -> Vec<Root> {
    let mut scored: Vec<(usize, Root)> = roots()
        .into_iter()
        .filter(|root| check_json(&root.ty, value, "$", Json::Accepted).is_ok())
        .filter_map(|root| {
            let left_out = match shape(&root.ty)? {
                Shape::Struct(s) => {
                    let object = value.as_object()?;
                    let filled = |f: &Field| json_names(f).iter().any(|n| object.contains_key(*n));
                    if !s.fields.iter().any(filled) {
                        return None;
                    }
                    s.fields.iter().filter(|f| !filled(f)).count()
                }
                Shape::List(_) => 0,
            };
            Some((left_out, root))
        })
        .collect();
    let best = scored.iter().map(|(n, _)| *n).min();
    scored.retain(|(n, _)| Some(*n) == best);
    scored.into_iter().map(|(_, root)| root).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Hand-written documents

/// `tests/fixtures/`: invented, EM-shaped documents named `<Root>[.<variant>][.tolerant].xml`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The file names in `tests/fixtures/`, sorted.
pub fn fixture_names() -> Vec<String> {
    let dir = fixtures_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display())))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The root element a fixture's name announces (the part before the first dot).
pub fn fixture_root(name: &str) -> &str {
    name.split('.').next().unwrap_or_default()
}
