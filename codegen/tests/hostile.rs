//! Schemas written to break the generator: odd file names, invisible characters in descriptions, very
//! large files. Each must end in a located error or in a normal load, never in a panic, an internal error
//! or a run that takes minutes.

use std::time::Instant;

use codegen::{Diagnostics, Source};

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
    errors(&[("schemas/a.xml", schema)])
}

/// The smallest schema that generates a module.
const SMALL: &str = r#"<schema>
  <complex name="A" root="A"/>
</schema>"#;

/// The same, with no type name that [`SMALL`] takes.
const SMALL_B: &str = r#"<schema>
  <complex name="B" root="B"/>
</schema>"#;

/// `\u{202E}` (right-to-left override) in a schema written as a raw string, where it would be invisible.
fn with_rlo(schema: &str) -> String {
    schema.replace("{RLO}", "\u{202E}")
}

// ---------------------------------------------------------------------------------------------------------
// File names: the module each schema file becomes
// ---------------------------------------------------------------------------------------------------------

#[test]
fn file_name_starting_with_a_digit() {
    assert_eq!(
        errors(&[("schemas/1abc.xml", SMALL)]),
        ["schemas/1abc.xml:1:1: error: the file name gives no Rust module name (`1abc`); rename the file\n  = a module name is ASCII letters, digits and `_`, and does not start with a digit"]
    );
}

#[test]
fn non_ascii_file_name() {
    assert_eq!(
        errors(&[("schemas/caf\u{e9}.xml", SMALL)]),
        ["schemas/caf\u{e9}.xml:1:1: error: the file name gives no Rust module name (`caf\u{e9}`); rename the file\n  = a module name is ASCII letters, digits and `_`, and does not start with a digit"]
    );
}

#[test]
fn file_name_without_letters() {
    assert_eq!(
        errors(&[("schemas/-.xml", SMALL)]),
        ["schemas/-.xml:1:1: error: the file name gives no Rust module name (``); rename the file\n  = a module name is ASCII letters, digits and `_`, and does not start with a digit"]
    );
}

#[test]
fn file_names_that_give_the_same_module() {
    assert_eq!(
        errors(&[("schemas/FooBar.xml", SMALL), ("schemas/foo_bar.xml", SMALL_B)]),
        ["schemas/foo_bar.xml:1:1: error: the file name gives the module name `foo_bar`, which another file already gives; rename one of them\n  = `schemas/FooBar.xml` gives the same module"]
    );
}

#[test]
fn mod_xml_would_overwrite_the_model_mod_rs() {
    assert_eq!(
        errors(&[("schemas/mod.xml", SMALL)]),
        ["schemas/mod.xml:1:1: error: the file name gives the module name `mod`, a Rust keyword; rename the file"]
    );
}

#[test]
fn keyword_file_names() {
    for keyword in ["self", "crate", "super", "type", "fn", "async"] {
        let path = format!("schemas/{keyword}.xml");
        assert_eq!(
            errors(&[(&path, SMALL)]),
            [format!(
                "{path}:1:1: error: the file name gives the module name `{keyword}`, a Rust keyword; rename the file"
            )]
        );
    }
}

#[test]
fn file_name_of_a_crate_the_model_uses() {
    assert_eq!(
        errors(&[("schemas/serde.xml", SMALL)]),
        ["schemas/serde.xml:1:1: error: the file name gives the module name `serde`, which would hide the `serde` crate; rename the file"]
    );
}

#[test]
fn invisible_character_in_a_file_name() {
    assert_eq!(
        errors(&[("schemas/a\u{202E}lmx.xml", SMALL)]),
        ["schemas/a\u{202E}lmx.xml:1:1: error: the file name contains the invisible character U+202E; rename the file"]
    );
}

#[test]
fn file_name_problems_come_with_the_schema_errors() {
    let schema = r#"<schema>
  <complex name="A" colour="red"/>
</schema>"#;
    assert_eq!(
        errors(&[("schemas/self.xml", schema)]),
        [
            "schemas/self.xml:1:1: error: the file name gives the module name `self`, a Rust keyword; rename the file",
            "schemas/self.xml:2:21: error: unknown attribute `colour` on `<complex>`\n  = allowed: name, extends, abstract, root, rust",
        ]
    );
}

/// Whatever the file is called, the generator ends in a located error or in files; never in a panic or
/// an internal error.
#[test]
fn every_file_name_ends_in_an_error_or_in_files() {
    let names = [
        "1abc",
        "caf\u{e9}",
        "mod",
        "self",
        "Self",
        "crate",
        "super",
        "type",
        "_",
        "-",
        "__",
        "FooBar",
        "foo.bar",
        "foo bar",
        "r#type",
        "std",
        "a\u{200b}b",
        "\u{441}\u{43b}\u{43e}\u{432}\u{43e}",
        "x",
    ];
    for name in names {
        let path = format!("schemas/{name}.xml");
        match load(&[(&path, SMALL)]) {
            Err(d) => assert!(d.0.iter().all(|e| e.file == path && e.pos.line >= 1), "{name}: {d}"),
            Ok(ir) => {
                let files = codegen::output::crate_files(&ir).unwrap_or_else(|e| panic!("{name}: {e}"));
                let module = &ir.modules[0].name;
                assert!(files.iter().any(|f| f.path.to_str() == Some(&format!("model/{module}.rs"))), "{name}");
                assert!(module.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "{name}: {module}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Descriptions: invisible characters would reach the generated doc comments
// ---------------------------------------------------------------------------------------------------------

#[test]
fn bidi_override_in_a_doc_attribute() {
    let schema = with_rlo(
        r#"<schema>
  <complex name="A" doc="abc{RLO}def"/>
</schema>"#,
    );
    assert_eq!(
        errors_in(&schema),
        ["schemas/a.xml:2:29: error: doc text contains the invisible character U+202E; remove it"]
    );
}

#[test]
fn bidi_isolate_in_a_doc_element() {
    let schema = r#"<schema>
  <enum name="E">
    <value name="On">
      <doc>
        Switched on,
        unless {LRI}it is off{PDI}.
      </doc>
    </value>
  </enum>
</schema>"#
        .replace("{LRI}", "\u{2066}")
        .replace("{PDI}", "\u{2069}");
    assert_eq!(
        errors_in(&schema),
        ["schemas/a.xml:6:16: error: doc text contains the invisible character U+2066; remove it"]
    );
}

#[test]
fn invisible_character_written_as_a_reference() {
    // The character is not in the source as such: the error points at the start of the description.
    let schema = r#"<schema>
  <complex name="A" doc="abc&#x202E;def">
    <element name="X" type="string"><doc>zero&#x200B;width</doc></element>
  </complex>
</schema>"#;
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:2:26: error: doc text contains the invisible character U+202E; remove it",
            "schemas/a.xml:3:37: error: doc text contains the invisible character U+200B; remove it",
        ]
    );
}

#[test]
fn control_characters_in_descriptions() {
    // A C1 control character (next line) is a valid XML character. A carriage return written as a
    // reference survives XML's line-end normalisation; rustc rejects a bare one in a doc comment. The
    // schema's own description is checked as well.
    let schema = "<schema doc=\"file\u{85}next line\">\n  <complex name=\"A\" doc=\"one&#13;two\"/>\n</schema>";
    assert_eq!(
        errors_in(schema),
        [
            "schemas/a.xml:1:18: error: doc text contains the invisible character U+0085; remove it",
            "schemas/a.xml:2:26: error: doc text contains the invisible character U+000D; remove it",
        ]
    );
}

#[test]
fn descriptions_everywhere_are_checked() {
    let schema = with_rlo(
        r#"<schema>
  <complex name="D" root="D" doc="{RLO}">
    <attribute name="A" type="string" doc="{RLO}"/>
    <choice name="C" doc="{RLO}">
      <element name="X" type="string" doc="{RLO}"/>
      <element name="Y" type="string"/>
    </choice>
  </complex>
  <list name="L" item="D" type="D" doc="{RLO}"/>
  <resource name="R" path="/r/{id}" doc="{RLO}">
    <param name="id" type="string" doc="{RLO}"/>
    <representation name="default" type="D" doc="{RLO}"/>
    <method name="put" verb="PUT" status="200" doc="{RLO}">
      <request type="D" doc="{RLO}"/>
    </method>
  </resource>
</schema>"#,
    );
    let found = errors_in(&schema);
    let lines: Vec<&str> = found.iter().map(|e| e.split(": error: ").next().unwrap_or("")).collect();
    assert_eq!(
        lines,
        [
            "schemas/a.xml:2:35",
            "schemas/a.xml:3:44",
            "schemas/a.xml:4:27",
            "schemas/a.xml:5:44",
            "schemas/a.xml:9:41",
            "schemas/a.xml:10:42",
            "schemas/a.xml:11:41",
            "schemas/a.xml:12:50",
            "schemas/a.xml:13:53",
            "schemas/a.xml:14:30",
        ],
        "{found:#?}"
    );
    assert!(found.iter().all(|e| e.ends_with("doc text contains the invisible character U+202E; remove it")));
}

#[test]
fn invisible_characters_in_other_values() {
    // Paths, wire values and media types are quoted in the generated doc comments too.
    let schema = with_rlo(
        r#"<schema>
  <enum name="E">
    <value name="a{RLO}b"/>
  </enum>
  <complex name="D" root="D"/>
  <resource name="R" path="/r{RLO}">
    <method name="put" verb="PUT" status="200">
      <request type="D" media="application/xml{RLO}"/>
    </method>
  </resource>
</schema>"#,
    );
    assert_eq!(
        errors_in(&schema),
        [
            "schemas/a.xml:3:19: error: the value of `name` contains the invisible character U+202E; remove it",
            "schemas/a.xml:6:30: error: the value of `path` contains the invisible character U+202E; remove it",
            "schemas/a.xml:8:32: error: `application/xml\u{202E}` is not a media type EM accepts (application/xml, application/json)",
            "schemas/a.xml:8:47: error: the value of `media` contains the invisible character U+202E; remove it",
        ]
    );
}

#[test]
fn visible_unicode_and_crlf_line_ends_in_descriptions_are_fine() {
    let schema =
        "<schema>\r\n  <complex name=\"A\" root=\"A\" doc=\"caf\u{e9} \u{2014} \u{5e9}\u{5dc}\u{5d5}\u{5dd}\">\r\n    \
                  <doc>\r\n      two\r\n      lines\r\n    </doc>\r\n  </complex>\r\n</schema>\r\n";
    let found = errors_in(schema);
    // Only the doc given twice; no character is taken for invisible.
    assert_eq!(found, ["schemas/a.xml:2:35: error: a description is given both as `doc=` and as `<doc>`; keep one"]);
    let schema = "<schema>\r\n  <complex name=\"A\" root=\"A\">\r\n    <doc>\r\n      caf\u{e9}\r\n      two\r\n    </doc>\r\n  </complex>\r\n</schema>\r\n";
    let ir = load(&[("schemas/a.xml", schema)]).unwrap_or_else(|d| panic!("{d}"));
    codegen::output::crate_files(&ir).expect("generates");
}

// ---------------------------------------------------------------------------------------------------------
// Size: positions are looked up, not counted from the start of the file
// ---------------------------------------------------------------------------------------------------------

#[test]
fn columns_count_characters_not_bytes() {
    let schema = "<schema>\n  <complex name=\"A\" doc=\"\u{e9}\u{20ac}\u{1f600}\" colour=\"red\"/>\n</schema>";
    assert_eq!(
        errors_in(schema),
        ["schemas/a.xml:2:31: error: unknown attribute `colour` on `<complex>`\n  = allowed: name, extends, abstract, root, rust"]
    );
}

/// A schema of `count` document types, each with an attribute, two elements and a description, every
/// declaration on its own line (`one_line` puts the whole file on a single line instead).
fn big_schema(count: usize, one_line: bool) -> String {
    let sep = if one_line { " " } else { "\n" };
    let mut text = String::from("<schema>");
    for i in 0..count {
        text.push_str(sep);
        text.push_str(&format!(
            "<complex name=\"T{i}\" root=\"T{i}\" doc=\"Type number {i}.\">{sep}\
             <attribute name=\"Id\" type=\"string\" occurs=\"required\"/>{sep}\
             <element name=\"Name\" type=\"string\"/>{sep}\
             <element name=\"Count\" type=\"int\" occurs=\"repeated\"/>{sep}\
             </complex>"
        ));
    }
    text.push_str(sep);
    text.push_str("</schema>\n");
    text
}

#[track_caller]
fn assert_loads_big(count: usize, one_line: bool) {
    let text = big_schema(count, one_line);
    let start = Instant::now();
    let ir = load(&[("schemas/big.xml", &text)]).unwrap_or_else(|d| panic!("{d}"));
    println!(
        "{count} types in one file ({} KiB, {}): loaded in {:?}",
        text.len() / 1024,
        if one_line { "one line" } else { "one declaration a line" },
        start.elapsed()
    );
    assert_eq!(ir.modules.len(), 1);
    assert_eq!(ir.modules[0].types.len(), count);
}

#[test]
fn two_thousand_types_in_one_file_load() {
    assert_loads_big(2_000, false);
}

#[test]
fn two_thousand_types_on_one_line_load() {
    assert_loads_big(2_000, true);
}
