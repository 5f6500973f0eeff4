//! The XSD front end (`codegen::xsd`): `.xsd` files read into the schema language's syntax tree, checked
//! through `codegen::load` -> IR (types, fields, occurrences, roots, enum values, descriptions), generated
//! without snapshots, and the located errors and warnings of what it does not support.
//!
//! Small schemas are written inline (their positions are part of the expectations); the bigger ones live
//! in `tests/xsd/`.

use std::path::Path;

use codegen::ir::{AltContent, FieldKind, Ir, ListType, Occurs, StructType, TypeDef, TypeKind, ValueType};
use codegen::{Diagnostics, Source};

const A_XSD: &str = "schemas/a.xsd";

fn sources(files: &[(&str, &str)]) -> Vec<Source> {
    files.iter().map(|(path, text)| Source { path: path.to_string(), text: text.to_string() }).collect()
}

/// Loads the files, generates every output file from the IR (the snapshot-free check that emitting
/// works), and returns the IR with the warnings as displayed.
#[track_caller]
fn load_all(files: &[(&str, &str)]) -> (Ir, Vec<String>) {
    let (ir, warnings) = codegen::load_with_warnings(&sources(files)).unwrap_or_else(|d| panic!("{d}"));
    generates(&ir);
    (ir, warnings.0.iter().map(ToString::to_string).collect())
}

/// [`load_all`] of one file, `schemas/a.xsd`, which must load without warnings.
#[track_caller]
fn load(xsd: &str) -> Ir {
    let (ir, warnings) = load_all(&[(A_XSD, xsd)]);
    assert!(warnings.is_empty(), "unexpected warnings: {warnings:#?}");
    ir
}

/// Every output file of the crate layout and the single-file layout formats.
#[track_caller]
fn generates(ir: &Ir) {
    let files = codegen::output::crate_files(ir).unwrap_or_else(|e| panic!("{e}"));
    assert!(files.iter().any(|f| f.path.ends_with("model/mod.rs")));
    codegen::output::single_file(ir, A_XSD, "::veeam_em::runtime", "test").unwrap_or_else(|e| panic!("{e}"));
}

/// Each diagnostic as displayed (`path:LINE:COL: error: message` and its `= note` lines). Empty when the
/// files load.
fn diagnostics(files: &[(&str, &str)]) -> Vec<String> {
    match codegen::load(&sources(files)) {
        Ok(_) => Vec::new(),
        Err(d) => d.0.iter().map(ToString::to_string).collect(),
    }
}

fn errors_in(xsd: &str) -> Vec<String> {
    diagnostics(&[(A_XSD, xsd)])
}

#[track_caller]
fn assert_reported(found: &[String], expected: &str) {
    assert!(found.iter().any(|e| e == expected), "expected\n{expected}\namong\n{}", found.join("\n"));
}

/// A schema in the XML Schema namespace around `body`.
fn xsd(body: &str) -> String {
    format!("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n{body}\n</xs:schema>")
}

#[track_caller]
fn ty<'a>(ir: &'a Ir, rust_name: &str) -> &'a TypeDef {
    ir.types().find(|t| t.rust_name == rust_name).unwrap_or_else(|| {
        let names: Vec<&str> = ir.types().map(|t| t.rust_name.as_str()).take(40).collect();
        panic!("no type `{rust_name}` among {names:?}...")
    })
}

#[track_caller]
fn structure<'a>(ir: &'a Ir, rust_name: &str) -> &'a StructType {
    match &ty(ir, rust_name).kind {
        TypeKind::Struct(s) => s,
        other => panic!("`{rust_name}` is not a struct: {other:?}"),
    }
}

#[track_caller]
fn list<'a>(ir: &'a Ir, rust_name: &str) -> &'a ListType {
    match &ty(ir, rust_name).kind {
        TypeKind::List(l) => l,
        other => panic!("`{rust_name}` is not a list: {other:?}"),
    }
}

fn type_names(ir: &Ir) -> Vec<&str> {
    ir.types().map(|t| t.rust_name.as_str()).collect()
}

/// A field in one line: `name: occurs kind`, kinds as `@Attr text`, `<Elem> text`, `<Elem> Type`,
/// `<Elem> [Item]`, `<Elem> marker`, `choice Enum(A|B)`; `text` for every string-like value type.
fn describe(f: &codegen::ir::Field) -> String {
    fn value(v: &ValueType) -> String {
        match v {
            ValueType::String | ValueType::Guid | ValueType::Uid | ValueType::Url => "text".into(),
            ValueType::Boolean => "bool".into(),
            ValueType::Int => "int".into(),
            ValueType::Long => "long".into(),
            ValueType::UnsignedShort => "u16".into(),
            ValueType::DateTime => "dateTime".into(),
            ValueType::Enum(e) => format!("enum {e}"),
            #[allow(unreachable_patterns)]
            other => format!("{other:?}"),
        }
    }
    let occurs = match f.occurs {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::Repeated => "repeated",
    };
    let kind = match &f.kind {
        FieldKind::Attribute { name, value: v } => format!("@{name} {}", value(v)),
        FieldKind::Value { element, value: v } => format!("<{element}> {}", value(v)),
        FieldKind::Child { element, ty } => format!("<{element}> {ty}"),
        FieldKind::List { element, item, .. } => format!("<{element}> [{item}]"),
        FieldKind::Marker { element } => format!("<{element}> marker"),
        FieldKind::Text { value: v } => format!("text {}", value(v)),
        FieldKind::Choice { choice, alternatives } => {
            let alts: Vec<&str> = alternatives.iter().map(|a| a.element.as_str()).collect();
            format!("choice {choice}({})", alts.join("|"))
        }
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    };
    format!("{}: {occurs} {kind}", f.rust_name)
}

/// The fields of a structure in Rust order, described.
#[track_caller]
fn fields(ir: &Ir, rust_name: &str) -> Vec<String> {
    structure(ir, rust_name).fields.iter().map(describe).collect()
}

/// The element fields in wire order, described.
#[track_caller]
fn wire(ir: &Ir, rust_name: &str) -> Vec<String> {
    structure(ir, rust_name).elements_in_wire_order().into_iter().map(describe).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Complex types, sequences, occurrences, attributes, descriptions
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_named_complex_type_becomes_a_structure() {
    let ir = load(&xsd(r#"
  <xs:annotation><xs:documentation>
    Gadgets and their parts.
  </xs:documentation></xs:annotation>
  <xs:complexType name="GadgetType">
    <xs:annotation><xs:documentation>A gadget.

      It has parts.</xs:documentation></xs:annotation>
    <xs:sequence>
      <xs:element name="Serial" type="xs:long">
        <xs:annotation><xs:documentation>Serial number.</xs:documentation></xs:annotation>
      </xs:element>
      <xs:element name="Note" type="xs:string" minOccurs="0"/>
      <xs:element name="Part" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="Slot" type="xs:int" maxOccurs="4"/>
      <xs:element name="Gone" type="xs:int" minOccurs="0" maxOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="Id" type="xs:int" use="required">
      <xs:annotation><xs:documentation>Identity.</xs:documentation></xs:annotation>
    </xs:attribute>
    <xs:attribute name="Label" type="xs:string"/>
  </xs:complexType>"#));
    assert_eq!(ir.modules.len(), 1);
    assert_eq!(ir.modules[0].name, "a");
    assert_eq!(ir.modules[0].source, A_XSD);
    assert_eq!(ir.modules[0].doc.as_deref(), Some("Gadgets and their parts."));
    let gadget = ty(&ir, "Gadget");
    assert_eq!(gadget.name, "Gadget");
    assert_eq!(gadget.doc.as_deref(), Some("A gadget.\n\nIt has parts."));
    assert_eq!(
        fields(&ir, "Gadget"),
        [
            "serial: required <Serial> long",
            "note: optional <Note> text",
            "part: repeated <Part> text",
            "slot: repeated <Slot> int",
            "id: required @Id int",
            "label: optional @Label text",
        ]
    );
    let s = structure(&ir, "Gadget");
    assert_eq!(s.root, None);
    assert_eq!(s.fields[0].doc.as_deref(), Some("Serial number."));
    assert_eq!(s.fields[4].doc.as_deref(), Some("Identity."));
}

#[test]
fn nested_sequences_flatten_and_combine_occurrences() {
    let ir = load(&xsd(r#"
  <xs:complexType name="Box">
    <xs:sequence>
      <xs:element name="A" type="xs:string"/>
      <xs:sequence minOccurs="0">
        <xs:element name="B" type="xs:string"/>
        <xs:element name="C" type="xs:string" minOccurs="0"/>
        <xs:sequence>
          <xs:element name="D" type="xs:string"/>
        </xs:sequence>
      </xs:sequence>
      <xs:sequence maxOccurs="unbounded">
        <xs:element name="E" type="xs:string"/>
      </xs:sequence>
      <xs:sequence minOccurs="0" maxOccurs="0">
        <xs:element name="F" type="xs:string"/>
      </xs:sequence>
    </xs:sequence>
  </xs:complexType>"#));
    assert_eq!(
        wire(&ir, "Box"),
        [
            "a: required <A> text",
            "b: optional <B> text",
            "c: optional <C> text",
            "d: optional <D> text",
            "e: repeated <E> text",
        ]
    );
}

#[test]
fn xs_all_reads_like_a_sequence() {
    let ir = load(&xsd(r#"
  <xs:complexType name="Pair">
    <xs:all>
      <xs:element name="Left" type="xs:int"/>
      <xs:element name="Right" type="xs:int" minOccurs="0"/>
    </xs:all>
  </xs:complexType>"#));
    assert_eq!(fields(&ir, "Pair"), ["left: required <Left> int", "right: optional <Right> int"]);
}

#[test]
fn nillable_elements_are_optional_and_defaults_are_ignored_with_a_warning() {
    let schema = xsd(r#"
  <xs:complexType name="Settings">
    <xs:sequence>
      <xs:element name="Port" type="xs:int" nillable="true"/>
      <xs:element name="Mode" type="xs:string" default="fast"/>
    </xs:sequence>
    <xs:attribute name="Level" type="xs:int" default="3"/>
    <xs:attribute name="Kind" type="xs:string" fixed="plain"/>
  </xs:complexType>"#);
    let (ir, warnings) = load_all(&[(A_XSD, &schema)]);
    assert_eq!(
        fields(&ir, "Settings"),
        [
            "port: optional <Port> int",
            "mode: required <Mode> text",
            "level: optional @Level int",
            "kind: optional @Kind text"
        ]
    );
    assert_eq!(
        warnings,
        [
            "schemas/a.xsd:6:57: warning: `default` of element `Mode` is ignored: the schema language has no default or fixed values",
            "schemas/a.xsd:8:55: warning: `default` of attribute `Level` is ignored: the schema language has no default or fixed values",
            "schemas/a.xsd:9:55: warning: `fixed` of attribute `Kind` is ignored: the schema language has no default or fixed values",
        ]
    );
}

#[test]
fn an_empty_complex_type_is_a_presence_marker() {
    let ir = load(&xsd(r#"
  <xs:complexType name="FlagType"/>
  <xs:complexType name="Order">
    <xs:sequence>
      <xs:element name="Urgent" type="FlagType"/>
      <xs:element name="Gift" minOccurs="0"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    </xs:sequence>
  </xs:complexType>"#));
    assert_eq!(fields(&ir, "Order"), ["urgent: optional <Urgent> marker", "gift: optional <Gift> marker"]);
    assert_eq!(type_names(&ir), ["Order"], "an empty type nothing derives from is no declaration");
}

// ---------------------------------------------------------------------------------------------------------
// Naming
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_type_behind_exactly_one_global_element_takes_its_name_and_root() {
    let ir = load(&xsd(r#"
  <xs:complexType name="VmReplicaPointEntityType">
    <xs:sequence><xs:element name="VmName" type="xs:string" minOccurs="0"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="LinkType">
    <xs:attribute name="Href" type="xs:anyURI"/>
  </xs:complexType>
  <xs:complexType name="Holder">
    <xs:sequence><xs:element name="Link" type="LinkType"/></xs:sequence>
  </xs:complexType>
  <xs:element name="VmReplicaPoint" type="VmReplicaPointEntityType"/>"#));
    assert_eq!(type_names(&ir), ["VmReplicaPoint", "Link", "Holder"]);
    assert_eq!(structure(&ir, "VmReplicaPoint").root.as_deref(), Some("VmReplicaPoint"));
    assert_eq!(structure(&ir, "Link").root, None);
    assert_eq!(fields(&ir, "Holder"), ["link: required <Link> Link"]);
}

#[test]
fn anonymous_types_take_their_element_name() {
    let ir = load(&xsd(r#"
  <xs:element name="Job">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Schedule">
          <xs:complexType><xs:attribute name="Daily" type="xs:boolean"/></xs:complexType>
        </xs:element>
        <xs:element name="Options">
          <xs:complexType><xs:attribute name="Fast" type="xs:boolean"/></xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="Backup">
    <xs:sequence>
      <xs:element name="Options">
        <xs:complexType><xs:attribute name="Compress" type="xs:boolean"/></xs:complexType>
      </xs:element>
      <xs:element name="Job" minOccurs="0">
        <xs:complexType><xs:attribute name="Name" type="xs:string"/></xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>"#));
    // `Options` is the element of two anonymous types: both are named after their owner. `Job` is a
    // global type already: the local one is `BackupJob`.
    assert_eq!(type_names(&ir), ["Job", "Schedule", "JobOptions", "Backup", "BackupOptions", "BackupJob"]);
    assert_eq!(structure(&ir, "Job").root.as_deref(), Some("Job"));
    assert_eq!(structure(&ir, "Schedule").root, None);
    assert_eq!(
        fields(&ir, "Job"),
        ["schedule: required <Schedule> Schedule", "options: required <Options> JobOptions"]
    );
    assert_eq!(fields(&ir, "Backup"), ["options: required <Options> BackupOptions", "job: optional <Job> BackupJob"]);
}

#[test]
fn global_elements_that_share_a_type_each_get_a_document_type() {
    let ir = load(&xsd(r#"
  <xs:complexType name="NoteType">
    <xs:attribute name="Text" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="NoteListType">
    <xs:sequence><xs:element name="Note" type="NoteType" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:element name="Note" type="NoteType"/>
  <xs:element name="Memo" type="NoteType"/>
  <xs:element name="Notes" type="NoteListType"/>
  <xs:element name="Memos" type="NoteListType"/>"#));
    assert_eq!(type_names(&ir), ["Note", "NoteList", "Memo", "Notes", "Memos"]);
    // The element named like the shared type is that type's root; the other one extends it.
    assert_eq!(structure(&ir, "Note").root.as_deref(), Some("Note"));
    let memo = structure(&ir, "Memo");
    assert_eq!(memo.root.as_deref(), Some("Memo"));
    assert_eq!(memo.bases, ["Note"]);
    assert_eq!(fields(&ir, "Memo"), ["text: optional @Text text"]);
    // A shared list is copied under each element's name.
    assert_eq!(list(&ir, "NoteList").root, None);
    for (name, root) in [("Notes", "Notes"), ("Memos", "Memos")] {
        let l = list(&ir, name);
        assert_eq!((l.root.as_deref(), l.item_element.as_str(), l.item_type.as_str()), (Some(root), "Note", "Note"));
    }
}

#[test]
fn two_types_with_the_same_name_are_an_error_naming_both() {
    let schema = xsd(r#"
  <xs:complexType name="LinkType">
    <xs:attribute name="Href" type="xs:anyURI"/>
  </xs:complexType>
  <xs:complexType name="Link">
    <xs:attribute name="Rel" type="xs:string"/>
  </xs:complexType>"#);
    assert_eq!(
        errors_in(&schema),
        ["schemas/a.xsd:6:25: error: complexType `Link` becomes the type `Link`, which complexType `LinkType` also becomes\n  \
          = complexType `LinkType` is at schemas/a.xsd:3:25\n  \
          = two XSD types may not end up with the same name; rename one of them"]
    );
}

#[test]
fn an_anonymous_name_that_still_clashes_is_an_error() {
    let schema = xsd(r#"
  <xs:complexType name="BoxOptions">
    <xs:attribute name="A" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="Options">
    <xs:attribute name="B" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="Box">
    <xs:sequence>
      <xs:element name="Options">
        <xs:complexType><xs:attribute name="C" type="xs:string"/></xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>"#);
    assert_eq!(
        errors_in(&schema),
        ["schemas/a.xsd:11:25: error: the anonymous type of element `Options` in `Box` becomes the type `BoxOptions`, \
          which complexType `BoxOptions` also becomes\n  \
          = complexType `BoxOptions` is at schemas/a.xsd:3:25\n  \
          = two XSD types may not end up with the same name; rename one of them"]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Derivation
// ---------------------------------------------------------------------------------------------------------

#[test]
fn extension_puts_the_base_first_on_the_wire() {
    let ir = load(&xsd(r#"
  <xs:complexType name="ResourceType" abstract="true">
    <xs:sequence><xs:element name="Links" type="xs:string" minOccurs="0"/></xs:sequence>
    <xs:attribute name="Href" type="xs:anyURI"/>
  </xs:complexType>
  <xs:complexType name="EntityType" abstract="true">
    <xs:complexContent>
      <xs:extension base="ResourceType">
        <xs:attribute name="UID" type="xs:string"/>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:complexType name="PointType">
    <xs:complexContent>
      <xs:extension base="EntityType">
        <xs:sequence><xs:element name="Created" type="xs:dateTime"/></xs:sequence>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:complexType name="PlainType">
    <xs:complexContent>
      <xs:restriction base="xs:anyType">
        <xs:sequence><xs:element name="Value" type="xs:string"/></xs:sequence>
      </xs:restriction>
    </xs:complexContent>
  </xs:complexType>"#));
    assert_eq!(type_names(&ir), ["Point", "Plain"], "abstract bases are no Rust types");
    let point = structure(&ir, "Point");
    assert_eq!(point.bases, ["Entity", "Resource"]);
    assert_eq!(wire(&ir, "Point"), ["links: optional <Links> text", "created: required <Created> dateTime"]);
    assert_eq!(
        fields(&ir, "Point"),
        [
            "created: required <Created> dateTime",
            "uid: optional @UID text",
            "links: optional <Links> text",
            "href: optional @Href text",
        ]
    );
    assert_eq!(structure(&ir, "Plain").bases, Vec::<String>::new(), "a restriction of xs:anyType has no base");
    assert_eq!(fields(&ir, "Plain"), ["value: required <Value> text"]);
}

const RESTRICTION_BASE: &str = r#"
  <xs:complexType name="WideType">
    <xs:sequence>
      <xs:element name="A" type="xs:string" minOccurs="0"/>
      <xs:element name="B" type="xs:int" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="C" type="xs:string" minOccurs="0"/>
      <xs:element name="D" type="xs:string"/>
    </xs:sequence>
    <xs:attribute name="X" type="xs:string"/>
    <xs:attribute name="Y" type="xs:string"/>
    <xs:attribute name="Z" type="xs:string" use="required"/>
  </xs:complexType>"#;

#[test]
fn a_restriction_that_only_narrows_is_the_base_with_narrowed_occurrences() {
    let ir = load(&xsd(&format!(
        r#"{RESTRICTION_BASE}
  <xs:complexType name="NarrowType">
    <xs:complexContent>
      <xs:restriction base="WideType">
        <xs:sequence>
          <xs:element name="A" type="xs:string"/>
          <xs:element name="B" type="xs:int" maxOccurs="1"/>
          <xs:element name="D" type="xs:string"/>
        </xs:sequence>
        <xs:attribute name="X" type="xs:string" use="required"/>
        <xs:attribute name="Y" use="prohibited"/>
      </xs:restriction>
    </xs:complexContent>
  </xs:complexType>"#
    )));
    assert_eq!(
        fields(&ir, "Narrow"),
        [
            "a: required <A> text",
            "b: required <B> int",
            "d: required <D> text",
            "x: required @X text",
            "z: required @Z text",
        ]
    );
    assert_eq!(structure(&ir, "Narrow").bases, Vec::<String>::new());
}

#[test]
fn a_restriction_that_does_more_than_narrow_is_an_error() {
    let schema = xsd(&format!(
        r#"{RESTRICTION_BASE}
  <xs:complexType name="OddType">
    <xs:complexContent>
      <xs:restriction base="WideType">
        <xs:sequence>
          <xs:element name="C" type="xs:int"/>
          <xs:element name="D" type="xs:string" minOccurs="0"/>
          <xs:element name="E" type="xs:string"/>
        </xs:sequence>
        <xs:attribute name="W" type="xs:string"/>
        <xs:attribute name="Z" use="prohibited"/>
      </xs:restriction>
    </xs:complexContent>
  </xs:complexType>"#
    ));
    assert_eq!(
        errors_in(&schema),
        [
            "schemas/a.xsd:18:38: error: the restriction changes the type of element `C` from `string` to `int`; \
             a restriction may only narrow occurrences",
            "schemas/a.xsd:19:60: error: element `D` is required in `WideType`; a restriction cannot make it optional",
            "schemas/a.xsd:20:29: error: the restriction of `WideType` adds or reorders the element `E`; \
             a restriction may only narrow occurrences\n  \
             = element `E` is not where `WideType` has it, or `WideType` has no such member",
            "schemas/a.xsd:22:29: error: the restriction of `WideType` adds the attribute `W`",
            "schemas/a.xsd:23:29: error: the restriction cannot prohibit `Z`, which `WideType` requires",
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Choices
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_choice_becomes_a_choice_field_named_after_its_alternatives() {
    let ir = load(&xsd(r#"
  <xs:complexType name="CredentialsType">
    <xs:sequence><xs:element name="User" type="xs:string"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="RestoreSpec">
    <xs:sequence>
      <xs:element name="Path" type="xs:string"/>
      <xs:choice>
        <xs:annotation><xs:documentation>Where to restore.</xs:documentation></xs:annotation>
        <xs:element name="ToOriginal" type="CredentialsType"/>
        <xs:element name="ForDownload"><xs:complexType/></xs:element>
        <xs:element name="ToFolder" type="xs:string"/>
      </xs:choice>
    </xs:sequence>
  </xs:complexType>"#));
    assert_eq!(
        fields(&ir, "RestoreSpec"),
        [
            "path: required <Path> text",
            "to_original_or_for_download_or_to_folder: required choice RestoreSpecToOriginalOrForDownloadOrToFolder(ToOriginal|ForDownload|ToFolder)",
        ]
    );
    let field = &structure(&ir, "RestoreSpec").fields[1];
    assert_eq!(field.doc.as_deref(), Some("Where to restore."));
    let TypeKind::Choice(choice) = &ty(&ir, "RestoreSpecToOriginalOrForDownloadOrToFolder").kind else {
        panic!("not a choice")
    };
    let contents: Vec<&AltContent> = choice.alternatives.iter().map(|a| &a.content).collect();
    assert_eq!(
        contents,
        [&AltContent::Struct("Credentials".into()), &AltContent::Marker, &AltContent::Value(ValueType::String)]
    );
}

#[test]
fn choice_shapes_that_reduce_to_one_element_each() {
    let ir = load(&xsd(r#"
  <xs:complexType name="Shapes">
    <xs:sequence>
      <xs:choice minOccurs="0">
        <xs:element name="A" type="xs:string"/>
        <xs:sequence><xs:element name="B" type="xs:string"/></xs:sequence>
        <xs:choice>
          <xs:element name="C" type="xs:int"/>
          <xs:element name="D" type="xs:int"/>
        </xs:choice>
      </xs:choice>
      <xs:choice>
        <xs:element name="E" type="xs:string"/>
        <xs:element name="F" type="xs:string" minOccurs="0"/>
      </xs:choice>
      <xs:choice>
        <xs:element name="G" type="xs:string"/>
      </xs:choice>
      <xs:choice>
        <xs:element name="H" type="xs:string"/>
        <xs:sequence/>
      </xs:choice>
    </xs:sequence>
  </xs:complexType>"#));
    assert_eq!(
        fields(&ir, "Shapes"),
        [
            "a_or_b_or_c_or_d: optional choice ShapesAOrBOrCOrD(A|B|C|D)",
            "e_or_f: optional choice ShapesEOrF(E|F)",
            "g: required <G> text",
            "h: optional <H> text",
        ]
    );
}

#[test]
fn choices_the_ir_cannot_hold_are_errors() {
    let schema = xsd(r#"
  <xs:complexType name="Bad">
    <xs:sequence>
      <xs:choice maxOccurs="unbounded">
        <xs:element name="A" type="xs:string"/>
        <xs:element name="B" type="xs:string"/>
      </xs:choice>
      <xs:choice>
        <xs:sequence>
          <xs:element name="C" type="xs:string"/>
          <xs:element name="D" type="xs:string"/>
        </xs:sequence>
        <xs:element name="E" type="xs:string" maxOccurs="3"/>
      </xs:choice>
    </xs:sequence>
  </xs:complexType>"#);
    assert_eq!(
        errors_in(&schema),
        [
            "schemas/a.xsd:5:29: error: a repeated xs:choice is not supported: a choice holds one element \
             (make the elements repeat instead)",
            "schemas/a.xsd:10:9: error: an xs:sequence of several particles inside an xs:choice is not supported: \
             an alternative is one element",
            "schemas/a.xsd:14:58: error: alternative `E` of an xs:choice repeats, which is not supported: \
             an alternative is one element",
        ]
    );
}

#[test]
fn a_repeated_sequence_of_several_elements_is_an_error() {
    let schema = xsd(r#"
  <xs:complexType name="Pairs">
    <xs:sequence maxOccurs="unbounded">
      <xs:element name="Key" type="xs:string"/>
      <xs:element name="Value" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>"#);
    assert_eq!(
        errors_in(&schema),
        ["schemas/a.xsd:4:29: error: a repeated xs:sequence of several particles is not supported: \
          the IR repeats single elements"]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Simple types and built-ins
// ---------------------------------------------------------------------------------------------------------

#[test]
fn an_enumeration_becomes_an_open_enum() {
    let ir = load(&xsd(r#"
  <xs:simpleType name="StateType">
    <xs:annotation><xs:documentation>Progress of a task.</xs:documentation></xs:annotation>
    <xs:restriction base="xs:string">
      <xs:enumeration value="Running">
        <xs:annotation><xs:documentation>Still working.</xs:documentation></xs:annotation>
      </xs:enumeration>
      <xs:enumeration value="Finished"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Task">
    <xs:sequence>
      <xs:element name="State" type="StateType" minOccurs="0"/>
      <xs:element name="Priority">
        <xs:simpleType>
          <xs:restriction base="xs:token">
            <xs:enumeration value="Low"/>
            <xs:enumeration value="High"/>
          </xs:restriction>
        </xs:simpleType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="Mode">
      <xs:simpleType>
        <xs:restriction base="xs:string"><xs:enumeration value="Auto"/><xs:enumeration value="Manual"/></xs:restriction>
      </xs:simpleType>
    </xs:attribute>
  </xs:complexType>"#));
    let state = ty(&ir, "State");
    assert_eq!(state.doc.as_deref(), Some("Progress of a task."));
    let TypeKind::Enum(e) = &state.kind else { panic!("not an enum") };
    let values: Vec<(&str, Option<&str>)> = e.values.iter().map(|v| (v.wire.as_str(), v.doc.as_deref())).collect();
    assert_eq!(values, [("Running", Some("Still working.")), ("Finished", None)]);
    assert_eq!(
        fields(&ir, "Task"),
        [
            "state: optional <State> enum State",
            "priority: required <Priority> enum Priority",
            "mode: optional @Mode enum Mode"
        ]
    );
    assert_eq!(type_names(&ir), ["State", "Task", "Priority", "Mode"]);
}

#[test]
fn restrictions_of_built_ins_are_their_base() {
    let ir = load(&xsd(r#"
  <xs:simpleType name="UidType">
    <xs:restriction base="xs:string"><xs:pattern value="urn:veeam:.*"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="ShortUidType">
    <xs:restriction base="UidType"><xs:maxLength value="40"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="PortType">
    <xs:restriction><xs:simpleType><xs:restriction base="xs:unsignedShort"/></xs:simpleType></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Server">
    <xs:sequence><xs:element name="Port" type="PortType"/></xs:sequence>
    <xs:attribute name="UID" type="ShortUidType"/>
  </xs:complexType>"#));
    assert_eq!(fields(&ir, "Server"), ["port: required <Port> u16", "uid: optional @UID text"]);
    assert_eq!(type_names(&ir), ["Server"], "restrictions without enumerations declare nothing");
}

#[test]
fn built_ins_map_to_the_closest_schema_language_type() {
    let exact = [
        ("string", ValueType::String),
        ("normalizedString", ValueType::String),
        ("token", ValueType::String),
        ("language", ValueType::String),
        ("Name", ValueType::String),
        ("NCName", ValueType::String),
        ("NMTOKEN", ValueType::String),
        ("ID", ValueType::String),
        ("IDREF", ValueType::String),
        ("ENTITY", ValueType::String),
        ("anySimpleType", ValueType::String),
        ("anyURI", ValueType::Url),
        ("boolean", ValueType::Boolean),
        ("byte", ValueType::Byte),
        ("short", ValueType::Short),
        ("int", ValueType::Int),
        ("long", ValueType::Long),
        ("unsignedByte", ValueType::UnsignedByte),
        ("unsignedShort", ValueType::UnsignedShort),
        ("unsignedInt", ValueType::UnsignedInt),
        ("unsignedLong", ValueType::UnsignedLong),
        ("float", ValueType::Float),
        ("double", ValueType::Double),
        ("decimal", ValueType::Decimal),
        ("dateTime", ValueType::DateTime),
        ("dateTimeStamp", ValueType::DateTime),
        ("date", ValueType::Date),
        ("time", ValueType::Time),
        ("duration", ValueType::Duration),
        ("dayTimeDuration", ValueType::Duration),
        ("yearMonthDuration", ValueType::Duration),
        ("base64Binary", ValueType::Base64Binary),
        ("hexBinary", ValueType::HexBinary),
    ];
    let lossy = [
        ("integer", ValueType::Long),
        ("nonPositiveInteger", ValueType::Long),
        ("negativeInteger", ValueType::Long),
        ("nonNegativeInteger", ValueType::UnsignedLong),
        ("positiveInteger", ValueType::UnsignedLong),
        ("gYear", ValueType::String),
        ("gYearMonth", ValueType::String),
        ("gMonth", ValueType::String),
        ("gMonthDay", ValueType::String),
        ("gDay", ValueType::String),
        ("QName", ValueType::String),
        ("NOTATION", ValueType::String),
    ];
    let elements: String = exact
        .iter()
        .chain(&lossy)
        .map(|(name, _)| format!("\n      <xs:element name=\"E{name}\" type=\"xs:{name}\"/>"))
        .collect();
    let schema = xsd(&format!(
        "  <xs:complexType name=\"All\">\n    <xs:sequence>{elements}\n    </xs:sequence>\n  </xs:complexType>"
    ));
    let (ir, warnings) = load_all(&[(A_XSD, &schema)]);
    let found: Vec<(String, ValueType)> = structure(&ir, "All")
        .fields
        .iter()
        .map(|f| match &f.kind {
            FieldKind::Value { element, value } => (element[1..].to_owned(), value.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    let expected: Vec<(String, ValueType)> =
        exact.iter().chain(&lossy).map(|(n, v)| ((*n).to_owned(), v.clone())).collect();
    assert_eq!(found, expected);
    // One warning per lossy use, at its `type`, saying what is lost.
    assert_eq!(warnings.len(), lossy.len(), "{warnings:#?}");
    // `      <xs:element name="E{name}" type="xs:{name}"/>`, one a line from line 4: the `type` value.
    let at = |name: &str| {
        let line = 4 + exact.len() + lossy.iter().position(|(n, _)| *n == name).unwrap();
        let col = "      <xs:element name=\"E".len() + name.len() + "\" type=\"".len() + 1;
        format!("{line}:{col}")
    };
    assert_eq!(
        warnings[0],
        format!(
            "schemas/a.xsd:{}: warning: `xs:integer` is read as `long` (64-bit signed): values outside \
             -9223372036854775808..=9223372036854775807 fail to decode; the schema language has no unbounded integer type",
            at("integer")
        )
    );
    assert_eq!(
        warnings[3],
        format!(
            "schemas/a.xsd:{}: warning: `xs:nonNegativeInteger` is read as `unsignedLong` (64-bit unsigned): values \
             above 18446744073709551615 fail to decode; the schema language has no unbounded integer type",
            at("nonNegativeInteger")
        )
    );
    assert_eq!(
        warnings[5],
        format!(
            "schemas/a.xsd:{}: warning: `xs:gYear` has no type in the schema language yet; it is read as text (`string`)",
            at("gYear")
        )
    );
    assert!(
        warnings[10].ends_with("warning: `xs:QName` is read as text (`string`): its namespace prefix is not resolved")
    );
}

#[test]
fn value_lists_are_read_and_other_unions_are_not_supported() {
    let schema = xsd(r#"
  <xs:simpleType name="PortsType">
    <xs:list itemType="xs:unsignedShort"/>
  </xs:simpleType>
  <xs:simpleType name="EitherType">
    <xs:union memberTypes="xs:int xs:string"/>
  </xs:simpleType>
  <xs:complexType name="Holder">
    <xs:sequence>
      <xs:element name="Either" type="EitherType"/>
    </xs:sequence>
  </xs:complexType>"#);
    assert_eq!(errors_in(&schema), ["schemas/a.xsd:7:5: error: xs:union is not supported"]);
    let ir = load(&xsd(r#"
  <xs:simpleType name="PortsType">
    <xs:list itemType="xs:unsignedShort"/>
  </xs:simpleType>
  <xs:complexType name="Holder">
    <xs:sequence>
      <xs:element name="Ports" type="PortsType"/>
      <xs:element name="Tokens" type="xs:NMTOKENS"/>
      <xs:element name="Inline"><xs:simpleType><xs:list itemType="xs:int"/></xs:simpleType></xs:element>
    </xs:sequence>
  </xs:complexType>"#));
    let holder = structure(&ir, "Holder");
    let kinds: Vec<FieldKind> = holder.fields.iter().map(|f| f.kind.clone()).collect();
    let list = |v: ValueType| ValueType::List(Box::new(v));
    assert_eq!(
        kinds,
        [
            FieldKind::Value { element: "Ports".into(), value: list(ValueType::UnsignedShort) },
            FieldKind::Value { element: "Tokens".into(), value: list(ValueType::String) },
            FieldKind::Value { element: "Inline".into(), value: list(ValueType::Int) },
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Lists (the wrapper rule)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn simple_content_is_text_beside_attributes() {
    let ir = load(&xsd(r#"
  <xs:simpleType name="UnitType">
    <xs:restriction base="xs:string"><xs:enumeration value="GB"/><xs:enumeration value="TB"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="SizeType">
    <xs:annotation><xs:documentation>A size with its unit.</xs:documentation></xs:annotation>
    <xs:simpleContent>
      <xs:annotation><xs:documentation>The amount.</xs:documentation></xs:annotation>
      <xs:extension base="xs:long">
        <xs:attribute name="Unit" type="UnitType"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="LabelledSizeType">
    <xs:simpleContent>
      <xs:extension base="SizeType">
        <xs:attribute name="Label" type="xs:string"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="StrictSizeType">
    <xs:simpleContent>
      <xs:restriction base="SizeType">
        <xs:maxInclusive value="100"/>
        <xs:attribute name="Unit" type="UnitType" use="required"/>
      </xs:restriction>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="Disk">
    <xs:sequence>
      <xs:element name="Capacity" type="SizeType"/>
      <xs:element name="Used" type="LabelledSizeType" minOccurs="0"/>
      <xs:element name="Quota" type="StrictSizeType" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>"#));
    assert_eq!(ty(&ir, "Size").doc.as_deref(), Some("A size with its unit."));
    assert_eq!(fields(&ir, "Size"), ["value: required text long", "unit: optional @Unit enum Unit"]);
    let s = structure(&ir, "Size");
    assert_eq!((s.fields[0].json_name.as_deref(), s.fields[0].doc.as_deref()), (Some("Value"), Some("The amount.")));
    assert_eq!(structure(&ir, "LabelledSize").bases, ["Size"]);
    assert_eq!(
        fields(&ir, "LabelledSize"),
        ["label: optional @Label text", "value: required text long", "unit: optional @Unit enum Unit"]
    );
    assert_eq!(fields(&ir, "StrictSize"), ["value: required text long", "unit: required @Unit enum Unit"]);
    assert_eq!(
        fields(&ir, "Disk"),
        [
            "capacity: required <Capacity> Size",
            "used: optional <Used> LabelledSize",
            "quota: optional <Quota> StrictSize"
        ]
    );
}

#[test]
fn a_wrapper_of_one_repeated_element_becomes_a_list() {
    let ir = load(&xsd(r#"
  <xs:complexType name="ListType" abstract="true"/>
  <xs:complexType name="ItemType">
    <xs:attribute name="Id" type="xs:int"/>
  </xs:complexType>
  <xs:complexType name="ItemListType">
    <xs:complexContent>
      <xs:extension base="ListType">
        <xs:sequence><xs:element name="Item" type="ItemType" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:complexType name="FolderListType">
    <xs:sequence><xs:element name="Path" type="xs:string" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:simpleType name="DayType">
    <xs:restriction base="xs:string"><xs:enumeration value="Monday"/><xs:enumeration value="Friday"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Holder">
    <xs:sequence>
      <xs:element name="Items" type="ItemListType" minOccurs="0"/>
      <xs:element name="Folders" type="FolderListType"/>
      <xs:element name="Days">
        <xs:complexType>
          <xs:sequence><xs:element name="Day" type="DayType" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="Items" type="ItemListType"/>"#));
    let items = list(&ir, "Items");
    assert_eq!(
        (items.root.as_deref(), items.item_element.as_str(), items.item_type.as_str(), items.json_key.as_deref()),
        (Some("Items"), "Item", "Item", None)
    );
    // Wrappers of simple values are lists too (bare JSON arrays of values, as EM writes them).
    let folders = list(&ir, "FolderList");
    assert_eq!((folders.item_element.as_str(), &folders.item_value), ("Path", &Some(ValueType::String)));
    let days = list(&ir, "Days");
    assert_eq!((days.item_element.as_str(), &days.item_value), ("Day", &Some(ValueType::Enum("Day".into()))));
    assert_eq!(
        fields(&ir, "Holder"),
        ["items: optional <Items> [Item]", "folders: required <Folders> [String]", "days: required <Days> [Day]"]
    );
}

#[test]
fn wrappers_that_cannot_be_lists_stay_structures() {
    let ir = load(&xsd(r#"
  <xs:complexType name="ItemType">
    <xs:attribute name="Id" type="xs:int"/>
  </xs:complexType>
  <xs:complexType name="WithAttributeType">
    <xs:sequence><xs:element name="Item" type="ItemType" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="Count" type="xs:int"/>
  </xs:complexType>
  <xs:complexType name="OfTextType">
    <xs:sequence><xs:element name="Path" type="xs:string" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="BaseListType">
    <xs:sequence><xs:element name="Item" type="ItemType" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="DerivedType">
    <xs:complexContent>
      <xs:extension base="BaseListType">
        <xs:attribute name="Extra" type="xs:int"/>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:complexType name="RepeatedUseType">
    <xs:sequence><xs:element name="Item" type="ItemType" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="Holder">
    <xs:sequence>
      <xs:element name="Group" type="RepeatedUseType" maxOccurs="unbounded"/>
      <xs:element name="Total" type="xs:int"/>
    </xs:sequence>
  </xs:complexType>"#));
    for name in ["WithAttribute", "BaseList", "RepeatedUse"] {
        assert!(matches!(ty(&ir, name).kind, TypeKind::Struct(_)), "{name}");
    }
    assert_eq!(fields(&ir, "Holder"), ["group: repeated <Group> RepeatedUse", "total: required <Total> int"]);
}

// ---------------------------------------------------------------------------------------------------------
// Groups, references, namespaces
// ---------------------------------------------------------------------------------------------------------

#[test]
fn groups_attribute_groups_and_references_are_expanded() {
    let ir = load(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:test" targetNamespace="urn:test">
  <xs:group name="Timing">
    <xs:sequence>
      <xs:element name="Start" type="xs:dateTime"/>
      <xs:element name="End" type="xs:dateTime" minOccurs="0"/>
    </xs:sequence>
  </xs:group>
  <xs:attributeGroup name="Identity">
    <xs:attribute name="Id" type="xs:int" use="required"/>
    <xs:attributeGroup ref="t:More"/>
  </xs:attributeGroup>
  <xs:attributeGroup name="More">
    <xs:attribute ref="t:Tag"/>
  </xs:attributeGroup>
  <xs:attribute name="Tag" type="xs:string">
    <xs:annotation><xs:documentation>A free label.</xs:documentation></xs:annotation>
  </xs:attribute>
  <xs:element name="Comment" type="xs:string"/>
  <xs:complexType name="Session">
    <xs:sequence>
      <xs:group ref="t:Timing" minOccurs="0"/>
      <xs:element ref="t:Comment" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attributeGroup ref="t:Identity"/>
  </xs:complexType>
</xs:schema>"#,
    );
    assert_eq!(
        fields(&ir, "Session"),
        [
            "start: optional <Start> dateTime",
            "end: optional <End> dateTime",
            "comment: repeated <Comment> text",
            "id: required @Id int",
            "tag: optional @Tag text",
        ]
    );
    assert_eq!(structure(&ir, "Session").fields[4].doc.as_deref(), Some("A free label."));
}

#[test]
fn includes_and_imports_resolve_among_the_loaded_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/include");
    let sources = codegen::read_dir(&dir, "tests/xsd/include").expect("fixture folder");
    let names: Vec<&str> = sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "tests/xsd/include/common.xsd",
            "tests/xsd/include/jobs.xsd",
            "tests/xsd/include/notes.xml",
            "tests/xsd/include/other.xsd"
        ],
        "read_dir takes .xsd and .xml files in name order"
    );
    let (ir, warnings) = codegen::load_with_warnings(&sources).unwrap_or_else(|d| panic!("{d}"));
    assert!(warnings.is_empty(), "{warnings}");
    generates(&ir);
    let modules: Vec<(&str, Vec<&str>)> =
        ir.modules.iter().map(|m| (m.name.as_str(), m.types.iter().map(|t| t.rust_name.as_str()).collect())).collect();
    assert_eq!(
        modules,
        [
            ("common", vec!["Kind", "Named"]),
            ("jobs", vec!["Job", "JobList"]),
            ("notes", vec!["Note"]),
            ("other", vec!["Remote"]),
        ]
    );
    assert_eq!(structure(&ir, "Job").bases, ["Named"]);
    assert_eq!(
        fields(&ir, "Job"),
        ["kind: optional <Kind> enum Kind", "remote: optional <Remote> Remote", "name: optional @Name text"]
    );
    // A schema-language file uses the XSD types by their new names.
    assert_eq!(fields(&ir, "Note"), ["job: optional <Job> Job"]);
}

#[test]
fn a_missing_include_is_located_at_its_schema_location() {
    let schema = xsd(r#"  <xs:include schemaLocation="common.xsd"/>
  <xs:import namespace="urn:other" schemaLocation="../elsewhere/other.xsd"/>
  <xs:import namespace="urn:nowhere"/>"#);
    assert_eq!(
        diagnostics(&[(A_XSD, &schema), ("schemas/notes.xml", "<schema/>")]),
        [
            "schemas/a.xsd:2:31: error: cannot find `common.xsd` among the loaded files (looked for `schemas/common.xsd`)\n  \
             = the generator reads every .xsd and .xml file of the schema folder; put the file there",
            "schemas/a.xsd:3:52: error: cannot find `../elsewhere/other.xsd` among the loaded files (looked for `elsewhere/other.xsd`)\n  \
             = the generator reads every .xsd and .xml file of the schema folder; put the file there",
            "schemas/a.xsd:4:3: error: no loaded .xsd file has the target namespace `urn:nowhere` this `xs:import` names\n  \
             = give a `schemaLocation`, or add the file to the schema folder",
        ]
    );
    let include_xml = xsd(r#"  <xs:include schemaLocation="notes.xml"/>"#);
    assert_eq!(
        diagnostics(&[(A_XSD, &include_xml), ("schemas/notes.xml", "<schema/>")]),
        ["schemas/a.xsd:2:31: error: `notes.xml` is not an .xsd file"]
    );
}

#[test]
fn a_type_of_a_file_that_is_not_included_is_an_error() {
    let b = xsd(r#"  <xs:complexType name="Thing"><xs:attribute name="A" type="xs:string"/></xs:complexType>"#);
    let a = xsd(r#"  <xs:complexType name="User">
    <xs:sequence><xs:element name="Thing" type="Thing"/></xs:sequence>
  </xs:complexType>"#);
    assert_eq!(
        diagnostics(&[(A_XSD, &a), ("schemas/b.xsd", &b)]),
        ["schemas/a.xsd:3:49: error: type `Thing` is declared in `schemas/b.xsd`, which `schemas/a.xsd` neither includes nor imports"]
    );
}

#[test]
fn unknown_references_are_located_errors_with_suggestions() {
    let schema = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
  <xs:complexType name="LinkType"><xs:attribute name="Href" type="xs:anyURI"/></xs:complexType>
  <xs:complexType name="User">
    <xs:sequence>
      <xs:element name="A" type="t:LinkTyp"/>
      <xs:element name="B" type="LinkType"/>
      <xs:element name="C" type="q:LinkType"/>
      <xs:element name="D" type="xs:strin"/>
      <xs:element ref="t:Nothing"/>
      <xs:group ref="t:NoGroup"/>
    </xs:sequence>
    <xs:attributeGroup ref="t:NoAttributes"/>
  </xs:complexType>
</xs:schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xsd:5:34: error: unknown type `t:LinkTyp`\n  = did you mean `LinkType`?",
            "schemas/a.xsd:6:34: error: unknown type `LinkType`\n  = `LinkType` is declared in the namespace `urn:t`; check the prefix",
            "schemas/a.xsd:7:34: error: the prefix `q` of `q:LinkType` is not declared",
            "schemas/a.xsd:8:34: error: unknown XML Schema built-in type `xs:strin`",
            "schemas/a.xsd:9:24: error: unknown element `t:Nothing`",
            "schemas/a.xsd:10:22: error: unknown group `t:NoGroup`",
            "schemas/a.xsd:12:29: error: unknown attribute group `t:NoAttributes`",
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------
// Unsupported constructs: located errors, or warnings where skipping is safe
// ---------------------------------------------------------------------------------------------------------

#[test]
fn unsupported_constructs_are_located_errors() {
    let schema = xsd(r#"
  <xs:complexType name="Open">
    <xs:sequence>
      <xs:any processContents="lax"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Mixed" mixed="true">
    <xs:sequence><xs:element name="B" type="xs:string"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="Text">
    <xs:simpleContent>
      <xs:restriction base="xs:string"><xs:attribute name="Lang" type="xs:string"/></xs:restriction>
    </xs:simpleContent>
  </xs:complexType>
  <xs:element name="Head" type="Mixed" abstract="true"/>
  <xs:element name="Member" type="Open" substitutionGroup="Head"/>
  <xs:element name="Anything"/>
  <xs:complexType name="Loose">
    <xs:sequence><xs:element name="Value" type="xs:anyType"/></xs:sequence>
  </xs:complexType>"#);
    let found = errors_in(&schema);
    assert_reported(&found, "schemas/a.xsd:5:7: error: xs:any is not supported");
    assert_reported(&found, "schemas/a.xsd:8:39: error: mixed content (`mixed=\"true\"`) is not supported");
    assert_reported(
        &found,
        "schemas/a.xsd:13:29: error: a simpleContent restriction derives from a complexType with text, and \
         `xs:string` is a simple type; use xs:extension",
    );
    assert_reported(
        &found,
        "schemas/a.xsd:16:50: error: abstract elements (heads of substitution groups) are not supported",
    );
    assert_reported(&found, "schemas/a.xsd:17:60: error: substitutionGroup is not supported");
    assert_reported(
        &found,
        "schemas/a.xsd:18:21: error: element `Anything` has no type (it would hold anything, xs:anyType), which is not supported",
    );
    assert_reported(&found, "schemas/a.xsd:20:49: error: `xs:anyType` (any content) is not supported");
    assert!(found.iter().all(|e| e.starts_with("schemas/a.xsd:")), "{found:#?}");
}

#[test]
fn redefine_and_override_are_errors() {
    let schema = xsd(r#"  <xs:redefine schemaLocation="b.xsd"/>
  <xs:override schemaLocation="b.xsd"/>"#);
    assert_eq!(
        errors_in(&schema),
        [
            "schemas/a.xsd:2:3: error: xs:redefine is not supported",
            "schemas/a.xsd:3:3: error: xs:override is not supported"
        ]
    );
}

#[test]
fn safely_skipped_constructs_are_warnings() {
    let schema = xsd(r#"
  <xs:complexType name="Open">
    <xs:annotation>
      <xs:appinfo><tool:hint xmlns:tool="urn:tool">x</tool:hint></xs:appinfo>
    </xs:annotation>
    <xs:sequence><xs:element name="A" type="xs:string"/></xs:sequence>
    <xs:anyAttribute processContents="skip"/>
  </xs:complexType>
  <xs:element name="Catalog">
    <xs:complexType>
      <xs:sequence><xs:element name="Entry" type="Open" maxOccurs="unbounded"/></xs:sequence>
    </xs:complexType>
    <xs:unique name="OneA"><xs:selector xpath="Entry"/><xs:field xpath="A"/></xs:unique>
  </xs:element>"#);
    let (ir, warnings) = load_all(&[(A_XSD, &schema)]);
    assert_eq!(
        warnings,
        [
            "schemas/a.xsd:5:7: warning: xs:appinfo is ignored",
            "schemas/a.xsd:8:5: warning: xs:anyAttribute is ignored: the attributes it allows are skipped when reading",
            "schemas/a.xsd:14:5: warning: xs:unique is ignored: identity constraints are not checked",
        ]
    );
    assert_eq!(list(&ir, "Catalog").root.as_deref(), Some("Catalog"));
}

#[test]
fn warnings_come_with_the_errors_when_loading_fails() {
    let schema = xsd(r#"
  <xs:complexType name="A">
    <xs:sequence><xs:element name="D" type="xs:gYear"/></xs:sequence>
    <xs:attribute name="B" type="Missing"/>
  </xs:complexType>"#);
    let d: Diagnostics = codegen::load(&sources(&[(A_XSD, &schema)])).expect_err("fails");
    assert_eq!(
        d.to_string(),
        "schemas/a.xsd:4:45: warning: `xs:gYear` has no type in the schema language yet; it is read as text (`string`)\n\
         schemas/a.xsd:5:34: error: unknown type `Missing`\n\
         1 error, 1 warning"
    );
}

#[test]
fn malformed_files_are_located_errors() {
    let found = errors_in(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:complexType name=\"A\">\n</xs:schema>",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("schemas/a.xsd:3:1: error: not well-formed XML: "), "{found:?}");
    assert_eq!(
        errors_in("<schema/>"),
        ["schemas/a.xsd:1:1: error: the root element of an .xsd file must be `xs:schema`, found `<schema>`\n  \
          = `xs` is the namespace http://www.w3.org/2001/XMLSchema"]
    );
    let typo = xsd(r#"  <xs:complexType name="A">
    <xs:sequence><xs:element name="B" type="xs:string" minOccur="0"/></xs:sequence>
    <xs:atribute name="C"/>
  </xs:complexType>"#);
    assert_eq!(
        errors_in(&typo),
        [
            "schemas/a.xsd:3:56: error: unknown attribute `minOccur` on `xs:element`\n  = did you mean `minOccurs`?",
            "schemas/a.xsd:4:5: error: unexpected `xs:atribute` in `xs:complexType`",
        ]
    );
}

#[test]
fn invisible_characters_in_documentation_are_errors() {
    let schema = xsd("  <xs:complexType name=\"A\">\n    <xs:annotation><xs:documentation>Safe \u{202e}text</xs:documentation></xs:annotation>\n    <xs:attribute name=\"B\"/>\n  </xs:complexType>");
    assert_eq!(
        errors_in(&schema),
        ["schemas/a.xsd:3:43: error: doc text contains the invisible character U+202E; remove it"]
    );
}

#[test]
fn the_module_name_rule_applies_to_xsd_files() {
    let found = diagnostics(&[("schemas/1abc.xsd", &xsd(""))]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("schemas/1abc.xsd:1:1: error: the file name gives no Rust module name"), "{found:?}");
    let found = diagnostics(&[("schemas/common.xml", "<schema/>"), ("schemas/common.xsd", &xsd(""))]);
    assert!(
        found[0].starts_with(
            "schemas/common.xsd:1:1: error: the file name gives the module name `common`, which another file"
        ),
        "{found:?}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// A RestAPI-style schema
// ---------------------------------------------------------------------------------------------------------

fn restapi_sample() -> Ir {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/restapi_sample.xsd");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let (ir, warnings) = load_all(&[("tests/xsd/restapi_sample.xsd", &text)]);
    assert!(warnings.is_empty(), "{warnings:#?}");
    ir
}

#[test]
fn restapi_style_schema_has_the_expected_shape() {
    let ir = restapi_sample();
    assert_eq!(ir.modules.len(), 1);
    assert_eq!(ir.modules[0].name, "restapi_sample");
    assert_eq!(
        type_names(&ir),
        [
            "Algorithm",
            "ReplicaPointKind",
            "TaskState",
            "TaskOperation",
            "Link",
            "LinkList",
            "EntityRef",
            "EntityReferences",
            "VmReplicaPoint",
            "VmReplicaPoints",
            "TaskResultInfo",
            "Task",
            "Tasks",
            "PlainCredentials",
            "FileRestoreToOriginalSpecInfo",
            "FileRestoreSpec",
            "FileRestoreSpecToOriginalLocationOrForDirectDownload",
            "PagingInfo",
            "Error",
        ]
    );
    let point = structure(&ir, "VmReplicaPoint");
    assert_eq!(point.root.as_deref(), Some("VmReplicaPoint"));
    assert_eq!(point.bases, ["Entity", "Resource"]);
    assert_eq!(ty(&ir, "VmReplicaPoint").doc.as_deref(), Some("One restore point of a replicated machine."));
    assert_eq!(
        wire(&ir, "VmReplicaPoint"),
        [
            "links: optional <Links> [Link]",
            "creation_time_utc: optional <CreationTimeUTC> dateTime",
            "vm_name: optional <VmName> text",
            "algorithm: optional <Algorithm> enum Algorithm",
            "point_type: optional <PointType> enum ReplicaPointKind",
        ]
    );
    let points = list(&ir, "VmReplicaPoints");
    assert_eq!((points.root.as_deref(), points.item_element.as_str()), (Some("VmReplicaPoints"), "VmReplicaPoint"));
    let refs = list(&ir, "EntityReferences");
    assert_eq!(
        (refs.root.as_deref(), refs.item_element.as_str(), refs.item_type.as_str()),
        (Some("EntityReferences"), "Ref", "EntityRef")
    );
    assert_eq!(structure(&ir, "EntityRef").root.as_deref(), Some("EntityRef"));
    assert_eq!(
        fields(&ir, "Task"),
        [
            "task_id: optional <TaskId> text",
            "state: optional <State> enum TaskState",
            "operation: optional <Operation> enum TaskOperation",
            "result: optional <Result> TaskResultInfo",
            "links: optional <Links> [Link]",
            "href: optional @Href text",
            "type: optional @Type text",
        ]
    );
    assert_eq!(list(&ir, "Tasks").item_type, "Task");
    assert_eq!(
        fields(&ir, "FileRestoreSpec"),
        ["to_original_location_or_for_direct_download: optional choice FileRestoreSpecToOriginalLocationOrForDirectDownload(ToOriginalLocation|ForDirectDownload)"]
    );
    let TypeKind::Enum(algorithm) = &ty(&ir, "Algorithm").kind else { panic!("not an enum") };
    assert_eq!(algorithm.values[0].doc.as_deref(), Some("Every block of the machine."));
    let wire_values: Vec<&str> = algorithm.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wire_values, ["Full", "ReversedIncremental", "Incremental", "SyntheticFull"]);
}

/// The shape of a structure on the wire, names and Rust types aside: its attributes (any order) and its
/// elements in wire order, each with its occurrence and the kind of value it holds.
fn wire_shape(ir: &Ir, rust_name: &str) -> (Vec<String>, Vec<String>) {
    let kind = |f: &codegen::ir::Field| {
        let described = describe(f);
        let (_, rest) = described.split_once(": ").unwrap_or_default();
        // Enum and structure names differ between the two schemas; what they hold does not.
        let mut words: Vec<&str> = rest.split(' ').collect();
        if words.get(2) == Some(&"enum") {
            words.truncate(3);
        } else if words.get(1) == Some(&"choice") {
            // `choice OwnerName(A|B)`: the alternatives.
            let alternatives = words[2].find('(').map_or(words[2], |at| &words[2][at..]);
            words[2] = alternatives;
        } else if let [_, _, last] = words.as_mut_slice() {
            if last.starts_with('[') {
                *last = "[list]";
            } else if !["text", "bool", "int", "long", "u16", "dateTime", "marker"].contains(last) {
                *last = "struct";
            }
        }
        words.join(" ")
    };
    let s = structure(ir, rust_name);
    let mut attributes: Vec<String> =
        s.fields.iter().filter(|f| matches!(f.kind, FieldKind::Attribute { .. })).map(kind).collect();
    attributes.sort();
    (attributes, s.elements_in_wire_order().into_iter().map(kind).collect())
}

/// The XSD sample reads the same documents as the hand-written schema, whose generated code the feature
/// and schema tests decode real EM examples with: every structure both describe has the same attributes,
/// the same elements in the same order, the same occurrences and the same kinds of values.
#[test]
fn restapi_style_schema_reads_what_the_hand_written_schema_reads() {
    let xsd_ir = restapi_sample();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let hand = codegen::load(&codegen::read_dir(&dir, "schemas").expect("schemas")).unwrap_or_else(|d| panic!("{d}"));
    let pairs = [
        ("Link", "Link"),
        ("EntityRef", "EntityReference"),
        ("VmReplicaPoint", "VmReplicaPoint"),
        ("Task", "Task"),
        ("TaskResultInfo", "TaskResult"),
        ("PagingInfo", "PagingInfo"),
        ("Error", "Error"),
        ("PlainCredentials", "PlainCredentials"),
        ("FileRestoreToOriginalSpecInfo", "FileRestoreToOriginalSpec"),
        ("FileRestoreSpec", "FileRestoreSpec"),
    ];
    for (ours, theirs) in pairs {
        assert!(
            hand.types().any(|t| t.rust_name == theirs),
            "schemas/*.xml no longer has `{theirs}`; update the pairs"
        );
        assert_eq!(wire_shape(&xsd_ir, ours), wire_shape(&hand, theirs), "{ours} vs {theirs}");
    }
    for (ours, theirs) in
        [("VmReplicaPoints", "VmReplicaPointList"), ("Tasks", "TaskList"), ("EntityReferences", "EntityReferenceList")]
    {
        let (a, b) = (list(&xsd_ir, ours), list(&hand, theirs));
        assert_eq!((&a.root, &a.item_element), (&b.root, &b.item_element), "{ours} vs {theirs}");
    }
}

#[test]
fn restapi_style_schema_generates_documents() {
    let ir = restapi_sample();
    let text = codegen::output::single_file(&ir, "tests/xsd/restapi_sample.xsd", "::veeam_em::runtime", "test")
        .expect("formats");
    for root in [
        "VmReplicaPoint",
        "VmReplicaPoints",
        "Task",
        "Tasks",
        "EntityRef",
        "EntityReferences",
        "FileRestoreSpec",
        "Error",
    ] {
        assert!(text.contains(&format!("const ROOT: &'static str = \"{root}\";")), "no document `{root}`");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Hostile input: deep nesting and size end in a located error or a normal load, quickly
// ---------------------------------------------------------------------------------------------------------

#[test]
fn deeply_nested_declarations_are_a_located_error_not_a_crash() {
    let depth = 5000;
    let sequences = format!(
        "  <xs:complexType name=\"Deep\">\n{}<xs:element name=\"X\" type=\"xs:string\"/>{}\n  </xs:complexType>",
        "<xs:sequence>".repeat(depth),
        "</xs:sequence>".repeat(depth)
    );
    let found = errors_in(&xsd(&sequences));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("error: declarations nest more than 64 deep here, which is not supported"), "{found:?}");
    let mut elements = String::from("  <xs:element name=\"Root\">");
    for i in 0..depth {
        elements.push_str(&format!("<xs:complexType><xs:sequence><xs:element name=\"E{i}\">"));
    }
    for _ in 0..depth {
        elements.push_str("</xs:element></xs:sequence></xs:complexType>");
    }
    elements.push_str("</xs:element>");
    let found = errors_in(&xsd(&elements));
    assert!(!found.is_empty() && found.iter().all(|e| e.starts_with("schemas/a.xsd:")), "{found:?}");
}

#[test]
fn two_thousand_types_load_quickly() {
    let body: String = (0..2000)
        .map(|i| {
            format!(
                "  <xs:complexType name=\"T{i}Type\"><xs:sequence>\
                 <xs:element name=\"Next\" type=\"T{}Type\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>\
                 <xs:element name=\"V\"><xs:simpleType><xs:restriction base=\"xs:string\">\
                 <xs:enumeration value=\"A\"/></xs:restriction></xs:simpleType></xs:element>\
                 </xs:sequence></xs:complexType>\n  <xs:element name=\"D{i}\" type=\"T{i}Type\"/>\n",
                (i + 1) % 2000
            )
        })
        .collect();
    // Loading only: emitting 4000 types is the emitters' business (and slow in a debug build).
    let start = std::time::Instant::now();
    let ir = codegen::load(&sources(&[(A_XSD, &xsd(&body))])).unwrap_or_else(|d| panic!("{d}"));
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    assert_eq!(ir.types().count(), 4000, "2000 structures and their 2000 anonymous enums");
    assert!(ir.types().any(|t| t.name == "D1999V"), "`V` is the element of 2000 anonymous types");
}

/// What XSD cannot say (roles, JSON names) is added by a schema-language file: `<correct>` amends the
/// declarations read from the `.xsd` by their new names.
#[test]
fn a_schema_file_amends_what_the_xsd_cannot_say() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/restapi_sample.xsd");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let amendments = r#"<schema>
  <correct complex="Link">
    <attribute name="Rel" role="rel"/>
    <attribute name="Href" role="href"/>
  </correct>
  <correct list="EntityReferences"><list json-key="Refs"/></correct>
  <correct complex="Task">
    <element name="State" role="state"/>
    <element name="Result" role="result"/>
  </correct>
</schema>"#;
    let (ir, warnings) =
        load_all(&[("tests/xsd/restapi_sample.xsd", &text), ("tests/xsd/restapi_roles.xml", amendments)]);
    assert!(warnings.is_empty(), "{warnings:#?}");
    let roles: Vec<Option<codegen::ir::FieldRole>> = structure(&ir, "Link").fields.iter().map(|f| f.role).collect();
    use codegen::ir::FieldRole::{Href, Rel};
    assert_eq!(roles, [Some(Rel), Some(Href), None, None]);
    assert_eq!(list(&ir, "EntityReferences").json_key.as_deref(), Some("Refs"));
    assert_eq!(ir.struct_with_role(codegen::ir::FieldRole::State), Some("Task"));
}
