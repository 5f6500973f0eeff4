//! Fault injection in front of the generated router: latency, `500` answers and dropped connections.
//!
//! It is an axum middleware rather than part of the service because two of the faults happen before EM
//! would even route the request, and a dropped connection cannot be expressed as a `ServerResponse`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::Method;
use veeam_em::model as m;
use veeam_em::runtime::server::{Fault, ServerRequest, ServerResponse};

use crate::service::{lock, Shared};

/// Drop the connection, without an answer, for the next `remaining` requests that match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropRule {
    /// Only requests with this verb (any verb when `None`).
    pub method: Option<Method>,
    /// Only requests whose path and query contain this text (every request when empty).
    pub path_contains: String,
    /// How many more matching requests to drop.
    pub remaining: u32,
}

/// The faults currently switched on.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Added before every request is handled.
    pub latency: Duration,
    /// Answer the next this-many requests with `500` and an EM error body.
    pub fail_next: u32,
    /// Answer every request whose path and query contain one of these with `500`.
    pub fail_paths: Vec<String>,
    /// Connections to drop.
    pub drops: Vec<DropRule>,
}

enum Decision {
    Pass,
    Fail(String),
    Drop,
}

impl Faults {
    /// What to do with a request; consumes one unit of any counted fault it triggers.
    fn decide(&mut self, method: &Method, target: &str) -> Decision {
        if let Some(rule) = self.drops.iter_mut().find(|rule| {
            rule.remaining > 0
                && (rule.method.is_none() || rule.method.as_ref() == Some(method))
                && target.contains(rule.path_contains.as_str())
        }) {
            rule.remaining -= 1;
            self.drops.retain(|rule| rule.remaining > 0);
            return Decision::Drop;
        }
        if self.fail_next > 0 {
            self.fail_next -= 1;
            return Decision::Fail("Simulated server error (fail_next).".to_owned());
        }
        if let Some(pattern) = self.fail_paths.iter().find(|p| target.contains(p.as_str())) {
            return Decision::Fail(format!("Simulated server error for requests matching `{pattern}`."));
        }
        Decision::Pass
    }
}

/// The middleware: logs the request, waits, then fails, drops or passes it on.
pub(crate) async fn inject(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let target = request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |pq| pq.to_string());
    lock(&shared.log).push(format!("{} {target}", request.method()));
    let (latency, decision) = {
        let mut faults = lock(&shared.faults);
        let decision = faults.decide(request.method(), &target);
        (faults.latency, decision)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match decision {
        Decision::Pass => next.run(request).await,
        Decision::Fail(message) => {
            // Same negotiation as real answers, so clients exercise their error-body decoding in both formats.
            let mut probe = ServerRequest::new(request.method().clone(), request.uri().path());
            probe.headers = request.headers().clone();
            ServerResponse::fault::<m::Error>(&Fault::new(500, message), probe.wire()).into_response()
        }
        Decision::Drop => dropped(),
    }
}

/// A response whose body fails before its first byte. hyper then closes the connection without flushing
/// the status line it had buffered, so the client sees the connection closed with no answer at all.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "simulated drop"))
    });
    Response::new(Body::from_stream(failing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_count_down_and_match_method_and_path() {
        let mut faults = Faults::default();
        faults.drops.push(DropRule { method: Some(Method::POST), path_contains: "mounts".into(), remaining: 1 });
        assert!(matches!(faults.decide(&Method::GET, "/api/x/mounts"), Decision::Pass));
        assert!(matches!(faults.decide(&Method::POST, "/api/x/mounts"), Decision::Drop));
        assert!(matches!(faults.decide(&Method::POST, "/api/x/mounts"), Decision::Pass));
        assert!(faults.drops.is_empty());
    }

    #[test]
    fn failures_count_down_or_follow_paths() {
        let mut faults = Faults { fail_next: 1, fail_paths: vec!["tasks".into()], ..Default::default() };
        assert!(matches!(faults.decide(&Method::GET, "/api/"), Decision::Fail(_)));
        assert!(matches!(faults.decide(&Method::GET, "/api/"), Decision::Pass));
        assert!(matches!(faults.decide(&Method::GET, "/api/tasks/task-1"), Decision::Fail(_)));
    }
}
