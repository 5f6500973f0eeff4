//! Configuration of a [`Connection`].

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use url::Url;

use super::connection::{Connection, Settings};
use super::secret::Secret;
use super::tls::{self, TlsSettings};
use super::{Error, Protocol, Wire};

/// Builds a [`Connection`], or a generated client that wraps one (`C: From<Connection>`).
///
/// Nothing is checked until [`build`](ClientBuilder::build), so the setters can be chained freely.
pub struct ClientBuilder<C = Connection> {
    base_url: String,
    protocol: &'static Protocol,
    user: Option<String>,
    password: Option<Secret>,
    token: Option<Secret>,
    session_href: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    wire: Wire,
    tls: TlsSettings,
    get_retries: u32,
    // `fn() -> C`: the builder neither owns nor drops a `C`, so it stays Send + Sync whatever `C` is.
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("session_token", &self.token)
            .field("session_href", &self.session_href)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("wire", &self.wire)
            .field("root_certificates", &self.tls.pems.len())
            .field("pins", &self.tls.pins)
            .field("accept_invalid_certs", &self.tls.accept_invalid)
            .field("get_retries", &self.get_retries)
            .finish()
    }
}

impl<C: From<Connection>> ClientBuilder<C> {
    /// A builder for the server at `base_url`: `https://em:9398`, `https://em:9398/api` and
    /// `https://em:9398/api/` all mean the same API root.
    pub fn new(base_url: &str, protocol: &'static Protocol) -> Self {
        ClientBuilder {
            base_url: base_url.to_owned(),
            protocol,
            user: None,
            password: None,
            token: None,
            session_href: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            wire: Wire::Xml,
            tls: TlsSettings::default(),
            get_retries: 2,
            client: PhantomData,
        }
    }

    /// The user name (`DOMAIN\user` or `user@domain`) and password for logon and re-logon.
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self.password = Some(Secret::new(password));
        self
    }

    /// Resumes a session kept from an earlier logon instead of logging on first. With credentials as well,
    /// an expired token is replaced transparently; without, calls fail with HTTP 401 once it expires.
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self
    }

    /// The address of the resumed session (from [`Connection::session_href`]), so that
    /// [`Connection::logout`] can end it on the server.
    pub fn session_href(mut self, href: impl Into<String>) -> Self {
        self.session_href = Some(href.into());
        self
    }

    /// The time allowed for each HTTP exchange, answer body included (default 60 s). For downloads it
    /// bounds the wait for the headers and for each piece of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time allowed to open a connection, TLS handshake included (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The preferred wire format (default XML).
    pub fn wire(mut self, wire: Wire) -> Self {
        self.wire = wire;
        self
    }

    /// Trusts a certificate given as PEM (or DER): a CA whose certificates the server presents, or the
    /// server's own certificate, which is then trusted exactly, whatever its name, dates or CA flag.
    /// May be called several times.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.tls.pems.push(pem.to_vec());
        self
    }

    /// Trusts only a server certificate whose SHA-256 fingerprint (of the DER) is `hex`: 64 hex digits,
    /// colons allowed, either case. May be called several times; certificates added with
    /// [`add_root_certificate_pem`](Self::add_root_certificate_pem) stay trusted too.
    pub fn pin_sha256(mut self, hex: &str) -> Self {
        self.tls.pins.push(hex.to_owned());
        self
    }

    /// Accepts any server certificate. The connection is then encrypted but not authenticated: for tests
    /// and first contact only.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.tls.accept_invalid = yes;
        self
    }

    /// How many times an idempotent request is repeated after a connection error (default 2).
    pub fn get_retries(mut self, retries: u32) -> Self {
        self.get_retries = retries;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let base = normalize_base(&self.base_url)?;
        let token = match self.token {
            // Checked here so that sending it later cannot fail.
            Some(token) if http::HeaderValue::from_str(token.expose()).is_err() => {
                return Err(Error::Config { message: "the session token holds characters a header cannot".into() })
            }
            other => other,
        };
        let tls = tls::client_config(&self.tls)?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(self.connect_timeout)
            // Redirects would carry the session header to wherever the server points; EM sends none.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("veeam-em/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config { message: format!("cannot build the HTTP client: {e}") })?;
        let credentials = match (self.user, self.password) {
            (Some(user), Some(password)) => Some((user, password)),
            _ => None,
        };
        let settings = Settings {
            http,
            base,
            protocol: self.protocol,
            wire: self.wire,
            credentials,
            timeout: self.timeout,
            get_retries: self.get_retries,
        };
        Ok(C::from(Connection::new(settings, token, self.session_href)))
    }
}

/// The API root of a base address: always ending in `/api/`.
pub(crate) fn normalize_base(text: &str) -> Result<Url, Error> {
    let mut url = Url::parse(text.trim()).map_err(|e| Error::invalid_url(text, e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid_url(text, "the scheme must be https or http"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::invalid_url(text, "no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_url(text, "credentials belong in `credentials`, not in the URL"));
    }
    url.set_query(None);
    url.set_fragment(None);
    let mut path = url.path().trim_end_matches('/').to_owned();
    if !path.ends_with("/api") {
        path.push_str("/api");
    }
    path.push('/');
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalize_to_the_api_root() {
        for base in ["https://h:9398", "https://h:9398/", "https://h:9398/api", "https://h:9398/api/"] {
            assert_eq!(normalize_base(base).map(String::from).ok().as_deref(), Some("https://h:9398/api/"), "{base}");
        }
        assert_eq!(normalize_base("http://h/em/api//").map(String::from).ok().as_deref(), Some("http://h/em/api/"));
        assert!(normalize_base("ftp://h").is_err());
        assert!(normalize_base("h:9398").is_err());
        assert!(normalize_base("https://u:p@h").is_err());
    }
}
