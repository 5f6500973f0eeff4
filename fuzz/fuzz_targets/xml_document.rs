//! Any bytes as an XML body, decoded through `Document::from_xml` (every root type).
//!
//! The decoder only takes `&str` (there is no byte-level entry point; the transport checks UTF-8 first),
//! so input that is not UTF-8 is skipped rather than converted lossily.
//! Checks: no panic, no hang, bounded memory; a decoded document reports the root it was read from; an
//! error keeps the promises of `DecodeError` (see `common.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use veeam_em::model::Document;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Document::from_xml(text) {
        Ok(doc) => assert!(Document::ROOTS.contains(&doc.root()), "decoded root {} is not in ROOTS", doc.root()),
        Err(err) => common::check_decode_error(&err, text),
    }
});
