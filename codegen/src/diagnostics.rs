//! Compiler-style error reports: every problem, sorted by file and position.

use std::fmt;

/// A place in a schema file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// Index of the file in the set being loaded.
    pub file: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// Turns byte offsets of one file into [`Pos`]es in time independent of the file's size.
///
/// Built once per file: the start of every line, and the number of characters before every 64-byte
/// block. Columns count characters (not bytes) from the start of the line, as roxmltree and editors do.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    line_starts: Vec<usize>,
    /// Characters in `text[..BLOCK * i]`, for every block boundary up to the end of the text.
    chars_before_block: Vec<usize>,
}

/// Bytes per entry of [`LineIndex::chars_before_block`].
const BLOCK: usize = 64;

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
            .collect();
        let mut chars_before_block = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0;
        chars_before_block.push(0);
        for block in bytes.chunks(BLOCK) {
            chars += char_starts(block);
            chars_before_block.push(chars);
        }
        LineIndex { line_starts, chars_before_block }
    }

    /// 1-based line and column of the byte `offset` of `text` (the text the index was built from).
    /// Offsets past the end are taken as the end.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        // The last line starting at or before `offset`.
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let col = self.chars_before(text, offset) - self.chars_before(text, self.line_starts[line]) + 1;
        (to_u32(line + 1), to_u32(col))
    }

    /// `pos` of the byte `offset` of `text`, in the file `file`.
    pub fn pos(&self, file: usize, text: &str, offset: usize) -> Pos {
        let (line, col) = self.line_col(text, offset);
        Pos { file, line, col }
    }

    /// Characters starting before the byte `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars_before_block[block] + char_starts(&text.as_bytes()[block * BLOCK..offset])
    }
}

/// Characters starting in `bytes` (bytes that are not UTF-8 continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation stops: nothing is written.
    #[default]
    Error,
    /// Generation goes on; something was skipped or approximated (reported by the XSD front end).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Display path of the file (`schemas/common.xml`).
    pub file: String,
    /// Where the problem is.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
    /// Extra lines: suggestions, the place of an earlier definition.
    pub notes: Vec<String>,
    /// Error (the default) or warning.
    pub severity: Severity,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.file, self.pos.line, self.pos.col, self.severity, self.message)?;
        for note in &self.notes {
            write!(f, "\n  = {note}")?;
        }
        Ok(())
    }
}

/// Every problem found, in file and position order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts by file and position, dropping exact repeats.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| (a.pos, &a.message).cmp(&(b.pos, &b.message)));
        self.0.dedup();
        self
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors (not the warnings).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.errors().count();
        let w = self.warnings().count();
        if n > 0 || w == 0 {
            write!(f, "{n} error{}", if n == 1 { "" } else { "s" })?;
        }
        if w > 0 {
            let sep = if n > 0 { ", " } else { "" };
            write!(f, "{sep}{w} warning{}", if w == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics while a stage runs.
#[derive(Debug)]
pub struct Sink<'a> {
    files: &'a [String],
    found: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// A sink for the given display paths (indexed by [`Pos::file`]).
    pub fn new(files: &'a [String]) -> Self {
        Sink { files, found: Vec::new() }
    }

    /// Reports a problem.
    pub fn error(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        let file = self.files.get(pos.file).cloned().unwrap_or_default();
        let message = message.into();
        self.found.push(Diagnostic { file, pos, message, notes: Vec::new(), severity: Severity::Error });
        self.found.last_mut().expect("just pushed")
    }

    /// Reports something that does not stop generation.
    pub fn warning(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        let d = self.error(pos, message);
        d.severity = Severity::Warning;
        d
    }

    /// Display path of a file.
    pub fn file(&self, index: usize) -> &str {
        self.files.get(index).map_or("", String::as_str)
    }

    /// `file:line:col` of a position, for notes.
    pub fn at(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.file(pos.file), pos.line, pos.col)
    }

    /// Whether an error (not just a warning) was reported.
    pub fn has_errors(&self) -> bool {
        self.found.iter().any(|d| d.severity == Severity::Error)
    }

    /// The problems found so far, warnings included.
    pub fn finish(self) -> Diagnostics {
        Diagnostics(self.found).sorted()
    }
}

impl Diagnostic {
    /// Adds a note line.
    pub fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward count the index must agree with: lines up to `offset`, characters since the
    /// last line feed.
    fn slow(text: &str, offset: usize) -> (u32, u32) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line as u32, col as u32)
    }

    #[test]
    fn line_index_agrees_with_counting_from_the_start() {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&"ab\u{e9}\u{20ac}\u{1f600}\r".repeat(i % 7));
            text.push('\n');
        }
        text.push_str("last line without a line feed \u{e9}");
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(index.line_col(&text, offset), slow(&text, offset), "offset {offset}");
        }
        assert_eq!(index.line_col(&text, text.len() + 10), slow(&text, text.len()));
        assert_eq!(LineIndex::new("").line_col("", 0), (1, 1));
    }
}
