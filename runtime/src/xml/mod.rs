//! XML decoding and encoding in EM's dialect.
//!
//! Decoding is a single pass over a borrowed string: `lex` tokenizes (scanning each start tag's attributes
//! in the pass that finds its end, and noting which values need no unescaping), `scopes` resolves
//! namespace prefixes, and `read` is the pull reader the generated decoders call. No DOM is built and text
//! is copied once, into the field that keeps it. quick-xml supplies the event types and the careful
//! attribute checks for tags the fast scan does not accept, so both paths report the same errors.

mod lex;
mod read;
mod scopes;
mod write;

pub use read::{Attribute, Element, XmlReader, MAX_DEPTH, MAX_NAMESPACE_DECLARATIONS};
pub use write::XmlWriter;

use super::DecodeError;

/// A type that can be read from an element.
pub trait XmlDecode: Sized {
    /// Reads the element `element`, whose start tag the reader has just returned, up to its end tag.
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError>;
}

/// A type that can be written as an element.
pub trait XmlEncode {
    /// Writes `self` as an element called `name`: start tag, attributes, content, end tag.
    fn encode(&self, writer: &mut XmlWriter, name: &'static str);
}

/// A list wrapper: an element that holds only repeated items.
pub trait ListType {
    /// The item type.
    type Item;
    /// The item element name used when writing.
    const ITEM: &'static str;
    /// Every item element name accepted when reading (`ITEM` first).
    const ITEM_NAMES: &'static [&'static str];
    /// The JSON key of the array when EM wraps it in an object (`Refs`), or `None` for a bare array.
    const JSON_KEY: Option<&'static str>;
}

/// A type that can be a whole document.
pub trait XmlDocument: XmlDecode + XmlEncode {
    /// The root element name.
    const ROOT: &'static str;

    /// Decodes a whole document whose root must be [`Self::ROOT`] in the EM namespace.
    fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        let mut reader = XmlReader::new(xml);
        let root = reader.root()?;
        if root.name() != Self::ROOT.as_bytes() {
            return Err(reader.unknown_root(&root, &[Self::ROOT]));
        }
        let value = reader.read_root(&root)?;
        reader.finish()?;
        Ok(value)
    }

    /// Encodes as a document with the EM namespace as the default namespace.
    fn to_xml(&self) -> String {
        let mut writer = XmlWriter::new();
        self.encode(&mut writer, Self::ROOT);
        writer.finish()
    }
}
