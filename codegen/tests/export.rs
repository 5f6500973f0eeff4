//! The exports, checked by the tools their readers use.
//!
//! - The XSD (`xmllint --schema`) validates every complete reference example (the top-level `*.xml` of
//!   `shared/reference/examples`) whose root element it declares, and refuses what the bindings refuse.
//! - The OpenAPI document is valid OpenAPI 3.1 (`python3 -m openapi_spec_validator`), and its component
//!   schemas accept the JSON the generated serde code writes for those same examples (with no property the
//!   schema does not name) and EM's own JSON examples (checked with `jsonschema`, which
//!   openapi-spec-validator depends on).
//!
//! The tools are required, not optional: a missing one fails the test with the line that installs it
//! (`apt-get install -y libxml2-utils`, `python3 -m pip install openapi-spec-validator`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::ir::{Ir, TypeKind};
use serde_json::{json, Value};

const EM_NS: &str = "http://www.veeam.com/ent/v1.0";

fn ir() -> Ir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let sources = codegen::read_dir(&dir, "schemas").unwrap_or_else(|e| panic!("{e}"));
    codegen::load(&sources).unwrap_or_else(|d| panic!("{d}"))
}

fn examples_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/examples");
    assert!(
        dir.is_dir(),
        "reference examples not found at {} (expected `shared/reference/examples` next to the workspace)",
        dir.display()
    );
    dir
}

/// A scratch directory of this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("export-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Complete example documents: the `*.xml` (or `*.json`) files directly in the examples folder, sorted.
fn examples(ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Every document root the schema declares.
fn declared_roots(ir: &Ir) -> BTreeSet<String> {
    ir.types()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => s.root.clone(),
            TypeKind::List(l) => l.root.clone(),
            _ => None,
        })
        .collect()
}

/// The root element of an XML text, as `(namespace, local name)`, read from the first start tag (which is
/// all a truncated example has).
fn root_of(xml: &str) -> Option<(String, String)> {
    if let Ok(doc) = roxmltree::Document::parse(xml) {
        let root = doc.root_element();
        return Some((root.tag_name().namespace().unwrap_or_default().to_owned(), root.tag_name().name().to_owned()));
    }
    let mut rest = xml;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if !rest.starts_with('?') && !rest.starts_with('!') {
            break;
        }
    }
    let name: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect();
    let ns = rest
        .split_once("xmlns=\"")
        .and_then(|(_, tail)| tail.split_once('"'))
        .map(|(ns, _)| ns.to_owned())
        .unwrap_or_default();
    Some((ns, name))
}

fn run(command: &mut Command, what: &str, install: &str) -> Output {
    match command.output() {
        Ok(output) => output,
        Err(e) => panic!("{what} cannot be run ({e}); install it: `{install}` (CI installs it)"),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const XMLLINT_INSTALL: &str = "apt-get update && apt-get install -y libxml2-utils";
const VALIDATOR_INSTALL: &str = "python3 -m pip install openapi-spec-validator";

/// `xmllint --noout --schema XSD FILE`: `Ok` when it validates, else xmllint's messages.
fn xmllint(xsd: &Path, file: &Path) -> Result<(), String> {
    let output = run(
        Command::new("xmllint").arg("--noout").arg("--schema").arg(xsd).arg(file),
        "xmllint (libxml2-utils)",
        XMLLINT_INSTALL,
    );
    if output.status.success() {
        Ok(())
    } else {
        Err(text(&output.stderr).trim().to_owned())
    }
}

fn require_python_module(module: &str) {
    let output = run(Command::new("python3").arg("-c").arg(format!("import {module}")), "python3", VALIDATOR_INSTALL);
    assert!(
        output.status.success(),
        "the Python module `{module}` is missing; install it: `{VALIDATOR_INSTALL}` (CI installs it)\n{}",
        text(&output.stderr)
    );
}

fn write_xsd(dir: &Path) -> PathBuf {
    let path = dir.join("veeam-em.xsd");
    fs::write(&path, codegen::export::xsd(&ir())).unwrap();
    path
}

fn write_openapi(dir: &Path) -> PathBuf {
    let path = dir.join("veeam-em.openapi.json");
    fs::write(&path, codegen::export::openapi(&ir())).unwrap();
    path
}

#[test]
fn namespace_is_the_runtime_one() {
    assert_eq!(codegen::export::NAMESPACE, veeam_em::runtime::NAMESPACE);
}

#[test]
fn exports_are_deterministic() {
    assert_eq!(codegen::export::xsd(&ir()), codegen::export::xsd(&ir()));
    assert_eq!(codegen::export::openapi(&ir()), codegen::export::openapi(&ir()));
}

#[test]
fn xsd_validates_every_complete_example_it_declares() {
    let ir = ir();
    let roots = declared_roots(&ir);
    let xsd = write_xsd(&scratch("xsd-examples"));
    let (mut passed, mut failed, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    for path in examples("xml") {
        let name = file_name(&path);
        match root_of(&fs::read_to_string(&path).unwrap()) {
            Some((ns, root)) if ns == EM_NS && roots.contains(&root) => match xmllint(&xsd, &path) {
                Ok(()) => passed.push(format!("{name} <{root}>")),
                Err(message) => failed.push(format!("{name} <{root}>:\n{message}")),
            },
            Some((_, root)) => skipped.push(format!("{name} <{root}>")),
            None => skipped.push(format!("{name} (no root element)")),
        }
    }
    eprintln!("xmllint: {} examples validate:", passed.len());
    passed.iter().for_each(|p| eprintln!("  {p}"));
    eprintln!("{} examples have a root the schema does not declare:", skipped.len());
    skipped.iter().for_each(|s| eprintln!("  {s}"));
    assert!(
        failed.is_empty(),
        "{} examples do not validate against {}:\n{}",
        failed.len(),
        xsd.display(),
        failed.join("\n")
    );
    assert!(passed.len() >= 20, "only {} examples were validated; is the examples folder complete?", passed.len());
}

#[test]
fn xsd_accepts_what_the_bindings_read_and_refuses_what_they_refuse() {
    let dir = scratch("xsd-cases");
    let xsd = write_xsd(&dir);
    let cases: &[(&str, bool, &str)] = &[
        (
            "values a newer server adds to open enumerations",
            true,
            r#"<Task xmlns="NS"><State>Paused</State><Operation>Defragment</Operation></Task>"#,
        ),
        (
            "the item alias of a list",
            true,
            r#"<VmReplicaPoints xmlns="NS"><VmRestorePoint/><VmReplicaPoint/></VmReplicaPoints>"#,
        ),
        ("any namespace prefix", true, r#"<em:Error xmlns:em="NS" StatusCode="404" Message="gone"/>"#),
        ("a presence-only alternative", true, r#"<FileRestoreSpec xmlns="NS"><ForDirectDownload/></FileRestoreSpec>"#),
        ("a number out of range", false, r#"<BackupServer xmlns="NS"><Port>70000</Port></BackupServer>"#),
        ("a boolean that is not one", false, r#"<Task xmlns="NS"><Result Success="yes"/></Task>"#),
        (
            "a missing required attribute",
            false,
            r#"<EntityRef xmlns="NS"><Links><Link Href="https://em/api/"/></Links></EntityRef>"#,
        ),
        (
            "elements out of wire order",
            false,
            r#"<Task xmlns="NS"><State>Running</State><TaskId>task-1</TaskId></Task>"#,
        ),
        (
            "two alternatives of a choice",
            false,
            r#"<FileRestoreSpec xmlns="NS"><ForDirectDownload/><ToOriginalLocation/></FileRestoreSpec>"#,
        ),
        (
            "a date that is not an xs:dateTime",
            false,
            r#"<VmReplicaPoint xmlns="NS"><CreationTimeUTC>yesterday</CreationTimeUTC></VmReplicaPoint>"#,
        ),
        ("another namespace", false, r#"<Task xmlns="urn:other"/>"#),
    ];
    let mut wrong = Vec::new();
    for (i, (what, valid, xml)) in cases.iter().enumerate() {
        let path = dir.join(format!("case-{i}.xml"));
        fs::write(&path, xml.replace("\"NS\"", &format!("\"{EM_NS}\""))).unwrap();
        match (xmllint(&xsd, &path), valid) {
            (Ok(()), true) | (Err(_), false) => {}
            (Ok(()), false) => wrong.push(format!("{what}: validates, but should not: {xml}")),
            (Err(message), true) => wrong.push(format!("{what}: does not validate: {xml}\n{message}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn openapi_is_valid_openapi_3_1() {
    require_python_module("openapi_spec_validator");
    let path = write_openapi(&scratch("openapi-valid"));
    let output = run(
        Command::new("python3").arg("-m").arg("openapi_spec_validator").arg(&path),
        "python3 -m openapi_spec_validator",
        VALIDATOR_INSTALL,
    );
    assert!(
        output.status.success(),
        "openapi-spec-validator refuses {}:\n{}{}",
        path.display(),
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn openapi_describes_every_resource_and_type() {
    let ir = ir();
    let doc: Value = serde_json::from_str(&codegen::export::openapi(&ir)).expect("the export is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for resource in &ir.resources {
        let path = format!("/api{}", resource.path.replace("{*", "{"));
        let item = paths.get(&path).unwrap_or_else(|| panic!("no path {path}"));
        for method in &resource.methods {
            let op = &item[method.verb.as_str().to_lowercase()];
            let calls = op["x-em-calls"].as_array().unwrap();
            assert!(calls.iter().any(|c| c["name"] == method.name.as_str() && c["resource"] == resource.name.as_str()));
            let response = &op["responses"][method.status.to_string()];
            assert!(response.is_object(), "{path}: no {} response for {}", method.status, method.name);
            if method.returns_task {
                assert_eq!(method.status, 202);
                assert_eq!(
                    response["content"]["application/xml"]["schema"]["$ref"], "#/components/schemas/Task",
                    "{path}"
                );
            }
            assert_eq!(op["responses"]["default"]["$ref"], "#/components/responses/Error");
            if method.auth == codegen::ir::Auth::Basic {
                assert_eq!(op["security"], json!([{ "basic": [] }]), "{path}");
            }
        }
        for rep in &resource.representations {
            let calls = item["get"]["x-em-calls"].as_array().unwrap();
            assert!(calls.iter().any(|c| c["name"] == rep.name.as_str() && c["kind"] == "representation"), "{path}");
            if let Some((key, value)) = &rep.query {
                let params = item["get"]["parameters"].as_array().unwrap();
                let param = params.iter().find(|p| p["name"] == key.as_str()).unwrap();
                assert!(param["schema"]["enum"].as_array().unwrap().iter().any(|v| v == value.as_str()));
            }
        }
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        schemes["session"],
        json!({"type": "apiKey", "in": "header", "name": "X-RestSvcSessionId", "description": schemes["session"]["description"]})
    );
    assert_eq!(schemes["basic"]["scheme"], "basic");
    assert_eq!(doc["paths"]["/api/"]["get"]["security"], json!([]), "the entry point needs no session");

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for t in ir.types() {
        match &t.kind {
            TypeKind::Choice(_) => assert!(!schemas.contains_key(&t.name)),
            TypeKind::Struct(s) => {
                let schema = &schemas[&t.name];
                if let Some(root) = &s.root {
                    assert_eq!(schema["xml"], json!({"name": root, "namespace": EM_NS}), "{}", t.name);
                }
            }
            _ => assert!(schemas.contains_key(&t.name), "no component {}", t.name),
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("external reference {r}"));
        assert!(doc.pointer(pointer).is_some(), "dangling reference {r}");
    }
}

/// Checks each entry `{label, root, file, strict}` of a manifest against the component whose XML root is
/// `root`; `strict` refuses properties the schema does not name unless they are `null` (EM writes the
/// alternatives of a choice it does not use as `null`, modelled or not, and the bindings ignore them).
const JSON_CHECK: &str = r##"
import copy, json, sys
from jsonschema import Draft202012Validator
doc = json.load(open(sys.argv[1], encoding="utf-8"))
manifest = json.load(open(sys.argv[2], encoding="utf-8"))
def strict(node):
    if isinstance(node, dict):
        if "properties" in node:
            node["additionalProperties"] = {"type": "null"}
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
roots = {s["xml"]["name"]: n for n, s in doc["components"]["schemas"].items() if "namespace" in s.get("xml", {})}
failed = 0
for entry in manifest:
    components = copy.deepcopy(doc["components"])
    if entry["strict"]:
        strict(components)
    name = roots.get(entry["root"])
    if name is None:
        print(f"{entry['label']}: no component has the root <{entry['root']}>")
        failed += 1
        continue
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": components,
              "$ref": f"#/components/schemas/{name}"}
    instance = json.load(open(entry["file"], encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    print(f"{entry['label']}: {'FAILED' if errors else 'ok'} as {name}")
    for e in errors[:5]:
        print(f"    $/{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
    failed += bool(errors)
sys.exit(1 if failed else 0)
"##;

/// JSON examples with no XML twin in the folder, and the root of the document they are (from their page).
const JSON_WITHOUT_TWIN: &[(&str, &str)] = &[
    ("post_vmreplicapoints_id_mountpoints.request.json", "RestorePointMountSpec"),
    ("representation_collections.reference-list.json", "EntityReferences"),
];

#[test]
fn openapi_schemas_accept_the_json_of_the_bindings_and_of_em() {
    require_python_module("jsonschema");
    let ir = ir();
    let roots = declared_roots(&ir);
    let dir = scratch("openapi-json");
    let openapi = write_openapi(&dir);
    let mut manifest = Vec::new();
    // What the generated serde code writes for every example the XSD validates.
    for path in examples("xml") {
        let xml = fs::read_to_string(&path).unwrap();
        let Some((ns, root)) = root_of(&xml) else { continue };
        if ns != EM_NS || !roots.contains(&root) {
            continue;
        }
        let doc = veeam_em::model::Document::from_xml(&xml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let out = dir.join(format!("{}.bindings.json", file_name(&path)));
        fs::write(&out, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        manifest.push(json!({"label": format!("bindings' JSON of {}", file_name(&path)), "root": root, "file": out, "strict": true}));
    }
    // EM's own JSON, as the docs print it: typed by its XML twin (here or among the truncated bodies).
    let examples_dir = examples_dir();
    for path in examples("json") {
        let name = file_name(&path);
        let stem = name.trim_end_matches(".json");
        let twin = [examples_dir.join(format!("{stem}.xml")), examples_dir.join(format!("truncated/{stem}.xml"))]
            .into_iter()
            .find_map(|p| fs::read_to_string(p).ok())
            .and_then(|xml| root_of(&xml))
            .map(|(_, root)| root)
            .or_else(|| JSON_WITHOUT_TWIN.iter().find(|(n, _)| *n == name).map(|(_, root)| (*root).to_owned()));
        match twin {
            Some(root) if roots.contains(&root) => {
                manifest.push(json!({"label": format!("EM's {name}"), "root": root, "file": path, "strict": true}))
            }
            _ => eprintln!("{name}: no modelled root; not checked"),
        }
    }
    assert!(manifest.len() >= 25, "only {} JSON documents to check", manifest.len());
    let manifest_path = dir.join("manifest.json");
    fs::write(&manifest_path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    let output = run(
        Command::new("python3").arg("-c").arg(JSON_CHECK).arg(&openapi).arg(&manifest_path),
        "python3",
        VALIDATOR_INSTALL,
    );
    eprintln!("{}", text(&output.stdout));
    assert!(
        output.status.success(),
        "the OpenAPI schemas refuse JSON documents:\n{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// The feature folders (`tests/features/<feature>/schema.xml` and its `examples/`), sorted.
fn features() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
    let mut features: Vec<PathBuf> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("schema.xml").is_file()).collect();
    features.sort();
    features
}

fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == ext)).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// Feature examples that carry an element the schema does not model, to show that the decoder skips it;
/// the XSD refuses them for that element and nothing else.
const SKIPPED_CONTENT: &[(&str, &str)] = &[("list_wrapper/holder.xml", "Unrelated"), ("value_list/backup.xml", "Note")];

/// Every schema construct, one feature folder each: the XSD validates the folder's XML examples, the
/// OpenAPI document is valid, and its schemas take the folder's JSON examples (typed by their XML twin).
#[test]
fn feature_schemas_export_valid_descriptions() {
    require_python_module("openapi_spec_validator");
    let dir = scratch("features");
    let (mut failed, mut validated, mut documents) = (Vec::new(), 0, Vec::new());
    for feature in features() {
        let name = file_name(&feature);
        let source = codegen::Source {
            path: format!("features/{name}/schema.xml"),
            text: fs::read_to_string(feature.join("schema.xml")).unwrap(),
        };
        let ir = codegen::load(&[source]).unwrap_or_else(|d| panic!("{name}: {d}"));
        let xsd = dir.join(format!("{name}.xsd"));
        fs::write(&xsd, codegen::export::xsd(&ir)).unwrap();
        for example in files_with(&feature.join("examples"), "xml") {
            let label = format!("{name}/{}", file_name(&example));
            let skipped = SKIPPED_CONTENT.iter().find(|(l, _)| *l == label).map(|(_, element)| *element);
            match (xmllint(&xsd, &example), skipped) {
                (Ok(()), None) => validated += 1,
                (Err(message), Some(element))
                    if message.contains(&format!("}}{element}': This element is not expected")) => {}
                (Ok(()), Some(element)) => failed.push(format!("{label}: validates although it has <{element}>")),
                (Err(message), _) => failed.push(format!("{label}:\n{message}")),
            }
        }
        let openapi = dir.join(format!("{name}.openapi.json"));
        fs::write(&openapi, codegen::export::openapi(&ir)).unwrap();
        documents.push(openapi.clone());
        let mut manifest = Vec::new();
        for example in files_with(&feature.join("examples"), "json") {
            let twin = example.with_extension("xml");
            if let Some((_, root)) = fs::read_to_string(&twin).ok().and_then(|xml| root_of(&xml)) {
                manifest.push(json!({"label": format!("{name}/{}", file_name(&example)), "root": root, "file": example, "strict": true}));
            }
        }
        if !manifest.is_empty() {
            let manifest_path = dir.join(format!("{name}.manifest.json"));
            fs::write(&manifest_path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
            let output = run(
                Command::new("python3").arg("-c").arg(JSON_CHECK).arg(&openapi).arg(&manifest_path),
                "python3",
                VALIDATOR_INSTALL,
            );
            if !output.status.success() {
                failed.push(format!(
                    "{name}: JSON examples refused:\n{}{}",
                    text(&output.stdout),
                    text(&output.stderr)
                ));
            }
        }
    }
    let output = run(
        Command::new("python3").arg("-m").arg("openapi_spec_validator").args(&documents),
        "python3 -m openapi_spec_validator",
        VALIDATOR_INSTALL,
    );
    if !output.status.success() {
        failed.push(format!("openapi-spec-validator:\n{}{}", text(&output.stdout), text(&output.stderr)));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(validated >= 10, "only {validated} feature examples validated");
}
