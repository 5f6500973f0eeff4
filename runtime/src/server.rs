//! Server-side glue between axum and the generated service trait (feature `server`).
//!
//! The generated `veeam_em::server` module matches paths and decodes bodies; everything that does not depend
//! on the schema lives here: turning an HTTP request into a [`ServerRequest`], content negotiation, Basic
//! credentials, EM error bodies, and the axum [`router`] that feeds a dispatch function. Keeping it here means
//! the generated code stays a plain `match` over path templates and the simulator needs no HTTP code of its own.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use axum::body::Body;
use axum::response::IntoResponse;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, WWW_AUTHENTICATE};
use http::{HeaderMap, Method, StatusCode};

use crate::protocol::{Document, ErrorView};
use crate::Wire;

/// The largest request body [`router`] reads; EM requests are small specs, so anything bigger is a mistake.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The challenge EM sends with every `401`.
pub const BASIC_CHALLENGE: &str = "Basic realm=\"RestSvc\"";

const XML_MEDIA: &str = "application/xml";
const JSON_MEDIA: &str = "application/json";

/// One HTTP request under `/api`, as the generated dispatch sees it.
#[derive(Clone, Debug)]
pub struct ServerRequest {
    /// The HTTP verb.
    pub method: Method,
    /// The path after `/api`, starting with `/` (`/` for the API root), still percent-encoded as received.
    pub path: String,
    /// The query pairs in order, names and values percent-decoded (`+` is a space).
    pub query: Vec<(String, String)>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The whole request body (empty when none was sent).
    pub body: Bytes,
}

impl ServerRequest {
    /// A request with no query, headers or body; handy in tests and for building requests by hand.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        ServerRequest { method, path: path.into(), query: Vec::new(), headers: HeaderMap::new(), body: Bytes::new() }
    }

    /// The first value of query parameter `name`, compared case-insensitively as EM does (`pageSize`,
    /// `pagesize`).
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// The path segments after the leading `/`, still percent-encoded (decode each with [`percent_decode`]).
    ///
    /// `/` gives no segment, `/tasks/task-1` gives `["tasks", "task-1"]`, and a trailing slash gives a final
    /// empty segment (`/sessionMngr/` gives `["sessionMngr", ""]`), so templates can tell the two apart.
    pub fn path_segments(&self) -> Vec<&str> {
        let rest = self.path.strip_prefix('/').unwrap_or(&self.path);
        if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        }
    }

    /// The wire format of the answer, from `Accept`: JSON only when the client ranks `application/json`
    /// above XML, XML otherwise (EM's default, also when `Accept` is absent or `*/*`).
    pub fn wire(&self) -> Wire {
        let mut best: Option<(Wire, f32)> = None;
        for value in self.headers.get_all(ACCEPT) {
            let Ok(value) = value.to_str() else { continue };
            for range in value.split(',') {
                let (media, quality) = media_range(range);
                let wire = if is_json(&media) {
                    Wire::Json
                } else if is_xml(&media) {
                    Wire::Xml
                } else {
                    continue;
                };
                // Strictly greater: on a tie the earlier range wins, as a client listing both means "in order".
                if quality > 0.0 && !matches!(best, Some((_, q)) if q >= quality) {
                    best = Some((wire, quality));
                }
            }
        }
        best.map_or(Wire::Xml, |(wire, _)| wire)
    }

    /// The session token: the header `header` (`X-RestSvcSessionId`), or a cookie of that name.
    ///
    /// EM lets the cookie win when both are sent; so does this.
    pub fn session_token(&self, header: &str) -> Option<&str> {
        let from_cookie =
            self.headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|value| {
                value.split(';').find_map(|pair| {
                    let (name, token) = pair.trim().split_once('=')?;
                    (name.trim().eq_ignore_ascii_case(header) && !token.trim().is_empty()).then(|| token.trim())
                })
            });
        from_cookie.or_else(|| {
            let value = self.headers.get(header)?.to_str().ok()?.trim();
            (!value.is_empty()).then_some(value)
        })
    }

    /// The user name and password of an `Authorization: Basic ...` header, if there is a well-formed one.
    pub fn basic_auth(&self) -> Option<(String, String)> {
        let value = self.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, encoded) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
        let (user, password) = decoded.split_once(':')?;
        Some((user.to_owned(), password.to_owned()))
    }

    /// The `Content-Type` media type without parameters, lower-cased, if present.
    pub fn content_type(&self) -> Option<String> {
        let value = self.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        Some(value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
    }

    /// Decodes the body as `T` by its `Content-Type`.
    ///
    /// XML (`application/xml`, `text/xml`, `*+xml`) and JSON (`application/json`, `*+json`) are accepted; a body
    /// sent without a `Content-Type` is recognised by its first character. A body that does not decode gives a
    /// `400` fault naming the position of the problem; any other media type gives `415`.
    pub fn decode<T: Document>(&self) -> Result<T, Fault> {
        let text = std::str::from_utf8(&self.body)
            .map_err(|err| Fault::bad_request(format!("the request body is not UTF-8: {err}")))?;
        let wire = match self.content_type() {
            Some(media) if is_xml(&media) => Wire::Xml,
            Some(media) if is_json(&media) => Wire::Json,
            Some(media) => {
                return Err(Fault::new(
                    415,
                    format!("unsupported Content-Type `{media}`: send {XML_MEDIA} or {JSON_MEDIA}"),
                ))
            }
            // Lenient on purpose: curl users often forget the header, and the first byte is unambiguous.
            None => match text.trim_start().chars().next() {
                Some('<') => Wire::Xml,
                Some('{') | Some('[') => Wire::Json,
                Some(_) => return Err(Fault::new(415, "a request body needs a Content-Type")),
                None => return Err(Fault::bad_request("a request body is required")),
            },
        };
        match wire {
            Wire::Xml => T::from_xml(text).map_err(|err| Fault::bad_request(format!("invalid XML body: {err}"))),
            Wire::Json => {
                serde_json::from_str(text).map_err(|err| Fault::bad_request(format!("invalid JSON body: {err}")))
            }
        }
    }
}

/// A failure a service reports; the dispatch turns it into an EM `Error` body with this status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The HTTP status code.
    pub status: u16,
    /// The human-readable message (the `Message` of the error body).
    pub message: String,
}

impl Fault {
    /// A fault with any status.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Fault { status, message: message.into() }
    }

    /// `400`: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Fault::new(400, message)
    }

    /// `401`: no, a wrong or an expired session token, or bad credentials.
    pub fn unauthorized() -> Self {
        Fault::new(401, "Authentication required: the session token is missing, unknown or expired.")
    }

    /// `403`: the caller may not do this.
    pub fn forbidden() -> Self {
        Fault::new(403, "Access denied.")
    }

    /// `404`: nothing lives here.
    pub fn not_found(message: impl Into<String>) -> Self {
        Fault::new(404, message)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl std::error::Error for Fault {}

/// A successful answer with more than a body: another status or extra headers (the logon's token header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply<T> {
    /// The document to send.
    pub body: T,
    /// Overrides the method's documented status when set.
    pub status: Option<u16>,
    /// Extra response headers.
    pub headers: Vec<(String, String)>,
}

impl<T> Reply<T> {
    /// A reply with the documented status and no extra headers.
    pub fn new(body: T) -> Self {
        Reply { body, status: None, headers: Vec::new() }
    }

    /// Sets the status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl<T> From<T> for Reply<T> {
    fn from(body: T) -> Self {
        Reply::new(body)
    }
}

/// An encoded answer, ready for the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers (`Content-Type` included).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl ServerResponse {
    /// `value` encoded in `wire` with the matching `Content-Type`.
    pub fn document<T: Document>(status: u16, value: &T, wire: Wire) -> Self {
        let (media, body) = match wire {
            Wire::Xml => (XML_MEDIA, Bytes::from(value.to_xml())),
            Wire::Json => match serde_json::to_vec(value) {
                Ok(json) => (JSON_MEDIA, Bytes::from(json)),
                // The model has no maps with non-string keys, so this cannot happen; still, answer something.
                Err(err) => return ServerResponse::text(500, &format!("cannot encode the answer as JSON: {err}")),
            },
        };
        ServerResponse { status, headers: vec![(CONTENT_TYPE.to_string(), media.to_owned())], body }
    }

    /// A status with no body (`204`, `202` without a task).
    pub fn empty(status: u16) -> Self {
        ServerResponse { status, headers: Vec::new(), body: Bytes::new() }
    }

    /// `200` with raw bytes (`application/octet-stream`), as a download answers.
    pub fn binary(bytes: Bytes) -> Self {
        ServerResponse {
            status: 200,
            headers: vec![(CONTENT_TYPE.to_string(), "application/octet-stream".to_owned())],
            body: bytes,
        }
    }

    /// `fault` as an EM error body of type `E` in `wire`; a `401` also carries EM's Basic challenge.
    pub fn fault<E: ErrorView + Document>(fault: &Fault, wire: Wire) -> Self {
        let response = ServerResponse::document(fault.status, &E::from_parts(&fault.message, fault.status), wire);
        if fault.status == 401 {
            response.with_header(WWW_AUTHENTICATE.as_str(), BASIC_CHALLENGE)
        } else {
            response
        }
    }

    /// Adds a header (kept in order; a name may repeat).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// A plain-text answer, for the few failures that happen before any schema type is known.
    fn text(status: u16, message: &str) -> Self {
        ServerResponse {
            status,
            headers: vec![(CONTENT_TYPE.to_string(), "text/plain; charset=utf-8".to_owned())],
            body: Bytes::from(message.to_owned()),
        }
    }
}

impl IntoResponse for ServerResponse {
    fn into_response(self) -> axum::response::Response {
        let mut response = axum::response::Response::new(Body::from(self.body));
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            // Names and values come from the service; one that is not valid HTTP is dropped, not a panic.
            if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                headers.append(name, value);
            }
        }
        response
    }
}

/// An axum router that hands every request under `/api` (and `/api` itself) to `dispatch`.
///
/// The path given to `dispatch` is what follows `/api` (`/` for the root), still percent-encoded; the query is
/// split into decoded pairs; the body is read whole (at most [`MAX_BODY_BYTES`], else `413`). Other paths are
/// left to whatever the router is merged with (axum answers `404`).
pub fn router<F, Fut>(dispatch: F) -> axum::Router
where
    F: Fn(ServerRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ServerResponse> + Send + 'static,
{
    let dispatch = Arc::new(dispatch);
    let handler = move |request: axum::extract::Request| {
        let dispatch = Arc::clone(&dispatch);
        async move {
            match server_request(request).await {
                Ok(request) => dispatch(request).await,
                Err(response) => response,
            }
        }
    };
    axum::Router::new()
        .route("/api", axum::routing::any(handler.clone()))
        .route("/api/", axum::routing::any(handler.clone()))
        .route("/api/{*rest}", axum::routing::any(handler))
}

/// Turns an axum request into a [`ServerRequest`], or the answer to send when its body cannot be read.
async fn server_request(request: axum::extract::Request) -> Result<ServerRequest, ServerResponse> {
    let (parts, body) = request.into_parts();
    let raw_path = parts.uri.path();
    let path = match raw_path.strip_prefix("/api") {
        Some("") => "/".to_owned(),
        Some(rest) => rest.to_owned(),
        None => raw_path.to_owned(),
    };
    let query = parts.uri.query().map(parse_query).unwrap_or_default();
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|err| {
        // axum hides http-body-util's `LengthLimitError` behind its own error; its message is stable.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
        let mut too_large = false;
        while let Some(cause) = source {
            too_large |= cause.to_string().contains("length limit");
            source = cause.source();
        }
        if too_large {
            ServerResponse::text(413, &format!("the request body exceeds {MAX_BODY_BYTES} bytes"))
        } else {
            ServerResponse::text(400, &format!("cannot read the request body: {err}"))
        }
    })?;
    Ok(ServerRequest { method: parts.method, path, query, headers: parts.headers, body })
}

/// Splits a raw query string into decoded pairs; `+` is a space, as form encoding (and `url`) writes it.
fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name, true), decode(value, true))
        })
        .collect()
}

/// Decodes `%XX` escapes (a path segment, a guest file path). Malformed escapes are kept as written and
/// bytes that do not form UTF-8 become U+FFFD, so any input gives some answer and none panics.
pub fn percent_decode(text: &str) -> String {
    decode(text, false)
}

fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes standard base64 (padding optional); `None` on any character outside the alphabet.
///
/// Hand-written because Basic credentials are the only base64 the server reads; a dependency is not worth it.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = buffer << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // One leftover character cannot encode a byte: the input was cut.
    (bits < 6).then_some(out)
}

/// A media range's type (lower-case, no parameters) and its `q` weight (1 when absent or unreadable).
fn media_range(range: &str) -> (String, f32) {
    let mut parts = range.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let quality = parts
        .filter_map(|param| param.trim().split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
        .and_then(|(_, value)| value.trim().parse::<f32>().ok())
        .unwrap_or(1.0);
    (media, quality)
}

fn is_json(media: &str) -> bool {
    media == JSON_MEDIA || media.ends_with("+json")
}

fn is_xml(media: &str) -> bool {
    media == XML_MEDIA || media == "text/xml" || media.ends_with("+xml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{Element, XmlDecode, XmlDocument, XmlEncode, XmlReader, XmlWriter};
    use crate::DecodeError;

    /// A stand-in for the generated `Error` document.
    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct TestError {
        #[serde(rename = "Message")]
        message: Option<String>,
        #[serde(rename = "StatusCode")]
        status_code: Option<i32>,
    }

    impl XmlDecode for TestError {
        fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
            let mut value = TestError::default();
            for attr in reader.attributes(element) {
                let attr = attr?;
                match attr.name() {
                    b"Message" => value.message = Some(attr.value()?),
                    b"StatusCode" => value.status_code = Some(attr.value()?),
                    _ => {}
                }
            }
            while let Some(child) = reader.next_child(element)? {
                reader.skip(&child)?;
            }
            Ok(value)
        }
    }

    impl XmlEncode for TestError {
        fn encode(&self, writer: &mut XmlWriter, name: &'static str) {
            writer.start(name);
            writer.opt_attr("Message", self.message.as_ref());
            writer.opt_attr("StatusCode", self.status_code.as_ref());
            writer.end();
        }
    }

    impl XmlDocument for TestError {
        const ROOT: &'static str = "Error";
    }

    impl Document for TestError {
        const LINK_TYPES: &'static [&'static str] = &[];
    }

    impl ErrorView for TestError {
        fn message(&self) -> Option<&str> {
            self.message.as_deref()
        }
        fn status_code(&self) -> Option<i64> {
            self.status_code.map(i64::from)
        }
        fn from_parts(message: &str, status_code: u16) -> Self {
            TestError { message: Some(message.to_owned()), status_code: Some(i32::from(status_code)) }
        }
    }

    fn request_with(headers: &[(&'static str, &str)]) -> ServerRequest {
        let mut request = ServerRequest::new(Method::GET, "/tasks/task-1");
        for (name, value) in headers {
            request.headers.append(*name, HeaderValue::from_str(value).expect("valid header"));
        }
        request
    }

    #[test]
    fn query_names_are_case_insensitive_and_decoded() {
        let mut request = ServerRequest::new(Method::GET, "/query");
        request.query = parse_query("type=VmReplicaPoint&PageSize=5&filter=Name%3D%3D%22a+b%22&flag");
        assert_eq!(request.query("pagesize"), Some("5"));
        assert_eq!(request.query("TYPE"), Some("VmReplicaPoint"));
        assert_eq!(request.query("filter"), Some("Name==\"a b\""));
        assert_eq!(request.query("flag"), Some(""));
        assert_eq!(request.query("page"), None);
    }

    #[test]
    fn path_segments_and_percent_decoding() {
        let request = ServerRequest::new(Method::GET, "/vmReplicaPoints/x/mounts/1/E:/Doc%202014/R%26D.txt");
        assert_eq!(request.path_segments(), ["vmReplicaPoints", "x", "mounts", "1", "E:", "Doc%202014", "R%26D.txt"]);
        assert_eq!(percent_decode("Doc%202014/R%26D+1.txt"), "Doc 2014/R&D+1.txt");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert!(ServerRequest::new(Method::GET, "/").path_segments().is_empty());
        assert_eq!(ServerRequest::new(Method::POST, "/sessionMngr/").path_segments(), ["sessionMngr", ""]);
    }

    #[test]
    fn wire_is_xml_unless_json_is_preferred() {
        assert_eq!(request_with(&[]).wire(), Wire::Xml);
        assert_eq!(request_with(&[("accept", "*/*")]).wire(), Wire::Xml);
        assert_eq!(request_with(&[("accept", "application/json")]).wire(), Wire::Json);
        assert_eq!(request_with(&[("accept", "Application/JSON; charset=utf-8")]).wire(), Wire::Json);
        assert_eq!(request_with(&[("accept", "application/xml, application/json")]).wire(), Wire::Xml);
        assert_eq!(request_with(&[("accept", "application/xml;q=0.5, application/json")]).wire(), Wire::Json);
        assert_eq!(request_with(&[("accept", "application/json;q=0")]).wire(), Wire::Xml);
    }

    #[test]
    fn basic_auth_is_parsed_strictly() {
        // "admin:s:cret" - the password may contain a colon.
        let request = request_with(&[("authorization", "Basic YWRtaW46czpjcmV0")]);
        assert_eq!(request.basic_auth(), Some(("admin".to_owned(), "s:cret".to_owned())));
        let request = request_with(&[("authorization", "basic YWRtaW46c2VjcmV0")]);
        assert_eq!(request.basic_auth(), Some(("admin".to_owned(), "secret".to_owned())));
        assert_eq!(request_with(&[("authorization", "Bearer abc")]).basic_auth(), None);
        assert_eq!(request_with(&[("authorization", "Basic !!!")]).basic_auth(), None);
        // "admin" has no colon.
        assert_eq!(request_with(&[("authorization", "Basic YWRtaW4=")]).basic_auth(), None);
        assert_eq!(request_with(&[]).basic_auth(), None);
    }

    #[test]
    fn session_token_from_header_or_cookie() {
        let header = "X-RestSvcSessionId";
        assert_eq!(request_with(&[("x-restsvcsessionid", "abc==")]).session_token(header), Some("abc=="));
        let both = request_with(&[("x-restsvcsessionid", "abc=="), ("cookie", "a=1; X-RestSvcSessionId=def==")]);
        assert_eq!(both.session_token(header), Some("def=="));
        assert_eq!(request_with(&[]).session_token(header), None);
    }

    #[test]
    fn decode_by_content_type() {
        let mut request = request_with(&[("content-type", "application/json")]);
        request.body = Bytes::from_static(br#"{"Message":"m","StatusCode":400}"#);
        assert_eq!(request.decode::<TestError>().map(|e| e.status_code), Ok(Some(400)));

        let mut request = request_with(&[("content-type", "text/xml; charset=utf-8")]);
        request.body = Bytes::from_static(br#"<Error xmlns="http://www.veeam.com/ent/v1.0" Message="m"/>"#);
        assert_eq!(request.decode::<TestError>().map(|e| e.message), Ok(Some("m".to_owned())));

        request.body = Bytes::from_static(b"<Other/>");
        let fault = request.decode::<TestError>().expect_err("wrong root");
        assert_eq!(fault.status, 400);
        assert!(fault.message.starts_with("invalid XML body"), "{}", fault.message);

        let mut request = request_with(&[("content-type", "text/plain")]);
        request.body = Bytes::from_static(b"hi");
        assert_eq!(request.decode::<TestError>().map_err(|f| f.status), Err(415));
    }

    #[test]
    fn faults_become_error_bodies() {
        let response = ServerResponse::fault::<TestError>(&Fault::bad_request("bad filter"), Wire::Json);
        assert_eq!(response.status, 400);
        assert_eq!(response.header("content-type"), Some("application/json"));
        let body: serde_json::Value = serde_json::from_slice(&response.body).expect("json");
        assert_eq!(body["Message"], "bad filter");
        assert_eq!(body["StatusCode"], 400);

        let response = ServerResponse::fault::<TestError>(&Fault::unauthorized(), Wire::Xml);
        assert_eq!(response.status, 401);
        assert_eq!(response.header("WWW-Authenticate"), Some(BASIC_CHALLENGE));
        let error = TestError::from_xml(std::str::from_utf8(&response.body).expect("utf-8")).expect("xml");
        assert_eq!(error.status_code, Some(401));
    }

    #[test]
    fn replies_convert_from_bodies() {
        let reply: Reply<u8> = 7.into();
        assert_eq!((reply.body, reply.status, reply.headers.len()), (7, None, 0));
        let reply = Reply::new(1).with_status(201).with_header("X-A", "b");
        assert_eq!(reply.status, Some(201));
        assert_eq!(reply.headers, [("X-A".to_owned(), "b".to_owned())]);
    }

    #[tokio::test]
    async fn router_strips_api_and_reads_the_body() {
        let app = router(|request: ServerRequest| async move {
            let text = format!("{} {} {:?} {}", request.method, request.path, request.query, request.body.len());
            ServerResponse::empty(200).with_header("x-echo", text)
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = reqwest::Client::new();
        let call = |method: reqwest::Method, path: &str, body: &'static str| {
            let request = client.request(method, format!("http://{addr}{path}")).body(body);
            async move {
                let response = request.send().await.expect("answer");
                let echo = response.headers().get("x-echo").and_then(|v| v.to_str().ok()).map(str::to_owned);
                (response.status().as_u16(), echo.unwrap_or_default())
            }
        };
        let echo = call(Method::POST, "/api/vmReplicaPoints/a%20b?action=failover", "xyz").await;
        assert_eq!(echo, (200, "POST /vmReplicaPoints/a%20b [(\"action\", \"failover\")] 3".to_owned()));
        assert_eq!(call(Method::GET, "/api", "").await, (200, "GET / [] 0".to_owned()));
        assert_eq!(call(Method::GET, "/api/", "").await, (200, "GET / [] 0".to_owned()));
        assert_eq!(call(Method::GET, "/other", "").await.0, 404);
        server.abort();
    }
}
