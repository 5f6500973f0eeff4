//! `vem decode FILE`: one EM XML document in, its EM JSON form (or re-encoded XML) out.
//!
//! Bad input never panics: it exits with status 1 and one line on stderr of the form
//! `FILE:LINE:COL: message` (`FILE: cannot read: ...` when the file cannot be read).

use std::io::{self, Read, Write};
use std::path::Path;

use veeam_em::model::Document;

use crate::failure::{Failure, INPUT};

/// Runs `vem decode`.
pub fn run(file: &Path, as_xml: bool) -> Result<(), Failure> {
    decode(file, as_xml).map_err(|message| Failure::raw(INPUT, message))
}

/// The error is the complete line to print on stderr.
fn decode(file: &Path, as_xml: bool) -> Result<(), String> {
    let name = file.display();
    let bytes = read_input(file).map_err(|err| format!("{name}: cannot read: {err}"))?;
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        let (line, column) = line_col(&bytes[..err.valid_up_to()]);
        format!("{name}:{line}:{column}: not UTF-8 text")
    })?;
    let document = Document::from_xml(text).map_err(|err| format!("{name}:{err}"))?;
    let output = if as_xml {
        document.to_xml()
    } else {
        serde_json::to_string_pretty(&document).map_err(|err| format!("{name}: cannot encode as JSON: {err}"))?
    };
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}", output.trim_end_matches('\n'))
        .and_then(|()| stdout.flush())
        .map_err(|err| format!("vem: cannot write output: {err}"))
}

/// Reads the whole file, or standard input for `-`.
fn read_input(file: &Path) -> io::Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
}

/// 1-based line and column (in characters) just past `valid`, a prefix of the input known to be UTF-8.
fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = std::str::from_utf8(valid).unwrap_or_default();
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let line = text.bytes().filter(|&b| b == b'\n').count() + 1;
    (line, text[line_start..].chars().count() + 1)
}
