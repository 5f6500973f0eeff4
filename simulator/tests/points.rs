//! Replica points, their neighbours, wire formats and tasks.

mod common;

use common::{link, xml, Api};
use reqwest::{Method, StatusCode};
use veeam_em::model as m;
use veeam_em_sim::{SimConfig, TaskKind, SESSION_HEADER};

#[tokio::test]
async fn reference_and_entity_forms() {
    let api = Api::new().await;
    let refs: m::EntityReferenceList = api.get_doc(&api.url("vmReplicaPoints")).await;
    assert_eq!(refs.items.len(), 8);
    let first = &refs.items[0];
    assert_eq!(first.link_type.as_deref(), Some("VmReplicaPointReference"));
    let href = first.href.clone().expect("href");
    assert!(href.starts_with(&api.sim.base_url()) && !href.contains('?'), "{href}");
    assert_eq!(first.name.as_deref(), Some("sql02@2025-08-12 05:44:54"));

    let reference: m::EntityReference = api.get_doc(&href).await;
    assert_eq!(&reference, first);
    link(reference.links.as_deref(), "Up", Some("BackupServerReference"));
    let replica = link(reference.links.as_deref(), "Up", Some("ReplicaReference")).href.clone();
    let alternate = link(reference.links.as_deref(), "Alternate", Some("VmReplicaPoint")).href.clone();
    assert!(alternate.ends_with("?format=Entity"));

    let point: m::VmReplicaPoint = api.get_doc(&alternate).await;
    assert_eq!(point.link_type.as_deref(), Some("VmReplicaPoint"));
    assert_eq!(point.href.as_deref(), Some(alternate.as_str()));
    assert_eq!(point.vm_display_name.as_deref(), Some("sql02"));
    assert!(point.uid.as_deref().is_some_and(|uid| uid.starts_with("urn:veeam:VmReplicaPoint:")));
    assert!(point.creation_time_utc.is_some());
    assert!(link(point.links.as_deref(), "Failover", None).href.ends_with("?action=failover"));
    assert_eq!(link(point.links.as_deref(), "Alternate", Some("VmReplicaPointReference")).href, href);
    link(point.links.as_deref(), "Down", Some("VmReplicaPointMountList"));
    link(point.links.as_deref(), "Create", Some("VmReplicaPointMount"));

    let replica: m::EntityReference = api.get_doc(&replica).await;
    assert_eq!(replica.link_type.as_deref(), Some("ReplicaReference"));
    let entities: m::VmReplicaPointList = api.get_doc(&api.url("vmReplicaPoints?FORMAT=entity")).await;
    assert_eq!(entities.items.len(), 8);

    let bs = link(point.links.as_deref(), "Up", Some("BackupServerReference")).href.clone();
    let server: m::BackupServer = api.get_doc(&format!("{bs}?format=Entity")).await;
    assert_eq!(server.port, Some(9392));

    let restore_points: m::EntityReferenceList = api.get_doc(&api.url("vmRestorePoints")).await;
    assert_eq!(restore_points.items.len(), 4);
    assert_eq!(api.get(&api.url("vmReplicaPoints/00000000-0000-4000-8000-000000000000")).await.status(), 404);
}

#[tokio::test]
async fn hrefs_follow_the_host_header_or_the_configured_base() {
    let api = Api::new().await;
    let id = api.sim.state().replica_points[0].id.clone();
    let response = api
        .http
        .get(api.url(&format!("vmReplicaPoints/{id}")))
        .header(SESSION_HEADER, &api.token)
        .header("host", "em.example:9398")
        .send()
        .await
        .expect("answer");
    let reference: m::EntityReference = xml(response).await;
    assert_eq!(reference.href, Some(format!("http://em.example:9398/api/vmReplicaPoints/{id}")));

    let config = SimConfig { base_url: Some("https://em.corp:9398/api/".into()), ..SimConfig::default() };
    let api = Api::with(config).await;
    let reference: m::EntityReference = api.get_doc(&api.url(&format!("vmReplicaPoints/{id}"))).await;
    assert_eq!(reference.href, Some(format!("https://em.corp:9398/api/vmReplicaPoints/{id}")));
}

#[tokio::test]
async fn json_when_asked_for() {
    let api = Api::new().await;
    let id = api.sim.state().replica_points[0].id.clone();
    let url = api.url(&format!("vmReplicaPoints/{id}?format=Entity"));
    let response = api
        .http
        .get(&url)
        .header(SESSION_HEADER, &api.token)
        .header("accept", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let point: m::VmReplicaPoint = common::json(response).await;
    assert_eq!(point.vm_display_name.as_deref(), Some("sql02"));

    let xml_point: m::VmReplicaPoint = api.get_doc(&url).await;
    assert_eq!(point, xml_point);

    let missing = api
        .http
        .get(api.url("vmReplicaPoints/nope"))
        .header(SESSION_HEADER, &api.token)
        .header("accept", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let error: m::Error = common::json(missing).await;
    assert_eq!(error.status_code, Some(404));
    assert!(error.message.is_some_and(|m| m.contains("nope")));
}

#[tokio::test]
async fn tasks_run_then_finish_with_related_links() {
    let api = Api::new().await;
    let id = api.sim.state().replica_points[0].id.clone();
    let task =
        api.start_task(api.call(Method::POST, &api.url(&format!("vmReplicaPoints/{id}?action=failover"))).await).await;
    assert_eq!(task.task_id.as_deref(), Some("task-1"));
    assert_eq!(task.operation, Some(m::TaskOperation::StartReplicaFailover));
    let href = task.href.clone().expect("href");
    assert!(href.ends_with("/api/tasks/task-1"));
    link(task.links.as_deref(), "Delete", None);

    let second: m::Task = api.get_doc(&href).await;
    assert_eq!(second.state, Some(m::TaskState::OperationFinished));
    let done: m::Task = api.get_doc(&href).await;
    assert_eq!(done.state, Some(m::TaskState::Finished));
    let result = done.result.clone().expect("result");
    assert_eq!((result.success, result.message.as_deref()), (Some(true), Some("Ok")));
    let session = link(done.links.as_deref(), "Related", Some("RestoreSession")).href.clone();
    assert!(session.ends_with("?format=Entity"));
    let session: m::RestoreSession = api.get_doc(&session).await;
    assert_eq!(session.vm_display_name.as_deref(), Some("sql02"));

    let tasks: m::TaskList = api.get_doc(&api.url("tasks")).await;
    assert_eq!(tasks.items.len(), 1);
    assert_eq!(api.call(Method::DELETE, &href).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(api.get(&href).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn failing_tasks_and_poll_counts_are_configurable() {
    let config = SimConfig { task_polls: 4, fail_tasks: vec![TaskKind::Failover], ..SimConfig::default() };
    let api = Api::with(config).await;
    let id = api.sim.state().replica_points[0].id.clone();
    let task =
        api.start_task(api.call(Method::POST, &api.url(&format!("vmReplicaPoints/{id}?action=failover"))).await).await;
    let href = task.href.clone().expect("href");
    let states: Vec<_> = {
        let mut states = Vec::new();
        for _ in 0..4 {
            let task: m::Task = api.get_doc(&href).await;
            states.push(task.state.clone().expect("state"));
        }
        states
    };
    use m::TaskState::*;
    assert_eq!(states, [Running, Running, OperationFinished, Finished]);
    let done: m::Task = api.get_doc(&href).await;
    let result = done.result.expect("result");
    assert_eq!(result.success, Some(false));
    assert!(result.message.is_some_and(|m| m.contains("StartReplicaFailover")));

    api.sim.fail_tasks(TaskKind::Failover, false);
    api.sim.set_task_polls(1);
    let task =
        api.start_task(api.call(Method::POST, &api.url(&format!("vmReplicaPoints/{id}?action=failover"))).await).await;
    let done: m::Task = api.get_doc(task.href.as_deref().expect("href")).await;
    assert_eq!(done.state, Some(Finished));
    assert_eq!(done.result.and_then(|r| r.success), Some(true));
}
