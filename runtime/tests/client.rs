//! The client against a real HTTP server on loopback: sessions, re-logon, retries, timeouts, error bodies,
//! tasks, links, downloads, URLs, paging and secrecy.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body as AxumBody;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::{get, post};
use axum::Router;
use futures_util::StreamExt;
use http::Method;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use veeam_em_runtime::client::{self, error_body, pages, session_href, Filter, Paged, Sort};
use veeam_em_runtime::{
    Auth, Body, ClientBuilder, ClientError, Connection, DecodeError, Document, Element, ErrorView, HasLinks, LinkView,
    LogonCall, Protocol, Request, Segment, TaskView, WaitOptions, Wire, XmlDecode, XmlDocument, XmlEncode, XmlReader,
    XmlWriter,
};

// ---------------------------------------------------------------------------------------------------------
// Tiny hand-written documents: every field is an attribute, plus an optional <Links> list.

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Link {
    rel: String,
    href: String,
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    link_type: Option<String>,
}

impl LinkView for Link {
    fn rel(&self) -> &str {
        &self.rel
    }
    fn href(&self) -> &str {
        &self.href
    }
    fn link_type(&self) -> Option<&str> {
        self.link_type.as_deref()
    }
    fn name(&self) -> Option<&str> {
        None
    }
}

/// Attributes and links of an element.
fn read_flat(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<(HashMap<String, String>, Vec<Link>), DecodeError> {
    let mut attrs = HashMap::new();
    for attr in reader.attributes(element) {
        let attr = attr?;
        attrs.insert(String::from_utf8_lossy(attr.name()).into_owned(), attr.value::<String>()?);
    }
    let mut links = Vec::new();
    while let Some(child) = reader.next_child(element)? {
        if child.name() == b"Links" {
            while let Some(item) = reader.next_child(&child)? {
                let mut link = Link::default();
                for attr in reader.attributes(&item) {
                    let attr = attr?;
                    let value = attr.value::<String>()?;
                    match attr.name() {
                        b"Rel" => link.rel = value,
                        b"Href" => link.href = value,
                        b"Type" => link.link_type = Some(value),
                        _ => {}
                    }
                }
                reader.skip(&item)?;
                links.push(link);
            }
        } else {
            reader.skip(&child)?;
        }
    }
    Ok((attrs, links))
}

fn write_flat(writer: &mut XmlWriter, name: &'static str, attrs: &[(&'static str, Option<&String>)], links: &[Link]) {
    writer.start(name);
    for (key, value) in attrs {
        writer.opt_attr(key, *value);
    }
    if !links.is_empty() {
        writer.start("Links");
        for link in links {
            writer.start("Link");
            writer.attr("Rel", &link.rel);
            writer.attr("Href", &link.href);
            writer.opt_attr("Type", link.link_type.as_ref());
            writer.end();
        }
        writer.end();
    }
    writer.end();
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Thing {
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    name: String,
    #[serde(default)]
    links: Vec<Link>,
}

impl XmlDecode for Thing {
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
        let (mut attrs, links) = read_flat(reader, element)?;
        Ok(Thing { href: attrs.remove("Href"), name: attrs.remove("Name").unwrap_or_default(), links })
    }
}
impl XmlEncode for Thing {
    fn encode(&self, writer: &mut XmlWriter, name: &'static str) {
        write_flat(writer, name, &[("Href", self.href.as_ref()), ("Name", Some(&self.name))], &self.links);
    }
}
impl XmlDocument for Thing {
    const ROOT: &'static str = "Thing";
}
impl Document for Thing {
    const LINK_TYPES: &'static [&'static str] = &["Thing", "ThingReference"];
}
impl HasLinks for Thing {
    type Link = Link;
    fn links(&self) -> &[Link] {
        &self.links
    }
    fn href(&self) -> Option<&str> {
        self.href.as_deref()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Task {
    href: Option<String>,
    state: Option<String>,
    succeeded: Option<bool>,
    message: Option<String>,
}

impl XmlDecode for Task {
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
        let (mut attrs, _) = read_flat(reader, element)?;
        Ok(Task {
            href: attrs.remove("Href"),
            state: attrs.remove("State"),
            succeeded: attrs.remove("Succeeded").map(|s| s == "true"),
            message: attrs.remove("Message"),
        })
    }
}
impl XmlEncode for Task {
    fn encode(&self, writer: &mut XmlWriter, name: &'static str) {
        let succeeded = self.succeeded.map(|s| s.to_string());
        let attrs = [
            ("Href", self.href.as_ref()),
            ("State", self.state.as_ref()),
            ("Succeeded", succeeded.as_ref()),
            ("Message", self.message.as_ref()),
        ];
        write_flat(writer, name, &attrs, &[]);
    }
}
impl XmlDocument for Task {
    const ROOT: &'static str = "Task";
}
impl Document for Task {
    const LINK_TYPES: &'static [&'static str] = &["Task"];
}
impl HasLinks for Task {
    type Link = Link;
    fn links(&self) -> &[Link] {
        &[]
    }
    fn href(&self) -> Option<&str> {
        self.href.as_deref()
    }
}
impl TaskView for Task {
    fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
    fn succeeded(&self) -> Option<bool> {
        self.succeeded
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EmError {
    message: Option<String>,
    status_code: Option<i64>,
}

impl XmlDecode for EmError {
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
        let (mut attrs, _) = read_flat(reader, element)?;
        Ok(EmError {
            message: attrs.remove("Message"),
            status_code: attrs.remove("StatusCode").and_then(|s| s.parse().ok()),
        })
    }
}
impl XmlEncode for EmError {
    fn encode(&self, writer: &mut XmlWriter, name: &'static str) {
        let code = self.status_code.map(|c| c.to_string());
        write_flat(writer, name, &[("Message", self.message.as_ref()), ("StatusCode", code.as_ref())], &[]);
    }
}
impl XmlDocument for EmError {
    const ROOT: &'static str = "Error";
}
impl Document for EmError {
    const LINK_TYPES: &'static [&'static str] = &[];
}
impl ErrorView for EmError {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn status_code(&self) -> Option<i64> {
        self.status_code
    }
    fn from_parts(message: &str, status_code: u16) -> Self {
        EmError { message: Some(message.to_owned()), status_code: Some(status_code.into()) }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LogonSession {
    href: Option<String>,
}

impl XmlDecode for LogonSession {
    fn decode(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, DecodeError> {
        let (mut attrs, _) = read_flat(reader, element)?;
        Ok(LogonSession { href: attrs.remove("Href") })
    }
}
impl XmlEncode for LogonSession {
    fn encode(&self, writer: &mut XmlWriter, name: &'static str) {
        write_flat(writer, name, &[("Href", self.href.as_ref())], &[]);
    }
}
impl XmlDocument for LogonSession {
    const ROOT: &'static str = "LogonSession";
}
impl Document for LogonSession {
    const LINK_TYPES: &'static [&'static str] = &["LogonSession"];
}
impl HasLinks for LogonSession {
    type Link = Link;
    fn links(&self) -> &[Link] {
        &[]
    }
    fn href(&self) -> Option<&str> {
        self.href.as_deref()
    }
}

static PROTOCOL: Protocol = Protocol {
    logon: LogonCall {
        path: "sessionMngr/",
        query: &[("v", "latest")],
        status: 201,
        token_header: "X-RestSvcSessionId",
    },
    decode_error: error_body::<EmError>,
    logout_href: session_href::<LogonSession>,
};

const USER: &str = "admin";
const PASSWORD: &str = "secret";
/// `admin:secret` in base64.
const BASIC: &str = "Basic YWRtaW46c2VjcmV0";
const TOKEN_HEADER: &str = "X-RestSvcSessionId";

// ---------------------------------------------------------------------------------------------------------
// The fake server.

#[derive(Default)]
struct Server {
    base: String,
    logons: AtomicUsize,
    logouts: AtomicUsize,
    unauthorized: AtomicUsize,
    slow_calls: AtomicUsize,
    /// The token the server currently accepts.
    token: Mutex<Option<String>>,
    /// The last token and Accept header received on a session call.
    seen_token: Mutex<Option<String>>,
    seen_accept: Mutex<Option<String>>,
    seen_uri: Mutex<Option<String>>,
    task_polls: Mutex<HashMap<String, usize>>,
}

impl Server {
    fn expire(&self) {
        *self.token.lock().unwrap() = Some("expired-for-good".into());
    }

    /// Checks the token header; the 401 answer when it is not the current token.
    fn refused(&self, headers: &HeaderMap) -> Option<AxumResponse> {
        let sent = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        *self.seen_token.lock().unwrap() = sent.clone();
        *self.seen_accept.lock().unwrap() = headers.get("accept").and_then(|v| v.to_str().ok()).map(str::to_owned);
        if sent.is_some() && sent == *self.token.lock().unwrap() {
            None
        } else {
            self.unauthorized.fetch_add(1, Ordering::SeqCst);
            Some(xml(StatusCode::UNAUTHORIZED, &EmError::from_parts("Session expired", 401)))
        }
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("accept").and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("json"))
}

fn xml<T: Document>(status: StatusCode, value: &T) -> AxumResponse {
    (status, [("content-type", "application/xml; charset=utf-8")], value.to_xml()).into_response()
}

fn json<T: Document>(status: StatusCode, value: &T) -> AxumResponse {
    (status, [("content-type", "application/json")], serde_json::to_string(value).unwrap()).into_response()
}

fn doc<T: Document>(headers: &HeaderMap, status: StatusCode, value: &T) -> AxumResponse {
    if wants_json(headers) {
        json(status, value)
    } else {
        xml(status, value)
    }
}

type S = State<Arc<Server>>;

async fn logon(State(s): S, uri: Uri, headers: HeaderMap) -> AxumResponse {
    if uri.query() != Some("v=latest") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(BASIC) {
        return xml(StatusCode::UNAUTHORIZED, &EmError::from_parts("Login failed", 401));
    }
    let n = s.logons.fetch_add(1, Ordering::SeqCst) + 1;
    // A slow logon makes concurrent callers pile up behind it.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let token = format!("token-{n}");
    *s.token.lock().unwrap() = Some(token.clone());
    let session = LogonSession { href: Some(format!("{}logonSessions/{n}", s.base)) };
    let mut response = doc(&headers, StatusCode::CREATED, &session);
    response.headers_mut().insert(TOKEN_HEADER, token.parse().unwrap());
    response
}

async fn logout(State(s): S, headers: HeaderMap) -> AxumResponse {
    if let Some(r) = s.refused(&headers) {
        return r;
    }
    s.logouts.fetch_add(1, Ordering::SeqCst);
    StatusCode::NO_CONTENT.into_response()
}

async fn thing(State(s): S, Path(id): Path<String>, headers: HeaderMap) -> AxumResponse {
    if let Some(r) = s.refused(&headers) {
        return r;
    }
    let b = &s.base;
    let thing = Thing {
        href: Some(format!("{b}things/{id}")),
        name: format!("thing {id}"),
        links: vec![
            Link { rel: "Up".into(), href: format!("{b}things/other"), link_type: Some("Other".into()) },
            Link { rel: "Up".into(), href: format!("{b}things/parent"), link_type: Some("ThingReference".into()) },
            Link { rel: "Down".into(), href: format!("{b}things/child"), link_type: None },
            Link { rel: "Edit".into(), href: format!("{b}things/a"), link_type: None },
            Link { rel: "Edit".into(), href: format!("{b}things/b"), link_type: None },
        ],
    };
    doc(&headers, StatusCode::OK, &thing)
}

async fn create_thing(State(s): S, headers: HeaderMap, body: String) -> AxumResponse {
    if let Some(r) = s.refused(&headers) {
        return r;
    }
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let thing: Thing = match content_type {
        "application/xml" => Thing::from_xml(&body).unwrap(),
        "application/json" => serde_json::from_str(&body).unwrap(),
        _ => return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response(),
    };
    let echoed = Thing { name: format!("created {}", thing.name), ..thing };
    doc(&headers, StatusCode::CREATED, &echoed)
}

async fn task(State(s): S, Path(id): Path<String>, headers: HeaderMap) -> AxumResponse {
    if let Some(r) = s.refused(&headers) {
        return r;
    }
    let polls = {
        let mut polls = s.task_polls.lock().unwrap();
        let n = polls.entry(id.clone()).or_default();
        *n += 1;
        *n
    };
    let state = match polls {
        1 => "Running",
        2 => "OperationFinished",
        _ => "Finished",
    };
    let finished = state == "Finished";
    let ok = id != "bad";
    let task = Task {
        href: Some(format!("{}tasks/{id}", s.base)),
        state: Some(state.into()),
        succeeded: finished.then_some(ok),
        message: finished.then(|| if ok { "done".into() } else { "Disk full".into() }),
    };
    xml(StatusCode::OK, &task)
}

async fn fail(Path(kind): Path<String>) -> AxumResponse {
    let error = EmError::from_parts(&format!("Boom {kind}"), 500);
    match kind.as_str() {
        "xml" => xml(StatusCode::INTERNAL_SERVER_ERROR, &error),
        "json" => json(StatusCode::INTERNAL_SERVER_ERROR, &error),
        "missing" => xml(StatusCode::NOT_FOUND, &EmError::from_parts("Object not found", 404)),
        "empty" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "html" => (StatusCode::BAD_GATEWAY, [("content-type", "text/html")], "<html>\n\t<b>Bad\u{1}</b></html>")
            .into_response(),
        "text" => (StatusCode::OK, [("content-type", "text/plain")], "hello").into_response(),
        _ => StatusCode::IM_A_TEAPOT.into_response(),
    }
}

async fn slow(State(s): S) -> AxumResponse {
    s.slow_calls.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(5)).await;
    StatusCode::OK.into_response()
}

const DOWNLOAD_CHUNKS: usize = 64;
const DOWNLOAD_CHUNK: usize = 16 * 1024;

async fn download(State(s): S, headers: HeaderMap) -> AxumResponse {
    if let Some(r) = s.refused(&headers) {
        return r;
    }
    let chunks = futures_util::stream::iter(0..DOWNLOAD_CHUNKS)
        .map(|i| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![i as u8; DOWNLOAD_CHUNK])));
    let length = (DOWNLOAD_CHUNKS * DOWNLOAD_CHUNK).to_string();
    ([("content-type", "application/octet-stream"), ("content-length", length.as_str())], AxumBody::from_stream(chunks))
        .into_response()
}

async fn echo(State(s): S, uri: Uri) -> AxumResponse {
    *s.seen_uri.lock().unwrap() = Some(uri.to_string());
    StatusCode::NO_CONTENT.into_response()
}

async fn start() -> (Arc<Server>, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}/api/");
    let server = Arc::new(Server { base: base.clone(), ..Server::default() });
    let app = Router::new()
        .route("/api/sessionMngr/", post(logon))
        .route("/api/logonSessions/{id}", axum::routing::delete(logout))
        .route("/api/things", post(create_thing))
        .route("/api/things/{id}", get(thing))
        .route("/api/tasks/{id}", get(task))
        .route("/api/fail/{kind}", get(fail))
        .route("/api/slow", get(slow).post(slow))
        .route("/api/download", get(download))
        .route("/api/echo/{*rest}", get(echo))
        .with_state(server.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (server, base)
}

fn builder(base: &str) -> ClientBuilder {
    ClientBuilder::new(base, &PROTOCOL).credentials(USER, PASSWORD).timeout(Duration::from_secs(5))
}

async fn connect() -> (Arc<Server>, Connection) {
    let (server, base) = start().await;
    (server, builder(&base).build().unwrap())
}

fn thing_url(conn: &Connection, id: &str) -> url::Url {
    conn.url(&[Segment::Literal("things"), Segment::Param(id)], &[])
}

// ---------------------------------------------------------------------------------------------------------
// Sessions.

#[tokio::test]
async fn logon_sends_basic_and_keeps_the_token() {
    let (server, conn) = connect().await;
    let response = conn.logon().await.unwrap();
    assert_eq!(response.status, 201);
    let session: LogonSession = response.decode().unwrap();
    assert_eq!(session.href, Some(format!("{}logonSessions/1", server.base)));
    assert_eq!(conn.session_token().as_deref(), Some("token-1"));
    assert_eq!(conn.session_href(), session.href);

    let thing: Thing = conn.get(thing_url(&conn, "7")).await.unwrap();
    assert_eq!(thing.name, "thing 7");
    assert_eq!(server.seen_token.lock().unwrap().as_deref(), Some("token-1"));
    assert_eq!(server.seen_accept.lock().unwrap().as_deref(), Some("application/xml"));
    assert_eq!(server.logons.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_first_session_call_logs_on_by_itself() {
    let (server, conn) = connect().await;
    let thing: Thing = conn.get(thing_url(&conn, "1")).await.unwrap();
    assert_eq!(thing.name, "thing 1");
    assert_eq!(server.logons.load(Ordering::SeqCst), 1);
    assert_eq!(server.unauthorized.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_expired_session_is_replaced_once_and_the_call_repeated() {
    let (server, conn) = connect().await;
    conn.logon().await.unwrap();
    server.expire();
    // A POST too: the 401 means the server did not act on it.
    let created: Thing = conn
        .fetch(
            Request::new(Method::POST, conn.url(&[Segment::Literal("things")], &[]))
                .with_body(Body::encode(&Thing { name: "x".into(), ..Thing::default() }, Wire::Xml, &[]))
                .with_expect(201),
        )
        .await
        .unwrap();
    assert_eq!(created.name, "created x");
    assert_eq!(server.logons.load(Ordering::SeqCst), 2);
    assert_eq!(server.unauthorized.load(Ordering::SeqCst), 1);
    assert_eq!(conn.session_token().as_deref(), Some("token-2"));
}

#[tokio::test]
async fn concurrent_callers_share_one_relogon() {
    let (server, conn) = connect().await;
    conn.logon().await.unwrap();
    server.expire();
    let calls = (0..8).map(|i| {
        let conn = conn.clone();
        tokio::spawn(async move { conn.get::<Thing>(thing_url(&conn, &i.to_string())).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.logons.load(Ordering::SeqCst), 2);
    assert!(server.unauthorized.load(Ordering::SeqCst) >= 1);
}

#[tokio::test]
async fn a_session_that_stays_refused_is_a_401_after_one_relogon() {
    let (server, conn) = connect().await;
    conn.logon().await.unwrap();
    // The server refuses every token: the connection logs on once more, retries once, then gives up.
    let url = conn.url(&[Segment::Literal("things"), Segment::Param("1")], &[]);
    let always_refused = async {
        loop {
            server.expire();
            tokio::task::yield_now().await;
        }
    };
    let result = tokio::select! {
        r = conn.get::<Thing>(url) => r,
        _ = always_refused => unreachable!(),
    };
    let error = result.unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    assert_eq!(server.logons.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn wrong_credentials_fail_the_logon() {
    let (server, base) = start().await;
    let conn: Connection = ClientBuilder::new(&base, &PROTOCOL).credentials(USER, "wrong").build().unwrap();
    let error = conn.logon().await.unwrap_err();
    assert!(matches!(error, ClientError::AuthenticationFailed), "{error:?}");
    assert!(!error.to_string().contains("wrong"));
    // A session call that has to log on first fails the same way.
    let error = conn.get::<Thing>(thing_url(&conn, "1")).await.unwrap_err();
    assert!(matches!(error, ClientError::AuthenticationFailed), "{error:?}");
    assert_eq!(server.logons.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn without_credentials_a_session_call_says_so() {
    let (_server, base) = start().await;
    let conn: Connection = ClientBuilder::new(&base, &PROTOCOL).build().unwrap();
    let error = conn.get::<Thing>(thing_url(&conn, "1")).await.unwrap_err();
    assert!(matches!(error, ClientError::NoCredentials), "{error:?}");
}

#[tokio::test]
async fn a_resumed_token_is_used_and_logout_deletes_the_session() {
    let (server, base) = start().await;
    let first: Connection = builder(&base).build().unwrap();
    first.logon().await.unwrap();
    let (token, href) = (first.session_token().unwrap(), first.session_href().unwrap());

    // Resumed without credentials: no logon of its own.
    let resumed: Connection =
        ClientBuilder::new(&base, &PROTOCOL).session_token(token.clone()).session_href(href).build().unwrap();
    resumed.get::<Thing>(thing_url(&resumed, "1")).await.unwrap();
    assert_eq!(server.seen_token.lock().unwrap().as_deref(), Some(token.as_str()));
    resumed.logout().await.unwrap();
    assert_eq!(server.logouts.load(Ordering::SeqCst), 1);
    assert_eq!(resumed.session_token(), None);
    assert_eq!(server.logons.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------------------------
// Wire formats and errors.

#[tokio::test]
async fn json_is_asked_for_and_sent_when_chosen() {
    let (server, base) = start().await;
    let conn: Connection = builder(&base).wire(Wire::Json).build().unwrap();
    let thing: Thing = conn.get(thing_url(&conn, "3")).await.unwrap();
    assert_eq!(thing.name, "thing 3");
    assert_eq!(server.seen_accept.lock().unwrap().as_deref(), Some("application/json"));

    let body = Body::encode(&Thing { name: "j".into(), ..Thing::default() }, conn.wire(), &[Wire::Xml, Wire::Json]);
    assert_eq!(body.content_type, "application/json");
    let request = Request::new(Method::POST, conn.url(&[Segment::Literal("things")], &[])).with_body(body);
    let created: Thing = conn.fetch(request).await.unwrap();
    assert_eq!(created.name, "created j");

    // A method that only takes XML gets XML whatever the preference.
    let body = Body::encode(&Thing { name: "x".into(), ..Thing::default() }, Wire::Json, &[Wire::Xml]);
    assert_eq!(body.content_type, "application/xml");
    assert!(body.text.starts_with("<Thing"));
}

#[tokio::test]
async fn error_bodies_are_decoded_in_either_format() {
    let (_server, conn) = connect().await;
    let get = |kind: &str| Request::get(conn.url(&[Segment::Literal("fail"), Segment::Param(kind)], &[]));

    let error = conn.execute(get("xml")).await.unwrap_err();
    assert_eq!(error.to_string(), "HTTP 500 Internal Server Error: Boom xml");
    assert_eq!(error.api().and_then(|a| a.status_code), Some(500));

    let error = conn.execute(get("json")).await.unwrap_err();
    assert_eq!(error.to_string(), "HTTP 500 Internal Server Error: Boom json");

    let error = conn.execute(get("missing")).await.unwrap_err();
    assert_eq!(error.to_string(), "HTTP 404 Not Found: Object not found");

    let error = conn.execute(get("empty")).await.unwrap_err();
    assert_eq!(error.to_string(), "HTTP 503 Service Unavailable");
    assert!(error.api().is_none());

    let error = conn.execute(get("html")).await.unwrap_err();
    assert_eq!(error.to_string(), r"HTTP 502 Bad Gateway: <html> <b>Bad\u{1}</b></html>");

    let error = conn.fetch::<Thing>(get("text")).await.unwrap_err();
    assert!(
        matches!(&error, ClientError::UnexpectedContentType { status: 200, content_type } if content_type == "text/plain")
    );

    let error = conn.fetch::<Task>(Request::get(thing_url(&conn, "1"))).await.unwrap_err();
    assert!(matches!(error, ClientError::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn a_slow_server_times_out_and_is_not_asked_again() {
    let (server, base) = start().await;
    let conn: Connection = builder(&base).timeout(Duration::from_millis(300)).build().unwrap();
    let request = Request::get(conn.url(&[Segment::Literal("slow")], &[])).with_auth(Auth::None);
    let started = std::time::Instant::now();
    let error = conn.execute(request).await.unwrap_err();
    assert!(matches!(error, ClientError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.slow_calls.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------------------------
// Retries after dropped connections, against a raw TCP server that hangs up on the first `drops`
// connections after reading the request, then answers.

async fn dropping_server(drops: usize) -> (Arc<AtomicUsize>, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => request.extend_from_slice(&buf[..k]),
                    }
                }
                if n < drops {
                    return; // hang up without an answer
                }
                let body = Thing { name: "finally".into(), ..Thing::default() }.to_xml();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (connections, base)
}

#[tokio::test]
async fn a_get_is_repeated_after_a_dropped_connection() {
    let (connections, base) = dropping_server(1).await;
    let conn: Connection = builder(&base).build().unwrap();
    let request = Request::get(conn.url(&[Segment::Literal("x")], &[])).with_auth(Auth::None);
    let thing: Thing = conn.fetch(request).await.unwrap();
    assert_eq!(thing.name, "finally");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn gets_give_up_after_the_configured_retries() {
    let (connections, base) = dropping_server(100).await;
    let conn: Connection = builder(&base).get_retries(1).build().unwrap();
    let request = Request::get(conn.url(&[Segment::Literal("x")], &[])).with_auth(Auth::None);
    let error = conn.execute(request).await.unwrap_err();
    assert!(matches!(error, ClientError::Transport { .. }), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_post_is_never_repeated_after_a_dropped_connection() {
    let (connections, base) = dropping_server(1).await;
    let conn: Connection = builder(&base).build().unwrap();
    let request = Request::new(Method::POST, conn.url(&[Segment::Literal("x")], &[])).with_auth(Auth::None);
    let error = conn.execute(request).await.unwrap_err();
    assert!(matches!(error, ClientError::Transport { .. }), "{error:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------------------------
// Tasks, links, downloads.

fn task_handle(server: &Server, id: &str) -> Task {
    Task { href: Some(format!("{}tasks/{id}", server.base)), state: Some("Running".into()), ..Task::default() }
}

#[tokio::test]
async fn wait_polls_through_operation_finished_to_finished() {
    let (server, conn) = connect().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = WaitOptions::default()
        .with_delays(Duration::from_millis(5), Duration::from_millis(20))
        .with_progress(move |p| log.lock().unwrap().push((p.polls, p.state.clone().unwrap_or_default())));
    let done = conn.wait(&task_handle(&server, "good"), &options).await.unwrap();
    assert_eq!(done.state.as_deref(), Some("Finished"));
    assert_eq!(done.message.as_deref(), Some("done"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, [(1, "Running".to_owned()), (2, "OperationFinished".to_owned()), (3, "Finished".to_owned())]);
}

#[tokio::test]
async fn a_failed_task_is_an_error_with_its_message() {
    let (server, conn) = connect().await;
    let options = WaitOptions::default().with_delays(Duration::from_millis(5), Duration::from_millis(20));
    let error = conn.wait(&task_handle(&server, "bad"), &options).await.unwrap_err();
    assert!(matches!(&error, ClientError::TaskFailed { message } if message == "Disk full"), "{error:?}");
    assert_eq!(error.to_string(), "task failed: Disk full");
}

#[tokio::test]
async fn a_task_that_takes_too_long_times_out() {
    let (server, conn) = connect().await;
    let options = WaitOptions::default()
        .with_delays(Duration::from_millis(50), Duration::from_millis(50))
        .with_timeout(Duration::from_millis(80));
    let error = conn.wait(&task_handle(&server, "slow"), &options).await.unwrap_err();
    assert!(matches!(error, ClientError::TaskTimeout), "{error:?}");
}

#[tokio::test]
async fn follow_picks_the_link_of_the_right_type() {
    let (server, conn) = connect().await;
    let thing: Thing = conn.get(thing_url(&conn, "1")).await.unwrap();
    // Two `Up` links: the one typed for `Thing` wins.
    let parent: Thing = conn.follow(&thing, "Up").await.unwrap();
    assert_eq!(parent.name, "thing parent");
    // One untyped `Down` link is accepted.
    let child: Thing = conn.follow(&thing, "Down").await.unwrap();
    assert_eq!(child.name, "thing child");
    // Two untyped links are ambiguous; rel is case-sensitive; a missing rel is named.
    for rel in ["Edit", "up", "Nope"] {
        let error = conn.follow::<Thing, _>(&thing, rel).await.unwrap_err();
        assert!(matches!(&error, ClientError::NoSuchLink { rel: r, .. } if r == rel), "{error:?}");
    }
    let error = conn.follow::<Thing, _>(&thing, "Nope").await.unwrap_err();
    assert_eq!(error.to_string(), "no link `Nope` to a Thing or ThingReference");
    assert_eq!(server.logons.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn downloads_stream_to_any_writer() {
    let (_server, conn) = connect().await;
    let url = conn.url(&[Segment::Literal("download")], &[]);
    let total = DOWNLOAD_CHUNKS * DOWNLOAD_CHUNK;

    let download = conn.fetch_download(Request::get(url.clone())).await.unwrap();
    assert_eq!(download.content_length(), Some(total as u64));
    let mut out: Vec<u8> = Vec::new();
    let copied = download.write_to(&mut out).await.unwrap();
    assert_eq!(copied, total as u64);
    assert_eq!(out.len(), total);
    assert!(out[DOWNLOAD_CHUNK * 5..DOWNLOAD_CHUNK * 6].iter().all(|&b| b == 5));

    let bytes = conn.fetch_download(Request::get(url)).await.unwrap().bytes().await.unwrap();
    assert_eq!(&bytes[..], &out[..]);

    let missing = Request::get(conn.url(&[Segment::Literal("fail"), Segment::Param("missing")], &[]));
    let error = conn.fetch_download(missing).await.unwrap_err();
    assert_eq!(error.to_string(), "HTTP 404 Not Found: Object not found");
}

// ---------------------------------------------------------------------------------------------------------
// URLs.

#[tokio::test]
async fn urls_encode_params_and_rest_paths() {
    let (server, conn) = connect().await;
    let url = conn.url(
        &[
            Segment::Literal("vmReplicaPoints"),
            Segment::Param("urn:veeam:VmReplicaPoint:a/b c%?#"),
            Segment::Literal("guestfs/"),
            Segment::Rest("E:/Documentation 2014/Invoices/bank details.txt"),
        ],
        &[("filter", r#"Name=="a b";X>1"#), ("pageSize", "10")],
    );
    assert_eq!(
        url.as_str(),
        format!(
            "{}vmReplicaPoints/urn:veeam:VmReplicaPoint:a%2Fb%20c%25%3F%23/guestfs/\
             E:/Documentation%202014/Invoices/bank%20details.txt?filter=Name%3D%3D%22a%20b%22%3BX%3E1&pageSize=10",
            server.base
        )
    );
    assert_eq!(conn.url(&[Segment::Rest("C:")], &[]).as_str(), format!("{}C:", server.base));
    assert_eq!(conn.url(&[Segment::Literal("query")], &[]).as_str(), format!("{}query", server.base));

    // What goes out is what the server sees.
    let echo = conn.url(&[Segment::Literal("echo"), Segment::Rest("a b/c$d")], &[("q", "x y")]);
    conn.execute(Request::get(echo).with_auth(Auth::None)).await.unwrap();
    assert_eq!(server.seen_uri.lock().unwrap().as_deref(), Some("/api/echo/a%20b/c$d?q=x%20y"));
}

#[test]
fn hrefs_resolve_against_the_api_root() {
    let conn: Connection = ClientBuilder::new("https://em.example:9398", &PROTOCOL).build().unwrap();
    assert_eq!(conn.base_url().as_str(), "https://em.example:9398/api/");
    let href = |h: &str| conn.href(h).map(String::from);
    assert_eq!(href("https://em.example:9398/api/things/1").unwrap(), "https://em.example:9398/api/things/1");
    assert_eq!(href("things/1?format=Entity").unwrap(), "https://em.example:9398/api/things/1?format=Entity");
    assert_eq!(href("/api/things/2").unwrap(), "https://em.example:9398/api/things/2");
    // EM's own name for itself is replaced by the one the client knows.
    assert_eq!(href("https://EM01.corp:9398/api/things/3?x=1").unwrap(), "https://em.example:9398/api/things/3?x=1");
    assert!(matches!(href("https://evil.example/steal"), Err(ClientError::InvalidUrl { .. })));
    assert!(matches!(href("file:///etc/api/passwd"), Err(ClientError::InvalidUrl { .. })));
}

// ---------------------------------------------------------------------------------------------------------
// Query helpers.

#[test]
fn filters_quote_values_outside_the_plain_set() {
    let f = Filter::eq("Name", "a b").and(Filter::gt("CreationTime", "2025-01-01T00:00:00Z"));
    assert_eq!(f.to_string(), r#"Name=="a b";CreationTime>2025-01-01T00:00:00Z"#);
    let f = Filter::group(Filter::eq("Type", "Vm").or(Filter::eq("Type", "Template"))).and(Filter::ne("Name", "x\"y"));
    assert_eq!(f.to_string(), r#"(Type==Vm,Type==Template);Name!="x""y""#);
    assert_eq!(f.query_pair().0, "filter");
    assert_eq!(Sort::desc("Name").query_pair(), ("sortDesc", "Name"));
}

#[derive(Debug)]
struct Page {
    number: u32,
    count: Option<u32>,
    items: Vec<u32>,
    report_len: bool,
}

impl Paged for Page {
    fn pages_count(&self) -> Option<u32> {
        self.count
    }
    fn is_empty_page(&self) -> bool {
        self.items.is_empty()
    }
    fn item_count(&self) -> Option<usize> {
        self.report_len.then_some(self.items.len())
    }
}

/// Pages of two items out of `total_items`; returns the page numbers yielded, what each item of the stream
/// was, and how many pages were fetched.
async fn collect_pages(
    total_items: u32,
    count: Option<u32>,
    report_len: bool,
    fail_at: Option<u32>,
) -> (Vec<u32>, Vec<String>, usize) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let stream = pages(
        move |page| {
            counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if Some(page) == fail_at {
                    return Err(ClientError::TaskTimeout);
                }
                let first = (page - 1) * 2;
                let items = (first..(first + 2).min(total_items)).collect();
                Ok(Page { number: page, count, items, report_len })
            }
        },
        2,
    );
    let results: Vec<Result<Page, ClientError>> = stream.collect().await;
    let mut numbers = Vec::new();
    let mut outcome = Vec::new();
    for r in results {
        match r {
            Ok(page) => {
                numbers.push(page.number);
                outcome.push(format!("{:?}", page.items));
            }
            Err(e) => outcome.push(e.to_string()),
        }
    }
    (numbers, outcome, calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn pages_stop_at_the_count_an_empty_page_a_short_page_or_an_error() {
    // By PagesCount.
    let (numbers, outcome, calls) = collect_pages(5, Some(3), false, None).await;
    assert_eq!((numbers, calls), (vec![1, 2, 3], 3));
    assert_eq!(outcome, ["[0, 1]", "[2, 3]", "[4]"]);
    // By a short page.
    let (numbers, _, calls) = collect_pages(5, None, true, None).await;
    assert_eq!((numbers, calls), (vec![1, 2, 3], 3));
    // By an empty page after full ones (fetched, not yielded).
    let (numbers, _, calls) = collect_pages(4, None, true, None).await;
    assert_eq!((numbers, calls), (vec![1, 2], 3));
    // Nothing to go by: one page only.
    let (numbers, _, calls) = collect_pages(5, None, false, None).await;
    assert_eq!((numbers, calls), (vec![1], 1));
    // An error ends the stream.
    let (numbers, outcome, calls) = collect_pages(10, Some(5), false, Some(2)).await;
    assert_eq!((numbers, calls), (vec![1], 2));
    assert_eq!(outcome.last().map(String::as_str), Some("the task did not finish in time"));
}

// ---------------------------------------------------------------------------------------------------------
// Secrets.

#[tokio::test]
async fn debug_output_never_shows_the_password_or_token() {
    let (_server, base) = start().await;
    let b: ClientBuilder = builder(&base).session_token("resumed-token-xyz");
    let shown = format!("{b:?}");
    assert!(!shown.contains(PASSWORD) && !shown.contains("resumed-token-xyz"), "{shown}");
    assert!(shown.contains("***"));

    let conn = builder(&base).build().unwrap();
    conn.logon().await.unwrap();
    let token = conn.session_token().unwrap();
    let shown = format!("{conn:?} {:#?}", conn.clone());
    assert!(!shown.contains(&token) && !shown.contains(PASSWORD), "{shown}");
    assert!(shown.contains(USER));

    let error = builder(&base).session_token("bad\ntoken").build().unwrap_err();
    assert!(!format!("{error} {error:?}").contains("bad\ntoken"));
}

#[test]
fn client_module_names_are_reachable() {
    // The error is `client::Error`, re-exported at the root as `ClientError`.
    let error: client::Error = ClientError::NoCredentials;
    assert_eq!(error.to_string(), "not logged on and no credentials configured");
}
