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
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error: {}", self.file, self.pos.line, self.pos.col, self.message)?;
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
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
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
        self.found.push(Diagnostic { file, pos, message: message.into(), notes: Vec::new() });
        self.found.last_mut().expect("just pushed")
    }

    /// Display path of a file.
    pub fn file(&self, index: usize) -> &str {
        self.files.get(index).map_or("", String::as_str)
    }

    /// `file:line:col` of a position, for notes.
    pub fn at(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.file(pos.file), pos.line, pos.col)
    }

    /// Whether anything was reported.
    pub fn has_errors(&self) -> bool {
        !self.found.is_empty()
    }

    /// The problems found so far.
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
