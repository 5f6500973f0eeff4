//! An in-memory Veeam Backup Enterprise Manager for tests and demos.
//!
//! The simulator speaks the API described by the schema: the generated `veeam_em::server` router does the
//! routing and the XML/JSON encoding, and this crate supplies the behaviour of a small EM behind it: Basic
//! logon and session tokens with an idle timeout, a few replicas, replica points and restore points, jobs with
//! schedules and their actions, job and task sessions, repositories, backups, restore points and backup files
//! (the `inventory` module), tasks that finish after a configurable number of polls, mounts owned by their
//! logon session, a fake guest file tree to browse, page, restore and download, the query service with EM's
//! filter language, and switchable faults (latency, `500` answers, dropped connections, failing tasks).
//!
//! ```no_run
//! # async fn demo() {
//! let sim = veeam_em_sim::Simulator::start().await;
//! let client = reqwest::Client::new();
//! let logon = client
//!     .post(format!("{}sessionMngr/?v=latest", sim.base_url()))
//!     .basic_auth("admin", Some("secret"))
//!     .send()
//!     .await
//!     .expect("the simulator answers");
//! assert_eq!(logon.status(), 201);
//! assert_eq!(sim.logons(), 1);
//! # }
//! ```

#![warn(missing_docs)]

mod faults;
pub mod files;
pub mod filter;
pub mod inventory;
mod service;
pub mod state;
mod util;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::Method;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::{DropRule, Faults};
pub use service::SESSION_HEADER;
pub use state::{PointKind, Sim, TaskKind};

use service::{lock, Shared, SimService};

/// How the simulator behaves; [`SimConfig::default`] is what [`Simulator::start`] uses.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The one account that may log on (default `admin`).
    pub user: String,
    /// Its password (default `secret`).
    pub password: String,
    /// Sessions idle longer than this are ended (default 15 minutes, as EM).
    pub session_idle_timeout: Duration,
    /// Reads of a task until it reports `Finished`; the read before reports `OperationFinished` (default 2).
    pub task_polls: u32,
    /// Kinds of task that finish with `Success="false"`.
    pub fail_tasks: Vec<TaskKind>,
    /// The API root written into Hrefs, such as `https://em.example:9398/api`; by default it is built from
    /// the request's `Host` header.
    pub base_url: Option<String>,
    /// Delay added to every request (default none).
    pub latency: Duration,
    /// Page size of guest file listings that name none (default 100).
    pub listing_page_size: i32,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            user: "admin".to_owned(),
            password: "secret".to_owned(),
            session_idle_timeout: Duration::from_secs(15 * 60),
            task_polls: 2,
            fail_tasks: Vec::new(),
            base_url: None,
            latency: Duration::ZERO,
            listing_page_size: 100,
        }
    }
}

/// A running simulator. It serves in a background task until [`Simulator::shutdown`] or drop.
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Starts a simulator with the default configuration on `127.0.0.1` and a free port.
    ///
    /// # Panics
    /// When no local port can be bound, which only happens on a broken test machine; use
    /// [`Simulator::try_start_with`] to handle that.
    pub async fn start() -> Simulator {
        Simulator::start_with(SimConfig::default()).await
    }

    /// Starts a simulator with `config` on `127.0.0.1` and a free port.
    ///
    /// # Panics
    /// As [`Simulator::start`].
    pub async fn start_with(config: SimConfig) -> Simulator {
        match Simulator::try_start_with(config).await {
            Ok(sim) => sim,
            Err(err) => panic!("cannot bind 127.0.0.1:0 for the simulator: {err}"),
        }
    }

    /// Starts a simulator with `config` on `127.0.0.1` and a free port.
    pub async fn try_start_with(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Simulator::serve(listener, config)
    }

    /// Serves on a listener the caller bound (the `em-sim` binary's `--port`). Call it inside a Tokio
    /// runtime: the server runs in a spawned task.
    pub fn serve(listener: TcpListener, config: SimConfig) -> std::io::Result<Simulator> {
        let addr = listener.local_addr()?;
        let mut sim = Sim::new(&config.user, &config.password, config.session_idle_timeout, config.task_polls);
        sim.fail_tasks = config.fail_tasks.iter().copied().collect();
        sim.listing_page_size = config.listing_page_size;
        let shared = Arc::new(Shared {
            state: Mutex::new(sim),
            faults: Mutex::new(Faults { latency: config.latency, ..Faults::default() }),
            log: Mutex::new(Vec::new()),
            base_url: config.base_url,
            addr,
        });
        let router = veeam_em::server::router(Arc::new(SimService(Arc::clone(&shared))))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), faults::inject));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let shutdown = async move {
                // Either an explicit stop or the handle being dropped ends the server.
                let _ = stopped.await;
            };
            if let Err(err) = axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
                eprintln!("em-sim: server error: {err}");
            }
        });
        Ok(Simulator { shared, stop: Some(stop), server: Some(server) })
    }

    /// The address the simulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The API root, `http://127.0.0.1:PORT/api/` (with the trailing slash, ready for joining).
    pub fn base_url(&self) -> String {
        format!("http://{}/api/", self.shared.addr)
    }

    /// `base_url()` joined with `path` (a leading `/` is ignored): `sim.url("tasks")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url(), path.trim_start_matches('/'))
    }

    /// How many requests so far had `text` in their path and query (`/api/...?...`); faulted and dropped
    /// requests count too.
    pub fn requests(&self, text: &str) -> usize {
        lock(&self.shared.log).iter().filter(|line| line.split_once(' ').is_some_and(|(_, t)| t.contains(text))).count()
    }

    /// Every request so far as `METHOD /api/path?query`, in arrival order.
    pub fn request_log(&self) -> Vec<String> {
        lock(&self.shared.log).clone()
    }

    /// How many successful logons there have been.
    pub fn logons(&self) -> u64 {
        lock(&self.shared.state).logons
    }

    /// The state, locked, for tests to inspect or reshape (drop the guard before the next request).
    pub fn state(&self) -> MutexGuard<'_, Sim> {
        lock(&self.shared.state)
    }

    /// The faults, locked, for tests to switch in ways the helpers below do not cover.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.shared.faults)
    }

    /// Ends every logon session now (with its mounts and tasks), as an idle timeout would.
    pub fn expire_sessions(&self) {
        self.state().expire_sessions();
    }

    /// Changes the idle timeout of sessions from now on.
    pub fn set_session_idle_timeout(&self, timeout: Duration) {
        self.state().idle_timeout = timeout;
    }

    /// Changes how many reads a task takes to finish, for tasks read from now on.
    pub fn set_task_polls(&self, polls: u32) {
        self.state().task_polls = polls;
    }

    /// Makes tasks of `kind` fail (`true`) or succeed again (`false`).
    pub fn fail_tasks(&self, kind: TaskKind, fail: bool) {
        let mut state = self.state();
        if fail {
            state.fail_tasks.insert(kind);
        } else {
            state.fail_tasks.remove(&kind);
        }
    }

    /// Adds `latency` before every request is handled.
    pub fn set_latency(&self, latency: Duration) {
        self.faults().latency = latency;
    }

    /// Answers the next `count` requests with `500` and an EM error body.
    pub fn fail_next(&self, count: u32) {
        self.faults().fail_next = count;
    }

    /// Answers every request whose path and query contain `text` with `500`, until [`Simulator::clear_faults`].
    pub fn fail_path(&self, text: &str) {
        self.faults().fail_paths.push(text.to_owned());
    }

    /// Closes the connection without answering for the next `count` requests with verb `method` (any verb
    /// when `None`) whose path and query contain `path_contains`.
    pub fn drop_next(&self, count: u32, method: Option<Method>, path_contains: &str) {
        self.faults().drops.push(DropRule { method, path_contains: path_contains.to_owned(), remaining: count });
    }

    /// Switches off latency, failures and drops (failing tasks stay as set).
    pub fn clear_faults(&self) {
        *self.faults() = Faults::default();
    }

    /// Stops serving and waits (briefly) for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            // Graceful shutdown waits for open keep-alive connections; tests should not wait on them.
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_millis(500), server).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
