//! `cargo xtask export xsd|openapi [-o FILE] [--schemas DIR]`: the schema as an XML Schema or as an
//! OpenAPI 3.1 document, on standard output or in `FILE`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const USAGE: &str = "usage: cargo xtask export xsd|openapi [-o FILE] [--schemas DIR]";

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xsd,
    OpenApi,
}

/// The arguments after `export`.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    /// Where to write; standard output when `None`.
    pub out: Option<PathBuf>,
    /// The schema folder; the workspace's `schemas/` when `None`.
    pub schemas: Option<PathBuf>,
}

pub fn parse(args: &[&str]) -> Result<Options, String> {
    let mut args = args.iter();
    let format = match args.next() {
        Some(&"xsd") => Format::Xsd,
        Some(&"openapi") => Format::OpenApi,
        Some(other) => return Err(format!("unknown export format `{other}` (xsd or openapi)")),
        None => return Err("export needs a format: xsd or openapi".to_owned()),
    };
    let (mut out, mut schemas) = (None, None);
    while let Some(arg) = args.next() {
        let slot = match *arg {
            "-o" | "--out" => &mut out,
            "--schemas" => &mut schemas,
            other => return Err(format!("unknown argument `{other}`")),
        };
        match args.next() {
            Some(_) if slot.is_some() => return Err(format!("{arg} given twice")),
            Some(value) => *slot = Some(PathBuf::from(value)),
            None => return Err(format!("{arg} needs a value")),
        }
    }
    Ok(Options { format, out, schemas })
}

/// Runs `cargo xtask export ...` on the workspace at `root`.
pub fn run(args: &[&str], root: &Path) -> ExitCode {
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (dir, display) = match &options.schemas {
        Some(dir) => (dir.clone(), dir.display().to_string()),
        None => (root.join("schemas"), "schemas".to_owned()),
    };
    let ir = match codegen::read_dir(&dir, &display) {
        Ok(sources) => match codegen::load(&sources) {
            Ok(ir) => ir,
            Err(diagnostics) => {
                eprintln!("{diagnostics}");
                return ExitCode::FAILURE;
            }
        },
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let text = match options.format {
        Format::Xsd => codegen::export::xsd(&ir),
        Format::OpenApi => codegen::export::openapi(&ir),
    };
    let written = match &options.out {
        Some(path) => fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| format!("cannot write: {e}")),
    };
    match written {
        Ok(()) => {
            if let Some(path) = &options.out {
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_arguments() {
        let xsd = parse(&["xsd"]).unwrap();
        assert_eq!(xsd, Options { format: Format::Xsd, out: None, schemas: None });
        let openapi = parse(&["openapi", "-o", "api.json", "--schemas", "s"]).unwrap();
        assert_eq!(
            openapi,
            Options { format: Format::OpenApi, out: Some("api.json".into()), schemas: Some("s".into()) }
        );
        assert_eq!(parse(&["xsd", "--out", "x.xsd"]).unwrap().out, Some(PathBuf::from("x.xsd")));
        assert!(parse(&[]).is_err());
        assert!(parse(&["wsdl"]).is_err());
        assert!(parse(&["xsd", "-o"]).is_err());
        assert!(parse(&["xsd", "-o", "a", "-o", "b"]).is_err());
        assert!(parse(&["xsd", "--frobnicate"]).is_err());
    }
}
