//! Logon, 401s, expiry and logout.

mod common;

use std::time::Duration;

use common::{link, logon, xml, Api};
use reqwest::{Client, Method, StatusCode};
use veeam_em::model as m;
use veeam_em_sim::{SimConfig, Simulator, SESSION_HEADER};

#[tokio::test]
async fn logon_needs_the_right_credentials() {
    let sim = Simulator::start().await;
    let http = Client::new();

    let missing = http.post(sim.url("sessionMngr/?v=latest")).send().await.expect("answer");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let challenge = missing.headers().get("www-authenticate").and_then(|v| v.to_str().ok());
    assert_eq!(challenge, Some("Basic realm=\"RestSvc\""));
    let error: m::Error = xml(missing).await;
    assert_eq!(error.status_code, Some(401));

    let wrong =
        http.post(sim.url("sessionMngr/?v=latest")).basic_auth("admin", Some("nope")).send().await.expect("answer");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(sim.logons(), 0);

    let (token, session) = logon(&http, &sim).await;
    assert_eq!(sim.logons(), 1);
    assert_eq!(token.len(), 24);
    let href = session.href.clone().expect("href");
    assert!(href.starts_with(&format!("{}logonSessions/", sim.base_url())), "{href}");
    assert_eq!(session.user_name.as_deref(), Some("admin"));
    assert_eq!(link(session.links.as_deref(), "Delete", None).href, href);
    link(session.links.as_deref(), "Down", Some("VmReplicaPointReferenceList"));
    link(session.links.as_deref(), "Up", Some("EnterpriseManager"));
    assert_eq!(sim.requests("sessionMngr"), 3);
}

#[tokio::test]
async fn calls_need_a_session_except_the_root() {
    let sim = Simulator::start().await;
    let http = Client::new();
    let root = http.get(sim.base_url()).send().await.expect("answer");
    assert_eq!(root.status(), StatusCode::OK);
    let em: m::EnterpriseManager = xml(root).await;
    assert!(link(em.links.as_deref(), "Create", Some("LogonSession")).href.ends_with("/api/sessionMngr/?v=latest"));

    let anonymous = http.get(sim.url("vmReplicaPoints")).send().await.expect("answer");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let bogus = http.get(sim.url("vmReplicaPoints")).header(SESSION_HEADER, "bogus==").send().await.expect("answer");
    assert_eq!(bogus.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_sessions_answer_401() {
    let api = Api::new().await;
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::OK);
    api.sim.expire_sessions();
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::UNAUTHORIZED);

    let config = SimConfig { session_idle_timeout: Duration::from_millis(40), ..SimConfig::default() };
    let api = Api::with(config).await;
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session_with_its_mounts() {
    let api = Api::new().await;
    let (point, _mount) = api.mount_first().await;
    assert_eq!(api.sim.state().mounts.len(), 1);

    let sessions: m::LogonSessionList = api.get_doc(&api.url("logonSessions")).await;
    assert_eq!(sessions.items.len(), 1);

    let href = api.session.href.clone().expect("href");
    assert_eq!(api.call(Method::DELETE, &href).await.status(), StatusCode::NO_CONTENT);
    assert!(api.sim.state().mounts.is_empty());
    assert_eq!(api.get(&api.url("tasks")).await.status(), StatusCode::UNAUTHORIZED);

    let (token, _) = logon(&api.http, &api.sim).await;
    let mounts = api
        .http
        .get(api.url(&format!("vmReplicaPoints/{point}/mounts")))
        .header(SESSION_HEADER, token)
        .send()
        .await
        .expect("answer");
    let mounts: m::VmReplicaPointMountList = xml(mounts).await;
    assert!(mounts.items.is_empty());
}

#[tokio::test]
async fn the_binary_prints_its_port() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_em-sim"))
        .args(["--port", "0", "--user", "u", "--password", "p"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("em-sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(20), BufReader::new(stdout).read_line(&mut line))
        .await
        .expect("a line in time")
        .expect("readable");
    let addr = line.trim().strip_prefix("listening 127.0.0.1:").expect("listening line");
    let port: u16 = addr.parse().expect("a port");
    let http = Client::new();
    let response = http
        .post(format!("http://127.0.0.1:{port}/api/sessionMngr/?v=latest"))
        .basic_auth("u", Some("p"))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::CREATED);
    child.kill().await.expect("killed");
}
