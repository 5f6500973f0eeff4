//! The query service: filters, sorting, paging, formats.

mod common;

use common::{link, Api};
use reqwest::{Method, StatusCode};
use veeam_em::model as m;

fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn references_by_default_entities_on_request() {
    let api = Api::new().await;
    let refs: m::QueryResult = api.get_doc(&api.url("query?type=VmReplicaPoint")).await;
    assert_eq!(refs.refs.as_ref().map(Vec::len), Some(8));
    assert!(refs.entities.is_none());
    let info = refs.paging_info.expect("paging");
    assert_eq!((info.page_num, info.pages_count), (Some(1), Some(1)));

    let filter = enc("VmDisplayName==ubuntu88");
    let url = api.url(&format!("query?type=vmreplicapoint&format=entities&filter={filter}&sortDesc=CreationTime"));
    let result: m::QueryResult = api.get_doc(&url).await;
    let points = result.entities.and_then(|e| e.vm_replica_points).expect("points");
    let names: Vec<_> = points.iter().filter_map(|p| p.name.as_deref()).collect();
    assert_eq!(names, ["ubuntu88@2025-08-16 06:00:00", "ubuntu88@2025-08-15 06:00:00"]);
}

#[tokio::test]
async fn filter_grammar_sort_and_paging() {
    let api = Api::new().await;
    let filter = enc(
        r#"(VmDisplayName==sql02,VmDisplayName==fileserver01);CreationTime>="2025-08-13T06:00:00Z";Algorithm!=Full"#,
    );
    let url = api.url(&format!("query?type=VmReplicaPoint&filter={filter}&sortAsc=name&pageSize=2&page=1"));
    let result: m::QueryResult = api.get_doc(&url).await;
    let names: Vec<_> = result.refs.unwrap_or_default().into_iter().filter_map(|r| r.name).collect();
    assert_eq!(names, ["fileserver01@2025-08-14 20:00:24", "fileserver01@2025-08-15 20:00:24"]);
    let info = result.paging_info.expect("paging");
    assert_eq!((info.page_num, info.page_size, info.pages_count), (Some(1), Some(2), Some(2)));
    let next = link(info.links.as_deref(), "Next", None).href.clone();
    let page2: m::QueryResult = api.get_doc(&next).await;
    let names: Vec<_> = page2.refs.unwrap_or_default().into_iter().filter_map(|r| r.name).collect();
    assert_eq!(names, ["sql02@2025-08-14 05:44:54"]);

    let quoted = enc(r#"ReplicaName=="File Server Replication";Type==Full"#);
    let result: m::QueryResult = api.get_doc(&api.url(&format!("query?type=VmReplicaPoint&filter={quoted}"))).await;
    assert_eq!(result.refs.map(|r| r.len()), Some(1));

    for bad in ["Bogus==1", "Name=1", "(Name==a", "CreationTime>yesterday"] {
        let response = api.get(&api.url(&format!("query?type=VmReplicaPoint&filter={}", enc(bad)))).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let error: m::Error = common::xml(response).await;
        assert!(error.message.is_some_and(|m| m.contains("filter")), "{bad}");
    }
    assert_eq!(api.get(&api.url("query?type=Nothing")).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(api.get(&api.url("query")).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tasks_can_be_queried() {
    let api = Api::new().await;
    let id = api.sim.state().replica_points[0].id.clone();
    for _ in 0..3 {
        api.call(Method::POST, &api.url(&format!("vmReplicaPoints/{id}?action=failover"))).await;
    }
    api.get(&api.url("tasks/task-2")).await;
    api.get(&api.url("tasks/task-2")).await;
    let result: m::QueryResult =
        api.get_doc(&api.url(&format!("query?type=Task&filter={}", enc("State==Finished")))).await;
    let tasks = result.resources.and_then(|r| r.tasks).expect("tasks");
    assert_eq!(tasks.iter().filter_map(|t| t.task_id.as_deref()).collect::<Vec<_>>(), ["task-2"]);
}
