//! Runs the built `vem` binary against the in-memory EM simulator: every subcommand, kept sessions
//! (file mode, re-logon after expiry, the token never printed), exit codes, JSON lists and downloads.
//!
//! Each test starts its own simulator and uses its own session file, so tests run in parallel.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use veeam_em_sim::{Simulator, TaskKind};

/// A simulator and a private directory for the session file and downloads.
struct Env {
    sim: Simulator,
    dir: tempfile::TempDir,
}

/// One finished run of `vem`.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    fn fails(self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "stderr: {}", self.stderr);
        self
    }
}

impl Env {
    async fn new() -> Env {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Env { sim: Simulator::start().await, dir }
    }

    fn session_file(&self) -> PathBuf {
        self.dir.path().join("state").join("session.json")
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    /// Runs `vem args` as user admin with the right password.
    async fn vem(&self, args: &[&str]) -> Run {
        self.vem_env(args, &[]).await
    }

    /// Runs `vem args` with the standard environment changed by `env` (`None` removes a variable).
    async fn vem_env(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vem"));
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("VEM_URL", self.sim.base_url())
            .env("VEM_USER", "admin")
            .env("VEM_PASSWORD", "secret")
            .env("VEM_SESSION_FILE", self.session_file())
            .env_remove("XDG_STATE_HOME");
        for (name, value) in env {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        let output: Output = tokio::task::spawn_blocking(move || command.output().expect("vem runs"))
            .await
            .expect("the runner thread finishes");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// The id of the `n`th seeded replica point.
    fn point(&self, n: usize) -> String {
        self.sim.state().replica_points[n].id.clone()
    }

    fn kept_token(&self) -> String {
        let text = std::fs::read_to_string(self.session_file()).expect("the session file exists");
        let json: Value = serde_json::from_str(&text).expect("the session file is JSON");
        json["token"].as_str().expect("the session file has a token").to_owned()
    }

    fn live_sessions(&self) -> usize {
        self.sim.state().sessions.len()
    }

    fn mounts(&self) -> usize {
        self.sim.state().mounts.len()
    }
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("the file exists").permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_session_carries_a_mount_across_commands() {
    let env = Env::new().await;
    let point = env.point(0);
    let mut runs = Vec::new();

    let login = env.vem(&["login"]).await.ok();
    assert!(login.stdout.contains("logged on"), "{}", login.stdout);
    #[cfg(unix)]
    assert_eq!(mode(&env.session_file()), 0o600);
    let token = env.kept_token();
    runs.push(login);

    // `--wait` prints the mount the finished task links to.
    let created = env.vem(&["mounts", "create", &point, "--wait", "--os", "windows", "--json"]).await.ok();
    assert!(!created.stderr.contains("warning"), "a kept session needs no warning: {}", created.stderr);
    let mount_href = created.json()["Href"].as_str().expect("the mount has an Href").to_owned();
    let mount = mount_href.rsplit('/').next().expect("a last segment").to_owned();
    assert_eq!(mount, "1");
    runs.push(created);

    let listed = env.vem(&["files", "ls", &point, "E:/Logs", "--mount", &mount, "--page-size", "7"]).await.ok();
    assert_eq!(listed.stdout.lines().filter(|l| l.starts_with("file")).count(), 30, "{}", listed.stdout);
    assert!(env.sim.requests("page=5") >= 1, "the listing was paged");
    runs.push(listed);
    let dirs = env.vem(&["files", "ls", &point, "E:", "--mount", &mount, "--dirs", "--json"]).await.ok();
    assert_eq!(dirs.json().as_array().map(Vec::len), Some(4));
    runs.push(dirs);
    let files = env.vem(&["files", "ls", &point, "E:/Documentation 2014", "--mount", &mount, "--files"]).await.ok();
    assert!(files.stdout.contains("E:/Documentation 2014/readme.txt"), "{}", files.stdout);
    assert!(!files.stdout.contains("Invoices"), "--files lists no directories: {}", files.stdout);
    runs.push(files);

    let mounts = env.vem(&["mounts", "list", &point]).await.ok();
    assert!(mounts.stdout.contains(&mount_href), "{}", mounts.stdout);
    runs.push(mounts);

    let restored =
        env.vem(&["files", "restore", &point, "E:/Projects/R&D Plans.docx", "--mount", &mount, "--wait"]).await;
    let restored = restored.ok();
    assert!(restored.stdout.contains("Finished"), "{}", restored.stdout);
    runs.push(restored);
    let started = env.vem(&["files", "restore", &point, "C:/boot.ini", "--mount", &mount, "--json"]).await.ok();
    assert_eq!(started.json()["State"], "Running", "without --wait the task is shown as started");
    runs.push(started);

    let tasks = env.vem(&["tasks", "list", "--json"]).await.ok();
    assert!(!tasks.stderr.contains("warning"), "{}", tasks.stderr);
    let ids: Vec<String> = tasks
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|t| t["TaskId"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids, ["task-1", "task-2", "task-3"]);
    runs.push(tasks);
    let task = env.vem(&["tasks", "get", "task-1"]).await.ok();
    assert!(task.stdout.contains("MountRestorePoint"), "{}", task.stdout);
    runs.push(task);
    runs.push(env.vem(&["tasks", "delete", "task-3"]).await.ok());
    let gone = env.vem(&["tasks", "get", "task-3"]).await.fails(4);
    assert!(gone.stderr.starts_with("error: HTTP 404: "), "{}", gone.stderr);
    runs.push(gone);

    runs.push(env.vem(&["mounts", "delete", &point, &mount]).await.ok());
    assert_eq!(env.mounts(), 0);
    let again = env.vem(&["mounts", "delete", &point, &mount]).await.fails(4);
    assert!(again.stderr.starts_with("error: HTTP 404: No mount 1"), "{}", again.stderr);
    runs.push(again);

    // One logon for the whole workflow.
    assert_eq!(env.sim.logons(), 1);
    runs.push(env.vem(&["logout"]).await.ok());
    assert!(!env.session_file().exists(), "logout removes the file");
    assert_eq!(env.live_sessions(), 0, "logout ends the session on the server");

    for run in &runs {
        assert!(
            !run.stdout.contains(&token) && !run.stderr.contains(&token),
            "the token leaked: {}{}",
            run.stdout,
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_kept_session_logs_on_again_and_rewrites_the_file() {
    let env = Env::new().await;
    env.vem(&["login"]).await.ok();
    let old = env.kept_token();
    env.sim.expire_sessions();

    let listed = env.vem(&["points", "list"]).await.ok();
    assert!(listed.stdout.contains("sql02@"), "{}", listed.stdout);
    let new = env.kept_token();
    assert_ne!(new, old, "the file holds the new token");
    assert_eq!(env.sim.logons(), 2);
    assert_eq!(env.live_sessions(), 1, "the renewed session is kept, not logged off");
    #[cfg(unix)]
    assert_eq!(mode(&env.session_file()), 0o600);

    // The renewed session is used as is by the next command.
    env.vem(&["points", "list"]).await.ok();
    assert_eq!(env.sim.logons(), 2);
    assert!(!listed.stdout.contains(&new) && !listed.stderr.contains(&new));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_kept_session_without_a_password_or_terminal_is_a_usage_error() {
    let env = Env::new().await;
    env.vem(&["login"]).await.ok();
    // While it lives, the kept session needs no password at all.
    env.vem_env(&["points", "list"], &[("VEM_PASSWORD", None)]).await.ok();
    env.sim.expire_sessions();
    let run = env.vem_env(&["points", "list"], &[("VEM_PASSWORD", None)]).await.fails(2);
    assert!(run.stderr.contains("VEM_PASSWORD"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_kept_session_each_command_logs_on_and_off() {
    let env = Env::new().await;
    let point = env.point(0);

    env.vem(&["points", "list"]).await.ok();
    assert_eq!((env.sim.logons(), env.live_sessions()), (1, 0));

    let entities = env.vem(&["points", "list", "--entity"]).await.ok();
    assert!(entities.stdout.contains("ALGORITHM") && entities.stdout.contains("ubuntu88"), "{}", entities.stdout);
    let uid = format!("urn:veeam:VmReplicaPoint:{point}");
    let got = env.vem(&["points", "get", &uid]).await.ok();
    assert!(got.stdout.contains(&uid) && got.stdout.contains("Failover"), "{}", got.stdout);
    let failover = env.vem(&["points", "failover", &point, "--wait", "--json"]).await.ok();
    assert_eq!(failover.json()["State"], "Finished");
    assert_eq!(failover.json()["Result"]["Success"], true);

    let mounted = env.vem(&["mounts", "create", &point]).await.ok();
    assert!(mounted.stderr.contains("warning: no kept session"), "{}", mounted.stderr);
    assert!(mounted.stdout.contains("MountRestorePoint"), "{}", mounted.stdout);
    let tasks = env.vem(&["tasks", "list"]).await.ok();
    assert!(tasks.stderr.contains("warning: no kept session"), "{}", tasks.stderr);

    // `files ls` without --mount mounts for itself and unmounts when done.
    let listed = env.vem(&["files", "ls", &point, "C:"]).await.ok();
    assert!(listed.stdout.contains("C:/boot.ini"), "{}", listed.stdout);
    let restored = env.vem(&["files", "restore", &point, "C:/boot.ini"]).await.ok();
    assert!(restored.stdout.contains("Finished"), "waits without --wait when it mounted itself: {}", restored.stdout);
    assert!(env.sim.requests("/mounts/1") >= 1);
    assert_eq!(env.mounts(), 0, "own mounts are removed");
    assert_eq!(env.live_sessions(), 0, "every command logged off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_writes_the_exact_bytes_served() {
    let env = Env::new().await;
    let point = env.point(3);
    let out = env.path("archive.bin");
    let run = env.vem(&["files", "download", &point, "E:/Backups/archive.bin", "-o", &out]).await.ok();
    assert!(run.stdout.contains("1048576 bytes"), "{}", run.stdout);
    let expected = veeam_em_sim::files::content("E:/Backups/archive.bin", veeam_em_sim::files::BIG_FILE_SIZE);
    assert!(std::fs::read(&out).expect("the download exists") == expected, "the bytes differ");
    assert_eq!(env.mounts(), 0);

    // A folder is not a file name: bad input, and nothing is mounted for it.
    let folder = env.vem(&["files", "download", &point, "C:/boot.ini", "-o", &env.path("")]).await.fails(1);
    assert!(folder.stderr.contains("folder"), "{}", folder.stderr);
    assert_eq!(env.sim.logons(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_map_to_exit_codes() {
    let env = Env::new().await;
    let point = env.point(0);

    let wrong = env.vem_env(&["points", "list"], &[("VEM_PASSWORD", Some("wrong"))]).await.fails(4);
    assert!(wrong.stderr.starts_with("error: "), "{}", wrong.stderr);
    assert!(!wrong.stderr.contains("wrong"), "the password is not echoed: {}", wrong.stderr);

    for args in [
        &["points", "get", "nope"][..],
        &["points", "failover", "urn:veeam:Replica:00000000-0000-0000-0000-000000000000"][..],
        &["mounts", "list", "1234"][..],
        &["files", "ls", "not-a-guid", "C:"][..],
        &["mounts", "delete", &point, "../1"][..],
    ] {
        let run = env.vem(args).await.fails(1);
        assert!(run.stderr.contains("malformed id"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(env.sim.logons(), 0, "bad ids are refused before logging on");

    // A point that does not exist is the server's answer.
    let missing = env.vem(&["points", "get", "00000000-0000-4000-8000-000000000000"]).await.fails(4);
    assert!(missing.stderr.starts_with("error: HTTP 404: "), "{}", missing.stderr);

    env.sim.fail_tasks(TaskKind::Mount, true);
    let failed = env.vem(&["mounts", "create", &point, "--wait"]).await.fails(4);
    assert!(failed.stderr.contains("task failed"), "{}", failed.stderr);

    let no_password = env.vem_env(&["points", "list"], &[("VEM_PASSWORD", None)]).await.fails(2);
    assert!(no_password.stderr.contains("VEM_PASSWORD"), "{}", no_password.stderr);
    env.vem_env(&["points", "list"], &[("VEM_URL", None)]).await.fails(2);
    env.vem(&["points", "list", "--json", "--xml"]).await.fails(2);
    env.vem(&["--ca-cert", &env.path("missing.pem"), "points", "list"]).await.fails(1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_port_is_a_connection_error() {
    // Bind a port, note it, and close it again: nothing listens there afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let env = Env::new().await;
    let url = format!("http://127.0.0.1:{port}");
    let run = env.vem_env(&["points", "list", "--timeout", "5"], &[("VEM_URL", Some(&url))]).await.fails(3);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_lists_are_one_array_and_xml_is_em_xml() {
    let env = Env::new().await;
    let point = env.point(0);

    let points = env.vem(&["points", "list", "--json"]).await.ok();
    assert_eq!(points.json().as_array().map(Vec::len), Some(8));
    let entities = env.vem(&["--json", "points", "list", "--entity"]).await.ok();
    assert_eq!(entities.json()[0]["Type"], "VmReplicaPoint");

    // Paged results come out as one array too.
    let query = env.vem(&["query", "VmReplicaPoint", "--page-size", "3", "--entity", "--json"]).await.ok();
    let items = query.json();
    assert_eq!(items.as_array().map(Vec::len), Some(8), "{}", query.stdout);
    assert!(env.sim.requests("page=3") >= 1);
    let logs = env.vem(&["files", "ls", &point, "E:/Logs", "--page-size", "8", "--json"]).await.ok();
    assert_eq!(logs.json().as_array().map(Vec::len), Some(30));

    let filtered = env
        .vem(&["query", "VmReplicaPoint", "--filter", "VmDisplayName==sql02", "--sort", "CreationTime", "--desc"])
        .await
        .ok();
    let rows: Vec<&str> = filtered.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{}", filtered.stdout);
    assert!(rows[0].contains("2025-08-14") && rows[2].contains("2025-08-12"), "{}", filtered.stdout);

    let xml = env.vem(&["points", "get", &point, "--xml"]).await.ok();
    assert!(xml.stdout.starts_with("<VmReplicaPoint") && xml.stdout.contains("http://www.veeam.com/ent/v1.0"));
    // What --xml prints is a document `vem decode` reads back.
    let file = env.path("point.xml");
    std::fs::write(&file, &xml.stdout).expect("written");
    let decoded = env.vem(&["decode", &file]).await.ok();
    assert_eq!(decoded.json()["UID"], format!("urn:veeam:VmReplicaPoint:{point}"));

    // The JSON wire format gives the same answers.
    let over_json = env.vem(&["--wire", "json", "points", "get", &point, "--json"]).await.ok();
    assert_eq!(over_json.json()["UID"], format!("urn:veeam:VmReplicaPoint:{point}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_session_of_another_server_is_left_alone() {
    let env = Env::new().await;
    env.vem(&["login"]).await.ok();
    let token = env.kept_token();
    let before = std::fs::read(env.session_file()).expect("kept");
    // The same simulator under another name is another URL as far as kept sessions go.
    let other = env.sim.base_url().replace("127.0.0.1", "localhost");
    env.vem_env(&["points", "list"], &[("VEM_URL", Some(&other))]).await.ok();
    assert_eq!(env.sim.logons(), 2, "a session of its own");
    assert_eq!(std::fs::read(env.session_file()).expect("kept"), before, "the file is untouched");
    assert_eq!(env.kept_token(), token);
    // Logging out of the other server finds nothing to end.
    env.vem_env(&["logout"], &[("VEM_URL", Some(&other))]).await.ok();
    assert!(env.session_file().exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_removes_the_own_mount_and_logs_off() {
    use std::time::{Duration, Instant};

    let env = Env::new().await;
    let point = env.point(0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_vem"))
        .args(["files", "ls", &point, "E:/Logs", "--page-size", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .env("VEM_URL", env.sim.base_url())
        .env("VEM_USER", "admin")
        .env("VEM_PASSWORD", "secret")
        .env("VEM_SESSION_FILE", env.session_file())
        .spawn()
        .expect("vem starts");
    // Once the mount exists, slow every answer down so the listing is still going when Ctrl-C comes.
    let start = Instant::now();
    while env.mounts() == 0 {
        assert!(start.elapsed() < Duration::from_secs(10), "the mount never appeared");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    env.sim.set_latency(Duration::from_millis(200));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            std::io::Read::read_to_string(&mut pipe, &mut stderr).expect("stderr is readable");
        }
        (child.wait().expect("vem ends"), stderr)
    })
    .await
    .expect("the waiting thread finishes");
    assert_eq!(output.0.code(), Some(130), "stderr: {}", output.1);
    assert!(output.1.contains("interrupted"), "{}", output.1);
    assert_eq!(env.mounts(), 0, "the own mount was removed");
    assert_eq!(env.live_sessions(), 0, "the session was ended");
}
