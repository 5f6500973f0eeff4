//! Checks shared by the targets (included with `#[path]`; not a target itself).

use veeam_em::runtime::DecodeError;

/// What `DecodeError` promises for any input: a 1-based position inside the input and a `Display` that is
/// one line of printable text, `LINE:COL: ` first, with every quoted piece of input escaped and cut short.
pub fn check_decode_error(err: &DecodeError, input: &str) {
    assert!(err.line() >= 1 && err.column() >= 1, "position {}:{} is not 1-based", err.line(), err.column());
    assert!(err.offset() <= input.len() as u64, "offset {} is past the input ({} bytes)", err.offset(), input.len());
    let _ = err.path();
    let shown = err.to_string();
    let prefix = format!("{}:{}: ", err.line(), err.column());
    assert!(shown.starts_with(&prefix), "Display does not start with `{prefix}`: {shown:?}");
    assert!(!err.kind().to_string().trim().is_empty(), "empty message: {err:?}");
    // `Escaped` leaves a character as it is only when `escape_debug` would (quotes and backslash aside).
    if let Some(c) = shown.chars().find(|&c| c.escape_debug().count() > 1 && !matches!(c, '"' | '\'' | '\\')) {
        panic!("Display holds the non-printing character {c:?}: {shown:?}");
    }
    // Quoted pieces are cut at 60 characters, syntax messages at 240, deep paths keep 4 names at each end;
    // the longest legitimate message (an unknown root listing every known root) stays well under this.
    assert!(shown.chars().count() <= 4096, "Display is {} characters long: {shown:?}", shown.chars().count());
}
