//! Hand-written support code for the generated model.
//!
//! Generated types never talk to `quick-xml` or `serde` machinery directly beyond derives: they call the
//! helpers here, so the behaviour that matters (namespace handling, error positions, EM's JSON quirks) lives
//! in one place and is tested once.

mod datetime;
mod error;
pub mod json;
mod open_enum;
pub mod protocol;
mod value;
pub mod xml;

pub use datetime::DateTime;
pub use error::{DecodeError, DecodeErrorKind};
pub use open_enum::UnknownValue;
pub use protocol::{Document, ErrorView, HasLinks, LinkView, TaskView};
pub use value::{ValueError, XmlValue};
pub use xml::{Element, ListType, XmlDecode, XmlDocument, XmlEncode, XmlReader, XmlWriter};

/// The XML namespace of every EM element.
pub const NAMESPACE: &str = "http://www.veeam.com/ent/v1.0";
