//! The tokenizer: markup of a borrowed `&str` -> quick-xml events, with the attributes of each start
//! tag scanned in the same pass that finds its end.
//!
//! It follows quick-xml's reader (the same events, errors and positions; end tags must match their start
//! tags) so that the decoder's checks and messages do not depend on which one runs, but it reads a start
//! tag once instead of three times (quick-xml finds the `>`, then the decoder scanned the attributes, then
//! walked them again), and it allocates nothing per event.

use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesPI, BytesStart, BytesText, Event};

use crate::error::{DecodeError, DecodeErrorKind, Escaped, Quoted, QUOTE_LIMIT};

/// What the scan of a start tag's attributes found. `valid` says the attributes are well-formed
/// (separated, `=`, quoted, no duplicates, at most [`Scan::MAX_NAMES`]); only then do the other fields
/// and the attribute list count. Anything else goes the careful way (quick-xml's attribute iterator with
/// every check), which reports exactly what is wrong.
#[derive(Clone, Copy, Default)]
pub(super) struct Scan {
    pub(super) valid: bool,
    /// How many namespace declarations (`xmlns`, `xmlns:p`).
    pub(super) declarations: usize,
    /// Whether some prefixed attribute has the local name `nil` (so `xsi:nil` must be looked at).
    pub(super) nil: bool,
}

impl Scan {
    /// Start tags with more attributes take the careful way (duplicates are found in a hash set there).
    pub(super) const MAX_NAMES: usize = 16;
}

/// An attribute of a scanned start tag: name and raw value, slices of the input.
#[derive(Clone, Copy)]
pub(super) struct RawAttribute<'i> {
    pub(super) name: &'i [u8],
    pub(super) value: &'i [u8],
    /// The value as text, when it needs no work (no reference, no character that normalizing changes):
    /// then it is the attribute's value as it is.
    pub(super) plain: Option<&'i str>,
}

// Eight bytes at a time (SWAR): with `x` one little-endian word of input, each function below sets the
// high bit of the bytes it looks for. The lowest set bit is always a real match; higher ones may be
// borrow artefacts, so only "any" and "the first" are read from them.
const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The zero bytes of `x`.
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LOW) & !x & HIGH
}

/// The bytes that make character data need work: a reference (`&`), or a control character (tab, line
/// feed and carriage return are normalized; the others are refused by the careful path).
fn special_bytes(x: u64) -> u64 {
    (x.wrapping_sub(LOW * 0x20) & !x & HIGH) | zero_bytes(x ^ (LOW * u64::from(b'&')))
}

fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'&'
}

fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0; 8];
    bytes.copy_from_slice(chunk);
    u64::from_le_bytes(bytes)
}

/// Whether character data needs no work (see [`special_bytes`]), so it is its own value.
pub(super) fn is_plain(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    if chunks.any(|chunk| special_bytes(word(chunk)) != 0) {
        return false;
    }
    !chunks.remainder().iter().any(|&b| is_special(b))
}

/// The index of the first `quote` in `hay`, and whether no byte before it needs work in a value.
fn find_quote(hay: &[u8], quote: u8) -> Option<(usize, bool)> {
    let quotes = LOW * u64::from(quote);
    let mut plain = true;
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let x = word(chunk);
        let special = special_bytes(x);
        let found = zero_bytes(x ^ quotes);
        if found != 0 {
            // "A special byte before the quote" is "a special bit below the quote's lowest bit".
            let first = found & found.wrapping_neg();
            return Some((at + (found.trailing_zeros() / 8) as usize, plain && special & (first - 1) == 0));
        }
        plain &= special == 0;
        at += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == quote {
            return Some((at + i, plain));
        }
        plain &= !is_special(b);
    }
    None
}

/// The index of the first `needle` in `hay` (attribute values are long: URLs).
pub(super) fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    let pattern = LOW * u64::from(needle);
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let found = zero_bytes(word(chunk) ^ pattern);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == needle).map(|i| at + i)
}

/// The index of the first occurrence of `needle` (two or more bytes) in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find_byte(&hay[from..], needle[0]) {
        let at = from + at;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Byte classes, one table look-up per byte in the hot loops.
const SPACE: u8 = 1;
/// A byte of an XML name: ASCII letters, digits, `_ - . :`, and every byte of a non-ASCII character
/// (which are accepted without the fine print of the XML name tables).
const NAME: u8 = 2;
static CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            table[b] = SPACE;
        } else if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') || c >= 0x80 {
            table[b] = NAME;
        }
        b += 1;
    }
    table
};

pub(super) fn is_space(b: u8) -> bool {
    CLASS[b as usize] == SPACE
}

pub(super) fn is_name_byte(b: u8) -> bool {
    CLASS[b as usize] == NAME
}

/// Whether `name` is an XML (qualified) name; non-ASCII characters are accepted without the fine print.
pub(super) fn is_xml_name(name: &[u8]) -> bool {
    matches!(name.first(), Some(b) if !b.is_ascii_digit() && !matches!(b, b'-' | b'.'))
        && name.iter().all(|&b| is_name_byte(b))
}

/// The next attribute (name, raw value) of a start tag that the scan found valid, from `*at` in its
/// attribute bytes (the tag without `<`, its name and the closing `>` or `/>`).
pub(super) fn next_scanned<'a>(raw: &'a [u8], at: &mut usize) -> Option<(&'a [u8], &'a [u8])> {
    let n = raw.len();
    let mut i = *at;
    while i < n && is_space(raw[i]) {
        i += 1;
    }
    if i == n {
        *at = n;
        return None;
    }
    let name_start = i;
    while i < n && is_name_byte(raw[i]) {
        i += 1;
    }
    let name = &raw[name_start..i];
    while i < n && raw[i] != b'"' && raw[i] != b'\'' {
        i += 1;
    }
    let quote = *raw.get(i)?;
    let len = find_byte(&raw[i + 1..], quote)?;
    let value = &raw[i + 1..i + 1 + len];
    *at = i + len + 2;
    Some((name, value))
}

/// The tokenizer over one document.
pub(super) struct Lexer<'i> {
    input: &'i str,
    /// Where the next event starts.
    pos: usize,
    /// Names of the open elements, outermost first (an end tag must match the last).
    open: Vec<&'i str>,
}

impl<'i> Lexer<'i> {
    pub(super) fn new(input: &'i str) -> Self {
        // A byte order mark is not content.
        let pos = if input.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer { input, pos, open: Vec::with_capacity(16) }
    }

    /// Byte offset where the next event starts.
    pub(super) fn position(&self) -> u64 {
        self.pos as u64
    }

    fn syntax(&self, message: impl Into<String>, offset: usize) -> DecodeError {
        DecodeError::new(DecodeErrorKind::Syntax(message.into()), self.input, offset as u64)
    }

    /// The next event. For a start tag, `found` receives its attributes and the returned [`Scan`] says
    /// whether they are well-formed; for any other event the scan is the default (not valid).
    pub(super) fn next(&mut self, found: &mut Vec<RawAttribute<'i>>) -> Result<(Event<'i>, Scan), DecodeError> {
        let input = self.input;
        let bytes = input.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            if !self.open.is_empty() {
                return Err(DecodeError::new(DecodeErrorKind::UnexpectedEof, input, bytes.len() as u64));
            }
            return Ok((Event::Eof, Scan::default()));
        }
        if bytes[start] != b'<' {
            let end = find_byte(&bytes[start..], b'<').map_or(bytes.len(), |len| start + len);
            self.pos = end;
            return Ok((Event::Text(BytesText::from_escaped(&input[start..end])), Scan::default()));
        }
        match bytes.get(start + 1) {
            Some(b'!') => self.bang(start).map(|event| (event, Scan::default())),
            Some(b'/') => self.end_tag(start).map(|event| (event, Scan::default())),
            Some(b'?') => self.question_mark(start).map(|event| (event, Scan::default())),
            Some(_) => self.start_tag(start, found),
            None => Err(self.syntax("tag not closed: `>` not found before end of input", start)),
        }
    }

    /// `<!--...-->`, `<![CDATA[...]]>` or `<!DOCTYPE ...>`, `<` at `start`.
    fn bang(&mut self, start: usize) -> Result<Event<'i>, DecodeError> {
        let input = self.input;
        let bytes = input.as_bytes();
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            let end = find(&bytes[start + 4..], b"-->")
                .ok_or_else(|| self.syntax("comment not closed: `-->` not found before end of input", start))?;
            self.pos = start + 4 + end + 3;
            return Ok(Event::Comment(BytesText::from_escaped(&input[start + 4..start + 4 + end])));
        }
        if rest.starts_with(b"<![CDATA[") {
            let end = find(&bytes[start + 9..], b"]]>")
                .ok_or_else(|| self.syntax("CDATA not closed: `]]>` not found before end of input", start))?;
            self.pos = start + 9 + end + 3;
            return Ok(Event::CData(BytesCData::new(&input[start + 9..start + 9 + end])));
        }
        if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
            // The internal subset may hold markup: `<` and `>` must balance before the final `>`.
            let mut depth = 0usize;
            let mut end = None;
            for (i, &b) in rest.iter().enumerate().skip(9) {
                match b {
                    b'<' => depth += 1,
                    b'>' if depth == 0 => {
                        end = Some(i);
                        break;
                    }
                    b'>' => depth -= 1,
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| self.syntax("DOCTYPE not closed: `>` not found before end of input", start))?;
            let content = &input[start + 9..start + end];
            let name_at = content.bytes().position(|b| !is_space(b)).ok_or_else(|| {
                self.syntax("`<!DOCTYPE>` declaration does not contain a name of a document type", start + end)
            })?;
            self.pos = start + end + 1;
            return Ok(Event::DocType(BytesText::from_escaped(&content[name_at..])));
        }
        Err(self.syntax("unknown or missed symbol in markup", start))
    }

    /// `</name>`, `<` at `start`: must close the innermost open element.
    fn end_tag(&mut self, start: usize) -> Result<Event<'i>, DecodeError> {
        let input = self.input;
        let bytes = input.as_bytes();
        // The usual case: exactly the name of the innermost open element, then `>`.
        if let Some(&expected) = self.open.last() {
            let after = start + 2 + expected.len();
            if bytes[start + 2..].starts_with(expected.as_bytes()) && bytes.get(after) == Some(&b'>') {
                self.open.pop();
                self.pos = after + 1;
                return Ok(Event::End(BytesEnd::new(expected)));
            }
        }
        let end = tag_end(bytes, start + 2)
            .ok_or_else(|| self.syntax("tag not closed: `>` not found before end of input", start))?;
        let content = &input[start + 2..end];
        // Whitespace may follow the name.
        let name = content.trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8));
        self.pos = end + 1;
        match self.open.pop() {
            Some(expected) if expected == name => Ok(Event::End(BytesEnd::new(name))),
            Some(expected) => {
                let message = format!("expected `</{}>`, but `</{}>` was found", escaped(expected), escaped(name));
                Err(self.syntax(message, start))
            }
            None => Err(self.syntax(format!("close tag `</{}>` does not match any open tag", escaped(name)), start)),
        }
    }

    /// `<?xml ...?>` or another processing instruction, `<` at `start`.
    fn question_mark(&mut self, start: usize) -> Result<Event<'i>, DecodeError> {
        let input = self.input;
        let bytes = input.as_bytes();
        let unclosed = || {
            self.syntax(
                "processing instruction or xml declaration not closed: `?>` not found before end of input",
                start,
            )
        };
        let end = find(&bytes[start + 2..], b"?>").ok_or_else(unclosed)?;
        let content = &input[start + 2..start + 2 + end];
        self.pos = start + 2 + end + 2;
        let c = content.as_bytes();
        if c.starts_with(b"xml") && (c.len() == 3 || is_space(c[3])) {
            Ok(Event::Decl(BytesDecl::from_start(BytesStart::from_content(content, 3))))
        } else {
            Ok(Event::PI(BytesPI::new(content)))
        }
    }

    /// `<name attributes>` or `<name attributes/>`, `<` at `start`. Well-formed attributes are scanned
    /// in the pass that finds the end of the tag; anything unusual falls back to finding the end the way
    /// quick-xml does (a `>` outside quotes) and leaves the attributes to the careful checks.
    fn start_tag(&mut self, start: usize, found: &mut Vec<RawAttribute<'i>>) -> Result<(Event<'i>, Scan), DecodeError> {
        let input = self.input;
        let bytes = input.as_bytes();
        let name_start = start + 1;
        let mut i = name_start;
        while i < bytes.len() && is_name_byte(bytes[i]) {
            i += 1;
        }
        let name_end = i;
        found.clear();
        let scanned = if name_end > name_start { scan_attributes(input, name_end, found) } else { None };
        let (close, scan) = match scanned {
            Some(scanned) => scanned,
            None => {
                found.clear();
                let end = tag_end(bytes, name_start)
                    .ok_or_else(|| self.syntax("tag not closed: `>` not found before end of input", start))?;
                (end, Scan::default())
            }
        };
        self.pos = close + 1;
        // Content between `<` and `>`, without the `/` of an empty-element tag.
        let (content, empty) = match input[name_start..close].strip_suffix('/') {
            Some(content) => (content, true),
            None => (&input[name_start..close], false),
        };
        // quick-xml's rule: the name ends at the first whitespace. The scan only passes names made of
        // name bytes, so then only the first byte is left to check.
        let name_len = if scan.valid {
            name_end - name_start
        } else {
            content.bytes().position(is_space).unwrap_or(content.len())
        };
        let name = &content.as_bytes()[..name_len];
        let name_ok = if scan.valid { !matches!(name[0], b'0'..=b'9' | b'-' | b'.') } else { is_xml_name(name) };
        if !name_ok {
            let message = format!("{} is not an element name", Quoted(&String::from_utf8_lossy(name)));
            return Err(self.syntax(message, start));
        }
        let tag = BytesStart::from_content(content, name_len);
        if empty {
            Ok((Event::Empty(tag), scan))
        } else {
            self.open.push(&content[..name_len]);
            Ok((Event::Start(tag), scan))
        }
    }
}

/// One pass over the attributes of a start tag from `i` (just after the name) to its closing `>`.
/// Accepts only what is well-formed for certain: `(S Name S? '=' S? quoted-value)* S? '/'? '>'` with
/// distinct names, at most [`Scan::MAX_NAMES`]. Returns the index of the `>` and the scan, or `None`
/// when anything else is met (the caller then takes the careful way).
fn scan_attributes<'i>(input: &'i str, mut i: usize, found: &mut Vec<RawAttribute<'i>>) -> Option<(usize, Scan)> {
    let bytes = input.as_bytes();
    let mut scan = Scan { valid: true, declarations: 0, nil: false };
    let n = bytes.len();
    loop {
        let before = i;
        while i < n && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((i, scan)),
            b'/' if bytes.get(i + 1) == Some(&b'>') => return Some((i + 1, scan)),
            _ => {}
        }
        // Each attribute follows whitespace (the element name or the previous value).
        if i == before {
            return None;
        }
        let name_start = i;
        while i < n && is_name_byte(bytes[i]) {
            i += 1;
        }
        let name = &bytes[name_start..i];
        while i < n && is_space(bytes[i]) {
            i += 1;
        }
        if name.is_empty() || bytes.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        while i < n && is_space(bytes[i]) {
            i += 1;
        }
        let quote = match bytes.get(i)? {
            &q @ (b'"' | b'\'') => q,
            _ => return None,
        };
        let (len, plain) = find_quote(&bytes[i + 1..], quote)?;
        let value = &bytes[i + 1..i + 1 + len];
        // Both ends are next to an ASCII quote, so on character boundaries.
        let plain = if plain { input.get(i + 1..i + 1 + len) } else { None };
        i += len + 2;
        if found.len() == Scan::MAX_NAMES || found.iter().any(|seen| seen.name == name) {
            return None;
        }
        found.push(RawAttribute { name, value, plain });
        if name == b"xmlns" || name.starts_with(b"xmlns:") {
            scan.declarations += 1;
        } else if name.ends_with(b":nil") {
            scan.nil = true;
        }
    }
}

/// The index of the `>` that ends the tag whose content starts at `from`: the first one outside quotes.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        match *bytes.get(i)? {
            b'>' => return Some(i),
            quote @ (b'"' | b'\'') => i += find_byte(&bytes[i + 1..], quote)? + 2,
            _ => i += 1,
        }
    }
}

/// A piece of input quoted in a message, without the backticks (for messages that put text around it).
pub(super) fn escaped(text: &str) -> Escaped<'_> {
    Escaped { text, limit: QUOTE_LIMIT, quote: Some('`') }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(xml: &str) -> Result<Vec<String>, DecodeError> {
        let mut lexer = Lexer::new(xml);
        let mut found = Vec::new();
        let mut out = Vec::new();
        loop {
            let (event, scan) = lexer.next(&mut found)?;
            let shown = match &event {
                Event::Start(s) => format!("start {} {}", String::from_utf8_lossy(s.name().into_inner()), scan.valid),
                Event::Empty(s) => format!("empty {} {}", String::from_utf8_lossy(s.name().into_inner()), scan.valid),
                Event::End(e) => format!("end {}", String::from_utf8_lossy(e.name().into_inner())),
                Event::Text(t) => format!("text {:?}", String::from_utf8_lossy(t)),
                Event::CData(c) => format!("cdata {:?}", String::from_utf8_lossy(c)),
                Event::Comment(c) => format!("comment {:?}", String::from_utf8_lossy(c)),
                Event::Decl(_) => "decl".to_owned(),
                Event::PI(_) => "pi".to_owned(),
                Event::DocType(d) => format!("doctype {:?}", String::from_utf8_lossy(d)),
                Event::Eof => break,
            };
            out.push(shown);
        }
        Ok(out)
    }

    #[test]
    fn every_kind_of_markup() {
        let xml = "\u{feff}<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"x\">]><!-- c --><?pi x?>\
                   <r a=\"1\" b='>'><e/><x>t<![CDATA[<d>]]></x ></r>";
        assert_eq!(
            events(xml).unwrap(),
            [
                "decl",
                "doctype \"r [<!ENTITY e \\\"x\\\">]\"",
                "comment \" c \"",
                "pi",
                "start r true",
                "empty e true",
                "start x true",
                "text \"t\"",
                "cdata \"<d>\"",
                "end x",
                "end r"
            ]
        );
    }

    #[test]
    fn unusual_attributes_still_find_the_end_of_the_tag() {
        assert_eq!(events("<r a=\"1\"b=\"2\"/>").unwrap(), ["empty r false"]);
        assert_eq!(events("<r a=\"x>y\" c/>").unwrap(), ["empty r false"]);
        assert_eq!(events("<r a=\"1\" a=\"2\"></r>").unwrap(), ["start r false", "end r"]);
        // Names are checked here, on every element, skipped ones included.
        assert!(events("<r\"q\"></r\"q\">").unwrap_err().to_string().contains("is not an element name"));
        assert!(events("<r><1x/></r>").unwrap_err().to_string().contains("`1x` is not an element name"));
    }

    #[test]
    fn broken_markup_is_located() {
        let cases = [
            ("<r><x></y></r>", 6, "expected `</x>`, but `</y>` was found"),
            ("</r>", 0, "close tag `</r>` does not match any open tag"),
            ("<r><!-- x", 3, "comment not closed"),
            ("<r><![CDATA[x", 3, "CDATA not closed"),
            ("<?xml x", 0, "not closed: `?>`"),
            ("<r a=\"1", 0, "tag not closed"),
            ("<!DOCTYPE>", 9, "does not contain a name"),
            ("<!x>", 0, "unknown or missed symbol"),
            ("<r>", 3, "the document ends before this element is closed"),
        ];
        for (xml, at, message) in cases {
            let err = events(xml).unwrap_err();
            assert_eq!(err.offset(), at as u64, "{xml}: {err}");
            assert!(err.to_string().contains(message), "{xml}: {err}");
        }
    }

    #[test]
    fn find_quote_says_whether_the_value_is_plain() {
        for len in 0..24 {
            for special in [None, Some(b'&'), Some(b'\n'), Some(b'\t'), Some(b'\r'), Some(0x01)] {
                for at in 0..=len {
                    let mut hay = vec![b'a'; len];
                    hay.push(b'"');
                    hay.extend_from_slice(b"&\n x\"");
                    if let (Some(byte), true) = (special, at < len) {
                        hay[at] = byte;
                    }
                    let plain = special.is_none() || at == len;
                    assert_eq!(find_quote(&hay, b'"'), Some((len, plain)), "{len} {at} {special:?}");
                }
            }
        }
        assert_eq!(find_quote(b"abc", b'"'), None);
    }

    #[test]
    fn find_byte_finds_the_first() {
        for len in 0..40 {
            for at in 0..len {
                let mut hay = vec![b'a'; len];
                hay[at] = b'"';
                if at + 3 < len {
                    hay[at + 3] = b'"';
                }
                assert_eq!(find_byte(&hay, b'"'), Some(at), "{len} {at}");
            }
            assert_eq!(find_byte(&vec![0x80 | b'"'; len], b'"'), None);
        }
    }

    #[test]
    fn the_scan_accepts_only_well_formed_attributes() {
        let scan = |attributes: &str| {
            let tag = format!("<r{attributes}>");
            scan_attributes(&tag, 2, &mut Vec::new()).map(|(end, scan)| (end == tag.len() - 1, scan.valid))
        };
        for ok in ["", " a=\"1\"", " a = '1' b=\"2\" ", " xmlns=\"u\" xmlns:p='v' p:nil=\"true\"", " a='>' /"] {
            assert_eq!(scan(ok), Some((true, true)), "{ok}");
        }
        for bad in ["a=\"1\"", " a=\"1\"b=\"2\"", " a=1", " a", " a=\"1", " a=\"1\" a='2'", " =\"1\"", " a\"=\"1\""] {
            assert_eq!(scan(bad), None, "{bad}");
        }
    }
}
