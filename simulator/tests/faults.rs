//! Injected faults: 500s, dropped connections, latency.

mod common;

use std::time::{Duration, Instant};

use common::Api;
use reqwest::{Method, StatusCode};
use veeam_em::model as m;
use veeam_em_sim::SESSION_HEADER;

#[tokio::test]
async fn fail_next_and_fail_path_answer_500_with_an_error_body() {
    let api = Api::new().await;
    api.sim.fail_next(2);
    let first = api.get(&api.url("tasks")).await;
    assert_eq!(first.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let error: m::Error = common::xml(first).await;
    assert_eq!(error.status_code, Some(500));
    let json = api
        .http
        .get(api.url("tasks"))
        .header(SESSION_HEADER, &api.token)
        .header("accept", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(json.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let error: m::Error = common::json(json).await;
    assert_eq!(error.status_code, Some(500));
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::OK);

    api.sim.fail_path("vmReplicaPoints");
    assert_eq!(api.get(&api.url("vmReplicaPoints")).await.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::OK);
    api.sim.clear_faults();
    assert_eq!(api.get(&api.url("vmReplicaPoints")).await.status(), StatusCode::OK);
    assert_eq!(api.sim.requests("vmReplicaPoints"), 2);
}

#[tokio::test]
async fn dropped_connections_are_transport_errors() {
    let api = Api::new().await;
    api.sim.drop_next(1, Some(Method::GET), "/tasks");
    // Another verb or path passes.
    assert_eq!(api.get(&api.url("vmReplicaPoints")).await.status(), StatusCode::OK);
    let dropped = api.http.get(api.url("tasks")).header(SESSION_HEADER, &api.token).send().await;
    let err = dropped.expect_err("the connection is dropped");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    // Only once.
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn latency_delays_every_request() {
    let api = Api::new().await;
    api.sim.set_latency(Duration::from_millis(60));
    let start = Instant::now();
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::OK);
    assert!(start.elapsed() >= Duration::from_millis(60));
    api.sim.set_latency(Duration::ZERO);
}
