use std::fmt;

/// Why a document could not be decoded, with where it happened.
///
/// `Display` gives `LINE:COL: PATH: message`, for example
/// `12:5: VmReplicaPoint/CreationTimeUTC: not an xs:dateTime: "yesterday"`; a caller that knows the file
/// name puts it in front.
///
/// The line is one line of printable text whatever the input: every piece of input it quotes (names,
/// values, prefixes, entity names) has control and other non-printing characters escaped (`\n`,
/// `\u{1b}`) and is cut after 60 characters with `…`, and a deep element path shows only its ends. The
/// fields of [`DecodeErrorKind`] and [`path`](Self::path) keep the input as it was.
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
    /// An element would be nested deeper than [`MAX_DEPTH`](crate::xml::MAX_DEPTH) open elements.
    TooDeep {
        /// The limit, [`MAX_DEPTH`](crate::xml::MAX_DEPTH).
        limit: usize,
    },
    /// An element would bring more than
    /// [`MAX_NAMESPACE_DECLARATIONS`](crate::xml::MAX_NAMESPACE_DECLARATIONS) namespace declarations into
    /// scope (counted over it and the elements that enclose it).
    TooManyNamespaces {
        /// The limit, [`MAX_NAMESPACE_DECLARATIONS`](crate::xml::MAX_NAMESPACE_DECLARATIONS).
        limit: usize,
    },
    /// An element that holds one value occurs again; keeping either occurrence would drop the other.
    Repeated {
        /// Local name of the element.
        element: String,
    },
    /// A second alternative of a choice that holds one.
    SecondAlternative {
        /// Local name of the second alternative.
        element: String,
    },
    /// An element inside a value that is text only.
    ElementInValue {
        /// Local name of the element found.
        element: String,
    },
    /// Text (other than whitespace) inside an element that holds only elements.
    TextInStructure,
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The message is ours, with any input already quoted; escaping again is a safety net for text a
            // quick-xml error carried that `read.rs` did not recognize.
            DecodeErrorKind::Syntax(message) => {
                write!(f, "not well-formed XML: {}", Escaped { text: message, limit: MESSAGE_LIMIT, quote: None })
            }
            DecodeErrorKind::UnexpectedEof => f.write_str("the document ends before this element is closed"),
            DecodeErrorKind::NoRoot => f.write_str("no root element"),
            DecodeErrorKind::UnknownRoot { found, known } => {
                write!(f, "unknown root element {}; known roots: {}", Quoted(found), known.join(", "))
            }
            DecodeErrorKind::WrongNamespace { element } => {
                write!(f, "element {} is not in the EM namespace `{}`", Quoted(element), super::NAMESPACE)
            }
            DecodeErrorKind::TrailingContent => f.write_str("content after the root element"),
            DecodeErrorKind::Missing { what, name } => write!(f, "missing required {what} `{name}`"),
            DecodeErrorKind::InvalidValue { expected, found } => {
                write!(f, "not an {expected}: \"{}\"", Escaped { text: found, limit: QUOTE_LIMIT, quote: Some('"') })
            }
            DecodeErrorKind::TooDeep { limit } => write!(f, "elements nested more than {limit} deep"),
            DecodeErrorKind::TooManyNamespaces { limit } => {
                write!(f, "more than {limit} namespace declarations in scope")
            }
            DecodeErrorKind::Repeated { element } => {
                write!(f, "element {} occurs more than once, but holds one value", Quoted(element))
            }
            DecodeErrorKind::SecondAlternative { element } => {
                write!(f, "element {} is a second alternative of a choice that holds one", Quoted(element))
            }
            DecodeErrorKind::ElementInValue { element } => {
                write!(f, "element {} inside a value that holds only text", Quoted(element))
            }
            DecodeErrorKind::TextInStructure => f.write_str("text inside an element that holds only elements"),
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
            // Outermost first; a deep path keeps its ends, so the line stays short.
            let names: Vec<&str> = self.path.iter().rev().map(String::as_str).collect();
            let (head, tail) = if names.len() > 2 * PATH_ENDS {
                (&names[..PATH_ENDS], &names[names.len() - PATH_ENDS..])
            } else {
                (&names[..], &names[..0])
            };
            let mut first = true;
            for name in head {
                write!(
                    f,
                    "{}{}",
                    if first { "" } else { "/" },
                    Escaped { text: name, limit: QUOTE_LIMIT, quote: Some('/') }
                )?;
                first = false;
            }
            if !tail.is_empty() {
                write!(f, "/\u{2026}")?;
                for name in tail {
                    write!(f, "/{}", Escaped { text: name, limit: QUOTE_LIMIT, quote: Some('/') })?;
                }
            }
            f.write_str(": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// The most characters of one piece of input (a name, a value) that a message shows; longer pieces are cut
/// and end with `…`.
pub(crate) const QUOTE_LIMIT: usize = 60;

/// The most characters of a syntax message (which may hold up to two quoted pieces).
const MESSAGE_LIMIT: usize = 240;

/// How many names at each end of a deep element path a message shows.
const PATH_ENDS: usize = 4;

/// A piece of input as a message shows it: between backticks, escaped and cut short by [`Escaped`].
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", Escaped { text: self.0, limit: QUOTE_LIMIT, quote: Some('`') })
    }
}

/// Text made safe for a one-line message: line ends, tabs, control characters and other characters that do
/// not print (as judged by [`char::escape_debug`]) are written as Rust escapes (`\n`, `\u{1b}`), and the
/// text is cut after `limit` characters of output, ending with `…`.
///
/// With `quote`, the text is quoted input: the backslash and the quote character are escaped too, so the
/// output reads back unambiguously. Without it, the text is a message of ours whose backslashes are
/// already escapes and stay as they are.
pub(crate) struct Escaped<'a> {
    pub(crate) text: &'a str,
    pub(crate) limit: usize,
    pub(crate) quote: Option<char>,
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut width = 0;
        let mut piece = String::new();
        for c in self.text.chars() {
            piece.clear();
            if self.quote.is_some_and(|q| c == q || c == '\\') {
                piece.push('\\');
                piece.push(c);
            } else {
                let escaped = c.escape_debug();
                if escaped.len() > 1 && !matches!(c, '"' | '\'' | '\\') {
                    piece.extend(escaped);
                } else {
                    piece.push(c);
                }
            }
            // Escapes are ASCII, so bytes count characters except for a single unescaped character.
            let added = if piece.is_ascii() { piece.len() } else { 1 };
            if width + added > self.limit {
                return f.write_str("\u{2026}");
            }
            width += added;
            f.write_str(&piece)?;
        }
        Ok(())
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

    #[test]
    fn quoted_input_is_escaped_and_shortened() {
        let quoted = |s: &str| Quoted(s).to_string();
        assert_eq!(quoted("Name"), "`Name`");
        assert_eq!(quoted("é日本"), "`é日本`", "printable characters stay");
        assert_eq!(quoted("a\nb\r\tc"), "`a\\nb\\r\\tc`");
        assert_eq!(quoted("\u{1b}[31m\u{7}\u{0}\u{7f}\u{85}"), "`\\u{1b}[31m\\u{7}\\0\\u{7f}\\u{85}`");
        assert_eq!(quoted("\u{202e}\u{200b}\u{2028}\u{feff}"), "`\\u{202e}\\u{200b}\\u{2028}\\u{feff}`");
        assert_eq!(quoted("a`b\\c\"d'e"), "`a\\`b\\\\c\"d'e`", "the quote and the backslash are escaped");
        let sixty = "x".repeat(QUOTE_LIMIT);
        assert_eq!(quoted(&sixty), format!("`{sixty}`"));
        assert_eq!(quoted(&format!("{sixty}y")), format!("`{sixty}\u{2026}`"));
        assert_eq!(quoted(&"é".repeat(5_000_000)), format!("`{}\u{2026}`", "é".repeat(QUOTE_LIMIT)));
        // An escape is never cut in half.
        let cut = quoted(&format!("{}\n", "x".repeat(QUOTE_LIMIT - 1)));
        assert_eq!(cut, format!("`{}\u{2026}`", "x".repeat(QUOTE_LIMIT - 1)));
    }

    #[test]
    fn every_piece_of_input_in_a_message_is_escaped() {
        let show = |kind: DecodeErrorKind| DecodeError::new(kind, "", 0).within(b"A\nB").to_string();
        let long = "z".repeat(1000);
        let short = format!("{}\u{2026}", "z".repeat(QUOTE_LIMIT));
        assert_eq!(
            show(DecodeErrorKind::WrongNamespace { element: format!("\n{long}") }),
            format!(
                "1:1: A\\nB: element `\\n{}\u{2026}` is not in the EM namespace `{}`",
                "z".repeat(QUOTE_LIMIT - 2),
                crate::NAMESPACE
            )
        );
        assert_eq!(
            show(DecodeErrorKind::UnknownRoot { found: "R\u{1b}".into(), known: vec!["X", "Y"] }),
            "1:1: A\\nB: unknown root element `R\\u{1b}`; known roots: X, Y"
        );
        assert_eq!(
            show(DecodeErrorKind::InvalidValue { expected: "xs:int", found: long.clone() }),
            format!("1:1: A\\nB: not an xs:int: \"{short}\"")
        );
        // Syntax messages are ours, with input already quoted; what slips through is still escaped.
        assert_eq!(show(DecodeErrorKind::Syntax("a\nb \\n".into())), "1:1: A\\nB: not well-formed XML: a\\nb \\n");
        assert!(show(DecodeErrorKind::Syntax(long.clone())).chars().count() < 300);
    }

    #[test]
    fn a_deep_path_keeps_its_ends() {
        let mut err = DecodeError::new(DecodeErrorKind::TooDeep { limit: 256 }, "", 0);
        for i in (0..20).rev() {
            err = err.within(format!("E{i}").as_bytes());
        }
        assert_eq!(err.path().split('/').count(), 20);
        assert_eq!(err.to_string(), "1:1: E0/E1/E2/E3/\u{2026}/E16/E17/E18/E19: elements nested more than 256 deep");
        let err = DecodeError::new(DecodeErrorKind::NoRoot, "", 0).within(b"b/c").within(b"a");
        assert_eq!(err.to_string(), "1:1: a/b\\/c: no root element");
    }
}
