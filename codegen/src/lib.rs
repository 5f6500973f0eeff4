//! The `veeam-em` code generator.
//!
//! The pipeline, one module a stage:
//! `schema` (roxmltree -> syntax tree with positions; `xsd` reads `.xsd` files into the same tree) ->
//! `validate` (every check, every error) ->
//! `ir` (resolved, language-neutral model) -> `emit` (IR -> tokens) -> `output` (prettyplease, headers,
//! file set). The `xtask` crate decides what to do with the files.

pub mod diagnostics;
pub mod emit;
pub mod export;
pub mod ir;
pub mod names;
pub mod output;
pub mod schema;
pub mod validate;
pub mod xsd;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Diagnostics};
pub use output::OutputFile;

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read.
    Io { path: PathBuf, source: std::io::Error },
    /// The schema has problems; all of them are listed.
    Schema(Diagnostics),
    /// The generator produced something it cannot format (a generator bug).
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "error: cannot read {}: {source}", path.display()),
            Error::Schema(d) => write!(f, "{d}"),
            Error::Internal(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// A schema file to load: its display path (used in messages and headers) and its text.
#[derive(Clone, Debug)]
pub struct Source {
    /// Display path, such as `schemas/common.xml`.
    pub path: String,
    /// File contents.
    pub text: String,
}

/// Parses, validates and lowers a set of schema files (in the order given).
pub fn load(sources: &[Source]) -> Result<ir::Ir, Diagnostics> {
    load_with_warnings(sources).map(|(ir, _)| ir)
}

/// [`load`], also returning the warnings of a successful load (the XSD front end reports what it skips or
/// approximates). On failure the diagnostics hold the warnings beside the errors.
pub fn load_with_warnings(sources: &[Source]) -> Result<(ir::Ir, Diagnostics), Diagnostics> {
    let paths: Vec<String> = sources.iter().map(|s| s.path.clone()).collect();
    let mut sink = diagnostics::Sink::new(&paths);
    let mut files = Vec::new();
    // Module name -> the file that gives it.
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    // `.xsd` files are read together, after the loop: they include each other.
    let mut xsd_inputs = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let module = Path::new(&source.path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        check_module_name(index, &source.path, &module, &mut modules, &mut sink);
        if xsd::is_xsd(&source.path) {
            xsd_inputs.push(xsd::Input { index, module, path: &source.path, text: &source.text });
        } else {
            files.extend(schema::parse_file(index, &module, &source.text, &mut sink));
        }
    }
    if !xsd_inputs.is_empty() {
        files.extend(xsd::parse_files(&xsd_inputs, &paths, &mut sink));
        files.sort_by_key(|f| f.index);
    }
    schema::merge(&mut files, &mut sink);
    let symbols = validate::validate(&files, &mut sink);
    if sink.has_errors() {
        return Err(sink.finish());
    }
    let ir = ir::lower(&files, &paths, &symbols);
    Ok((ir, sink.finish()))
}

/// Crates the generated `model/mod.rs` names by their bare name (`use serde::Serialize;`); a module of
/// the same name would make those paths ambiguous.
const CRATE_NAMES: &[&str] = &["std", "core", "alloc", "serde", "veeam_em_runtime"];

/// The module a schema file becomes (`model/NAME.rs`, `pub mod NAME;`) must be a plain Rust identifier,
/// no keyword, no crate name, and given by one file only. Problems are reported at 1:1 of the file.
fn check_module_name<'p>(
    index: usize,
    path: &'p str,
    stem: &str,
    modules: &mut BTreeMap<String, &'p str>,
    sink: &mut diagnostics::Sink<'_>,
) {
    let pos = diagnostics::Pos { file: index, line: 1, col: 1 };
    if let Some(c) = stem.chars().find(|c| schema::is_invisible(*c)) {
        let message = format!("the file name contains the invisible character U+{:04X}; rename the file", u32::from(c));
        sink.error(pos, message);
        return;
    }
    let module = names::field(stem);
    if names::is_keyword(&module) || ["self", "Self", "super", "crate"].contains(&module.as_str()) {
        sink.error(pos, format!("the file name gives the module name `{module}`, a Rust keyword; rename the file"));
    } else if !names::is_identifier(&module) {
        sink.error(pos, format!("the file name gives no Rust module name (`{module}`); rename the file"))
            .note("a module name is ASCII letters, digits and `_`, and does not start with a digit");
    } else if CRATE_NAMES.contains(&module.as_str()) {
        sink.error(
            pos,
            format!("the file name gives the module name `{module}`, which would hide the `{module}` crate; rename the file"),
        );
    } else if let Some(first) = modules.get(&module) {
        let note = format!("`{first}` gives the same module");
        sink.error(
            pos,
            format!(
                "the file name gives the module name `{module}`, which another file already gives; rename one of them"
            ),
        )
        .note(note);
    } else {
        modules.insert(module, path);
    }
}

/// Reads every `*.xml` and `*.xsd` file of `dir` in file-name order. Display paths are `display_prefix/NAME`.
pub fn read_dir(dir: &Path, display_prefix: &str) -> Result<Vec<Source>, Error> {
    let io = |source| Error::Io { path: dir.to_owned(), source };
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "xsd") && p.is_file())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(Source { path: format!("{display_prefix}/{name}"), text })
        })
        .collect()
}

/// The whole pipeline for the `veeam-em` crate: schema directory in, `src/model` files out.
pub fn generate(schema_dir: &Path, display_prefix: &str) -> Result<Vec<OutputFile>, Error> {
    let sources = read_dir(schema_dir, display_prefix)?;
    let ir = load(&sources).map_err(Error::Schema)?;
    output::crate_files(&ir).map_err(Error::Internal)
}
