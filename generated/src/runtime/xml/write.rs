use quick_xml::escape::escape;

use super::{ListType, XmlEncode};
use crate::runtime::value::XmlValue;
use crate::runtime::NAMESPACE;

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
        XmlWriter::default()
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
        self.out.push_str(&escape(value.to_text()));
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
            self.out.push_str(&escape(text));
        }
        self.end();
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
