//! The simulator's backup inventory: jobs with schedules and settings, their sessions and per-VM task
//! sessions, repositories, backups, restore points and backup files, and the job and session actions.
//!
//! The records are small and tied to the rest of the seeded data: the backup job's restore points are the
//! VM restore points of [`Sim::restore_points`], the replication job's sessions created the VM replica
//! points of the first replica. Actions answer with a task like every other action; what they change happens
//! when the task completes (see [`Change`]).

use veeam_em::model as m;
use veeam_em::runtime::server::Fault;
use veeam_em::runtime::Double;
use veeam_em::DateTime;

use crate::filter::{Kind, Property};
use crate::state::{
    date, link, page_range, paging_info, query_href, same_id, select_with, Action, Outcome, PointKind, PointRec,
    QueryParams, ReplicaRec, Sim, TaskKind,
};
use crate::util::{fresh_guid, guid};

/// A backup repository.
#[derive(Clone, Debug)]
pub struct RepositoryRec {
    /// GUID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `WindowsLocal`, `Extendable`, ...
    pub kind: &'static str,
    /// Total space in bytes.
    pub capacity: i64,
    /// Free space in bytes.
    pub free_space: i64,
}

/// A VM or container processed by a job.
#[derive(Clone, Debug)]
pub struct IncludeRec {
    /// `ObjectInJobId`.
    pub id: String,
    /// VM name.
    pub name: String,
    /// `urn:VMware:Vm:...`.
    pub hierarchy_ref: String,
    /// Per-object guest processing, if any.
    pub guest: Option<m::GuestProcessingOptions>,
}

/// A job or repository linked to a backup copy job.
#[derive(Clone, Debug)]
pub struct LinkedRec {
    /// `ObjectInJobId`.
    pub id: String,
    /// UID of the linked job or repository.
    pub uid: String,
}

/// A job.
#[derive(Clone, Debug)]
pub struct JobRec {
    /// GUID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `Backup`, `Replica` or `ImmediateBackupCopy`.
    pub job_type: &'static str,
    /// `VMware`, `CustomPlatform`, ...
    pub platform: &'static str,
    /// Free text.
    pub description: String,
    /// Whether the schedule is switched on (`ScheduleEnabled`).
    pub schedule_enabled: bool,
    /// The schedule as EM shows it.
    pub schedule: m::JobScheduleOptions,
    /// Next scheduled run.
    pub next_run: Option<DateTime>,
    /// Processed objects (backup and replication jobs).
    pub includes: Vec<IncludeRec>,
    /// Linked backup jobs (backup copy jobs).
    pub linked_jobs: Vec<LinkedRec>,
    /// Linked repositories (backup copy jobs).
    pub linked_repositories: Vec<LinkedRec>,
    /// Repository the job writes to (index into [`Inventory::repositories`]).
    pub repository: usize,
    /// Short-term retention, in restore points.
    pub retain_cycles: i64,
    /// Retries set in the schedule.
    pub retry_times: i64,
}

impl JobRec {
    fn is_copy(&self) -> bool {
        matches!(self.job_type, "BackupCopy" | "ImmediateBackupCopy")
    }

    fn session_kind(&self) -> SessionKind {
        if self.job_type == "Replica" {
            SessionKind::Replica
        } else {
            SessionKind::Backup
        }
    }
}

/// Backup or replication sessions: same shapes, different paths and type names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionKind {
    /// `/backupSessions`, `/backupTaskSessions`.
    Backup,
    /// `/replicaSessions`, `/replicaTaskSessions`.
    Replica,
}

impl SessionKind {
    fn sessions(self) -> &'static str {
        match self {
            SessionKind::Backup => "/backupSessions",
            SessionKind::Replica => "/replicaSessions",
        }
    }

    fn tasks(self) -> &'static str {
        match self {
            SessionKind::Backup => "/backupTaskSessions",
            SessionKind::Replica => "/replicaTaskSessions",
        }
    }

    /// The sub-collection of a job session holding its task sessions.
    fn session_tasks(self) -> &'static str {
        match self {
            SessionKind::Backup => "taskSessions",
            SessionKind::Replica => "replicaTaskSessions",
        }
    }

    fn session_type(self) -> &'static str {
        match self {
            SessionKind::Backup => "BackupJobSession",
            SessionKind::Replica => "ReplicaJobSession",
        }
    }

    fn task_type(self) -> &'static str {
        match self {
            SessionKind::Backup => "BackupTaskSession",
            SessionKind::Replica => "ReplicaTaskSession",
        }
    }

    fn point(self) -> PointKind {
        match self {
            SessionKind::Backup => PointKind::Restore,
            SessionKind::Replica => PointKind::Replica,
        }
    }
}

/// A job session.
#[derive(Clone, Debug)]
pub struct JobSessionRec {
    /// GUID.
    pub id: String,
    /// Backup or replication.
    pub kind: SessionKind,
    /// Id of the job.
    pub job: String,
    /// Name of the job when the session ran.
    pub job_name: String,
    /// `Backup`, `Replica`, ...
    pub job_type: &'static str,
    /// When it started.
    pub created: DateTime,
    /// When it ended, if it did.
    pub ended: Option<DateTime>,
    /// `Working`, `Stopped`, ...
    pub state: &'static str,
    /// `Success`, `Warning`, `Failed`.
    pub result: &'static str,
    /// Percent done.
    pub progress: i32,
    /// Whether it retried a failed run.
    pub retry: bool,
    /// The restore point it created (backup sessions).
    pub restore_point: Option<String>,
}

/// A task session: one VM within a job session.
#[derive(Clone, Debug)]
pub struct TaskSessionRec {
    /// GUID.
    pub id: String,
    /// Backup or replication.
    pub kind: SessionKind,
    /// Id of the job session.
    pub session: String,
    /// VM name.
    pub vm: String,
    /// When it started.
    pub created: DateTime,
    /// When it ended, if it did.
    pub ended: Option<DateTime>,
    /// `InProgress`, `Pending`, `Completed`.
    pub state: &'static str,
    /// `Success`, `Warning`, `Failed`.
    pub result: &'static str,
    /// Bytes written.
    pub total_size: i64,
    /// The VM restore or replica point it created.
    pub point: Option<String>,
}

/// A backup.
#[derive(Clone, Debug)]
pub struct BackupRec {
    /// GUID.
    pub id: String,
    /// Display name (the job's).
    pub name: String,
    /// The job that writes it.
    pub job: Option<String>,
    /// Index into [`Inventory::repositories`].
    pub repository: usize,
    /// `VMware`, `AgentForWindows`, ...
    pub platform: &'static str,
    /// `Standard`, `ParentBackup`, `ChildBackup`.
    pub backup_type: &'static str,
    /// The parent of a child backup.
    pub parent: Option<String>,
}

/// A restore point of a backup (all VMs of one run).
#[derive(Clone, Debug)]
pub struct RestorePointRec {
    /// GUID.
    pub id: String,
    /// Id of the backup.
    pub backup: String,
    /// When it was created.
    pub created: DateTime,
    /// Ids of its VM restore points.
    pub vm_points: Vec<String>,
    /// Id of the backup file holding it.
    pub file: String,
}

/// A backup file.
#[derive(Clone, Debug)]
pub struct BackupFileRec {
    /// GUID.
    pub id: String,
    /// Id of the backup.
    pub backup: String,
    /// File name.
    pub name: String,
    /// `vbk`, `vib`, `vrb`.
    pub file_type: &'static str,
    /// Size of the file.
    pub size: i64,
    /// Size of the data in it.
    pub data_size: i64,
    /// When it was written.
    pub created: DateTime,
}

/// Everything the job, session and backup resources show.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    /// Backup repositories.
    pub repositories: Vec<RepositoryRec>,
    /// Jobs.
    pub jobs: Vec<JobRec>,
    /// Job sessions, oldest first.
    pub sessions: Vec<JobSessionRec>,
    /// Task sessions.
    pub task_sessions: Vec<TaskSessionRec>,
    /// Backups.
    pub backups: Vec<BackupRec>,
    /// Restore points of backups.
    pub restore_points: Vec<RestorePointRec>,
    /// Backup files.
    pub backup_files: Vec<BackupFileRec>,
}

/// What a job or session action does once its task completes.
#[derive(Clone, Debug)]
pub enum Change {
    /// Start (or retry) a job: a new running session.
    Start {
        /// Job id.
        job: String,
        /// Whether it is a retry.
        retry: bool,
    },
    /// Stop a job's running sessions.
    Stop {
        /// Job id.
        job: String,
    },
    /// Synchronize a backup copy job: a new finished session.
    Sync {
        /// Job id.
        job: String,
    },
    /// Switch the schedule off or on.
    ToggleSchedule {
        /// Job id.
        job: String,
    },
    /// Copy the job under a new name.
    Clone {
        /// Job id.
        job: String,
        /// Name of the copy.
        name: String,
        /// Its description, if given.
        description: Option<String>,
    },
    /// Apply the changed settings of a job entity.
    Edit {
        /// Job id.
        job: String,
        /// The body of the PUT.
        edit: Box<m::Job>,
    },
    /// Delete the job.
    Delete {
        /// Job id.
        job: String,
    },
    /// Add a processed object.
    AddInclude {
        /// Job id.
        job: String,
        /// The request.
        spec: Box<m::CreateObjectInJobSpec>,
    },
    /// Remove a processed object.
    RemoveInclude {
        /// Job id.
        job: String,
        /// `ObjectInJobId`.
        include: String,
    },
    /// Link a backup job (`repository == false`) or a repository to a backup copy job.
    Link {
        /// Job id.
        job: String,
        /// UID of what is linked.
        uid: String,
        /// Whether it is a repository.
        repository: bool,
    },
    /// Remove a link.
    Unlink {
        /// Job id.
        job: String,
        /// `ObjectInJobId` of the link.
        link: String,
        /// Whether it is a repository link.
        repository: bool,
    },
    /// Stop a job session.
    StopSession {
        /// Session id.
        session: String,
    },
}

// ----- seeds -----

fn at(text: &str) -> DateTime {
    date(text).unwrap_or_else(|| DateTime::from(time::OffsetDateTime::UNIX_EPOCH))
}

fn now() -> DateTime {
    DateTime::from(time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH))
}

/// Seven days of 24 hourly flags, all `1` except `off` hours (`0..24`) on weekdays.
fn hours(off: std::ops::Range<usize>) -> Vec<m::ScheduleDay> {
    use m::DayOfWeek as D;
    [D::Sunday, D::Monday, D::Tuesday, D::Wednesday, D::Thursday, D::Friday, D::Saturday]
        .into_iter()
        .map(|day| {
            let weekday = !matches!(day, D::Sunday | D::Saturday);
            let flags: Vec<&str> = (0..24).map(|h| if weekday && off.contains(&h) { "0" } else { "1" }).collect();
            m::ScheduleDay { name: Some(day), value: flags.join(",") }
        })
        .collect()
}

fn standard_schedule(daily: bool, periodic_hours: Option<i64>) -> m::JobScheduleOptions {
    use m::DayOfWeek as D;
    let standard = m::StandardScheduleOptions {
        retry_options: Some(m::JobScheduleRetryOptions {
            retry_times: Some(3),
            retry_timeout: Some(10),
            retry_specified: Some(true),
        }),
        wait_for_backup_completion: Some(true),
        backup_competition_waiting_period_min: Some(180),
        options_daily: Some(m::JobScheduleDailyOptions {
            kind: Some(m::DailyScheduleKind::Everyday),
            days: vec![D::Sunday, D::Monday, D::Tuesday, D::Wednesday, D::Thursday, D::Friday, D::Saturday],
            time: Some("22:00:00.0000000+00:00".to_owned()),
            time_offset_utc: Some(0),
            enabled: Some(daily),
        }),
        options_monthly: Some(m::JobScheduleMonthlyOptions {
            time: Some("22:00:00.0000000+00:00".to_owned()),
            time_offset_utc: Some(0),
            day_number_in_month: Some(m::DayNumberInMonth::Fourth),
            day_of_week: Some(D::Saturday),
            months: vec![m::Month::January, m::Month::April, m::Month::July, m::Month::October],
            day_of_month: Some(1),
            enabled: Some(false),
        }),
        options_periodically: Some(m::JobSchedulePeriodicallyOptions {
            kind: Some(m::PeriodicScheduleKind::Hours),
            full_period: Some(periodic_hours.unwrap_or(1)),
            schedule: Some(hours(0..0)),
            enabled: Some(periodic_hours.is_some()),
        }),
        options_continuous: Some(m::JobScheduleContinuousOptions { schedule: Some(hours(0..0)), enabled: Some(false) }),
        options_backup_window: Some(m::JobScheduleBackupWindowOptions {
            time_periods: Some(hours(8..18)),
            enabled: Some(daily),
        }),
        options_daisy_chaining: Some(m::JobScheduleDaisyChainingOptions {
            previous_job_uid: Some(String::new()),
            enabled: Some(false),
        }),
    };
    m::JobScheduleOptions { mode: Some(m::JobScheduleOptionsMode::Standard(standard)), ..Default::default() }
}

fn immediate_schedule() -> m::JobScheduleOptions {
    let mode = m::ImmediateCopyScheduleOptions {
        options_continuous: Some(m::JobScheduleContinuousOptions { schedule: Some(hours(4..17)), enabled: Some(true) }),
    };
    m::JobScheduleOptions { mode: Some(m::JobScheduleOptionsMode::ImmediateCopyMode(mode)), ..Default::default() }
}

fn indexing(mode: m::FileSystemIndexingMode, excluded: &[&str]) -> m::GuestFsIndexingOptions {
    m::GuestFsIndexingOptions {
        file_system_indexing_mode: Some(mode),
        included_indexing_folders: Some(Vec::new()),
        excluded_indexing_folders: Some(excluded.iter().map(|p| (*p).to_owned()).collect()),
    }
}

/// Guest processing as EM shows it for a job or an object.
fn guest_processing(vss: m::VssSnapshotMode) -> m::GuestProcessingOptions {
    let on = vss != m::VssSnapshotMode::Disabled;
    let (windows, linux) = if on {
        (
            indexing(m::FileSystemIndexingMode::ExceptSpecifiedFolders, &["%windir%", "%ProgramFiles%", "%TEMP%"]),
            indexing(m::FileSystemIndexingMode::ExceptSpecifiedFolders, &["/dev", "/proc", "/tmp"]),
        )
    } else {
        (indexing(m::FileSystemIndexingMode::Disabled, &[]), indexing(m::FileSystemIndexingMode::Disabled, &[]))
    };
    m::GuestProcessingOptions {
        vss_snapshot_options: Some(m::VssSnapshotOptions {
            vss_snapshot_mode: Some(vss),
            is_copy_only: Some(false),
            use_persistent_guest_agent: None,
        }),
        windows_guest_fs_indexing_options: Some(windows),
        linux_guest_fs_indexing_options: Some(linux),
        sql_backup_options: Some(m::SqlBackupOptions {
            transaction_logs_processing: Some(m::TransactionLogsProcessing::OnlyOnSuccessJob),
            backup_logs_frequency_min: Some(15),
            use_db_backup_retention: Some(true),
            retain_days: Some(15),
        }),
        windows_credentials_id: Some(String::new()),
        linux_credentials_id: Some(String::new()),
        ..Default::default()
    }
}

fn include(n: u64, vm: &str) -> IncludeRec {
    IncludeRec {
        id: guid(12, n),
        name: vm.to_owned(),
        hierarchy_ref: format!("urn:VMware:Vm:{}.vm-{}", guid(19, 0), 1000 + n),
        guest: Some(guest_processing(m::VssSnapshotMode::RequireSuccess)),
    }
}

/// `yyyy-MM-dd HH:mm:ss` of an instant, as EM writes it in session names.
fn stamp(when: &DateTime) -> String {
    let t = when.instant();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `Aug 10 2025 10:00PM`, the (.NET-style) name EM gives a restore point.
fn point_name(when: &DateTime) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let t = when.instant();
    let hour = match t.hour() % 12 {
        0 => 12,
        h => h,
    };
    let half = if t.hour() < 12 { "AM" } else { "PM" };
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    format!("{month} {:>2} {} {hour:>2}:{:02}{half}", t.day(), t.year(), t.minute())
}

impl Inventory {
    /// The seeded inventory: two repositories, a backup job whose restore points are the VM restore points
    /// `restore_points`, a replication job whose sessions made the replica points of `replicas[0]`, and an
    /// immediate backup copy job; an agent parent backup with one child.
    pub fn sample(replicas: &[ReplicaRec], restore_points: &[PointRec], replica_points: &[PointRec]) -> Inventory {
        let repositories = vec![
            RepositoryRec {
                id: guid(10, 0),
                name: "Default Backup Repository".to_owned(),
                kind: "WindowsLocal",
                capacity: 1_079_639_011_328,
                free_space: 881_812_750_336,
            },
            RepositoryRec {
                id: guid(10, 1),
                name: "Scale-out Repository".to_owned(),
                kind: "Extendable",
                capacity: 4_398_046_511_104,
                free_space: 2_199_023_255_552,
            },
        ];
        let backup_job = JobRec {
            id: guid(11, 0),
            name: "Web and SQL Backup".to_owned(),
            job_type: "Backup",
            platform: "VMware",
            description: "Nightly backup of the web and SQL servers".to_owned(),
            schedule_enabled: true,
            schedule: standard_schedule(true, None),
            next_run: date("2025-08-17T22:00:00Z"),
            includes: vec![include(0, "web01"), include(1, "sql02")],
            linked_jobs: Vec::new(),
            linked_repositories: Vec::new(),
            repository: 0,
            retain_cycles: 7,
            retry_times: 3,
        };
        let replica_name = replicas.first().map_or("SQL Replication", |r| r.name.as_str());
        let replica_job = JobRec {
            id: guid(11, 1),
            name: replica_name.to_owned(),
            job_type: "Replica",
            platform: "VMware",
            description: "Replicates sql02 to the DR site".to_owned(),
            schedule_enabled: true,
            schedule: standard_schedule(false, Some(4)),
            next_run: date("2025-08-17T04:00:00Z"),
            includes: vec![include(2, "sql02")],
            linked_jobs: Vec::new(),
            linked_repositories: Vec::new(),
            repository: 0,
            retain_cycles: 3,
            retry_times: 3,
        };
        let copy_job = JobRec {
            id: guid(11, 2),
            name: "Offsite Copy".to_owned(),
            job_type: "ImmediateBackupCopy",
            platform: "CustomPlatform",
            description: "Copies the nightly backups to the scale-out repository".to_owned(),
            schedule_enabled: true,
            schedule: immediate_schedule(),
            next_run: None,
            includes: Vec::new(),
            linked_jobs: vec![LinkedRec { id: guid(13, 0), uid: format!("urn:veeam:Job:{}", backup_job.id) }],
            linked_repositories: vec![LinkedRec {
                id: guid(13, 1),
                uid: format!("urn:veeam:Repository:{}", repositories[1].id),
            }],
            repository: 1,
            retain_cycles: 14,
            retry_times: 0,
        };

        // The backup job's backup: one restore point (and file) per night, holding that night's VM points.
        let backup = BackupRec {
            id: guid(16, 0),
            name: backup_job.name.clone(),
            job: Some(backup_job.id.clone()),
            repository: 0,
            platform: "VMware",
            backup_type: "Standard",
            parent: None,
        };
        let nights = ["2025-08-10T22:00:00Z", "2025-08-11T22:00:00Z", "2025-08-12T22:00:00Z"];
        let mut inventory = Inventory { repositories, ..Inventory::default() };
        for (n, night) in nights.iter().enumerate() {
            let created = at(night);
            let day = &night[..10];
            let vm_points: Vec<&PointRec> = restore_points.iter().filter(|p| p.created.starts_with(day)).collect();
            let file = BackupFileRec {
                id: guid(18, n as u64),
                backup: backup.id.clone(),
                name: format!("{}D{}T220000.{}", backup.name, day, if n == 0 { "vbk" } else { "vib" }),
                file_type: if n == 0 { "vbk" } else { "vib" },
                size: if n == 0 { 31_608_832_000 } else { 2_147_483_648 },
                data_size: 42_949_683_607,
                created,
            };
            let point = RestorePointRec {
                id: guid(17, n as u64),
                backup: backup.id.clone(),
                created,
                vm_points: vm_points.iter().map(|p| p.id.clone()).collect(),
                file: file.id.clone(),
            };
            let session = JobSessionRec {
                id: guid(14, n as u64),
                kind: SessionKind::Backup,
                job: backup_job.id.clone(),
                job_name: backup_job.name.clone(),
                job_type: "Backup",
                created,
                ended: date(&format!("{day}T22:40:00Z")),
                state: "Stopped",
                result: "Success",
                progress: 100,
                retry: false,
                restore_point: Some(point.id.clone()),
            };
            for (t, vm_point) in vm_points.iter().enumerate() {
                inventory.task_sessions.push(TaskSessionRec {
                    id: guid(15, (n * 10 + t) as u64),
                    kind: SessionKind::Backup,
                    session: session.id.clone(),
                    vm: vm_point.vm.clone(),
                    created,
                    ended: date(&vm_point.created),
                    state: "Completed",
                    result: "Success",
                    total_size: 64_424_509_440,
                    point: Some(vm_point.id.clone()),
                });
            }
            inventory.sessions.push(session);
            inventory.restore_points.push(point);
            inventory.backup_files.push(file);
        }
        // One backup session still running, so that there is something to stop.
        let running = JobSessionRec {
            id: guid(14, 9),
            kind: SessionKind::Backup,
            job: backup_job.id.clone(),
            job_name: backup_job.name.clone(),
            job_type: "Backup",
            created: at("2025-08-16T22:00:00Z"),
            ended: None,
            state: "Working",
            result: "Success",
            progress: 40,
            retry: false,
            restore_point: None,
        };
        inventory.task_sessions.push(TaskSessionRec {
            id: guid(15, 99),
            kind: SessionKind::Backup,
            session: running.id.clone(),
            vm: "web01".to_owned(),
            created: running.created,
            ended: None,
            state: "InProgress",
            result: "Success",
            total_size: 0,
            point: None,
        });
        inventory.sessions.push(running);

        // The replication job made the replica points of the first replica, one session each.
        for (n, point) in replica_points.iter().filter(|p| p.replica == Some(0)).enumerate() {
            let created = at(&point.created);
            let session = JobSessionRec {
                id: guid(14, 100 + n as u64),
                kind: SessionKind::Replica,
                job: replica_job.id.clone(),
                job_name: replica_job.name.clone(),
                job_type: "Replica",
                created,
                ended: Some(created),
                state: "Stopped",
                result: "Success",
                progress: 100,
                retry: false,
                restore_point: None,
            };
            inventory.task_sessions.push(TaskSessionRec {
                id: guid(15, 100 + n as u64),
                kind: SessionKind::Replica,
                session: session.id.clone(),
                vm: point.vm.clone(),
                created,
                ended: Some(created),
                state: "Completed",
                result: "Success",
                total_size: 64_424_509_440,
                point: Some(point.id.clone()),
            });
            inventory.sessions.push(session);
        }

        // An agent backup container with one machine.
        let parent = BackupRec {
            id: guid(16, 1),
            name: "Agent Backup".to_owned(),
            job: None,
            repository: 1,
            platform: "AgentForWindows",
            backup_type: "ParentBackup",
            parent: None,
        };
        let child = BackupRec {
            id: guid(16, 2),
            name: "Agent Backup - laptop01".to_owned(),
            job: None,
            repository: 1,
            platform: "AgentForWindows",
            backup_type: "ChildBackup",
            parent: Some(parent.id.clone()),
        };
        inventory.backups = vec![backup, parent, child];
        inventory.jobs = vec![backup_job, replica_job, copy_job];
        inventory
    }

    fn repository_index(&self, id: &str) -> Result<usize, Fault> {
        self.repositories
            .iter()
            .position(|r| same_id(&r.id, id))
            .ok_or_else(|| Fault::not_found(format!("No repository with id {id}.")))
    }

    fn job(&self, id: &str) -> Result<&JobRec, Fault> {
        self.jobs.iter().find(|j| same_id(&j.id, id)).ok_or_else(|| Fault::not_found(format!("No job with id {id}.")))
    }

    fn job_mut(&mut self, id: &str) -> Option<&mut JobRec> {
        self.jobs.iter_mut().find(|j| same_id(&j.id, id))
    }

    fn session(&self, kind: SessionKind, id: &str) -> Result<&JobSessionRec, Fault> {
        self.sessions
            .iter()
            .find(|s| s.kind == kind && same_id(&s.id, id))
            .ok_or_else(|| Fault::not_found(format!("No {} with id {id}.", kind.session_type())))
    }

    fn task_session(&self, kind: SessionKind, id: &str) -> Result<&TaskSessionRec, Fault> {
        self.task_sessions
            .iter()
            .find(|s| s.kind == kind && same_id(&s.id, id))
            .ok_or_else(|| Fault::not_found(format!("No {} with id {id}.", kind.task_type())))
    }

    fn backup(&self, id: &str) -> Result<&BackupRec, Fault> {
        self.backups
            .iter()
            .find(|b| same_id(&b.id, id))
            .ok_or_else(|| Fault::not_found(format!("No backup with id {id}.")))
    }

    fn restore_point(&self, id: &str) -> Result<&RestorePointRec, Fault> {
        self.restore_points
            .iter()
            .find(|p| same_id(&p.id, id))
            .ok_or_else(|| Fault::not_found(format!("No restore point with id {id}.")))
    }

    fn backup_file(&self, id: &str) -> Result<&BackupFileRec, Fault> {
        self.backup_files
            .iter()
            .find(|f| same_id(&f.id, id))
            .ok_or_else(|| Fault::not_found(format!("No backup file with id {id}.")))
    }

    /// The `Up` links a VM restore point has to its restore point and backup file (none for others).
    pub fn vm_restore_point_up_links(&self, base: &str, vm_point: &str) -> Vec<m::Link> {
        let Some(point) = self.restore_points.iter().find(|p| p.vm_points.iter().any(|v| same_id(v, vm_point))) else {
            return Vec::new();
        };
        let mut links = vec![link(
            base,
            "Up",
            &format!("/restorePoints/{}", point.id),
            Some("RestorePointReference"),
            Some(&point_name(&point.created)),
        )];
        if let Ok(file) = self.backup_file(&point.file) {
            links.push(link(
                base,
                "Up",
                &format!("/backupFiles/{}", file.id),
                Some("BackupFileReference"),
                Some(&file.name),
            ));
        }
        links
    }

    /// The `Up` link of a replica to the repository holding its metadata (the first one).
    pub fn replica_repository_link(&self, base: &str) -> m::Link {
        let repo = &self.repositories[0];
        link(base, "Up", &format!("/repositories/{}", repo.id), Some("RepositoryReference"), Some(&repo.name))
    }

    fn session_name(session: &JobSessionRec) -> String {
        format!("{}@{}", session.job_name, stamp(&session.created))
    }

    fn task_session_name(task: &TaskSessionRec) -> String {
        format!("{}@{}", task.vm, stamp(&task.created))
    }
}

fn reference(
    base: &str,
    link_type: &str,
    path: &str,
    name: &str,
    uid: String,
    links: Vec<m::Link>,
) -> m::EntityReference {
    m::EntityReference {
        link_type: Some(link_type.to_owned()),
        href: Some(format!("{base}{path}")),
        name: Some(name.to_owned()),
        uid: Some(uid),
        links: Some(links),
    }
}

/// Which query type of the inventory (`GET /query?type=...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    /// `Job`.
    Job,
    /// `BackupJobSession`.
    BackupJobSession,
    /// `ReplicaJobSession`.
    ReplicaJobSession,
    /// `BackupTaskSession`.
    BackupTaskSession,
    /// `ReplicaTaskSession`.
    ReplicaTaskSession,
    /// `Repository`.
    Repository,
    /// `Backup`.
    Backup,
    /// `RestorePoint`.
    RestorePoint,
    /// `BackupFile`.
    BackupFile,
}

impl QueryKind {
    /// The query types, as documented.
    pub const NAMES: &'static [&'static str] = &[
        "Job",
        "BackupJobSession",
        "ReplicaJobSession",
        "BackupTaskSession",
        "ReplicaTaskSession",
        "Repository",
        "Backup",
        "RestorePoint",
        "BackupFile",
    ];

    /// The kind named `name` (any case).
    pub fn parse(name: &str) -> Option<QueryKind> {
        const KINDS: [QueryKind; 9] = [
            QueryKind::Job,
            QueryKind::BackupJobSession,
            QueryKind::ReplicaJobSession,
            QueryKind::BackupTaskSession,
            QueryKind::ReplicaTaskSession,
            QueryKind::Repository,
            QueryKind::Backup,
            QueryKind::RestorePoint,
            QueryKind::BackupFile,
        ];
        QueryKind::NAMES.iter().position(|n| n.eq_ignore_ascii_case(name)).map(|i| KINDS[i])
    }

    fn props(self) -> &'static [Property] {
        match self {
            QueryKind::Job => JOB_PROPS,
            QueryKind::BackupJobSession | QueryKind::ReplicaJobSession => SESSION_PROPS,
            QueryKind::BackupTaskSession | QueryKind::ReplicaTaskSession => TASK_SESSION_PROPS,
            QueryKind::Repository => REPOSITORY_PROPS,
            QueryKind::Backup => BACKUP_PROPS,
            QueryKind::RestorePoint => RESTORE_POINT_PROPS,
            QueryKind::BackupFile => BACKUP_FILE_PROPS,
        }
    }
}

const SESSION_STATES: &[&str] = &["Starting", "Stopping", "Working", "Pausing", "Resuming", "Stopped"];
const TASK_SESSION_STATES: &[&str] = &["InProgress", "Pending", "Completed"];
const RESULTS: &[&str] = &["Success", "Warning", "Failed"];

const fn text(name: &'static str) -> Property {
    Property { name, kind: Kind::Text }
}

const fn when(name: &'static str) -> Property {
    Property { name, kind: Kind::Time }
}

/// Filter and sort properties (get_query_*.md; numeric ones are left out: the filter compares text, dates
/// and enums only).
const JOB_PROPS: &[Property] = &[
    text("UID"),
    text("Name"),
    text("Description"),
    when("NextRun"),
    text("JobType"),
    text("Platform"),
    text("ScheduleConfigured"),
    text("ScheduleEnabled"),
    text("BackupServerUid"),
    text("BackupServerName"),
];
const SESSION_PROPS: &[Property] = &[
    text("UID"),
    text("Name"),
    text("JobType"),
    text("JobUid"),
    text("JobName"),
    when("CreationTime"),
    when("EndTime"),
    Property { name: "State", kind: Kind::Enum(SESSION_STATES) },
    Property { name: "Result", kind: Kind::Enum(RESULTS) },
    text("IsRetry"),
    text("BackupServerUid"),
    text("BackupServerName"),
];
const TASK_SESSION_PROPS: &[Property] = &[
    text("UID"),
    text("Name"),
    when("CreationTime"),
    when("EndTime"),
    Property { name: "State", kind: Kind::Enum(TASK_SESSION_STATES) },
    Property { name: "Result", kind: Kind::Enum(RESULTS) },
    text("Reason"),
    text("JobSessionUid"),
    text("JobUid"),
    text("JobName"),
    text("BackupServerUid"),
    text("BackupServerName"),
    text("VmDisplayName"),
];
const REPOSITORY_PROPS: &[Property] = &[text("UID"), text("Name"), text("BackupServerUid"), text("BackupServerName")];
const BACKUP_PROPS: &[Property] = &[
    text("UID"),
    text("Name"),
    text("JobUid"),
    text("JobName"),
    text("RepositoryUid"),
    text("RepositoryName"),
    text("Platform"),
    text("BackupType"),
];
const RESTORE_POINT_PROPS: &[Property] = &[
    text("UID"),
    text("Name"),
    when("CreationTime"),
    text("BackupUid"),
    text("BackupName"),
    text("BackupServerUid"),
    text("BackupServerName"),
];
const BACKUP_FILE_PROPS: &[Property] = &[
    text("UID"),
    text("Name"),
    when("CreationTimeUTC"),
    text("FileType"),
    text("BackupUid"),
    text("BackupName"),
    text("BackupServerUid"),
    text("BackupServerName"),
];

fn opt_time(value: Option<DateTime>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl Sim {
    fn server_up(&self, base: &str) -> m::Link {
        let bs = &self.backup_server;
        link(base, "Up", &format!("/backupServers/{}", bs.id), Some("BackupServerReference"), Some(&bs.name))
    }

    fn server_uid(&self) -> String {
        format!("urn:veeam:BackupServer:{}", self.backup_server.id)
    }

    // ----- repositories -----

    /// `GET /repositories/{id}`.
    pub fn repository_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let repo = &self.inventory.repositories[self.inventory.repository_index(id)?];
        let path = format!("/repositories/{}", repo.id);
        Ok(reference(
            base,
            "RepositoryReference",
            &path,
            &repo.name,
            format!("urn:veeam:Repository:{}", repo.id),
            vec![
                self.server_up(base),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some("Repository"), Some(&repo.name)),
            ],
        ))
    }

    /// `GET /repositories/{id}?format=Entity`.
    pub fn repository_entity(&self, base: &str, id: &str) -> Result<m::Repository, Fault> {
        let repo = &self.inventory.repositories[self.inventory.repository_index(id)?];
        let path = format!("/repositories/{}", repo.id);
        Ok(m::Repository {
            link_type: Some("Repository".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(repo.name.clone()),
            uid: Some(format!("urn:veeam:Repository:{}", repo.id)),
            links: Some(vec![
                self.server_up(base),
                link(base, "Alternate", &path, Some("RepositoryReference"), Some(&repo.name)),
                link(base, "Down", &format!("{path}/backups"), Some("BackupReferenceList"), None),
                link(base, "Down", &format!("{path}/replicas"), Some("ReplicaReferenceList"), None),
            ]),
            capacity: Some(repo.capacity),
            free_space: Some(repo.free_space),
            kind: Some(m::RepositoryKind::from(repo.kind)),
        })
    }

    /// `GET /repositories`.
    pub fn repository_refs(&self, base: &str) -> m::EntityReferenceList {
        let items = self.inventory.repositories.iter().filter_map(|r| self.repository_ref(base, &r.id).ok()).collect();
        m::EntityReferenceList { items }
    }

    /// `GET /repositories?format=Entity`.
    pub fn repositories(&self, base: &str) -> m::RepositoryList {
        let items =
            self.inventory.repositories.iter().filter_map(|r| self.repository_entity(base, &r.id).ok()).collect();
        m::RepositoryList { items }
    }

    /// `GET /repositories/{id}/backups`.
    pub fn repository_backups(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let index = self.inventory.repository_index(id)?;
        let items = self
            .inventory
            .backups
            .iter()
            .filter(|b| b.repository == index)
            .filter_map(|b| self.backup_ref(base, &b.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /repositories/{id}/replicas`: every replica keeps its metadata in the first repository.
    pub fn repository_replicas(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let index = self.inventory.repository_index(id)?;
        let items = if index == 0 {
            self.replicas.iter().filter_map(|r| self.replica_ref(base, &r.id).ok()).collect()
        } else {
            Vec::new()
        };
        Ok(m::EntityReferenceList { items })
    }

    // ----- backups -----

    /// `GET /backups/{id}`.
    pub fn backup_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let backup = self.inventory.backup(id)?;
        let path = format!("/backups/{}", backup.id);
        Ok(reference(
            base,
            "BackupReference",
            &path,
            &backup.name,
            format!("urn:veeam:Backup:{}", backup.id),
            vec![
                self.server_up(base),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some("Backup"), Some(&backup.name)),
            ],
        ))
    }

    /// `GET /backups/{id}?format=Entity`.
    pub fn backup_entity(&self, base: &str, id: &str) -> Result<m::Backup, Fault> {
        let backup = self.inventory.backup(id)?;
        let path = format!("/backups/{}", backup.id);
        let repo = &self.inventory.repositories[backup.repository];
        let mut links = vec![
            link(base, "Up", &format!("/repositories/{}", repo.id), Some("RepositoryReference"), Some(&repo.name)),
            self.server_up(base),
            link(base, "Alternate", &path, Some("BackupReference"), Some(&backup.name)),
        ];
        if backup.backup_type == "ParentBackup" {
            links.push(link(base, "Up", &format!("{path}/childbackups?format=Entity"), Some("BackupList"), None));
        } else {
            links.push(link(base, "Down", &format!("{path}/restorePoints"), Some("RestorePointReferenceList"), None));
            links.push(link(base, "Down", &format!("{path}/backupFiles"), Some("BackupFileReferenceList"), None));
        }
        Ok(m::Backup {
            link_type: Some("Backup".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(backup.name.clone()),
            uid: Some(format!("urn:veeam:Backup:{}", backup.id)),
            links: Some(links),
            platform: Some(m::Platform::from(backup.platform)),
            backup_type: Some(m::BackupType::from(backup.backup_type)),
        })
    }

    /// `GET /backups`.
    pub fn backup_refs(&self, base: &str) -> m::EntityReferenceList {
        m::EntityReferenceList {
            items: self.inventory.backups.iter().filter_map(|b| self.backup_ref(base, &b.id).ok()).collect(),
        }
    }

    /// `GET /backups?format=Entity`.
    pub fn backups(&self, base: &str) -> m::BackupList {
        m::BackupList {
            items: self.inventory.backups.iter().filter_map(|b| self.backup_entity(base, &b.id).ok()).collect(),
        }
    }

    fn child_backups(&self, id: &str) -> Result<Vec<String>, Fault> {
        let backup = self.inventory.backup(id)?;
        Ok(self
            .inventory
            .backups
            .iter()
            .filter(|b| b.parent.as_deref().is_some_and(|p| same_id(p, &backup.id)))
            .map(|b| b.id.clone())
            .collect())
    }

    /// `GET /backups/{id}/childbackups`.
    pub fn backup_child_refs(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let items = self.child_backups(id)?.iter().filter_map(|c| self.backup_ref(base, c).ok()).collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /backups/{id}/childbackups?format=Entity`.
    pub fn backup_children(&self, base: &str, id: &str) -> Result<m::BackupList, Fault> {
        let items = self.child_backups(id)?.iter().filter_map(|c| self.backup_entity(base, c).ok()).collect();
        Ok(m::BackupList { items })
    }

    /// `GET /backups/{id}/restorePoints`.
    pub fn backup_restore_points(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let backup = self.inventory.backup(id)?;
        let items = self
            .inventory
            .restore_points
            .iter()
            .filter(|p| p.backup == backup.id)
            .filter_map(|p| self.restore_point_ref(base, &p.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /backups/{id}/backupFiles`.
    pub fn backup_backup_files(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let backup = self.inventory.backup(id)?;
        let items = self
            .inventory
            .backup_files
            .iter()
            .filter(|f| f.backup == backup.id)
            .filter_map(|f| self.backup_file_ref(base, &f.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    // ----- restore points -----

    /// `GET /restorePoints/{id}`.
    pub fn restore_point_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let point = self.inventory.restore_point(id)?;
        let backup = self.inventory.backup(&point.backup)?;
        let path = format!("/restorePoints/{}", point.id);
        let name = point_name(&point.created);
        Ok(reference(
            base,
            "RestorePointReference",
            &path,
            &name,
            format!("urn:veeam:RestorePoint:{}", point.id),
            vec![
                link(base, "Up", &format!("/backups/{}", backup.id), Some("BackupReference"), Some(&backup.name)),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some("RestorePoint"), Some(&name)),
            ],
        ))
    }

    /// `GET /restorePoints/{id}?format=Entity`: links as in the doc example (the backup files link is
    /// `Related`, typed `RestorePointReferenceList`).
    pub fn restore_point_entity(&self, base: &str, id: &str) -> Result<m::RestorePoint, Fault> {
        let point = self.inventory.restore_point(id)?;
        let backup = self.inventory.backup(&point.backup)?;
        let path = format!("/restorePoints/{}", point.id);
        let name = point_name(&point.created);
        Ok(m::RestorePoint {
            link_type: Some("RestorePoint".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(name.clone()),
            uid: Some(format!("urn:veeam:RestorePoint:{}", point.id)),
            links: Some(vec![
                link(base, "Up", &format!("/backups/{}", backup.id), Some("BackupReference"), Some(&backup.name)),
                self.server_up(base),
                link(base, "Alternate", &path, Some("RestorePointReference"), Some(&name)),
                link(base, "Down", &format!("{path}/vmRestorePoints"), Some("VmRestorePointReferenceList"), None),
                link(base, "Related", &format!("{path}/backupFiles"), Some("RestorePointReferenceList"), None),
            ]),
            backup_date_utc: Some(point.created),
        })
    }

    /// `GET /restorePoints`.
    pub fn restore_point_refs(&self, base: &str) -> m::EntityReferenceList {
        m::EntityReferenceList {
            items: self
                .inventory
                .restore_points
                .iter()
                .filter_map(|p| self.restore_point_ref(base, &p.id).ok())
                .collect(),
        }
    }

    /// `GET /restorePoints?format=Entity`.
    pub fn restore_point_entities(&self, base: &str) -> m::RestorePointList {
        m::RestorePointList {
            items: self
                .inventory
                .restore_points
                .iter()
                .filter_map(|p| self.restore_point_entity(base, &p.id).ok())
                .collect(),
        }
    }

    /// `GET /restorePoints/{id}/vmRestorePoints`.
    pub fn restore_point_vm_points(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let point = self.inventory.restore_point(id)?;
        let items = point.vm_points.iter().filter_map(|v| self.point_ref(base, PointKind::Restore, v).ok()).collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /restorePoints/{id}/backupFiles`.
    pub fn restore_point_files(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let point = self.inventory.restore_point(id)?;
        Ok(m::EntityReferenceList { items: self.backup_file_ref(base, &point.file).into_iter().collect() })
    }

    // ----- backup files -----

    /// `GET /backupFiles/{id}`.
    pub fn backup_file_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let file = self.inventory.backup_file(id)?;
        let backup = self.inventory.backup(&file.backup)?;
        let path = format!("/backupFiles/{}", file.id);
        Ok(reference(
            base,
            "BackupFileReference",
            &path,
            &file.name,
            format!("urn:veeam:BackupFile:{}", file.id),
            vec![
                link(base, "Up", &format!("/backups/{}", backup.id), Some("BackupReference"), Some(&backup.name)),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some("BackupFile"), Some(&file.name)),
            ],
        ))
    }

    /// `GET /backupFiles/{id}?format=Entity`: links as in the doc example (the restore points link is
    /// `Related`, typed `BackupFileReferenceList`).
    pub fn backup_file_entity(&self, base: &str, id: &str) -> Result<m::BackupFile, Fault> {
        let file = self.inventory.backup_file(id)?;
        let backup = self.inventory.backup(&file.backup)?;
        let repo = &self.inventory.repositories[backup.repository];
        let path = format!("/backupFiles/{}", file.id);
        let ratio = |a: i64, b: i64| Double((a as f64 / b as f64 * 100.0).round() / 100.0);
        Ok(m::BackupFile {
            link_type: Some("BackupFile".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(file.name.clone()),
            uid: Some(format!("urn:veeam:BackupFile:{}", file.id)),
            links: Some(vec![
                link(base, "Up", &format!("/backups/{}", backup.id), Some("BackupReference"), Some(&backup.name)),
                self.server_up(base),
                link(base, "Alternate", &path, Some("BackupFileReference"), Some(&file.name)),
                link(base, "Related", &format!("{path}/restorePoints"), Some("BackupFileReferenceList"), None),
                link(base, "Down", &format!("{path}/vmRestorePoints"), Some("VmRestorePointReferenceList"), None),
            ]),
            file_path: Some(format!("D:\\Backups\\{}\\{}\\{}", repo.name, backup.name, file.name)),
            backup_size: Some(file.size),
            data_size: Some(file.data_size),
            deduplication_ratio: Some(ratio(file.data_size, file.size.max(1) * 2)),
            compress_ratio: Some(Double(2.0)),
            creation_time_utc: Some(file.created),
            file_type: Some(m::BackupFileType::from(file.file_type)),
        })
    }

    /// `GET /backupFiles`.
    pub fn backup_file_refs(&self, base: &str) -> m::EntityReferenceList {
        m::EntityReferenceList {
            items: self.inventory.backup_files.iter().filter_map(|f| self.backup_file_ref(base, &f.id).ok()).collect(),
        }
    }

    /// `GET /backupFiles?format=Entity`.
    pub fn backup_file_entities(&self, base: &str) -> m::BackupFileList {
        m::BackupFileList {
            items: self
                .inventory
                .backup_files
                .iter()
                .filter_map(|f| self.backup_file_entity(base, &f.id).ok())
                .collect(),
        }
    }

    /// `GET /backupFiles/{id}/restorePoints`.
    pub fn backup_file_restore_points(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let file = self.inventory.backup_file(id)?;
        let items = self
            .inventory
            .restore_points
            .iter()
            .filter(|p| p.file == file.id)
            .filter_map(|p| self.restore_point_ref(base, &p.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /backupFiles/{id}/vmRestorePoints`.
    pub fn backup_file_vm_points(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let file = self.inventory.backup_file(id)?;
        let items = self
            .inventory
            .restore_points
            .iter()
            .filter(|p| p.file == file.id)
            .flat_map(|p| p.vm_points.iter())
            .filter_map(|v| self.point_ref(base, PointKind::Restore, v).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    // ----- job sessions -----

    /// `GET /backupSessions/{id}` or `/replicaSessions/{id}`.
    pub fn session_ref(&self, base: &str, kind: SessionKind, id: &str) -> Result<m::EntityReference, Fault> {
        let session = self.inventory.session(kind, id)?;
        let path = format!("{}/{}", kind.sessions(), session.id);
        let name = Inventory::session_name(session);
        Ok(reference(
            base,
            &format!("{}Reference", kind.session_type()),
            &path,
            &name,
            format!("urn:veeam:{}:{}", kind.session_type(), session.id),
            vec![
                self.server_up(base),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some(kind.session_type()), Some(&name)),
            ],
        ))
    }

    fn session_links(&self, base: &str, session: &JobSessionRec) -> Vec<m::Link> {
        let kind = session.kind;
        let path = format!("{}/{}", kind.sessions(), session.id);
        let name = Inventory::session_name(session);
        let mut links = vec![self.server_up(base)];
        if let Ok(job) = self.inventory.job(&session.job) {
            links.push(link(base, "Up", &format!("/jobs/{}", job.id), Some("JobReference"), Some(&job.name)));
        }
        links.push(link(base, "Alternate", &path, Some(&format!("{}Reference", kind.session_type())), Some(&name)));
        links.push(link(
            base,
            "Down",
            &format!("{path}/{}", kind.session_tasks()),
            Some(&format!("{}ReferenceList", kind.task_type())),
            None,
        ));
        if kind == SessionKind::Backup {
            links.push(link(base, "Stop", &format!("{path}?action=stop"), None, None));
            if let Some(point) = session.restore_point.as_deref().and_then(|p| self.inventory.restore_point(p).ok()) {
                links.push(link(
                    base,
                    "Related",
                    &format!("/restorePoints/{}", point.id),
                    Some("RestorePointReference"),
                    Some(&point_name(&point.created)),
                ));
            }
        }
        links
    }
}

/// Builds a job session document (`BackupJobSession` or `ReplicaJobSession`, which have the same fields).
macro_rules! job_session {
    ($ty:ident, $sim:expr, $base:expr, $session:expr) => {{
        let session: &JobSessionRec = $session;
        let kind = session.kind;
        m::$ty {
            link_type: Some(kind.session_type().to_owned()),
            href: Some(format!("{}{}/{}?format=Entity", $base, kind.sessions(), session.id)),
            name: Some(Inventory::session_name(session)),
            uid: Some(format!("urn:veeam:{}:{}", kind.session_type(), session.id)),
            links: Some($sim.session_links($base, session)),
            job_uid: Some(format!("urn:veeam:Job:{}", session.job)),
            job_name: Some(session.job_name.clone()),
            job_type: Some(m::JobType::from(session.job_type)),
            creation_time_utc: Some(session.created),
            end_time_utc: session.ended,
            state: Some(m::JobSessionState::from(session.state)),
            result: Some(m::SessionResult::from(session.result)),
            progress: Some(session.progress),
            is_retry: Some(session.retry),
        }
    }};
}

/// Builds a task session document; `$($extra)*` adds the fields only one of the two types has.
macro_rules! task_session {
    ($ty:ident, $sim:expr, $base:expr, $task:expr $(, $field:ident: $value:expr)*) => {{
        let task: &TaskSessionRec = $task;
        m::$ty {
            link_type: Some(task.kind.task_type().to_owned()),
            href: Some(format!("{}{}/{}?format=Entity", $base, task.kind.tasks(), task.id)),
            name: Some(Inventory::task_session_name(task)),
            uid: Some(format!("urn:veeam:{}:{}", task.kind.task_type(), task.id)),
            vm_display_name: Some(task.vm.clone()),
            links: Some($sim.task_session_links($base, task)),
            job_session_uid: Some(format!("urn:veeam:{}:{}", task.kind.session_type(), task.session)),
            creation_time_utc: Some(task.created),
            end_time_utc: task.ended,
            state: Some(m::TaskSessionState::from(task.state)),
            result: Some(m::SessionResult::from(task.result)),
            reason: Some(String::new()),
            total_size: Some(task.total_size),
            $($field: $value,)*
        }
    }};
}

impl Sim {
    fn sessions_of(&self, kind: SessionKind) -> impl Iterator<Item = &JobSessionRec> {
        self.inventory.sessions.iter().filter(move |s| s.kind == kind)
    }

    /// `GET /backupSessions` or `/replicaSessions`.
    pub fn session_refs(&self, base: &str, kind: SessionKind) -> m::EntityReferenceList {
        m::EntityReferenceList {
            items: self.sessions_of(kind).filter_map(|s| self.session_ref(base, kind, &s.id).ok()).collect(),
        }
    }

    /// `GET /backupSessions/{id}?format=Entity`.
    pub fn backup_session(&self, base: &str, id: &str) -> Result<m::BackupJobSession, Fault> {
        let session = self.inventory.session(SessionKind::Backup, id)?;
        Ok(job_session!(BackupJobSession, self, base, session))
    }

    /// `GET /replicaSessions/{id}?format=Entity`.
    pub fn replica_session(&self, base: &str, id: &str) -> Result<m::ReplicaJobSession, Fault> {
        let session = self.inventory.session(SessionKind::Replica, id)?;
        Ok(job_session!(ReplicaJobSession, self, base, session))
    }

    /// `GET /backupSessions?format=Entity`.
    pub fn backup_sessions(&self, base: &str) -> m::BackupJobSessionList {
        m::BackupJobSessionList {
            items: self
                .sessions_of(SessionKind::Backup)
                .map(|s| job_session!(BackupJobSession, self, base, s))
                .collect(),
        }
    }

    /// `GET /replicaSessions?format=Entity`.
    pub fn replica_sessions(&self, base: &str) -> m::ReplicaJobSessionList {
        m::ReplicaJobSessionList {
            items: self
                .sessions_of(SessionKind::Replica)
                .map(|s| job_session!(ReplicaJobSession, self, base, s))
                .collect(),
        }
    }

    /// `POST /backupSessions/{id}?action=stop`.
    pub fn stop_session(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let session = self.inventory.session(SessionKind::Backup, id)?.id.clone();
        self.new_task(base, token, TaskKind::SessionStop, Action::Inventory(Change::StopSession { session }))
    }

    // ----- task sessions -----

    fn task_session_links(&self, base: &str, task: &TaskSessionRec) -> Vec<m::Link> {
        let kind = task.kind;
        let path = format!("{}/{}", kind.tasks(), task.id);
        let name = Inventory::task_session_name(task);
        let mut links = vec![self.server_up(base)];
        if let Ok(session) = self.inventory.session(kind, &task.session) {
            links.push(link(
                base,
                "Up",
                &format!("{}/{}", kind.sessions(), session.id),
                Some(&format!("{}Reference", kind.session_type())),
                Some(&Inventory::session_name(session)),
            ));
        }
        links.push(link(base, "Alternate", &path, Some(&format!("{}Reference", kind.task_type())), Some(&name)));
        if let Some(point) = &task.point {
            let point_kind = kind.point();
            let collection = match point_kind {
                PointKind::Replica => "/vmReplicaPoints",
                PointKind::Restore => "/vmRestorePoints",
            };
            let point_type = match point_kind {
                PointKind::Replica => "VmReplicaPoint",
                PointKind::Restore => "VmRestorePoint",
            };
            let point_name = self.point_ref(base, point_kind, point).ok().and_then(|r| r.name);
            links.push(link(
                base,
                "Related",
                &format!("{collection}/{point}?format=Entity"),
                Some(point_type),
                point_name.as_deref(),
            ));
        }
        links
    }

    /// `GET /backupTaskSessions/{id}` or `/replicaTaskSessions/{id}`.
    pub fn task_session_ref(&self, base: &str, kind: SessionKind, id: &str) -> Result<m::EntityReference, Fault> {
        let task = self.inventory.task_session(kind, id)?;
        let path = format!("{}/{}", kind.tasks(), task.id);
        let name = Inventory::task_session_name(task);
        Ok(reference(
            base,
            &format!("{}Reference", kind.task_type()),
            &path,
            &name,
            format!("urn:veeam:{}:{}", kind.task_type(), task.id),
            vec![
                self.server_up(base),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some(kind.task_type()), Some(&name)),
            ],
        ))
    }

    fn backup_task_session_doc(&self, base: &str, task: &TaskSessionRec) -> m::BackupTaskSession {
        task_session!(BackupTaskSession, self, base, task, vm_uid: Some(format!("urn:VMware:Vm:{}", guid(19, task.vm.len() as u64))))
    }

    fn replica_task_session_doc(&self, base: &str, task: &TaskSessionRec) -> m::ReplicaTaskSession {
        task_session!(ReplicaTaskSession, self, base, task)
    }

    /// `GET /backupTaskSessions/{id}?format=Entity`.
    pub fn backup_task_session(&self, base: &str, id: &str) -> Result<m::BackupTaskSession, Fault> {
        let task = self.inventory.task_session(SessionKind::Backup, id)?;
        Ok(self.backup_task_session_doc(base, task))
    }

    /// `GET /replicaTaskSessions/{id}?format=Entity`.
    pub fn replica_task_session(&self, base: &str, id: &str) -> Result<m::ReplicaTaskSession, Fault> {
        let task = self.inventory.task_session(SessionKind::Replica, id)?;
        Ok(self.replica_task_session_doc(base, task))
    }

    /// Task sessions of one kind, or of one job session when `session` is given (404 if it does not exist).
    fn task_sessions_of(&self, kind: SessionKind, session: Option<&str>) -> Result<Vec<&TaskSessionRec>, Fault> {
        let session = match session {
            Some(id) => Some(self.inventory.session(kind, id)?.id.clone()),
            None => None,
        };
        Ok(self
            .inventory
            .task_sessions
            .iter()
            .filter(|t| t.kind == kind && session.as_ref().is_none_or(|s| *s == t.session))
            .collect())
    }

    /// `GET /backupTaskSessions`, `/replicaTaskSessions`, or a job session's task sessions.
    pub fn task_session_refs(
        &self,
        base: &str,
        kind: SessionKind,
        session: Option<&str>,
    ) -> Result<m::EntityReferenceList, Fault> {
        let items = self
            .task_sessions_of(kind, session)?
            .into_iter()
            .filter_map(|t| self.task_session_ref(base, kind, &t.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /backupTaskSessions?format=Entity` or a backup session's task sessions as entities.
    pub fn backup_task_sessions(&self, base: &str, session: Option<&str>) -> Result<m::BackupTaskSessionList, Fault> {
        let items = self
            .task_sessions_of(SessionKind::Backup, session)?
            .into_iter()
            .map(|t| self.backup_task_session_doc(base, t))
            .collect();
        Ok(m::BackupTaskSessionList { items })
    }

    /// `GET /replicaTaskSessions?format=Entity` or a replication session's task sessions as entities.
    pub fn replica_task_sessions(&self, base: &str, session: Option<&str>) -> Result<m::ReplicaTaskSessionList, Fault> {
        let items = self
            .task_sessions_of(SessionKind::Replica, session)?
            .into_iter()
            .map(|t| self.replica_task_session_doc(base, t))
            .collect();
        Ok(m::ReplicaTaskSessionList { items })
    }

    // ----- jobs -----

    /// `GET /jobs/{id}`.
    pub fn job_ref(&self, base: &str, id: &str) -> Result<m::EntityReference, Fault> {
        let job = self.inventory.job(id)?;
        let path = format!("/jobs/{}", job.id);
        Ok(reference(
            base,
            "JobReference",
            &path,
            &job.name,
            format!("urn:veeam:Job:{}", job.id),
            vec![
                self.server_up(base),
                link(base, "Alternate", &format!("{path}?format=Entity"), Some("Job"), Some(&job.name)),
                link(base, "Down", &format!("{path}/backupSessions"), Some("BackupJobSessionReferenceList"), None),
            ],
        ))
    }

    fn object_in_job(base: &str, job: &JobRec, include: &IncludeRec, with_links: bool) -> m::ObjectInJob {
        let path = format!("/jobs/{}/includes/{}", job.id, include.id);
        m::ObjectInJob {
            link_type: Some("ObjectInJob".to_owned()),
            href: Some(format!("{base}{path}")),
            links: with_links.then(|| {
                vec![
                    link(base, "Up", &format!("/jobs/{}?format=Entity", job.id), Some("Job"), Some(&job.name)),
                    link(base, "Delete", &path, None, None),
                ]
            }),
            object_in_job_id: Some(include.id.clone()),
            hierarchy_obj_ref: Some(include.hierarchy_ref.clone()),
            name: Some(include.name.clone()),
            display_name: Some(include.name.clone()),
            guest_processing_options: include.guest.clone(),
        }
    }

    fn linked_job(base: &str, job: &JobRec, linked: &LinkedRec, with_links: bool) -> m::LinkedJobObject {
        let path = format!("/jobs/{}/linkedJobs/{}", job.id, linked.id);
        m::LinkedJobObject {
            link_type: with_links.then(|| "LinkedJobObject".to_owned()),
            href: with_links.then(|| format!("{base}{path}")),
            links: with_links.then(|| {
                vec![
                    link(base, "Up", &format!("/jobs/{}?format=Entity", job.id), Some("Job"), Some(&job.name)),
                    link(base, "Delete", &path, None, None),
                ]
            }),
            object_in_job_id: Some(linked.id.clone()),
            linked_job_uid: Some(linked.uid.clone()),
        }
    }

    fn linked_repository(base: &str, job: &JobRec, linked: &LinkedRec, with_links: bool) -> m::LinkedBackupRepository {
        let path = format!("/jobs/{}/linkedBackupRepositories/{}", job.id, linked.id);
        m::LinkedBackupRepository {
            link_type: with_links.then(|| "LinkedBackupRepositoryObject".to_owned()),
            href: with_links.then(|| format!("{base}{path}")),
            links: with_links.then(|| {
                vec![
                    link(base, "Up", &format!("/jobs/{}?format=Entity", job.id), Some("Job"), Some(&job.name)),
                    link(base, "Delete", &path, None, None),
                ]
            }),
            object_in_job_id: Some(linked.id.clone()),
            linked_backup_repository_uid: Some(linked.uid.clone()),
        }
    }

    fn job_info(base: &str, job: &JobRec) -> m::JobInfo {
        let includes: Vec<m::ObjectInJob> =
            job.includes.iter().map(|i| Sim::object_in_job(base, job, i, false)).collect();
        let settings = match job.job_type {
            "Backup" => m::JobInfoSettings::BackupJobInfo(m::BackupJobInfo {
                includes: Some(includes),
                guest_processing_options: Some(guest_processing(m::VssSnapshotMode::Disabled)),
                advanced_storage_options: Some(m::AdvancedStorageOptions { password_key_id: Some(String::new()) }),
                gfs_retention_policy: Some(m::GfsRetentionPolicy {
                    weekly: Some(m::GfsWeeklyOptions {
                        enabled: Some(false),
                        retention_period: Some(1),
                        selected_day: Some(m::DayOfWeek::Sunday),
                    }),
                    monthly: Some(m::GfsMonthlyOptions {
                        enabled: Some(false),
                        retention_period: Some(1),
                        selected_week: Some(m::GfsWeekOfMonth::First),
                    }),
                    yearly: Some(m::GfsYearlyOptions {
                        enabled: Some(false),
                        retention_period: Some(1),
                        selected_month: Some(m::Month::January),
                    }),
                    enabled: Some(false),
                }),
                simple_retention_policy: Some(m::SimpleRetentionPolicy {
                    retain_cycles: Some(job.retain_cycles),
                    retain_days_to_keep: Some(7),
                    retain_limit_type: Some(m::RetainLimitType::Cycles),
                }),
            }),
            "Replica" => m::JobInfoSettings::ReplicaJobInfo(m::ReplicaJobInfo {
                includes: Some(includes),
                guest_processing_options: Some(guest_processing(m::VssSnapshotMode::IgnoreFailures)),
            }),
            _ => m::JobInfoSettings::ImmediateBackupCopyJobInfo(m::ImmediateBackupCopyJobInfo {
                linked_job_includes: Some(
                    job.linked_jobs.iter().map(|l| Sim::linked_job(base, job, l, false)).collect(),
                ),
                linked_backup_includes: Some(Vec::new()),
                linked_backup_repository_includes: Some(
                    job.linked_repositories.iter().map(|l| Sim::linked_repository(base, job, l, false)).collect(),
                ),
            }),
        };
        m::JobInfo { settings: Some(settings) }
    }

    /// `GET /jobs/{id}?format=Entity`, with the links the doc examples show for the job's kind.
    pub fn job_entity(&self, base: &str, id: &str) -> Result<m::Job, Fault> {
        let job = self.inventory.job(id)?;
        let path = format!("/jobs/{}", job.id);
        let name = job.name.as_str();
        let mut links = vec![self.server_up(base), link(base, "Alternate", &path, Some("JobReference"), Some(name))];
        if !job.is_copy() {
            links.push(link(base, "Edit", &path, Some("JobReference"), Some(name)));
        }
        links.push(link(base, "Clone", &format!("{path}?action=clone"), None, None));
        links.push(link(base, "ToggleScheduleEnabled", &format!("{path}?action=toggleScheduleEnabled"), None, None));
        if job.is_copy() {
            links.push(link(
                base,
                "Down",
                &format!("{path}/backupSessions"),
                Some("BackupJobSessionReferenceList"),
                None,
            ));
            links.push(link(base, "Sync", &format!("{path}?action=sync"), None, None));
            links.push(link(base, "Down", &format!("{path}/linkedJobs"), Some("LinkedJobObjectList"), None));
            links.push(link(
                base,
                "Down",
                &format!("{path}/linkedBackupRepositories"),
                Some("LinkedBackupRepositoryObjectList"),
                None,
            ));
            links.push(link(base, "Create", &format!("{path}/linkedJobs"), Some("LinkedJobObject"), None));
            links.push(link(
                base,
                "Create",
                &format!("{path}/linkedBackupRepositories"),
                Some("LinkedBackupRepositoryObject"),
                None,
            ));
        } else {
            links.push(link(base, "Down", &format!("{path}/includes"), Some("ObjectInJobList"), None));
            links.push(link(
                base,
                "Down",
                &format!("{path}/backupSessions"),
                Some("BackupJobSessionReferenceList"),
                None,
            ));
            links.push(link(base, "Create", &format!("{path}/includes"), Some("ObjectInJob"), None));
            links.push(link(base, "Start", &format!("{path}?action=start"), None, None));
            links.push(link(base, "Stop", &format!("{path}?action=stop"), None, None));
            links.push(link(base, "Retry", &format!("{path}?action=retry"), None, None));
        }
        Ok(m::Job {
            link_type: Some("Job".to_owned()),
            href: Some(format!("{base}{path}?format=Entity")),
            name: Some(job.name.clone()),
            uid: Some(format!("urn:veeam:Job:{}", job.id)),
            links: Some(links),
            job_type: Some(m::JobType::from(job.job_type)),
            platform: Some(m::Platform::from(job.platform)),
            description: Some(job.description.clone()),
            schedule_configured: Some(true),
            schedule_enabled: Some(job.schedule_enabled),
            next_run: if job.schedule_enabled { job.next_run } else { None },
            job_schedule_options: Some(job.schedule.clone()),
            job_info: Some(Sim::job_info(base, job)),
        })
    }

    /// `GET /jobs`.
    pub fn job_refs(&self, base: &str) -> m::EntityReferenceList {
        m::EntityReferenceList {
            items: self.inventory.jobs.iter().filter_map(|j| self.job_ref(base, &j.id).ok()).collect(),
        }
    }

    /// `GET /jobs?format=Entity`.
    pub fn jobs(&self, base: &str) -> m::JobList {
        m::JobList { items: self.inventory.jobs.iter().filter_map(|j| self.job_entity(base, &j.id).ok()).collect() }
    }

    /// `GET /jobs/{id}/backupSessions`: the job's sessions (replication sessions for a replication job).
    pub fn job_sessions(&self, base: &str, id: &str) -> Result<m::EntityReferenceList, Fault> {
        let job = self.inventory.job(id)?;
        let kind = job.session_kind();
        let items = self
            .sessions_of(kind)
            .filter(|s| s.job == job.id)
            .filter_map(|s| self.session_ref(base, kind, &s.id).ok())
            .collect();
        Ok(m::EntityReferenceList { items })
    }

    /// `GET /jobs/{id}/includes`.
    pub fn job_includes(&self, base: &str, id: &str) -> Result<m::ObjectInJobList, Fault> {
        let job = self.inventory.job(id)?;
        Ok(m::ObjectInJobList { items: job.includes.iter().map(|i| Sim::object_in_job(base, job, i, true)).collect() })
    }

    fn include(&self, id: &str, include: &str) -> Result<(&JobRec, &IncludeRec), Fault> {
        let job = self.inventory.job(id)?;
        let found = job
            .includes
            .iter()
            .find(|i| same_id(&i.id, include))
            .ok_or_else(|| Fault::not_found(format!("Job {} processes no object {include}.", job.name)))?;
        Ok((job, found))
    }

    /// `GET /jobs/{id}/includes/{includeId}`.
    pub fn job_include(&self, base: &str, id: &str, include: &str) -> Result<m::ObjectInJob, Fault> {
        let (job, found) = self.include(id, include)?;
        Ok(Sim::object_in_job(base, job, found, true))
    }

    /// `GET /jobs/{id}/linkedJobs`.
    pub fn job_linked_jobs(&self, base: &str, id: &str) -> Result<m::LinkedJobList, Fault> {
        let job = self.inventory.job(id)?;
        Ok(m::LinkedJobList { items: job.linked_jobs.iter().map(|l| Sim::linked_job(base, job, l, true)).collect() })
    }

    /// `GET /jobs/{id}/linkedBackupRepositories`.
    pub fn job_linked_repositories(&self, base: &str, id: &str) -> Result<m::LinkedBackupRepositoryList, Fault> {
        let job = self.inventory.job(id)?;
        Ok(m::LinkedBackupRepositoryList {
            items: job.linked_repositories.iter().map(|l| Sim::linked_repository(base, job, l, true)).collect(),
        })
    }

    // ----- job actions -----

    fn job_task(&mut self, base: &str, token: &str, kind: TaskKind, change: Change) -> Result<m::Task, Fault> {
        self.new_task(base, token, kind, Action::Inventory(change))
    }

    /// `POST /jobs/{id}?action=start` (`retry == false`) or `?action=retry`.
    pub fn job_start(&mut self, base: &str, token: &str, id: &str, retry: bool) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?;
        if job.is_copy() {
            return Err(Fault::bad_request(format!(
                "Job {} is a backup copy job: start it with ?action=sync.",
                job.name
            )));
        }
        let job = job.id.clone();
        let kind = if retry { TaskKind::JobRetry } else { TaskKind::JobStart };
        self.job_task(base, token, kind, Change::Start { job, retry })
    }

    /// `POST /jobs/{id}?action=stop`.
    pub fn job_stop(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?.id.clone();
        self.job_task(base, token, TaskKind::JobStop, Change::Stop { job })
    }

    /// `POST /jobs/{id}?action=sync`: backup copy jobs only.
    pub fn job_sync(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?;
        if !job.is_copy() {
            return Err(Fault::bad_request(format!("Job {} is not a backup copy job: use ?action=start.", job.name)));
        }
        let job = job.id.clone();
        self.job_task(base, token, TaskKind::JobSync, Change::Sync { job })
    }

    /// `POST /jobs/{id}?action=toggleScheduleEnabled`.
    pub fn job_toggle_schedule(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?.id.clone();
        self.job_task(base, token, TaskKind::JobUpdate, Change::ToggleSchedule { job })
    }

    /// `POST /jobs/{id}?action=clone`: the clone spec must match the job's kind.
    pub fn job_clone(&mut self, base: &str, token: &str, id: &str, spec: &m::JobCloneSpec) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?;
        let (name, description, fits) = match &spec.info {
            Some(m::JobCloneSpecInfo::BackupJobCloneInfo(i)) => (&i.job_name, &i.description, job.job_type == "Backup"),
            Some(m::JobCloneSpecInfo::ReplicaJobCloneInfo(i)) => {
                (&i.job_name, &i.description, job.job_type == "Replica")
            }
            Some(m::JobCloneSpecInfo::BackupCopyJobCloneInfo(i)) => {
                (&i.job_name, &i.description, job.job_type == "BackupCopy")
            }
            Some(m::JobCloneSpecInfo::ImmediateBackupCopyJobCloneInfo(i)) => {
                (&i.job_name, &i.description, job.job_type == "ImmediateBackupCopy")
            }
            _ => return Err(Fault::bad_request("JobCloneSpec needs the clone settings of the job's kind.")),
        };
        if !fits {
            return Err(Fault::bad_request(format!(
                "Job {} is a {} job; send the clone settings of that kind.",
                job.name, job.job_type
            )));
        }
        if name.trim().is_empty() || name.chars().count() > 50 {
            return Err(Fault::bad_request("JobName must have 1 to 50 characters."));
        }
        let change = Change::Clone { job: job.id.clone(), name: name.clone(), description: description.clone() };
        self.job_task(base, token, TaskKind::JobClone, change)
    }

    /// `PUT /jobs/{id}?action=edit`.
    pub fn job_edit(&mut self, base: &str, token: &str, id: &str, edit: m::Job) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?.id.clone();
        self.job_task(base, token, TaskKind::JobEdit, Change::Edit { job, edit: Box::new(edit) })
    }

    /// `DELETE /jobs/{id}`.
    pub fn job_delete(&mut self, base: &str, token: &str, id: &str) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?.id.clone();
        self.job_task(base, token, TaskKind::JobDelete, Change::Delete { job })
    }

    /// `POST /jobs/{id}/includes`.
    pub fn job_add_include(
        &mut self,
        base: &str,
        token: &str,
        id: &str,
        spec: m::CreateObjectInJobSpec,
    ) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?;
        if job.is_copy() {
            return Err(Fault::bad_request(format!("Job {} is a backup copy job: link jobs instead.", job.name)));
        }
        if spec.hierarchy_obj_ref.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(Fault::bad_request("HierarchyObjRef is required."));
        }
        let job = job.id.clone();
        self.job_task(base, token, TaskKind::JobUpdate, Change::AddInclude { job, spec: Box::new(spec) })
    }

    /// `DELETE /jobs/{id}/includes/{includeId}`: refused for the job's last object.
    pub fn job_remove_include(&mut self, base: &str, token: &str, id: &str, include: &str) -> Result<m::Task, Fault> {
        let (job, found) = self.include(id, include)?;
        if job.includes.len() == 1 {
            return Err(Fault::bad_request(format!("{} is the only object of job {}.", found.name, job.name)));
        }
        let change = Change::RemoveInclude { job: job.id.clone(), include: found.id.clone() };
        self.job_task(base, token, TaskKind::JobUpdate, change)
    }

    /// `POST /jobs/{id}/linkedJobs` (`repository == false`) or `/linkedBackupRepositories`.
    pub fn job_link(
        &mut self,
        base: &str,
        token: &str,
        id: &str,
        uid: Option<&str>,
        repository: bool,
    ) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?;
        if !job.is_copy() {
            return Err(Fault::bad_request(format!("Job {} is not a backup copy job.", job.name)));
        }
        let what = if repository { "LinkedBackupRepositoryUid" } else { "LinkedJobUid" };
        let Some(uid) = uid.filter(|u| !u.trim().is_empty()) else {
            return Err(Fault::bad_request(format!("{what} is required.")));
        };
        let target = uid.rsplit(':').next().unwrap_or(uid);
        if repository {
            self.inventory.repository_index(target)?;
        } else {
            self.inventory.job(target)?;
        }
        let change = Change::Link { job: job.id.clone(), uid: uid.to_owned(), repository };
        self.job_task(base, token, TaskKind::JobUpdate, change)
    }

    /// `DELETE /jobs/{id}/linkedJobs/{linkId}` or `/linkedBackupRepositories/{linkId}`.
    pub fn job_unlink(
        &mut self,
        base: &str,
        token: &str,
        id: &str,
        link_id: &str,
        repository: bool,
    ) -> Result<m::Task, Fault> {
        let job = self.inventory.job(id)?;
        let links = if repository { &job.linked_repositories } else { &job.linked_jobs };
        let found = links
            .iter()
            .find(|l| same_id(&l.id, link_id))
            .ok_or_else(|| Fault::not_found(format!("Job {} has no link {link_id}.", job.name)))?;
        let change = Change::Unlink { job: job.id.clone(), link: found.id.clone(), repository };
        self.job_task(base, token, TaskKind::JobUpdate, change)
    }

    /// Carries out a completed job or session task.
    pub(crate) fn apply(&mut self, change: &Change) -> Outcome {
        let ok = |message: String, links| Outcome { success: true, message, links };
        let gone = || Outcome { success: false, message: "The job no longer exists.".to_owned(), links: Vec::new() };
        match change {
            Change::Start { job, retry } => {
                let Some(rec) = self.inventory.jobs.iter().find(|j| same_id(&j.id, job)).cloned() else {
                    return gone();
                };
                let kind = rec.session_kind();
                let session = JobSessionRec {
                    id: fresh_guid(),
                    kind,
                    job: rec.id.clone(),
                    job_name: rec.name.clone(),
                    job_type: rec.job_type,
                    created: now(),
                    ended: None,
                    state: "Working",
                    result: "Success",
                    progress: 0,
                    retry: *retry,
                    restore_point: None,
                };
                for include in &rec.includes {
                    self.inventory.task_sessions.push(TaskSessionRec {
                        id: fresh_guid(),
                        kind,
                        session: session.id.clone(),
                        vm: include.name.clone(),
                        created: session.created,
                        ended: None,
                        state: "Pending",
                        result: "Success",
                        total_size: 0,
                        point: None,
                    });
                }
                self.inventory.sessions.push(session);
                let verb = if *retry { "retry" } else { "start" };
                ok(format!("Job \"{}\" triggered to {verb}.", rec.name), Vec::new())
            }
            Change::Stop { job } => {
                let Some(name) = self.inventory.jobs.iter().find(|j| same_id(&j.id, job)).map(|j| j.name.clone())
                else {
                    return gone();
                };
                let ended = now();
                for session in
                    self.inventory.sessions.iter_mut().filter(|s| same_id(&s.job, job) && s.state == "Working")
                {
                    stop(session, ended);
                }
                ok(format!("Job \"{name}\" triggered to stop."), Vec::new())
            }
            Change::Sync { job } => {
                let Some(rec) = self.inventory.jobs.iter().find(|j| same_id(&j.id, job)).cloned() else {
                    return gone();
                };
                let created = now();
                self.inventory.sessions.push(JobSessionRec {
                    id: fresh_guid(),
                    kind: SessionKind::Backup,
                    job: rec.id.clone(),
                    job_name: rec.name.clone(),
                    job_type: rec.job_type,
                    created,
                    ended: Some(created),
                    state: "Stopped",
                    result: "Success",
                    progress: 100,
                    retry: false,
                    restore_point: None,
                });
                ok("OperationFinished".to_owned(), Vec::new())
            }
            Change::ToggleSchedule { job } => match self.inventory.job_mut(job) {
                Some(rec) => {
                    rec.schedule_enabled = !rec.schedule_enabled;
                    ok("Ok".to_owned(), Vec::new())
                }
                None => gone(),
            },
            Change::Clone { job, name, description } => {
                let Some(mut copy) = self.inventory.jobs.iter().find(|j| same_id(&j.id, job)).cloned() else {
                    return gone();
                };
                copy.id = fresh_guid();
                copy.name = name.clone();
                copy.description = description.clone().unwrap_or_else(|| format!("Clone of {}", copy.name));
                for include in &mut copy.includes {
                    include.id = fresh_guid();
                }
                let related = (
                    "Related".to_owned(),
                    format!("/jobs/{}?format=Entity", copy.id),
                    Some("Job".to_owned()),
                    Some(copy.name.clone()),
                );
                self.inventory.jobs.push(copy);
                ok("Ok".to_owned(), vec![related])
            }
            Change::Edit { job, edit } => match self.inventory.job_mut(job) {
                Some(rec) => {
                    apply_edit(rec, edit);
                    ok("Ok".to_owned(), Vec::new())
                }
                None => gone(),
            },
            Change::Delete { job } => {
                let before = self.inventory.jobs.len();
                self.inventory.jobs.retain(|j| !same_id(&j.id, job));
                if self.inventory.jobs.len() == before {
                    return gone();
                }
                ok("Ok".to_owned(), Vec::new())
            }
            Change::AddInclude { job, spec } => match self.inventory.job_mut(job) {
                Some(rec) => {
                    let reference = spec.hierarchy_obj_ref.clone().unwrap_or_default();
                    let name = spec.hierarchy_obj_name.clone().unwrap_or_else(|| reference.clone());
                    rec.includes.push(IncludeRec {
                        id: fresh_guid(),
                        name,
                        hierarchy_ref: reference,
                        guest: spec.guest_processing_options.clone(),
                    });
                    ok("Ok".to_owned(), Vec::new())
                }
                None => gone(),
            },
            Change::RemoveInclude { job, include } => match self.inventory.job_mut(job) {
                Some(rec) => {
                    rec.includes.retain(|i| !same_id(&i.id, include));
                    ok("Ok".to_owned(), Vec::new())
                }
                None => gone(),
            },
            Change::Link { job, uid, repository } => match self.inventory.job_mut(job) {
                Some(rec) => {
                    let links = if *repository { &mut rec.linked_repositories } else { &mut rec.linked_jobs };
                    links.push(LinkedRec { id: fresh_guid(), uid: uid.clone() });
                    ok("Ok".to_owned(), Vec::new())
                }
                None => gone(),
            },
            Change::Unlink { job, link, repository } => match self.inventory.job_mut(job) {
                Some(rec) => {
                    let links = if *repository { &mut rec.linked_repositories } else { &mut rec.linked_jobs };
                    links.retain(|l| !same_id(&l.id, link));
                    ok("Ok".to_owned(), Vec::new())
                }
                None => gone(),
            },
            Change::StopSession { session } => {
                let ended = now();
                match self.inventory.sessions.iter_mut().find(|s| same_id(&s.id, session)) {
                    Some(rec) => {
                        let name = Inventory::session_name(rec);
                        stop(rec, ended);
                        ok(format!("Job Session \"{name}\" triggered to stop."), Vec::new())
                    }
                    None => Outcome {
                        success: false,
                        message: "The session no longer exists.".to_owned(),
                        links: Vec::new(),
                    },
                }
            }
        }
    }

    // ----- query -----

    fn query_rows(&self, kind: QueryKind) -> Vec<(String, Vec<String>)> {
        let server = (self.server_uid(), self.backup_server.name.clone());
        let inv = &self.inventory;
        let job_name = |id: &str| inv.job(id).map(|j| j.name.clone()).unwrap_or_default();
        match kind {
            QueryKind::Job => inv
                .jobs
                .iter()
                .map(|j| {
                    let values = vec![
                        format!("urn:veeam:Job:{}", j.id),
                        j.name.clone(),
                        j.description.clone(),
                        opt_time(j.next_run),
                        j.job_type.to_owned(),
                        j.platform.to_owned(),
                        "true".to_owned(),
                        j.schedule_enabled.to_string(),
                        server.0.clone(),
                        server.1.clone(),
                    ];
                    (j.id.clone(), values)
                })
                .collect(),
            QueryKind::BackupJobSession | QueryKind::ReplicaJobSession => {
                let session_kind =
                    if kind == QueryKind::BackupJobSession { SessionKind::Backup } else { SessionKind::Replica };
                self.sessions_of(session_kind)
                    .map(|s| {
                        let values = vec![
                            format!("urn:veeam:{}:{}", session_kind.session_type(), s.id),
                            Inventory::session_name(s),
                            s.job_type.to_owned(),
                            format!("urn:veeam:Job:{}", s.job),
                            s.job_name.clone(),
                            s.created.to_string(),
                            opt_time(s.ended),
                            s.state.to_owned(),
                            s.result.to_owned(),
                            s.retry.to_string(),
                            server.0.clone(),
                            server.1.clone(),
                        ];
                        (s.id.clone(), values)
                    })
                    .collect()
            }
            QueryKind::BackupTaskSession | QueryKind::ReplicaTaskSession => {
                let session_kind =
                    if kind == QueryKind::BackupTaskSession { SessionKind::Backup } else { SessionKind::Replica };
                inv.task_sessions
                    .iter()
                    .filter(|t| t.kind == session_kind)
                    .map(|t| {
                        let job = inv.session(session_kind, &t.session).map(|s| s.job.clone()).unwrap_or_default();
                        let values = vec![
                            format!("urn:veeam:{}:{}", session_kind.task_type(), t.id),
                            Inventory::task_session_name(t),
                            t.created.to_string(),
                            opt_time(t.ended),
                            t.state.to_owned(),
                            t.result.to_owned(),
                            String::new(),
                            format!("urn:veeam:{}:{}", session_kind.session_type(), t.session),
                            format!("urn:veeam:Job:{job}"),
                            job_name(&job),
                            server.0.clone(),
                            server.1.clone(),
                            t.vm.clone(),
                        ];
                        (t.id.clone(), values)
                    })
                    .collect()
            }
            QueryKind::Repository => inv
                .repositories
                .iter()
                .map(|r| {
                    let values = vec![
                        format!("urn:veeam:Repository:{}", r.id),
                        r.name.clone(),
                        server.0.clone(),
                        server.1.clone(),
                    ];
                    (r.id.clone(), values)
                })
                .collect(),
            QueryKind::Backup => inv
                .backups
                .iter()
                .map(|b| {
                    let repo = &inv.repositories[b.repository];
                    let job = b.job.clone().unwrap_or_default();
                    let values = vec![
                        format!("urn:veeam:Backup:{}", b.id),
                        b.name.clone(),
                        if job.is_empty() { String::new() } else { format!("urn:veeam:Job:{job}") },
                        job_name(&job),
                        format!("urn:veeam:Repository:{}", repo.id),
                        repo.name.clone(),
                        b.platform.to_owned(),
                        b.backup_type.to_owned(),
                    ];
                    (b.id.clone(), values)
                })
                .collect(),
            QueryKind::RestorePoint => inv
                .restore_points
                .iter()
                .map(|p| {
                    let backup = inv.backup(&p.backup).map(|b| b.name.clone()).unwrap_or_default();
                    let values = vec![
                        format!("urn:veeam:RestorePoint:{}", p.id),
                        point_name(&p.created),
                        p.created.to_string(),
                        format!("urn:veeam:Backup:{}", p.backup),
                        backup,
                        server.0.clone(),
                        server.1.clone(),
                    ];
                    (p.id.clone(), values)
                })
                .collect(),
            QueryKind::BackupFile => inv
                .backup_files
                .iter()
                .map(|f| {
                    let backup = inv.backup(&f.backup).map(|b| b.name.clone()).unwrap_or_default();
                    let values = vec![
                        format!("urn:veeam:BackupFile:{}", f.id),
                        f.name.clone(),
                        f.created.to_string(),
                        f.file_type.to_owned(),
                        format!("urn:veeam:Backup:{}", f.backup),
                        backup,
                        server.0.clone(),
                        server.1.clone(),
                    ];
                    (f.id.clone(), values)
                })
                .collect(),
        }
    }

    /// `GET /query?type=Job|BackupJobSession|...`: filtered, sorted and paged like the point queries.
    pub(crate) fn query_inventory(
        &self,
        base: &str,
        params: &QueryParams,
        kind: QueryKind,
        entities: bool,
        size: Option<usize>,
        page: usize,
    ) -> Result<m::QueryResult, Fault> {
        let ids = select_with(self.query_rows(kind), kind.props(), params)?;
        let total = ids.len();
        let size = size.unwrap_or(total.max(1));
        let (range, count) = page_range(total, size, page);
        let shown = &ids[range];
        let mut result = m::QueryResult::default();
        if entities {
            let mut all = m::QueryEntities::default();
            let backup_tasks = || -> Vec<m::BackupTaskSession> {
                shown.iter().filter_map(|id| self.backup_task_session(base, id).ok()).collect()
            };
            match kind {
                QueryKind::Job => {
                    all.jobs = Some(shown.iter().filter_map(|id| self.job_entity(base, id).ok()).collect())
                }
                QueryKind::BackupJobSession => {
                    all.backup_job_sessions =
                        Some(shown.iter().filter_map(|id| self.backup_session(base, id).ok()).collect())
                }
                QueryKind::ReplicaJobSession => {
                    all.replica_job_sessions =
                        Some(shown.iter().filter_map(|id| self.replica_session(base, id).ok()).collect())
                }
                QueryKind::BackupTaskSession => all.backup_task_sessions = Some(backup_tasks()),
                QueryKind::ReplicaTaskSession => {
                    all.replica_task_sessions =
                        Some(shown.iter().filter_map(|id| self.replica_task_session(base, id).ok()).collect())
                }
                QueryKind::Repository => {
                    all.repositories =
                        Some(shown.iter().filter_map(|id| self.repository_entity(base, id).ok()).collect())
                }
                QueryKind::Backup => {
                    all.backups = Some(shown.iter().filter_map(|id| self.backup_entity(base, id).ok()).collect())
                }
                QueryKind::RestorePoint => {
                    all.restore_points =
                        Some(shown.iter().filter_map(|id| self.restore_point_entity(base, id).ok()).collect())
                }
                QueryKind::BackupFile => {
                    all.backup_files =
                        Some(shown.iter().filter_map(|id| self.backup_file_entity(base, id).ok()).collect())
                }
            }
            result.entities = Some(all);
        } else {
            let reference = |id: &String| -> Option<m::EntityReference> {
                match kind {
                    QueryKind::Job => self.job_ref(base, id),
                    QueryKind::BackupJobSession => self.session_ref(base, SessionKind::Backup, id),
                    QueryKind::ReplicaJobSession => self.session_ref(base, SessionKind::Replica, id),
                    QueryKind::BackupTaskSession => self.task_session_ref(base, SessionKind::Backup, id),
                    QueryKind::ReplicaTaskSession => self.task_session_ref(base, SessionKind::Replica, id),
                    QueryKind::Repository => self.repository_ref(base, id),
                    QueryKind::Backup => self.backup_ref(base, id),
                    QueryKind::RestorePoint => self.restore_point_ref(base, id),
                    QueryKind::BackupFile => self.backup_file_ref(base, id),
                }
                .ok()
            };
            result.refs = Some(shown.iter().filter_map(reference).collect());
        }
        result.paging_info = Some(paging_info(base, page, size, count, &|p| query_href(params, size, p)));
        Ok(result)
    }
}

/// Ends a running session as stopped by the user.
fn stop(session: &mut JobSessionRec, ended: DateTime) {
    if session.state != "Stopped" {
        session.state = "Stopped";
        session.result = "Failed";
        session.ended = Some(ended);
    }
}

/// Applies what a `PUT ?action=edit` body sets: the description, whether the schedule is on, and per schedule
/// part whatever the body carries (retry settings field by field, each `Options*` element as a whole).
fn apply_edit(job: &mut JobRec, edit: &m::Job) {
    if let Some(description) = &edit.description {
        job.description = description.clone();
    }
    if let Some(enabled) = edit.schedule_enabled {
        job.schedule_enabled = enabled;
    }
    let Some(m::JobScheduleOptionsMode::Standard(new)) =
        edit.job_schedule_options.as_ref().and_then(|o| o.mode.as_ref())
    else {
        return;
    };
    let Some(m::JobScheduleOptionsMode::Standard(current)) = job.schedule.mode.as_mut() else {
        return;
    };
    if let Some(retry) = &new.retry_options {
        let target = current.retry_options.get_or_insert_with(Default::default);
        if let Some(times) = retry.retry_times {
            target.retry_times = Some(times);
            job.retry_times = times;
        }
        if retry.retry_timeout.is_some() {
            target.retry_timeout = retry.retry_timeout;
        }
        if retry.retry_specified.is_some() {
            target.retry_specified = retry.retry_specified;
        }
    }
    macro_rules! replace {
        ($($field:ident),*) => {$(
            if new.$field.is_some() {
                current.$field = new.$field.clone();
            }
        )*};
    }
    replace!(
        wait_for_backup_completion,
        backup_competition_waiting_period_min,
        options_daily,
        options_monthly,
        options_periodically,
        options_continuous,
        options_backup_window,
        options_daisy_chaining
    );
}
