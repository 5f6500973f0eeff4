//! The schema loader's error reports: one test per kind of problem, each with the smallest schema that
//! shows it, checking the file, `line:column` and text of every diagnostic.

use codegen::diagnostics::Pos;
use codegen::{Diagnostics, Source};

const A_XML: &str = "schemas/a.xml";
const B_XML: &str = "schemas/b.xml";

fn load(files: &[(&str, &str)]) -> Result<codegen::ir::Ir, Diagnostics> {
    let sources: Vec<Source> =
        files.iter().map(|(path, text)| Source { path: path.to_string(), text: text.to_string() }).collect();
    codegen::load(&sources)
}

/// Each diagnostic as displayed (`path:LINE:COL: error: message` and its `= note` lines), in report order.
/// Empty when the files load.
fn errors(files: &[(&str, &str)]) -> Vec<String> {
    match load(files) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.0.iter().map(ToString::to_string).collect(),
    }
}

/// The errors of a single file, `schemas/a.xml`.
fn errors_in(schema: &str) -> Vec<String> {
    errors(&[(A_XML, schema)])
}

/// For schemas where one mistake also trips other checks: `expected` must be among `found`.
#[track_caller]
fn assert_reported(found: &[String], expected: &str) {
    assert!(found.iter().any(|e| e == expected), "expected\n{expected}\namong\n{}", found.join("\n"));
}

// ---------------------------------------------------------------------------------------------------------
// The shape of a file (schema/parse.rs)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn not_well_formed_xml() {
    let schema = r#"<schema>
  <enum name="A">
</schema>"#;
    let found = errors_in(schema);
    assert_eq!(found.len(), 1, "{found:?}");
    // The rest of the message is roxmltree's wording.
    assert!(found[0].starts_with("schemas/a.xml:3:1: error: not well-formed XML: "), "{found:?}");
}

#[test]
fn wrong_root_element() {
    let schema = r#"<schemas>
</schemas>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:1:1: error: the root element must be `<schema>`, found `<schemas>`"]);
}

#[test]
fn unknown_element() {
    let schema = r#"<schema>
  <complex name="A">
    <elemnt name="X" type="string"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:5: error: unexpected element `<elemnt>` in `<complex>`\n  = expected one of: attribute, element, choice, text, link, doc"]
    );
}

#[test]
fn unknown_attribute_suggests_the_closest() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="string" ocurs="required"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:37: error: unknown attribute `ocurs` on `<element>`\n  = did you mean `occurs`?"]
    );
}

#[test]
fn unknown_attribute_without_a_close_match_lists_the_allowed_ones() {
    let schema = r#"<schema>
  <complex name="A" colour="red"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:21: error: unknown attribute `colour` on `<complex>`\n  = allowed: name, extends, abstract, root, rust"]
    );
}

#[test]
fn bad_occurs_value() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="string" occurs="many"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:45: error: `occurs` must be `required`, `optional` or `repeated`, not `many`"]
    );
}

#[test]
fn bad_flag_value() {
    let schema = r#"<schema>
  <complex name="A" abstract="yes"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:31: error: `abstract` must be `true` or `false`, not `yes`"]);
}

#[test]
fn missing_required_attribute() {
    let schema = r#"<schema>
  <complex/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:3: error: `<complex>` needs a `name` attribute"]);
}

#[test]
fn element_in_a_namespace() {
    let schema = r#"<schema xmlns:x="urn:x">
  <x:complex name="A"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:3: error: element `complex` is in a namespace; schema elements have none"]
    );
}

#[test]
fn stray_text() {
    let schema = r#"<schema>stray
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:1:9: error: unexpected text inside `<schema>`"]);
}

#[test]
fn description_given_twice() {
    let schema = r#"<schema>
  <enum name="E" doc="One."><doc>Two.</doc><value name="X"/></enum>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:23: error: a description is given both as `doc=` and as `<doc>`; keep one"]
    );
}

#[test]
fn more_than_one_doc_element() {
    let schema = r#"<schema>
  <doc>One.</doc>
  <doc>Two.</doc>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:3: error: more than one `<doc>`"]);
}

#[test]
fn enum_without_values() {
    let schema = r#"<schema>
  <enum name="E"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:15: error: enum `E` has no values"]);
}

#[test]
fn choice_with_one_alternative() {
    let schema = r#"<schema>
  <complex name="A">
    <choice name="Target">
      <element name="X" type="string"/>
    </choice>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:19: error: choice `Target` needs at least two alternatives"]);
}

#[test]
fn link_without_target() {
    let schema = r#"<schema>
  <complex name="P" root="P"/>
  <resource name="R" path="/r">
    <representation name="entity" type="P" link-types="P">
      <link rel="Up"/>
    </representation>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:7: error: link `Up` needs `link-type`, `method` or both"]);
}

#[test]
fn query_with_both_value_and_type() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="failover" verb="POST" status="204">
      <query name="action" value="failover" type="string"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:7: error: query `action` needs exactly one of `value` (fixed) and `type` (supplied by the caller)"]
    );
}

#[test]
fn two_request_bodies() {
    let schema = r#"<schema>
  <complex name="Spec" root="Spec"/>
  <resource name="R" path="/r">
    <method name="create" verb="POST" status="201">
      <request type="Spec"/>
      <request type="Spec"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:6:7: error: a method has at most one `<request>`"]);
}

// ---------------------------------------------------------------------------------------------------------
// Types (validate.rs)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn unknown_type_suggests_the_closest() {
    let schema = r#"<schema>
  <enum name="EntityType"><value name="Vm"/></enum>
  <complex name="A">
    <element name="Type" type="EntityTyp"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:32: error: unknown type `EntityTyp`\n  = did you mean `EntityType`?"]
    );
}

#[test]
fn unknown_type_without_a_close_match() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="Zebra"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:29: error: unknown type `Zebra`"]);
}

#[test]
fn duplicate_type_across_files() {
    let a = r#"<schema>
  <complex name="Task"/>
</schema>"#;
    let b = r#"<schema>
  <enum name="Task"><value name="X"/></enum>
</schema>"#;
    assert_eq!(
        errors(&[(A_XML, a), (B_XML, b)]),
        ["schemas/b.xml:2:15: error: duplicate type `Task`\n  = first declared at schemas/a.xml:2:18"]
    );
}

#[test]
fn built_in_type_cannot_be_declared() {
    let schema = r#"<schema>
  <complex name="string"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:18: error: `string` is a built-in type and cannot be declared"]);
}

#[test]
fn type_name_must_be_an_identifier() {
    let schema = r#"<schema>
  <complex name="vm-point"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:18: error: `vm-point` is not a valid type name"]);
}

#[test]
fn cycle_in_extends() {
    let schema = r#"<schema>
  <complex name="A" extends="B"/>
  <complex name="B" extends="A"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:2:30: error: `A` extends itself: A -> B -> A",
            "schemas/a.xml:3:30: error: `B` extends itself: B -> A -> B",
        ]
    );
}

#[test]
fn type_extending_itself() {
    let schema = r#"<schema>
  <complex name="A" extends="A"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:30: error: `A` extends itself: A -> A"]);
}

#[test]
fn extending_a_non_complex_type() {
    let schema = r#"<schema>
  <enum name="Kind"><value name="Full"/></enum>
  <complex name="A" extends="Kind"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:30: error: `A` can only extend a complex type, and `Kind` is not one"]
    );
}

#[test]
fn extending_an_unknown_type() {
    let schema = r#"<schema>
  <complex name="Base"/>
  <complex name="A" extends="Bse"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:30: error: unknown type `Bse`\n  = did you mean `Base`?"]);
}

#[test]
fn repeated_attribute() {
    let schema = r#"<schema>
  <complex name="A">
    <attribute name="X" type="string" occurs="repeated"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:47: error: attribute `X` cannot be `repeated`"]);
}

#[test]
fn repeated_list_element() {
    let schema = r#"<schema>
  <complex name="Link"/>
  <list name="LinkList" item="Link" type="Link"/>
  <complex name="A">
    <element name="Links" type="LinkList" occurs="repeated"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:5:51: error: `LinkList` is a list and already repeats its items; use `optional` or `required`"]
    );
}

#[test]
fn repeated_choice() {
    let schema = r#"<schema>
  <complex name="A">
    <choice name="C" occurs="repeated">
      <element name="X" type="string"/>
      <element name="Y" type="string"/>
    </choice>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:30: error: choice `C` cannot be `repeated`"]);
}

#[test]
fn attribute_with_a_complex_type() {
    let schema = r#"<schema>
  <complex name="Link"/>
  <complex name="A">
    <attribute name="X" type="Link"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:4:31: error: attribute `X` cannot hold the complex type `Link`"]);
}

#[test]
fn attribute_with_a_list_type() {
    let schema = r#"<schema>
  <complex name="Link"/>
  <list name="LinkList" item="Link" type="Link"/>
  <complex name="A">
    <attribute name="X" type="LinkList"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:31: error: attribute `X` cannot hold the list `LinkList`"]);
}

#[test]
fn marker_attribute() {
    let schema = r#"<schema>
  <complex name="A">
    <attribute name="X" type="marker"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:31: error: an attribute cannot be a presence-only `marker`"]);
}

#[test]
fn marker_with_occurs() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="marker" occurs="required"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:45: error: a `marker` is optional by nature; drop `occurs`"]);
}

#[test]
fn abstract_type_as_a_field_type() {
    let schema = r#"<schema>
  <complex name="Base" abstract="true"/>
  <complex name="A">
    <element name="X" type="Base"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:4:29: error: `Base` is abstract and cannot be used as a field type"]);
}

#[test]
fn duplicate_element_including_an_inherited_one() {
    let schema = r#"<schema>
  <complex name="Link"/>
  <list name="LinkList" item="Link" type="Link"/>
  <complex name="Resource" abstract="true">
    <element name="Links" type="LinkList"/>
  </complex>
  <complex name="Point" extends="Resource">
    <element name="Links" type="LinkList"/>
  </complex>
</schema>"#;
    // The same name also repeats the Rust field and the JSON name; see `a_duplicate_element_is_reported_once`.
    assert_reported(
        &errors_in(schema),
        "schemas/a.xml:8:20: error: element `Links` appears twice in `Point`\n  = first at schemas/a.xml:5:20",
    );
}

#[test]
fn fields_colliding_in_rust() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="FSRoots" type="string"/>
    <element name="FsRoots" type="string"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:20: error: `FsRoots` and `FSRoots` both become the field `fs_roots` of `A`; set `rust=` on one\n  = `FSRoots` is at schemas/a.xml:3:20"]
    );
}

#[test]
fn reserved_field_name() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="Reader" type="string"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:20: error: `Reader` would become the field `reader`, a name the generated decoder uses; set `rust=`"]
    );
}

#[test]
fn json_name_used_twice() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="string" json="Same"/>
    <element name="Y" type="string" json="Same"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:43: error: JSON name `Same` is used twice in `A`\n  = first at schemas/a.xml:3:43"]
    );
}

#[test]
fn rust_name_override_must_be_an_identifier() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="string" rust="x-y"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:43: error: `x-y` is not a valid Rust name"]);
}

#[test]
fn rust_field_override_must_be_snake_case() {
    let schema = r#"<schema>
  <complex name="A">
    <attribute name="Type" type="string" rust="LinkType"/>
    <element name="CreationTime" type="string" rust="creationTime"/>
    <choice name="Target" rust="the_Target">
      <element name="X" type="string"/>
      <element name="Y" type="string"/>
    </choice>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:3:48: error: `LinkType` is not snake_case; a Rust field or parameter name must be\n  = did you mean `link_type`?",
            "schemas/a.xml:4:54: error: `creationTime` is not snake_case; a Rust field or parameter name must be\n  = did you mean `creation_time`?",
            "schemas/a.xml:5:33: error: `the_Target` is not snake_case; a Rust field or parameter name must be\n  = did you mean `the_target`?",
        ]
    );
}

#[test]
fn rust_variant_override_must_be_upper_camel_case() {
    let schema = r#"<schema>
  <enum name="State">
    <value name="Finished" rust="finished_ok"/>
    <value name="Running" rust="type"/>
    <value name="Failed" rust="FAILED"/>
  </enum>
  <complex name="Spec">
    <choice name="Target">
      <element name="ToOriginalLocation" type="string" rust="to_original"/>
      <element name="ForDirectDownload" type="marker" rust="Download"/>
    </choice>
  </complex>
</schema>"#;
    // A keyword (`type`) is reported once, as the override it is, not again as an unusable variant.
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:3:34: error: `finished_ok` is not UpperCamelCase; a Rust enum variant name must be\n  = did you mean `FinishedOk`?",
            "schemas/a.xml:4:33: error: `type` is not UpperCamelCase; a Rust enum variant name must be\n  = did you mean `Type`?",
            "schemas/a.xml:5:32: error: `FAILED` is not UpperCamelCase; a Rust enum variant name must be\n  = did you mean `Failed`?",
            "schemas/a.xml:9:62: error: `to_original` is not UpperCamelCase; a Rust enum variant name must be\n  = did you mean `ToOriginal`?",
        ]
    );
}

#[test]
fn rust_parameter_overrides_must_be_snake_case() {
    let schema = r#"<schema>
  <complex name="Session" root="Session"/>
  <resource name="Sessions" path="/sessions/{id}">
    <param name="id" type="guid" rust="sessionId"/>
    <method name="logon" verb="POST" status="201" response="Session" auth="basic">
      <query name="v" type="string" rust="Version"/>
      <response-header name="X-RestSvcSessionId" rust="session-token" role="session-token"/>
      <response-header name="X-Other" rust="OtherHeader"/>
    </method>
  </resource>
</schema>"#;
    // `session-token` is no identifier at all: the older message, without a suggestion.
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:4:40: error: `sessionId` is not snake_case; a Rust field or parameter name must be\n  = did you mean `session_id`?",
            "schemas/a.xml:6:43: error: `Version` is not snake_case; a Rust field or parameter name must be\n  = did you mean `version`?",
            "schemas/a.xml:7:56: error: `session-token` is not a valid Rust name",
            "schemas/a.xml:8:45: error: `OtherHeader` is not snake_case; a Rust field or parameter name must be\n  = did you mean `other_header`?",
        ]
    );
}

#[test]
fn conventional_rust_overrides_pass() {
    let schema = r#"<schema>
  <enum name="State"><value name="Done-Ok" rust="DoneOk"/><value name="v1_5" rust="V15"/></enum>
  <complex name="A">
    <attribute name="Type" type="string" rust="link_type"/>
    <element name="VMwareSSOToken" type="string" rust="vmware_sso_token"/>
    <element name="X" type="string" rust="x2"/>
    <element name="Kind" type="State" rust="type"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), Vec::<String>::new());
}

#[test]
fn types_colliding_in_rust() {
    let schema = r#"<schema>
  <complex name="VmPoint"/>
  <complex name="vmPoint"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:18: error: `vmPoint` would become the Rust type `VmPoint`, which another name already takes\n  = `VmPoint` took it at schemas/a.xml:2:18"]
    );
}

#[test]
fn choice_enum_colliding_with_a_type() {
    // The choice `Target` of `Spec` becomes the Rust enum `SpecTarget`.
    let schema = r#"<schema>
  <complex name="SpecTarget"/>
  <complex name="Spec">
    <choice name="Target">
      <element name="X" type="string"/>
      <element name="Y" type="string"/>
    </choice>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:19: error: `Spec.Target` would become the Rust type `SpecTarget`, which another name already takes\n  = `SpecTarget` took it at schemas/a.xml:2:18"]
    );
}

#[test]
fn reserved_type_name() {
    let schema = r#"<schema>
  <complex name="Document"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:18: error: `Document` would become `Document`, a name the generator uses itself"]
    );
}

#[test]
fn duplicate_enum_value() {
    let schema = r#"<schema>
  <enum name="Kind">
    <value name="Full"/>
    <value name="Full"/>
  </enum>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:18: error: duplicate value `Full` in enum `Kind`\n  = first declared at schemas/a.xml:3:18"]
    );
}

#[test]
fn enum_value_unknown() {
    let schema = r#"<schema>
  <enum name="Kind">
    <value name="Unknown"/>
  </enum>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:18: error: `Unknown` is the case that keeps values the schema does not list; set `rust=`"]
    );
}

#[test]
fn enum_values_colliding_in_rust() {
    let schema = r#"<schema>
  <enum name="Platform">
    <value name="vCloud"/>
    <value name="VCloud"/>
  </enum>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:18: error: values `vCloud` and `VCloud` both become `VCloud` in Rust; set `rust=`"]
    );
}

#[test]
fn enum_value_that_is_not_a_rust_variant() {
    let schema = r#"<schema>
  <enum name="Kind">
    <value name="1st"/>
  </enum>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:18: error: value `1st` gives `1st`, which is not a usable Rust variant name; set `rust=`"]
    );
}

#[test]
fn duplicate_root_element() {
    let schema = r#"<schema>
  <complex name="A" root="Doc"/>
  <complex name="B" root="Doc"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:27: error: root element `Doc` is used by two types\n  = first used at schemas/a.xml:2:27"]
    );
}

#[test]
fn abstract_type_with_root() {
    let schema = r#"<schema>
  <complex name="A" abstract="true" root="A"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:43: error: abstract type `A` cannot be a document root"]);
}

#[test]
fn lists_of_simple_values_and_enums_load_but_not_of_markers() {
    let schema = r#"<schema>
  <enum name="Kind"><value name="Full"/></enum>
  <list name="Names" item="Name" type="string"/>
  <list name="Kinds" item="Kind" type="Kind"/>
</schema>"#;
    assert_eq!(errors_in(schema), Vec::<String>::new());
    let schema = r#"<schema>
  <list name="Flags" item="Flag" type="marker"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:40: error: list items cannot be presence-only `marker`s"]);
}

#[test]
fn list_item_that_is_not_an_element_name() {
    let schema = r#"<schema>
  <complex name="Link"/>
  <list name="LinkList" item="1Link" type="Link" item-alias="L ink!"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:3:31: error: `1Link` is not a valid element name",
            "schemas/a.xml:3:64: error: `ink!` is not a valid element name",
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Resources (validate.rs)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn path_placeholder_not_bound() {
    let schema = r#"<schema>
  <resource name="Point" path="/points/{id}"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:32: error: `{id}` in the path is not bound by a `<param name=\"id\">`"]
    );
}

#[test]
fn param_not_used_in_path() {
    let schema = r#"<schema>
  <resource name="Points" path="/points">
    <param name="id" type="guid"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:18: error: parameter `id` does not appear in the path `/points`"]);
}

#[test]
fn rest_placeholder_not_last() {
    let schema = r#"<schema>
  <resource name="File" path="/files/{*path}/content">
    <param name="path" type="string"/>
  </resource>
</schema>"#;
    // The param is then also called unused; see `a_bad_path_does_not_make_its_params_unused`.
    assert_reported(
        &errors_in(schema),
        "schemas/a.xml:2:31: error: `{*path}` takes the rest of the path and must come last in `/files/{*path}/content`",
    );
}

#[test]
fn path_not_starting_with_a_slash() {
    let schema = r#"<schema>
  <resource name="Points" path="points"/>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:33: error: path `points` must start with `/`"]);
}

#[test]
fn duplicate_param() {
    let schema = r#"<schema>
  <resource name="Point" path="/points/{id}">
    <param name="id" type="guid"/>
    <param name="id" type="guid"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:4:18: error: duplicate parameter `id`"]);
}

#[test]
fn param_with_a_non_path_type() {
    let schema = r#"<schema>
  <resource name="Point" path="/points/{id}">
    <param name="id" type="dateTime"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:28: error: a path parameter must be string, guid, uid, int or long, not `dateTime`"]
    );
}

#[test]
fn representation_type_without_root() {
    let schema = r#"<schema>
  <complex name="Point"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:41: error: representation type `Point` is not a document type (it has no `root`)"]
    );
}

#[test]
fn representation_query_not_name_value() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" query="format" link-types="Point"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:4:55: error: `format` is not a `name=value` query"]);
}

#[test]
fn duplicate_representation() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point"/>
    <representation name="entity" type="Point" link-types="Point"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:27: error: duplicate representation `entity` in `Points`"]);
}

#[test]
fn link_type_not_declared() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point">
      <link rel="Up" link-type="Pont"/>
    </representation>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:5:33: error: link type `Pont` is not declared by any representation\n  = did you mean `Point`?"]
    );
}

#[test]
fn link_type_leading_to_two_types() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <complex name="Mount" root="Mount"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point"/>
    <representation name="mount" type="Mount" link-types="Point"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:6:59: error: link type `Point` would lead to `Mount` here\n  = it leads to `Point` at schemas/a.xml:5:60"]
    );
}

#[test]
fn link_method_that_does_not_exist() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point">
      <link rel="Delete" method="delet"/>
    </representation>
    <method name="delete" verb="DELETE" status="204"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:5:34: error: link method `delet`: `Points` has no method `delet`\n  = did you mean `delete`?"]
    );
}

#[test]
fn link_method_of_an_unknown_resource() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point">
      <link rel="Mount" method="Volumes.create"/>
    </representation>
  </resource>
</schema>"#;
    // No resource name is close to `Volumes`: no suggestion.
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:33: error: link method `Volumes.create`: no resource `Volumes`"]);
}

#[test]
fn link_method_of_a_misspelled_resource_suggests_the_closest() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <complex name="Task" root="Task"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point">
      <link rel="Mount" method="VmReplicaPointMount.create"/>
      <link rel="Delete" method="points.delete"/>
      <link rel="Restore" method="VmReplicaPointMounts.creat"/>
    </representation>
    <method name="delete" verb="DELETE" status="204"/>
  </resource>
  <resource name="VmReplicaPointMounts" path="/points/mounts">
    <method name="create" verb="POST" status="202" response="Task" returns-task="true"/>
  </resource>
</schema>"#;
    // Within an edit distance of 2, or equal but for case; the method of a known resource likewise.
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:6:33: error: link method `VmReplicaPointMount.create`: no resource `VmReplicaPointMount`\n  = did you mean `VmReplicaPointMounts`?",
            "schemas/a.xml:7:34: error: link method `points.delete`: no resource `points`\n  = did you mean `Points`?",
            "schemas/a.xml:8:35: error: link method `VmReplicaPointMounts.creat`: `VmReplicaPointMounts` has no method `creat`\n  = did you mean `create`?",
        ]
    );
}

#[test]
fn bad_verb() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="patch" verb="PATCH" status="204"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:32: error: `verb` must be GET, POST, PUT or DELETE, not `PATCH`"]);
}

#[test]
fn bad_status() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="get" verb="GET" status="2OO"/>
    <method name="put" verb="PUT" status="600"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:3:43: error: `2OO` is not an HTTP status code",
            "schemas/a.xml:4:43: error: `600` is not an HTTP status code",
        ]
    );
}

#[test]
fn returns_task_with_a_status_other_than_202() {
    let schema = r#"<schema>
  <complex name="Task" root="Task"/>
  <resource name="R" path="/r">
    <method name="failover" verb="POST" status="200" response="Task" returns-task="true"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:4:49: error: a method that returns a task answers 202"]);
}

#[test]
fn returns_task_without_a_response() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="failover" verb="POST" status="202" returns-task="true"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:19: error: a method that returns a task needs a `response` document type"]
    );
}

#[test]
fn bad_auth() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="logon" verb="POST" status="201" auth="token"/>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:57: error: `auth` must be session, basic or none, not `token`"]);
}

#[test]
fn method_name_not_snake_case() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="startFailover" verb="POST" status="204"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:19: error: method name `startFailover` must be a snake_case identifier\n  = did you mean `start_failover`?"]
    );
}

#[test]
fn caller_query_with_a_complex_type() {
    let schema = r#"<schema>
  <complex name="Filter"/>
  <resource name="R" path="/r">
    <method name="find" verb="GET" status="204">
      <query name="filter" type="Filter"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:34: error: query parameter `filter` must have a simple type"]);
}

#[test]
fn duplicate_query_parameter() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="failover" verb="POST" status="204">
      <query name="action" value="failover"/>
      <query name="action" value="undo"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:20: error: duplicate query parameter `action`"]);
}

#[test]
fn bad_media_type() {
    let schema = r#"<schema>
  <complex name="Spec" root="Spec"/>
  <resource name="R" path="/r">
    <method name="create" verb="POST" status="201">
      <request type="Spec" media="application/xml text/xml"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:5:51: error: `text/xml` is not a media type EM accepts (application/xml, application/json)"]
    );
}

#[test]
fn request_type_without_root() {
    let schema = r#"<schema>
  <complex name="Spec"/>
  <resource name="R" path="/r">
    <method name="create" verb="POST" status="201">
      <request type="Spec"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:5:22: error: request type `Spec` is not a document type (it has no `root`)"]
    );
}

#[test]
fn duplicate_method_name() {
    let schema = r#"<schema>
  <resource name="R" path="/r">
    <method name="delete" verb="DELETE" status="204"/>
    <method name="delete" verb="POST" status="204"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:19: error: duplicate method `delete` in `R`\n  = first declared at schemas/a.xml:3:19"]
    );
}

#[test]
fn duplicate_resource_across_files() {
    let a = r#"<schema>
  <resource name="Points" path="/points"/>
</schema>"#;
    let b = r#"<schema>
  <resource name="Points" path="/restorePoints"/>
</schema>"#;
    assert_eq!(
        errors(&[(A_XML, a), (B_XML, b)]),
        ["schemas/b.xml:2:19: error: duplicate resource `Points`\n  = first declared at schemas/a.xml:2:19"]
    );
}

// ---------------------------------------------------------------------------------------------------------
// The report as a whole
// ---------------------------------------------------------------------------------------------------------

/// Problems found by different stages and files come out in one list, sorted by file (in load order) and
/// position, not in the order the checks ran.
#[test]
fn many_errors_are_all_reported_sorted_by_file_then_position() {
    let a = r#"<schema>
  <resource name="R" path="/r/{id}">
    <method name="get" verb="PATCH" status="200"/>
  </resource>
  <complex name="A" colour="red">
    <element name="X" type="strin"/>
  </complex>
</schema>"#;
    let b = r#"<schema>
  <enum name="Kind">
    <value name="Unknown"/>
  </enum>
  <complex name="A"/>
</schema>"#;
    let diagnostics = load(&[(A_XML, a), (B_XML, b)]).expect_err("the schema has errors");
    let expected = [
        "schemas/a.xml:2:28: error: `{id}` in the path is not bound by a `<param name=\"id\">`",
        "schemas/a.xml:3:30: error: `verb` must be GET, POST, PUT or DELETE, not `PATCH`",
        "schemas/a.xml:5:21: error: unknown attribute `colour` on `<complex>`\n  = allowed: name, extends, abstract, root, rust",
        "schemas/a.xml:6:29: error: unknown type `strin`\n  = did you mean `string`?",
        "schemas/b.xml:3:18: error: `Unknown` is the case that keeps values the schema does not list; set `rust=`",
        "schemas/b.xml:5:18: error: duplicate type `A`\n  = first declared at schemas/a.xml:5:18",
    ];
    assert_eq!(diagnostics.len(), 6);
    let found: Vec<String> = diagnostics.0.iter().map(ToString::to_string).collect();
    assert_eq!(found, expected);
    assert_eq!(diagnostics.to_string(), format!("{}\n6 errors", expected.join("\n")));
}

#[test]
fn diagnostic_fields_match_the_display() {
    let a = r#"<schema>
  <complex name="Task"/>
</schema>"#;
    let b = r#"<schema>
  <complex name="Task"/>
</schema>"#;
    let diagnostics = load(&[(A_XML, a), (B_XML, b)]).expect_err("the schema has errors");
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics.0[0];
    assert_eq!(d.file, "schemas/b.xml");
    assert_eq!(d.pos, Pos { file: 1, line: 2, col: 18 });
    assert_eq!(d.message, "duplicate type `Task`");
    assert_eq!(d.notes, ["first declared at schemas/a.xml:2:18"]);
    assert_eq!(
        diagnostics.to_string(),
        "schemas/b.xml:2:18: error: duplicate type `Task`\n  = first declared at schemas/a.xml:2:18\n1 error"
    );
}

#[test]
fn columns_count_characters_and_lines_end_with_crlf_too() {
    // `ö` and `ß` take two bytes each but one column.
    let schema =
        "<schema>\r\n  <complex name=\"A\" doc=\"Größe\"><element name=\"X\" type=\"Y\"/></complex>\r\n</schema>\r\n";
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:57: error: unknown type `Y`\n  = did you mean `A`?"]);
}

/// The "A complete small example" of `schemas/README.md` must load, so the README stays honest.
#[test]
fn readme_example_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/README.md");
    let readme = std::fs::read_to_string(path).expect("schemas/README.md");
    let start = readme.find("```xml\n").expect("an ```xml block in the README") + "```xml\n".len();
    let len = readme[start..].find("```").expect("the end of the ```xml block");
    let example = &readme[start..start + len];
    assert!(example.contains("<resource"), "not the complete example:\n{example}");
    assert_eq!(errors(&[("schemas/README.md", example)]), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------------------
// Regressions: problems these tests found in the loader, each fixed.
// ---------------------------------------------------------------------------------------------------------

/// `C` only extends a type that is in a cycle; the cycle is reported where it is (on `A` and `B`), and `C`
/// does not extend itself.
#[test]
fn extending_into_a_cycle_blames_only_the_cycle() {
    let schema = r#"<schema>
  <complex name="A" extends="B"/>
  <complex name="B" extends="A"/>
  <complex name="C" extends="A"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:2:30: error: `A` extends itself: A -> B -> A",
            "schemas/a.xml:3:30: error: `B` extends itself: B -> A -> B",
        ]
    );
}

#[test]
fn extending_a_built_in_type() {
    let schema = r#"<schema>
  <complex name="A" extends="string"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:30: error: `A` can only extend a complex type, and `string` is not one"]
    );
}

#[test]
fn a_duplicate_element_is_reported_once() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="X" type="string"/>
    <element name="X" type="string"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:20: error: element `X` appears twice in `A`\n  = first at schemas/a.xml:3:20"]
    );
}

/// A non-abstract base with a problem of its own: the problem is the base's, not each derived type's.
#[test]
fn a_base_type_problem_is_not_repeated_for_derived_types() {
    let schema = r#"<schema>
  <complex name="Base">
    <element name="X" type="string"/>
    <element name="X" type="string" rust="x2" json="X2"/>
  </complex>
  <complex name="Derived" extends="Base"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:20: error: element `X` appears twice in `Base`\n  = first at schemas/a.xml:3:20"]
    );
}

#[test]
fn a_bad_path_does_not_make_its_params_unused() {
    let schema = r#"<schema>
  <resource name="File" path="/files/{*path}/content">
    <param name="path" type="string"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:31: error: `{*path}` takes the rest of the path and must come last in `/files/{*path}/content`"]
    );
}

/// Element and attribute names become Rust fields (`names::field`); names that give no identifier used to
/// load and then make the emitter panic (`"1st" is not a valid Ident`) or fail (`pub self: ...`).
#[test]
fn field_names_must_give_rust_identifiers() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="1st" type="string"/>
    <element name="Self" type="string"/>
    <attribute name="" type="string"/>
  </complex>
</schema>"#;
    let found = errors_in(schema);
    let at: Vec<&str> = found.iter().map(|e| e.split(": error: ").next().unwrap_or_default()).collect();
    assert_eq!(at, ["schemas/a.xml:3:20", "schemas/a.xml:4:20", "schemas/a.xml:5:22"], "{found:#?}");
}

/// Same for choice alternatives, which become enum variants (`names::type_name`).
#[test]
fn choice_alternative_names_must_give_rust_identifiers() {
    let schema = r#"<schema>
  <complex name="A">
    <choice name="C">
      <element name="1x" type="string"/>
      <element name="Y" type="string"/>
    </choice>
  </complex>
</schema>"#;
    let found = errors_in(schema);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("schemas/a.xml:4:22: error: "), "{found:#?}");
}

/// Element and attribute names are XML names, like list item names.
#[test]
fn element_names_must_be_xml_names() {
    let schema = r#"<schema>
  <complex name="A">
    <element name="Has Space" type="string"/>
  </complex>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:3:20: error: `Has Space` is not a valid element name"]);
}

/// The README says every element may carry `doc="..."`, `<schema>` included.
#[test]
fn schema_doc_attribute_is_the_module_doc() {
    let ir = load(&[(A_XML, r#"<schema doc="Module doc."/>"#)]).expect("loads");
    assert_eq!(ir.modules[0].doc.as_deref(), Some("Module doc."));
}

#[test]
fn request_required_must_be_true_or_false() {
    let schema = r#"<schema>
  <complex name="Spec" root="Spec"/>
  <resource name="R" path="/r">
    <method name="create" verb="POST" status="201">
      <request type="Spec" required="maybe"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:5:38: error: `required` must be `true` or `false`, not `maybe`"]);
}

/// Editors do not count a byte order mark as a column.
#[test]
fn byte_order_mark_is_not_a_column() {
    let schema = "\u{feff}<schema><complex name=\"A\"><element name=\"X\" type=\"Y\"/></complex></schema>";
    assert_eq!(errors_in(schema), ["schemas/a.xml:1:51: error: unknown type `Y`\n  = did you mean `A`?"]);
}

/// Word lists (`link-types`, `media`, `item-alias`) place each word by its offset in the source text.
#[test]
fn words_after_an_entity_reference_keep_their_column() {
    let schema = r#"<schema>
  <complex name="Point" root="Point"/>
  <complex name="Mount" root="Mount"/>
  <resource name="Points" path="/points">
    <representation name="entity" type="Point" link-types="Point"/>
    <representation name="mount" type="Mount" link-types="&#77;ount Point"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:6:69: error: link type `Point` would lead to `Mount` here\n  = it leads to `Point` at schemas/a.xml:5:60"]
    );
}

/// Stray text after a line break is reported where the text is, not where its text node starts.
#[test]
fn stray_text_is_reported_where_it_is() {
    let schema = r#"<schema>
  stray
</schema>"#;
    assert_eq!(errors_in(schema), ["schemas/a.xml:2:3: error: unexpected text inside `<schema>`"]);
}

#[test]
fn occurs_on_a_choice_alternative_is_reported_once() {
    let schema = r#"<schema>
  <complex name="A">
    <choice name="C">
      <element name="X" type="string" occurs="bogus"/>
      <element name="Y" type="string"/>
    </choice>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:39: error: unknown attribute `occurs` on `<element>`\n  = allowed: name, type, json, rust"]
    );
}

#[test]
fn a_type_that_contains_itself_by_value() {
    let schema = r#"<schema>
  <complex name="Node">
    <element name="Next" type="Hop"/>
    <element name="Children" type="NodeList"/>
  </complex>
  <complex name="Hop">
    <element name="Target" type="Node"/>
  </complex>
  <list name="NodeList" item="Node" type="Node"/>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:2:18: error: `Node` contains itself through Node.Next -> Hop.Target\n  = only a list or a `repeated` element can hold a value of the type that holds it",
            "schemas/a.xml:6:18: error: `Hop` contains itself through Hop.Target -> Node.Next\n  = only a list or a `repeated` element can hold a value of the type that holds it",
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Client and server constructs (validate/roles.rs, resource checks)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn unknown_role_suggests_the_closest() {
    let schema = r#"<schema>
  <complex name="L">
    <attribute name="Rel" type="string" role="rell"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:3:47: error: unknown role `rell`\n  = did you mean `rel`?\n  = roles: rel, href, link-type, name, links, state, result, success, message, status-code, items, paging, pages-count"]
    );
}

#[test]
fn role_must_fit_the_field_type() {
    let schema = r#"<schema>
  <complex name="T">
    <attribute name="Ok" type="string" role="success"/>
    <element name="Links" type="string" role="links"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:3:46: error: a field with role `success` must be a boolean, and `Ok` is `string`",
            "schemas/a.xml:4:47: error: a field with role `links` must be an element holding a list of links, and `Links` is `string`",
        ]
    );
}

#[test]
fn role_given_twice_through_a_base() {
    let schema = r#"<schema>
  <complex name="Base" abstract="true">
    <attribute name="Href" type="url" role="href"/>
  </complex>
  <complex name="T" extends="Base">
    <attribute name="Link" type="url" role="href"/>
  </complex>
</schema>"#;
    let found = errors_in(schema);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("schemas/a.xml:6:45: error: role `href` is given twice in one type"), "{found:?}");
}

#[test]
fn representation_auth_is_session_or_none() {
    let schema = r#"<schema>
  <complex name="D" root="D"/>
  <resource name="R" path="/r">
    <representation name="default" type="D" auth="basic"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:4:51: error: a representation's `auth` must be session or none, not `basic`"]
    );
}

#[test]
fn session_token_header_only_on_the_logon_method() {
    let schema = r#"<schema>
  <complex name="D" root="D"/>
  <resource name="R" path="/r">
    <method name="get" verb="GET" status="200" response="D">
      <response-header name="X-Token" role="session-token"/>
      <response-header name="X-Other" role="token"/>
    </method>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:5:30: error: only the logon method (`auth=\"basic\"`) can carry the session token",
            "schemas/a.xml:6:45: error: unknown header role `token`; the only one is `session-token`",
        ]
    );
}

#[test]
fn json_key_only_on_list_elements() {
    let schema = r#"<schema>
  <complex name="T">
    <attribute name="A" type="string" json-key="X"/>
    <element name="E" type="string" json-key="Y"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:3:49: error: `json-key` applies to elements holding a list, not to attributes",
            "schemas/a.xml:4:47: error: `json-key` applies to elements holding a list, and `string` is not one",
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Text content (`<text>`)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn text_content_excludes_child_elements() {
    let schema = r#"<schema>
  <complex name="Base">
    <element name="Slot" type="string"/>
  </complex>
  <complex name="Day" extends="Base">
    <attribute name="Name" type="string"/>
    <text name="Hours" type="string"/>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:7:17: error: `Day` has text content, so it cannot also have child elements\n  \
             = `Slot` at schemas/a.xml:3:20"]
    );
}

#[test]
fn text_content_once_and_of_a_simple_type() {
    let schema = r#"<schema>
  <complex name="Inner"/>
  <complex name="Day">
    <text name="Hours" type="string"/>
    <text name="Again" type="Inner"/>
  </complex>
</schema>"#;
    let found = errors_in(schema);
    assert_reported(&found, "schemas/a.xml:5:17: error: `Day` has text content twice\n  = first at schemas/a.xml:4:17");
    assert_reported(&found, "schemas/a.xml:5:30: error: attribute `Again` cannot hold the complex type `Inner`");
}

// ---------------------------------------------------------------------------------------------------------
// Amendments from another file (`<extend>`, `<correct>`, schema/merge.rs)
// ---------------------------------------------------------------------------------------------------------

const BASE: &str = r#"<schema>
  <enum name="Kind">
    <value name="Replica"/>
  </enum>
  <complex name="Point" root="Point">
    <attribute name="Name" type="string"/>
    <element name="Kind" type="Kind"/>
    <choice name="Target">
      <element name="Here" type="marker"/>
      <element name="There" type="string"/>
    </choice>
  </complex>
  <resource name="Points" path="/points/{id}">
    <param name="id" type="string"/>
    <representation name="entity" type="Point" query="format=Entity" link-types="Point"/>
  </resource>
</schema>"#;

#[test]
fn extend_adds_members_values_alternatives_methods_and_links() {
    let more = r#"<schema>
  <extend enum="Kind"><value name="Backup"/></extend>
  <extend complex="Point">
    <element name="Size" type="long"/>
    <choice name="Target"><element name="Elsewhere" type="string"/></choice>
  </extend>
  <extend resource="Points">
    <method name="remove" verb="DELETE" status="204"/>
    <link representation="entity" rel="Delete" method="remove"/>
  </extend>
  <correct complex="Point">
    <attribute name="Name" occurs="required" json="DisplayName"/>
  </correct>
</schema>"#;
    let ir = load(&[(A_XML, BASE), (B_XML, more)]).unwrap_or_else(|d| panic!("{d}"));
    let point = ir.types().find(|t| t.name == "Point").unwrap();
    let codegen::ir::TypeKind::Struct(s) = &point.kind else { panic!("{point:?}") };
    let names: Vec<&str> = s.fields.iter().map(|f| f.rust_name.as_str()).collect();
    assert!(names.contains(&"size"), "{names:?}");
    let name = s.fields.iter().find(|f| f.rust_name == "name").unwrap();
    assert_eq!((name.occurs, name.json_name.as_deref()), (codegen::ir::Occurs::Required, Some("DisplayName")));
    let target = ir.types().find(|t| t.rust_name == "PointTarget").unwrap();
    let codegen::ir::TypeKind::Choice(c) = &target.kind else { panic!("{target:?}") };
    assert_eq!(c.alternatives.len(), 3);
    let kind = ir.types().find(|t| t.name == "Kind").unwrap();
    let codegen::ir::TypeKind::Enum(e) = &kind.kind else { panic!("{kind:?}") };
    assert_eq!(e.values.len(), 2);
    let points = &ir.resources[0];
    assert_eq!(points.methods.len(), 1);
    assert_eq!(points.representations[0].links.len(), 1);
}

#[test]
fn amendments_must_match_what_they_amend() {
    let more = r#"<schema>
  <extend complex="Pointe"><element name="Size" type="long"/></extend>
  <extend complex="Point"><attribute name="Name" type="string"/></extend>
  <correct complex="Point"><element name="Colour" occurs="required"/></correct>
  <extend enum="Kind"><value name="Replica"/></extend>
  <correct enum="Kind"><value name="Gone" rust="Gone"/></correct>
  <extend resource="Points"><link representation="reference" rel="Up" method="x"/></extend>
</schema>"#;
    assert_eq!(
        errors(&[(A_XML, BASE), (B_XML, more)]),
        [
            "schemas/b.xml:2:20: error: cannot extend `Pointe`: no complex type of that name is declared",
            "schemas/b.xml:3:44: error: `Point` already has a member `Name`\n  = declared at schemas/a.xml:6:22; `<correct>` changes a member",
            "schemas/b.xml:4:43: error: `Point` has no member `Colour` to correct",
            "schemas/b.xml:5:36: error: enum `Kind` already has the value `Replica`\n  = declared at schemas/a.xml:3:18",
            "schemas/b.xml:6:37: error: enum `Kind` has no value `Gone` to correct",
            "schemas/b.xml:7:51: error: resource `Points` has no representation `reference`",
        ]
    );
}

#[test]
fn links_declared_on_a_type_name_a_resource_method() {
    let more = r#"<schema>
  <complex name="Entry">
    <link rel="Down" link-type="Point" doc="The point."/>
    <link rel="Delete" method="remove"/>
    <link rel="Up" link-type="Pointe"/>
  </complex>
  <extend complex="Point"><link rel="Self" method="Points.nope"/></extend>
</schema>"#;
    assert_eq!(
        errors(&[(A_XML, BASE), (B_XML, more)]),
        [
            "schemas/b.xml:4:32: error: link method `remove`: a link on a type names `Resource.method`",
            "schemas/b.xml:5:31: error: link type `Pointe` is not declared by any representation\n  = did you mean `Point`?",
            "schemas/b.xml:7:52: error: link method `Points.nope`: `Points` has no method `nope`",
        ]
    );
    let ok = r#"<schema>
  <complex name="Entry"><link rel="Down" link-type="Point"/></complex>
</schema>"#;
    let ir = load(&[(A_XML, BASE), (B_XML, ok)]).unwrap_or_else(|d| panic!("{d}"));
    let entry = ir.types().find(|t| t.name == "Entry").unwrap();
    let codegen::ir::TypeKind::Struct(s) = &entry.kind else { panic!("{entry:?}") };
    assert_eq!(s.links.len(), 1);
    assert_eq!(s.links[0].link_type.as_deref(), Some("Point"));
}

#[test]
fn a_type_may_be_renamed_for_rust_where_declared_or_by_a_correction() {
    let xsd_like = r#"<schema>
  <complex name="BackupFiles" root="BackupFiles"><element name="Name" type="string"/></complex>
  <enum name="kind" rust="Kind"><value name="Full"/></enum>
</schema>"#;
    let fix = r#"<schema>
  <correct complex="BackupFiles" rust="BackupFileList"/>
</schema>"#;
    let ir = load(&[(A_XML, xsd_like), (B_XML, fix)]).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<&str> = ir.types().map(|t| t.rust_name.as_str()).collect();
    assert_eq!(names, ["BackupFileList", "Kind"]);
    let bad = r#"<schema>
  <correct complex="BackupFiles" rust="backup_file_list"/>
  <extend complex="BackupFiles" rust="Other"/>
</schema>"#;
    let found = errors(&[(A_XML, xsd_like), (B_XML, bad)]);
    assert_reported(&found, "schemas/b.xml:3:39: error: `rust` renames in `<correct>`, not in `<extend>`");
    assert_reported(
        &found,
        "schemas/b.xml:2:40: error: `backup_file_list` is not UpperCamelCase; a Rust type name must be\n  \
         = did you mean `BackupFileList`?",
    );
}

#[test]
fn calls_may_not_take_the_client_handles_own_names() {
    let schema = r#"<schema>
  <complex name="Job" root="Job"/>
  <resource name="Jobs" path="/jobs/{id}">
    <param name="id" type="string"/>
    <representation name="url" type="Job"/>
    <method name="clone" verb="POST" status="202"/>
  </resource>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:5:27: error: `url` is taken on the client handle of `Jobs`; name the call otherwise\n  \
             = for example `url_jobs`",
            "schemas/a.xml:6:19: error: `clone` is taken on the client handle of `Jobs`; name the call otherwise\n  \
             = for example `clone_jobs`",
        ]
    );
}
