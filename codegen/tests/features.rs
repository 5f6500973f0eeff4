//! The feature snapshots (`tests/features/<feature>/expected.rs`, kept current by `tests/snapshots.rs`),
//! compiled into this test crate: each decodes its folder's examples, re-encodes them equivalently and
//! speaks EM's JSON.

use std::path::{Path, PathBuf};

use veeam_em::XmlDocument;

/// Includes each feature's snapshot as a module and records which ones are compiled.
macro_rules! features {
    ($($name:ident),* $(,)?) => {
        $(
            #[allow(dead_code)]
            mod $name {
                include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/", stringify!($name), "/expected.rs"));
            }
        )*
        const COMPILED: &[&str] = &[$(stringify!($name)),*];
    };
}

features!(
    choice,
    client_calls,
    extension,
    json_key_per_use,
    json_rename,
    list_wrapper,
    open_enum,
    presence_marker,
    scalars,
    text_content,
    value_list,
);

fn features_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn example(feature: &str, name: &str) -> String {
    read(&features_dir().join(feature).join("examples").join(name))
}

fn examples(feature: &str) -> Vec<(String, String)> {
    let dir = features_dir().join(feature).join("examples");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "{feature} has no examples");
    names.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), read(&p))).collect()
}

/// Decode, encode, decode again: the two values must be equal, and so must their JSON.
macro_rules! round_trips {
    ($feature:ident) => {
        for (name, xml) in examples(stringify!($feature)) {
            let first = $feature::Document::from_xml(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
            let encoded = first.to_xml();
            let second =
                $feature::Document::from_xml(&encoded).unwrap_or_else(|e| panic!("{name} re-encoded: {e}\n{encoded}"));
            assert_eq!(first, second, "{name}: {encoded}");
            assert_eq!(serde_json::to_value(&first).unwrap(), serde_json::to_value(&second).unwrap(), "{name}");
        }
    };
}

#[test]
fn every_feature_folder_is_compiled_here() {
    let mut found: Vec<String> = std::fs::read_dir(features_dir())
        .expect("features dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, COMPILED, "add the new folder to the features! list");
}

#[test]
fn all_examples_round_trip() {
    round_trips!(choice);
    round_trips!(extension);
    round_trips!(json_rename);
    round_trips!(list_wrapper);
    round_trips!(open_enum);
    round_trips!(presence_marker);
    round_trips!(scalars);
    round_trips!(text_content);
    round_trips!(value_list);
}

#[test]
fn every_simple_type_reads_and_writes_its_xml_schema_form() {
    use scalars::Sample;
    let sample = Sample::from_xml(&example("scalars", "sample.xml")).unwrap();
    assert_eq!((sample.small, sample.port), (Some(-8), Some(9398)));
    assert_eq!(sample.size, Some(u64::MAX));
    assert_eq!(sample.ratio.map(|r| r.0), Some(f32::NEG_INFINITY));
    assert_eq!(sample.price.as_ref().map(|p| p.as_str()), Some("0012.50"), "decimals are kept as written");
    assert_eq!(sample.day.as_ref().map(|d| (d.year(), d.month(), d.day())), Some((2024, 2, 29)));
    assert_eq!(sample.at.as_ref().map(|t| (t.hour(), t.minute(), t.nanosecond())), Some((22, 30, 250_000_000)));
    assert_eq!(sample.every.as_ref().and_then(|d| d.to_std()).map(|d| d.as_secs()), Some(95_400));
    assert_eq!(sample.blob.as_ref().map(|b| b.as_bytes().to_vec()), Some(b"hello".to_vec()));
    let xml = sample.to_xml();
    for written in ["<Ratio>-INF</Ratio>", "<Blob>aGVsbG8=</Blob>", "<Hash>0FA9</Hash>", "<At>22:30:00.250</At>"] {
        assert!(xml.contains(written), "{written} in {xml}");
    }
    // JSON has no infinities (serde_json writes `null`), so the JSON round trip uses a finite value.
    let mut sample = sample;
    sample.ratio = Some(veeam_em::runtime::Float(0.5));
    let json = serde_json::to_value(&sample).unwrap();
    assert_eq!(json["Ratio"], 0.5);
    assert_eq!(json["Price"], "0012.50");
    assert_eq!(json["Day"], "2024-02-29Z");
    assert_eq!(serde_json::from_value::<Sample>(json).unwrap(), sample);
    let err =
        Sample::from_xml("<Sample xmlns=\"http://www.veeam.com/ent/v1.0\"><Day>2023-02-29</Day></Sample>").unwrap_err();
    assert!(err.to_string().contains("Sample/Day: not an xs:date"), "{err}");
}

#[test]
fn lists_of_simple_values() {
    use value_list::{Backup, PortList, Weekday};
    let backup = Backup::from_xml(&example("value_list", "backup.xml")).unwrap();
    assert_eq!(backup.folders, Some(vec!["C:\\Data".to_owned(), "D:\\Logs & Traces".to_owned()]));
    assert_eq!(backup.days, vec![Weekday::Monday, Weekday::from("Caturday")]);
    assert_eq!(backup.ports.as_ref().map(|p| p.0.clone()), Some(vec![9392, 9398]), "whitespace separates values");
    assert_eq!(backup.tags.as_ref().map(|t| t.0.clone()), Some(vec![Weekday::Monday, Weekday::Friday]));
    assert_eq!(
        backup.to_xml(),
        "<Backup xmlns=\"http://www.veeam.com/ent/v1.0\" Tags=\"Monday Friday\"><Folders><Path>C:\\Data</Path>\
         <Path>D:\\Logs &amp; Traces</Path></Folders><Days><Day>Monday</Day><Day>Caturday</Day></Days>\
         <Ports>9392 9398</Ports></Backup>"
    );
    let json = serde_json::json!({
        "Folders": {"Paths": ["C:\\Data", "D:\\Logs & Traces"]},
        "Days": ["Monday", "Caturday"],
        "Ports": [9392, 9398],
        "Tags": ["Monday", "Friday"]
    });
    assert_eq!(serde_json::to_value(&backup).unwrap(), json);
    assert_eq!(serde_json::from_value::<Backup>(json).unwrap(), backup);
    let ports = PortList::from_xml(&example("value_list", "ports.xml")).unwrap();
    assert_eq!(ports.items, [9392, 9398]);
    let err =
        PortList::from_xml("<Ports xmlns=\"http://www.veeam.com/ent/v1.0\">\n<Port>x</Port></Ports>").unwrap_err();
    assert_eq!(err.to_string(), "2:1: Ports/Port: not an xs:int: \"x\"");
}

#[test]
fn text_content_sits_beside_attributes() {
    use text_content::{Count, Day, Plan};
    let plan = Plan::from_xml(&example("text_content", "plan.xml")).unwrap();
    assert_eq!(
        plan.day,
        vec![
            Day { name: "Monday".into(), hours: "1,1,0,0,1".into() },
            Day { name: "Sunday".into(), hours: String::new() },
            Day { name: "Friday".into(), hours: "<all>".into() },
        ]
    );
    assert_eq!(plan.limit, Some(Count { unit: Some("GB".into()), amount: 500 }));
    assert_eq!(
        plan.to_xml(),
        "<Plan xmlns=\"http://www.veeam.com/ent/v1.0\"><Day Name=\"Monday\">1,1,0,0,1</Day><Day Name=\"Sunday\"/>\
         <Day Name=\"Friday\">&lt;all&gt;</Day><Limit Unit=\"GB\">500</Limit><Owner>ops &amp; backup</Owner></Plan>"
    );
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["Day"][0], serde_json::json!({"Name": "Monday", "Value": "1,1,0,0,1"}));
    assert_eq!(json["Limit"], serde_json::json!({"Unit": "GB", "Amount": 500}));
    // Text that is not a value of its type, and an element where only text may be, are located errors.
    let err =
        Plan::from_xml("<Plan xmlns=\"http://www.veeam.com/ent/v1.0\">\n <Limit>many</Limit></Plan>").unwrap_err();
    assert_eq!(err.to_string(), "2:2: Plan/Limit: not an xs:long: \"many\"");
    let err =
        Plan::from_xml("<Plan xmlns=\"http://www.veeam.com/ent/v1.0\"><Day Name=\"x\"><b/></Day></Plan>").unwrap_err();
    assert!(err.to_string().contains("Plan/Day: element `b` inside a value that holds only text"), "{err}");
}

#[test]
fn xml_aliases_are_read_but_never_written() {
    use text_content::Plan;
    let plan =
        Plan::from_xml("<Plan xmlns=\"http://www.veeam.com/ent/v1.0\"><PlanOwner>me</PlanOwner></Plan>").unwrap();
    assert_eq!(plan.owner.as_deref(), Some("me"));
    assert_eq!(plan.to_xml(), "<Plan xmlns=\"http://www.veeam.com/ent/v1.0\"><Owner>me</Owner></Plan>");
    let twice = "<Plan xmlns=\"http://www.veeam.com/ent/v1.0\"><Owner>a</Owner><PlanOwner>b</PlanOwner></Plan>";
    assert!(Plan::from_xml(twice).unwrap_err().to_string().contains("occurs more than once"));
}

#[test]
fn json_aliases_are_read_but_never_written() {
    use text_content::Plan;
    for key in ["Owner", "OwnerName", "owner"] {
        let plan: Plan = serde_json::from_value(serde_json::json!({ key: "me" })).unwrap();
        assert_eq!(plan.owner.as_deref(), Some("me"), "{key}");
        assert_eq!(serde_json::to_value(&plan).unwrap()["Owner"], "me");
    }
}

#[test]
fn extension_puts_base_members_first_on_the_wire_and_last_in_json() {
    use extension::Gadget;
    let gadget = Gadget::from_xml(&example("extension", "gadget.xml")).unwrap();
    assert_eq!(gadget.serial, 42);
    assert_eq!(gadget.name.as_deref(), Some("Widget & Co"));
    assert_eq!(gadget.note.as_deref(), Some("  spaced  text  "), "text is kept verbatim");
    assert_eq!(gadget.made_utc.unwrap().to_string(), "2024-02-29T23:59:59.1234567Z");
    let xml = gadget.to_xml();
    assert_eq!(
        xml,
        "<Gadget xmlns=\"http://www.veeam.com/ent/v1.0\" Serial=\"42\" Name=\"Widget &amp; Co\" \
         Href=\"https://em.example:9398/api/gadgets/42\"><Note>  spaced  text  </Note>\
         <MadeUTC>2024-02-29T23:59:59.1234567Z</MadeUTC><Weight>1200</Weight></Gadget>"
    );
    let json = serde_json::to_string(&gadget).unwrap();
    let keys: Vec<&str> = ["\"MadeUTC\"", "\"Weight\"", "\"Serial\"", "\"Name\"", "\"Note\"", "\"Href\""]
        .into_iter()
        .filter(|k| json.contains(k))
        .collect();
    let positions: Vec<usize> = keys.iter().map(|k| json.find(k).unwrap()).collect();
    assert_eq!(keys.len(), 6, "{json}");
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "own fields first, then each base's: {json}");
}

#[test]
fn extension_reports_a_missing_required_attribute_with_its_place() {
    let err =
        extension::Gadget::from_xml("<Gadget xmlns=\"http://www.veeam.com/ent/v1.0\">\n  <Weight>x</Weight></Gadget>")
            .unwrap_err();
    assert_eq!(err.to_string(), "2:3: Gadget/Weight: not an xs:int: \"x\"");
    let err = extension::Gadget::from_xml("<Gadget xmlns=\"http://www.veeam.com/ent/v1.0\"/>").unwrap_err();
    assert_eq!(err.to_string(), "1:1: Gadget: missing required attribute `Serial`");
}

#[test]
fn choice_holds_exactly_one_alternative() {
    use choice::{Place, PutSpec, PutSpecTarget};
    let place = PutSpec::from_xml(&example("choice", "place.xml")).unwrap();
    assert_eq!(place.target, PutSpecTarget::ToPlace(Place { overwrite: Some(true), path: "D:/restore here".into() }));
    let label = PutSpec::from_xml(&example("choice", "label.xml")).unwrap();
    assert_eq!(label.target, PutSpecTarget::ToLabel("<nightly>".into()), "CDATA is text");
    let download = PutSpec::from_xml(&example("choice", "download.xml")).unwrap();
    assert_eq!(download.target, PutSpecTarget::ForDownload);
    assert_eq!(download.to_xml(), "<PutSpec xmlns=\"http://www.veeam.com/ent/v1.0\"><ForDownload/></PutSpec>");
    assert_eq!(serde_json::to_value(&download).unwrap(), serde_json::json!({"ForDownload": {}}));
    assert_eq!(serde_json::from_value::<PutSpec>(serde_json::json!({"ForDownload": {}})).unwrap(), download);
    let json = serde_json::json!({"ToPlace": {"Path": "D:/restore here", "Overwrite": true}});
    assert_eq!(serde_json::to_value(&place).unwrap(), json);
    assert_eq!(serde_json::from_value::<PutSpec>(json).unwrap(), place);
    let err = PutSpec::from_xml("<PutSpec xmlns=\"http://www.veeam.com/ent/v1.0\"/>").unwrap_err();
    assert!(err.to_string().contains("missing required element `ToPlace` or `ToLabel` or `ForDownload`"), "{err}");
}

#[test]
fn open_enum_keeps_unknown_values() {
    use open_enum::{Job, Phase};
    let job = Job::from_xml(&example("open_enum", "unknown.xml")).unwrap();
    let paused = job.phase.clone().unwrap();
    assert!(matches!(paused, Phase::Unknown(_)));
    assert_eq!(paused.as_str(), "Paused");
    assert_ne!(paused, Phase::Queued);
    assert_eq!(job.history, vec![Phase::Queued, Phase::from("Paused")]);
    assert!(job.to_xml().contains("Phase=\"Paused\""));
    assert_eq!(serde_json::to_value(&job).unwrap()["Phase"], "Paused");
    let known = Job::from_xml(&example("open_enum", "known.xml")).unwrap();
    assert_eq!(known.phase, Some(Phase::Done));
    assert_eq!(Phase::Done.as_str(), "vDone");
    assert_eq!("Running".parse::<Phase>(), Ok(Phase::Running));
    assert_eq!(Phase::Running.to_string(), "Running");
}

#[test]
fn list_wrappers_name_their_items_and_tell_empty_from_absent() {
    use list_wrapper::{Holder, PointerList};
    let holder = Holder::from_xml(&example("list_wrapper", "holder.xml")).unwrap();
    let main = holder.main.as_ref().unwrap();
    assert_eq!(main.len(), 2, "alias accepted, unrelated element skipped");
    assert_eq!(holder.spare, Some(vec![]), "empty wrapper is present");
    assert_eq!(
        holder.to_xml(),
        "<Holder xmlns=\"http://www.veeam.com/ent/v1.0\"><Main><Ptr Href=\"https://a/1\"/><Ptr Href=\"https://a/2\"/></Main><Spare/></Holder>"
    );
    assert_eq!(
        serde_json::to_value(&holder).unwrap(),
        serde_json::json!({"Main": {"Ptrs": [{"Href": "https://a/1"}, {"Href": "https://a/2"}]}, "Spare": {"Ptrs": []}})
    );
    let absent = Holder::from_xml("<Holder xmlns=\"http://www.veeam.com/ent/v1.0\"/>").unwrap();
    assert_eq!((absent.main, absent.spare), (None, None));
    let list = PointerList::from_xml(&example("list_wrapper", "pointers.xml")).unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(serde_json::to_value(&list).unwrap(), serde_json::json!({"Ptrs": [{"Href": "https://a/1"}]}));
}

#[test]
fn presence_markers_are_true_when_the_element_is_there() {
    use presence_marker::Flags;
    let quiet = Flags::from_xml(&example("presence_marker", "quiet.xml")).unwrap();
    assert!(quiet.quiet && !quiet.fast);
    assert_eq!(quiet.label.as_deref(), Some(""), "empty is not absent");
    assert_eq!(quiet.to_xml(), "<Flags xmlns=\"http://www.veeam.com/ent/v1.0\"><Quiet/><Label/></Flags>");
    assert_eq!(serde_json::to_value(&quiet).unwrap(), serde_json::json!({"Quiet": {}, "Fast": null, "Label": ""}));
    let none = Flags::from_xml(&example("presence_marker", "none.xml")).unwrap();
    assert_eq!(none, Flags::default());
    assert_eq!(serde_json::from_value::<Flags>(serde_json::json!({})).unwrap(), none);
}

#[test]
fn json_names_follow_the_schema_not_the_xml() {
    use json_rename::Bag;
    let bag = Bag::from_xml(&example("json_rename", "bag.xml")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&example("json_rename", "bag.json")).unwrap();
    assert_eq!(serde_json::to_value(&bag).unwrap(), expected);
    assert_eq!(serde_json::from_value::<Bag>(expected).unwrap(), bag);
    assert_eq!(bag.items.as_ref().unwrap()[0].r#type.as_deref(), Some("a"));
}

#[test]
fn client_calls_roles_give_the_protocol_traits() {
    use veeam_em::runtime::{ErrorView, HasLinks, LinkView, TaskView};
    let job = client_calls::Job::from_xml(&example("client_calls", "job.xml")).expect("decodes");
    assert_eq!(job.state(), Some("Finished"));
    assert_eq!(job.succeeded(), Some(false));
    assert_eq!(TaskView::message(&job), Some("disk full"));
    assert_eq!(HasLinks::href(&job), Some("https://em:9398/api/jobs/1"));
    let link = &job.links()[0];
    assert_eq!((link.rel(), link.link_type(), link.name()), ("Related", Some("Widget"), None));
    let oops = client_calls::Oops::from_parts("no such widget", 404);
    assert_eq!((ErrorView::message(&oops), oops.status_code()), (Some("no such widget"), Some(404)));
}

#[test]
fn json_key_per_use_wraps_each_use_its_own_way() {
    let from_xml = json_key_per_use::Box::from_xml(&example("json_key_per_use", "box.xml")).expect("decodes");
    let json = example("json_key_per_use", "box.json");
    assert_eq!(serde_json::to_string(&from_xml).expect("serializes"), json.trim());
    let from_json: json_key_per_use::Box = serde_json::from_str(&json).expect("reads back");
    assert_eq!(from_json, from_xml);
}

#[test]
fn an_optional_choice_that_is_present_but_malformed_is_an_error_not_absent() {
    use choice::{MaybeSpec, MaybeSpecTarget, Place};
    let absent: MaybeSpec = serde_json::from_str("{}").expect("absent is fine");
    assert_eq!(absent.target, None);
    let null: MaybeSpec = serde_json::from_str(r#"{"ToPlace": null}"#).expect("null is absent");
    assert_eq!(null.target, None);
    let place: MaybeSpec = serde_json::from_str(r#"{"ToPlace": {"Path": "C:/x", "Overwrite": true}}"#).expect("reads");
    assert_eq!(place.target, Some(MaybeSpecTarget::ToPlace(Place { path: "C:/x".into(), overwrite: Some(true) })));
    let marker: MaybeSpec = serde_json::from_str(r#"{"ForDownload": {}}"#).expect("reads");
    assert_eq!(marker.target, Some(MaybeSpecTarget::ForDownload));
    // `Path` is required in a Place: the alternative is there but cannot be read.
    let err = serde_json::from_str::<MaybeSpec>(r#"{"ToPlace": {"Overwrite": "yes"}}"#).expect_err("malformed");
    assert!(err.to_string().contains("ToPlace"), "{err}");
    let err = serde_json::from_str::<MaybeSpec>(r#"{"ToPlace": {"Path": "a"}, "ForDownload": {}}"#).expect_err("two");
    assert!(err.to_string().contains("only one"), "{err}");
    // Round trip through JSON.
    assert_eq!(serde_json::from_str::<MaybeSpec>(&serde_json::to_string(&place).unwrap()).unwrap(), place);
}
