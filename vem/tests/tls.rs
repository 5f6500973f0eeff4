//! `vem` against an EM behind TLS with a self-signed certificate, as EM installs present one: refused by
//! default, accepted with `--ca-cert` (the certificate itself, CA-marked or not), `--pin-sha256` or
//! `--insecure`. A TLS front on loopback forwards to the simulator.

use std::process::{Command, Stdio};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use veeam_em_sim::Simulator;

struct Identity {
    der: CertificateDer<'static>,
    key: Vec<u8>,
    pem: String,
}

fn self_signed(ca: bool) -> Identity {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).expect("params");
    params.distinguished_name.push(DnType::CommonName, "em.test");
    if ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    let cert = params.self_signed(&key).expect("certificate");
    Identity { der: cert.der().clone(), key: key.serialize_der(), pem: cert.pem() }
}

/// Serves TLS with `identity` on loopback and forwards each connection to the simulator. Returns the
/// HTTPS base URL.
async fn tls_front(identity: &Identity, sim: &Simulator) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![identity.der.clone()], key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let backend = sim.addr();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let Ok(mut plain) = TcpStream::connect(backend).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    format!("https://127.0.0.1:{port}")
}

/// Runs `vem args points list` against `url`; returns the exit code and stderr.
async fn points_list(url: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_vem"));
    command
        .args(args)
        .args(["points", "list"])
        .stdin(Stdio::null())
        .env("VEM_URL", url)
        .env("VEM_USER", "admin")
        .env("VEM_PASSWORD", "secret")
        .env("VEM_SESSION_FILE", dir.path().join("session.json"));
    let output = tokio::task::spawn_blocking(move || command.output().expect("vem runs")).await.expect("joined");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn a_self_signed_server_needs_its_certificate_a_pin_or_insecure() {
    let sim = Simulator::start().await;
    for ca in [true, false] {
        let identity = self_signed(ca);
        let url = tls_front(&identity, &sim).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let pem = dir.path().join("em.pem");
        std::fs::write(&pem, &identity.pem).expect("write pem");
        let pem = pem.to_string_lossy().into_owned();

        let (code, stderr) = points_list(&url, &[]).await;
        assert_eq!(code, Some(3), "default verification refuses a self-signed certificate (ca={ca}): {stderr}");

        let (code, stderr) = points_list(&url, &["--ca-cert", &pem]).await;
        assert_eq!(code, Some(0), "--ca-cert with the server's own certificate (ca={ca}): {stderr}");

        let pin: String = Sha256::digest(identity.der.as_ref()).iter().map(|b| format!("{b:02X}:")).collect();
        let (code, stderr) = points_list(&url, &["--pin-sha256", pin.trim_end_matches(':')]).await;
        assert_eq!(code, Some(0), "--pin-sha256 with its fingerprint (ca={ca}): {stderr}");

        let (code, _) = points_list(&url, &["--pin-sha256", &"00".repeat(32)]).await;
        assert_eq!(code, Some(3), "a wrong pin is refused (ca={ca})");

        let (code, stderr) = points_list(&url, &["--insecure"]).await;
        assert_eq!(code, Some(0), "--insecure accepts (ca={ca}): {stderr}");
        assert!(stderr.to_lowercase().contains("warning"), "--insecure says so: {stderr}");
    }
}
