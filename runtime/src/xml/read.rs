use std::borrow::Cow;
use std::collections::HashSet;

use quick_xml::events::{BytesStart, Event};

use super::lex::{escaped, find_byte, is_plain, next_scanned, Lexer, RawAttribute, Scan};
use super::scopes::{local_name, Ns, Scopes};
use super::{ListType, XmlDecode};
use crate::error::{DecodeError, DecodeErrorKind, Quoted};
use crate::value::XmlValue;

/// The most elements a document may have open at once (the root counts as one).
///
/// The generated decoders recurse once per element they read, so without a bound a deeply nested document
/// (a type that contains itself, through a list or directly) would overflow the stack; skipped elements are
/// held to the same bound, so a document is refused the same way whatever the model knows. 256 is far
/// beyond any EM document (about ten levels) and keeps the deepest decode well inside the 2 MiB stack of a
/// spawned or Tokio worker thread, even in a debug build. Deeper documents fail with
/// [`DecodeErrorKind::TooDeep`] at the start tag of the first element past the limit.
pub const MAX_DEPTH: usize = 256;

/// The most namespace declarations (`xmlns`, `xmlns:p`) that may be in scope at once, counted over the open
/// elements.
///
/// quick-xml resolves a prefix by scanning the declarations in scope, so an unbounded number would make
/// decoding quadratic (a prefix used on every element, declared outside thousands of declarations). EM
/// documents declare two or three; the bound is twice [`MAX_DEPTH`], so a document that declares up to two
/// namespaces on every element meets the depth limit first. Each look-up then scans at most this many
/// declarations, a constant. An element that would pass the bound fails with
/// [`DecodeErrorKind::TooManyNamespaces`] at its start tag.
pub const MAX_NAMESPACE_DECLARATIONS: usize = 2 * MAX_DEPTH;

/// A pull reader over one EM XML document.
///
/// Elements are matched by local name within the EM namespace, whatever prefix the document binds it to.
/// Elements in other namespaces, unknown elements, unknown attributes, comments and processing instructions
/// are skipped, so a newer server's additions do not break an older client. What the model has a place
/// for is never dropped: an element given twice that holds one value, a second alternative of a choice,
/// an element inside a text value and text inside a structure are errors.
///
/// Work is linear in the size of the input: nesting is bounded by [`MAX_DEPTH`], namespace declarations in
/// scope by [`MAX_NAMESPACE_DECLARATIONS`], and duplicate attributes are found with a hash set once an
/// element has more than a few.
pub struct XmlReader<'i> {
    lexer: Lexer<'i>,
    input: &'i str,
    /// For each open element, outermost first, how many namespace declarations it made.
    open: Vec<usize>,
    /// The sum of `open`.
    declarations: usize,
    /// The namespace bindings in scope.
    scopes: Scopes<'i>,
    /// After an empty element: the bindings to keep once its event has been handled (its own declarations
    /// apply to it alone).
    scope_floor: Option<usize>,
    /// What the one-pass scan found in the attributes of the last start tag read.
    scanned: Scan,
    /// The attributes of that start tag when the scan found them valid, namespace declarations left out:
    /// (name, raw value), in document order.
    attrs: Vec<RawAttribute<'i>>,
    /// Offset of that start tag, which says whose attributes `attrs` holds.
    tag: u64,
}

/// `slice` as a `&str`, when it is a slice of `input` (markup delimiters are ASCII, so such a slice lies
/// on character boundaries and needs no validation).
fn input_str<'i>(input: &'i str, slice: &[u8]) -> Option<&'i str> {
    let at = offset_in(input, slice)? as usize;
    input.get(at..at + slice.len())
}

/// How an element name resolved.
enum Resolved {
    /// In the EM namespace.
    Em,
    /// In another namespace, or in none.
    Other,
    /// Its prefix is not declared.
    Unknown(Vec<u8>),
}

/// The start tag of an element that the reader returned.
pub struct Element<'i> {
    start: BytesStart<'i>,
    empty: bool,
    offset: u64,
    /// The attributes passed [`scan_attributes`].
    checked: bool,
}

impl<'i> Element<'i> {
    /// Local name (without prefix).
    pub fn name(&self) -> &[u8] {
        self.start.local_name().into_inner()
    }

    /// Whether the element was written `<Name/>`.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Byte offset of the `<` of the start tag.
    pub fn offset(&self) -> u64 {
        self.offset
    }
}

/// One unqualified attribute of an element.
pub struct Attribute<'a> {
    name: &'a [u8],
    raw: Cow<'a, [u8]>,
    /// The value, when the scan found it needs no unescaping or normalizing.
    plain: Option<&'a str>,
    input: &'a str,
    offset: u64,
}

impl Attribute<'_> {
    /// Local name.
    pub fn name(&self) -> &[u8] {
        self.name
    }

    /// Unescapes and parses the value.
    pub fn value<T: XmlValue>(&self) -> Result<T, DecodeError> {
        // Most values are a slice of the input with nothing to normalize or unescape: parse it as it is.
        if let Some(text) = self.plain {
            return T::from_text(Cow::Borrowed(text)).map_err(|e| {
                let offset = offset_in(self.input, text.as_bytes()).unwrap_or(self.offset);
                let kind = DecodeErrorKind::InvalidValue { expected: e.expected, found: e.found };
                DecodeError::new(kind, self.input, offset).within(&[b"@", self.name].concat())
            });
        }
        // Point into the value when it is a slice of the input (always, for a borrowed document).
        let value_offset = match &self.raw {
            Cow::Borrowed(raw) => offset_in(self.input, raw),
            Cow::Owned(_) => None,
        };
        let located = |kind, at: Option<u64>| {
            let offset = match (value_offset, at) {
                (Some(v), Some(at)) => v + at,
                (Some(v), None) => v,
                (None, _) => self.offset,
            };
            DecodeError::new(kind, self.input, offset).within(&[b"@", self.name].concat())
        };
        let text = text_content(self.raw.clone(), true, self.input)
            .map_err(|(e, at)| located(DecodeErrorKind::Syntax(e), Some(at)))?;
        T::from_text(text)
            .map_err(|e| located(DecodeErrorKind::InvalidValue { expected: e.expected, found: e.found }, None))
    }
}

/// The unqualified attributes of an element, namespace declarations left out.
pub struct Attributes<'a> {
    inner: quick_xml::events::attributes::Attributes<'a>,
    /// Where the attributes come from once they are known to be well-formed.
    scanned: Scanned<'a>,
    raw: &'a [u8],
    separated: bool,
    seen: Names<'a>,
    scopes: &'a Scopes<'a>,
    input: &'a str,
    offset: u64,
}

/// The source of well-formed attributes.
enum Scanned<'a> {
    /// Not known to be well-formed: quick-xml's iterator with every check.
    No,
    /// The reader's list from the scan of this very tag, from this index.
    Listed(&'a [RawAttribute<'a>], usize),
    /// Scanned when the tag was read, but the list has moved on to a later tag: read again from `raw`
    /// at this offset.
    Raw(usize),
}

/// The attribute names met so far on one element, to find a duplicate in linear time (quick-xml's own
/// check compares each name with every earlier one).
#[derive(Default)]
struct Names<'a> {
    few: Vec<&'a [u8]>,
    many: Option<HashSet<&'a [u8]>>,
}

impl<'a> Names<'a> {
    /// Up to this many names are compared one by one; past it they go in a hash set.
    const FEW: usize = 16;

    /// Adds `name`; false if it was already there.
    fn insert(&mut self, name: &'a [u8]) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(name);
        }
        if self.few.contains(&name) {
            return false;
        }
        if self.few.len() < Self::FEW {
            self.few.push(name);
        } else {
            let mut many: HashSet<&[u8]> = self.few.drain(..).collect();
            many.insert(name);
            self.many = Some(many);
        }
        true
    }
}

/// The next attribute of a start tag, or the syntax error there; a name repeated within the tag is an
/// error. The error carries the offset of the attribute name when it is a slice of `input`.
fn next_attribute<'a>(
    inner: &mut quick_xml::events::attributes::Attributes<'a>,
    seen: &mut Names<'a>,
    input: &str,
) -> Option<Result<quick_xml::events::attributes::Attribute<'a>, (String, Option<u64>)>> {
    match inner.next()? {
        Ok(attr) => {
            let name: &'a [u8] = attr.key.into_inner();
            if seen.insert(name) {
                Some(Ok(attr))
            } else {
                let message = format!("duplicate attribute {}", Quoted(&String::from_utf8_lossy(name)));
                Some(Err((message, offset_in(input, name))))
            }
        }
        Err(e) => Some(Err((e.to_string(), None))),
    }
}

impl<'a> Attributes<'a> {
    /// The next well-formed attribute from the scan, or `None` when the attributes were not scanned.
    fn next_scanned(&mut self) -> Option<Option<RawAttribute<'a>>> {
        match &mut self.scanned {
            Scanned::No => None,
            Scanned::Listed(list, at) => {
                let item = list.get(*at).copied();
                *at += 1;
                Some(item)
            }
            Scanned::Raw(at) => {
                Some(next_scanned(self.raw, at).map(|(name, value)| RawAttribute { name, value, plain: None }))
            }
        }
    }

    /// The error for a prefixed attribute whose prefix is not declared.
    fn undeclared(&self, prefix: &[u8]) -> DecodeError {
        let prefix = String::from_utf8_lossy(prefix);
        let kind = DecodeErrorKind::Syntax(format!("undeclared namespace prefix {}", Quoted(&prefix)));
        DecodeError::new(kind, self.input, self.offset)
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<Attribute<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(scanned) = self.next_scanned() {
            let mut next = scanned;
            loop {
                let RawAttribute { name, value, plain } = next?;
                if name == b"xmlns" || name.starts_with(b"xmlns:") {
                    next = self.next_scanned().flatten();
                    continue;
                }
                // EM attributes are unqualified; the others are not data, but their prefix must be declared.
                match self.scopes.attribute(name) {
                    None => {
                        return Some(Ok(Attribute {
                            name,
                            raw: Cow::Borrowed(value),
                            plain,
                            input: self.input,
                            offset: self.offset,
                        }))
                    }
                    Some(Err(prefix)) => return Some(Err(self.undeclared(prefix))),
                    Some(Ok(_)) => next = self.next_scanned().flatten(),
                }
            }
        }
        if !self.separated {
            // Checked once, before the first attribute.
            self.separated = true;
            if let Err(e) = check_separation(self.raw) {
                return Some(Err(DecodeError::new(DecodeErrorKind::Syntax(e), self.input, self.offset)));
            }
        }
        loop {
            let attr = match next_attribute(&mut self.inner, &mut self.seen, self.input)? {
                Ok(attr) => attr,
                Err((message, at)) => {
                    let offset = at.unwrap_or(self.offset);
                    return Some(Err(DecodeError::new(DecodeErrorKind::Syntax(message), self.input, offset)));
                }
            };
            // EM attributes are unqualified; `xmlns`, `xmlns:x` and `xsi:...` are not data, but a prefix
            // must still be declared.
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            match self.scopes.attribute(attr.key.into_inner()) {
                None => {}
                Some(Err(prefix)) => return Some(Err(self.undeclared(prefix))),
                Some(Ok(_)) => continue,
            }
            return Some(Ok(Attribute {
                name: attr.key.local_name().into_inner(),
                raw: attr.value,
                plain: None,
                input: self.input,
                offset: self.offset,
            }));
        }
    }
}

/// Syntax of the attributes of an element that is skipped, not decoded: the message and, when known, the
/// offset of the problem.
fn check_start_attributes(start: &BytesStart<'_>, input: &str) -> Result<(), (String, Option<u64>)> {
    check_separation(start.attributes_raw()).map_err(|e| (e, None))?;
    let mut inner = start.attributes();
    inner.with_checks(false);
    let mut seen = Names::default();
    while let Some(attr) = next_attribute(&mut inner, &mut seen, input) {
        attr?;
    }
    Ok(())
}

/// The offset of `slice` in `input`, if it is a slice of it.
fn offset_in(input: &str, slice: &[u8]) -> Option<u64> {
    let start = slice.as_ptr() as usize;
    let base = input.as_ptr() as usize;
    (start >= base && start <= base + input.len()).then(|| (start - base) as u64)
}

/// What is wrong with an XML declaration (the only quick-xml error left: the lexer reports the rest), with
/// any input quoted safely.
fn describe(error: &quick_xml::Error) -> String {
    match error {
        quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingDeclVersion(Some(found))) => {
            format!("an XML declaration must start with `version`, not {}", Quoted(found))
        }
        quick_xml::Error::Escape(error) => escape_error(error.clone()).0,
        // The rest carry positions, not input.
        other => other.to_string(),
    }
}

/// quick-xml accepts `a="1"b="2"`; XML wants whitespace after each value.
fn check_separation(raw: &[u8]) -> Result<(), String> {
    let mut quote = None;
    for (i, &b) in raw.iter().enumerate() {
        match quote {
            None if b == b'"' || b == b'\'' => quote = Some(b),
            Some(q) if b == q => {
                quote = None;
                if raw.get(i + 1).is_some_and(|next| !next.is_ascii_whitespace() && *next != b'/') {
                    return Err("attributes must be separated by whitespace".to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Raw character data -> its value: line ends normalized (`\r\n` and `\r` become `\n`), in attribute
/// values whitespace characters become spaces (XML 1.0 sections 2.11 and 3.3.3), then references decoded.
/// Borrows from the input when nothing needs changing. Errors carry the byte offset inside `raw`.
fn text_content<'r>(raw: Cow<'r, [u8]>, attribute: bool, input: &'r str) -> Result<Cow<'r, str>, (String, u64)> {
    let needs_normalizing = |s: &str| {
        let b = s.as_bytes();
        find_byte(b, b'\r').is_some() || (attribute && (find_byte(b, b'\t').is_some() || find_byte(b, b'\n').is_some()))
    };
    let normalize = |s: &str| {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        if attribute {
            s.replace(['\t', '\n'], " ")
        } else {
            s
        }
    };
    let utf8 = |e: std::str::Utf8Error| (format!("not UTF-8: {e}"), e.valid_up_to() as u64);
    match raw {
        Cow::Borrowed(bytes) => {
            let text = match input_str(input, bytes) {
                Some(text) => text,
                None => std::str::from_utf8(bytes).map_err(utf8)?,
            };
            if is_plain(text.as_bytes()) {
                return Ok(Cow::Borrowed(text));
            }
            check_characters(text, 0)?;
            let value = if needs_normalizing(text) {
                unescape_owned(&normalize(text))?
            } else if find_byte(text.as_bytes(), b'&').is_none() {
                Cow::Borrowed(text)
            } else {
                quick_xml::escape::unescape(text).map_err(escape_error)?
            };
            // A character reference may name a character XML does not allow either (`&#1;`).
            check_characters(&value, 0).map_err(|(message, _)| (message, 0))?;
            Ok(value)
        }
        Cow::Owned(bytes) => {
            let text = std::str::from_utf8(&bytes).map_err(utf8)?;
            check_characters(text, 0)?;
            let value = unescape_owned(&normalize(text))?;
            check_characters(&value, 0).map_err(|(message, _)| (message, 0))?;
            Ok(value)
        }
    }
}

/// Refuses the characters XML 1.0 does not allow in a document (control characters other than tab, line
/// feed and carriage return; U+FFFE and U+FFFF): a value holding one could not be sent back to EM.
fn check_characters(text: &str, base: u64) -> Result<(), (String, u64)> {
    match text
        .char_indices()
        .find(|&(_, c)| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}'))
    {
        Some((at, c)) => Err((format!("the character U+{:04X} is not allowed in XML", u32::from(c)), base + at as u64)),
        None => Ok(()),
    }
}

fn unescape_owned(text: &str) -> Result<Cow<'static, str>, (String, u64)> {
    quick_xml::escape::unescape(text).map(|t| Cow::Owned(t.into_owned())).map_err(escape_error)
}

/// The message and, where quick-xml says, the offset of the bad reference (its `&`).
fn escape_error(error: quick_xml::escape::EscapeError) -> (String, u64) {
    use quick_xml::escape::EscapeError;
    let at = match &error {
        // quick-xml's range starts after the `&` for a name it does not know, at the `&` for a missing `;`.
        EscapeError::UnrecognizedEntity(range, _) => range.start.saturating_sub(1) as u64,
        EscapeError::UnterminatedEntity(range) => range.start as u64,
        _ => 0,
    };
    let message = match &error {
        EscapeError::UnrecognizedEntity(_, name) => format!("unknown entity `&{};`", escaped(name)),
        EscapeError::UnterminatedEntity(_) => "`&` that does not start a reference (write `&amp;`)".to_owned(),
        other => other.to_string(),
    };
    (message, at)
}

impl<'i> XmlReader<'i> {
    /// A reader over `input`.
    pub fn new(input: &'i str) -> Self {
        XmlReader {
            lexer: Lexer::new(input),
            input,
            open: Vec::with_capacity(16),
            declarations: 0,
            scopes: Scopes::with_capacity(8),
            scope_floor: None,
            scanned: Scan::default(),
            attrs: Vec::with_capacity(Scan::MAX_NAMES),
            tag: u64::MAX,
        }
    }

    fn error(&self, kind: DecodeErrorKind, offset: u64) -> DecodeError {
        DecodeError::new(kind, self.input, offset)
    }

    /// The next event, how its element name resolved, and where it starts. Every event passes here, so
    /// this is where the nesting and the namespace declarations in scope are counted and bounded.
    fn read_event(&mut self) -> Result<(Resolved, Event<'i>, u64), DecodeError> {
        if let Some(floor) = self.scope_floor.take() {
            self.scopes.truncate(floor);
        }
        let offset = self.lexer.position();
        let (event, scan) = self.lexer.next(&mut self.attrs)?;
        let resolved = match &event {
            Event::Start(start) | Event::Empty(start) => {
                if self.open.len() >= MAX_DEPTH {
                    return Err(self.error(DecodeErrorKind::TooDeep { limit: MAX_DEPTH }, offset));
                }
                let before = self.scopes.len();
                self.read_attributes(start, offset, scan)?;
                let declared = self.scopes.len() - before;
                let resolved = match self.scopes.element(start.name().into_inner()) {
                    Ok(Ns::Em) => Resolved::Em,
                    Ok(_) => Resolved::Other,
                    Err(prefix) => Resolved::Unknown(prefix.to_vec()),
                };
                if matches!(event, Event::Start(_)) {
                    self.open.push(declared);
                    self.declarations += declared;
                } else {
                    self.scope_floor = Some(before);
                }
                resolved
            }
            Event::End(_) => {
                // The lexer refuses an end tag that matches no start tag, so there is always one to close.
                let declared = self.open.pop().unwrap_or(0);
                self.declarations -= declared;
                self.scopes.truncate(self.scopes.len() - declared);
                Resolved::Other
            }
            _ => Resolved::Other,
        };
        Ok((resolved, event, offset))
    }

    /// Scans the attributes of a start tag once: remembers them when they are well-formed, and applies
    /// its namespace declarations (within [`MAX_NAMESPACE_DECLARATIONS`]).
    fn read_attributes(&mut self, start: &BytesStart<'_>, offset: u64, scan: Scan) -> Result<(), DecodeError> {
        self.tag = offset;
        self.scanned = scan;
        let too_many = |reader: &Self| {
            let kind = DecodeErrorKind::TooManyNamespaces { limit: MAX_NAMESPACE_DECLARATIONS };
            reader.error(kind, offset)
        };
        if self.scanned.valid {
            if self.scanned.declarations > MAX_NAMESPACE_DECLARATIONS - self.declarations {
                return Err(too_many(self));
            }
            if self.scanned.declarations > 0 {
                for i in 0..self.attrs.len() {
                    let RawAttribute { name, value, .. } = self.attrs[i];
                    self.scopes.declare(Cow::Borrowed(name), value).map_err(|e| self.namespace_error(e, offset))?;
                }
            }
            return Ok(());
        }
        self.attrs.clear();
        // Not well-formed, or more attributes than the scan keeps: quick-xml's way, as far as it reads
        // (the attribute checks report the rest when the element is decoded or skipped).
        let mut declared = 0;
        let mut attributes = start.attributes();
        attributes.with_checks(false);
        for attr in attributes.map_while(Result::ok) {
            let key = attr.key.into_inner();
            if !(key == b"xmlns" || key.starts_with(b"xmlns:")) {
                continue;
            }
            declared += 1;
            if declared > MAX_NAMESPACE_DECLARATIONS - self.declarations {
                return Err(too_many(self));
            }
            let name = match offset_in(self.input, key) {
                Some(at) => Cow::Borrowed(&self.input.as_bytes()[at as usize..at as usize + key.len()]),
                None => Cow::Owned(key.to_vec()),
            };
            self.scopes.declare(name, &attr.value).map_err(|e| self.namespace_error(e, offset))?;
        }
        Ok(())
    }

    fn namespace_error(&self, message: String, offset: u64) -> DecodeError {
        self.error(DecodeErrorKind::Syntax(message), offset)
    }

    /// The next event, whether its element is in the EM namespace, and where it starts.
    fn next_event(&mut self) -> Result<(bool, Event<'i>, u64), DecodeError> {
        let (resolved, event, offset) = self.read_event()?;
        let em = match resolved {
            Resolved::Em => true,
            Resolved::Other => false,
            Resolved::Unknown(prefix) => {
                let message = format!("undeclared namespace prefix {}", Quoted(&String::from_utf8_lossy(&prefix)));
                return Err(self.error(DecodeErrorKind::Syntax(message), offset));
            }
        };
        self.check_event(&event, offset)?;
        Ok((em, event, offset))
    }

    /// The well-formedness check the lexer leaves to the reader: the XML declaration.
    fn check_event(&self, event: &Event<'_>, offset: u64) -> Result<(), DecodeError> {
        match event {
            Event::Decl(decl) => {
                let checked = decl
                    .version()
                    .map(drop)
                    .map_err(|e| describe(&e))
                    .and_then(|()| decl.encoding().transpose().map(drop).map_err(|e| e.to_string()));
                checked.map_err(|e| self.error(DecodeErrorKind::Syntax(format!("bad XML declaration: {e}")), offset))
            }
            _ => Ok(()),
        }
    }

    /// Skips the content of an element whose start tag was just read. Reads event by event (not with
    /// `read_to_end`, which would leave namespace declarations of skipped elements in force), without
    /// recursion, until the element is closed.
    fn skip_content(&mut self) -> Result<(), DecodeError> {
        // The element being skipped is the innermost open one.
        let level = self.open.len();
        while self.open.len() >= level {
            let (_, event, offset) = self.read_event()?;
            match event {
                Event::Start(start) | Event::Empty(start) if !self.scanned.valid => {
                    check_start_attributes(&start, self.input)
                        .map_err(|(e, at)| self.error(DecodeErrorKind::Syntax(e), at.unwrap_or(offset)))?
                }
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof, offset)),
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the element carries `xsi:nil="true"`, which says the value is absent.
    fn is_nil(&self, start: &BytesStart<'_>) -> bool {
        let nil = |name: &[u8], value: &[u8]| {
            local_name(name) == b"nil"
                && matches!(self.scopes.attribute(name), Some(Ok(Ns::Xsi)))
                && matches!(value, b"true" | b"1")
        };
        if self.scanned.valid {
            // Cheap test first: almost no element has a `nil` attribute.
            return self.scanned.nil && self.attrs.iter().any(|attr| nil(attr.name, attr.value));
        }
        if !start.attributes_raw().windows(4).any(|w| w == b":nil") {
            return false;
        }
        let mut attributes = start.attributes();
        // Duplicates are reported by the attribute checks; this is only a look-up.
        attributes.with_checks(false);
        attributes.flatten().any(|attr| nil(attr.key.into_inner(), &attr.value))
    }

    /// The attribute syntax of an element left out as `xsi:nil`.
    fn check_nil_attributes(&self, start: &BytesStart<'_>, offset: u64) -> Result<(), DecodeError> {
        if self.scanned.valid {
            return Ok(());
        }
        check_start_attributes(start, self.input)
            .map_err(|(e, at)| self.error(DecodeErrorKind::Syntax(e), at.unwrap_or(offset)))
    }

    /// Finds the document element, skipping the XML declaration, comments and whitespace.
    pub fn root(&mut self) -> Result<Element<'i>, DecodeError> {
        loop {
            let (em, event, offset) = self.next_event()?;
            let (start, empty) = match event {
                Event::Start(start) => (start, false),
                Event::Empty(start) => (start, true),
                Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => continue,
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => continue,
                Event::Eof => return Err(self.error(DecodeErrorKind::NoRoot, offset)),
                _ => return Err(self.error(DecodeErrorKind::Syntax("content before the root element".into()), offset)),
            };
            let element = Element { start, empty, offset, checked: self.scanned.valid };
            if !em {
                let name = String::from_utf8_lossy(element.name()).into_owned();
                return Err(self.error(DecodeErrorKind::WrongNamespace { element: name }, offset));
            }
            return Ok(element);
        }
    }

    /// Checks that only whitespace, comments and processing instructions follow the root element.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        loop {
            let (_, event, offset) = self.next_event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error(DecodeErrorKind::TrailingContent, offset)),
            }
        }
    }

    /// The error for a root element that is not among `known`.
    pub fn unknown_root(&self, root: &Element<'_>, known: &[&'static str]) -> DecodeError {
        let found = String::from_utf8_lossy(root.name()).into_owned();
        self.error(DecodeErrorKind::UnknownRoot { found, known: known.to_vec() }, root.offset)
    }

    /// The next child element of `parent` in the EM namespace, or `None` at the end of `parent`.
    /// Text between child elements and elements of other namespaces are skipped.
    pub fn next_child(&mut self, parent: &Element<'_>) -> Result<Option<Element<'i>>, DecodeError> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let (em, event, offset) = self.next_event()?;
            match event {
                Event::Start(start) if em && self.is_nil(&start) => {
                    self.check_nil_attributes(&start, offset)?;
                    self.skip_content()?
                }
                Event::Empty(start) if em && self.is_nil(&start) => self.check_nil_attributes(&start, offset)?,
                Event::Start(start) if em => {
                    return Ok(Some(Element { start, empty: false, offset, checked: self.scanned.valid }))
                }
                Event::Empty(start) if em => {
                    return Ok(Some(Element { start, empty: true, offset, checked: self.scanned.valid }))
                }
                Event::Start(_) => self.skip_content()?,
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof, offset)),
                // Whitespace between children is layout; anything else would be dropped.
                Event::Text(text) if !text.iter().all(u8::is_ascii_whitespace) => {
                    return Err(self.error(DecodeErrorKind::TextInStructure, offset))
                }
                Event::CData(text) if !text.iter().all(u8::is_ascii_whitespace) => {
                    return Err(self.error(DecodeErrorKind::TextInStructure, offset))
                }
                _ => {}
            }
        }
    }

    /// Skips an element and everything inside it.
    pub fn skip(&mut self, element: &Element<'_>) -> Result<(), DecodeError> {
        self.check_attributes(element).map_err(|e| e.within(element.name()))?;
        if element.empty {
            return Ok(());
        }
        self.skip_content().map_err(|e| e.within(element.name()))
    }

    /// The text content of an element, entity references and CDATA sections decoded. Borrowed from the
    /// input when it needs no unescaping. A child element is an error (its content would be lost).
    pub fn read_text(&mut self, element: &Element<'_>) -> Result<Cow<'i, str>, DecodeError> {
        if element.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text: Option<Cow<'i, str>> = None;
        loop {
            let (_, event, offset) = self.next_event()?;
            let piece = match event {
                Event::Text(t) => text_content(t.into_inner(), false, self.input)
                    .map_err(|(e, at)| self.error(DecodeErrorKind::Syntax(e), offset + at))?,
                Event::CData(c) => {
                    c.decode().map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string()), offset))?
                }
                // A value is text only; what an element inside it holds would be dropped.
                Event::Start(start) | Event::Empty(start) => {
                    let element = String::from_utf8_lossy(start.local_name().into_inner()).into_owned();
                    return Err(self.error(DecodeErrorKind::ElementInValue { element }, offset));
                }
                Event::End(_) => break,
                Event::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof, offset)),
                _ => continue,
            };
            match &mut text {
                None => text = Some(piece),
                Some(acc) => acc.to_mut().push_str(&piece),
            }
        }
        Ok(text.unwrap_or(Cow::Borrowed("")))
    }

    /// The unqualified attributes of `element`.
    pub fn attributes<'a>(&'a self, element: &'a Element<'_>) -> Attributes<'a>
    where
        'i: 'a,
    {
        let mut inner = element.start.attributes();
        // Duplicates are found by `Names`, in linear time.
        inner.with_checks(false);
        let scanned = match (element.checked, element.offset == self.tag) {
            (false, _) => Scanned::No,
            (true, true) => Scanned::Listed(&self.attrs, 0),
            (true, false) => Scanned::Raw(0),
        };
        Attributes {
            inner,
            scanned,
            raw: element.start.attributes_raw(),
            separated: false,
            seen: Names::default(),
            scopes: &self.scopes,
            input: self.input,
            offset: element.offset,
        }
    }

    /// Checks the attributes of an element whose type keeps none, so malformed markup is still reported.
    pub fn check_attributes(&self, element: &Element<'_>) -> Result<(), DecodeError> {
        self.attributes(element).try_for_each(|attr| attr.map(drop))
    }

    /// Reads a simple-valued element.
    pub fn read_value<T: XmlValue>(&mut self, element: &Element<'_>) -> Result<T, DecodeError> {
        let text = self.read_text(element).map_err(|e| e.within(element.name()))?;
        T::from_text(text).map_err(|e| {
            self.error(DecodeErrorKind::InvalidValue { expected: e.expected, found: e.found }, element.offset)
                .within(element.name())
        })
    }

    /// Reads the text content of the element being decoded itself (a type with attributes and text); the
    /// caller names the element in errors.
    pub fn read_content<T: XmlValue>(&mut self, element: &Element<'_>) -> Result<T, DecodeError> {
        let text = self.read_text(element)?;
        T::from_text(text).map_err(|e| {
            self.error(DecodeErrorKind::InvalidValue { expected: e.expected, found: e.found }, element.offset)
        })
    }

    /// Reads a complex element.
    pub fn read_child<T: XmlDecode>(&mut self, element: &Element<'_>) -> Result<T, DecodeError> {
        T::decode(self, element).map_err(|e| e.within(element.name()))
    }

    /// Reads the items of a list wrapper, skipping elements that are not items.
    pub fn read_list<L: ListType>(&mut self, element: &Element<'_>) -> Result<Vec<L::Item>, DecodeError>
    where
        L::Item: XmlDecode,
    {
        self.read_items::<L>(element).map_err(|e| e.within(element.name()))
    }

    /// Reads the items of a list wrapper without naming the wrapper in errors (for list documents, whose
    /// own decoder adds the name).
    pub fn read_items<L: ListType>(&mut self, element: &Element<'_>) -> Result<Vec<L::Item>, DecodeError>
    where
        L::Item: XmlDecode,
    {
        self.check_attributes(element)?;
        let mut items = Vec::new();
        while let Some(child) = self.next_child(element)? {
            if L::ITEM_NAMES.iter().any(|name| name.as_bytes() == child.name()) {
                items.push(self.read_child(&child)?);
            } else {
                self.skip(&child)?;
            }
        }
        Ok(items)
    }

    /// Reads a child element that holds one value into `slot` with `read`. A second occurrence is an
    /// error: keeping either value would silently drop the other.
    pub fn read_once<T>(
        &mut self,
        child: &Element<'i>,
        slot: &mut Option<T>,
        read: impl FnOnce(&mut Self, &Element<'i>) -> Result<T, DecodeError>,
    ) -> Result<(), DecodeError> {
        self.fill(child, slot, read, |element| DecodeErrorKind::Repeated { element })
    }

    /// Reads an alternative of a choice into `slot` with `read`. An alternative after another one (or the
    /// same one again) is an error: a choice holds one.
    pub fn read_alternative<T>(
        &mut self,
        child: &Element<'i>,
        slot: &mut Option<T>,
        read: impl FnOnce(&mut Self, &Element<'i>) -> Result<T, DecodeError>,
    ) -> Result<(), DecodeError> {
        self.fill(child, slot, read, |element| DecodeErrorKind::SecondAlternative { element })
    }

    /// Fills an empty `slot` by reading `child`; a full one is the error `taken` makes of the child's name.
    fn fill<T>(
        &mut self,
        child: &Element<'i>,
        slot: &mut Option<T>,
        read: impl FnOnce(&mut Self, &Element<'i>) -> Result<T, DecodeError>,
        taken: fn(String) -> DecodeErrorKind,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            let element = String::from_utf8_lossy(child.name()).into_owned();
            return Err(self.error(taken(element), child.offset).within(child.name()));
        }
        *slot = Some(read(self, child)?);
        Ok(())
    }

    /// Reads the items of a list wrapper whose items are simple values (`<Path>C:\</Path>...`),
    /// skipping elements that are not items.
    pub fn read_value_list<L: ListType>(&mut self, element: &Element<'_>) -> Result<Vec<L::Item>, DecodeError>
    where
        L::Item: XmlValue,
    {
        self.read_value_items::<L>(element).map_err(|e| e.within(element.name()))
    }

    /// [`read_value_list`](Self::read_value_list) without naming the wrapper in errors (for list
    /// documents, whose own decoder adds the name).
    pub fn read_value_items<L: ListType>(&mut self, element: &Element<'_>) -> Result<Vec<L::Item>, DecodeError>
    where
        L::Item: XmlValue,
    {
        self.check_attributes(element)?;
        let mut items = Vec::new();
        while let Some(child) = self.next_child(element)? {
            if L::ITEM_NAMES.iter().any(|name| name.as_bytes() == child.name()) {
                items.push(self.read_value(&child)?);
            } else {
                self.skip(&child)?;
            }
        }
        Ok(items)
    }

    /// Reads the document element (the same as [`read_child`](Self::read_child), named for clarity).
    pub fn read_root<T: XmlDecode>(&mut self, root: &Element<'_>) -> Result<T, DecodeError> {
        self.read_child(root)
    }

    /// Unwraps a required attribute, or reports it missing on `element`.
    pub fn required_attr<T>(
        &self,
        element: &Element<'_>,
        value: Option<T>,
        name: &'static str,
    ) -> Result<T, DecodeError> {
        value.ok_or_else(|| self.error(DecodeErrorKind::Missing { what: "attribute", name }, element.offset))
    }

    /// Unwraps a required child element, or reports it missing on `element`.
    pub fn required_element<T>(
        &self,
        element: &Element<'_>,
        value: Option<T>,
        name: &'static str,
    ) -> Result<T, DecodeError> {
        value.ok_or_else(|| self.error(DecodeErrorKind::Missing { what: "element", name }, element.offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = crate::NAMESPACE;

    /// Records what the reader shows it: attributes, then each child's name and text.
    #[derive(Debug, PartialEq)]
    struct Probe {
        attrs: Vec<(String, String)>,
        children: Vec<(String, String)>,
    }

    impl XmlDecode for Probe {
        fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
            let mut attrs = Vec::new();
            for attr in reader.attributes(element) {
                let attr = attr?;
                attrs.push((String::from_utf8_lossy(attr.name()).into_owned(), attr.value::<String>()?));
            }
            let mut children = Vec::new();
            while let Some(child) = reader.next_child(element)? {
                let name = String::from_utf8_lossy(child.name()).into_owned();
                let text: String = reader.read_value(&child)?;
                children.push((name, text));
            }
            Ok(Probe { attrs, children })
        }
    }

    fn probe(xml: &str) -> Result<Probe, DecodeError> {
        let mut reader = XmlReader::new(xml);
        let root = reader.root()?;
        let value = reader.read_root(&root)?;
        reader.finish()?;
        Ok(value)
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn the_namespace_may_come_with_any_prefix() {
        let xml = format!("<?xml version=\"1.0\"?>\n<em:R xmlns:em=\"{NS}\" A=\"1\"><em:X>v</em:X></em:R>");
        let p = probe(&xml).unwrap();
        assert_eq!(p.attrs, pairs(&[("A", "1")]));
        assert_eq!(p.children, pairs(&[("X", "v")]));
    }

    #[test]
    fn a_root_outside_the_namespace_is_refused() {
        let err = probe("<R><X/></R>").unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::WrongNamespace { element } if element == "R"), "{err}");
        assert!(probe("<R xmlns=\"http://example.com/other\"/>").is_err());
    }

    #[test]
    fn foreign_elements_and_attributes_are_skipped() {
        let xml = format!(
            "<R xmlns=\"{NS}\" xmlns:o=\"urn:other\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             o:Hidden=\"1\" B=\"2\"><o:Deep><X>not mine</X></o:Deep><!-- note --><X>mine</X><?pi x?></R>"
        );
        let p = probe(&xml).unwrap();
        assert_eq!(p.attrs, pairs(&[("B", "2")]));
        assert_eq!(p.children, pairs(&[("X", "mine")]));
    }

    #[test]
    fn text_decodes_references_and_cdata() {
        let xml = format!(
            "<R xmlns=\"{NS}\" H=\"a?x=1&amp;y=&#x2F;\"><X>a&amp;b&#x2F;<![CDATA[<c>]]>&lt;</X><E/><F></F></R>"
        );
        let p = probe(&xml).unwrap();
        assert_eq!(p.attrs, pairs(&[("H", "a?x=1&y=/")]));
        assert_eq!(p.children, pairs(&[("X", "a&b/<c><"), ("E", ""), ("F", "")]));
    }

    #[test]
    fn whitespace_inside_text_is_kept() {
        let p = probe(&format!("<R xmlns=\"{NS}\"><X>  Dec  7 </X></R>")).unwrap();
        assert_eq!(p.children, pairs(&[("X", "  Dec  7 ")]));
    }

    #[test]
    fn errors_are_located() {
        // `^` marks where the error must point; it is removed before decoding.
        let cases = [
            ("^", "no root element"),
            ("<?xml version=\"1.0\"?>^", "no root element"),
            ("<R xmlns=\"NS\">\n  <X>1^</Y></R>", "R/X: not well-formed XML"),
            ("<R xmlns=\"NS\">\n  <X>1</X>^", "R: the document ends before this element is closed"),
            ("<R xmlns=\"NS\"><X>a^&bogus;</X></R>", "R/X: not well-formed XML"),
            ("<R xmlns=\"NS\" H=\"a^&b\"/>", "R/@H: not well-formed XML"),
            ("<R xmlns=\"NS\"/>^<R xmlns=\"NS\"/>", "content after the root element"),
            ("^text<R xmlns=\"NS\"/>", "not well-formed XML: content before the root element"),
        ];
        for (marked, expected) in cases {
            let marked = marked.replace("\"NS\"", &format!("\"{NS}\""));
            let at = marked.find('^').unwrap();
            let xml = marked.replacen('^', "", 1);
            let line = xml[..at].matches('\n').count() + 1;
            let column = xml[..at].rsplit('\n').next().unwrap().chars().count() + 1;
            let err = probe(&xml).unwrap_err();
            let want = format!("{line}:{column}: {expected}");
            assert!(err.to_string().starts_with(&want), "{xml:?}\n  got: {err}\n want: {want}");
        }
    }

    #[test]
    fn namespace_declarations_of_skipped_elements_end_with_them() {
        let xml = format!("<R xmlns=\"{NS}\"><Skip xmlns=\"urn:other\"><In/></Skip><X>kept</X></R>");
        assert_eq!(probe(&xml).unwrap().children, pairs(&[("X", "kept")]));
        let xml = format!("<R xmlns=\"{NS}\"><X xmlns=\"urn:other\">not ours</X><X>ours</X></R>");
        assert_eq!(probe(&xml).unwrap().children, pairs(&[("X", "ours")]));
    }

    #[test]
    fn xsi_nil_means_absent() {
        let xsi = "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"";
        let xml =
            format!("<R xmlns=\"{NS}\" {xsi}><X i:nil=\"true\"/><Y i:nil=\"true\"></Y><Z i:nil=\"false\">z</Z></R>");
        assert_eq!(probe(&xml).unwrap().children, pairs(&[("Z", "z")]));
    }

    #[test]
    fn an_undeclared_prefix_is_an_error() {
        let err = probe(&format!("<R xmlns=\"{NS}\"><q:X/></R>")).unwrap_err();
        assert!(err.to_string().contains("undeclared namespace prefix `q`"), "{err}");
    }

    #[test]
    fn line_ends_and_attribute_whitespace_are_normalized() {
        let xml = format!("<R xmlns=\"{NS}\" A=\"a\tb\r\nc&#10;d\"><X>1\r\n2\r3&#13;</X></R>");
        let p = probe(&xml).unwrap();
        assert_eq!(p.attrs, pairs(&[("A", "a b c\nd")]));
        assert_eq!(p.children, pairs(&[("X", "1\n2\n3\r")]));
    }

    #[test]
    fn a_duplicate_attribute_is_an_error() {
        assert!(probe(&format!("<R xmlns=\"{NS}\" A=\"1\" A=\"2\"/>")).is_err());
    }

    #[test]
    fn hostile_input_never_panics() {
        // Unknown nesting is skipped without recursion, up to the depth limit; past it, a located error.
        let nest =
            |n: usize| format!("<R xmlns=\"{NS}\">{}{}</R>", "<o:x xmlns:o=\"u\">".repeat(n), "</o:x>".repeat(n));
        assert!(probe(&nest(MAX_DEPTH - 1)).is_ok());
        let err = probe(&nest(10_000)).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::TooDeep { limit: MAX_DEPTH }, "{err}");
        for xml in
            ["<", "<R", "<R xmlns=", "<R xmlns=\"", "</R>", "<R/>", "<!DOCTYPE x><R/>", "<R xmlns:=\"x\"/>", "\u{feff}"]
        {
            let _ = probe(xml);
        }
    }
}
