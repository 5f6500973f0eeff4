//! The first byte picks a root (`Document::ROOTS[byte % len]`), the rest is EM's JSON form of that
//! document, decoded through `Document::from_json`.
//!
//! Checks: no panic, no hang, bounded memory; every root in `ROOTS` is known to `from_json`; a decoded
//! value serializes to JSON that decodes again to the same value; encoding it as XML does not panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veeam_em::model::Document;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let root = Document::ROOTS[usize::from(pick) % Document::ROOTS.len()];
    let Ok(json) = std::str::from_utf8(rest) else { return };
    let Some(decoded) = Document::from_json(root, json) else {
        panic!("ROOTS lists {root} but from_json does not know it");
    };
    let Ok(doc) = decoded else { return };
    assert_eq!(doc.root(), root, "from_json({root}) gave another document");

    let again = serde_json::to_string(&doc).expect("a decoded document serializes");
    let back = match Document::from_json(root, &again) {
        Some(Ok(back)) => back,
        Some(Err(err)) => panic!("its own JSON does not decode: {err}\n  json: {again}"),
        None => unreachable!(),
    };
    assert_eq!(back, doc, "JSON round trip changes the value\n  json: {again}");

    let _ = doc.to_xml();
});
