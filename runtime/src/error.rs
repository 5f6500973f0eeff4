use std::fmt;

/// Why a document could not be decoded, with where it happened.
///
/// `Display` gives `LINE:COL: PATH: message`, for example
/// `12:5: VmReplicaPoint/CreationTimeUTC: not an xs:dateTime: "yesterday"`; a caller that knows the file
/// name puts it in front.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    offset: u64,
    line: usize,
    column: usize,
    /// Element names from the innermost outwards; filled in while the error travels up.
    path: Vec<String>,
}

/// What went wrong while decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input is not well-formed XML.
    Syntax(String),
    /// The input ended inside an element.
    UnexpectedEof,
    /// The input holds no element at all.
    NoRoot,
    /// The root element is not one this decoder knows.
    UnknownRoot {
        /// The root element found.
        found: String,
        /// The root elements that would have been accepted.
        known: Vec<&'static str>,
    },
    /// An EM element is in another namespace (or in none).
    WrongNamespace {
        /// Local name of the element.
        element: String,
    },
    /// Something other than whitespace or comments follows the root element.
    TrailingContent,
    /// A required attribute or element is missing.
    Missing {
        /// `attribute` or `element`.
        what: &'static str,
        /// Its XML name.
        name: &'static str,
    },
    /// A value does not parse as its type.
    InvalidValue {
        /// What was expected, for example `xs:dateTime`.
        expected: &'static str,
        /// The text found.
        found: String,
    },
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Syntax(message) => write!(f, "not well-formed XML: {message}"),
            DecodeErrorKind::UnexpectedEof => f.write_str("the document ends before this element is closed"),
            DecodeErrorKind::NoRoot => f.write_str("no root element"),
            DecodeErrorKind::UnknownRoot { found, known } => {
                write!(f, "unknown root element `{found}`; known roots: {}", known.join(", "))
            }
            DecodeErrorKind::WrongNamespace { element } => {
                write!(f, "element `{element}` is not in the EM namespace `{}`", super::NAMESPACE)
            }
            DecodeErrorKind::TrailingContent => f.write_str("content after the root element"),
            DecodeErrorKind::Missing { what, name } => write!(f, "missing required {what} `{name}`"),
            DecodeErrorKind::InvalidValue { expected, found } => write!(f, "not an {expected}: {found:?}"),
        }
    }
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, input: &str, offset: u64) -> Self {
        let (line, column) = line_col(input, offset);
        DecodeError { kind, offset, line, column, path: Vec::new() }
    }

    /// Adds the name of an enclosing element; called on the way out of each element.
    pub(crate) fn within(mut self, element: &[u8]) -> Self {
        self.path.push(String::from_utf8_lossy(element).into_owned());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// Byte offset in the input.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// 1-based line in the input.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column (in characters) in the input.
    pub fn column(&self) -> usize {
        self.column
    }

    /// Element path from the root, such as `VmReplicaPoint/Links/Link`.
    pub fn path(&self) -> String {
        let mut names: Vec<&str> = self.path.iter().map(String::as_str).collect();
        names.reverse();
        names.join("/")
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path())?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for DecodeError {}

/// 1-based line and column (counted in characters) of a byte offset.
fn line_col(input: &str, offset: u64) -> (usize, usize) {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX).min(input.len());
    // Step back to a character boundary so slicing cannot panic on a hostile offset.
    let offset = (0..=offset).rev().find(|&i| input.is_char_boundary(i)).unwrap_or(0);
    let before = &input[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("a\nbc", 3), (2, 2));
        assert_eq!(line_col("é\nxé<", 6), (2, 3));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn display_names_position_path_and_problem() {
        let err = DecodeError::new(
            DecodeErrorKind::InvalidValue { expected: "xs:dateTime", found: "yesterday".into() },
            "<a>\n  <b>",
            6,
        )
        .within(b"CreationTimeUTC")
        .within(b"VmReplicaPoint");
        assert_eq!(err.to_string(), "2:3: VmReplicaPoint/CreationTimeUTC: not an xs:dateTime: \"yesterday\"");
    }
}
