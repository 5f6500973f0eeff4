//! Conformance of the bindings against the example bodies of the EM REST API documentation.
//!
//! The corpus is `shared/reference/examples/` next to the workspace (read-only reference data; its
//! `README.md` says what each folder holds). CI always has it, so a missing directory fails the suite
//! instead of skipping it. "Conformance" means here:
//!
//! * **Round trip** (`*.xml` directly in the folder): every complete document whose root element is in
//!   [`Document::ROOTS`] decodes, and `to_xml()` gives an *equivalent* document: the same elements
//!   (local name and namespace URI) in the same order, the same attributes (namespace and local name,
//!   any order; namespace declarations do not count) with the same values, and the same text in leaf
//!   elements, exactly. Namespace prefixes, the XML declaration, comments and whitespace-only text
//!   between elements do not count; any other text in mixed content does. The comparison is full in
//!   both directions, so content the schema does not model (and the decoder therefore drops) shows up
//!   as a difference. Decoding the re-encoding gives the same value again, both have the same JSON
//!   form, and that JSON deserializes into the concrete type as the same value the typed XML decoder
//!   produces.
//! * **Rejected** (`not-well-formed/`, `truncated/`): every body is an `Err` with a 1-based line and
//!   column and a non-empty message, never `Ok` and never a panic.
//! * **Elided** (`elided/`): decoding does not panic; either outcome is accepted and printed.
//! * **JSON**: the JSON examples with a model type deserialize into it and serialize back to the same
//!   JSON (`null` members count as absent), and agree with their XML twin where there is one.
//!
//! A file that does not conform for a known reason is listed in [`KNOWN_GAPS`] with the reason; its
//! failure is printed instead of failing the suite. The list is checked: an entry whose file conforms
//! now, or that no test checks, fails the suite, so the list cannot go stale.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use support::compare_documents;
use veeam_em::model::{self, Document};
use veeam_em::XmlDocument;

mod support;

/// Example files that do not conform yet: (path relative to the examples folder, reason).
///
/// Each entry must still fail the test that checks it; remove it as soon as the file conforms.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Root elements that some complete example must cover (and pass the round trip with).
const REQUIRED_ROOTS: &[&str] = &[
    "VmReplicaPoint",
    "EntityRef",
    "EntityReferences",
    "VmReplicaPointMounts",
    "Task",
    "Tasks",
    "LogonSession",
    "EnterpriseManager",
    "FileRestoreSpec",
    "VmRestorePoint",
    "Replica",
    "BackupServer",
    "RestoreSession",
];

#[test]
fn complete_documents_round_trip() {
    let dir = examples_dir();
    let mut outcomes = Vec::new();
    let mut out_of_scope = Vec::new();
    let mut roots_of: BTreeMap<String, String> = BTreeMap::new();
    for path in files_in(&dir, Some("xml")) {
        let name = relative(&dir, &path);
        let text = read(&path);
        let root = match roxmltree::Document::parse(&text) {
            Ok(tree) => tree.root_element().tag_name().name().to_owned(),
            Err(err) => {
                outcomes.push((name, Err(format!("reference file is not well-formed XML: {err}"))));
                continue;
            }
        };
        if !Document::ROOTS.contains(&root.as_str()) {
            out_of_scope.push(format!("{name} <{root}>"));
            continue;
        }
        roots_of.insert(name.clone(), root);
        outcomes.push((name, guarded(|| check_round_trip(&text))));
    }

    eprintln!(
        "round trip: {} in-scope documents checked, {} out of scope (root not in Document::ROOTS):",
        outcomes.len(),
        out_of_scope.len()
    );
    for file in &out_of_scope {
        eprintln!("  out of scope: {file}");
    }
    settle(Suite::RoundTrip, &outcomes);

    // A root counts as covered only by a file that passed (known gaps do not count).
    let covered: BTreeSet<&str> = outcomes
        .iter()
        .filter(|(_, outcome)| outcome.is_ok())
        .filter_map(|(file, _)| roots_of.get(file).map(String::as_str))
        .collect();
    eprintln!("round trip: roots covered: {}", covered.iter().copied().collect::<Vec<_>>().join(", "));
    let missing: Vec<&str> = REQUIRED_ROOTS.iter().copied().filter(|root| !covered.contains(root)).collect();
    assert!(missing.is_empty(), "required roots not covered by any passing example: {}", missing.join(", "));
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
    type Check = fn(&str, Option<&str>) -> Result<String, String>;
    let cases: [(&str, Check); 6] = [
        (
            "post_vmreplicapoints_id_mountpoints_id_filepath_actionrestore.request-download.json",
            check_json::<model::FileRestoreSpec>,
        ),
        (
            "post_vmreplicapoints_id_mountpoints_id_filepath_actionrestore.request-original.json",
            check_json::<model::FileRestoreSpec>,
        ),
        ("post_vmreplicapoints_id_mountpoints.request.json", check_json::<model::RestorePointMountSpec>),
        ("representation_collections.reference-list.json", check_json::<model::EntityReferenceList>),
        ("resource_representations.backup-server-reference.json", check_json::<model::EntityReference>),
        ("resource_representation_for_ke.job-reference.json", check_json::<model::EntityReference>),
    ];
    let dir = examples_dir();
    let mut outcomes = Vec::new();
    for (file, check) in cases {
        let text = read(&dir.join(file));
        // The XML twin of the same example, when the top folder has one.
        let twin_path = dir.join(file.replace(".json", ".xml"));
        let twin = twin_path.is_file().then(|| read(&twin_path));
        outcomes.push((file.to_owned(), guarded(|| check(&text, twin.as_deref()))));
    }
    let unchecked: Vec<String> = files_in(&dir, Some("json"))
        .iter()
        .map(|path| relative(&dir, path))
        .filter(|name| !cases.iter().any(|(file, _)| file == name))
        .collect();
    eprintln!("json: {} examples checked, {} without a model type:", outcomes.len(), unchecked.len());
    for file in &unchecked {
        eprintln!("  not checked: {file}");
    }
    settle(Suite::Json, &outcomes);
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
    json_back_to_type(doc.root(), text, &json)?;
    Ok(String::new())
}

/// The JSON form of a document deserializes into its concrete type as the value the XML decoder gives.
fn json_back_to_type(root: &str, xml: &str, json: &Value) -> Result<(), String> {
    match root {
        "Replica" => same_from_json::<model::Replica>(xml, json),
        "Replicas" => same_from_json::<model::ReplicaList>(xml, json),
        "BackupServer" => same_from_json::<model::BackupServer>(xml, json),
        "BackupServers" => same_from_json::<model::BackupServerList>(xml, json),
        "RestoreSession" => same_from_json::<model::RestoreSession>(xml, json),
        "RestoreSessions" => same_from_json::<model::RestoreSessionList>(xml, json),
        "EntityRef" => same_from_json::<model::EntityReference>(xml, json),
        "EntityReferences" => same_from_json::<model::EntityReferenceList>(xml, json),
        "Error" => same_from_json::<model::Error>(xml, json),
        "RestorePointMountSpec" => same_from_json::<model::RestorePointMountSpec>(xml, json),
        "FileSystemEntry" => same_from_json::<model::FileSystemEntry>(xml, json),
        "FileSystemEntries" => same_from_json::<model::FileSystemEntries>(xml, json),
        "FileRestoreSpec" => same_from_json::<model::FileRestoreSpec>(xml, json),
        "QueryResult" => same_from_json::<model::QueryResult>(xml, json),
        "QuerySvc" => same_from_json::<model::QuerySvc>(xml, json),
        "EnterpriseManager" => same_from_json::<model::EnterpriseManager>(xml, json),
        "LogonSession" => same_from_json::<model::LogonSession>(xml, json),
        "LogonSessions" => same_from_json::<model::LogonSessionList>(xml, json),
        "LoginSpec" => same_from_json::<model::LoginSpec>(xml, json),
        "Task" => same_from_json::<model::Task>(xml, json),
        "Tasks" => same_from_json::<model::TaskList>(xml, json),
        "VmReplicaPoint" => same_from_json::<model::VmReplicaPoint>(xml, json),
        "VmReplicaPoints" => same_from_json::<model::VmReplicaPointList>(xml, json),
        "VmReplicaPointMount" => same_from_json::<model::VmReplicaPointMount>(xml, json),
        "VmReplicaPointMounts" => same_from_json::<model::VmReplicaPointMountList>(xml, json),
        "VmRestorePoint" => same_from_json::<model::VmRestorePoint>(xml, json),
        "VmRestorePoints" => same_from_json::<model::VmRestorePointList>(xml, json),
        "VmRestorePointMount" => same_from_json::<model::VmRestorePointMount>(xml, json),
        "VmRestorePointMounts" => same_from_json::<model::VmRestorePointMountList>(xml, json),
        other => Err(format!("conformance.rs has no model type for root <{other}>; add it to json_back_to_type")),
    }
}

fn same_from_json<T>(xml: &str, json: &Value) -> Result<(), String>
where
    T: XmlDocument + DeserializeOwned + PartialEq + Debug,
{
    let from_xml = T::from_xml(xml).map_err(|err| format!("typed decode fails: {err}"))?;
    let from_json: T = serde_json::from_value(json.clone())
        .map_err(|err| format!("its own JSON does not deserialize: {err}\n  json: {json}"))?;
    if from_json != from_xml {
        return Err(format!(
            "JSON round trip changes the value\n  from XML:  {from_xml:?}\n  from JSON: {from_json:?}"
        ));
    }
    Ok(())
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

/// The JSON deserializes into `T`, serializes back to the same JSON, and matches the XML twin.
fn check_json<T>(text: &str, xml_twin: Option<&str>) -> Result<String, String>
where
    T: XmlDocument + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let original: Value = serde_json::from_str(text).map_err(|err| format!("reference file is not JSON: {err}"))?;
    let value: T = serde_json::from_value(original.clone()).map_err(|err| format!("does not deserialize: {err}"))?;
    let back = to_json(&value)?;
    if let Some(diff) = json_diff(&strip_nulls(&original), &strip_nulls(&back), "$") {
        return Err(format!("serializes back differently: {diff}\n  serialized: {back}"));
    }
    let Some(xml) = xml_twin else { return Ok(String::new()) };
    let from_xml = T::from_xml(xml).map_err(|err| format!("XML twin does not decode: {err}"))?;
    if from_xml != value {
        return Err(format!("XML twin decodes differently\n  from JSON: {value:?}\n  from XML:  {from_xml:?}"));
    }
    Ok("agrees with its XML twin".to_owned())
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
