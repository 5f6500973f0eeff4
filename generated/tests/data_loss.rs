//! No silent data loss: a value that is present but cannot be read is an error that says where it is,
//! never a field left absent or defaulted.
//!
//! One test per construct, XML first, then JSON. XML errors must carry the element path (attributes as
//! `@Name`) and the line of the bad value; both decoders (the concrete type's `from_xml` and
//! `Document::from_xml`) must give the same error. JSON errors must carry serde_json's line of the bad value,
//! or, where the runtime reads a value in two steps (choices), name the property.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde_json::error::Category;
use veeam_em::model::{
    BackupServer, Document, EntityReferenceList, FileRestoreSpec, FileRestoreSpecTarget, FileSystemEntries,
    FileSystemEntry, QueryResult, RestoreSession, Task, VmReplicaPoint, VmReplicaPointList, VmReplicaPointMount,
};
use veeam_em::runtime::DecodeErrorKind;
use veeam_em::{DecodeError, XmlDocument};

const NS: &str = veeam_em::runtime::NAMESPACE;

/// The error decoding `xml` as `T` gives, after checking that `Document::from_xml` gives the same one.
fn xml_error<T: XmlDocument + Debug>(xml: &str) -> DecodeError {
    let error = match T::from_xml(xml) {
        Ok(value) => panic!("decoded without an error:\n{xml}\n--- value ---\n{value:#?}"),
        Err(e) => e,
    };
    match Document::from_xml(xml) {
        Ok(value) => panic!("Document::from_xml decoded without an error:\n{xml}\n--- value ---\n{value:#?}"),
        Err(e) => assert_eq!(e, error, "the two decoders disagree"),
    }
    error
}

/// Decoding `xml` as `T` fails at `path`, on line `line`, with a message containing `message`.
fn assert_xml_error<T: XmlDocument + Debug>(xml: &str, path: &str, line: usize, message: &str) -> DecodeError {
    let error = xml_error::<T>(xml);
    let shown = error.to_string();
    assert_eq!(error.path(), path, "wrong path in `{shown}`\n{xml}");
    assert_eq!(error.line(), line, "wrong line in `{shown}`\n{xml}");
    assert!(shown.contains(message), "`{shown}` does not say `{message}`\n{xml}");
    assert!(shown.starts_with(&format!("{line}:{}: {path}: ", error.column())), "`{shown}`: not LINE:COL: PATH:");
    error
}

/// The error decoding `json` as `T`.
fn json_error<T: DeserializeOwned + Debug>(json: &str) -> serde_json::Error {
    match serde_json::from_str::<T>(json) {
        Ok(value) => panic!("decoded without an error:\n{json}\n--- value ---\n{value:#?}"),
        Err(e) => e,
    }
}

/// Decoding `json` as `T` fails as a data error on line `line` with a message containing `message`; the
/// same happens through `Document::from_json(root, ..)`.
fn assert_json_error<T: DeserializeOwned + Debug>(root: &str, json: &str, line: usize, message: &str) {
    let error = json_error::<T>(json);
    assert_eq!(error.classify(), Category::Data, "`{error}`\n{json}");
    assert_eq!(error.line(), line, "wrong line in `{error}`\n{json}");
    assert!(error.to_string().contains(message), "`{error}` does not say `{message}`\n{json}");
    match Document::from_json(root, json) {
        Some(Err(e)) => assert_eq!(e.to_string(), error.to_string()),
        other => panic!("Document::from_json({root}) gave {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------------------
// XML

#[test]
fn xml_bad_integer_in_an_element() {
    for (bad, expected) in [
        ("9392x", "not an xs:unsignedShort: \"9392x\""),
        ("70000", "not an xs:unsignedShort: \"70000\""),
        ("-1", "not an xs:unsignedShort: \"-1\""),
        ("", "not an xs:unsignedShort: \"\""),
    ] {
        let xml = format!(
            "<BackupServer xmlns=\"{NS}\" Name=\"vbr01\">\n  <Description>main</Description>\n  \
             <Port>{bad}</Port>\n  <Version>12.3</Version>\n</BackupServer>"
        );
        let error = assert_xml_error::<BackupServer>(&xml, "BackupServer/Port", 3, expected);
        assert_eq!(error.column(), 3, "{error}");
    }
    let xml = format!("<RestoreSession xmlns=\"{NS}\">\n  <Progress>12.5</Progress>\n</RestoreSession>");
    assert_xml_error::<RestoreSession>(&xml, "RestoreSession/Progress", 2, "not an xs:int: \"12.5\"");
    let xml = format!("<RestoreSession xmlns=\"{NS}\">\n  <Progress>2147483648</Progress>\n</RestoreSession>");
    assert_xml_error::<RestoreSession>(&xml, "RestoreSession/Progress", 2, "not an xs:int");
}

#[test]
fn xml_bad_boolean_in_an_attribute() {
    for bad in ["yes", "TRUE", "", "t"] {
        let xml = format!(
            "<Task xmlns=\"{NS}\">\n  <TaskId>task-1</TaskId>\n  <State>Finished</State>\n  \
             <Result Success=\"{bad}\">\n    <Message>done</Message>\n  </Result>\n</Task>"
        );
        let error = assert_xml_error::<Task>(&xml, "Task/Result/@Success", 4, "not an xs:boolean");
        assert!(matches!(error.kind(), DecodeErrorKind::InvalidValue { found, .. } if found == bad), "{error}");
    }
}

#[test]
fn xml_bad_date_time() {
    for bad in ["yesterday", "2025-02-30T00:00:00Z", "2025-10-18 20:00:30Z", "2025-10-18T20:00:30.Z", "2025-10-18"] {
        let xml = format!(
            "<VmReplicaPoint xmlns=\"{NS}\" Name=\"p\">\n  <CreationTimeUTC>{bad}</CreationTimeUTC>\n  \
             <VmName>sql02</VmName>\n</VmReplicaPoint>"
        );
        let error = assert_xml_error::<VmReplicaPoint>(
            &xml,
            "VmReplicaPoint/CreationTimeUTC",
            2,
            &format!("not an xs:dateTime: \"{bad}\""),
        );
        // The README's example, verbatim.
        if bad == "yesterday" {
            assert_eq!(error.to_string(), "2:3: VmReplicaPoint/CreationTimeUTC: not an xs:dateTime: \"yesterday\"");
        }
    }
}

#[test]
fn xml_bad_value_in_an_attribute() {
    let xml = format!("<Error xmlns=\"{NS}\"\n  Message=\"boom\"\n  StatusCode=\"five hundred\"/>");
    let error = assert_xml_error::<veeam_em::model::Error>(&xml, "Error/@StatusCode", 3, "not an xs:int");
    // The position is the value itself.
    assert_eq!(error.column(), 15, "{error}");
    let xml = format!(
        "<FileSystemEntries xmlns=\"{NS}\">\n  <Files/>\n  <PagingInfo PageNum=\"1\" PageSize=\"ten\" \
         PagesCount=\"3\"/>\n</FileSystemEntries>"
    );
    assert_xml_error::<FileSystemEntries>(&xml, "FileSystemEntries/PagingInfo/@PageSize", 3, "not an xs:int: \"ten\"");
}

#[test]
fn xml_bad_value_inside_a_list_item() {
    // The second of three items is bad; the item may come under its alias name too.
    for item in ["VmReplicaPoint", "VmRestorePoint"] {
        let xml = format!(
            "<VmReplicaPoints xmlns=\"{NS}\">\n  <VmReplicaPoint Name=\"a\">\n    \
             <CreationTimeUTC>2025-10-18T20:00:30Z</CreationTimeUTC>\n  </VmReplicaPoint>\n  \
             <{item} Name=\"b\">\n    <CreationTimeUTC>2025-13-18T20:00:30Z</CreationTimeUTC>\n  </{item}>\n  \
             <VmReplicaPoint Name=\"c\"/>\n</VmReplicaPoints>"
        );
        assert_xml_error::<VmReplicaPointList>(
            &xml,
            &format!("VmReplicaPoints/{item}/CreationTimeUTC"),
            6,
            "not an xs:dateTime",
        );
    }
    // A link list whose second link lacks its required `Href`.
    let xml = format!(
        "<Task xmlns=\"{NS}\">\n  <Links>\n    <Link Rel=\"Up\" Href=\"https://em/api/tasks\"/>\n    \
         <Link Rel=\"Delete\"/>\n  </Links>\n</Task>"
    );
    assert_xml_error::<Task>(&xml, "Task/Links/Link", 4, "missing required attribute `Href`");
}

#[test]
fn xml_bad_value_inside_a_nested_struct() {
    let xml = format!(
        "<QueryResult xmlns=\"{NS}\">\n  <Entities>\n    <VmReplicaPoints>\n      <VmReplicaPoint Name=\"a\">\n        \
         <CreationTimeUTC>soon</CreationTimeUTC>\n      </VmReplicaPoint>\n    </VmReplicaPoints>\n  \
         </Entities>\n</QueryResult>"
    );
    assert_xml_error::<QueryResult>(
        &xml,
        "QueryResult/Entities/VmReplicaPoints/VmReplicaPoint/CreationTimeUTC",
        5,
        "not an xs:dateTime: \"soon\"",
    );
    let xml = format!(
        "<QueryResult xmlns=\"{NS}\">\n  <Resources>\n    <Tasks>\n      <Task>\n        \
         <Result Success=\"true\" CredentialsNeeded=\"no\"/>\n      </Task>\n    </Tasks>\n  </Resources>\n\
         </QueryResult>"
    );
    assert_xml_error::<QueryResult>(
        &xml,
        "QueryResult/Resources/Tasks/Task/Result/@CredentialsNeeded",
        5,
        "not an xs:boolean: \"no\"",
    );
}

#[test]
fn xml_bad_value_inside_a_choice_alternative() {
    let xml = format!(
        "<FileSystemEntry xmlns=\"{NS}\">\n  <FileEntry>\n    <Path>E:/a.txt</Path>\n    \
         <Size>12 KB</Size>\n  </FileEntry>\n</FileSystemEntry>"
    );
    assert_xml_error::<FileSystemEntry>(&xml, "FileSystemEntry/FileEntry/Size", 4, "not an xs:long: \"12 KB\"");
    let xml =
        format!("<FileRestoreSpec xmlns=\"{NS}\">\n  <ToOriginalLocation Overwrite=\"maybe\"/>\n</FileRestoreSpec>");
    assert_xml_error::<FileRestoreSpec>(
        &xml,
        "FileRestoreSpec/ToOriginalLocation/@Overwrite",
        2,
        "not an xs:boolean: \"maybe\"",
    );
}

#[test]
fn xml_missing_required_values_are_errors_not_defaults() {
    let xml = format!(
        "<FileRestoreSpec xmlns=\"{NS}\">\n  <ToOriginalLocation>\n    <GuestCredentials>\n      \
         <UserName>CORP\\backup</UserName>\n    </GuestCredentials>\n  </ToOriginalLocation>\n</FileRestoreSpec>"
    );
    assert_xml_error::<FileRestoreSpec>(
        &xml,
        "FileRestoreSpec/ToOriginalLocation/GuestCredentials",
        3,
        "missing required element `Password`",
    );
    // `xsi:nil` says absent, which a required element cannot be.
    let xml = format!(
        "<FileRestoreSpec xmlns=\"{NS}\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\n  \
         <ToOriginalLocation>\n    <GuestCredentials>\n      <UserName i:nil=\"true\"/>\n      \
         <Password>secret</Password>\n    </GuestCredentials>\n  </ToOriginalLocation>\n</FileRestoreSpec>"
    );
    assert_xml_error::<FileRestoreSpec>(
        &xml,
        "FileRestoreSpec/ToOriginalLocation/GuestCredentials",
        3,
        "missing required element `UserName`",
    );
}

#[test]
fn xml_bad_reference_in_a_value() {
    let xml = format!("<BackupServer xmlns=\"{NS}\">\n  <Description>a &bogus; b</Description>\n</BackupServer>");
    assert_xml_error::<BackupServer>(&xml, "BackupServer/Description", 2, "unknown entity `&bogus;`");
    let xml = format!("<BackupServer xmlns=\"{NS}\"\n  Name=\"a & b\"/>");
    let error = xml_error::<BackupServer>(&xml);
    assert_eq!(error.line(), 2, "{error}");
}

#[test]
fn xml_text_where_elements_are_expected() {
    let xml = format!("<Task xmlns=\"{NS}\">\n  <TaskId>task-1</TaskId>\n  <Result>true</Result>\n</Task>");
    let error = xml_error::<Task>(&xml);
    assert!(error.path().starts_with("Task/Result"), "{error}");
    assert_eq!(error.line(), 3, "{error}");
}

#[test]
fn xml_element_content_in_a_simple_value() {
    let xml =
        format!("<BackupServer xmlns=\"{NS}\">\n  <Description><Text>hello</Text></Description>\n</BackupServer>");
    let error = xml_error::<BackupServer>(&xml);
    assert!(error.path().starts_with("BackupServer/Description"), "{error}");
    assert_eq!(error.line(), 2, "{error}");
}

#[test]
fn xml_two_alternatives_of_one_choice() {
    let xml = format!(
        "<FileRestoreSpec xmlns=\"{NS}\">\n  <ToOriginalLocation Overwrite=\"true\"/>\n  \
         <ForDirectDownload/>\n</FileRestoreSpec>"
    );
    let error = xml_error::<FileRestoreSpec>(&xml);
    assert_eq!(error.path(), "FileRestoreSpec/ForDirectDownload", "{error}");
    assert_eq!(error.line(), 3, "{error}");
}

#[test]
fn xml_a_single_element_given_twice() {
    let xml = format!("<BackupServer xmlns=\"{NS}\">\n  <Port>9392</Port>\n  <Port>9393</Port>\n</BackupServer>");
    let error = xml_error::<BackupServer>(&xml);
    assert_eq!(error.path(), "BackupServer/Port", "{error}");
    assert_eq!(error.line(), 3, "{error}");
}

// ---------------------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_wrong_type_for_a_field() {
    let json = "{\n  \"Name\": \"vbr01\",\n  \"Port\": \"9392\",\n  \"Version\": \"12.3\"\n}";
    assert_json_error::<BackupServer>("BackupServer", json, 3, "invalid type: string \"9392\", expected u16");
    let json = "{\n  \"Name\": \"vbr01\",\n  \"Port\": 70000\n}";
    assert_json_error::<BackupServer>("BackupServer", json, 3, "invalid value: integer `70000`, expected u16");
    let json = "{\n  \"Name\": \"vbr01\",\n  \"Port\": 93.92\n}";
    assert_json_error::<BackupServer>("BackupServer", json, 3, "expected u16");
    // An attribute of XML is a property like any other in JSON.
    let json = "{\n  \"Message\": \"boom\",\n  \"StatusCode\": \"500\"\n}";
    assert_json_error::<veeam_em::model::Error>("Error", json, 3, "expected i32");
    // An enumeration is a string, even an open one.
    let json = "{\n  \"TaskId\": \"task-1\",\n  \"State\": 3\n}";
    assert_json_error::<Task>("Task", json, 3, "invalid type: integer `3`, expected a string");
}

#[test]
fn json_bad_date_time() {
    let json = "{\n  \"Name\": \"p\",\n  \"CreationTimeUTC\": \"yesterday\",\n  \"VmName\": \"sql02\"\n}";
    assert_json_error::<VmReplicaPoint>(
        "VmReplicaPoint",
        json,
        3,
        "invalid value: string \"yesterday\", expected an xs:dateTime",
    );
    let json = "{\n  \"CreationTimeUTC\": 1760817630\n}";
    assert_json_error::<VmReplicaPoint>("VmReplicaPoint", json, 2, "invalid type: integer `1760817630`");
}

#[test]
fn json_bad_item_inside_a_list() {
    let json = "{\"VmReplicaPoints\": [\n  {\"Name\": \"a\", \"CreationTimeUTC\": \"2025-10-18T20:00:30Z\"},\n  \
                {\"Name\": \"b\", \"CreationTimeUTC\": \"2025-10-18T25:00:30Z\"},\n  {\"Name\": \"c\"}\n]}";
    assert_json_error::<VmReplicaPointList>("VmReplicaPoints", json, 3, "expected an xs:dateTime");
    // Links are a bare array; the second link lacks its required `Rel`.
    let json =
        "{\n  \"TaskId\": \"task-1\",\n  \"Links\": [\n    {\"Rel\": \"Up\", \"Href\": \"https://em/api\"},\n    \
                {\"Href\": \"https://em/api/tasks/task-1\"}\n  ]\n}";
    assert_json_error::<Task>("Task", json, 5, "missing field `Rel`");
    // An item that is not an object at all.
    let json = "{\"Refs\": [\n  {\"Name\": \"a\"},\n  \"b\"\n]}";
    assert_json_error::<EntityReferenceList>("EntityReferences", json, 3, "invalid type: string \"b\"");
}

#[test]
fn json_bad_value_inside_a_nested_struct() {
    let json = "{\n  \"TaskId\": \"task-1\",\n  \"Result\": {\n    \"Success\": \"true\"\n  }\n}";
    assert_json_error::<Task>("Task", json, 4, "invalid type: string \"true\", expected a boolean");
    let json = "{\n  \"Entities\": {\n    \"VmReplicaPoints\": {\"VmReplicaPoints\": [\n      \
                {\"CreationTimeUTC\": \"later\"}\n    ]}\n  }\n}";
    assert_json_error::<QueryResult>("QueryResult", json, 4, "expected an xs:dateTime");
}

#[test]
fn json_malformed_choice_alternative() {
    // A choice is read in two steps (runtime::json::optional_choice); the error names the alternative.
    for (json, message) in [
        ("{\"ToOriginalLocation\": {\"Overwrite\": \"yes\"}}", "expected a boolean"),
        ("{\"ToOriginalLocation\": \"yes\"}", "invalid type: string \"yes\""),
        ("{\"ToOriginalLocation\": {\"GuestCredentials\": {\"UserName\": \"u\"}}}", "missing field `Password`"),
    ] {
        let error = json_error::<FileRestoreSpec>(json);
        let shown = error.to_string();
        assert!(shown.contains("ToOriginalLocation") && shown.contains(message), "`{shown}`\n{json}");
        assert_eq!(error.classify(), Category::Data, "`{shown}`");
    }
    let json = "{\"Href\": \"https://em/api/x\", \"FileEntry\": {\"Path\": \"E:/a\", \"Size\": \"big\"}}";
    let error = json_error::<FileSystemEntry>(json);
    let shown = error.to_string();
    assert!(shown.contains("FileEntry") && shown.contains("invalid type: string \"big\""), "`{shown}`");
    assert!(matches!(Document::from_json("FileSystemEntry", json), Some(Err(_))));
}

#[test]
fn json_two_alternatives_of_one_choice() {
    let json = "{\"ToOriginalLocation\": {}, \"ForDirectDownload\": {}}";
    let error = json_error::<FileRestoreSpec>(json);
    assert!(error.to_string().contains("are alternatives; only one may be present"), "`{error}`");
    // `null` is absence, so one real alternative next to a null one is fine.
    let spec: FileRestoreSpec = serde_json::from_str("{\"ToOriginalLocation\": null, \"ForDirectDownload\": {}}")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.target, Some(FileRestoreSpecTarget::ForDirectDownload));
}

#[test]
fn json_object_where_a_string_is_expected() {
    let json = "{\n  \"TaskId\": {\"Value\": \"task-1\"}\n}";
    assert_json_error::<Task>("Task", json, 2, "invalid type: map, expected a string");
    let json = "{\n  \"Href\": [\"https://em/api\"]\n}";
    assert_json_error::<Task>("Task", json, 2, "invalid type: sequence, expected a string");
    let json = "{\n  \"TaskId\": \"task-1\",\n  \"State\": {\"Value\": \"Running\"}\n}";
    assert_json_error::<Task>("Task", json, 3, "invalid type: map, expected a string");
}

#[test]
fn json_wrong_shape_for_a_list() {
    // `Links` is a bare array in EM's JSON.
    let json = "{\n  \"TaskId\": \"task-1\",\n  \"Links\": {\"Rel\": \"Up\", \"Href\": \"https://em/api\"}\n}";
    assert_json_error::<Task>("Task", json, 3, "invalid type: map, expected a sequence");
    // `FSRoots` is an object holding the array under `DirectoryEntries`.
    let json = "{\n  \"FSRoots\": [{\"Path\": \"C:/\"}]\n}";
    assert_json_error::<VmReplicaPointMount>(
        "VmReplicaPointMount",
        json,
        2,
        "expected an object with a `DirectoryEntries` array",
    );
    let json = "{\n  \"FSRoots\": {\"DirectoryEntries\": {\"Path\": \"C:/\"}}\n}";
    assert_json_error::<VmReplicaPointMount>("VmReplicaPointMount", json, 2, "expected a sequence");
}

#[test]
fn json_missing_or_null_required_values_are_errors_not_defaults() {
    let json = "{\"Links\": [{\"Href\": \"https://em/api\"}]}";
    assert!(json_error::<Task>(json).to_string().contains("missing field `Rel`"));
    let json = "{\"Links\": [{\"Rel\": null, \"Href\": \"https://em/api\"}]}";
    assert!(json_error::<Task>(json).to_string().contains("invalid type: null, expected a string"));
}

#[test]
fn json_list_wrapper_with_the_wrong_key() {
    let json = "{\n  \"FSRoots\": {\"DirectoryEntry\": [{\"Path\": \"C:/\"}]}\n}";
    let error = json_error::<VmReplicaPointMount>(json);
    assert!(error.to_string().contains("DirectoryEntries"), "`{error}`");
    let json = "{\"Items\": [{\"Name\": \"a\"}]}";
    json_error::<EntityReferenceList>(json);
}

#[test]
fn json_marker_with_a_value_that_is_not_an_object() {
    for json in ["{\"ForDirectDownload\": false}", "{\"ForDirectDownload\": \"no\"}", "{\"ForDirectDownload\": 0}"] {
        let error = json_error::<FileRestoreSpec>(json);
        assert!(error.to_string().contains("ForDirectDownload"), "`{error}`");
    }
}
