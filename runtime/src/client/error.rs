//! The one error type of the client.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::DecodeError;

/// What an EM error body says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiError {
    /// The human-readable message.
    pub message: Option<String>,
    /// The status code repeated in the body.
    pub status_code: Option<i64>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message.as_deref().unwrap_or("(no message)"))
    }
}

/// Everything that can go wrong with a call. Credentials and session tokens never appear in it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server could not be reached or the connection broke.
    #[error("transport error: {message}")]
    Transport {
        /// The cause chain, joined.
        message: String,
    },
    /// No answer (or no complete answer) within the configured time.
    #[error("the request timed out after {after:?}")]
    Timeout {
        /// The timeout that expired.
        after: Duration,
    },
    /// The TLS configuration is unusable, or the server's certificate was not trusted.
    #[error("TLS: {message}")]
    Tls {
        /// What went wrong.
        message: String,
    },
    /// The builder was given something unusable.
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The server answered with a status that is not a success.
    #[error("HTTP {}{}", status_line(*status), detail(api.as_ref(), body))]
    Status {
        /// The status code.
        status: u16,
        /// The decoded EM error body, when there was one.
        api: Option<ApiError>,
        /// The start of the raw body, control characters escaped, for when `api` is `None`.
        body: String,
    },
    /// A body arrived in a format that is neither XML nor JSON.
    #[error("HTTP {}: unexpected content type `{content_type}`", status_line(*status))]
    UnexpectedContentType {
        /// The status code.
        status: u16,
        /// The `Content-Type` received (empty when there was none).
        content_type: String,
    },
    /// An XML body did not decode.
    #[error("cannot decode the response: {source}")]
    Decode {
        /// Where and why.
        source: DecodeError,
    },
    /// A JSON body did not decode.
    #[error("cannot decode the JSON response: {source}")]
    Json {
        /// Where and why.
        source: serde_json::Error,
    },
    /// The logon call was refused (401): wrong user name or password.
    #[error("authentication failed: the server refused the user name or password")]
    AuthenticationFailed,
    /// A session call needs a logon but no credentials were configured.
    #[error("not logged on and no credentials configured")]
    NoCredentials,
    /// The logon answer did not carry the session token header.
    #[error("the logon answer carries no `{header}` header")]
    NoSessionToken {
        /// The header expected.
        header: &'static str,
    },
    /// A task finished without success.
    #[error("task failed: {message}")]
    TaskFailed {
        /// The task's message.
        message: String,
    },
    /// A task did not finish within [`WaitOptions::timeout`](super::WaitOptions::timeout).
    #[error("the task did not finish in time")]
    TaskTimeout,
    /// A document has no link with this relationship and a matching type.
    #[error("no link `{rel}` to {}", types_list(types))]
    NoSuchLink {
        /// The relationship asked for.
        rel: String,
        /// The link types that would have matched.
        types: Vec<String>,
    },
    /// An address could not be used.
    #[error("invalid URL `{url}`: {reason}")]
    InvalidUrl {
        /// The address.
        url: String,
        /// Why.
        reason: String,
    },
    /// Writing a download to its destination failed.
    #[error("cannot write the download: {source}")]
    Write {
        /// The I/O error.
        source: std::io::Error,
    },
}

impl Error {
    /// An [`Error::InvalidUrl`].
    pub fn invalid_url(url: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidUrl { url: url.into(), reason: reason.into() }
    }

    /// The HTTP status, for [`Error::Status`] and [`Error::UnexpectedContentType`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } | Error::UnexpectedContentType { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The decoded EM error body, for [`Error::Status`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Status { api, .. } => api.as_ref(),
            _ => None,
        }
    }
}

/// `404 Not Found`.
fn status_line(status: u16) -> String {
    match StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// `: message` from the error body, else `: raw body start`, else nothing.
fn detail(api: Option<&ApiError>, body: &str) -> String {
    match api.and_then(|a| a.message.as_deref()) {
        Some(message) => format!(": {message}"),
        None if !body.is_empty() => format!(": {body}"),
        None => String::new(),
    }
}

fn types_list(types: &[String]) -> String {
    if types.is_empty() {
        "any type".to_owned()
    } else {
        format!("a {}", types.join(" or "))
    }
}

/// The first characters of a body, whitespace runs collapsed and control characters escaped, so an HTML
/// error page or binary junk stays one readable line.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(4 * MAX)]);
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if chars == MAX {
                out.push('…');
                return out;
            }
            chars += 1;
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Maps a reqwest failure: timeouts, TLS refusals, and everything else as transport errors with the whole
/// cause chain (reqwest's own message alone says little).
pub(crate) fn from_reqwest(error: reqwest::Error, timeout: Duration) -> Error {
    if error.is_timeout() {
        return Error::Timeout { after: timeout };
    }
    let message = chain(&error);
    if is_tls(&error) {
        Error::Tls { message }
    } else {
        Error::Transport { message }
    }
}

/// Whether a rustls error is somewhere in the chain. `io::Error::source` skips the error it wraps (and
/// the TLS stack nests `io::Error`s), so each `io::Error` is looked into as well.
pub(crate) fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<rustls::Error>() {
            return true;
        }
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            let inner: &(dyn std::error::Error + 'static) = inner;
            if is_tls(inner) {
                return true;
            }
        }
        current = e.source();
    }
    false
}

fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        // Wrappers often repeat their cause's text; keep each message once.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}
