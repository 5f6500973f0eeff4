//! Conformance of the bindings against the example bodies of the EM REST API documentation.
//!
//! The corpus is `shared/reference/examples/` next to the workspace (read-only reference data; its
//! `README.md` says what each folder holds). CI always has it, so a missing directory fails the suite
//! instead of skipping it. "Conformance" means here:
//!
//! The document roots, and which type a JSON body is, come from the schema (`schemas/*.xml`, loaded with the
//! generator library, see `support/schema.rs`): no table here names a root or a type, so a new root needs
//! no edit of this file, and whatever examples exist for it are checked.
//!
//! * **Round trip** (`*.xml` directly in the folder): every complete document whose root element is a root
//!   of the schema decodes, and `to_xml()` gives an *equivalent* document: the same elements
//!   (local name and namespace URI) in the same order, the same attributes (namespace and local name,
//!   any order; namespace declarations do not count) with the same values, and the same text in leaf
//!   elements, exactly. Namespace prefixes, the XML declaration, comments and whitespace-only text
//!   between elements do not count; any other text in mixed content does. The comparison is full in
//!   both directions, so content the schema does not model (and the decoder therefore drops) shows up
//!   as a difference. Decoding the re-encoding gives the same value again, both have the same JSON
//!   form, and that JSON deserializes (`Document::from_json` with the root's name) as the same value the
//!   XML decoder produces. Every root that some complete example uses must pass with at least one of them.
//! * **Rejected** (`not-well-formed/`, `truncated/`): every body is an `Err` with a 1-based line and
//!   column and a non-empty message, never `Ok` and never a panic.
//! * **Elided** (`elided/`): decoding does not panic; either outcome is accepted and printed.
//! * **JSON** (`*.json` directly in the folder): each example is read as the root of its XML twin when the
//!   folder has one (`x.json` beside `x.xml`), else as the root(s) of the schema whose JSON form it fits
//!   best (every member a field, recursively; fewest fields left out). It deserializes, serializes back to
//!   the same JSON (`null` members count as absent), and agrees with its XML twin where there is one. A body
//!   that fits no root (or whose twin's root is not one) is listed as not checked.
//! * **Coverage** ([`every_root_is_covered`]): a summary of what covers each root of the schema: complete
//!   examples, fixtures (`tests/fixtures/`, see `models.rs`), or only the property tests (`properties.rs`,
//!   which draw documents of every root). Printed, not a failure.
//!
//! A file that does not conform for a known reason is listed in [`KNOWN_GAPS`] with the reason; its
//! failure is printed instead of failing the suite. The list is checked: an entry whose file conforms
//! now, or that no test checks, fails the suite, so the list cannot go stale.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use support::compare_documents;
use support::schema::{self, Root};
use veeam_em::model::Document;

mod support;

/// Example files that do not conform yet: (path relative to the examples folder, reason).
///
/// Each entry must still fail the test that checks it; remove it as soon as the file conforms.
const KNOWN_GAPS: &[(&str, &str)] = &[(
    "resource_representation_for_ke.job-entity.json",
    "the page's JSON is not the job of its XML twin: schedule times are date-times with other offsets, and \
     JobScheduleOptions has an empty Href the XML lacks",
)];

#[test]
fn complete_documents_round_trip() {
    let dir = examples_dir();
    let schema_roots = schema_roots();
    let mut outcomes = Vec::new();
    let mut out_of_scope = Vec::new();
    let mut roots_of: BTreeMap<String, String> = BTreeMap::new();
    for path in files_in(&dir, Some("xml")) {
        let name = relative(&dir, &path);
        let text = read(&path);
        let root = match root_element(&text) {
            Ok(root) => root,
            Err(err) => {
                outcomes.push((name, Err(format!("reference file is not well-formed XML: {err}"))));
                continue;
            }
        };
        if !schema_roots.contains(&root) {
            out_of_scope.push(format!("{name} <{root}>"));
            continue;
        }
        roots_of.insert(name.clone(), root);
        outcomes.push((name, guarded(|| check_round_trip(&text))));
    }

    eprintln!(
        "round trip: {} in-scope documents checked, {} out of scope (root not in the schema):",
        outcomes.len(),
        out_of_scope.len()
    );
    for file in &out_of_scope {
        eprintln!("  out of scope: {file}");
    }
    settle(Suite::RoundTrip, &outcomes);

    // Every root some complete example uses must pass with one of them; a root counts as covered only by
    // a file that passed (known gaps do not count).
    let used: BTreeSet<&str> = roots_of.values().map(String::as_str).collect();
    let covered: BTreeSet<&str> = outcomes
        .iter()
        .filter(|(_, outcome)| outcome.is_ok())
        .filter_map(|(file, _)| roots_of.get(file).map(String::as_str))
        .collect();
    eprintln!(
        "round trip: {} of the {} roots of the schema covered by a passing complete example: {}",
        covered.len(),
        schema_roots.len(),
        covered.iter().copied().collect::<Vec<_>>().join(", ")
    );
    let missing: Vec<&str> = used.difference(&covered).copied().collect();
    assert!(
        missing.is_empty(),
        "roots that complete examples use, none of which passes (files in KNOWN_GAPS do not count): {}",
        missing.join(", ")
    );
}

#[test]
fn malformed_documents_are_rejected() {
    let dir = examples_dir();
    let mut outcomes = Vec::new();
    for folder in ["not-well-formed", "truncated"] {
        let sub = dir.join(folder);
        assert!(sub.is_dir(), "examples folder {} is missing", sub.display());
        for path in files_in(&sub, None) {
            let text = read(&path);
            outcomes.push((relative(&dir, &path), guarded(|| check_rejected(&text))));
        }
    }
    assert!(!outcomes.is_empty(), "no files under not-well-formed/ or truncated/");
    eprintln!("rejected: {} malformed or truncated bodies checked", outcomes.len());
    settle(Suite::Rejected, &outcomes);
}

#[test]
fn elided_documents_do_not_panic() {
    let dir = examples_dir();
    let sub = dir.join("elided");
    assert!(sub.is_dir(), "examples folder {} is missing", sub.display());
    let mut outcomes = Vec::new();
    for path in files_in(&sub, None) {
        let text = read(&path);
        let outcome = guarded(|| {
            Ok(match Document::from_xml(&text) {
                Ok(doc) => format!("decoded as <{}>", doc.root()),
                Err(err) => format!("rejected: {err}"),
            })
        });
        outcomes.push((relative(&dir, &path), outcome));
    }
    assert!(!outcomes.is_empty(), "no files under elided/");
    eprintln!("elided: {} bodies checked", outcomes.len());
    settle(Suite::Elided, &outcomes);
}

#[test]
fn json_examples_round_trip() {
    let dir = examples_dir();
    let mut outcomes = Vec::new();
    let mut unchecked = Vec::new();
    for path in files_in(&dir, Some("json")) {
        let name = relative(&dir, &path);
        let text = read(&path);
        // The XML twin of the same example, when the top folder has one.
        let twin_path = path.with_extension("xml");
        let twin = twin_path.is_file().then(|| read(&twin_path));
        match json_roots(&text, twin.as_deref()) {
            Err(err) => outcomes.push((name, Err(err))),
            Ok(JsonType::Unknown(why)) => unchecked.push(format!("{name}: {why}")),
            Ok(JsonType::Roots(roots, how)) => {
                let outcome = guarded(|| check_json_as(&roots, how, &text, twin.as_deref()));
                outcomes.push((name, outcome));
            }
        }
    }
    eprintln!("json: {} examples checked, {} without a model type:", outcomes.len(), unchecked.len());
    for file in &unchecked {
        eprintln!("  not checked: {file}");
    }
    settle(Suite::Json, &outcomes);
}

/// What every root of the schema is covered by, as a summary. Roots without an example or a fixture are
/// covered by the property tests only (`properties.rs` draws documents of every root); that is reported,
/// not a failure.
#[test]
fn every_root_is_covered() {
    let roots = schema::roots();
    let schema_roots: BTreeSet<&str> = roots.iter().map(|r| r.element.as_str()).collect();
    let document_roots: BTreeSet<&str> = Document::ROOTS.iter().copied().collect();
    assert_eq!(schema_roots, document_roots, "the schema's roots and Document::ROOTS differ (regenerate?)");

    let dir = examples_dir();
    let mut examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in files_in(&dir, Some("xml")) {
        if let Ok(root) = root_element(&read(&path)) {
            examples.entry(root).or_default().push(relative(&dir, &path));
        }
    }
    for path in files_in(&dir, Some("json")) {
        let twin_path = path.with_extension("xml");
        let twin = twin_path.is_file().then(|| read(&twin_path));
        if let Ok(JsonType::Roots(json_roots, _)) = json_roots(&read(&path), twin.as_deref()) {
            for root in json_roots {
                examples.entry(root.element).or_default().push(relative(&dir, &path));
            }
        }
    }
    let mut fixtures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let fixture_names = schema::fixture_names();
    for name in &fixture_names {
        fixtures.entry(schema::fixture_root(name)).or_default().push(name.clone());
    }

    let (mut by_examples, mut by_fixtures, mut by_properties_only) = (Vec::new(), Vec::new(), Vec::new());
    eprintln!("coverage of the {} roots of the schema:", roots.len());
    for root in &roots {
        let element = root.element.as_str();
        let (ex, fx) = (examples.get(element), fixtures.get(element));
        let list = |files: Option<&Vec<String>>| files.map_or_else(|| "none".to_owned(), |f| f.join(", "));
        eprintln!("  <{element}> ({}): examples: {}; fixtures: {}", root.ty, list(ex), list(fx));
        if ex.is_some() {
            by_examples.push(element);
        }
        if fx.is_some() {
            by_fixtures.push(element);
        }
        if ex.is_none() && fx.is_none() {
            by_properties_only.push(element);
        }
    }
    eprintln!("roots covered by reference examples (XML or JSON): {}", by_examples.len());
    eprintln!("roots covered by fixtures: {}", by_fixtures.len());
    eprintln!(
        "roots covered only by property tests: {}{}",
        by_properties_only.len(),
        if by_properties_only.is_empty() { String::new() } else { format!(": {}", by_properties_only.join(", ")) }
    );
}

#[test]
fn known_gaps_are_well_formed() {
    let dir = examples_dir();
    let mut seen = BTreeSet::new();
    for (file, reason) in KNOWN_GAPS {
        assert!(seen.insert(*file), "KNOWN_GAPS lists {file} twice");
        assert!(!reason.trim().is_empty(), "KNOWN_GAPS entry {file} gives no reason");
        assert!(Suite::of(file).is_some(), "KNOWN_GAPS entry {file} is in no folder a test checks");
        assert!(dir.join(file).is_file(), "KNOWN_GAPS entry {file} names no example file");
    }
}

// ---------------------------------------------------------------------------------------------------
// Checks

/// Decode, re-encode, compare the trees, then check idempotence and the JSON form.
fn check_round_trip(text: &str) -> Result<String, String> {
    let doc = Document::from_xml(text).map_err(|err| format!("does not decode: {err}"))?;
    let encoded = doc.to_xml();

    let original = roxmltree::Document::parse(text).map_err(|err| format!("not well-formed: {err}"))?;
    let root = original.root_element().tag_name().name();
    if doc.root() != root {
        return Err(format!("<{root}> decoded as a <{}> document", doc.root()));
    }
    compare_documents(text, &encoded)
        .map_err(|diff| format!("re-encoding differs: {diff}\n  re-encoded: {encoded}"))?;

    let again = Document::from_xml(&encoded)
        .map_err(|err| format!("re-encoding does not decode: {err}\n  re-encoded: {encoded}"))?;
    if again != doc {
        return Err(format!("decode(to_xml(x)) != x\n  first:  {doc:?}\n  second: {again:?}"));
    }

    let json = to_json(&doc)?;
    if let Some(diff) = json_diff(&json, &to_json(&again)?, "$") {
        return Err(format!("JSON of decode(to_xml(x)) differs from JSON of x: {diff}"));
    }
    // The JSON form deserializes, as the document type of its root, into the value the XML decoder gives.
    let from_json = match Document::from_json(doc.root(), &json.to_string()) {
        None => return Err(format!("Document::from_json does not know the root <{}>", doc.root())),
        Some(Err(err)) => return Err(format!("its own JSON does not deserialize: {err}\n  json: {json}")),
        Some(Ok(value)) => value,
    };
    if from_json != doc {
        return Err(format!("JSON round trip changes the value\n  from XML:  {doc:?}\n  from JSON: {from_json:?}"));
    }
    Ok(String::new())
}

/// The decoder must refuse the body with a positioned, non-empty error.
fn check_rejected(text: &str) -> Result<String, String> {
    let err = match Document::from_xml(text) {
        Ok(doc) => return Err(format!("decoded as <{}> instead of failing", doc.root())),
        Err(err) => err,
    };
    if err.line() < 1 || err.column() < 1 {
        return Err(format!("error position {}:{} is not 1-based: {err}", err.line(), err.column()));
    }
    if err.kind().to_string().trim().is_empty() {
        return Err(format!("error has an empty message: {err:?}"));
    }
    let shown = err.to_string();
    let prefix = format!("{}:{}: ", err.line(), err.column());
    if !shown.starts_with(&prefix) {
        return Err(format!("Display does not start with `LINE:COL: `: {shown}"));
    }
    Ok(shown)
}

/// What type a JSON example is read as.
enum JsonType {
    /// These roots, and how they were found.
    Roots(Vec<Root>, &'static str),
    /// None: why not.
    Unknown(String),
}

/// The roots a JSON example is read as: its XML twin's root when it has a twin, else the roots of the schema
/// whose JSON form it fits best. An error when the file is not JSON.
fn json_roots(text: &str, xml_twin: Option<&str>) -> Result<JsonType, String> {
    let value: Value = serde_json::from_str(text).map_err(|err| format!("reference file is not JSON: {err}"))?;
    let Some(twin) = xml_twin else {
        let roots = schema::best_json_roots(&value);
        return Ok(if roots.is_empty() {
            JsonType::Unknown("fits the JSON form of no root of the schema".to_owned())
        } else {
            JsonType::Roots(roots, "fits its JSON form")
        });
    };
    let root = match root_element(twin) {
        Ok(root) => root,
        Err(err) => return Ok(JsonType::Unknown(format!("its XML twin is not well-formed: {err}"))),
    };
    Ok(match schema::root_type(&root) {
        Some(ty) => JsonType::Roots(vec![Root { element: root, ty }], "the root of its XML twin"),
        None => JsonType::Unknown(format!("its XML twin's root <{root}> is not a root of the schema")),
    })
}

/// Checks a JSON example as each of `roots`; the note says what it was read as.
fn check_json_as(roots: &[Root], how: &str, text: &str, xml_twin: Option<&str>) -> Result<String, String> {
    let mut notes = Vec::new();
    for root in roots {
        let note = check_json(&root.element, text, xml_twin).map_err(|err| format!("as <{}>: {err}", root.element))?;
        notes.push(format!("<{}> ({how}){note}", root.element));
    }
    Ok(format!("read as {}", notes.join(", ")))
}

/// The JSON deserializes as the document type of `root`, serializes back to the same JSON, and matches the
/// XML twin.
fn check_json(root: &str, text: &str, xml_twin: Option<&str>) -> Result<String, String> {
    let original: Value = serde_json::from_str(text).map_err(|err| format!("reference file is not JSON: {err}"))?;
    let value = match Document::from_json(root, text) {
        None => return Err(format!("Document::from_json does not know the root <{root}>")),
        Some(Err(err)) => return Err(format!("does not deserialize: {err}")),
        Some(Ok(value)) => value,
    };
    let back = to_json(&value)?;
    if let Some(diff) = json_diff(&strip_nulls(&original), &strip_nulls(&back), "$") {
        return Err(format!("serializes back differently: {diff}\n  serialized: {back}"));
    }
    let Some(xml) = xml_twin else { return Ok(String::new()) };
    let from_xml = Document::from_xml(xml).map_err(|err| format!("XML twin does not decode: {err}"))?;
    if from_xml != value {
        return Err(format!("XML twin decodes differently\n  from JSON: {value:?}\n  from XML:  {from_xml:?}"));
    }
    Ok(", agrees with its XML twin".to_owned())
}

// ---------------------------------------------------------------------------------------------------
// Known gaps

/// Which test checks a file, by where it lives in the examples folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Suite {
    RoundTrip,
    Rejected,
    Elided,
    Json,
}

impl Suite {
    fn of(file: &str) -> Option<Suite> {
        match file.split_once('/') {
            Some(("not-well-formed" | "truncated", _)) => Some(Suite::Rejected),
            Some(("elided", _)) => Some(Suite::Elided),
            Some(_) => None,
            None if file.ends_with(".xml") => Some(Suite::RoundTrip),
            None if file.ends_with(".json") => Some(Suite::Json),
            None => None,
        }
    }
}

fn known_gap(file: &str) -> Option<&'static str> {
    KNOWN_GAPS.iter().find(|(gap, _)| *gap == file).map(|(_, reason)| *reason)
}

/// Prints every outcome and fails on unexpected failures and on stale `KNOWN_GAPS` entries.
fn settle(suite: Suite, outcomes: &[(String, Result<String, String>)]) {
    let mut problems = Vec::new();
    for (file, outcome) in outcomes {
        match (outcome, known_gap(file)) {
            (Ok(note), None) if note.is_empty() => eprintln!("  ok    {file}"),
            (Ok(note), None) => eprintln!("  ok    {file}: {note}"),
            (Ok(_), Some(reason)) => {
                problems.push(format!("{file}: listed in KNOWN_GAPS ({reason}) but conforms now; remove the entry"))
            }
            (Err(err), Some(reason)) => eprintln!("  GAP   {file} [{reason}]: {err}"),
            (Err(err), None) => {
                eprintln!("  FAIL  {file}: {err}");
                problems.push(format!("{file}: {err}"));
            }
        }
    }
    for (file, _) in KNOWN_GAPS.iter().filter(|(file, _)| Suite::of(file) == Some(suite)) {
        if !outcomes.iter().any(|(checked, _)| checked == file) {
            problems.push(format!("{file}: listed in KNOWN_GAPS but this test does not check it; remove the entry"));
        }
    }
    assert!(problems.is_empty(), "{suite:?}: {} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Runs a check, turning a panic into a failure.
fn guarded(check: impl FnOnce() -> Result<String, String>) -> Result<String, String> {
    panic::catch_unwind(AssertUnwindSafe(check)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string payload".to_owned());
        Err(format!("panicked: {message}"))
    })
}

// ---------------------------------------------------------------------------------------------------
// JSON helpers

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|err| format!("does not serialize to JSON: {err}"))
}

/// Removes object members whose value is `null`, recursively (`null` and absent mean the same in EM JSON).
fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), strip_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// The first difference between two JSON values, with its path, or `None` if they are equal.
fn json_diff(expected: &Value, found: &Value, path: &str) -> Option<String> {
    match (expected, found) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{path}.{key}");
                match b.get(key) {
                    None => return Some(format!("{here}: missing (expected {value})")),
                    Some(other) => {
                        if let Some(diff) = json_diff(value, other, &here) {
                            return Some(diff);
                        }
                    }
                }
            }
            b.iter()
                .find(|(key, _)| !a.contains_key(*key))
                .map(|(key, value)| format!("{path}.{key}: unexpected member {value}"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{path}: {} items expected, {} found", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| json_diff(x, y, &format!("{path}[{i}]")))
        }
        _ if expected == found => None,
        _ => Some(format!("{path}: expected {expected}, found {found}")),
    }
}

// ---------------------------------------------------------------------------------------------------
// Files

/// The root element names of the schema.
fn schema_roots() -> BTreeSet<String> {
    schema::roots().into_iter().map(|r| r.element).collect()
}

/// The local name of a document's root element.
fn root_element(text: &str) -> Result<String, roxmltree::Error> {
    roxmltree::Document::parse(text).map(|tree| tree.root_element().tag_name().name().to_owned())
}

/// The reference examples; their absence is a failure, not a skip.
fn examples_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/examples");
    assert!(
        dir.is_dir(),
        "reference examples not found at {} (expected `shared/reference/examples` next to the workspace; \
         CI always provides it)",
        dir.display()
    );
    dir
}

/// Files directly in `dir` (optionally only `*.ext`), sorted by name.
fn files_in(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display())).path())
        .filter(|path| path.is_file())
        .filter(|path| match ext {
            Some(ext) => path.extension().is_some_and(|e| e == ext),
            None => true,
        })
        .collect();
    files.sort();
    files
}

fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}
