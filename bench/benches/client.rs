//! `cargo bench -p veeam-em-bench --bench client`: requests per second of the typed
//! `GET /vmReplicaPoints/{id}?format=Entity` through the generated client against the same request made
//! with reqwest directly (same client settings, same headers, the body read whole and decoded with the
//! same `VmReplicaPoint::from_xml`), so the ratio is the client's own overhead. The server is axum on
//! 127.0.0.1 in this process, on its own one-worker runtime; the clients run on a current-thread runtime.
//! Sequential requests and 8 concurrent tasks; batches of both clients interleaved, medians. Besides
//! requests per second (wall clock, which other load on the machine disturbs), the client thread's CPU
//! time per request: the client's own cost, far less sensitive to that load.
//!
//! For instruction counts, run one case under callgrind (2,000 sequential requests; subtract `setup`; the
//! server's share is the same for both):
//! `valgrind --tool=callgrind target/release/deps/client-HASH get-generated`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use veeam_em::client::Client;
use veeam_em::model::VmReplicaPoint;
use veeam_em::XmlDocument;
use veeam_em_bench::{one_point_xml, thread_cpu_time};

const TOKEN: &str = "7f3c2b1a-bench-session";
const TOKEN_HEADER: &str = "X-RestSvcSessionId";
const ID: &str = "4c9a6e3e-6f1d-4e8a-9b7c-000000000001";
const CONCURRENCY: usize = 8;

/// Starts the server on its own runtime (one worker thread); returns the runtime (keep it alive) and
/// the address.
fn start_server(body: Bytes) -> (tokio::runtime::Runtime, SocketAddr) {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("server runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("address");
    let app = Router::new().route(
        "/api/vmReplicaPoints/{id}",
        get(move |Path(id): Path<String>, RawQuery(query): RawQuery, headers: HeaderMap| {
            let body = body.clone();
            async move { answer(&id, query.as_deref(), &headers, body) }
        }),
    );
    runtime.spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (runtime, addr)
}

/// The one-entity document for the right id, query and session token; 401 or 404 otherwise.
fn answer(id: &str, query: Option<&str>, headers: &HeaderMap, body: Bytes) -> Response {
    if headers.get(TOKEN_HEADER).map(HeaderValue::as_bytes) != Some(TOKEN.as_bytes()) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if id != ID || query != Some("format=Entity") {
        return StatusCode::NOT_FOUND.into_response();
    }
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml"))], body).into_response()
}

/// The generated client, resuming a session (no logon).
fn generated_client(base: &str) -> Client {
    Client::builder(base).session_token(TOKEN).build().expect("client")
}

/// reqwest with the settings the generated client's builder uses (runtime/src/client/builder.rs and the
/// per-request timeout of connection.rs as a client-wide timeout).
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("veeam-em/0.1.0")
        .build()
        .expect("reqwest client")
}

async fn get_generated(client: &Client) -> VmReplicaPoint {
    client.vm_replica_point(ID).entity().await.expect("generated GET")
}

async fn get_raw(http: &reqwest::Client, base: &str) -> VmReplicaPoint {
    let response = http
        .get(format!("{base}/api/vmReplicaPoints/{ID}?format=Entity"))
        .header(header::ACCEPT, "application/xml")
        .header(TOKEN_HEADER, HeaderValue::from_static(TOKEN))
        .send()
        .await
        .expect("raw GET");
    assert!(response.status().is_success(), "{}", response.status());
    let text = response.text().await.expect("raw body");
    VmReplicaPoint::from_xml(&text).expect("raw decode")
}

/// Requests per second (wall clock) and client CPU time per request (this thread, which runs the
/// whole client side: the current-thread runtime drives the tasks and the connections) of `requests`
/// requests made by `tasks` tasks (each `requests / tasks` in a row).
fn batch<F, Fut>(runtime: &tokio::runtime::Runtime, tasks: usize, requests: usize, one: F) -> (f64, Duration)
where
    F: Fn() -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = VmReplicaPoint> + 'static,
{
    let per_task = requests / tasks;
    let start = Instant::now();
    let cpu = thread_cpu_time();
    runtime.block_on(async {
        if tasks == 1 {
            for _ in 0..per_task {
                std::hint::black_box(one().await);
            }
        } else {
            let local = tokio::task::LocalSet::new();
            for _ in 0..tasks {
                let one = one.clone();
                local.spawn_local(async move {
                    for _ in 0..per_task {
                        std::hint::black_box(one().await);
                    }
                });
            }
            local.await;
        }
    });
    let done = per_task * tasks;
    (done as f64 / start.elapsed().as_secs_f64(), (thread_cpu_time() - cpu) / done as u32)
}

/// Medians of requests per second and of CPU time per request.
fn medians(results: Vec<(f64, Duration)>) -> (f64, Duration) {
    let mut rates: Vec<f64> = results.iter().map(|r| r.0).collect();
    let mut cpu: Vec<Duration> = results.iter().map(|r| r.1).collect();
    rates.sort_by(f64::total_cmp);
    cpu.sort();
    (rates[rates.len() / 2], cpu[cpu.len() / 2])
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let xml = one_point_xml();
    let expected = VmReplicaPoint::from_xml(&xml).expect("decodes");
    let (_server, addr) = start_server(Bytes::from(xml));
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    let client = generated_client(&base);
    let http = raw_client();

    // Both clients must get the same value, and the server must refuse what it should, before timing.
    runtime.block_on(async {
        assert_eq!(get_generated(&client).await, expected);
        assert_eq!(get_raw(&http, &base).await, expected);
        let unauthorized = http.get(format!("{base}/api/vmReplicaPoints/{ID}?format=Entity")).send().await;
        assert_eq!(unauthorized.expect("answer").status(), 401);
    });

    // Each call owns what it uses (the spawned tasks must), at the price of an `Arc` clone on both sides.
    let generated = {
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { get_generated(&client).await }
        }
    };
    let raw = {
        let (http, base): (reqwest::Client, std::sync::Arc<str>) = (http.clone(), base.as_str().into());
        move || {
            let (http, base) = (http.clone(), base.clone());
            async move { get_raw(&http, &base).await }
        }
    };

    if let Some(case) = args.first() {
        // One case, 2,000 sequential requests, for callgrind (subtract `setup`).
        match case.as_str() {
            "setup" => {}
            "get-generated" => drop(batch(&runtime, 1, 2_000, generated.clone())),
            "get-raw" => drop(batch(&runtime, 1, 2_000, raw.clone())),
            other => panic!("unknown case {other}"),
        }
        return;
    }

    println!(
        "| GET one entity, 127.0.0.1 | generated client | raw reqwest + from_xml | ratio (generated / raw) | \
         client CPU per request, generated | raw | ratio (raw / generated) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, tasks, requests, runs) in
        [("sequential", 1, 1_000, 15), (&format!("{CONCURRENCY} concurrent tasks") as &str, CONCURRENCY, 2_000, 15)]
    {
        // Warm-up: connections opened, pools filled.
        batch(&runtime, tasks, requests / 4, generated.clone());
        batch(&runtime, tasks, requests / 4, raw.clone());
        let (mut g, mut r) = (Vec::new(), Vec::new());
        for run in 0..runs {
            if run % 2 == 0 {
                g.push(batch(&runtime, tasks, requests, generated.clone()));
                r.push(batch(&runtime, tasks, requests, raw.clone()));
            } else {
                r.push(batch(&runtime, tasks, requests, raw.clone()));
                g.push(batch(&runtime, tasks, requests, generated.clone()));
            }
        }
        let ((g, g_cpu), (r, r_cpu)) = (medians(g), medians(r));
        println!(
            "| {name} | {g:.0} req/s | {r:.0} req/s | {:.2}x | {:.1} µs | {:.1} µs | {:.2}x |",
            g / r,
            g_cpu.as_secs_f64() * 1e6,
            r_cpu.as_secs_f64() * 1e6,
            r_cpu.as_secs_f64() / g_cpu.as_secs_f64()
        );
    }
}
