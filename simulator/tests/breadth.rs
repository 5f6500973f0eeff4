//! The generated client against the simulator for the jobs, sessions, repositories, backups, restore points
//! and backup files: every call those resources declare, in XML and JSON, with the links between them.

use std::time::Duration;

use veeam_em::client::{Client, QueryQueryParams};
use veeam_em::model::{
    Backup, BackupJobCloneInfo, BackupJobSession, BackupList, BackupType, CreateObjectInJobSpec, EntityReference,
    EntityReferenceList, Job, JobCloneSpec, JobCloneSpecInfo, JobInfoSettings, JobScheduleOptions,
    JobScheduleOptionsMode, JobScheduleRetryOptions, JobSessionState, JobType, Link, LinkedBackupRepositorySpec,
    LinkedJobSpec, Repository, RestorePoint, SessionResult, StandardScheduleOptions, TaskOperation, VmReplicaPoint,
    VmRestorePoint,
};
use veeam_em::runtime::{ClientError, HasLinks, WaitOptions, Wire};
use veeam_em_sim::{Simulator, TaskKind};

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

/// The GUIDs of a reference list.
fn ids(list: &EntityReferenceList) -> Vec<String> {
    list.items.iter().map(|r| guid(r.uid.as_deref())).collect()
}

fn has_link(doc: &impl HasLinks<Link = Link>, rel: &str, link_type: Option<&str>) -> bool {
    doc.links().iter().any(|l| l.rel == rel && l.link_type.as_deref() == link_type)
}

async fn repositories_backups_and_points(client: &Client) {
    // Repositories, with capacity and free space.
    let refs = client.repositories().reference().await.expect("repository refs");
    let all = client.repositories().entity().await.expect("repositories");
    assert_eq!(refs.items.len(), 2);
    assert_eq!(all.items.len(), 2);
    let repo_id = ids(&refs)[0].clone();
    let repo = client.repository(&repo_id);
    let reference = repo.reference().await.expect("repository ref");
    let entity: Repository = client.resolve(&reference).await.expect("reference resolves to the entity");
    assert_eq!(entity, repo.entity().await.expect("repository"));
    let (capacity, free) = (entity.capacity.expect("capacity"), entity.free_space.expect("free space"));
    assert!(0 < free && free <= capacity, "{free} of {capacity}");
    let backups_here: EntityReferenceList =
        client.follow_type(&entity, "Down", "BackupReferenceList").await.expect("backups link");
    assert_eq!(backups_here, client.repository_backups(&repo_id).reference().await.expect("repository backups"));
    assert!(!backups_here.items.is_empty());
    let replicas_here = client.repository_replicas(&repo_id).reference().await.expect("repository replicas");
    assert_eq!(replicas_here.items.len(), 3);

    // Backups: the job's standard backup and an agent parent with one child.
    let backup_refs = client.backups().reference().await.expect("backup refs");
    let backups = client.backups().entity().await.expect("backups");
    assert_eq!(backup_refs.items.len(), backups.items.len());
    let standard = backups.items.iter().find(|b| b.backup_type == Some(BackupType::Standard)).expect("standard");
    let backup_id = guid(standard.uid.as_deref());
    let backup = client.backup(&backup_id);
    assert_eq!(backup.reference().await.expect("backup ref").uid, standard.uid);
    assert_eq!(&backup.entity().await.expect("backup"), standard);
    let points = client.backup_restore_points(&backup_id).reference().await.expect("backup restore points");
    let files = client.backup_backup_files(&backup_id).reference().await.expect("backup files");
    assert_eq!((points.items.len(), files.items.len()), (3, 3));
    let parent = backups.items.iter().find(|b| b.backup_type == Some(BackupType::ParentBackup)).expect("parent");
    let parent_id = guid(parent.uid.as_deref());
    let children = client.backup_child_backups(&parent_id).reference().await.expect("child refs");
    let child_entities = client.backup_child_backups(&parent_id).entity().await.expect("children");
    assert_eq!((children.items.len(), child_entities.items.len()), (1, 1));
    let followed: BackupList = client.follow_type(parent, "Up", "BackupList").await.expect("children by link");
    assert_eq!(followed, child_entities);
    assert_eq!(child_entities.items[0].backup_type, Some(BackupType::ChildBackup));

    // Restore points: each holds the VM restore points of one night and one backup file.
    let point_refs = client.restore_points().reference().await.expect("restore point refs");
    assert_eq!(client.restore_points().entity().await.expect("restore points").items.len(), point_refs.items.len());
    let point_id = ids(&points)[2].clone();
    let point = client.restore_point(&point_id);
    let entity: RestorePoint = client.resolve(&point.reference().await.expect("ref")).await.expect("resolves");
    assert_eq!(entity, point.entity().await.expect("restore point"));
    assert!(entity.backup_date_utc.is_some());
    let up: EntityReference = client.follow_type(&entity, "Up", "BackupReference").await.expect("its backup");
    let up: Backup = client.resolve(&up).await.expect("the backup entity");
    assert_eq!(&up, standard);
    let vm_points = client.restore_point_vm_restore_points(&point_id).reference().await.expect("vm points");
    assert_eq!(vm_points.items.len(), 2, "web01 and sql02 were backed up that night");
    let point_files = client.restore_point_backup_files(&point_id).reference().await.expect("point files");
    assert_eq!(point_files.items.len(), 1);
    // The VM restore point links back up to its restore point and backup file.
    let vm_point: VmRestorePoint = client.resolve(&vm_points.items[0]).await.expect("vm restore point");
    let up_point: EntityReference =
        client.follow_type(&vm_point, "Up", "RestorePointReference").await.expect("up to the restore point");
    assert_eq!(guid(up_point.uid.as_deref()), point_id);
    assert!(has_link(&vm_point, "Up", Some("BackupFileReference")));

    // Backup files.
    let file_refs = client.backup_files().reference().await.expect("backup file refs");
    let file_entities = client.backup_files().entity().await.expect("backup files");
    assert_eq!(file_refs.items.len(), file_entities.items.len());
    let file_id = ids(&point_files)[0].clone();
    let file = client.backup_file(&file_id);
    let file_entity = file.entity().await.expect("backup file");
    assert_eq!(file.reference().await.expect("file ref").uid, file_entity.uid);
    assert!(file_entity.backup_size.is_some() && file_entity.deduplication_ratio.is_some());
    assert_eq!(ids(&client.backup_file_restore_points(&file_id).reference().await.expect("file points")), [point_id]);
    let file_vm_points = client.backup_file_vm_restore_points(&file_id).reference().await.expect("file vm points");
    assert_eq!(file_vm_points, vm_points);
    // The example's swapped link types still lead to reference lists.
    let related: EntityReferenceList =
        client.follow_type(&entity, "Related", "RestorePointReferenceList").await.expect("files of the point");
    assert_eq!(related, point_files);
}

async fn sessions(client: &Client) {
    // Backup job sessions: three finished nights and one still running.
    let refs = client.backup_sessions().reference().await.expect("backup session refs");
    let all = client.backup_sessions().entity().await.expect("backup sessions");
    assert_eq!(refs.items.len(), all.items.len());
    let running = all.items.iter().find(|s| s.state == Some(JobSessionState::Working)).expect("a running session");
    let finished = all.items.iter().find(|s| s.state == Some(JobSessionState::Stopped)).expect("a finished one");
    let finished_id = guid(finished.uid.as_deref());
    let session = client.backup_session(&finished_id);
    let entity: BackupJobSession = client.resolve(&session.reference().await.expect("ref")).await.expect("entity");
    assert_eq!(&entity, finished);
    assert_eq!(session.entity().await.expect("session"), entity);
    assert_eq!(entity.result, Some(SessionResult::Success));
    let point_ref: EntityReference =
        client.follow_type(&entity, "Related", "RestorePointReference").await.expect("restore point made");
    assert!(point_ref.uid.is_some());
    let job_ref: EntityReference = client.follow_type(&entity, "Up", "JobReference").await.expect("its job");
    assert_eq!(job_ref.name, entity.job_name);

    let tasks = client.backup_session_task_sessions(&finished_id);
    let task_refs = tasks.reference().await.expect("task session refs");
    let task_entities = tasks.entity().await.expect("task sessions");
    assert_eq!(task_refs.items.len(), task_entities.items.len());
    assert!(!task_refs.items.is_empty());
    let all_tasks = client.backup_task_sessions().reference().await.expect("all backup task sessions");
    assert!(all_tasks.items.len() > task_refs.items.len());
    assert!(client.backup_task_sessions().entity().await.expect("entities").items.len() == all_tasks.items.len());
    let task_id = ids(&task_refs)[0].clone();
    let task = client.backup_task_session(&task_id);
    let task_entity = task.entity().await.expect("task session");
    assert_eq!(task.reference().await.expect("task ref").uid, task_entity.uid);
    let made: VmRestorePoint = client.follow(&task_entity, "Related").await.expect("the VM restore point made");
    assert_eq!(made.vm_display_name, task_entity.vm_display_name);

    // Stopping the running session.
    let running_id = guid(running.uid.as_deref());
    let stop = client.backup_session(&running_id).stop().await.expect("stop");
    let done = client.wait(&stop, &fast()).await.expect("stopped");
    assert_eq!(done.operation, Some(TaskOperation::StopJobSession));
    let after = client.backup_session(&running_id).entity().await.expect("session");
    assert_eq!(after.state, Some(JobSessionState::Stopped));
    assert!(after.end_time_utc.is_some());

    // Replication sessions made the replica points.
    let refs = client.replica_sessions().reference().await.expect("replica session refs");
    let all = client.replica_sessions().entity().await.expect("replica sessions");
    assert_eq!(refs.items.len(), all.items.len());
    let id = ids(&refs)[0].clone();
    let session = client.replica_session(&id);
    assert_eq!(session.reference().await.expect("ref").uid, session.entity().await.expect("entity").uid);
    let tasks = client.replica_session_task_sessions(&id);
    let task_refs = tasks.reference().await.expect("refs");
    assert_eq!(task_refs.items.len(), tasks.entity().await.expect("entities").items.len());
    let all_tasks = client.replica_task_sessions().reference().await.expect("all replica task sessions");
    assert_eq!(all_tasks.items.len(), client.replica_task_sessions().entity().await.expect("entities").items.len());
    let task = client.replica_task_session(&ids(&task_refs)[0]);
    let task_entity = task.entity().await.expect("replica task session");
    assert_eq!(task.reference().await.expect("ref").uid, task_entity.uid);
    let made: VmReplicaPoint = client.follow(&task_entity, "Related").await.expect("the replica point made");
    assert!(made.uid.is_some());
}

async fn jobs(client: &Client) {
    let refs = client.jobs().reference().await.expect("job refs");
    let all = client.jobs().entity().await.expect("jobs");
    assert_eq!(refs.items.len(), 3);
    assert_eq!(all.items.len(), 3);
    let backup_job = all.items.iter().find(|j| j.job_type == Some(JobType::Backup)).expect("backup job");
    let copy_job = all.items.iter().find(|j| j.job_type == Some(JobType::ImmediateBackupCopy)).expect("copy job");
    let id = guid(backup_job.uid.as_deref());
    let job = client.job(&id);
    let entity: Job = client.resolve(&job.reference().await.expect("job ref")).await.expect("resolves");
    assert_eq!(&entity, backup_job);
    assert_eq!(job.entity().await.expect("job"), entity);

    // The schedule and settings as EM shows them.
    let Some(JobScheduleOptionsMode::Standard(schedule)) =
        entity.job_schedule_options.as_ref().and_then(|o| o.mode.as_ref())
    else {
        panic!("a standard schedule: {:?}", entity.job_schedule_options);
    };
    let daily = schedule.options_daily.as_ref().expect("daily");
    assert_eq!((daily.enabled, daily.days.len()), (Some(true), 7));
    let window = schedule.options_backup_window.as_ref().and_then(|w| w.time_periods.as_ref()).expect("window");
    assert_eq!(window.len(), 7);
    assert!(window.iter().all(|day| day.value.split(',').count() == 24));
    let Some(JobInfoSettings::BackupJobInfo(info)) = entity.job_info.as_ref().and_then(|i| i.settings.as_ref()) else {
        panic!("backup job settings");
    };
    assert_eq!(info.includes.as_ref().map(Vec::len), Some(2));

    let sessions = client.job_backup_sessions(&id).reference().await.expect("job sessions");
    assert_eq!(sessions.items.len(), 4);

    // Start, stop, retry: each a task with EM's message; starting adds a session.
    let done = client.wait(&job.start().await.expect("start"), &fast()).await.expect("started");
    assert_eq!(done.operation, Some(TaskOperation::StartJob));
    let message = done.result.as_ref().and_then(|r| r.message.clone()).unwrap_or_default();
    assert!(message.contains("triggered to start"), "{message}");
    assert_eq!(client.job_backup_sessions(&id).reference().await.expect("sessions").items.len(), 5);
    let done = client.wait(&job.stop().await.expect("stop"), &fast()).await.expect("stopped");
    assert_eq!(done.operation, Some(TaskOperation::StopJob));
    let done = client.wait(&job.retry().await.expect("retry"), &fast()).await.expect("retried");
    assert_eq!(done.operation, Some(TaskOperation::RetryJob));

    // Toggling the schedule.
    let done = client.wait(&job.toggle_schedule_enabled().await.expect("toggle"), &fast()).await.expect("toggled");
    assert_eq!(done.operation, Some(TaskOperation::UpdateJob));
    assert_eq!(job.entity().await.expect("job").schedule_enabled, Some(false));
    client.wait(&job.toggle_schedule_enabled().await.expect("toggle"), &fast()).await.expect("toggled back");

    // Editing: only what the body carries changes.
    let edit = Job {
        job_schedule_options: Some(JobScheduleOptions {
            mode: Some(JobScheduleOptionsMode::Standard(StandardScheduleOptions {
                retry_options: Some(JobScheduleRetryOptions { retry_times: Some(5), ..Default::default() }),
                ..Default::default()
            })),
            ..Default::default()
        }),
        ..Default::default()
    };
    let done = client.wait(&job.edit(&edit).await.expect("edit"), &fast()).await.expect("edited");
    assert_eq!(done.operation, Some(TaskOperation::EditJob));
    let edited = job.entity().await.expect("job");
    let Some(JobScheduleOptionsMode::Standard(schedule)) =
        edited.job_schedule_options.as_ref().and_then(|o| o.mode.as_ref())
    else {
        panic!("a standard schedule");
    };
    let retry = schedule.retry_options.as_ref().expect("retry options");
    assert_eq!((retry.retry_times, retry.retry_timeout), (Some(5), Some(10)));
    assert_eq!(edited.description, entity.description);

    // Objects in the job: list, one, add, remove.
    let includes = client.job_includes(&id);
    let listed = includes.get().await.expect("includes");
    assert_eq!(listed.items.len(), 2);
    let first = listed.items[0].object_in_job_id.clone().expect("object id");
    let one = client.job_include(&id, &first).get().await.expect("include");
    assert_eq!(one, listed.items[0]);
    let spec = CreateObjectInJobSpec {
        hierarchy_obj_ref: Some("urn:VMware:Vm:7f2a1c2e-0000-4000-8000-000000000001.vm-518".into()),
        hierarchy_obj_name: Some("oracle01".into()),
        guest_processing_options: None,
    };
    client.wait(&includes.create(&spec).await.expect("add"), &fast()).await.expect("added");
    let listed = includes.get().await.expect("includes");
    assert_eq!(listed.items.len(), 3);
    assert!(listed.items.iter().any(|o| o.name.as_deref() == Some("oracle01")));
    let done = client.wait(&client.job_include(&id, &first).delete().await.expect("remove"), &fast()).await;
    assert_eq!(done.expect("removed").operation, Some(TaskOperation::UpdateJob));
    assert_eq!(includes.get().await.expect("includes").items.len(), 2);

    // Cloning: the finished task links the new job.
    let spec = JobCloneSpec {
        info: Some(JobCloneSpecInfo::BackupJobCloneInfo(BackupJobCloneInfo {
            job_name: "Web and SQL Backup 02".into(),
            folder_name: Some("Web and SQL Backup 02".into()),
            repository_uid: None,
            description: Some("Cloned".into()),
        })),
    };
    let done = client.wait(&job.clone_job(&spec).await.expect("clone"), &fast()).await.expect("cloned");
    assert_eq!(done.operation, Some(TaskOperation::CloneJob));
    let clone: Job = client.follow(&done, "Related").await.expect("the new job");
    assert_eq!(clone.name.as_deref(), Some("Web and SQL Backup 02"));
    assert_eq!(client.jobs().reference().await.expect("jobs").items.len(), 4);

    // Deleting the clone.
    let clone_id = guid(clone.uid.as_deref());
    let done = client.wait(&client.job(&clone_id).delete().await.expect("delete"), &fast()).await.expect("deleted");
    assert_eq!(done.operation, Some(TaskOperation::DeleteJob));
    let err = client.job(&clone_id).reference().await.expect_err("gone");
    assert_eq!(err.status(), Some(404));

    // The backup copy job: sync, linked jobs and repositories.
    let copy_id = guid(copy_job.uid.as_deref());
    let copy = client.job(&copy_id);
    assert!(has_link(copy_job, "Sync", None));
    let err = copy.start().await.expect_err("a copy job is synced, not started");
    assert_eq!(err.status(), Some(400));
    let done = client.wait(&copy.sync().await.expect("sync"), &fast()).await.expect("synced");
    assert_eq!(done.operation, Some(TaskOperation::StartJobSync));

    let linked_jobs = client.job_linked_jobs(&copy_id);
    assert_eq!(linked_jobs.get().await.expect("linked jobs").items.len(), 1);
    let replica_job = all.items.iter().find(|j| j.job_type == Some(JobType::Replica)).expect("replica job");
    let spec = LinkedJobSpec { linked_job_uid: replica_job.uid.clone() };
    client.wait(&linked_jobs.create(&spec).await.expect("link job"), &fast()).await.expect("linked");
    let listed = linked_jobs.get().await.expect("linked jobs");
    assert_eq!(listed.items.len(), 2);
    let added = listed.items.iter().find(|l| l.linked_job_uid == replica_job.uid).expect("the new link");
    let link_id = added.object_in_job_id.clone().expect("link id");
    client.wait(&client.job_linked_job(&copy_id, &link_id).delete().await.expect("unlink"), &fast()).await.expect("ok");
    assert_eq!(linked_jobs.get().await.expect("linked jobs").items.len(), 1);

    let linked_repos = client.job_linked_repositories(&copy_id);
    assert_eq!(linked_repos.get().await.expect("linked repositories").items.len(), 1);
    let repo = client.repositories().reference().await.expect("repositories").items[0].uid.clone();
    let spec = LinkedBackupRepositorySpec { linked_backup_repository_uid: repo.clone() };
    client.wait(&linked_repos.create(&spec).await.expect("link repository"), &fast()).await.expect("linked");
    let listed = linked_repos.get().await.expect("linked repositories");
    assert_eq!(listed.items.len(), 2);
    let added = listed.items.iter().find(|l| l.linked_backup_repository_uid == repo).expect("the new link");
    let link_id = added.object_in_job_id.clone().expect("link id");
    let unlink = client.job_linked_repository(&copy_id, &link_id).delete().await.expect("unlink");
    client.wait(&unlink, &fast()).await.expect("unlinked");
    assert_eq!(linked_repos.get().await.expect("linked repositories").items.len(), 1);

    // The query service knows the new types.
    let query = QueryQueryParams {
        r#type: "BackupJobSession".into(),
        format: Some("Entities".into()),
        filter: Some(veeam_em::runtime::client::Filter::eq("State", "Stopped").to_string()),
        sort_desc: Some("CreationTime".into()),
        ..Default::default()
    };
    let result = client.query().query(&query).await.expect("query");
    let found = result.entities.and_then(|e| e.backup_job_sessions).expect("sessions");
    assert!(!found.is_empty());
    assert!(found.iter().all(|s| s.state == Some(JobSessionState::Stopped)));
    let names: Vec<_> = found.iter().map(|s| s.creation_time_utc.expect("time").instant()).collect();
    assert!(names.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for kind in ["Job", "ReplicaJobSession", "BackupTaskSession", "ReplicaTaskSession", "Repository", "Backup"] {
        let params = QueryQueryParams { r#type: kind.into(), ..Default::default() };
        let refs = client.query().query(&params).await.unwrap_or_else(|err| panic!("query {kind}: {err}"));
        assert!(refs.refs.is_some_and(|r| !r.is_empty()), "{kind}");
    }
    for kind in ["RestorePoint", "BackupFile"] {
        let params = QueryQueryParams { r#type: kind.into(), format: Some("Entities".into()), ..Default::default() };
        let result = client.query().query(&params).await.unwrap_or_else(|err| panic!("query {kind}: {err}"));
        assert!(result.entities.is_some(), "{kind}");
    }
}

async fn every_call(wire: Wire) {
    let sim = Simulator::start().await;
    let client = client(&sim, wire);
    client.logon().await.expect("logon");
    repositories_backups_and_points(&client).await;
    sessions(&client).await;
    jobs(&client).await;
    client.logout().await.expect("logout");
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
async fn the_logon_session_links_the_new_collections() {
    let sim = Simulator::start().await;
    let client = client(&sim, Wire::Xml);
    let session = client.logon().await.expect("logon");
    let jobs: EntityReferenceList = client.follow_type(&session, "Down", "JobReferenceList").await.expect("jobs");
    assert_eq!(jobs.items.len(), 3);
    let all: veeam_em::model::JobList = client.follow_type(&session, "Down", "JobList").await.expect("job entities");
    assert_eq!(all.items.len(), 3);
    for link_type in [
        "RepositoryReferenceList",
        "BackupReferenceList",
        "RestorePointReferenceList",
        "BackupJobSessionReferenceList",
        "ReplicaJobSessionReferenceList",
        "BackupTaskSessionReferenceList",
        "ReplicaTaskSessionReferenceList",
        "BackupFileReferenceList",
    ] {
        let list: EntityReferenceList =
            client.follow_type(&session, "Down", link_type).await.unwrap_or_else(|err| panic!("{link_type}: {err}"));
        assert!(!list.items.is_empty(), "{link_type}");
    }
}

#[tokio::test]
async fn job_actions_fail_as_configured() {
    let sim = Simulator::start().await;
    sim.fail_tasks(TaskKind::JobStart, true);
    let client = client(&sim, Wire::Xml);
    let refs = client.jobs().reference().await.expect("jobs");
    let job = client.job(&ids(&refs)[0]);
    match client.wait(&job.start().await.expect("started"), &fast()).await {
        Err(ClientError::TaskFailed { message }) => assert!(message.contains("StartJob"), "{message}"),
        other => panic!("expected a failed task, got {other:?}"),
    }
    // The job's last object cannot be removed; a wrong clone kind is refused.
    let replica =
        client.jobs().entity().await.expect("jobs").items.into_iter().find(|j| j.job_type == Some(JobType::Replica));
    let replica_id = guid(replica.expect("replica job").uid.as_deref());
    let only = client.job_includes(&replica_id).get().await.expect("includes").items[0].object_in_job_id.clone();
    let err = client.job_include(&replica_id, &only.expect("id")).delete().await.expect_err("last object");
    assert_eq!(err.status(), Some(400));
    let spec = JobCloneSpec {
        info: Some(JobCloneSpecInfo::BackupJobCloneInfo(BackupJobCloneInfo {
            job_name: "wrong kind".into(),
            folder_name: None,
            repository_uid: None,
            description: None,
        })),
    };
    assert_eq!(client.job(&replica_id).clone_job(&spec).await.expect_err("kind mismatch").status(), Some(400));
    assert_eq!(
        client.job("00000000-0000-4000-8000-000000000000").entity().await.expect_err("none").status(),
        Some(404)
    );
}

/// Every new document read over XML and over JSON decodes to the same value: the two encodings of the schedule,
/// the job settings, the sessions and the backups agree.
#[tokio::test]
async fn xml_and_json_agree() {
    let sim = Simulator::start().await;
    let (xml, json) = (client(&sim, Wire::Xml), client(&sim, Wire::Json));
    assert_eq!(xml.jobs().entity().await.expect("xml"), json.jobs().entity().await.expect("json"));
    let job_ids = ids(&xml.jobs().reference().await.expect("jobs"));
    for id in &job_ids {
        assert_eq!(xml.job_includes(id).get().await.expect("xml"), json.job_includes(id).get().await.expect("json"));
        assert_eq!(
            xml.job_linked_jobs(id).get().await.expect("xml"),
            json.job_linked_jobs(id).get().await.expect("json")
        );
        assert_eq!(
            xml.job_linked_repositories(id).get().await.expect("xml"),
            json.job_linked_repositories(id).get().await.expect("json")
        );
    }
    assert_eq!(
        xml.backup_sessions().entity().await.expect("xml"),
        json.backup_sessions().entity().await.expect("json")
    );
    assert_eq!(
        xml.replica_sessions().entity().await.expect("xml"),
        json.replica_sessions().entity().await.expect("json")
    );
    assert_eq!(
        xml.backup_task_sessions().entity().await.expect("xml"),
        json.backup_task_sessions().entity().await.expect("json")
    );
    assert_eq!(
        xml.replica_task_sessions().entity().await.expect("xml"),
        json.replica_task_sessions().entity().await.expect("json")
    );
    assert_eq!(xml.repositories().entity().await.expect("xml"), json.repositories().entity().await.expect("json"));
    assert_eq!(xml.backups().entity().await.expect("xml"), json.backups().entity().await.expect("json"));
    assert_eq!(xml.restore_points().entity().await.expect("xml"), json.restore_points().entity().await.expect("json"));
    assert_eq!(xml.backup_files().entity().await.expect("xml"), json.backup_files().entity().await.expect("json"));
}
