//! Any bytes as an XML body (UTF-8 only, as in `xml_document`); whatever decodes must survive the trip
//! back: `from_xml(to_xml(x)) == x`, `to_xml` is idempotent, and the JSON form of `x` deserializes (for
//! the same root) to `x` again. These are the checks of the conformance test, on inputs it never saw.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veeam_em::model::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = Document::from_xml(text) else { return };

    let xml = doc.to_xml();
    let again = match Document::from_xml(&xml) {
        Ok(again) => again,
        Err(err) => panic!("to_xml output does not decode: {err}\n  to_xml: {xml}"),
    };
    assert_eq!(again, doc, "from_xml(to_xml(x)) != x\n  to_xml: {xml}");
    assert_eq!(again.to_xml(), xml, "to_xml is not idempotent");

    let json = serde_json::to_string(&doc).expect("a decoded document serializes");
    let back = match Document::from_json(doc.root(), &json) {
        Some(Ok(back)) => back,
        Some(Err(err)) => panic!("its JSON does not deserialize: {err}\n  json: {json}"),
        None => panic!("from_json does not know the root {}", doc.root()),
    };
    assert_eq!(back, doc, "JSON round trip changes the value\n  json: {json}");
});
