//! The generated client against the simulator: every call the schema declares, in XML and JSON, and the
//! faults a real EM (or the network in front of it) produces.

use std::time::Duration;

use futures_util::TryStreamExt;
use veeam_em::client::{
    Client, QueryQueryParams, VmReplicaPointGuestFileListAllParams, VmReplicaPointGuestFileListDirsParams,
    VmReplicaPointGuestFileListFilesParams, VmRestorePointGuestFileListAllParams,
};
use veeam_em::model::{
    BackupServer, EntityReference, FileRestoreSpec, FileRestoreSpecTarget, FileRestoreToOriginalSpec, OsKind,
    PlainCredentials, Replica, RestorePointMountSpec, RestoreSession, VmReplicaPoint, VmReplicaPointMount,
    VmRestorePointMount,
};
use veeam_em::runtime::{ClientError, HasLinks, TaskView, WaitOptions, Wire};
use veeam_em_sim::{SimConfig, Simulator, TaskKind};

fn client(sim: &Simulator, wire: Wire) -> Client {
    Client::builder(&sim.base_url())
        .credentials("admin", "secret")
        .wire(wire)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn fast() -> WaitOptions {
    WaitOptions::default().with_delays(Duration::from_millis(1), Duration::from_millis(5))
}

/// The GUID at the end of a `urn:veeam:Kind:GUID` id.
fn guid(uid: Option<&str>) -> String {
    uid.and_then(|u| u.rsplit(':').next()).expect("a UID").to_owned()
}

/// The last path segment of an href (a mount id).
fn last_segment(href: Option<&str>) -> String {
    href.and_then(|h| h.split('?').next()).and_then(|h| h.rsplit('/').next()).expect("an href").to_owned()
}

async fn every_call(wire: Wire) {
    let sim = Simulator::start().await;
    let client = client(&sim, wire);

    // Entry point without a session, then the session and its collections.
    let root = client.enterprise_manager().get().await.expect("entry point");
    assert!(!root.links().is_empty());
    assert_eq!(sim.logons(), 0, "the entry point needs no session");
    let session = client.logon().await.expect("logon");
    assert_eq!(session.user_name.as_deref(), Some("admin"));
    let sessions = client.logon_sessions().get().await.expect("sessions");
    assert_eq!(sessions.items.len(), 1);
    let session_id = session.session_id.clone().expect("session id");
    assert_eq!(client.logon_session(&session_id).get().await.expect("session").session_id, Some(session_id));
    client.query_service().get().await.expect("query service");

    // Replica points: both forms of the collection and of one point.
    let refs = client.vm_replica_points().reference().await.expect("references");
    let entities = client.vm_replica_points().entity().await.expect("entities");
    assert_eq!(refs.items.len(), entities.items.len());
    let id = guid(refs.items[0].uid.as_deref());
    let point = client.vm_replica_point(&id);
    let reference = point.reference().await.expect("reference");
    let entity: VmReplicaPoint = client.resolve(&reference).await.expect("reference resolves to the entity");
    assert_eq!(entity, point.entity().await.expect("entity"));

    // Neighbours by typed links.
    let replica_ref: EntityReference = client.follow_type(&entity, "Up", "ReplicaReference").await.expect("replica");
    let replica: Replica = client.resolve(&replica_ref).await.expect("replica entity");
    let replica_id = guid(replica.uid.as_deref());
    assert_eq!(client.replica(&replica_id).reference().await.expect("replica ref").uid, replica.uid);
    assert_eq!(client.replica(&replica_id).entity().await.expect("replica entity"), replica);
    let of_replica = client.replica_vm_replica_points(&replica_id).reference().await.expect("points of replica");
    assert!(of_replica.items.iter().any(|r| r.uid == entity.uid));
    let server_ref: EntityReference = client.follow_type(&entity, "Up", "BackupServerReference").await.expect("server");
    let server: BackupServer = client.resolve(&server_ref).await.expect("server entity");
    let server_id = guid(server.uid.as_deref());
    assert_eq!(client.backup_server(&server_id).reference().await.expect("server ref").uid, server.uid);
    assert_eq!(client.backup_server(&server_id).entity().await.expect("server entity"), server);
    let collect = client.backup_server(&server_id).collect().await.expect("collect");
    client.wait(&collect, &fast()).await.expect("collect finishes");

    // Failover: a task whose finished form links the restore session.
    let task = point.failover().await.expect("failover");
    assert_eq!(task.state(), Some("Running"));
    let done = client.wait(&task, &fast()).await.expect("failover finishes");
    let restore: RestoreSession = client.follow(&done, "Related").await.expect("restore session");
    let restore_id = guid(restore.uid.as_deref());
    assert_eq!(client.restore_session(&restore_id).entity().await.expect("restore session"), restore);
    assert_eq!(client.restore_session(&restore_id).reference().await.expect("its reference").uid, restore.uid);

    // Tasks of the session.
    let tasks = client.tasks().get().await.expect("tasks");
    assert!(tasks.items.len() >= 2);
    let task_id = done.task_id.clone().expect("task id");
    assert_eq!(client.task(&task_id).get().await.expect("task").task_id, Some(task_id.clone()));
    client.task(&task_id).delete().await.expect("task delete");

    // Mounts and guest files.
    let mounts = client.vm_replica_point_mounts(&id);
    let task = mounts.create(&RestorePointMountSpec { os_kind: Some(OsKind::Linux) }).await.expect("mount");
    let done = client.wait(&task, &fast()).await.expect("mount finishes");
    let mount: VmReplicaPointMount = client.follow(&done, "Related").await.expect("the mount");
    let mount_id = last_segment(mount.href.as_deref());
    assert_eq!(mounts.get().await.expect("mounts").items.len(), 1);
    assert_eq!(client.vm_replica_point_mount(&id, &mount_id).get().await.expect("mount"), mount);

    let docs = client.vm_replica_point_guest_file(&id, &mount_id, "E:/Documentation 2014");
    let entry = docs.entry().await.expect("directory entry");
    assert!(entry.entry.is_some());
    let all = docs.all_entries().await.expect("listAll");
    let dirs = docs.directories().await.expect("listDirs");
    let files = docs.files().await.expect("listFiles");
    assert_eq!(dirs.directories.as_ref().map_or(0, Vec::len), 1);
    assert_eq!(files.files.as_ref().map_or(0, Vec::len), 1);
    assert_eq!(all.directories, dirs.directories);
    let paged = docs.list_all(&VmReplicaPointGuestFileListAllParams::default()).await.expect("list_all");
    assert_eq!(paged.files, all.files);
    docs.list_dirs(&VmReplicaPointGuestFileListDirsParams::default()).await.expect("list_dirs");
    docs.list_files(&VmReplicaPointGuestFileListFilesParams { page_size: Some(1), page: Some(1) })
        .await
        .expect("list_files");

    // Thirty log files, eight to a page: four pages, fetched as the stream is read.
    let logs = client.vm_replica_point_guest_file(&id, &mount_id, "E:/Logs");
    let before = sim.requests("action=listAll");
    let pages: Vec<_> = logs
        .list_all_pages(&VmReplicaPointGuestFileListAllParams { page_size: Some(8), page: None })
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 4);
    assert_eq!(sim.requests("action=listAll") - before, 4, "one request per page, none after the last");
    let names: Vec<_> = pages.iter().flat_map(|p| p.files.iter().flatten()).filter_map(|f| f.name.clone()).collect();
    assert_eq!(names.len(), veeam_em_sim::files::LOG_FILES);

    // Restore in place, and for download with a name that needs escaping.
    let credentials = PlainCredentials { user_name: "CORP\\admin".into(), password: "pw".into() };
    let in_place = FileRestoreSpec {
        target: Some(FileRestoreSpecTarget::ToOriginalLocation(FileRestoreToOriginalSpec {
            guest_credentials: Some(credentials),
            overwrite: Some(true),
            permissions_only: None,
        })),
    };
    let plans = client.vm_replica_point_guest_file(&id, &mount_id, "E:/Projects/R&D Plans.docx");
    client.wait(&plans.restore(&in_place).await.expect("restore"), &fast()).await.expect("restored");
    let for_download = FileRestoreSpec { target: Some(FileRestoreSpecTarget::ForDirectDownload) };
    let done = client.wait(&plans.restore(&for_download).await.expect("restore"), &fast()).await.expect("ready");
    assert!(done.links().iter().any(|l| l.rel == "Download"), "the finished task links the download");
    let bytes = plans.download().await.expect("download").bytes().await.expect("bytes");
    assert_eq!(bytes.as_ref(), veeam_em_sim::files::content("E:/Projects/R&D Plans.docx", 2048).as_slice());

    client.vm_replica_point_mount(&id, &mount_id).delete().await.expect("unmount");
    assert!(mounts.get().await.expect("mounts").items.is_empty());

    // The same family on restore points.
    let restore_refs = client.vm_restore_points().reference().await.expect("restore point refs");
    assert!(!client.vm_restore_points().entity().await.expect("restore points").items.is_empty());
    let rp = guid(restore_refs.items[0].uid.as_deref());
    client.vm_restore_point(&rp).reference().await.expect("restore point ref");
    client.vm_restore_point(&rp).entity().await.expect("restore point");
    client.wait(&client.vm_restore_point(&rp).restore().await.expect("vm restore"), &fast()).await.expect("done");
    let task = client
        .vm_restore_point_mounts(&rp)
        .create(Some(&RestorePointMountSpec { os_kind: None }))
        .await
        .expect("mount");
    let done = client.wait(&task, &fast()).await.expect("mounted");
    let mount: VmRestorePointMount = client.follow(&done, "Related").await.expect("restore point mount");
    let m = last_segment(mount.href.as_deref());
    assert_eq!(client.vm_restore_point_mounts(&rp).get().await.expect("mounts").items.len(), 1);
    client.vm_restore_point_mount(&rp, &m).get().await.expect("mount");
    let c = client.vm_restore_point_guest_file(&rp, &m, "C:");
    c.entry().await.expect("entry");
    c.all_entries().await.expect("all");
    c.directories().await.expect("dirs");
    c.files().await.expect("files");
    c.list_all(&VmRestorePointGuestFileListAllParams::default()).await.expect("list_all");
    let boot = client.vm_restore_point_guest_file(&rp, &m, "C:/boot.ini");
    client.wait(&boot.restore(&for_download).await.expect("restore"), &fast()).await.expect("ready");
    assert_eq!(boot.download().await.expect("download").bytes().await.expect("bytes").len(), 211);
    client.vm_restore_point_mount(&rp, &m).delete().await.expect("unmount");

    // The query service with a filter, sorting and paging.
    let query = QueryQueryParams {
        r#type: "VmReplicaPoint".into(),
        filter: Some(veeam_em::runtime::client::Filter::eq("VmDisplayName", "sql02").to_string()),
        sort_asc: Some("CreationTime".into()),
        page_size: Some(1),
        ..Default::default()
    };
    let pages: Vec<_> = client.query().query_pages(&query).try_collect().await.expect("query pages");
    assert_eq!(pages.len(), 3, "sql02 has three replica points");
    assert!(pages.iter().all(|p| p.refs.as_ref().map_or(0, Vec::len) == 1));

    client.backup_server(&server_id).delete().await.expect("server delete");
    client.logout().await.expect("logout");
    assert!(sim.state().sessions.is_empty());
}

#[tokio::test]
async fn every_call_in_xml() {
    every_call(Wire::Xml).await;
}

#[tokio::test]
async fn every_call_in_json() {
    every_call(Wire::Json).await;
}

#[tokio::test]
async fn a_500_carries_ems_message() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Xml);
    client.logon().await.expect("logon");
    sim.fail_next(1);
    let err = client.tasks().get().await.expect_err("a 500");
    assert_eq!(err.status(), Some(500));
    assert!(err.api().and_then(|a| a.message.as_deref()).is_some_and(|m| !m.is_empty()), "{err}");
}

#[tokio::test]
async fn a_failover_whose_answer_is_lost_is_sent_once() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Xml);
    client.logon().await.expect("logon");
    let refs = client.vm_replica_points().reference().await.expect("points");
    let id = guid(refs.items[0].uid.as_deref());
    sim.drop_next(1, Some(http::Method::POST), "action=failover");
    let err = client.vm_replica_point(&id).failover().await.expect_err("the answer is lost");
    assert!(matches!(err, ClientError::Transport { .. }), "{err:?}");
    assert_eq!(sim.requests("action=failover"), 1, "never sent again");
}

#[tokio::test]
async fn a_get_whose_connection_drops_is_retried() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Xml);
    client.logon().await.expect("logon");
    sim.drop_next(1, Some(http::Method::GET), "/tasks");
    client.tasks().get().await.expect("the retry answers");
    assert_eq!(sim.requests("/tasks"), 2);
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let sim = Simulator::start().await;
    let client = Client::builder(&sim.base_url())
        .credentials("admin", "secret")
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    sim.set_latency(Duration::from_millis(500));
    let err = client.enterprise_manager().get().await.expect_err("too slow");
    assert!(matches!(err, ClientError::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_call_succeeds() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Xml);
    client.logon().await.expect("logon");
    client.tasks().get().await.expect("tasks");
    sim.expire_sessions();
    client.tasks().get().await.expect("tasks after a re-logon");
    assert_eq!(sim.logons(), 2);
}

#[tokio::test]
async fn a_failed_task_is_an_error_with_ems_message() {
    let sim = Simulator::start_with(SimConfig { fail_tasks: vec![TaskKind::Failover], ..SimConfig::default() }).await;
    let client = client(&sim, Wire::Xml);
    let refs = client.vm_replica_points().reference().await.expect("points");
    let task = client.vm_replica_point(&guid(refs.items[0].uid.as_deref())).failover().await.expect("started");
    match client.wait(&task, &fast()).await {
        Err(ClientError::TaskFailed { message }) => assert!(!message.is_empty()),
        other => panic!("expected a failed task, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_credentials_fail_authentication() {
    let sim = Simulator::start().await;
    let client = Client::builder(&sim.base_url()).credentials("admin", "wrong").build().expect("client");
    assert!(matches!(client.logon().await, Err(ClientError::AuthenticationFailed)));
    // A session call logs on by itself and fails the same way.
    assert!(matches!(client.tasks().get().await, Err(ClientError::AuthenticationFailed)));
}

#[tokio::test]
async fn no_server_listening_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = Client::builder(&format!("http://127.0.0.1:{port}")).credentials("a", "b").build().expect("client");
    let err = client.enterprise_manager().get().await.expect_err("nobody there");
    assert!(matches!(err, ClientError::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn hrefs_from_documents_make_typed_handles() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Xml);
    let refs = client.vm_replica_points().reference().await.expect("points");
    let href = refs.items[0].href.clone().expect("href");
    let handle = veeam_em::client::VmReplicaPointApi::from_href(&client, &href).expect("a point address");
    assert_eq!(handle.reference().await.expect("reference").uid, refs.items[0].uid);
    let err = veeam_em::client::TaskApi::from_href(&client, &href).expect_err("not a task address");
    assert!(matches!(err, ClientError::InvalidUrl { .. }), "{err:?}");
}

#[tokio::test]
async fn concurrent_callers_share_one_client() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Json);
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.tasks().get().await })
    });
    for call in calls {
        call.await.expect("joined").expect("tasks");
    }
    assert_eq!(sim.logons(), 1, "one session for all clones");
}
