//! Round trip of the document models through hand-written fixtures.
//!
//! `tests/fixtures/` holds invented but EM-shaped XML documents, named by their root element. The roots, the
//! fields and their JSON form come from the schema (`schemas/*.xml`, loaded with the generator library, see
//! `support/schema.rs`), so no table here names a root or a type. A fixture is optional: a root without one
//! is covered by the complete reference examples (`conformance.rs`) and the property tests
//! (`properties.rs`), and `conformance.rs`'s `every_root_is_covered` prints which root is covered by what.
//!
//! * `<Root>.xml`: the main fixture of a root. Together with the variants below, the fixtures of a root fill
//!   every attribute, element, text content, choice alternative and list item of every type its documents
//!   can reach (lists have two items where possible, one of them complete, one sparse).
//! * `<Root>.<variant>.xml`: the other alternatives of a choice (`FileSystemEntry.DirectoryEntry.xml`).
//! * `<Name>.tolerant.xml`: what a reader must accept but a writer never produces: the EM namespace under a
//!   prefix, unknown elements and attributes, foreign namespaces, item aliases, comments, processing
//!   instructions, CDATA and character references. Each decodes to the same value as its strict twin
//!   `<Name>.xml`, so they do not round trip literally.
//!
//! What is checked:
//!
//! * **Coverage**: every fixture is named after a root of the schema and has that root element, and for every
//!   root that has fixtures, its strict fixtures fill every field of the schema reachable from it (item
//!   aliases may be filled by a tolerant fixture): a new field of a type such a root reaches fails until a
//!   fixture fills it. Roots without fixtures are listed, not failed.
//! * **XML**: each strict fixture decodes, `to_xml()` is the same tree (elements, attributes, text; not
//!   prefixes, attribute order, namespace declarations, the XML declaration, comments or whitespace between
//!   elements; the first difference is reported with its path), and `decode(to_xml(x)) == x`.
//! * **JSON**: `Document::from_json(root, to_json(x)) == x`, and the JSON has EM's shape as the schema
//!   describes it: every field present under its JSON name (absent ones `null`), lists as bare arrays or
//!   `{"<json-key>": [...]}`, markers `{}`, one key per chosen alternative, and nothing else (no XML item
//!   names, attributes or namespace artifacts).
//! * **Tolerance**: each tolerant fixture decodes to its twin's value and re-encodes to the twin's tree.
//! * **Robustness**: no prefix and no single-byte deletion of any fixture panics the decoder, every error has
//!   a 1-based position inside the input, and no prefix that cuts the root element off decodes (the damage is
//!   bounded to stay fast in a debug build; see [`damages`]). A few deletions that make a fixture ill-formed
//!   ([`ILL_FORMED`]) must be rejected as a conforming XML parser rejects them.
//!
//! A fixture that fails a check for a known decoder or encoder bug is listed in [`KNOWN_GAPS`]; the entry
//! fails the suite as soon as the check passes, so the list cannot go stale.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use codegen::ir::{AltContent, Field, FieldKind};
use serde_json::Value;
use support::compare_documents;
use support::schema::{self, Json, Shape};
use veeam_em::model::Document;

mod support;

/// The EM namespace every fixture uses.
const EM_NS: &str = "http://www.veeam.com/ent/v1.0";

/// Fixtures that fail one check for a known bug in the bindings: (subject, check, reason).
///
/// A subject is a fixture file name, or for [`Check::WellFormedness`] `<fixture>: <case>` from [`ILL_FORMED`].
/// Each entry must still fail its check; remove it once the bug is fixed.
const KNOWN_GAPS: &[(&str, Check, &str)] = &[];

/// Fixtures up to this size get every prefix cut; larger ones get sampled cuts and deletions.
const FULL_DAMAGE_LIMIT: usize = 4096;

/// Bytes whose removal, or a cut next to them, changes the markup rather than just a name or a value.
const MARKUP: &[u8] = b"<>/=\"'&;:!?[]";

#[test]
fn fixtures_are_named_after_roots() {
    let roots = schema::roots();
    let schema_roots: BTreeSet<&str> = roots.iter().map(|r| r.element.as_str()).collect();
    let document_roots: BTreeSet<&str> = Document::ROOTS.iter().copied().collect();
    assert_eq!(schema_roots, document_roots, "schemas/*.xml and Document::ROOTS name different roots (regenerate?)");
    let fixtures = fixtures();
    let names: BTreeSet<&str> = fixtures.iter().map(|f| f.name.as_str()).collect();
    let mut problems = Vec::new();
    for fixture in &fixtures {
        if !roots.iter().any(|r| r.element == fixture.root) {
            problems.push(format!("{}: `{}` is not a root of the schema", fixture.name, fixture.root));
            continue;
        }
        match roxmltree::Document::parse(&fixture.text) {
            Ok(tree) => {
                let element = tree.root_element().tag_name();
                if element.name() != fixture.root || element.namespace() != Some(EM_NS) {
                    problems.push(format!(
                        "{}: root element is {{{}}}{}, expected {{{EM_NS}}}{}",
                        fixture.name,
                        element.namespace().unwrap_or(""),
                        element.name(),
                        fixture.root
                    ));
                }
            }
            Err(err) => problems.push(format!("{}: not well-formed XML: {err}", fixture.name)),
        }
        if let Some(twin) = &fixture.twin {
            if !names.contains(twin.as_str()) {
                problems.push(format!("{}: its strict twin {twin} does not exist", fixture.name));
            }
        }
    }
    let without: Vec<&str> =
        roots.iter().map(|r| r.element.as_str()).filter(|root| !fixtures.iter().any(|f| f.root == *root)).collect();
    eprintln!(
        "{} fixtures for {} of the {} roots of the schema; roots without a fixture: {}",
        fixtures.len(),
        roots.len() - without.len(),
        roots.len(),
        if without.is_empty() { "none".to_owned() } else { without.join(", ") }
    );
    assert!(problems.is_empty(), "fixture naming: {} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn fixtures_cover_every_field() {
    let fixtures = fixtures();
    let (mut total, mut roots_checked, mut missing) = (0, 0, Vec::new());
    for root in schema::roots() {
        let ty = root.ty.as_str();
        let own: Vec<&Fixture> = fixtures.iter().filter(|f| f.root == root.element).collect();
        if own.is_empty() {
            continue; // A fixture is optional; a root without one is covered elsewhere.
        }
        roots_checked += 1;
        let mut required = BTreeSet::new();
        required_coverage(ty, &mut BTreeSet::new(), &mut required);
        // Item aliases are read-only wire variants: required of the list document itself, not wherever it nests.
        required.retain(|field| !field.ends_with("(item alias)") || field.starts_with(&format!("{ty}/")));
        let mut covered = BTreeSet::new();
        for fixture in own {
            let tree = roxmltree::Document::parse(&fixture.text)
                .unwrap_or_else(|err| panic!("{}: not well-formed XML: {err}", fixture.name));
            record_coverage(tree.root_element(), ty, fixture.twin.is_none(), &mut covered);
        }
        total += required.len();
        missing.extend(required.difference(&covered).map(|field| format!("  {}: {field}", root.element)));
    }
    eprintln!(
        "coverage: {} of {total} (root, field) pairs covered by the fixtures of {roots_checked} roots",
        total - missing.len()
    );
    assert!(
        missing.is_empty(),
        "{} field(s) reachable from a root appear in none of its strict fixtures (`<Root>.xml`, \
         `<Root>.<variant>.xml`):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn strict_fixtures_round_trip_through_xml() {
    let outcomes: Vec<_> = strict_fixtures().map(|f| (f.name.clone(), guarded(|| check_xml(&f.text)))).collect();
    settle(Check::Xml, &outcomes);
}

#[test]
fn strict_fixtures_round_trip_through_json() {
    let outcomes: Vec<_> = strict_fixtures().map(|f| (f.name.clone(), guarded(|| check_json(&f.text)))).collect();
    settle(Check::Json, &outcomes);
}

/// Spot checks of EM's JSON conventions on particular fixtures, as readable examples of what
/// [`strict_fixtures_round_trip_through_json`] checks everywhere.
#[test]
fn json_follows_em_conventions() {
    let json = |file: &str| -> Value {
        let doc = Document::from_xml(&fixture_text(file)).unwrap_or_else(|err| panic!("{file}: {err}"));
        serde_json::to_value(&doc).unwrap_or_else(|err| panic!("{file}: {err}"))
    };

    // Reference lists are {"Refs": [...]}, never {"Ref": ...}; an absent `Links` is `null`.
    let refs = json("EntityReferences.xml");
    let object = refs.as_object().expect("EntityReferences is a JSON object");
    assert_eq!(object.keys().collect::<Vec<_>>(), ["Refs"], "{refs}");
    let items = refs["Refs"].as_array().expect("Refs is an array");
    assert_eq!(items.len(), 2, "{refs}");
    assert!(items[0].get("Ref").is_none() && items[0].get("Link").is_none(), "{refs}");
    assert_eq!(items[1]["Links"], Value::Null, "absent Links must be null: {refs}");

    // `Links` is a bare array of link objects with `Rel` and `Href`.
    let task = json("Task.xml");
    let links = task["Links"].as_array().expect("Links is a bare array");
    assert_eq!(links.len(), 2, "{task}");
    for link in links {
        assert!(link["Rel"].is_string() && link["Href"].is_string(), "{link}");
    }
    assert_eq!(links[1]["Type"], "VmReplicaPointMount");
    assert_eq!(task["Result"]["Success"], true);

    // Absent optional elements are `null`; unknown enum values are kept as strings.
    let tasks = json("Tasks.xml");
    assert_eq!(tasks["Tasks"][1]["Result"], Value::Null, "{tasks}");
    assert_eq!(tasks["Tasks"][1]["Links"], Value::Null, "{tasks}");
    assert_eq!(tasks["Tasks"][1]["Operation"], "StartBackupCopyJob", "{tasks}");

    // A marker alternative is `{}`; the other alternative is absent, not `null`.
    let download = json("FileRestoreSpec.ForDirectDownload.xml");
    assert_eq!(download, serde_json::json!({ "ForDirectDownload": {} }));
    let original = json("FileRestoreSpec.xml");
    assert_eq!(original["ToOriginalLocation"]["Overwrite"], true, "{original}");
    assert!(original.get("ForDirectDownload").is_none(), "{original}");

    // Nested list wrappers with a json-key are objects; dates keep their written form.
    let entries = json("FileSystemEntries.xml");
    assert_eq!(entries["Files"]["FileEntries"][0]["ModifiedDateUTC"], "2025-10-30T16:45:12.1234567Z");
    assert_eq!(entries["Files"]["FileEntries"][1]["Name"], "報告書 – Entwürfe.txt");
    assert_eq!(entries["Directories"]["DirectoryEntries"][1]["Path"], "E:/Projects/Q4 Reports");
    assert_eq!(entries["PagingInfo"]["PageNum"], 2);
}

/// The schema-driven JSON shape check is not vacuous: it rejects the usual XML-to-JSON artifacts.
#[test]
fn json_shape_check_rejects_xml_artifacts() {
    use serde_json::json;
    let refs = |json: Value| schema::check_json("EntityReferenceList", &json, "$", Json::Written);
    let link = json!({ "Rel": "Up", "Href": "https://em01.lab.local:9398/api/", "Name": null, "Type": null });
    let reference =
        |uid: Value, links: Value| json!({ "Type": null, "Href": null, "Name": "a", "UID": uid, "Links": links });
    refs(json!({ "Refs": [reference(Value::Null, json!([link]))] })).expect("the well-formed shape passes");

    let mut missing_null = reference(Value::Null, Value::Null);
    missing_null.as_object_mut().unwrap().remove("UID");
    let bad = [
        ("item element name as key", json!({ "Ref": [reference(Value::Null, Value::Null)] })),
        ("bare array for a json-key list", json!([reference(Value::Null, Value::Null)])),
        ("absent value omitted instead of null", json!({ "Refs": [missing_null] })),
        ("XML namespace artifact", json!({ "Refs": [], "@xmlns": "http://www.veeam.com/ent/v1.0" })),
        ("wrapped Links", json!({ "Refs": [reference(Value::Null, json!({ "Link": [link] }))] })),
        ("number for a string", json!({ "Refs": [reference(json!(1), Value::Null)] })),
    ];
    for (what, json) in bad {
        assert!(refs(json.clone()).is_err(), "{what} passes: {json}");
    }

    let spec = |json: Value| schema::check_json("FileRestoreSpec", &json, "$", Json::Written);
    let original = json!({ "GuestCredentials": null, "Overwrite": null, "PermissionsOnly": null });
    assert!(spec(json!({ "ForDirectDownload": {} })).is_ok());
    assert!(spec(json!({ "ToOriginalLocation": original })).is_ok());
    assert!(spec(json!({ "ForDirectDownload": true })).is_err(), "a marker must be {{}}");
    assert!(spec(json!({ "ForDirectDownload": {}, "ToOriginalLocation": original })).is_err(), "two alternatives");
}

#[test]
fn tolerant_fixtures_decode_like_their_twins() {
    let fixtures = fixtures();
    let outcomes: Vec<_> = fixtures
        .iter()
        .filter_map(|f| f.twin.as_ref().map(|twin| (f, twin)))
        .map(|(f, twin)| (f.name.clone(), guarded(|| check_tolerant(&f.text, &fixture_text(twin)))))
        .collect();
    assert!(!outcomes.is_empty(), "no tolerant fixtures");
    settle(Check::Tolerant, &outcomes);
}

#[test]
fn never_panics_on_truncation() {
    let started = Instant::now();
    let mut fixtures = fixtures();
    fixtures.sort_by_key(|f| std::cmp::Reverse(f.text.len())); // biggest first, for an even spread
    let next = AtomicUsize::new(0);
    let decodes = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(fixture) = fixtures.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let damages = damages(&fixture.text);
                    decodes.fetch_add(damages.len(), Ordering::Relaxed);
                    let outcome = check_damaged(&fixture.text, &damages);
                    outcomes.lock().unwrap().push((fixture.name.clone(), outcome));
                }
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap();
    outcomes.sort();
    eprintln!(
        "truncation: {} damaged bodies decoded in {:.2?} on {threads} threads",
        decodes.into_inner(),
        started.elapsed()
    );
    settle(Check::Truncation, &outcomes);
}

/// Single-byte deletions that make a fixture ill-formed XML, which the decoder must reject like any conforming
/// parser: (fixture, unique text around the byte, offset of the byte in that text, what the deletion breaks).
const ILL_FORMED: &[(&str, &str, usize, &str)] = &[
    ("Task.xml", "</TaskId>", 2, "mismatched end tag"),
    ("Task.xml", "<Result Success=\"true\"", 16, "unquoted attribute value"),
    ("Task.xml", "<Link Rel=\"Related\"", 5, "no space between element name and attribute"),
    ("Task.xml", "\" Type=\"Task\">\n  <Links>", 1, "no space between two attributes"),
    ("Error.xml", "version=\"1.0\"", 8, "unquoted version in the XML declaration"),
    ("Error.tolerant.xml", "xmlns:i=", 5, "undeclared attribute prefix"),
    ("FileRestoreSpec.ForDirectDownload.tolerant.xml", "Mode=\"", 4, "attribute without `=` on the root"),
    ("FileRestoreSpec.ForDirectDownload.tolerant.xml", "<ForDirectDownload>", 18, "start tag without `>`"),
];

#[test]
fn ill_formed_damage_is_rejected() {
    let outcomes: Vec<_> = ILL_FORMED
        .iter()
        .map(|(file, around, at, what)| {
            let text = fixture_text(file);
            assert_eq!(text.matches(around).count(), 1, "{file}: {around:?} must occur exactly once");
            let body = Damage::Deletion(text.find(around).unwrap() + at).apply(&text).into_owned();
            (format!("{file}: {what}"), guarded(|| check_rejected(&text, &body)))
        })
        .collect();
    settle(Check::WellFormedness, &outcomes);
}

#[test]
fn known_gaps_are_well_formed() {
    let names: BTreeSet<String> = fixtures().into_iter().map(|f| f.name).collect();
    let mut seen = BTreeSet::new();
    for (file, check, reason) in KNOWN_GAPS {
        assert!(seen.insert((*file, *check)), "KNOWN_GAPS lists {file} {check:?} twice");
        assert!(!reason.trim().is_empty(), "KNOWN_GAPS entry {file} {check:?} gives no reason");
        let fixture = file.split_once(": ").map_or(*file, |(fixture, _)| fixture);
        assert!(names.contains(fixture), "KNOWN_GAPS entry {file} names no fixture");
    }
}

// ---------------------------------------------------------------------------------------------------
// Checks

/// Decodes, re-encodes and compares the trees, then decodes the re-encoding again.
fn check_xml(text: &str) -> Result<(), String> {
    let doc = Document::from_xml(text).map_err(|err| format!("does not decode: {err}"))?;
    let encoded = doc.to_xml();
    compare_documents(text, &encoded)
        .map_err(|diff| format!("re-encoding differs: {diff}\n  re-encoded: {encoded}"))?;
    let again = Document::from_xml(&encoded).map_err(|err| format!("re-encoding does not decode: {err}"))?;
    if again != doc {
        return Err(format!("decode(to_xml(x)) != x\n  first:  {doc:?}\n  second: {again:?}"));
    }
    Ok(())
}

/// JSON round trip through `Document::from_json`, then the shape of the JSON against the schema.
fn check_json(text: &str) -> Result<(), String> {
    let doc = Document::from_xml(text).map_err(|err| format!("does not decode: {err}"))?;
    let json = serde_json::to_string(&doc).map_err(|err| format!("does not serialize: {err}"))?;
    let back = match Document::from_json(doc.root(), &json) {
        None => return Err(format!("Document::from_json does not know root <{}>", doc.root())),
        Some(Err(err)) => return Err(format!("its own JSON does not deserialize: {err}\n  json: {json}")),
        Some(Ok(back)) => back,
    };
    if back != doc {
        return Err(format!(
            "JSON round trip changes the value\n  before: {doc:?}\n  after:  {back:?}\n  json: {json}"
        ));
    }
    let value: Value = serde_json::from_str(&json).map_err(|err| format!("not JSON: {err}"))?;
    let ty = schema::root_type(doc.root()).ok_or_else(|| format!("schema has no root <{}>", doc.root()))?;
    schema::check_json(&ty, &value, "$", Json::Written).map_err(|err| format!("{err}\n  json: {json}"))
}

/// A tolerant fixture decodes to its strict twin's value and re-encodes to the twin's tree.
fn check_tolerant(text: &str, twin: &str) -> Result<(), String> {
    let doc = Document::from_xml(text).map_err(|err| format!("does not decode: {err}"))?;
    let expected = Document::from_xml(twin).map_err(|err| format!("strict twin does not decode: {err}"))?;
    if doc != expected {
        return Err(format!("decodes differently from its twin\n  tolerant: {doc:?}\n  twin:     {expected:?}"));
    }
    compare_documents(twin, &doc.to_xml()).map_err(|diff| format!("re-encoding differs from the twin: {diff}"))
}

/// Decodes every damaged form of `text`: never a panic, an `Err` positioned inside the input (1-based line and
/// column), and `Ok` for a prefix only once the root element is complete.
fn check_damaged(text: &str, damages: &[Damage]) -> Result<(), String> {
    let tree = roxmltree::Document::parse(text).map_err(|err| format!("not well-formed XML: {err}"))?;
    let root_end = tree.root_element().range().end;
    for damage in damages {
        let body = damage.apply(text);
        match panic::catch_unwind(|| Document::from_xml(&body)) {
            Ok(Ok(doc)) if matches!(damage, Damage::Prefix(n) if *n < root_end) => {
                return Err(format!("{damage}: decodes as <{}> although the root element is cut off", doc.root()))
            }
            Err(payload) => {
                return Err(format!("{damage}: decoder panicked: {}\n  input: {body:?}", panic_message(&*payload)))
            }
            Ok(Err(err)) if err.line() < 1 || err.column() < 1 => {
                return Err(format!("{damage}: error position {}:{} is not 1-based: {err}", err.line(), err.column()))
            }
            Ok(Err(err)) if err.offset() > body.len() as u64 || err.line() > body.lines().count() + 1 => {
                return Err(format!(
                    "{damage}: error position {} (offset {}) lies outside the input: {err}",
                    err.line(),
                    err.offset()
                ))
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// One way of damaging a fixture.
#[derive(Clone, Copy)]
enum Damage {
    /// Keep only the first `n` bytes.
    Prefix(usize),
    /// Remove the byte at this offset.
    Deletion(usize),
}

impl Damage {
    fn apply(self, text: &str) -> Cow<'_, str> {
        match self {
            Damage::Prefix(n) => Cow::Borrowed(&text[..n]),
            Damage::Deletion(i) => Cow::Owned(format!("{}{}", &text[..i], &text[i + 1..])),
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Prefix(n) => write!(f, "prefix of {n} bytes"),
            Damage::Deletion(i) => write!(f, "deletion of byte {i}"),
        }
    }
}

/// The damaged forms to decode, bounded so the test stays fast in a debug build (about 10 MB/s of XML).
///
/// Up to [`FULL_DAMAGE_LIMIT`] bytes: every prefix (every char boundary), and the deletion of every markup
/// byte plus every 8th other byte (deleting a letter of a name or value mostly gives another valid document).
/// Larger fixtures: prefixes cut next to a markup byte plus every 8th other, and deletions of every 4th markup
/// byte plus every 64th other.
fn damages(text: &str) -> Vec<Damage> {
    let bytes = text.as_bytes();
    let small = text.len() <= FULL_DAMAGE_LIMIT;
    let markup = |i: usize| bytes.get(i).is_some_and(|b| MARKUP.contains(b));
    let (plain_every, markup_every) = if small { (8, 1) } else { (64, 4) };
    let mut damages = Vec::new();
    for i in 0..text.len() {
        if text.is_char_boundary(i) && (small || i % 8 == 0 || markup(i) || (i > 0 && markup(i - 1))) {
            damages.push(Damage::Prefix(i));
        }
        let deletable = text.is_char_boundary(i) && text.is_char_boundary(i + 1);
        if deletable && if markup(i) { i % markup_every == 0 } else { i % plain_every == 0 } {
            damages.push(Damage::Deletion(i));
        }
    }
    damages
}

/// A damaged `body` of the fixture `text` that a conforming parser rejects must be an `Err` here too.
fn check_rejected(text: &str, body: &str) -> Result<(), String> {
    if roxmltree::Document::parse(body).is_ok() {
        return Err("the damaged body is well-formed XML; fix the test case".to_owned());
    }
    let doc = match Document::from_xml(body) {
        Err(_) => return Ok(()),
        Ok(doc) => doc,
    };
    let intact = Document::from_xml(text).map_err(|err| format!("the intact fixture does not decode: {err}"))?;
    let value = match compare_documents(&intact.to_xml(), &doc.to_xml()) {
        Ok(()) => "the intact fixture's value".to_owned(),
        Err(diff) => format!("another value than the intact fixture ({diff})"),
    };
    Err(format!("ill-formed XML decodes as <{}>, with {value}", doc.root()))
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

/// One file of `tests/fixtures/`.
struct Fixture {
    /// File name, such as `Task.tolerant.xml`.
    name: String,
    /// The root element the name announces (the part before the first dot).
    root: String,
    /// For a tolerant fixture, the file name of its strict twin.
    twin: Option<String>,
    text: String,
}

fn fixture_text(name: &str) -> String {
    let path = schema::fixtures_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// Every fixture, sorted by name; anything in the folder that is not `*.xml` fails.
fn fixtures() -> Vec<Fixture> {
    schema::fixture_names()
        .into_iter()
        .map(|name| {
            let stem = name.strip_suffix(".xml").unwrap_or_else(|| panic!("{name}: fixtures must be *.xml files"));
            let root = schema::fixture_root(&name).to_owned();
            let twin = stem.strip_suffix(".tolerant").map(|strict| format!("{strict}.xml"));
            let text = fixture_text(&name);
            Fixture { name, root, twin, text }
        })
        .collect()
}

fn strict_fixtures() -> impl Iterator<Item = Fixture> {
    fixtures().into_iter().filter(|f| f.twin.is_none())
}

// ---------------------------------------------------------------------------------------------------
// Known gaps

/// Which test a [`KNOWN_GAPS`] entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    Xml,
    Json,
    Tolerant,
    Truncation,
    WellFormedness,
}

/// Prints every outcome; fails on unexpected failures and on known gaps that pass now.
fn settle(check: Check, outcomes: &[(String, Result<(), String>)]) {
    let gap = |file: &str| KNOWN_GAPS.iter().find(|(f, c, _)| *f == file && *c == check).map(|(_, _, reason)| *reason);
    let mut problems = Vec::new();
    for (file, outcome) in outcomes {
        match (outcome, gap(file)) {
            (Ok(()), None) => eprintln!("  ok    {file}"),
            (Ok(()), Some(reason)) => {
                problems.push(format!("{file}: listed in KNOWN_GAPS ({reason}) but passes now; remove the entry"))
            }
            (Err(err), Some(reason)) => eprintln!("  GAP   {file} [{reason}]: {err}"),
            (Err(err), None) => {
                eprintln!("  FAIL  {file}: {err}");
                problems.push(format!("{file}: {err}"));
            }
        }
    }
    for (file, _, _) in KNOWN_GAPS.iter().filter(|(_, c, _)| *c == check) {
        if !outcomes.iter().any(|(checked, _)| checked == file) {
            problems.push(format!("{file}: listed in KNOWN_GAPS for {check:?}, which does not check it"));
        }
    }
    eprintln!("{check:?}: {} fixtures checked", outcomes.len());
    assert!(problems.is_empty(), "{check:?}: {} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Runs a check, turning a panic into a failure.
fn guarded(check: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    panic::catch_unwind(AssertUnwindSafe(check))
        .unwrap_or_else(|payload| Err(format!("panicked: {}", panic_message(&*payload))))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string payload".to_owned())
}

// ---------------------------------------------------------------------------------------------------
// Field coverage, over the schema's IR

/// Where a field shows on the wire, for the coverage count: its key, where to look, and the type (Rust name)
/// of what it holds, if that has fields of its own.
struct Wire<'a> {
    key: String,
    at: At<'a>,
    holds: Option<&'a str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum At<'a> {
    Attribute(&'a str),
    Element(&'a str),
    Text,
}

/// The wire forms of a field of `ty`: one, or one per alternative of a choice.
fn wire<'a>(ty: &str, field: &'a Field) -> Vec<Wire<'a>> {
    let element =
        |name: &'a str, holds: Option<&'a str>| Wire { key: format!("{ty}/{name}"), at: At::Element(name), holds };
    match &field.kind {
        FieldKind::Attribute { name, .. } => {
            vec![Wire { key: format!("{ty}/@{name}"), at: At::Attribute(name), holds: None }]
        }
        FieldKind::Text { .. } => vec![Wire { key: format!("{ty}/text()"), at: At::Text, holds: None }],
        FieldKind::Value { element: name, .. } | FieldKind::Marker { element: name } => vec![element(name, None)],
        FieldKind::Child { element: name, ty } => vec![element(name, Some(ty))],
        FieldKind::List { element: name, list, .. } => vec![element(name, Some(list))],
        FieldKind::Choice { alternatives, .. } => alternatives
            .iter()
            .map(|a| {
                let holds = match &a.content {
                    AltContent::Struct(t) => Some(t.as_str()),
                    _ => None,
                };
                element(&a.element, holds)
            })
            .collect(),
    }
}

/// Coverage keys every fixture set must fill, for `ty` (a Rust type name) and every type reachable from it.
fn required_coverage(ty: &str, visited: &mut BTreeSet<String>, out: &mut BTreeSet<String>) {
    if !visited.insert(ty.to_owned()) {
        return;
    }
    // A nested type that is a document of its own is covered where it is the root (by its fixtures, or
    // by examples and property tests when it has none), not again inside every document that holds it:
    // the query result holds every entity kind.
    let nested_root = |held: &str| held != ty && schema::roots().iter().any(|r| r.ty == held);
    match schema::shape(ty) {
        Some(Shape::Struct(s)) => {
            for field in &s.fields {
                for w in wire(ty, field) {
                    out.insert(w.key);
                    if let Some(held) = w.holds.filter(|held| !nested_root(held)) {
                        required_coverage(held, visited, out);
                    }
                }
            }
        }
        Some(Shape::List(list)) => {
            out.insert(format!("{ty}/{}", list.item_element));
            out.extend(list.item_aliases.iter().map(|alias| format!("{ty}/{alias} (item alias)")));
            required_coverage(&list.item_type, visited, out);
        }
        None => {}
    }
}

/// Records which fields `node` (of type `ty`) fills. Only item aliases count from tolerant fixtures.
fn record_coverage(node: roxmltree::Node<'_, '_>, ty: &str, strict: bool, out: &mut BTreeSet<String>) {
    let children = || node.children().filter(|c| c.is_element() && c.tag_name().namespace() == Some(EM_NS));
    match schema::shape(ty) {
        Some(Shape::Struct(s)) => {
            let wires: Vec<Wire<'_>> = s.fields.iter().flat_map(|f| wire(ty, f)).collect();
            for w in &wires {
                let present = match w.at {
                    At::Attribute(name) => node.attributes().any(|a| a.namespace().is_none() && a.name() == name),
                    At::Text => node.children().any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty())),
                    At::Element(_) => false,
                };
                if present && strict {
                    out.insert(w.key.clone());
                }
            }
            for child in children() {
                let name = child.tag_name().name();
                if let Some(w) = wires.iter().find(|w| w.at == At::Element(name)) {
                    if strict {
                        out.insert(w.key.clone());
                    }
                    if let Some(held) = w.holds {
                        record_coverage(child, held, strict, out);
                    }
                }
            }
        }
        Some(Shape::List(list)) => {
            for child in children() {
                let name = child.tag_name().name();
                if name == list.item_element {
                    if strict {
                        out.insert(format!("{ty}/{name}"));
                    }
                } else if list.item_aliases.iter().any(|alias| alias == name) {
                    out.insert(format!("{ty}/{name} (item alias)"));
                } else {
                    continue;
                }
                record_coverage(child, &list.item_type, strict, out);
            }
        }
        None => {}
    }
}
