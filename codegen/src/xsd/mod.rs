//! The XSD front end: `.xsd` files (roxmltree, no XML Schema library) -> the schema language's syntax tree
//! ([`crate::schema::SchemaFile`]), so that validation, lowering and emitting are shared with `.xml` schema
//! files. Every declaration keeps the position of the XSD text it comes from, so later errors point there.
//!
//! What is read and how (the subset, the naming rule, the list rule, the messages) is documented in
//! `schemas/README.md`, section "XSD input". The stages:
//!
//! 1. `files`: parse every file, resolve `xs:include`/`xs:import` among the loaded files, collect the
//!    global declarations per namespace;
//! 2. `translate`: name every type (`naming`), translate content models into `Member`s, built-ins into the
//!    schema language's simple types (`builtins`), then turn wrapper types into lists and give document
//!    roots to global elements.

mod builtins;
mod files;
mod naming;
mod translate;

use crate::diagnostics::Sink;
use crate::schema::SchemaFile;

/// One `.xsd` source to read.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    /// Index of the file among all sources being loaded (for positions).
    pub index: usize,
    /// Module name (the file stem).
    pub module: String,
    /// Display path (`schemas/RestAPI.xsd`); `schemaLocation`s are resolved relative to it.
    pub path: &'a str,
    /// File contents.
    pub text: &'a str,
}

/// Whether a source is read by this front end (its path ends in `.xsd`, any case).
pub fn is_xsd(path: &str) -> bool {
    std::path::Path::new(path).extension().is_some_and(|e| e.eq_ignore_ascii_case("xsd"))
}

/// Reads all `.xsd` sources of a load together (they include each other). `all_paths` are the display
/// paths of every source of the load, `.xml` ones included, indexed like [`crate::diagnostics::Pos::file`].
/// Problems go to `sink` (unsupported constructs as errors, skipped or approximated ones as warnings);
/// what could be read is returned either way, one file per well-formed input.
pub fn parse_files(inputs: &[Input<'_>], all_paths: &[String], sink: &mut Sink<'_>) -> Vec<SchemaFile> {
    let files = files::read(inputs, sink);
    let ctx = files::Ctx::new(&files, all_paths, sink);
    translate::run(&ctx, sink)
}
