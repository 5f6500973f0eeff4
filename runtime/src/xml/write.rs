use super::{ListType, XmlEncode};
use crate::value::XmlValue;
use crate::NAMESPACE;

/// Writes EM XML. Start tags stay open until the first child or text, so an element without content is
/// written as `<Name/>` without the caller having to know in advance.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    names: Vec<&'static str>,
    start_pending: bool,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        // Room for a typical entity, so the output is not grown several times on the way.
        XmlWriter { out: String::with_capacity(1024), ..XmlWriter::default() }
    }

    /// Starts an element; the document element also gets the EM default namespace.
    pub fn start(&mut self, name: &'static str) {
        self.close_pending();
        self.out.push('<');
        self.out.push_str(name);
        if self.names.is_empty() {
            self.out.push_str(" xmlns=\"");
            self.out.push_str(NAMESPACE);
            self.out.push('"');
        }
        self.names.push(name);
        self.start_pending = true;
    }

    /// Writes an attribute of the element just started.
    pub fn attr<T: XmlValue>(&mut self, name: &'static str, value: &T) {
        debug_assert!(self.start_pending, "attribute `{name}` written after content");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, &value.to_text(), true);
        self.out.push('"');
    }

    /// Writes an attribute when it has a value.
    pub fn opt_attr<T: XmlValue>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.attr(name, value);
        }
    }

    /// Ends the innermost open element.
    pub fn end(&mut self) {
        let name = self.names.pop().unwrap_or_default();
        if std::mem::take(&mut self.start_pending) {
            self.out.push_str("/>");
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
    }

    /// Writes `<name>text</name>`, or `<name/>` for empty text.
    pub fn value<T: XmlValue>(&mut self, name: &'static str, value: &T) {
        self.start(name);
        let text = value.to_text();
        if !text.is_empty() {
            self.close_pending();
            escape_into(&mut self.out, &text, false);
        }
        self.end();
    }

    /// Writes the text content of the element just started (after its attributes).
    pub fn text<T: XmlValue>(&mut self, value: &T) {
        let text = value.to_text();
        if !text.is_empty() {
            self.close_pending();
            escape_into(&mut self.out, &text, false);
        }
    }

    /// Writes a simple-valued element when it has a value.
    pub fn opt_value<T: XmlValue>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.value(name, value);
        }
    }

    /// Writes a complex element.
    pub fn child<T: XmlEncode>(&mut self, name: &'static str, value: &T) {
        value.encode(self, name);
    }

    /// Writes a complex element when it has a value.
    pub fn opt_child<T: XmlEncode>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            value.encode(self, name);
        }
    }

    /// Writes each item as an element called `name`, without a wrapper.
    pub fn repeated<T: XmlEncode>(&mut self, name: &'static str, items: &[T]) {
        for item in items {
            item.encode(self, name);
        }
    }

    /// Writes a list wrapper called `name` holding the items.
    pub fn list<L: ListType>(&mut self, name: &'static str, items: &[L::Item])
    where
        L::Item: XmlEncode,
    {
        self.start(name);
        self.repeated(L::ITEM, items);
        self.end();
    }

    /// Writes a list wrapper when it is present (an empty list is still written).
    pub fn opt_list<L: ListType>(&mut self, name: &'static str, items: Option<&Vec<L::Item>>)
    where
        L::Item: XmlEncode,
    {
        if let Some(items) = items {
            self.list::<L>(name, items);
        }
    }

    /// Writes a list wrapper called `name` holding simple values, each as an item element.
    pub fn value_list<L: ListType>(&mut self, name: &'static str, items: &[L::Item])
    where
        L::Item: XmlValue,
    {
        self.start(name);
        for item in items {
            self.value(L::ITEM, item);
        }
        self.end();
    }

    /// Writes a list wrapper of simple values when it is present (an empty list is still written).
    pub fn opt_value_list<L: ListType>(&mut self, name: &'static str, items: Option<&Vec<L::Item>>)
    where
        L::Item: XmlValue,
    {
        if let Some(items) = items {
            self.value_list::<L>(name, items);
        }
    }

    /// Writes an empty presence-only element when `present` is true.
    pub fn marker(&mut self, name: &'static str, present: bool) {
        if present {
            self.start(name);
            self.end();
        }
    }

    /// The document text.
    pub fn finish(mut self) -> String {
        while !self.names.is_empty() {
            self.end();
        }
        self.out
    }

    fn close_pending(&mut self) {
        if std::mem::take(&mut self.start_pending) {
            self.out.push('>');
        }
    }
}

/// Appends `text` with the characters XML would otherwise change escaped: markup characters always, and
/// `\r` (line-end normalization) everywhere, tab and line feed too inside attribute values (attribute
/// value normalization), so that any conforming parser reads back exactly `text`. The other control
/// characters below U+0020 cannot appear in an XML 1.0 document at all, not even as references; they are
/// written as U+FFFD so that the document stays one EM (or any parser) accepts.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    let table = if attribute { &ESCAPE_ATTRIBUTE } else { &ESCAPE_TEXT };
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time while none needs escaping (one branch per chunk).
        if let Some(chunk) = bytes.get(at..at + 8) {
            if chunk.iter().fold(0, |acc, &b| acc | table[usize::from(b)]) == 0 {
                at += 8;
                continue;
            }
        }
        let end = (at + 8).min(bytes.len());
        for i in at..end {
            let code = table[usize::from(bytes[i])];
            if code != 0 {
                // Every byte that needs escaping is ASCII, so `run..i` and `i + 1..` are on character
                // boundaries.
                out.push_str(&text[run..i]);
                out.push_str(ESCAPES[usize::from(code)]);
                run = i + 1;
            }
        }
        at = end;
    }
    out.push_str(&text[run..]);
}

/// The replacements, indexed by the codes in the tables below (0: keep the byte).
const ESCAPES: [&str; 9] = ["", "&amp;", "&lt;", "&gt;", "&quot;", "&#13;", "&#9;", "&#10;", "\u{fffd}"];

/// For each byte of element content, the index of its replacement in [`ESCAPES`].
const ESCAPE_TEXT: [u8; 256] = escape_table(false);
/// For each byte of an attribute value, the index of its replacement in [`ESCAPES`].
const ESCAPE_ATTRIBUTE: [u8; 256] = escape_table(true);

const fn escape_table(attribute: bool) -> [u8; 256] {
    let mut table = [0; 256];
    let mut control = 0;
    while control < 0x20 {
        table[control] = 8;
        control += 1;
    }
    table[b'\t' as usize] = 0;
    table[b'\n' as usize] = 0;
    table[b'&' as usize] = 1;
    table[b'<' as usize] = 2;
    table[b'>' as usize] = 3;
    table[b'\r' as usize] = 5;
    if attribute {
        table[b'"' as usize] = 4;
        table[b'\t' as usize] = 6;
        table[b'\n' as usize] = 7;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        let mut w = XmlWriter::new();
        w.start("R");
        w.attr("A", &String::from("a\u{1}b\tc"));
        w.value("V", &String::from("x\u{0}y\u{1f}\nz"));
        assert_eq!(
            w.finish(),
            "<R xmlns=\"http://www.veeam.com/ent/v1.0\" A=\"a\u{fffd}b&#9;c\"><V>x\u{fffd}y\u{fffd}\nz</V></R>"
        );
    }

    #[test]
    fn empty_elements_close_themselves_and_the_root_gets_the_namespace() {
        let mut w = XmlWriter::new();
        w.start("Root");
        w.attr("A", &String::from("1"));
        w.marker("Flag", true);
        w.value("Empty", &String::new());
        w.opt_value::<String>("Absent", None);
        w.end();
        assert_eq!(w.finish(), format!("<Root xmlns=\"{NAMESPACE}\" A=\"1\"><Flag/><Empty/></Root>"));
    }

    #[test]
    fn text_survives_any_parser() {
        let mut w = XmlWriter::new();
        w.start("R");
        w.attr("A", &String::from("x\"<&>\t\n\r y"));
        w.value("T", &String::from("a<b>&c\r\nd\te\"f"));
        w.end();
        assert_eq!(
            w.finish(),
            format!("<R xmlns=\"{NAMESPACE}\" A=\"x&quot;&lt;&amp;&gt;&#9;&#10;&#13; y\"><T>a&lt;b&gt;&amp;c&#13;\nd\te\"f</T></R>")
        );
    }
}
