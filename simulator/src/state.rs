//! The simulator's in-memory EM: its data, sessions, tasks and mounts, and every operation on them.
//!
//! Everything here is synchronous and takes the API base URL (`http://host:port/api`) as an argument, because
//! EM's Hrefs are absolute and carry whatever host the client used. The HTTP side (the `service` module) only
//! locks the state, calls one operation and returns the model value.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use bytes::Bytes;
use veeam_em::model as m;
use veeam_em::runtime::server::Fault;
use veeam_em::DateTime;

use crate::files::{self, FileTree, Node};
use crate::filter::{self, Kind, Property};
use crate::util::{encode_path, encode_query, fresh_guid, guid, token};

/// The kind of asynchronous action a task performs; [`crate::SimConfig::fail_tasks`] names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// `POST /vmReplicaPoints/{id}?action=failover`.
    Failover,
    /// `POST /vm{Replica,Restore}Points/{id}/mounts`.
    Mount,
    /// `POST .../mounts/{m}/{path}?action=restore`.
    FileRestore,
    /// `POST /vmRestorePoints/{id}?action=restore`.
    VmRestore,
    /// `POST /backupServers/{id}?action=collect`.
    Collect,
    /// `POST /jobs/{id}?action=start`.
    JobStart,
    /// `POST /jobs/{id}?action=stop`.
    JobStop,
    /// `POST /jobs/{id}?action=retry`.
    JobRetry,
    /// `POST /jobs/{id}?action=sync`.
    JobSync,
    /// `POST /jobs/{id}?action=clone`.
    JobClone,
    /// `PUT /jobs/{id}?action=edit`.
    JobEdit,
    /// Toggling a job's schedule, adding or removing its objects and linked jobs or repositories.
    JobUpdate,
    /// `DELETE /jobs/{id}`.
    JobDelete,
    /// `POST /backupSessions/{id}?action=stop`.
    SessionStop,
}

impl TaskKind {
    fn operation(self) -> m::TaskOperation {
        match self {
            TaskKind::Failover => m::TaskOperation::StartReplicaFailover,
            TaskKind::Mount => m::TaskOperation::MountRestorePoint,
            TaskKind::FileRestore => m::TaskOperation::FileRestoreFromMountPoint,
            TaskKind::VmRestore => m::TaskOperation::StartVmRestore,
            TaskKind::Collect => m::TaskOperation::CollectingBackupServer,
            TaskKind::JobStart => m::TaskOperation::StartJob,
            TaskKind::JobStop => m::TaskOperation::StopJob,
            TaskKind::JobRetry => m::TaskOperation::RetryJob,
            TaskKind::JobSync => m::TaskOperation::StartJobSync,
            TaskKind::JobClone => m::TaskOperation::CloneJob,
            TaskKind::JobEdit => m::TaskOperation::EditJob,
            TaskKind::JobUpdate => m::TaskOperation::UpdateJob,
            TaskKind::JobDelete => m::TaskOperation::DeleteJob,
            TaskKind::SessionStop => m::TaskOperation::StopJobSession,
        }
    }
}

/// Replica points and restore points share mounts, browsing and file restore; this says which family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PointKind {
    /// `/vmReplicaPoints/...`
    Replica,
    /// `/vmRestorePoints/...`
    Restore,
}

impl PointKind {
    fn collection(self) -> &'static str {
        match self {
            PointKind::Replica => "/vmReplicaPoints",
            PointKind::Restore => "/vmRestorePoints",
        }
    }

    fn entity_type(self) -> &'static str {
        match self {
            PointKind::Replica => "VmReplicaPoint",
            PointKind::Restore => "VmRestorePoint",
        }
    }

    fn mount_type(self) -> &'static str {
        match self {
            PointKind::Replica => "VmReplicaPointMount",
            PointKind::Restore => "VmRestorePointMount",
        }
    }
}

/// The backup server.
#[derive(Clone, Debug)]
pub struct BackupServerRec {
    /// GUID.
    pub id: String,
    /// Host name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Product version.
    pub version: String,
    /// Removed by `DELETE /backupServers/{id}`: it then answers 404.
    pub deleted: bool,
}

/// A replica (a replication job's replicated VM).
#[derive(Clone, Debug)]
pub struct ReplicaRec {
    /// GUID.
    pub id: String,
    /// Job name.
    pub name: String,
    /// `VMware`, `Hyperv` or `vCloud`.
    pub platform: &'static str,
}

/// A VM replica point or VM restore point.
#[derive(Clone, Debug)]
pub struct PointRec {
    /// GUID.
    pub id: String,
    /// The VM's display name; the point's name is `<vm>@<yyyy-MM-dd HH:mm:ss>`.
    pub vm: String,
    /// The replica it belongs to (replica points only).
    pub replica: Option<usize>,
    /// When it was created, `2025-08-14T05:44:54Z`.
    pub created: String,
    /// `Full`, `Incremental`, ...
    pub algorithm: &'static str,
    /// `Full`, `Increment`, `ReverseIncrement`, `Snapshot` (replica points only).
    pub point_type: &'static str,
}

impl PointRec {
    /// `sql02@2025-08-14 05:44:54`.
    pub fn name(&self) -> String {
        let when = self.created.trim_end_matches('Z').replacen('T', " ", 1);
        format!("{}@{}", self.vm, when)
    }
}

/// A restore session created by a failover or a VM restore.
#[derive(Clone, Debug)]
pub struct RestoreSessionRec {
    /// GUID.
    pub id: String,
    /// The VM restored.
    pub vm: String,
    /// When it ran.
    pub created: DateTime,
    /// `RestoreVm` or `FileLevelRestore`.
    pub job_type: &'static str,
    /// The restore point it restored from, if any.
    pub restore_point: Option<String>,
}

/// A logon session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The `SessionId` GUID (also in the session's Href).
    pub id: String,
    /// The `X-RestSvcSessionId` token.
    pub token: String,
    /// Who logged on.
    pub user: String,
    /// The last request made with it, for the idle timeout.
    pub last_seen: Instant,
    /// Its tasks, in creation order.
    pub tasks: Vec<TaskRec>,
    next_task: u32,
}

/// What a task does when it completes.
#[derive(Clone, Debug)]
pub enum Action {
    /// Failover of a replica point.
    Failover {
        /// Point id.
        point: String,
    },
    /// Mount of a point.
    Mount {
        /// Which family.
        kind: PointKind,
        /// Point id.
        point: String,
    },
    /// Guest file restore.
    FileRestore {
        /// Which family.
        kind: PointKind,
        /// Point id.
        point: String,
        /// Mount id.
        mount: u32,
        /// The node's stored path.
        path: String,
        /// Whether for download (else to the original location).
        download: bool,
    },
    /// Whole-VM restore from a restore point.
    VmRestore {
        /// Restore point id.
        point: String,
    },
    /// Data collection from the backup server.
    Collect,
    /// A change to the jobs, sessions or backups (see [`crate::inventory::Change`]).
    Inventory(crate::inventory::Change),
}

/// A task.
#[derive(Clone, Debug)]
pub struct TaskRec {
    /// `task-N`.
    pub id: String,
    /// What kind of task.
    pub kind: TaskKind,
    /// What happens when it completes.
    pub action: Action,
    /// How many times it has been read.
    pub polls: u32,
    /// Once completed: success, message and related links (paths relative to the API root).
    pub outcome: Option<Outcome>,
}

/// A completed task's result.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// `Result/@Success`.
    pub success: bool,
    /// `Result/Message`.
    pub message: String,
    /// Links added to the task: `(rel, path, type, name)`.
    pub links: Vec<(String, String, Option<String>, Option<String>)>,
}

/// A mount of a point's disks.
#[derive(Clone, Debug)]
pub struct MountRec {
    /// Which family.
    pub kind: PointKind,
    /// Point id.
    pub point: String,
    /// Mount id, 1, 2, 3 per point.
    pub id: u32,
    /// The owning logon session's id.
    pub session: String,
    /// Stored paths (lower-cased) restored for download through this mount.
    pub downloads: HashSet<String>,
}

/// Which listing of a directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// `action=listAll`.
    All,
    /// `action=listDirs`.
    Dirs,
    /// `action=listFiles`.
    Files,
}

impl Listing {
    fn action(self) -> &'static str {
        match self {
            Listing::All => "listAll",
            Listing::Dirs => "listDirs",
            Listing::Files => "listFiles",
        }
    }

    fn link_type(self) -> &'static str {
        match self {
            Listing::All => "FileSystemItemsList",
            Listing::Dirs => "DirectoryEntryList",
            Listing::Files => "FileEntryList",
        }
    }
}

/// The query parameters of `GET /query`.
#[derive(Clone, Debug, Default)]
pub struct QueryParams {
    /// `type`.
    pub type_: String,
    /// `format`.
    pub format: Option<String>,
    /// `filter`.
    pub filter: Option<String>,
    /// `sortAsc`.
    pub sort_asc: Option<String>,
    /// `sortDesc`.
    pub sort_desc: Option<String>,
    /// `pageSize`.
    pub page_size: Option<i32>,
    /// `page`.
    pub page: Option<i32>,
}

/// The simulator's whole state. Fields are public so tests can reshape the data.
#[derive(Debug)]
pub struct Sim {
    /// Accepted user name.
    pub user: String,
    /// Accepted password.
    pub password: String,
    /// Sessions idle longer than this are gone.
    pub idle_timeout: Duration,
    /// Reads of a task before it reports `Finished` (the read before reports `OperationFinished`).
    pub task_polls: u32,
    /// Task kinds that fail.
    pub fail_tasks: HashSet<TaskKind>,
    /// Page size of guest file listings when the client gives none.
    pub listing_page_size: i32,
    /// The backup server.
    pub backup_server: BackupServerRec,
    /// Replicas.
    pub replicas: Vec<ReplicaRec>,
    /// VM replica points.
    pub replica_points: Vec<PointRec>,
    /// VM restore points.
    pub restore_points: Vec<PointRec>,
    /// Restore sessions.
    pub restore_sessions: Vec<RestoreSessionRec>,
    /// Jobs, their sessions, repositories, backups, restore points and backup files.
    pub inventory: crate::inventory::Inventory,
    /// Logon sessions by token.
    pub sessions: HashMap<String, Session>,
    /// Mounts of every session.
    pub mounts: Vec<MountRec>,
    /// The guest file tree every mount shows.
    pub tree: FileTree,
    /// Successful logons so far.
    pub logons: u64,
    next_mount: HashMap<String, u32>,
}

const SESSION_TOKEN_HEADER: &str = "X-RestSvcSessionId";

const ALGORITHMS: &[&str] = &["Full", "ReversedIncremental", "Incremental", "SyntheticFull"];
const REPLICA_POINT_TYPES: &[&str] = &["Full", "ReverseIncrement", "Increment", "Snapshot"];
const RESTORE_POINT_TYPES: &[&str] = &["Full", "Increment", "ReverseIncrement"];
const TASK_STATES: &[&str] = &["Running", "OperationFinished", "Finished"];

/// Filter and sort properties of `type=VmReplicaPoint` (em-domain §6), in [`Sim::point_property`] order.
const POINT_PROPS: &[Property] = &[
    Property { name: "UID", kind: Kind::Text },
    Property { name: "Name", kind: Kind::Text },
    Property { name: "CreationTime", kind: Kind::Time },
    Property { name: "Type", kind: Kind::Enum(REPLICA_POINT_TYPES) },
    Property { name: "Algorithm", kind: Kind::Enum(ALGORITHMS) },
    Property { name: "ReplicaUid", kind: Kind::Text },
    Property { name: "ReplicaName", kind: Kind::Text },
    Property { name: "VmDisplayName", kind: Kind::Text },
    Property { name: "BackupServerUid", kind: Kind::Text },
    Property { name: "BackupServerName", kind: Kind::Text },
];

/// Like [`POINT_PROPS`] for restore points, whose point types differ and which have no replica.
const RESTORE_POINT_PROPS: &[Property] = &[
    Property { name: "UID", kind: Kind::Text },
    Property { name: "Name", kind: Kind::Text },
    Property { name: "CreationTime", kind: Kind::Time },
    Property { name: "Type", kind: Kind::Enum(RESTORE_POINT_TYPES) },
    Property { name: "Algorithm", kind: Kind::Enum(ALGORITHMS) },
    Property { name: "ReplicaUid", kind: Kind::Text },
    Property { name: "ReplicaName", kind: Kind::Text },
    Property { name: "VmDisplayName", kind: Kind::Text },
    Property { name: "BackupServerUid", kind: Kind::Text },
    Property { name: "BackupServerName", kind: Kind::Text },
];

const TASK_PROPS: &[Property] = &[
    Property { name: "TaskId", kind: Kind::Text },
    Property { name: "State", kind: Kind::Enum(TASK_STATES) },
    Property { name: "Operation", kind: Kind::Text },
];

pub(crate) fn link(base: &str, rel: &str, path: &str, link_type: Option<&str>, name: Option<&str>) -> m::Link {
    m::Link {
        rel: rel.to_owned(),
        href: format!("{base}{path}"),
        name: name.map(str::to_owned),
        link_type: link_type.map(str::to_owned),
    }
}

pub(crate) fn date(text: &str) -> Option<DateTime> {
    DateTime::parse(text).ok()
}

pub(crate) fn same_id(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Sim {
    /// The seeded data: one backup server, three replicas with eight replica points, four restore points.
    pub fn new(user: &str, password: &str, idle_timeout: Duration, task_polls: u32) -> Self {
        let backup_server = BackupServerRec {
            id: guid(1, 1),
            name: "vbr01.tech.local".to_owned(),
            description: "Main backup server".to_owned(),
            version: "13.0.0.1420".to_owned(),
            deleted: false,
        };
        let replicas = vec![
            ReplicaRec { id: guid(2, 1), name: "SQL Replication".to_owned(), platform: "VMware" },
            ReplicaRec { id: guid(2, 2), name: "File Server Replication".to_owned(), platform: "Hyperv" },
            ReplicaRec { id: guid(2, 3), name: "Linux Replication".to_owned(), platform: "VMware" },
        ];
        let seeds: [(&str, usize, &str, &str, &str); 8] = [
            ("sql02", 0, "2025-08-12T05:44:54Z", "Full", "Full"),
            ("sql02", 0, "2025-08-13T05:44:54Z", "Incremental", "Snapshot"),
            ("sql02", 0, "2025-08-14T05:44:54Z", "Incremental", "Snapshot"),
            ("fileserver01", 1, "2025-08-13T20:00:24Z", "Full", "Full"),
            ("fileserver01", 1, "2025-08-14T20:00:24Z", "ReversedIncremental", "ReverseIncrement"),
            ("fileserver01", 1, "2025-08-15T20:00:24Z", "SyntheticFull", "Increment"),
            ("ubuntu88", 2, "2025-08-15T06:00:00Z", "Full", "Snapshot"),
            ("ubuntu88", 2, "2025-08-16T06:00:00Z", "Incremental", "Snapshot"),
        ];
        let replica_points: Vec<PointRec> = seeds
            .iter()
            .enumerate()
            .map(|(i, (vm, replica, created, algorithm, point_type))| PointRec {
                id: guid(3, i as u64),
                vm: (*vm).to_owned(),
                replica: Some(*replica),
                created: (*created).to_owned(),
                algorithm,
                point_type,
            })
            .collect();
        let restore_seeds: [(&str, &str, &str, &str); 4] = [
            ("web01", "2025-08-10T22:00:11Z", "Full", "Full"),
            ("web01", "2025-08-11T22:00:09Z", "Incremental", "Increment"),
            ("web01", "2025-08-12T22:00:13Z", "Incremental", "Increment"),
            ("sql02", "2025-08-12T23:30:00Z", "Full", "Full"),
        ];
        let restore_points: Vec<PointRec> = restore_seeds
            .iter()
            .enumerate()
            .map(|(i, (vm, created, algorithm, point_type))| PointRec {
                id: guid(4, i as u64),
                vm: (*vm).to_owned(),
                replica: None,
                created: (*created).to_owned(),
                algorithm,
                point_type,
            })
            .collect();
        let inventory = crate::inventory::Inventory::sample(&replicas, &restore_points, &replica_points);
        Sim {
            user: user.to_owned(),
            password: password.to_owned(),
            idle_timeout,
            task_polls,
            fail_tasks: HashSet::new(),
            listing_page_size: 100,
            backup_server,
            replicas,
            replica_points,
            restore_points,
            restore_sessions: Vec::new(),
            inventory,
            sessions: HashMap::new(),
            mounts: Vec::new(),
            tree: FileTree::sample(),
            logons: 0,
            next_mount: HashMap::new(),
        }
    }

    // ----- sessions -----

    /// `GET /`: the entry point, readable without a session.
    pub fn enterprise_manager(&self, base: &str) -> m::EnterpriseManager {
        let versions = ["v1_5", "v1_6", "v1_7"]
            .iter()
            .map(|v| m::SupportedVersion {
                name: Some((*v).to_owned()),
                links: Some(vec![link(base, "Create", &format!("/sessionMngr/?v={v}"), Some("LogonSession"), None)]),
            })
            .collect();
        m::EnterpriseManager {
            href: Some(format!("{base}/")),
            link_type: Some("EnterpriseManager".to_owned()),
            links: Some(vec![
                link(base, "Down", "/logonSessions", Some("LogonSessionList"), None),
                link(base, "Create", "/sessionMngr/?v=latest", Some("LogonSession"), None),
            ]),
            supported_versions: Some(versions),
        }
    }

    /// `POST /sessionMngr/`: checks the Basic credentials and opens a session; returns the token and the
    /// session document.
    pub fn logon(
        &mut self,
        base: &str,
        credentials: Option<(String, String)>,
    ) -> Result<(String, m::LogonSession), Fault> {
        let Some((user, password)) = credentials else {
            return Err(Fault::new(401, "Authentication required: send Basic credentials to log on."));
        };
        if user != self.user || password != self.password {
            return Err(Fault::new(401, "Logon failed: unknown user name or bad password."));
        }
        let session = Session {
            id: fresh_guid(),
            token: token(),
            user,
            last_seen: Instant::now(),
            tasks: Vec::new(),
            next_task: 1,
        };
        let document = logon_session(base, &session);
        let token = session.token.clone();
        self.sessions.insert(token.clone(), session);
        self.logons += 1;
        Ok((token, document))
    }

    /// Checks the request's token and returns the token of the live session it names (the key of
    /// [`Sim::sessions`]); expired sessions are ended on the way.
    pub fn authenticate(&mut self, token: Option<&str>) -> Result<String, Fault> {
        let Some(token) = token else {
            return Err(Fault::new(
                401,
                format!("Authentication required: the {SESSION_TOKEN_HEADER} header is missing."),
            ));
        };
        let now = Instant::now();
        let expired = match self.sessions.get_mut(token) {
            None => return Err(Fault::new(401, "The session token is unknown or has expired; log on again.")),
            Some(session) if now.duration_since(session.last_seen) > self.idle_timeout => true,
            Some(session) => {
                session.last_seen = now;
                false
            }
        };
        if expired {
            self.end_session(token);
            return Err(Fault::new(401, "The session has expired; log on again."));
        }
        Ok(token.to_owned())
    }

    /// Ends every session now, as if all had been idle too long.
    pub fn expire_sessions(&mut self) {
        let tokens: Vec<String> = self.sessions.keys().cloned().collect();
        for token in tokens {
            self.end_session(&token);
        }
    }

    fn end_session(&mut self, token: &str) {
        if let Some(session) = self.sessions.remove(token) {
            self.mounts.retain(|mount| mount.session != session.id);
        }
    }

    fn session(&mut self, token: &str) -> Result<&mut Session, Fault> {
        self.sessions.get_mut(token).ok_or_else(Fault::unauthorized)
    }

    /// `GET /logonSessions`: the sessions of the caller's account.
    pub fn logon_sessions(&mut self, base: &str, token: &str) -> Result<m::LogonSessionList, Fault> {
        let user = self.session(token)?.user.clone();
        let mut items: Vec<&Session> = self.sessions.values().filter(|s| s.user == user).collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(m::LogonSessionList { items: items.into_iter().map(|s| logon_session(base, s)).collect() })
    }

    fn session_by_id(&self, token: &str, id: &str) -> Result<String, Fault> {
        let user = self.sessions.get(token).map(|s| s.user.clone()).ok_or_else(Fault::unauthorized)?;
        self.sessions
            .values()
            .find(|s| same_id(&s.id, id) && s.user == user)
            .map(|s| s.token.clone())
            .ok_or_else(|| Fault::not_found(format!("No logon session with id {id}.")))
    }

    /// `GET /logonSessions/{id}`.
    pub fn logon_session(&mut self, base: &str, token: &str, id: &str) -> Result<m::LogonSession, Fault> {
        let target = self.session_by_id(token, id)?;
        let session = self.sessions.get(&target).ok_or_else(|| Fault::not_found("No such logon session."))?;
        Ok(logon_session(base, session))
    }

    /// `DELETE /logonSessions/{id}`: logs off, dropping the session's tasks and mounts.
    pub fn logout(&mut self, token: &str, id: &str) -> Result<(), Fault> {
        let target = self.session_by_id(token, id)?;
        self.end_session(&target);
        Ok(())
    }

    // ----- replica and restore points -----

    fn points(&self, kind: PointKind) -> &[PointRec] {
        match kind {
            PointKind::Replica => &self.replica_points,
            PointKind::Restore => &self.restore_points,
        }
    }

    fn point(&self, kind: PointKind, id: &str) -> Result<&PointRec, Fault> {
        self.points(kind)
            .iter()
            .find(|p| same_id(&p.id, id))
            .ok_or_else(|| Fault::not_found(format!("No {} with id {id}.", kind.entity_type())))
    }

    fn point_up_links(&self, base: &str, point: &PointRec) -> Vec<m::Link> {
        let bs = &self.backup_server;
        let mut links =
            vec![link(base, "Up", &format!("/backupServers/{}", bs.id), Some("BackupServerReference"), Some(&bs.name))];
        if let Some(replica) = point.replica.and_then(|i| self.replicas.get(i)) {
            links.push(link(
                base,
                "Up",
                &format!("/replicas/{}", replica.id),
                Some("ReplicaReference"),
                Some(&replica.name),
            ));
        }
        links.extend(self.inventory.vm_restore_point_up_links(base, &point.id));
        links
    }

    /// A point's reference form (`EntityRef`, or a `Ref` item of a list).
    pub fn point_ref(&self, base: &str, kind: PointKind, id: &str) -> Result<m::EntityReference, Fault> {
        let point = self.point(kind, id)?;
        let path = format!("{}/{}", kind.collection(), point.id);
        let name = point.name();
        let mut links = self.point_up_links(base, point);
        links.push(link(base, "Alternate", &format!("{path}?format=Entity"), Some(kind.entity_type()), Some(&name)));
        Ok(m::EntityReference {
            link_type: Some(format!("{}Reference", kind.entity_type())),
            href: Some(format!("{base}{path}")),
            name: Some(name),
            uid: Some(format!("urn:veeam:{}:{}", kind.entity_type(), point.id)),
            links: Some(links),
        })
    }

    /// The links of a point's entity form.
    fn point_entity_links(&self, base: &str, kind: PointKind, point: &PointRec) -> Vec<m::Link> {
        let path = format!("{}/{}", kind.collection(), point.id);
        let name = point.name();
        let mut links = Vec::new();
        match kind {
            PointKind::Replica => {
                links.push(link(base, "Failover", &format!("{path}?action=failover"), None, Some(&name)))
            }
            PointKind::Restore => {
                links.push(link(base, "Restore", &format!("{path}?action=restore"), None, Some(&name)))
            }
        }
        links.extend(self.point_up_links(base, point));
        let reference = format!("{}Reference", kind.entity_type());
        links.push(link(base, "Alternate", &path, Some(&reference), Some(&name)));
        links.push(link(base, "Down", &format!("{path}/mounts"), Some(&format!("{}List", kind.mount_type())), None));
        links.push(link(base, "Create", &format!("{path}/mounts"), Some(kind.mount_type()), None));
        links
    }

    /// `GET /vmReplicaPoints/{id}?format=Entity`.
    pub fn replica_point(&self, base: &str, id: &str) -> Result<m::VmReplicaPoint, Fault> {
        let point = self.point(PointKind::Replica, id)?;
        Ok(m::VmReplicaPoint {
            link_type: Some("VmReplicaPoint".to_owned()),
            href: Some(format!("{base}/vmReplicaPoints/{}?format=Entity", point.id)),
            name: Some(point.name()),
            uid: Some(format!("urn:veeam:VmReplicaPoint:{}", point.id)),
            vm_display_name: Some(point.vm.clone()),
            links: Some(self.point_entity_links(base, PointKind::Replica, point)),
            creation_time_utc: date(&point.created),
            vm_name: Some(format!("{}_replica", point.vm)),
            algorithm: Some(m::Algorithm::from(point.algorithm)),
            point_type: Some(m::ReplicaPointType::from(point.point_type)),
        })
    }

    /// `GET /vmRestorePoints/{id}?format=Entity`.
    pub fn restore_point(&self, base: &str, id: &str) -> Result<m::VmRestorePoint, Fault> {
        let point = self.point(PointKind::Restore, id)?;
        Ok(m::VmRestorePoint {
            link_type: Some("VmRestorePoint".to_owned()),
            href: Some(format!("{base}/vmRestorePoints/{}?format=Entity", point.id)),
            name: Some(point.name()),
            uid: Some(format!("urn:veeam:VmRestorePoint:{}", point.id)),
            vm_display_name: Some(point.vm.clone()),
            links: Some(self.point_entity_links(base, PointKind::Restore, point)),
            creation_time_utc: date(&point.created),
            vm_name: Some(point.vm.clone()),
            algorithm: Some(m::Algorithm::from(point.algorithm)),
            point_type: Some(m::RestorePointType::from(point.point_type)),
            hierarchy_obj_ref: Some(format!("urn:VMware:Vm:{}.vm-{}", self.backup_server.id, 1000 + point.vm.len())),
        })
    }

    /// `GET /vmReplicaPoints` or `/vmRestorePoints`: references to every point.
    pub fn point_refs(&self, base: &str, kind: PointKind) -> m::EntityReferenceList {
        let items = self.points(kind).iter().filter_map(|p| self.point_ref(base, kind, &p.id).ok()).collect();
        m::EntityReferenceList { items }
    }

    /// `GET /vmReplicaPoints?format=Entity`.
    pub fn replica_points(&self, base: &str) -> m::VmReplicaPointList {
        m::VmReplicaPointList {
            items: self.replica_points.iter().filter_map(|p| self.replica_point(base, &p.id).ok()).collect(),
        }
    }

    /// `GET /vmRestorePoints?format=Entity`.
    pub fn restore_points(&self, base: &str) -> m::VmRestorePointList {
        m::VmRestorePointList {
            items: self.restore_points.iter().filter_map(|p| self.restore_point(base, &p.id).ok()).collect(),
        }
    }

    // ----- replicas, backup server, restore sessions -----

    fn replica(&self, id: &str) -> Result<&ReplicaRec, Fault> {
        self.replicas
            .iter()
            .find(|r| same_id(&r.id, id))
            .ok_or_else(|| Fault::not_found(format!("No replica with id {id}.")))
    }

    /// `GET /replicas/{id}`.
    pub fn replica_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let replica = self.replica(id)?;
        let path = format!("/replicas/{}", replica.id);
        let bs = &self.backup_server;
        Ok(m::EntityReference {
            link_type: Some("ReplicaReference".to_owned()),
            href: Some(format!("{base}{path}")),
            name: Some(replica.name.clone()),
            uid: Some(format!("urn:veeam:Replica:{}", replica.id)),
            links: Some(vec![
                link(base, "Up", &format!("/backupServers/{}", bs.id), Some("BackupServerReference"), Some(&bs.name)),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some("Replica"), Some(&replica.name)),
            ]),
        })
    }

    /// `GET /replicas/{id}?format=Entity`.
    pub fn replica_entity(&self, base: &str, id: &str) -> Result<m::Replica, Fault> {
        let replica = self.replica(id)?;
        let path = format!("/replicas/{}", replica.id);
        let bs = &self.backup_server;
        Ok(m::Replica {
            link_type: Some("Replica".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(replica.name.clone()),
            uid: Some(format!("urn:veeam:Replica:{}", replica.id)),
            links: Some(vec![
                self.inventory.replica_repository_link(base),
                link(base, "Up", &format!("/backupServers/{}", bs.id), Some("BackupServerReference"), Some(&bs.name)),
                link(base, "Alternate", &path, Some("ReplicaReference"), Some(&replica.name)),
                link(base, "Down", &format!("{path}/vmReplicaPoints"), Some("VmReplicaPointReferenceList"), None),
            ]),
            entity_ref: None,
            platform: Some(m::Platform::from(replica.platform)),
        })
    }

    /// `GET /replicas/{id}/vmReplicaPoints`.
    pub fn replica_points_of(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let index = self
            .replicas
            .iter()
            .position(|r| same_id(&r.id, id))
            .ok_or_else(|| Fault::not_found(format!("No replica with id {id}.")))?;
        let items = self
            .replica_points
            .iter()
            .filter(|p| p.replica == Some(index))
            .filter_map(|p| self.point_ref(base, PointKind::Replica, &p.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    fn backup_server(&self, id: &str) -> Result<&BackupServerRec, Fault> {
        let bs = &self.backup_server;
        if same_id(&bs.id, id) && !bs.deleted {
            Ok(bs)
        } else {
            Err(Fault::not_found(format!("No backup server with id {id}.")))
        }
    }

    /// `GET /backupServers/{id}`.
    pub fn backup_server_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let bs = self.backup_server(id)?;
        let path = format!("/backupServers/{}", bs.id);
        Ok(m::EntityReference {
            link_type: Some("BackupServerReference".to_owned()),
            href: Some(format!("{base}{path}")),
            name: Some(bs.name.clone()),
            uid: Some(format!("urn:veeam:BackupServer:{}", bs.id)),
            links: Some(vec![link(
                base,
                "Alternate",
                &format!("{path}?format=Entity"),
                Some("BackupServer"),
                Some(&bs.name),
            )]),
        })
    }

    /// `GET /backupServers/{id}?format=Entity`.
    pub fn backup_server_entity(&self, base: &str, id: &str) -> Result<m::BackupServer, Fault> {
        let bs = self.backup_server(id)?;
        let path = format!("/backupServers/{}", bs.id);
        Ok(m::BackupServer {
            link_type: Some("BackupServer".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(bs.name.clone()),
            uid: Some(format!("urn:veeam:BackupServer:{}", bs.id)),
            links: Some(vec![
                link(base, "Alternate", &path, Some("BackupServerReference"), Some(&bs.name)),
                link(base, "Edit", &path, Some("BackupServerReference"), Some(&bs.name)),
                link(base, "Delete", &path, Some("BackupServerReference"), Some(&bs.name)),
                link(base, "Start", &format!("{path}?action=collect"), None, Some(&bs.name)),
            ]),
            description: Some(bs.description.clone()),
            port: Some(9392),
            version: Some(bs.version.clone()),
            wcf_port: Some(9405),
            vbr_certificate_thumbprint: None,
        })
    }

    /// `DELETE /backupServers/{id}`: the server answers 404 from then on (its points stay).
    pub fn backup_server_delete(&mut self, id: &str) -> Result<(), Fault> {
        self.backup_server(id)?;
        self.backup_server.deleted = true;
        Ok(())
    }

    fn restore_session_rec(&self, id: &str) -> Result<&RestoreSessionRec, Fault> {
        self.restore_sessions
            .iter()
            .find(|s| same_id(&s.id, id))
            .ok_or_else(|| Fault::not_found(format!("No restore session with id {id}.")))
    }

    /// `GET /restoreSessions/{id}`.
    pub fn restore_session_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let rs = self.restore_session_rec(id)?;
        let path = format!("/restoreSessions/{}", rs.id);
        let name = format!("{} restore", rs.vm);
        Ok(m::EntityReference {
            link_type: Some("RestoreSessionReference".to_owned()),
            href: Some(format!("{base}{path}")),
            name: Some(name.clone()),
            uid: Some(format!("urn:veeam:RestoreSession:{}", rs.id)),
            links: Some(vec![link(
                base,
                "Alternate",
                &format!("{path}?format=Entity"),
                Some("RestoreSession"),
                Some(&name),
            )]),
        })
    }

    /// `GET /restoreSessions/{id}?format=Entity`.
    pub fn restore_session_entity(&self, base: &str, id: &str) -> Result<m::RestoreSession, Fault> {
        let rs = self.restore_session_rec(id)?;
        let path = format!("/restoreSessions/{}", rs.id);
        let name = format!("{} restore", rs.vm);
        let bs = &self.backup_server;
        let mut links = vec![
            link(base, "Up", &format!("/backupServers/{}", bs.id), Some("BackupServerReference"), Some(&bs.name)),
            link(base, "Alternate", &path, Some("RestoreSessionReference"), Some(&name)),
        ];
        if let Some(point) = &rs.restore_point {
            links.push(link(
                base,
                "Related",
                &format!("/vmRestorePoints/{point}"),
                Some("VmRestorePointReference"),
                None,
            ));
        }
        Ok(m::RestoreSession {
            link_type: Some("RestoreSession".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(name),
            uid: Some(format!("urn:veeam:RestoreSession:{}", rs.id)),
            links: Some(links),
            vm_display_name: Some(rs.vm.clone()),
            job_uid: None,
            job_name: None,
            job_type: Some(m::RestoreJobType::from(rs.job_type)),
            creation_time_utc: Some(rs.created),
            end_time_utc: Some(rs.created),
            state: Some(m::RestoreSessionState::Stopped),
            result: Some(m::RestoreSessionResult::Success),
            progress: Some(100),
            failure_message: None,
            restored_obj_ref: None,
        })
    }

    // ----- tasks -----

    fn start_task(&mut self, token: &str, kind: TaskKind, action: Action) -> Result<String, Fault> {
        let session = self.session(token)?;
        let id = format!("task-{}", session.next_task);
        session.next_task += 1;
        session.tasks.push(TaskRec { id: id.clone(), kind, action, polls: 0, outcome: None });
        Ok(id)
    }

    /// Renders a task; `poll` counts this read towards its progress (a `GET /tasks/{id}`).
    fn task_view(&mut self, base: &str, token: &str, id: &str, poll: bool) -> Result<m::Task, Fault> {
        let done_at = self.task_polls.max(1);
        let (polls, needs_outcome) = {
            let session = self.session(token)?;
            let task = session
                .tasks
                .iter_mut()
                .find(|t| t.id.eq_ignore_ascii_case(id))
                .ok_or_else(|| Fault::not_found(format!("No task with id {id} in this session.")))?;
            if poll {
                task.polls = task.polls.saturating_add(1);
            }
            (task.polls, task.outcome.is_none() && task.polls + 1 >= done_at && task.polls >= 1)
        };
        if needs_outcome {
            let (kind, action) = {
                let session = self.session(token)?;
                let task = session
                    .tasks
                    .iter()
                    .find(|t| t.id.eq_ignore_ascii_case(id))
                    .ok_or_else(|| Fault::not_found("No such task."))?;
                (task.kind, task.action.clone())
            };
            let outcome = self.complete(token, kind, &action);
            if let Some(task) = self.session(token)?.tasks.iter_mut().find(|t| t.id.eq_ignore_ascii_case(id)) {
                task.outcome = Some(outcome);
            }
        }
        let session = self.session(token)?;
        let task = session
            .tasks
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| Fault::not_found("No such task."))?;
        let state = if polls >= done_at {
            m::TaskState::Finished
        } else if task.outcome.is_some() {
            m::TaskState::OperationFinished
        } else {
            m::TaskState::Running
        };
        Ok(render_task(base, task, state))
    }

    /// Carries out a task's action (or fails it, when its kind is in [`Sim::fail_tasks`]).
    fn complete(&mut self, token: &str, kind: TaskKind, action: &Action) -> Outcome {
        if self.fail_tasks.contains(&kind) {
            return Outcome {
                success: false,
                message: format!(
                    "Simulated failure of {}: the backup server did not answer.",
                    kind.operation().as_str()
                ),
                links: Vec::new(),
            };
        }
        let ok = |links| Outcome { success: true, message: "Ok".to_owned(), links };
        match action {
            Action::Failover { point } | Action::VmRestore { point } => {
                let (vm, restore_point, job_type) = match action {
                    Action::Failover { .. } => (
                        self.point(PointKind::Replica, point).map(|p| p.vm.clone()).unwrap_or_default(),
                        None,
                        "RestoreVm",
                    ),
                    _ => (
                        self.point(PointKind::Restore, point).map(|p| p.vm.clone()).unwrap_or_default(),
                        Some(point.clone()),
                        "RestoreVm",
                    ),
                };
                let id = fresh_guid();
                self.restore_sessions.push(RestoreSessionRec {
                    id: id.clone(),
                    vm: vm.clone(),
                    created: DateTime::from(
                        time::OffsetDateTime::now_utc()
                            .replace_nanosecond(0)
                            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
                    ),
                    job_type,
                    restore_point,
                });
                ok(vec![(
                    "Related".to_owned(),
                    format!("/restoreSessions/{id}?format=Entity"),
                    Some("RestoreSession".to_owned()),
                    Some(format!("{vm} restore")),
                )])
            }
            Action::Mount { kind, point } => {
                let Some(session_id) = self.sessions.get(token).map(|s| s.id.clone()) else {
                    return Outcome {
                        success: false,
                        message: "The logon session has ended.".to_owned(),
                        links: Vec::new(),
                    };
                };
                let key = format!("{:?}/{}", kind, point.to_ascii_lowercase());
                let counter = self.next_mount.entry(key).or_insert(0);
                *counter += 1;
                let id = *counter;
                self.mounts.push(MountRec {
                    kind: *kind,
                    point: point.clone(),
                    id,
                    session: session_id,
                    downloads: HashSet::new(),
                });
                ok(vec![(
                    "Related".to_owned(),
                    format!("{}/{point}/mounts/{id}", kind.collection()),
                    Some(kind.mount_type().to_owned()),
                    Some(format!("{point}@{id}")),
                )])
            }
            Action::FileRestore { kind, point, mount, path, download } => {
                if !*download {
                    return ok(Vec::new());
                }
                let session_id = self.sessions.get(token).map(|s| s.id.clone()).unwrap_or_default();
                let Some(rec) = self
                    .mounts
                    .iter_mut()
                    .find(|m| m.kind == *kind && same_id(&m.point, point) && m.id == *mount && m.session == session_id)
                else {
                    return Outcome { success: false, message: "The mount is gone.".to_owned(), links: Vec::new() };
                };
                rec.downloads.insert(path.to_lowercase());
                ok(vec![(
                    "Download".to_owned(),
                    format!("{}/{point}/mounts/{mount}/{}?action=download", kind.collection(), encode_path(path)),
                    None,
                    Some(path.rsplit('/').next().unwrap_or(path).to_owned()),
                )])
            }
            Action::Collect => ok(Vec::new()),
            Action::Inventory(change) => self.apply(change),
        }
    }

    /// `GET /tasks/{id}`: one more poll of the task.
    pub fn task(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        self.task_view(base, token, id, true)
    }

    /// `GET /tasks`: the session's tasks as they stand (not counted as polls).
    pub fn tasks(&mut self, base: &str, token: &str) -> Result<m::TaskList, Fault> {
        let ids: Vec<String> = self.session(token)?.tasks.iter().map(|t| t.id.clone()).collect();
        let items = ids.iter().map(|id| self.task_view(base, token, id, false)).collect::<Result<_, _>>()?;
        Ok(m::TaskList { items })
    }

    /// `DELETE /tasks/{id}`.
    pub fn task_delete(&mut self, token: &str, id: &str) -> Result<(), Fault> {
        let session = self.session(token)?;
        let before = session.tasks.len();
        session.tasks.retain(|t| !t.id.eq_ignore_ascii_case(id));
        if session.tasks.len() == before {
            return Err(Fault::not_found(format!("No task with id {id} in this session.")));
        }
        Ok(())
    }

    pub(crate) fn new_task(
        &mut self,
        base: &str,
        token: &str,
        kind: TaskKind,
        action: Action,
    ) -> Result<m::Task, Fault> {
        let id = self.start_task(token, kind, action)?;
        // The answer to the POST is the task before any poll: always `Running`.
        let session = self.session(token)?;
        let task = session.tasks.iter().find(|t| t.id == id).ok_or_else(|| Fault::new(500, "task vanished"))?;
        Ok(render_task(base, task, m::TaskState::Running))
    }

    /// `POST /vmReplicaPoints/{id}?action=failover`.
    pub fn failover(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let point = self.point(PointKind::Replica, id)?.id.clone();
        self.new_task(base, token, TaskKind::Failover, Action::Failover { point })
    }

    /// `POST /vmRestorePoints/{id}?action=restore`.
    pub fn vm_restore(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let point = self.point(PointKind::Restore, id)?.id.clone();
        self.new_task(base, token, TaskKind::VmRestore, Action::VmRestore { point })
    }

    /// `POST /backupServers/{id}?action=collect`.
    pub fn collect(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        self.backup_server(id)?;
        self.new_task(base, token, TaskKind::Collect, Action::Collect)
    }

    // ----- mounts -----

    /// `POST /vm{Replica,Restore}Points/{id}/mounts`: starts a mount task; the mount exists once the task is
    /// no longer running.
    pub fn mount(&mut self, base: &str, token: &str, kind: PointKind, id: &str) -> Result<m::Task, Fault> {
        let point = self.point(kind, id)?.id.clone();
        self.new_task(base, token, TaskKind::Mount, Action::Mount { kind, point })
    }

    fn mount_rec(&self, token: &str, kind: PointKind, id: &str, mount: &str) -> Result<&MountRec, Fault> {
        let point = self.point(kind, id)?;
        let session = self.sessions.get(token).ok_or_else(Fault::unauthorized)?;
        let number: Option<u32> = mount.parse().ok();
        self.mounts
            .iter()
            .find(|m| m.kind == kind && same_id(&m.point, &point.id) && Some(m.id) == number && m.session == session.id)
            .ok_or_else(|| {
                Fault::not_found(format!("No mount {mount} of {} {id} in this session.", kind.entity_type()))
            })
    }

    /// A mount with its volume roots: `(href, links, roots)`, shared by both mount document types.
    pub fn mount_view(
        &self,
        base: &str,
        token: &str,
        kind: PointKind,
        id: &str,
        mount: &str,
    ) -> Result<MountView, Fault> {
        let rec = self.mount_rec(token, kind, id, mount)?;
        Ok(self.render_mount(base, rec))
    }

    fn render_mount(&self, base: &str, rec: &MountRec) -> MountView {
        let path = format!("{}/{}/mounts/{}", rec.kind.collection(), rec.point, rec.id);
        let roots = self
            .tree
            .roots()
            .map(|root| m::DirectoryEntry {
                link_type: Some("DirectoryEntry".to_owned()),
                href: Some(format!("{base}{path}/{}", encode_path(&root.path))),
                links: None,
                path: Some(root.path.clone()),
                name: Some(root.name().to_owned()),
            })
            .collect();
        MountView {
            href: format!("{base}{path}"),
            link_type: rec.kind.mount_type(),
            links: vec![link(
                base,
                "Delete",
                &path,
                Some(rec.kind.mount_type()),
                Some(&format!("{}@{}", rec.point, rec.id)),
            )],
            roots,
        }
    }

    /// `GET /vm{Replica,Restore}Points/{id}/mounts`: this session's mounts of the point.
    pub fn mounts(&self, base: &str, token: &str, kind: PointKind, id: &str) -> Result<Vec<MountView>, Fault> {
        let point = self.point(kind, id)?;
        let session = self.sessions.get(token).ok_or_else(Fault::unauthorized)?;
        Ok(self
            .mounts
            .iter()
            .filter(|m| m.kind == kind && same_id(&m.point, &point.id) && m.session == session.id)
            .map(|m| self.render_mount(base, m))
            .collect())
    }

    /// `DELETE .../mounts/{m}`.
    pub fn unmount(&mut self, token: &str, kind: PointKind, id: &str, mount: &str) -> Result<(), Fault> {
        let rec = self.mount_rec(token, kind, id, mount)?;
        let (point, number, session) = (rec.point.clone(), rec.id, rec.session.clone());
        self.mounts.retain(|m| !(m.kind == kind && m.point == point && m.id == number && m.session == session));
        Ok(())
    }

    // ----- guest files -----

    fn node(&self, path: &str) -> Result<&Node, Fault> {
        self.tree
            .find(path)
            .ok_or_else(|| Fault::not_found(format!("No file or directory `{path}` in the mounted guest.")))
    }

    fn entry_links(&self, base: &str, prefix: &str, node: &Node) -> Vec<m::Link> {
        let href = format!("{prefix}/{}", encode_path(&node.path));
        let mut links = Vec::new();
        if let Some(parent) = node.parent() {
            let up = format!("{prefix}/{}?action=listAll&pageSize=100&page=1", encode_path(parent));
            links.push(link(base, "Up", &up, Some("FileSystemItemsList"), None));
        }
        if node.is_dir {
            for (listing, size) in [(Listing::All, 100), (Listing::Dirs, 10), (Listing::Files, 10)] {
                let down = format!("{href}?action={}&pageSize={size}&page=1", listing.action());
                links.push(link(base, "Down", &down, Some(listing.link_type()), None));
            }
        }
        links.push(link(base, "Restore", &format!("{href}?action=restore"), None, None));
        links
    }

    fn dir_entry(&self, base: &str, prefix: &str, node: &Node) -> m::DirectoryEntry {
        m::DirectoryEntry {
            link_type: Some("DirectoryEntry".to_owned()),
            href: Some(format!("{base}{prefix}/{}", encode_path(&node.path))),
            links: Some(self.entry_links(base, prefix, node)),
            path: Some(node.path.clone()),
            name: Some(node.name().to_owned()),
        }
    }

    fn file_entry(&self, base: &str, prefix: &str, node: &Node) -> m::FileEntry {
        m::FileEntry {
            link_type: Some("FileEntry".to_owned()),
            href: Some(format!("{base}{prefix}/{}", encode_path(&node.path))),
            links: Some(self.entry_links(base, prefix, node)),
            path: Some(node.path.clone()),
            name: Some(node.name().to_owned()),
            size: Some(i64::try_from(node.size).unwrap_or(i64::MAX)),
            owner: Some("Administrators".to_owned()),
            modified_date_utc: date("2025-08-01T12:00:00Z"),
            actions: None,
        }
    }

    fn mount_prefix(&self, token: &str, kind: PointKind, id: &str, mount: &str) -> Result<String, Fault> {
        let rec = self.mount_rec(token, kind, id, mount)?;
        Ok(format!("{}/{}/mounts/{}", kind.collection(), rec.point, rec.id))
    }

    /// `GET .../mounts/{m}/{path}`: the file or directory at the path.
    pub fn entry(
        &self,
        base: &str,
        token: &str,
        kind: PointKind,
        id: &str,
        mount: &str,
        path: &str,
    ) -> Result<m::FileSystemEntry, Fault> {
        let prefix = self.mount_prefix(token, kind, id, mount)?;
        let node = self.node(path)?;
        let entry = if node.is_dir {
            m::FileSystemEntryEntry::DirectoryEntry(self.dir_entry(base, &prefix, node))
        } else {
            m::FileSystemEntryEntry::FileEntry(self.file_entry(base, &prefix, node))
        };
        Ok(m::FileSystemEntry { entry: Some(entry), ..Default::default() })
    }

    /// `GET .../mounts/{m}/{path}?action=listAll|listDirs|listFiles[&pageSize=N&page=K]`.
    #[allow(clippy::too_many_arguments)] // one per URL part; a struct would only rename them
    pub fn listing(
        &self,
        base: &str,
        token: &str,
        kind: PointKind,
        id: &str,
        mount: &str,
        path: &str,
        listing: Listing,
        page_size: Option<i32>,
        page: Option<i32>,
    ) -> Result<m::FileSystemEntries, Fault> {
        let prefix = self.mount_prefix(token, kind, id, mount)?;
        let node = self.node(path)?;
        if !node.is_dir {
            return Err(Fault::bad_request(format!("`{}` is a file, not a directory.", node.path)));
        }
        let (size, page) = paging(page_size, page)?;
        let size = size.unwrap_or(usize::try_from(self.listing_page_size).unwrap_or(100).max(1));
        let (dirs, files) = self.tree.children(node);
        let all: Vec<&Node> = match listing {
            Listing::All => dirs.into_iter().chain(files).collect(),
            Listing::Dirs => dirs,
            Listing::Files => files,
        };
        let (range, count) = page_range(all.len(), size, page);
        let shown = &all[range];
        let dir_href = format!("{prefix}/{}", encode_path(&node.path));
        let list_path = |p: usize| format!("{dir_href}?action={}&pageSize={size}&page={p}", listing.action());
        let directories: Vec<m::DirectoryEntry> =
            shown.iter().filter(|n| n.is_dir).map(|n| self.dir_entry(base, &prefix, n)).collect();
        let file_entries: Vec<m::FileEntry> =
            shown.iter().filter(|n| !n.is_dir).map(|n| self.file_entry(base, &prefix, n)).collect();
        Ok(m::FileSystemEntries {
            href: Some(format!("{base}{}", list_path(page))),
            link_type: Some(listing.link_type().to_owned()),
            links: Some(vec![link(base, "Up", &dir_href, Some("DirectoryEntry"), Some(node.name()))]),
            files: (listing != Listing::Dirs).then_some(file_entries),
            directories: (listing != Listing::Files).then_some(directories),
            paging_info: Some(paging_info(base, page, size, count, &list_path)),
        })
    }

    /// `POST .../mounts/{m}/{path}?action=restore`.
    #[allow(clippy::too_many_arguments)] // one per URL part plus the body
    pub fn file_restore(
        &mut self,
        base: &str,
        token: &str,
        kind: PointKind,
        id: &str,
        mount: &str,
        path: &str,
        spec: &m::FileRestoreSpec,
    ) -> Result<m::Task, Fault> {
        let rec = self.mount_rec(token, kind, id, mount)?;
        let (point, mount) = (rec.point.clone(), rec.id);
        let path = self.node(path)?.path.clone();
        let download = match &spec.target {
            Some(m::FileRestoreSpecTarget::ForDirectDownload) => true,
            Some(m::FileRestoreSpecTarget::ToOriginalLocation(_)) => false,
            _ => return Err(Fault::bad_request("FileRestoreSpec needs ToOriginalLocation or ForDirectDownload.")),
        };
        self.new_task(base, token, TaskKind::FileRestore, Action::FileRestore { kind, point, mount, path, download })
    }

    /// `GET .../mounts/{m}/{path}?action=download`: the content, once a for-download restore of exactly this
    /// path has completed in this mount; 404 before.
    pub fn download(&self, token: &str, kind: PointKind, id: &str, mount: &str, path: &str) -> Result<Bytes, Fault> {
        let rec = self.mount_rec(token, kind, id, mount)?;
        let node = self.node(path)?;
        if !rec.downloads.contains(&node.path.to_lowercase()) {
            return Err(Fault::not_found(format!(
                "`{}` has not been restored for download in this mount; restore it with ForDirectDownload first.",
                node.path
            )));
        }
        Ok(Bytes::from(if node.is_dir {
            files::directory_listing(&self.tree, node)
        } else {
            files::content(&node.path, node.size)
        }))
    }

    // ----- query -----

    /// `GET /querySvc`.
    pub fn query_service(&self, base: &str) -> m::QuerySvc {
        m::QuerySvc {
            href: Some(format!("{base}/querySvc")),
            link_type: Some("QueryService".to_owned()),
            links: Some(vec![link(base, "Down", "/query?type=VmReplicaPoint", None, Some("VmReplicaPoint"))]),
        }
    }

    fn point_property(&self, point: &PointRec, kind: PointKind, index: usize) -> String {
        let bs = &self.backup_server;
        let replica = point.replica.and_then(|i| self.replicas.get(i));
        match index {
            0 => format!("urn:veeam:{}:{}", kind.entity_type(), point.id),
            1 => point.name(),
            2 => point.created.clone(),
            3 => point.point_type.to_owned(),
            4 => point.algorithm.to_owned(),
            5 => replica.map(|r| format!("urn:veeam:Replica:{}", r.id)).unwrap_or_default(),
            6 => replica.map(|r| r.name.clone()).unwrap_or_default(),
            7 => point.vm.clone(),
            8 => format!("urn:veeam:BackupServer:{}", bs.id),
            _ => bs.name.clone(),
        }
    }

    /// `GET /query?type=...`: VM replica points, VM restore points or this session's tasks.
    pub fn query(&mut self, base: &str, token: &str, params: &QueryParams) -> Result<m::QueryResult, Fault> {
        let entities = match params.format.as_deref() {
            None => false,
            Some(f) if f.eq_ignore_ascii_case("entities") || f.eq_ignore_ascii_case("entity") => true,
            Some(f) if f.eq_ignore_ascii_case("references") || f.eq_ignore_ascii_case("refs") => false,
            Some(f) => return Err(Fault::bad_request(format!("Unknown format `{f}`: use Entities or leave it out."))),
        };
        let (size, page) = paging(params.page_size, params.page)?;
        let type_ = params.type_.to_ascii_lowercase();
        let kind = match type_.as_str() {
            "vmreplicapoint" => PointKind::Replica,
            "vmrestorepoint" => PointKind::Restore,
            "task" => return self.query_tasks(base, token, params, size, page),
            other => match crate::inventory::QueryKind::parse(other) {
                Some(kind) => return self.query_inventory(base, params, kind, entities, size, page),
                None => {
                    return Err(Fault::bad_request(format!(
                        "Query type `{}` is not supported here; use VmReplicaPoint, VmRestorePoint, Task or {}.",
                        params.type_,
                        crate::inventory::QueryKind::NAMES.join(", ")
                    )))
                }
            },
        };
        let props = if kind == PointKind::Replica { POINT_PROPS } else { RESTORE_POINT_PROPS };
        let get_all = |point: &PointRec| -> Vec<String> {
            (0..props.len()).map(|i| self.point_property(point, kind, i)).collect()
        };
        let rows: Vec<(String, Vec<String>)> = self.points(kind).iter().map(|p| (p.id.clone(), get_all(p))).collect();
        let ids = select_with(rows, props, params)?;
        let total = ids.len();
        let size = size.unwrap_or(total.max(1));
        let (range, count) = page_range(total, size, page);
        let shown = &ids[range];
        let mut result = m::QueryResult::default();
        if entities {
            let mut all = m::QueryEntities::default();
            match kind {
                PointKind::Replica => {
                    all.vm_replica_points =
                        Some(shown.iter().filter_map(|id| self.replica_point(base, id).ok()).collect());
                }
                PointKind::Restore => {
                    all.vm_restore_points =
                        Some(shown.iter().filter_map(|id| self.restore_point(base, id).ok()).collect());
                }
            }
            result.entities = Some(all);
        } else {
            result.refs = Some(shown.iter().filter_map(|id| self.point_ref(base, kind, id).ok()).collect());
        }
        result.paging_info = Some(paging_info(base, page, size, count, &|p| query_href(params, size, p)));
        Ok(result)
    }

    fn query_tasks(
        &mut self,
        base: &str,
        token: &str,
        params: &QueryParams,
        size: Option<usize>,
        page: usize,
    ) -> Result<m::QueryResult, Fault> {
        let tasks = self.tasks(base, token)?.items;
        let rows: Vec<(String, Vec<String>)> = tasks
            .iter()
            .map(|t| {
                let id = t.task_id.clone().unwrap_or_default();
                let state = t.state.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default();
                let op = t.operation.as_ref().map(|o| o.as_str().to_owned()).unwrap_or_default();
                (id.clone(), vec![id, state, op])
            })
            .collect();
        let ids = select_with(rows, TASK_PROPS, params)?;
        let total = ids.len();
        let size = size.unwrap_or(total.max(1));
        let (range, count) = page_range(total, size, page);
        let shown: Vec<m::Task> = ids[range]
            .iter()
            .filter_map(|id| tasks.iter().find(|t| t.task_id.as_deref() == Some(id.as_str())).cloned())
            .collect();
        Ok(m::QueryResult {
            resources: Some(m::QueryResources { tasks: Some(shown) }),
            paging_info: Some(paging_info(base, page, size, count, &|p| query_href(params, size, p))),
            ..Default::default()
        })
    }
}

/// A mount, whichever family: what both mount document types hold.
#[derive(Clone, Debug)]
pub struct MountView {
    /// Absolute Href.
    pub href: String,
    /// `VmReplicaPointMount` or `VmRestorePointMount`.
    pub link_type: &'static str,
    /// The `Delete` link.
    pub links: Vec<m::Link>,
    /// One root per volume.
    pub roots: Vec<m::DirectoryEntry>,
}

impl From<MountView> for m::VmReplicaPointMount {
    fn from(view: MountView) -> Self {
        m::VmReplicaPointMount {
            href: Some(view.href),
            link_type: Some(view.link_type.to_owned()),
            links: Some(view.links),
            fs_roots: Some(view.roots),
        }
    }
}

impl From<MountView> for m::VmRestorePointMount {
    fn from(view: MountView) -> Self {
        m::VmRestorePointMount {
            href: Some(view.href),
            link_type: Some(view.link_type.to_owned()),
            links: Some(view.links),
            fs_roots: Some(view.roots),
        }
    }
}

fn logon_session(base: &str, session: &Session) -> m::LogonSession {
    let path = format!("/logonSessions/{}", session.id);
    m::LogonSession {
        href: Some(format!("{base}{path}")),
        link_type: Some("LogonSession".to_owned()),
        links: Some(vec![
            link(base, "Up", "/", Some("EnterpriseManager"), None),
            link(base, "Down", "/vmRestorePoints", Some("VmRestorePointReferenceList"), None),
            link(base, "Down", "/vmReplicaPoints", Some("VmReplicaPointReferenceList"), None),
            link(base, "Down", "/tasks", Some("TaskList"), None),
            link(base, "Down", "/querySvc", Some("QueryService"), None),
            link(base, "Down", "/vmRestorePoints?format=Entity", Some("VmRestorePointList"), None),
            link(base, "Down", "/vmReplicaPoints?format=Entity", Some("VmReplicaPointList"), None),
            link(base, "Down", "/jobs", Some("JobReferenceList"), None),
            link(base, "Down", "/repositories", Some("RepositoryReferenceList"), None),
            link(base, "Down", "/backups", Some("BackupReferenceList"), None),
            link(base, "Down", "/restorePoints", Some("RestorePointReferenceList"), None),
            link(base, "Down", "/backupSessions", Some("BackupJobSessionReferenceList"), None),
            link(base, "Down", "/replicaSessions", Some("ReplicaJobSessionReferenceList"), None),
            link(base, "Down", "/backupTaskSessions", Some("BackupTaskSessionReferenceList"), None),
            link(base, "Down", "/replicaTaskSessions", Some("ReplicaTaskSessionReferenceList"), None),
            link(base, "Down", "/backupFiles", Some("BackupFileReferenceList"), None),
            link(base, "Down", "/jobs?format=Entity", Some("JobList"), None),
            link(base, "Down", "/repositories?format=Entity", Some("RepositoryList"), None),
            link(base, "Down", "/backups?format=Entity", Some("BackupList"), None),
            link(base, "Down", "/restorePoints?format=Entity", Some("RestorePointList"), None),
            link(base, "Down", "/backupSessions?format=Entity", Some("BackupJobSessionList"), None),
            link(base, "Down", "/replicaSessions?format=Entity", Some("ReplicaJobSessionList"), None),
            link(base, "Down", "/backupTaskSessions?format=Entity", Some("BackupTaskSessionList"), None),
            link(base, "Down", "/replicaTaskSessions?format=Entity", Some("ReplicaTaskSessionList"), None),
            link(base, "Down", "/backupFiles?format=Entity", Some("BackupFileList"), None),
            link(base, "Delete", &path, Some("LogonSession"), None),
        ]),
        user_name: Some(session.user.clone()),
        session_id: Some(session.id.clone()),
    }
}

fn render_task(base: &str, task: &TaskRec, state: m::TaskState) -> m::Task {
    let path = format!("/tasks/{}", task.id);
    let mut links = vec![link(base, "Delete", &path, Some("Task"), None)];
    let mut result = None;
    if state != m::TaskState::Running {
        if let Some(outcome) = &task.outcome {
            for (rel, target, link_type, name) in &outcome.links {
                links.push(link(base, rel, target, link_type.as_deref(), name.as_deref()));
            }
            result = Some(m::TaskResult {
                success: Some(outcome.success),
                message: Some(outcome.message.clone()),
                ..Default::default()
            });
        }
    }
    m::Task {
        href: Some(format!("{base}{path}")),
        link_type: Some("Task".to_owned()),
        links: Some(links),
        task_id: Some(task.id.clone()),
        state: Some(state),
        operation: Some(task.kind.operation()),
        result,
    }
}

/// Checks `pageSize`/`page`: a size must be positive, a page at least 1 (default 1).
fn paging(page_size: Option<i32>, page: Option<i32>) -> Result<(Option<usize>, usize), Fault> {
    let size = match page_size {
        None => None,
        Some(n) if n > 0 => Some(n as usize),
        Some(n) => return Err(Fault::bad_request(format!("pageSize must be positive, not {n}."))),
    };
    let page = match page {
        None => 1,
        Some(n) if n > 0 => n as usize,
        Some(n) => return Err(Fault::bad_request(format!("page counts from 1, not {n}."))),
    };
    Ok((size, page))
}

/// The item range of page `page` and the page count (at least 1, so an empty result has one empty page).
pub(crate) fn page_range(total: usize, size: usize, page: usize) -> (std::ops::Range<usize>, usize) {
    let size = size.max(1);
    let count = total.div_ceil(size).max(1);
    let start = (page - 1).saturating_mul(size).min(total);
    let end = start.saturating_add(size).min(total);
    (start..end, count)
}

pub(crate) fn paging_info(
    base: &str,
    page: usize,
    size: usize,
    count: usize,
    href: &dyn Fn(usize) -> String,
) -> m::PagingInfo {
    let mut links = vec![link(base, "First", &href(1), None, None)];
    if page > 1 {
        links.push(link(base, "Previous", &href((page - 1).min(count)), None, None));
    }
    if page < count {
        links.push(link(base, "Next", &href(page + 1), None, None));
    }
    links.push(link(base, "Last", &href(count), None, None));
    let int = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    m::PagingInfo {
        page_num: Some(int(page)),
        page_size: Some(int(size)),
        pages_count: Some(int(count)),
        links: Some(links),
    }
}

pub(crate) fn query_href(params: &QueryParams, size: usize, page: usize) -> String {
    let mut href = format!("/query?type={}", encode_query(&params.type_));
    for (name, value) in [
        ("format", &params.format),
        ("filter", &params.filter),
        ("sortAsc", &params.sort_asc),
        ("sortDesc", &params.sort_desc),
    ] {
        if let Some(value) = value {
            href.push_str(&format!("&{name}={}", encode_query(value)));
        }
    }
    href.push_str(&format!("&pageSize={size}&page={page}"));
    href
}

/// Filters and sorts `(id, property values)` rows; returns the ids in result order.
pub(crate) fn select_with(
    mut rows: Vec<(String, Vec<String>)>,
    props: &[Property],
    params: &QueryParams,
) -> Result<Vec<String>, Fault> {
    if let Some(text) = params.filter.as_deref().filter(|f| !f.trim().is_empty()) {
        let expr = filter::parse(text, props).map_err(Fault::bad_request)?;
        rows.retain(|(_, values)| expr.matches(props, &|i| values[i].clone()));
    }
    let sort = match (&params.sort_asc, &params.sort_desc) {
        (Some(_), Some(_)) => return Err(Fault::bad_request("Give sortAsc or sortDesc, not both.")),
        (Some(name), None) => Some((name, false)),
        (None, Some(name)) => Some((name, true)),
        (None, None) => None,
    };
    if let Some((name, descending)) = sort {
        let index = filter::property(props, name)
            .ok_or_else(|| Fault::bad_request(format!("Cannot sort by unknown property `{name}`.")))?;
        let kind = props[index].kind;
        rows.sort_by(|a, b| {
            let ordering = filter::compare(kind, &a.1[index], &b.1[index]);
            if descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
    }
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://em:9398/api";

    fn sim() -> (Sim, String) {
        let mut sim = Sim::new("admin", "secret", Duration::from_secs(60), 2);
        let (token, _) = sim.logon(BASE, Some(("admin".into(), "secret".into()))).expect("logon");
        (sim, token)
    }

    #[test]
    fn logon_checks_credentials() {
        let mut sim = Sim::new("admin", "secret", Duration::from_secs(60), 2);
        assert_eq!(sim.logon(BASE, None).unwrap_err().status, 401);
        assert_eq!(sim.logon(BASE, Some(("admin".into(), "nope".into()))).unwrap_err().status, 401);
        let (token, session) = sim.logon(BASE, Some(("admin".into(), "secret".into()))).expect("logon");
        assert!(session.href.as_deref().is_some_and(|h| h.starts_with("http://em:9398/api/logonSessions/")));
        assert_eq!(sim.authenticate(Some(&token)).ok(), Some(token.clone()));
        assert_eq!(sim.authenticate(Some("bogus")).unwrap_err().status, 401);
        assert_eq!(sim.authenticate(None).unwrap_err().status, 401);
    }

    #[test]
    fn idle_sessions_expire() {
        let mut sim = Sim::new("admin", "secret", Duration::from_millis(0), 2);
        let (token, _) = sim.logon(BASE, Some(("admin".into(), "secret".into()))).expect("logon");
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(sim.authenticate(Some(&token)).unwrap_err().status, 401);
        assert!(sim.sessions.is_empty());
    }

    #[test]
    fn tasks_progress_and_mounts_appear() {
        let (mut sim, token) = sim();
        let point = sim.replica_points[0].id.clone();
        let task = sim.mount(BASE, &token, PointKind::Replica, &point).expect("mount");
        assert_eq!(task.state, Some(m::TaskState::Running));
        assert!(task.result.is_none());
        let first = sim.task(BASE, &token, "task-1").expect("poll");
        assert_eq!(first.state, Some(m::TaskState::OperationFinished));
        let done = sim.task(BASE, &token, "task-1").expect("poll");
        assert_eq!(done.state, Some(m::TaskState::Finished));
        let result = done.result.expect("result");
        assert_eq!((result.success, result.message.as_deref()), (Some(true), Some("Ok")));
        let related = done.links.unwrap_or_default().into_iter().find(|l| l.rel == "Related").expect("related");
        assert_eq!(related.href, format!("{BASE}/vmReplicaPoints/{point}/mounts/1"));
        assert_eq!(related.name, Some(format!("{point}@1")));
        assert_eq!(sim.mounts(BASE, &token, PointKind::Replica, &point).expect("list").len(), 1);
    }

    #[test]
    fn failing_tasks_report_failure() {
        let (mut sim, token) = sim();
        sim.fail_tasks.insert(TaskKind::Failover);
        let point = sim.replica_points[0].id.clone();
        sim.failover(BASE, &token, &point).expect("start");
        sim.task(BASE, &token, "task-1").expect("poll");
        let done = sim.task(BASE, &token, "task-1").expect("poll");
        assert_eq!(done.result.and_then(|r| r.success), Some(false));
    }

    #[test]
    fn listing_pages() {
        let (mut sim, token) = sim();
        let point = sim.replica_points[0].id.clone();
        sim.mount(BASE, &token, PointKind::Replica, &point).expect("mount");
        sim.task(BASE, &token, "task-1").expect("poll");
        let page = sim
            .listing(BASE, &token, PointKind::Replica, &point, "1", "e:/logs", Listing::Files, Some(7), Some(5))
            .expect("listing");
        assert_eq!(page.files.as_ref().map(Vec::len), Some(2));
        assert!(page.directories.is_none());
        let info = page.paging_info.expect("paging");
        assert_eq!((info.page_num, info.page_size, info.pages_count), (Some(5), Some(7), Some(5)));
        let rels: Vec<String> = info.links.unwrap_or_default().into_iter().map(|l| l.rel).collect();
        assert_eq!(rels, ["First", "Previous", "Last"]);
    }

    #[test]
    fn query_filters_sorts_and_pages() {
        let (mut sim, token) = sim();
        let params = QueryParams {
            type_: "vmreplicapoint".into(),
            format: Some("entities".into()),
            filter: Some("VmDisplayName==sql02,vmdisplayname==ubuntu88".into()),
            sort_desc: Some("creationtime".into()),
            page_size: Some(2),
            page: Some(1),
            ..Default::default()
        };
        let result = sim.query(BASE, &token, &params).expect("query");
        let points = result.entities.and_then(|e| e.vm_replica_points).expect("points");
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].name.as_deref(), Some("ubuntu88@2025-08-16 06:00:00"));
        assert_eq!(result.paging_info.and_then(|p| p.pages_count), Some(3));
        let bad = QueryParams { type_: "VmReplicaPoint".into(), filter: Some("Bogus==1".into()), ..Default::default() };
        assert_eq!(sim.query(BASE, &token, &bad).unwrap_err().status, 400);
    }
}
