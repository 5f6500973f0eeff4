//! The HTTP side of the bindings: one [`Connection`] per EM server, shared by every generated call.
//!
//! The generated crate turns each API method into a [`Request`] and hands it to
//! [`Connection::execute`] or one of its typed siblings ([`fetch`](Connection::fetch),
//! [`fetch_none`](Connection::fetch_none), [`fetch_download`](Connection::fetch_download)). Everything
//! that is the same for every call lives here: the session token and transparent re-logon, retries,
//! timeouts, TLS trust, media types, error bodies, task polling, links and paging.

mod builder;
mod connection;
mod download;
mod error;
pub mod query;
mod secret;
mod task;
mod tls;

use bytes::Bytes;
use http::{HeaderMap, Method};
use url::Url;

use crate::protocol::{Document, ErrorView, HasLinks};
use crate::DecodeError;

pub use builder::ClientBuilder;
pub use connection::Connection;
pub use download::Download;
pub use error::{ApiError, Error};
pub use query::{pages, Filter, Paged, Sort};
pub use task::{ProgressFn, TaskProgress, WaitOptions};

/// The wire format of request and response bodies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Wire {
    /// `application/xml`, EM's native format.
    #[default]
    Xml,
    /// `application/json`.
    Json,
}

impl Wire {
    /// The media type sent in `Accept` and `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Wire::Xml => "application/xml",
            Wire::Json => "application/json",
        }
    }

    /// The wire format a `Content-Type` value names (`application/xml`, `text/xml`, `application/json`,
    /// `...+xml`, `...+json`; parameters such as `charset` are ignored), or `None` for anything else.
    pub fn from_content_type(content_type: &str) -> Option<Wire> {
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/xml" | "text/xml" => Some(Wire::Xml),
            "application/json" | "text/json" => Some(Wire::Json),
            e if e.ends_with("+xml") => Some(Wire::Xml),
            e if e.ends_with("+json") => Some(Wire::Json),
            _ => None,
        }
    }

    /// Decodes a whole document in this format.
    pub fn decode<T: Document>(self, body: &[u8]) -> Result<T, Error> {
        match self {
            Wire::Xml => {
                let text = std::str::from_utf8(body).map_err(|e| Error::Decode { source: utf8_error(body, &e) })?;
                T::from_xml(text).map_err(|source| Error::Decode { source })
            }
            Wire::Json => serde_json::from_slice(body).map_err(|source| Error::Json { source }),
        }
    }
}

/// A UTF-8 failure in an XML body, located like any other decoding error.
fn utf8_error(body: &[u8], error: &std::str::Utf8Error) -> DecodeError {
    let valid = error.valid_up_to();
    // The valid prefix is still text, so the line and column can be counted in it.
    let prefix = std::str::from_utf8(&body[..valid]).unwrap_or_default();
    DecodeError::new(crate::DecodeErrorKind::Syntax(format!("invalid UTF-8: {error}")), prefix, valid as u64)
}

/// How a request authenticates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// The session token header; the connection logs on first when it has no token yet.
    #[default]
    Session,
    /// HTTP Basic with the configured credentials (the logon call).
    Basic,
    /// Nothing.
    None,
}

/// Facts about the EM protocol the generated crate hands to the runtime (as a `static`), so the runtime
/// never names a generated type.
#[derive(Debug)]
pub struct Protocol {
    /// How to log on.
    pub logon: LogonCall,
    /// Reads an error body: normally [`error_body::<model::Error>`](error_body).
    pub decode_error: fn(&str, Wire) -> Option<ApiError>,
    /// Reads the session's own address from the logon answer: normally
    /// [`session_href::<model::LogonSession>`](session_href).
    pub logout_href: fn(&str, Wire) -> Option<String>,
}

/// The logon call: a POST with HTTP Basic and no body.
#[derive(Debug)]
pub struct LogonCall {
    /// The path relative to the API root, such as `sessionMngr/`.
    pub path: &'static str,
    /// Fixed query parameters, such as `[("v", "latest")]`.
    pub query: &'static [(&'static str, &'static str)],
    /// The success status, 201 for EM.
    pub status: u16,
    /// The response header that carries the session token, `X-RestSvcSessionId` for EM.
    pub token_header: &'static str,
}

/// Decodes an EM error body as `E`, for [`Protocol::decode_error`]. `None` when the body is empty or is
/// not an error document.
pub fn error_body<E: ErrorView + Document>(text: &str, wire: Wire) -> Option<ApiError> {
    if text.trim().is_empty() {
        return None;
    }
    let error: E = wire.decode(text.as_bytes()).ok()?;
    Some(ApiError { message: error.message().map(str::to_owned), status_code: error.status_code() })
}

/// Reads the own address of a logon session document `S`, for [`Protocol::logout_href`].
pub fn session_href<S: HasLinks + Document>(text: &str, wire: Wire) -> Option<String> {
    let session: S = wire.decode(text.as_bytes()).ok()?;
    session.href().map(str::to_owned)
}

/// One piece of a request path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Fixed text from the path template, used as written (it may hold `/`).
    Literal(&'a str),
    /// A path parameter, percent-encoded as exactly one segment: a `/` in it is encoded too.
    Param(&'a str),
    /// A trailing path parameter that spans segments (a guest file path): `/` stays a separator and each
    /// piece is encoded like a [`Param`](Segment::Param).
    Rest(&'a str),
}

/// One HTTP call, as the generated client describes it.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The full address, normally from [`Connection::url`] or [`Connection::href`].
    pub url: Url,
    /// How the call authenticates.
    pub auth: Auth,
    /// The body, if any.
    pub body: Option<Body>,
    /// The documented success status. Any other 2xx status is accepted as well: the status code is
    /// informational, the body's `Content-Type` decides how it is read.
    pub expect: u16,
    /// Whether repeating the call is harmless. Only idempotent calls are retried after connection errors.
    pub idempotent: bool,
}

impl Request {
    /// A session-authenticated request without a body, expecting 200; idempotent for GET, HEAD, PUT,
    /// DELETE and OPTIONS.
    pub fn new(method: Method, url: Url) -> Self {
        let idempotent = matches!(method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS);
        Request { method, url, auth: Auth::Session, body: None, expect: 200, idempotent }
    }

    /// A session-authenticated GET.
    pub fn get(url: Url) -> Self {
        Request::new(Method::GET, url)
    }

    /// Sets the body.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets the authentication.
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Sets the expected status.
    pub fn with_expect(mut self, status: u16) -> Self {
        self.expect = status;
        self
    }
}

/// An encoded request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The media type, sent as `Content-Type`.
    pub content_type: &'static str,
    /// The document text.
    pub text: String,
}

impl Body {
    /// Encodes `value` in `wire` if the method accepts it (`allowed`), else in the first allowed format
    /// (XML when `allowed` is empty).
    ///
    /// # Panics
    ///
    /// When `serde_json` refuses the value, which derived model types never make it do.
    pub fn encode<T: Document>(value: &T, wire: Wire, allowed: &[Wire]) -> Body {
        let wire = if allowed.is_empty() || allowed.contains(&wire) { wire } else { allowed[0] };
        let text = match wire {
            Wire::Xml => value.to_xml(),
            Wire::Json => serde_json::to_string(value).expect("model documents always serialize to JSON"),
        };
        Body { content_type: wire.media_type(), text }
    }
}

/// A whole (buffered) response.
#[derive(Clone, Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Response {
    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        header_str(&self.headers, http::header::CONTENT_TYPE.as_str())
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_str(&self.headers, name)
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The wire format of the body, from `Content-Type`; without one, guessed from the first character.
    pub fn wire(&self) -> Result<Wire, Error> {
        body_wire(self.status, self.content_type(), &self.body)
    }

    /// Decodes the body as `T` according to its `Content-Type`.
    pub fn decode<T: Document>(&self) -> Result<T, Error> {
        self.wire()?.decode(&self.body)
    }
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The wire format of a body: named by `Content-Type`, or sniffed when the server sent none.
fn body_wire(status: u16, content_type: Option<&str>, body: &[u8]) -> Result<Wire, Error> {
    match content_type {
        Some(ct) => Wire::from_content_type(ct)
            .ok_or_else(|| Error::UnexpectedContentType { status, content_type: ct.to_owned() }),
        None => match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'<') => Ok(Wire::Xml),
            Some(b'{' | b'[') => Ok(Wire::Json),
            _ => Err(Error::UnexpectedContentType { status, content_type: String::new() }),
        },
    }
}
