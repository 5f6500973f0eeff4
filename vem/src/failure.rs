//! Why a command failed, and the exit status that says so.
//!
//! Scripts branch on the status, so every error goes through one place: [`client_error`] maps each
//! [`ClientError`] variant to a code, and the constructors here name the others.

use veeam_em::runtime::ClientError;

/// Bad input: a document that does not decode, a malformed id, an unreadable file argument.
pub const INPUT: u8 = 1;
/// Usage: what clap reports, and a password that cannot be asked for.
pub const USAGE: u8 = 2;
/// Connection, TLS, timeout, or an answer that is not EM's.
pub const CONNECTION: u8 = 3;
/// The server said no, or the task failed.
pub const REFUSED: u8 = 4;
/// Interrupted with Ctrl-C (the shell's convention for SIGINT).
pub const INTERRUPTED: u8 = 130;

/// A failed command: the exit status and the complete text to print on stderr.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
    /// The session was refused and a logon with a password could fix it (see [`needs_password`]).
    pub session_expired: bool,
}

impl Failure {
    /// A failure whose message is printed exactly as given (`vem decode` prints `FILE:LINE:COL: ...`).
    pub fn raw(code: u8, message: impl Into<String>) -> Self {
        Failure { code, message: message.into(), session_expired: false }
    }

    /// Bad input, exit status 1.
    pub fn input(message: impl std::fmt::Display) -> Self {
        Failure::raw(INPUT, format!("error: {message}"))
    }

    /// A usage problem clap cannot see, exit status 2.
    pub fn usage(message: impl std::fmt::Display) -> Self {
        Failure::raw(USAGE, format!("error: {message}"))
    }

    /// Ctrl-C.
    pub fn interrupted() -> Self {
        Failure::raw(INTERRUPTED, "error: interrupted")
    }

    /// Prints the message on stderr.
    pub fn print(&self) {
        eprintln!("{}", self.message);
    }
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        client_error(&error)
    }
}

/// The one mapping from client errors to exit statuses and messages.
pub fn client_error(error: &ClientError) -> Failure {
    let code = match error {
        ClientError::Status { .. } | ClientError::AuthenticationFailed | ClientError::TaskFailed { .. } => REFUSED,
        // Configuration problems come from our own options (a bad pin, an unreadable PEM, a bad --url).
        ClientError::Config { .. } => INPUT,
        // Writing a download to its local file failed: the file argument was unusable.
        ClientError::Write { .. } => INPUT,
        // Asked for only when no password can be had; reported before a call is made, but kept safe.
        ClientError::NoCredentials => USAGE,
        ClientError::Transport { .. }
        | ClientError::Timeout { .. }
        | ClientError::Tls { .. }
        | ClientError::UnexpectedContentType { .. }
        | ClientError::Decode { .. }
        | ClientError::Json { .. }
        | ClientError::NoSessionToken { .. }
        | ClientError::TaskTimeout
        | ClientError::NoSuchLink { .. }
        | ClientError::InvalidUrl { .. } => CONNECTION,
        // New variants: most likely about the exchange itself.
        _ => CONNECTION,
    };
    let message = match error {
        // `HTTP 404: Mount not found`: the status and EM's own words, without the reason phrase.
        ClientError::Status { status, api, body } => {
            match api.as_ref().and_then(|api| api.message.as_deref()).filter(|m| !m.is_empty()) {
                Some(message) => format!("HTTP {status}: {message}"),
                None if !body.is_empty() => format!("HTTP {status}: {body}"),
                None => format!("HTTP {status}"),
            }
        }
        other => other.to_string(),
    };
    Failure { session_expired: needs_password(error), ..Failure::raw(code, format!("error: {message}")) }
}

/// Whether the error means the session is not (or no longer) usable and a logon with a password would
/// help: a 401 answered to a kept token, or a call that needed a logon without credentials.
pub fn needs_password(error: &ClientError) -> bool {
    matches!(error, ClientError::NoCredentials) || error.status() == Some(401)
}

#[cfg(test)]
mod tests {
    use super::*;
    use veeam_em::runtime::ApiError;

    #[test]
    fn status_errors_show_ems_message() {
        let error = ClientError::Status {
            status: 404,
            api: Some(ApiError { message: Some("Mount not found".into()), status_code: Some(404) }),
            body: String::new(),
        };
        let failure = client_error(&error);
        assert_eq!(failure.code, REFUSED);
        assert_eq!(failure.message, "error: HTTP 404: Mount not found");
    }

    #[test]
    fn connection_problems_are_code_3() {
        for error in [
            ClientError::Transport { message: "refused".into() },
            ClientError::Timeout { after: std::time::Duration::from_secs(1) },
            ClientError::Tls { message: "bad cert".into() },
            ClientError::UnexpectedContentType { status: 200, content_type: "text/html".into() },
            ClientError::TaskTimeout,
        ] {
            assert_eq!(client_error(&error).code, CONNECTION, "{error}");
        }
        assert_eq!(client_error(&ClientError::AuthenticationFailed).code, REFUSED);
        assert_eq!(client_error(&ClientError::TaskFailed { message: "x".into() }).code, REFUSED);
    }
}
