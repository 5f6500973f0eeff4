//! The connection: one HTTP pool and one EM session, shared by clones.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode};
use url::Url;

use super::download::Download;
use super::error::{excerpt, from_reqwest, is_tls};
use super::secret::Secret;
use super::{Auth, Error, Protocol, Request, Response, Segment, Wire};
use crate::href::{encode_component, encode_path};
use crate::protocol::{Document, HasLinks, LinkView};

/// At most this much of an error body is read: enough for any EM error document.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A connection to one EM server. Cheap to clone: clones share the HTTP connection pool and the session,
/// so a re-logon done by one is seen by all.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
}

/// The fixed settings, made by the builder.
pub(crate) struct Settings {
    pub(crate) http: reqwest::Client,
    pub(crate) base: Url,
    pub(crate) protocol: &'static Protocol,
    pub(crate) wire: Wire,
    pub(crate) credentials: Option<(String, Secret)>,
    pub(crate) timeout: Duration,
    pub(crate) get_retries: u32,
}

struct Inner {
    settings: Settings,
    /// Read and written briefly, never across an await.
    session: Mutex<Session>,
    /// Held for the whole logon exchange, so concurrent callers that found the same token expired wait
    /// for one logon instead of each starting their own.
    logon: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Session {
    token: Option<Secret>,
    /// The session's own address, for logout.
    href: Option<String>,
    /// Bumped whenever the token changes. A caller that saw generation `g` fail with 401 logs on again
    /// only if the generation is still `g`; otherwise someone else already did.
    generation: u64,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.settings;
        let session = self.session();
        f.debug_struct("Connection")
            .field("base_url", &s.base.as_str())
            .field("wire", &s.wire)
            .field("user", &s.credentials.as_ref().map(|(user, _)| user))
            .field("session_token", &session.token)
            .field("session_href", &session.href)
            .field("timeout", &s.timeout)
            .field("get_retries", &s.get_retries)
            .finish()
    }
}

impl Connection {
    pub(crate) fn new(settings: Settings, token: Option<Secret>, href: Option<String>) -> Self {
        let session = Session { token, href, generation: 0 };
        Connection {
            inner: Arc::new(Inner { settings, session: Mutex::new(session), logon: tokio::sync::Mutex::new(()) }),
        }
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // The lock guards plain data that every writer leaves consistent, so a poisoned lock is still usable.
        self.inner.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The API root; always ends in `/api/`.
    pub fn base_url(&self) -> &Url {
        &self.settings().base
    }

    /// The preferred wire format.
    pub fn wire(&self) -> Wire {
        self.settings().wire
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.settings().timeout
    }

    /// `base + segments + query`. Segments are joined with `/` (none is added after a segment that already
    /// ends in one). [`Literal`](Segment::Literal) text is used as written; [`Param`](Segment::Param) is
    /// percent-encoded as one segment (`/` too); [`Rest`](Segment::Rest) keeps `/` and encodes everything
    /// else that needs it (spaces, `%`, `?`, `#`). Query names and values are percent-encoded the same way
    /// (a space is `%20`, never `+`).
    pub fn url(&self, segments: &[Segment<'_>], query: &[(&str, &str)]) -> Url {
        let mut text = self.base_url().as_str().to_owned();
        for (i, segment) in segments.iter().enumerate() {
            if i > 0 && !text.ends_with('/') {
                text.push('/');
            }
            match segment {
                // Encoding with the `Rest` rules leaves any sane literal unchanged and makes a careless one
                // harmless (a literal `C:` must not become a scheme, a `?` must not start the query).
                Segment::Literal(s) => encode_path(&mut text, s, true),
                Segment::Param(s) => encode_path(&mut text, s, false),
                Segment::Rest(s) => encode_path(&mut text, s, true),
            }
        }
        for (i, (name, value)) in query.iter().enumerate() {
            text.push(if i == 0 { '?' } else { '&' });
            encode_component(&mut text, name);
            text.push('=');
            encode_component(&mut text, value);
        }
        // The base is a valid URL and everything appended is percent-encoded ASCII, so this cannot fail;
        // the base itself is the least surprising fallback should it ever.
        Url::parse(&text).unwrap_or_else(|_| self.base_url().clone())
    }

    /// Resolves an href from a document. A relative href is taken relative to the API root (or the host,
    /// when it starts with `/`). An absolute href on this server is used as given; one naming another host
    /// but pointing into an `/api/` tree is moved onto this connection's base (EM writes its own host name
    /// into hrefs, which the client may know under another name or address, and the session token must
    /// not go elsewhere). Any other absolute href is refused.
    pub fn href(&self, href: &str) -> Result<Url, Error> {
        let base = self.base_url();
        let url = match Url::parse(href) {
            Ok(url) => url,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                return base.join(href).map_err(|e| Error::invalid_url(href, e.to_string()))
            }
            Err(e) => return Err(Error::invalid_url(href, e.to_string())),
        };
        if url.origin() == base.origin() {
            return Ok(url);
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::invalid_url(href, "not an http(s) address"));
        }
        let path = url.path();
        let rest = path.find("/api/").map(|at| &path[at + "/api/".len()..]);
        let Some(rest) = rest else {
            return Err(Error::invalid_url(href, "another server, outside the API"));
        };
        let mut moved = base.clone();
        moved.set_path(&format!("{}{rest}", base.path()));
        moved.set_query(url.query());
        Ok(moved)
    }

    /// The current session token, for a caller that wants to resume the session later
    /// ([`ClientBuilder::session_token`](super::ClientBuilder::session_token)).
    pub fn session_token(&self) -> Option<String> {
        self.session().token.as_ref().map(|t| t.expose().to_owned())
    }

    /// The current session's own address, when known.
    pub fn session_href(&self) -> Option<String> {
        self.session().href.clone()
    }

    /// Logs on with the configured credentials (HTTP Basic) and keeps the new token, replacing any other.
    /// Returns the logon answer, whose body is the logon session document.
    pub async fn logon(&self) -> Result<Response, Error> {
        let _logon = self.inner.logon.lock().await;
        self.logon_locked().await
    }

    /// Ends the session on the server (DELETE of the session's address) and forgets the token. A session
    /// the server no longer knows (401, 404) counts as ended. Without a known address (a resumed token
    /// without [`session_href`](super::ClientBuilder::session_href)) the token is only forgotten.
    pub async fn logout(&self) -> Result<(), Error> {
        let _logon = self.inner.logon.lock().await;
        let (token, href) = {
            let session = self.session();
            (session.token.clone(), session.href.clone())
        };
        if let (Some(token), Some(href)) = (token, href) {
            let mut request = Request::new(Method::DELETE, self.href(&href)?);
            // The token is given explicitly: a logout must not log on again.
            request.auth = Auth::None;
            let response = self.send(&request, Some(&token), false).await?;
            let status = response.status().as_u16();
            if !(response.status().is_success() || status == 401 || status == 404) {
                return Err(self.status_error(response).await);
            }
        }
        let mut session = self.session();
        session.token = None;
        session.href = None;
        session.generation += 1;
        Ok(())
    }

    /// Sends a request and reads the whole answer. A non-success status becomes [`Error::Status`] with the
    /// decoded EM error body.
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let response = self.send_authorized(&request, false).await?;
        if !response.status().is_success() {
            return Err(self.status_error(response).await);
        }
        self.read_whole(response).await
    }

    /// Sends a request and decodes the answer as `T`, by its `Content-Type`.
    pub async fn fetch<T: Document>(&self, request: Request) -> Result<T, Error> {
        self.execute(request).await?.decode()
    }

    /// Sends a request whose answer has no body worth reading.
    pub async fn fetch_none(&self, request: Request) -> Result<(), Error> {
        self.execute(request).await.map(drop)
    }

    /// Sends a request whose answer is a file, to be streamed.
    pub async fn fetch_download(&self, request: Request) -> Result<Download, Error> {
        let response = self.send_authorized(&request, true).await?;
        if !response.status().is_success() {
            return Err(self.status_error(response).await);
        }
        Ok(Download::new(response, self.timeout()))
    }

    /// GETs an address and decodes the answer as `T`.
    pub async fn get<T: Document>(&self, url: Url) -> Result<T, Error> {
        self.fetch(Request::get(url)).await
    }

    /// GETs an href from a document (see [`href`](Self::href)) and decodes the answer as `T`.
    pub async fn follow_href<T: Document>(&self, href: &str) -> Result<T, Error> {
        self.get(self.href(href)?).await
    }

    /// Follows the link `rel` of `from` to a `T`: among the links with this relationship (compared
    /// exactly), the first whose type is one of `T::LINK_TYPES`; failing that, the only link with this
    /// relationship and no type at all.
    pub async fn follow<T: Document, D: HasLinks>(&self, from: &D, rel: &str) -> Result<T, Error> {
        let href = find_link::<D>(from, rel, T::LINK_TYPES).ok_or_else(|| Error::NoSuchLink {
            rel: rel.to_owned(),
            types: T::LINK_TYPES.iter().map(|t| (*t).to_owned()).collect(),
        })?;
        self.follow_href(&href).await
    }

    /// Follows the link `rel` of `from` whose type is exactly `link_type`, to a `T`: for documents whose
    /// links share a relationship and a target document type (a point's two `Up` links both lead to an
    /// `EntityRef`, one of the replica and one of the backup server).
    pub async fn follow_type<T: Document, D: HasLinks>(
        &self,
        from: &D,
        rel: &str,
        link_type: &str,
    ) -> Result<T, Error> {
        let href = find_link::<D>(from, rel, &[link_type])
            .ok_or_else(|| Error::NoSuchLink { rel: rel.to_owned(), types: vec![link_type.to_owned()] })?;
        self.follow_href(&href).await
    }

    /// Handles authentication: the session token (logging on first when there is none, and once more
    /// after a 401 that answered the token just sent), Basic, or nothing. Returns the answer with its
    /// headers only.
    async fn send_authorized(&self, request: &Request, streaming: bool) -> Result<reqwest::Response, Error> {
        if request.auth != Auth::Session {
            return self.send(request, None, streaming).await;
        }
        let current = {
            let session = self.session();
            (session.token.clone(), session.generation)
        };
        let (token, generation) = match current {
            (Some(token), generation) => (token, generation),
            (None, generation) => self.relogon(generation).await?,
        };
        let response = self.send(request, Some(&token), streaming).await?;
        if response.status() != StatusCode::UNAUTHORIZED || self.settings().credentials.is_none() {
            // Without credentials there is nothing to log on with: the 401 is the answer.
            return Ok(response);
        }
        drop(response);
        // The server refused before acting, so even a non-idempotent call may be repeated, once.
        let (token, _) = self.relogon(generation).await?;
        self.send(request, Some(&token), streaming).await
    }

    /// Logs on unless another caller already replaced the token of generation `seen`; returns the token
    /// to use and its generation.
    async fn relogon(&self, seen: u64) -> Result<(Secret, u64), Error> {
        let _logon = self.inner.logon.lock().await;
        {
            let session = self.session();
            if session.generation != seen {
                if let Some(token) = &session.token {
                    return Ok((token.clone(), session.generation));
                }
            }
        }
        self.logon_locked().await?;
        let session = self.session();
        session.token.clone().map(|token| (token, session.generation)).ok_or(Error::NoCredentials)
    }

    /// The logon exchange; the caller holds the logon lock.
    async fn logon_locked(&self) -> Result<Response, Error> {
        let settings = self.settings();
        let call = &settings.protocol.logon;
        let Some((user, password)) = &settings.credentials else {
            return Err(Error::NoCredentials);
        };
        let path = call.path.trim_start_matches('/');
        let url = self.url(&[Segment::Literal(path)], call.query);
        let mut builder = settings
            .http
            .post(url)
            .basic_auth(user, Some(password.expose()))
            .header(ACCEPT, settings.wire.media_type())
            .timeout(settings.timeout);
        // An empty body still needs a length: some servers refuse a POST without one.
        builder = builder.header(http::header::CONTENT_LENGTH, 0);
        let response = builder.send().await.map_err(|e| from_reqwest(e, settings.timeout))?;
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED {
            return Err(Error::AuthenticationFailed);
        }
        if !(status.is_success() || status.as_u16() == call.status) {
            return Err(self.status_error(response).await);
        }
        let token = response
            .headers()
            .get(call.token_header)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(Secret::new)
            .ok_or(Error::NoSessionToken { header: call.token_header })?;
        let response = self.read_whole(response).await?;
        let href = response.wire().ok().and_then(|wire| (settings.protocol.logout_href)(&response.text(), wire));
        let mut session = self.session();
        session.token = Some(token);
        session.href = href;
        session.generation += 1;
        Ok(response)
    }

    /// One exchange up to the answer's headers. Idempotent requests are repeated after connection errors
    /// (up to `get_retries` times), never after a timeout: a request that timed out may still be running
    /// on the server, and repeating it would multiply the caller's wait. Non-idempotent requests are
    /// never repeated here.
    async fn send(
        &self,
        request: &Request,
        token: Option<&Secret>,
        streaming: bool,
    ) -> Result<reqwest::Response, Error> {
        let settings = self.settings();
        let retries = if request.idempotent { settings.get_retries } else { 0 };
        let mut attempt = 0;
        loop {
            let mut builder = settings
                .http
                .request(request.method.clone(), request.url.clone())
                .header(ACCEPT, settings.wire.media_type());
            if let Some(token) = token {
                let token_header = settings.protocol.logon.token_header;
                let mut value = HeaderValue::from_str(token.expose())
                    .map_err(|_| Error::NoSessionToken { header: token_header })?;
                value.set_sensitive(true);
                builder = builder.header(token_header, value);
            }
            if request.auth == Auth::Basic {
                let Some((user, password)) = &settings.credentials else {
                    return Err(Error::NoCredentials);
                };
                builder = builder.basic_auth(user, Some(password.expose()));
            }
            if let Some(body) = &request.body {
                builder = builder.header(CONTENT_TYPE, body.content_type).body(body.text.clone());
            }
            let result = if streaming {
                // A download may legitimately take longer than the timeout as a whole; only the wait for
                // the headers is bounded here, and each piece of the body in `Download`.
                match tokio::time::timeout(settings.timeout, builder.send()).await {
                    Ok(result) => result,
                    Err(_) => return Err(Error::Timeout { after: settings.timeout }),
                }
            } else {
                builder.timeout(settings.timeout).send().await
            };
            match result {
                Ok(response) => return Ok(response),
                Err(e) if attempt < retries && !e.is_timeout() && !is_tls(&e) && (e.is_connect() || e.is_request()) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
                }
                Err(e) => return Err(from_reqwest(e, settings.timeout)),
            }
        }
    }

    async fn read_whole(&self, response: reqwest::Response) -> Result<Response, Error> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| from_reqwest(e, self.timeout()))?;
        Ok(Response { status, headers, body })
    }

    /// The [`Error::Status`] for a non-success answer, with its body decoded when it is an EM error.
    async fn status_error(&self, response: reqwest::Response) -> Error {
        let status = response.status().as_u16();
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = read_limited(response, ERROR_BODY_LIMIT, self.timeout()).await;
        let wire = super::body_wire(status, content_type.as_deref(), &body).ok();
        let text = String::from_utf8_lossy(&body);
        let api = wire.and_then(|wire| (self.settings().protocol.decode_error)(&text, wire));
        Error::Status { status, api, body: excerpt(&body) }
    }
}

/// Reads at most `limit` bytes of a body, within `timeout`; whatever arrived is kept on errors (the
/// status is what matters, the body only explains it).
async fn read_limited(mut response: reqwest::Response, limit: usize, timeout: Duration) -> Vec<u8> {
    let mut body = Vec::new();
    let read = async {
        while body.len() < limit {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(limit - body.len())]),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(timeout, read).await;
    body
}

/// The href of the link `rel` to one of `types`; see [`Connection::follow`].
fn find_link<D: HasLinks>(from: &D, rel: &str, types: &[&str]) -> Option<String> {
    let links = from.links();
    let typed = links.iter().find(|l| l.rel() == rel && l.link_type().is_some_and(|t| types.contains(&t)));
    if let Some(link) = typed {
        return Some(link.href().to_owned());
    }
    let mut untyped = links.iter().filter(|l| l.rel() == rel && l.link_type().is_none());
    match (untyped.next(), untyped.next()) {
        (Some(link), None) => Some(link.href().to_owned()),
        _ => None,
    }
}
