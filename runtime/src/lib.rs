//! Hand-written support code for the generated model.
//!
//! Generated types never talk to `quick-xml` or `serde` machinery directly beyond derives: they call the
//! helpers here, so the behaviour that matters (namespace handling, error positions, EM's JSON quirks) lives
//! in one place and is tested once.

pub mod client;
mod datetime;
mod error;
pub mod href;
pub mod json;
mod open_enum;
pub mod protocol;
mod scalars;
#[cfg(feature = "server")]
pub mod server;
mod value;
pub mod xml;

/// The web framework the server side is built on, for users of the generated router.
#[cfg(feature = "server")]
pub use axum;
/// Re-exported for the generated code and its users: requests and handles name these.
pub use bytes::Bytes;
pub use client::{
    ApiError, Auth, Body, ClientBuilder, Connection, Download, Error as ClientError, LogonCall, Protocol, Request,
    Response, Segment, WaitOptions, Wire,
};
pub use datetime::DateTime;
pub use error::{DecodeError, DecodeErrorKind};
pub use futures_core::Stream;
pub use http::Method;
pub use open_enum::UnknownValue;
pub use protocol::{Document, ErrorView, HasLinks, LinkView, TaskView};
pub use scalars::{Base64Binary, Date, Decimal, Double, Duration, Float, HexBinary, TimeOfDay, ValueList};
pub use url::Url;
pub use value::{ValueError, XmlValue};
pub use xml::{
    Element, ListType, XmlDecode, XmlDocument, XmlEncode, XmlReader, XmlWriter, MAX_DEPTH, MAX_NAMESPACE_DECLARATIONS,
};

/// The XML namespace of every EM element.
pub const NAMESPACE: &str = "http://www.veeam.com/ent/v1.0";
