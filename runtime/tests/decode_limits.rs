//! The XML decoder against hostile documents: deep nesting, many attributes, many namespace declarations,
//! huge names and values, control characters. Each document is refused with a located, one-line, short
//! error or decoded, in time linear in its size.
//!
//! Timings are printed, never asserted (CI machines vary); see them with
//! `cargo test --release -p veeam-em-runtime --test decode_limits -- --nocapture --test-threads 1`.

use std::time::Instant;

use veeam_em_runtime::{
    DecodeError, DecodeErrorKind, Element, ListType, XmlDecode, XmlReader, MAX_DEPTH, MAX_NAMESPACE_DECLARATIONS,
    NAMESPACE as NS,
};

// ---------------------------------------------------------------------------------------------------------
// Model types written the way the generator writes them.

/// A type that contains itself through a list, `<Node Name=".." Count=".."><Nodes><Node>...`; other
/// children are skipped, except `<Value>`, read as text.
#[derive(Debug)]
struct Node {
    name: Option<String>,
    count: Option<i32>,
    attributes: usize,
    value: Option<String>,
    children: Option<Vec<Node>>,
}

struct NodeList;

impl ListType for NodeList {
    type Item = Node;
    const ITEM: &'static str = "Node";
    const ITEM_NAMES: &'static [&'static str] = &["Node"];
    const JSON_KEY: Option<&'static str> = None;
}

impl XmlDecode for Node {
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
        let (mut name, mut count, mut attributes, mut value, mut children) = (None, None, 0, None, None);
        for attr in reader.attributes(element) {
            let attr = attr?;
            attributes += 1;
            match attr.name() {
                b"Name" => name = Some(attr.value()?),
                b"Count" => count = Some(attr.value()?),
                _ => {}
            }
        }
        while let Some(child) = reader.next_child(element)? {
            match child.name() {
                b"Nodes" => children = Some(reader.read_list::<NodeList>(&child)?),
                b"Value" => value = Some(reader.read_value(&child)?),
                b"Count" => count = Some(reader.read_value(&child)?),
                _ => reader.skip(&child)?,
            }
        }
        Ok(Node { name, count, attributes, value, children })
    }
}

/// A type that contains itself directly: `<Chain><Next><Next>...`; every other child is read as a
/// `Chain` too, so errors inside carry their names in the path.
#[derive(Debug)]
struct Chain {
    next: Option<Box<Chain>>,
}

impl XmlDecode for Chain {
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
        reader.check_attributes(element)?;
        let mut next = None;
        while let Some(child) = reader.next_child(element)? {
            next = Some(Box::new(reader.read_child(&child)?));
        }
        Ok(Chain { next })
    }
}

fn decode<T: XmlDecode>(xml: &str) -> Result<T, DecodeError> {
    let mut reader = XmlReader::new(xml);
    let root = reader.root()?;
    let value = reader.read_root(&root)?;
    reader.finish()?;
    Ok(value)
}

/// Decodes and prints how long it took.
fn timed<T: XmlDecode>(label: &str, xml: &str) -> Result<T, DecodeError> {
    let start = Instant::now();
    let result = decode(xml);
    println!("{label} ({} bytes): {:?}", xml.len(), start.elapsed());
    result
}

/// Runs `f` on a thread with the 2 MiB stack of a spawned (or Tokio worker) thread, whatever
/// `RUST_MIN_STACK` says.
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).expect("thread starts").join().expect("no panic")
}

/// 1-based line and column of a byte offset, counted independently of the crate.
fn position(xml: &str, offset: usize) -> (usize, usize) {
    let before = &xml[..offset];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap().chars().count() + 1)
}

/// The offset of the `n`th (1-based) occurrence of `needle`.
fn nth(xml: &str, needle: &str, n: usize) -> usize {
    xml.match_indices(needle).nth(n - 1).expect("occurrence exists").0
}

fn assert_at(err: &DecodeError, xml: &str, offset: usize) {
    assert_eq!((err.line(), err.column()), position(xml, offset), "{err}");
    assert_eq!(err.offset(), offset as u64, "{err}");
}

/// An error line fit for a terminal: one line, no control or non-printing characters, short.
fn assert_printable(err: &DecodeError) -> String {
    let text = err.to_string();
    // Control characters, and the invisible ones: zero-width, bidirectional overrides, separators, BOM.
    let invisible =
        |c: char| matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}');
    assert!(!text.chars().any(|c| c.is_control() || invisible(c)), "{text:?}");
    assert!(text.chars().count() <= 400, "{} characters: {:.200}...", text.chars().count(), text);
    text
}

// ---------------------------------------------------------------------------------------------------------
// 1. Nesting.

#[test]
fn a_self_containing_type_nested_10000_deep_is_refused_not_a_stack_overflow() {
    let n = 10_000;
    let xml = format!("<Node xmlns=\"{NS}\">{}{}</Node>", "<Nodes><Node>".repeat(n), "</Node></Nodes>".repeat(n));
    let err = on_small_stack(move || {
        let err = timed::<Node>("Node/Nodes nested 10,000 deep", &xml).unwrap_err();
        // The root is element 1; element MAX_DEPTH + 1 is the first too deep.
        // Element 2k is the kth `<Nodes>`, element 2k + 1 the kth `<Node>` inside the root.
        let first = MAX_DEPTH + 1;
        let at = if first.is_multiple_of(2) { nth(&xml, "<Nodes>", first / 2) } else { nth(&xml, "<Node>", first / 2) };
        assert_at(&err, &xml, at);
        err
    });
    assert_eq!(err.kind(), &DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
    // The path has every enclosing element; the message keeps its ends.
    assert_eq!(err.path().split('/').count(), MAX_DEPTH);
    let text = assert_printable(&err);
    assert!(
        text.ends_with(&format!(
            "Node/Nodes/\u{2026}/Node/Nodes/Node/Nodes: elements nested more than {MAX_DEPTH} deep"
        )),
        "{text}"
    );
}

#[test]
fn a_self_containing_type_decodes_up_to_the_limit_on_a_small_stack() {
    // Node, Nodes, Node, ...: MAX_DEPTH elements, ending with a Node or a Nodes.
    let levels = MAX_DEPTH / 2;
    let inner = if MAX_DEPTH.is_multiple_of(2) { "<Nodes/>" } else { "" };
    let xml = format!(
        "<Node xmlns=\"{NS}\">{}{inner}{}</Node>",
        "<Nodes><Node>".repeat(levels - 1 + MAX_DEPTH % 2),
        "</Node></Nodes>".repeat(levels - 1 + MAX_DEPTH % 2)
    );
    let mut node = on_small_stack(move || decode::<Node>(&xml).expect("MAX_DEPTH open elements are fine"));
    let mut nodes = 1;
    while let Some(mut children) = node.children.take().filter(|c| !c.is_empty()) {
        (node, nodes) = (children.remove(0), nodes + 1);
    }
    assert_eq!(nodes, levels + MAX_DEPTH % 2);
}

#[test]
fn a_directly_self_containing_type_decodes_up_to_the_limit_on_a_small_stack() {
    let nested =
        |n: usize| format!("<Chain xmlns=\"{NS}\">{}{}</Chain>", "<Next>".repeat(n - 1), "</Next>".repeat(n - 1));
    on_small_stack(move || {
        let mut chain = decode::<Chain>(&nested(MAX_DEPTH)).expect("MAX_DEPTH open elements are fine");
        let mut depth = 1;
        while let Some(next) = chain.next {
            (chain, depth) = (*next, depth + 1);
        }
        assert_eq!(depth, MAX_DEPTH);
        let xml = nested(MAX_DEPTH + 1);
        let err = decode::<Chain>(&xml).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
        assert_at(&err, &xml, nth(&xml, "<Next>", MAX_DEPTH));
        // Empty elements count too.
        let xml = format!(
            "<Chain xmlns=\"{NS}\">{}<Next/>{}</Chain>",
            "<Next>".repeat(MAX_DEPTH - 1),
            "</Next>".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(decode::<Chain>(&xml).unwrap_err().kind(), &DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
    });
}

#[test]
fn skipped_elements_nested_200000_deep_are_refused_quickly() {
    let n = 200_000;
    let deep = |open: &str, close: &str| (open.repeat(n), close.repeat(n));
    let cases = [
        // Unknown EM elements, skipped by the model.
        ("unknown EM elements", deep("<X>", "</X>")),
        // Elements of another namespace, skipped by `next_child`.
        ("foreign elements", deep("<o:X xmlns:o=\"urn:o\">", "</o:X>")),
    ];
    for (label, (open, close)) in cases {
        let xml = format!("<Node xmlns=\"{NS}\">{open}{close}</Node>");
        let err = timed::<Node>(&format!("{label} nested 200,000 deep"), &xml).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::TooDeep { limit: MAX_DEPTH }, "{label}: {err}");
        assert_printable(&err);
        assert_eq!(err.path().split('/').next(), Some("Node"), "{label}: {err}");
    }
    // Elements inside a simple value are refused at the first one (their text would be lost).
    let xml = format!("<Node xmlns=\"{NS}\"><Value>{}{}</Value></Node>", "<X>".repeat(n), "</X>".repeat(n));
    let err = timed::<Node>("elements inside <Value> nested 200,000 deep", &xml).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::ElementInValue { element: "X".to_owned() }, "{err}");
    assert_eq!(err.path(), "Node/Value", "{err}");
    // Just inside the limit, skipping still works.
    let xml = format!("<Node xmlns=\"{NS}\">{}{}</Node>", "<X>".repeat(MAX_DEPTH - 1), "</X>".repeat(MAX_DEPTH - 1));
    assert!(decode::<Node>(&xml).is_ok());
}

// ---------------------------------------------------------------------------------------------------------
// 2. Work that used to grow with the square of the input.

fn attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i}=\"{i}\"")).collect()
}

#[test]
fn an_element_with_100000_distinct_attributes_decodes_in_linear_time() {
    let many = attributes(100_000);
    let xml = format!("<Node xmlns=\"{NS}\" Name=\"n\"{many}/>");
    let node = timed::<Node>("100,000 attributes on a decoded element", &xml).unwrap();
    assert_eq!((node.attributes, node.name.as_deref()), (100_001, Some("n")));

    let xml = format!("<Node xmlns=\"{NS}\"><Skipped{many}/><Deep><Skipped{many}></Skipped></Deep></Node>");
    timed::<Node>("100,000 attributes on skipped elements", &xml).unwrap();

    let xsi = "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"";
    let xml = format!("<Node xmlns=\"{NS}\" {xsi}><Value i:nil=\"true\"{many}/></Node>");
    let node = timed::<Node>("100,000 attributes on an xsi:nil element", &xml).unwrap();
    assert_eq!(node.value, None);
}

#[test]
fn a_duplicate_among_100000_attributes_is_found_and_located() {
    let many = attributes(100_000);
    let xsi = "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"";
    let cases = [
        ("decoded", format!("<Node xmlns=\"{NS}\"{many} a99999=\"again\"/>")),
        ("skipped", format!("<Node xmlns=\"{NS}\"><Skipped><In{many} a99999=\"again\"/></Skipped></Node>")),
        ("skipped, read", format!("<Node xmlns=\"{NS}\"><Skipped{many} a99999=\"again\"/></Node>")),
        ("xsi:nil", format!("<Node xmlns=\"{NS}\" {xsi}><Value i:nil=\"true\"{many} a99999=\"again\"/></Node>")),
    ];
    for (label, xml) in cases {
        let err = timed::<Node>(&format!("duplicate after 100,000 attributes, {label}"), &xml).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::Syntax(_)), "{label}: {err}");
        assert!(err.to_string().ends_with("not well-formed XML: duplicate attribute `a99999`"), "{label}: {err}");
        assert_at(&err, &xml, xml.rfind("a99999").unwrap());
    }
    // A short list is checked the same way.
    let xml = format!("<Node xmlns=\"{NS}\" A=\"1\" B=\"2\" A=\"3\"/>");
    let err = decode::<Node>(&xml).unwrap_err();
    assert!(err.to_string().ends_with("duplicate attribute `A`"), "{err}");
    assert_at(&err, &xml, xml.rfind("A=").unwrap());
}

#[test]
fn namespace_declarations_in_scope_are_bounded() {
    // 100,000 prefixes declared on one element, then 100,000 elements using them.
    let n = 100_000;
    let declared: String = (0..n).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
    let used: String = (0..n).map(|i| format!("<p{i}:X/>")).collect();
    let xml = format!("<Node xmlns=\"{NS}\">\n<Nodes{declared}>{used}</Nodes></Node>");
    let err = timed::<Node>("100,000 prefixes declared and used", &xml).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::TooManyNamespaces { limit: MAX_NAMESPACE_DECLARATIONS });
    assert_at(&err, &xml, nth(&xml, "<Nodes", 1));
    assert_eq!(
        assert_printable(&err),
        format!("2:1: Node: more than {MAX_NAMESPACE_DECLARATIONS} namespace declarations in scope")
    );

    // Up to the limit, counting the root's default namespace, every prefix resolves.
    let declared: String = (1..MAX_NAMESPACE_DECLARATIONS).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
    let used: String = (1..MAX_NAMESPACE_DECLARATIONS).map(|i| format!("<p{i}:X/>")).collect();
    let xml = format!("<Node xmlns=\"{NS}\"{declared}>{used}<p1:Count xmlns:p1=\"{NS}\">7</p1:Count></Node>");
    let err = decode::<Node>(&xml).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::TooManyNamespaces { limit: MAX_NAMESPACE_DECLARATIONS }, "{err}");
    let xml = format!("<Node xmlns=\"{NS}\"{declared}>{used}<p1:Count>7</p1:Count><Count>8</Count></Node>");
    assert_eq!(decode::<Node>(&xml).unwrap().count, Some(8));

    // Declarations spread over nested elements count together, and end with their element.
    // Three on each level, one on the root: `fit` levels fit, one more does not (well inside MAX_DEPTH).
    let one = |i: usize| format!("<o:X xmlns:o=\"urn:o\" xmlns:q{i}=\"urn:q\" xmlns=\"urn:d\">");
    let fit = (MAX_NAMESPACE_DECLARATIONS - 1) / 3;
    assert!(fit + 2 <= MAX_DEPTH);
    let nested = |n: usize| (0..n).map(one).collect::<String>() + &"</o:X>".repeat(n);
    let xml = format!("<Node xmlns=\"{NS}\">{}{}<Count>5</Count></Node>", nested(fit), nested(fit));
    assert_eq!(decode::<Node>(&xml).unwrap().count, Some(5));
    let xml = format!("<Node xmlns=\"{NS}\">{}</Node>", nested(fit + 1));
    let err = decode::<Node>(&xml).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::TooManyNamespaces { limit: MAX_NAMESPACE_DECLARATIONS }, "{err}");
    assert_at(&err, &xml, nth(&xml, "<o:X", fit + 1));
}

#[test]
fn the_default_namespace_redeclared_at_every_level_stays_linear() {
    let n = 200_000;
    // Nested: refused at the depth limit, whether the elements are in the default namespace or prefixed
    // (a prefix used to be looked up past every default declaration in scope).
    for (label, open, close) in [
        ("default namespace redeclared, 200,000 nested", "<X xmlns=\"urn:d\">", "</X>"),
        ("default namespace redeclared, prefixed, 200,000 nested", "<o:X xmlns=\"urn:d\">", "</o:X>"),
    ] {
        let xml = format!("<Node xmlns=\"{NS}\" xmlns:o=\"urn:o\">{}{}</Node>", open.repeat(n), close.repeat(n));
        let err = timed::<Node>(label, &xml).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::TooDeep { limit: MAX_DEPTH }, "{label}: {err}");
    }
    // Siblings: each declaration ends with its element, so all 100,000 are fine.
    let siblings = "<o:X xmlns=\"urn:d\"><Y/></o:X><X xmlns=\"urn:d\"/>".repeat(n / 4);
    let xml = format!("<Node xmlns=\"{NS}\" xmlns:o=\"urn:o\">{siblings}<Count>3</Count></Node>");
    assert_eq!(timed::<Node>("default namespace redeclared, 100,000 siblings", &xml).unwrap().count, Some(3));
}

// ---------------------------------------------------------------------------------------------------------
// 3. Input quoted in messages.

#[test]
fn names_in_messages_are_escaped_and_one_line() {
    let bad = "Bad\u{1b}[31m\u{7}";
    let cases = [
        // A control character in an element name.
        (
            format!("<Node xmlns=\"{NS}\"><{bad}/></Node>"),
            "Node: not well-formed XML: `Bad\\u{1b}[31m\\u{7}` is not an element name",
        ),
        // A newline inside an end tag name.
        (
            format!("<Node xmlns=\"{NS}\"><X></X\nY></Node>"),
            "not well-formed XML: expected `</X>`, but `</X\\nY>` was found",
        ),
        // Undeclared prefixes, on an element and on an attribute.
        // (A control character makes the element name itself invalid, which is reported first; characters
        // that XML names allow but that do not print are escaped the same way.)
        (format!("<Node xmlns=\"{NS}\"><{bad}:X/></Node>"), "`Bad\\u{1b}[31m\\u{7}:X` is not an element name"),
        (
            format!("<Node xmlns=\"{NS}\"><Bad\u{202e}\u{85}:X/></Node>"),
            "undeclared namespace prefix `Bad\\u{202e}\\u{85}`",
        ),
        (format!("<Node xmlns=\"{NS}\" {bad}:A=\"1\"/>"), "undeclared namespace prefix `Bad\\u{1b}[31m\\u{7}`"),
        // An unknown entity.
        (
            format!("<Node xmlns=\"{NS}\"><Value>&a\u{85}b\u{202e};</Value></Node>"),
            "Node/Value: not well-formed XML: unknown entity `&a\\u{85}b\\u{202e};`",
        ),
        // A duplicate attribute.
        (format!("<Node xmlns=\"{NS}\" a\u{1}=\"1\" a\u{1}=\"2\"/>"), "duplicate attribute `a\\u{1}`"),
        // A value, with its backslash and quote escaped so the text reads back.
        (
            format!("<Node xmlns=\"{NS}\" Count=\"1\n2&#9;\\&quot;\"/>"),
            "Node/@Count: not an xs:int: \"1 2\\t\\\\\\\"\"",
        ),
        // A character XML does not allow, raw or as a reference, is refused with its code.
        (
            format!("<Node xmlns=\"{NS}\" Count=\"1\u{0}\"/>"),
            "Node/@Count: not well-formed XML: the character U+0000 is not allowed in XML",
        ),
        (
            format!("<Node xmlns=\"{NS}\"><Value>a&#1;</Value></Node>"),
            "Node/Value: not well-formed XML: the character U+0001 is not allowed in XML",
        ),
        // The root element's name, with characters that do not print (XML names may hold them).
        (
            "<A\u{202e}B\u{85}C\u{200b} xmlns=\"urn:other\"/>".to_owned(),
            "1:1: element `A\\u{202e}B\\u{85}C\\u{200b}` is not in the EM namespace",
        ),
        // A namespace binding that quick-xml refuses.
        (
            format!("<Node xmlns=\"{NS}\" xmlns:xml=\"urn:\u{1}\n\"/>"),
            "the prefix `xml` cannot be bound to `urn:\\u{1}\\n`",
        ),
    ];
    for (xml, expected) in cases {
        let err = decode::<Node>(&xml).unwrap_err();
        let text = assert_printable(&err);
        assert!(text.contains(expected), "{xml:?}\n  got: {text}\n want: {expected}");
    }
}

#[test]
fn huge_names_and_values_are_shortened_in_messages() {
    let huge = "N".repeat(5 << 20);
    let shown = format!("{}\u{2026}", "N".repeat(60));
    // The root element's name, outside the EM namespace.
    let err = timed::<Node>("5 MB root name", &format!("<{huge}/>")).unwrap_err();
    assert_eq!(assert_printable(&err), format!("1:1: element `{shown}` is not in the EM namespace `{NS}`"));
    // A name in the path.
    let xml = format!("<Chain xmlns=\"{NS}\"><{huge}><Y><Z></Q></Z></Y></{huge}></Chain>");
    let err = timed::<Chain>("5 MB name in the path", &xml).unwrap_err();
    let text = assert_printable(&err);
    assert!(
        text.contains(&format!(": Chain/{shown}/Y/Z: not well-formed XML: expected `</Z>`, but `</Q>` was found")),
        "{text}"
    );
    // The same name where an end tag does not match.
    let xml = format!("<Node xmlns=\"{NS}\"><Value>{huge}</Value><{huge}></X></Node>");
    let text = assert_printable(&decode::<Node>(&xml).unwrap_err());
    assert!(text.ends_with(&format!("expected `</{shown}>`, but `</X>` was found")), "{text}");
    // A 10 MB value that is not a number.
    let xml = format!("<Node xmlns=\"{NS}\"><Count>{}</Count></Node>", "7".repeat(10 << 20));
    let err = timed::<Node>("10 MB number", &xml).unwrap_err();
    assert_at(&err, &xml, xml.find("<Count>").unwrap());
    let (line, column) = position(&xml, xml.find("<Count>").unwrap());
    assert_eq!(
        assert_printable(&err),
        format!("{line}:{column}: Node/Count: not an xs:int: \"{}\u{2026}\"", "7".repeat(60))
    );
}

// ---------------------------------------------------------------------------------------------------------
// 4. Big values. 100 MB is measured by hand (see the report in the change); 10 MB keeps CI fast.

#[test]
fn a_10_mb_attribute_decodes_in_linear_time() {
    let size = 10 << 20;
    let plain = "v".repeat(size);
    let xml = format!("<Node xmlns=\"{NS}\" Name=\"{plain}\"/>");
    let node = timed::<Node>("10 MB attribute", &xml).unwrap();
    assert_eq!(node.name.map(|n| n.len()), Some(size));
    // One that needs normalizing and unescaping all along.
    // The slower paths on 1 MB, to keep the test quick in a debug build: one that needs normalizing and
    // unescaping all along, and one with a bad reference at its very end, located there.
    let size = 1 << 20;
    let xml = format!("<Node xmlns=\"{NS}\" Name=\"{}\"/>", "a&amp;\r\n".repeat(size / 8));
    let node = timed::<Node>("1 MB attribute with references and line ends", &xml).unwrap();
    assert_eq!(node.name.map(|n| n.len()), Some(size / 8 * 3));
    let xml = format!("<Node xmlns=\"{NS}\" Name=\"{}&bogus;\"/>", &plain[..size]);
    let err = timed::<Node>("1 MB attribute, bad reference at the end", &xml).unwrap_err();
    assert_at(&err, &xml, xml.find("&bogus;").unwrap());
    assert!(assert_printable(&err).ends_with("Node/@Name: not well-formed XML: unknown entity `&bogus;`"), "{err}");
    // And the same in element text.
    let xml = format!("<Node xmlns=\"{NS}\"><Value>{plain}</Value></Node>");
    assert_eq!(timed::<Node>("10 MB text", &xml).unwrap().value.map(|v| v.len()), Some(plain.len()));
}
