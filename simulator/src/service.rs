//! The generated service trait, implemented over [`Sim`]: authentication, the request's base URL, and one
//! state operation per call. Routing and encoding are the generated crate's business.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::header::HOST;
use veeam_em::client::{
    QueryQueryParams, VmReplicaPointGuestFileListAllParams, VmReplicaPointGuestFileListDirsParams,
    VmReplicaPointGuestFileListFilesParams, VmRestorePointGuestFileListAllParams,
    VmRestorePointGuestFileListDirsParams, VmRestorePointGuestFileListFilesParams,
};
use veeam_em::model as m;
use veeam_em::runtime::server::{Fault, Reply, ServerRequest};
use veeam_em::server::Service;

use crate::faults::Faults;
use crate::inventory::SessionKind;
use crate::state::{Listing, PointKind, QueryParams, Sim};

/// The header carrying the session token, both ways.
pub const SESSION_HEADER: &str = "X-RestSvcSessionId";

/// What the HTTP side and the [`crate::Simulator`] handle share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Mutex<Sim>,
    pub faults: Mutex<Faults>,
    /// Every request seen, as `METHOD /api/path?query`.
    pub log: Mutex<Vec<String>>,
    /// Overrides the Host-derived base of Hrefs (`https://em.example:9398/api`).
    pub base_url: Option<String>,
    /// Where the server listens; the base of Hrefs when a request has no `Host`.
    pub addr: SocketAddr,
}

/// Locks a mutex even if a panicking test thread poisoned it: the data is still consistent for our use
/// (every operation finishes its changes before it can fail).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The service the generated router calls.
#[derive(Clone, Debug)]
pub(crate) struct SimService(pub Arc<Shared>);

impl SimService {
    /// The API root the client used, without a trailing slash: Hrefs must point back at the same host.
    fn base(&self, request: &ServerRequest) -> String {
        if let Some(base) = &self.0.base_url {
            return base.trim_end_matches('/').to_owned();
        }
        let host = request.headers.get(HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty());
        match host {
            Some(host) => format!("http://{host}/api"),
            None => format!("http://{}/api", self.0.addr),
        }
    }

    /// Runs `f` with the state, the base URL and the caller's session token, after checking the token.
    fn with_session<T>(
        &self,
        request: &ServerRequest,
        f: impl FnOnce(&mut Sim, &str, &str) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        let base = self.base(request);
        let mut state = lock(&self.0.state);
        let token = state.authenticate(request.session_token(SESSION_HEADER))?;
        f(&mut state, &base, &token)
    }

    fn mount_list_replica(&self, request: &ServerRequest, id: &str) -> Result<m::VmReplicaPointMountList, Fault> {
        let views = self.with_session(request, |s, base, token| s.mounts(base, token, PointKind::Replica, id))?;
        Ok(m::VmReplicaPointMountList { items: views.into_iter().map(Into::into).collect() })
    }

    fn mount_list_restore(&self, request: &ServerRequest, id: &str) -> Result<m::VmRestorePointMountList, Fault> {
        let views = self.with_session(request, |s, base, token| s.mounts(base, token, PointKind::Restore, id))?;
        Ok(m::VmRestorePointMountList { items: views.into_iter().map(Into::into).collect() })
    }

    #[allow(clippy::too_many_arguments)] // the URL's parts plus the listing's own
    fn listing(
        &self,
        request: &ServerRequest,
        kind: PointKind,
        id: &str,
        mount: &str,
        path: &str,
        listing: Listing,
        page_size: Option<i32>,
        page: Option<i32>,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.with_session(request, |s, base, token| {
            s.listing(base, token, kind, id, mount, path, listing, page_size, page)
        })
    }
}

impl Service for SimService {
    async fn replica_entity(&self, request: &ServerRequest, id: String) -> Result<m::Replica, Fault> {
        self.with_session(request, |s, base, _| s.replica_entity(base, &id))
    }

    async fn replica_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.replica_ref(base, &id))
    }

    async fn replica_vm_replica_points_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.replica_points_of(base, &id))
    }

    async fn backup_server_entity(&self, request: &ServerRequest, id: String) -> Result<m::BackupServer, Fault> {
        self.with_session(request, |s, base, _| s.backup_server_entity(base, &id))
    }

    async fn backup_server_collect(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.collect(base, token, &id))
    }

    async fn backup_server_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.backup_server_ref(base, &id))
    }

    async fn backup_server_delete(&self, request: &ServerRequest, id: String) -> Result<(), Fault> {
        self.with_session(request, |s, _, _| s.backup_server_delete(&id))
    }

    async fn restore_session_entity(&self, request: &ServerRequest, id: String) -> Result<m::RestoreSession, Fault> {
        self.with_session(request, |s, base, _| s.restore_session_entity(base, &id))
    }

    async fn restore_session_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.restore_session_ref(base, &id))
    }

    // ----- repositories, backups, restore points, backup files -----

    async fn repositories_entity(&self, request: &ServerRequest) -> Result<m::RepositoryList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.repositories(base)))
    }

    async fn repositories_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.repository_refs(base)))
    }

    async fn repository_entity(&self, request: &ServerRequest, id: String) -> Result<m::Repository, Fault> {
        self.with_session(request, |s, base, _| s.repository_entity(base, &id))
    }

    async fn repository_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.repository_ref(base, &id))
    }

    async fn repository_backups_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.repository_backups(base, &id))
    }

    async fn repository_replicas_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.repository_replicas(base, &id))
    }

    async fn backups_entity(&self, request: &ServerRequest) -> Result<m::BackupList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.backups(base)))
    }

    async fn backups_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.backup_refs(base)))
    }

    async fn backup_entity(&self, request: &ServerRequest, id: String) -> Result<m::Backup, Fault> {
        self.with_session(request, |s, base, _| s.backup_entity(base, &id))
    }

    async fn backup_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.backup_ref(base, &id))
    }

    async fn backup_restore_points_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.backup_restore_points(base, &id))
    }

    async fn backup_backup_files_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.backup_backup_files(base, &id))
    }

    async fn backup_child_backups_entity(&self, request: &ServerRequest, id: String) -> Result<m::BackupList, Fault> {
        self.with_session(request, |s, base, _| s.backup_children(base, &id))
    }

    async fn backup_child_backups_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.backup_child_refs(base, &id))
    }

    async fn restore_points_entity(&self, request: &ServerRequest) -> Result<m::RestorePointList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.restore_point_entities(base)))
    }

    async fn restore_points_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.restore_point_refs(base)))
    }

    async fn restore_point_entity(&self, request: &ServerRequest, id: String) -> Result<m::RestorePoint, Fault> {
        self.with_session(request, |s, base, _| s.restore_point_entity(base, &id))
    }

    async fn restore_point_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.restore_point_ref(base, &id))
    }

    async fn restore_point_vm_restore_points_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.restore_point_vm_points(base, &id))
    }

    async fn restore_point_backup_files_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.restore_point_files(base, &id))
    }

    async fn backup_files_entity(&self, request: &ServerRequest) -> Result<m::BackupFileList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.backup_file_entities(base)))
    }

    async fn backup_files_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.backup_file_refs(base)))
    }

    async fn backup_file_entity(&self, request: &ServerRequest, id: String) -> Result<m::BackupFile, Fault> {
        self.with_session(request, |s, base, _| s.backup_file_entity(base, &id))
    }

    async fn backup_file_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.backup_file_ref(base, &id))
    }

    async fn backup_file_restore_points_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.backup_file_restore_points(base, &id))
    }

    async fn backup_file_vm_restore_points_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.backup_file_vm_points(base, &id))
    }

    // ----- job sessions and task sessions -----

    async fn backup_sessions_entity(&self, request: &ServerRequest) -> Result<m::BackupJobSessionList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.backup_sessions(base)))
    }

    async fn backup_sessions_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.session_refs(base, SessionKind::Backup)))
    }

    async fn backup_session_entity(&self, request: &ServerRequest, id: String) -> Result<m::BackupJobSession, Fault> {
        self.with_session(request, |s, base, _| s.backup_session(base, &id))
    }

    async fn backup_session_stop(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.stop_session(base, token, &id))
    }

    async fn backup_session_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.session_ref(base, SessionKind::Backup, &id))
    }

    async fn backup_session_task_sessions_entity(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::BackupTaskSessionList, Fault> {
        self.with_session(request, |s, base, _| s.backup_task_sessions(base, Some(&id)))
    }

    async fn backup_session_task_sessions_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.task_session_refs(base, SessionKind::Backup, Some(&id)))
    }

    async fn backup_task_sessions_entity(&self, request: &ServerRequest) -> Result<m::BackupTaskSessionList, Fault> {
        self.with_session(request, |s, base, _| s.backup_task_sessions(base, None))
    }

    async fn backup_task_sessions_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.task_session_refs(base, SessionKind::Backup, None))
    }

    async fn backup_task_session_entity(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::BackupTaskSession, Fault> {
        self.with_session(request, |s, base, _| s.backup_task_session(base, &id))
    }

    async fn backup_task_session_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.task_session_ref(base, SessionKind::Backup, &id))
    }

    async fn replica_sessions_entity(&self, request: &ServerRequest) -> Result<m::ReplicaJobSessionList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.replica_sessions(base)))
    }

    async fn replica_sessions_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.session_refs(base, SessionKind::Replica)))
    }

    async fn replica_session_entity(&self, request: &ServerRequest, id: String) -> Result<m::ReplicaJobSession, Fault> {
        self.with_session(request, |s, base, _| s.replica_session(base, &id))
    }

    async fn replica_session_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.session_ref(base, SessionKind::Replica, &id))
    }

    async fn replica_session_task_sessions_entity(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::ReplicaTaskSessionList, Fault> {
        self.with_session(request, |s, base, _| s.replica_task_sessions(base, Some(&id)))
    }

    async fn replica_session_task_sessions_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.task_session_refs(base, SessionKind::Replica, Some(&id)))
    }

    async fn replica_task_sessions_entity(&self, request: &ServerRequest) -> Result<m::ReplicaTaskSessionList, Fault> {
        self.with_session(request, |s, base, _| s.replica_task_sessions(base, None))
    }

    async fn replica_task_sessions_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.task_session_refs(base, SessionKind::Replica, None))
    }

    async fn replica_task_session_entity(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::ReplicaTaskSession, Fault> {
        self.with_session(request, |s, base, _| s.replica_task_session(base, &id))
    }

    async fn replica_task_session_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.task_session_ref(base, SessionKind::Replica, &id))
    }

    // ----- jobs -----

    async fn jobs_entity(&self, request: &ServerRequest) -> Result<m::JobList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.jobs(base)))
    }

    async fn jobs_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.job_refs(base)))
    }

    async fn job_entity(&self, request: &ServerRequest, id: String) -> Result<m::Job, Fault> {
        self.with_session(request, |s, base, _| s.job_entity(base, &id))
    }

    async fn job_start(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_start(base, token, &id, false))
    }

    async fn job_stop(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_stop(base, token, &id))
    }

    async fn job_retry(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_start(base, token, &id, true))
    }

    async fn job_sync(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_sync(base, token, &id))
    }

    async fn job_toggle_schedule_enabled(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_toggle_schedule(base, token, &id))
    }

    async fn job_clone_job(
        &self,
        request: &ServerRequest,
        id: String,
        body: m::JobCloneSpec,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_clone(base, token, &id, &body))
    }

    async fn job_edit(&self, request: &ServerRequest, id: String, body: m::Job) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_edit(base, token, &id, body))
    }

    async fn job_reference(&self, request: &ServerRequest, id: String) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.job_ref(base, &id))
    }

    async fn job_delete(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_delete(base, token, &id))
    }

    async fn job_backup_sessions_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| s.job_sessions(base, &id))
    }

    async fn job_includes_get(&self, request: &ServerRequest, id: String) -> Result<m::ObjectInJobList, Fault> {
        self.with_session(request, |s, base, _| s.job_includes(base, &id))
    }

    async fn job_includes_create(
        &self,
        request: &ServerRequest,
        id: String,
        body: m::CreateObjectInJobSpec,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_add_include(base, token, &id, body))
    }

    async fn job_include_get(
        &self,
        request: &ServerRequest,
        id: String,
        include_id: String,
    ) -> Result<m::ObjectInJob, Fault> {
        self.with_session(request, |s, base, _| s.job_include(base, &id, &include_id))
    }

    async fn job_include_delete(
        &self,
        request: &ServerRequest,
        id: String,
        include_id: String,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_remove_include(base, token, &id, &include_id))
    }

    async fn job_linked_jobs_get(&self, request: &ServerRequest, id: String) -> Result<m::LinkedJobList, Fault> {
        self.with_session(request, |s, base, _| s.job_linked_jobs(base, &id))
    }

    async fn job_linked_jobs_create(
        &self,
        request: &ServerRequest,
        id: String,
        body: m::LinkedJobSpec,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_link(base, token, &id, body.linked_job_uid.as_deref(), false))
    }

    async fn job_linked_job_delete(
        &self,
        request: &ServerRequest,
        id: String,
        link_id: String,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_unlink(base, token, &id, &link_id, false))
    }

    async fn job_linked_repositories_get(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::LinkedBackupRepositoryList, Fault> {
        self.with_session(request, |s, base, _| s.job_linked_repositories(base, &id))
    }

    async fn job_linked_repositories_create(
        &self,
        request: &ServerRequest,
        id: String,
        body: m::LinkedBackupRepositorySpec,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| {
            s.job_link(base, token, &id, body.linked_backup_repository_uid.as_deref(), true)
        })
    }

    async fn job_linked_repository_delete(
        &self,
        request: &ServerRequest,
        id: String,
        link_id: String,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.job_unlink(base, token, &id, &link_id, true))
    }

    async fn query_query(&self, request: &ServerRequest, params: QueryQueryParams) -> Result<m::QueryResult, Fault> {
        let params = QueryParams {
            type_: params.r#type,
            format: params.format,
            filter: params.filter,
            sort_asc: params.sort_asc,
            sort_desc: params.sort_desc,
            page_size: params.page_size,
            page: params.page,
        };
        self.with_session(request, |s, base, token| s.query(base, token, &params))
    }

    async fn query_service_get(&self, request: &ServerRequest) -> Result<m::QuerySvc, Fault> {
        self.with_session(request, |s, base, _| Ok(s.query_service(base)))
    }

    async fn enterprise_manager_get(&self, request: &ServerRequest) -> Result<m::EnterpriseManager, Fault> {
        // The one call that needs no session: clients read it before logging on.
        let base = self.base(request);
        Ok(lock(&self.0.state).enterprise_manager(&base))
    }

    async fn session_manager_logon(
        &self,
        request: &ServerRequest,
        _body: Option<m::LoginSpec>,
    ) -> Result<Reply<m::LogonSession>, Fault> {
        let base = self.base(request);
        let (token, session) = lock(&self.0.state).logon(&base, request.basic_auth())?;
        Ok(Reply::new(session).with_header(SESSION_HEADER, token))
    }

    async fn logon_sessions_get(&self, request: &ServerRequest) -> Result<m::LogonSessionList, Fault> {
        self.with_session(request, |s, base, token| s.logon_sessions(base, token))
    }

    async fn logon_session_get(&self, request: &ServerRequest, id: String) -> Result<m::LogonSession, Fault> {
        self.with_session(request, |s, base, token| s.logon_session(base, token, &id))
    }

    async fn logon_session_delete(&self, request: &ServerRequest, id: String) -> Result<(), Fault> {
        self.with_session(request, |s, _, token| s.logout(token, &id))
    }

    async fn tasks_get(&self, request: &ServerRequest) -> Result<m::TaskList, Fault> {
        self.with_session(request, |s, base, token| s.tasks(base, token))
    }

    async fn task_get(&self, request: &ServerRequest, task_id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.task(base, token, &task_id))
    }

    async fn task_delete(&self, request: &ServerRequest, task_id: String) -> Result<(), Fault> {
        self.with_session(request, |s, _, token| s.task_delete(token, &task_id))
    }

    async fn vm_replica_points_entity(&self, request: &ServerRequest) -> Result<m::VmReplicaPointList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.replica_points(base)))
    }

    async fn vm_replica_points_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.point_refs(base, PointKind::Replica)))
    }

    async fn vm_replica_point_entity(&self, request: &ServerRequest, id: String) -> Result<m::VmReplicaPoint, Fault> {
        self.with_session(request, |s, base, _| s.replica_point(base, &id))
    }

    async fn vm_replica_point_failover(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.failover(base, token, &id))
    }

    async fn vm_replica_point_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.point_ref(base, PointKind::Replica, &id))
    }

    async fn vm_replica_point_mounts_get(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::VmReplicaPointMountList, Fault> {
        self.mount_list_replica(request, &id)
    }

    async fn vm_replica_point_mounts_create(
        &self,
        request: &ServerRequest,
        id: String,
        _body: m::RestorePointMountSpec,
    ) -> Result<m::Task, Fault> {
        // The OS kind changes nothing here: every mount shows the same Windows-style volumes.
        self.with_session(request, |s, base, token| s.mount(base, token, PointKind::Replica, &id))
    }

    async fn vm_replica_point_mount_get(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
    ) -> Result<m::VmReplicaPointMount, Fault> {
        self.with_session(request, |s, base, token| s.mount_view(base, token, PointKind::Replica, &id, &mount_id))
            .map(Into::into)
    }

    async fn vm_replica_point_mount_delete(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
    ) -> Result<(), Fault> {
        self.with_session(request, |s, _, token| s.unmount(token, PointKind::Replica, &id, &mount_id))
    }

    async fn vm_replica_point_guest_file_list_all(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        params: VmReplicaPointGuestFileListAllParams,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.listing(request, PointKind::Replica, &id, &mount_id, &path, Listing::All, params.page_size, params.page)
    }

    async fn vm_replica_point_guest_file_list_dirs(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        params: VmReplicaPointGuestFileListDirsParams,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.listing(request, PointKind::Replica, &id, &mount_id, &path, Listing::Dirs, params.page_size, params.page)
    }

    async fn vm_replica_point_guest_file_list_files(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        params: VmReplicaPointGuestFileListFilesParams,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.listing(request, PointKind::Replica, &id, &mount_id, &path, Listing::Files, params.page_size, params.page)
    }

    async fn vm_replica_point_guest_file_restore(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        body: m::FileRestoreSpec,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| {
            s.file_restore(base, token, PointKind::Replica, &id, &mount_id, &path, &body)
        })
    }

    async fn vm_replica_point_guest_file_download(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
    ) -> Result<Bytes, Fault> {
        self.with_session(request, |s, _, token| s.download(token, PointKind::Replica, &id, &mount_id, &path))
    }

    async fn vm_replica_point_guest_file_entry(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
    ) -> Result<m::FileSystemEntry, Fault> {
        self.with_session(request, |s, base, token| s.entry(base, token, PointKind::Replica, &id, &mount_id, &path))
    }

    async fn vm_restore_points_entity(&self, request: &ServerRequest) -> Result<m::VmRestorePointList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.restore_points(base)))
    }

    async fn vm_restore_points_reference(&self, request: &ServerRequest) -> Result<m::EntityReferenceList, Fault> {
        self.with_session(request, |s, base, _| Ok(s.point_refs(base, PointKind::Restore)))
    }

    async fn vm_restore_point_entity(&self, request: &ServerRequest, id: String) -> Result<m::VmRestorePoint, Fault> {
        self.with_session(request, |s, base, _| s.restore_point(base, &id))
    }

    async fn vm_restore_point_restore(&self, request: &ServerRequest, id: String) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.vm_restore(base, token, &id))
    }

    async fn vm_restore_point_reference(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::EntityReference, Fault> {
        self.with_session(request, |s, base, _| s.point_ref(base, PointKind::Restore, &id))
    }

    async fn vm_restore_point_mounts_get(
        &self,
        request: &ServerRequest,
        id: String,
    ) -> Result<m::VmRestorePointMountList, Fault> {
        self.mount_list_restore(request, &id)
    }

    async fn vm_restore_point_mounts_create(
        &self,
        request: &ServerRequest,
        id: String,
        _body: Option<m::RestorePointMountSpec>,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| s.mount(base, token, PointKind::Restore, &id))
    }

    async fn vm_restore_point_mount_get(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
    ) -> Result<m::VmRestorePointMount, Fault> {
        self.with_session(request, |s, base, token| s.mount_view(base, token, PointKind::Restore, &id, &mount_id))
            .map(Into::into)
    }

    async fn vm_restore_point_mount_delete(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
    ) -> Result<(), Fault> {
        self.with_session(request, |s, _, token| s.unmount(token, PointKind::Restore, &id, &mount_id))
    }

    async fn vm_restore_point_guest_file_list_all(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        params: VmRestorePointGuestFileListAllParams,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.listing(request, PointKind::Restore, &id, &mount_id, &path, Listing::All, params.page_size, params.page)
    }

    async fn vm_restore_point_guest_file_list_dirs(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        params: VmRestorePointGuestFileListDirsParams,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.listing(request, PointKind::Restore, &id, &mount_id, &path, Listing::Dirs, params.page_size, params.page)
    }

    async fn vm_restore_point_guest_file_list_files(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        params: VmRestorePointGuestFileListFilesParams,
    ) -> Result<m::FileSystemEntries, Fault> {
        self.listing(request, PointKind::Restore, &id, &mount_id, &path, Listing::Files, params.page_size, params.page)
    }

    async fn vm_restore_point_guest_file_restore(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
        body: m::FileRestoreSpec,
    ) -> Result<m::Task, Fault> {
        self.with_session(request, |s, base, token| {
            s.file_restore(base, token, PointKind::Restore, &id, &mount_id, &path, &body)
        })
    }

    async fn vm_restore_point_guest_file_download(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
    ) -> Result<Bytes, Fault> {
        self.with_session(request, |s, _, token| s.download(token, PointKind::Restore, &id, &mount_id, &path))
    }

    async fn vm_restore_point_guest_file_entry(
        &self,
        request: &ServerRequest,
        id: String,
        mount_id: String,
        path: String,
    ) -> Result<m::FileSystemEntry, Fault> {
        self.with_session(request, |s, base, token| s.entry(base, token, PointKind::Restore, &id, &mount_id, &path))
    }
}
