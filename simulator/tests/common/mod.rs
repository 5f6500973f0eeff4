//! Shared helpers: a logged-on reqwest client against a fresh simulator, and document decoding.

#![allow(dead_code)] // each test file uses a different subset

use reqwest::{Client, Method, Response, StatusCode};
use veeam_em::model as m;
use veeam_em::XmlDocument;
use veeam_em_sim::{SimConfig, Simulator, SESSION_HEADER};

pub struct Api {
    pub sim: Simulator,
    pub http: Client,
    pub token: String,
    pub session: m::LogonSession,
}

impl Api {
    pub async fn new() -> Api {
        Api::with(SimConfig::default()).await
    }

    pub async fn with(config: SimConfig) -> Api {
        let sim = Simulator::start_with(config).await;
        let http = Client::new();
        let (token, session) = logon(&http, &sim).await;
        Api { sim, http, token, session }
    }

    pub fn url(&self, path: &str) -> String {
        self.sim.url(path)
    }

    pub async fn call(&self, method: Method, url: &str) -> Response {
        self.http.request(method, url).header(SESSION_HEADER, &self.token).send().await.expect("answer")
    }

    pub async fn get(&self, url: &str) -> Response {
        self.call(Method::GET, url).await
    }

    /// GET, expect 200, decode the XML body as `T`.
    pub async fn get_doc<T: XmlDocument>(&self, url: &str) -> T {
        let response = self.get(url).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        xml(response).await
    }

    pub async fn post_xml(&self, url: &str, body: &str) -> Response {
        self.http
            .post(url)
            .header(SESSION_HEADER, &self.token)
            .header("content-type", "application/xml")
            .body(body.to_owned())
            .send()
            .await
            .expect("answer")
    }

    pub async fn post_json(&self, url: &str, body: &str) -> Response {
        self.http
            .post(url)
            .header(SESSION_HEADER, &self.token)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("answer")
    }

    /// POST, expect 202 with a running task.
    pub async fn start_task(&self, response: Response) -> m::Task {
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        let task: m::Task = xml(response).await;
        assert_eq!(task.state, Some(m::TaskState::Running));
        task
    }

    /// Polls a task until it is `Finished`, at most ten times.
    pub async fn finish(&self, task: &m::Task) -> m::Task {
        let href = task.href.clone().expect("task href");
        for _ in 0..10 {
            let task: m::Task = self.get_doc(&href).await;
            if task.state == Some(m::TaskState::Finished) {
                return task;
            }
        }
        panic!("task {href} did not finish");
    }

    /// Mounts the first replica point; returns (point id, mount href).
    pub async fn mount_first(&self) -> (String, String) {
        let point = self.sim.state().replica_points[0].id.clone();
        let response =
            self.post_json(&self.url(&format!("vmReplicaPoints/{point}/mounts")), r#"{"OsKind":"Windows"}"#).await;
        let task = self.start_task(response).await;
        let done = self.finish(&task).await;
        let mount = link(done.links.as_deref(), "Related", Some("VmReplicaPointMount")).href.clone();
        (point, mount)
    }
}

pub async fn logon(http: &Client, sim: &Simulator) -> (String, m::LogonSession) {
    let response =
        http.post(sim.url("sessionMngr/?v=latest")).basic_auth("admin", Some("secret")).send().await.expect("answer");
    assert_eq!(response.status(), StatusCode::CREATED);
    let token = response.headers().get(SESSION_HEADER).and_then(|v| v.to_str().ok()).expect("token").to_owned();
    (token, xml(response).await)
}

pub async fn xml<T: XmlDocument>(response: Response) -> T {
    let text = response.text().await.expect("body");
    T::from_xml(&text).unwrap_or_else(|err| panic!("{err}\n{text}"))
}

pub async fn json<T: serde::de::DeserializeOwned>(response: Response) -> T {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{err}\n{text}"))
}

pub fn link<'a>(links: Option<&'a [m::Link]>, rel: &str, link_type: Option<&str>) -> &'a m::Link {
    links
        .unwrap_or_default()
        .iter()
        .find(|l| l.rel == rel && (link_type.is_none() || l.link_type.as_deref() == link_type))
        .unwrap_or_else(|| panic!("no {rel} {link_type:?} link in {links:?}"))
}
