//! Which server certificates the client trusts, against a tiny HTTPS responder with certificates made at
//! test time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use veeam_em_runtime::{Auth, ClientBuilder, ClientError, Connection, LogonCall, Protocol, Request, Segment};

static PROTOCOL: Protocol = Protocol {
    logon: LogonCall {
        path: "sessionMngr/",
        query: &[("v", "latest")],
        status: 201,
        token_header: "X-RestSvcSessionId",
    },
    decode_error: |_, _| None,
    logout_href: |_, _| None,
};

/// A certificate and its key.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
    pem: String,
}

fn params(name: &str, sans: &[&str], ca: bool) -> CertificateParams {
    let mut params = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    if ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    params
}

/// A self-signed certificate for 127.0.0.1 and localhost, with or without the CA flag (EM's generated
/// certificates often have it).
fn self_signed(ca: bool) -> Identity {
    let key = KeyPair::generate().unwrap();
    let cert = params("em.test", &["127.0.0.1", "localhost"], ca).self_signed(&key).unwrap();
    Identity { chain: vec![cert.der().clone()], key: key.serialize_der(), pem: cert.pem() }
}

/// A CA, and a server certificate it issued for `sans`; `pem` is the CA's.
fn ca_signed(sans: &[&str]) -> Identity {
    let ca_key = KeyPair::generate().unwrap();
    let ca = params("Test CA", &[], true).self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = params("em.test", sans, false).signed_by(&key, &ca, &ca_key).unwrap();
    Identity { chain: vec![leaf.der().clone()], key: key.serialize_der(), pem: ca.pem() }
}

/// Serves `identity` over HTTPS on loopback; answers every request with an empty 204. Returns the base URL
/// and the number of handshakes attempted.
async fn serve(identity: &Identity) -> (String, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key.clone()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(identity.chain.clone(), key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handshakes = Arc::new(AtomicUsize::new(0));
    let counter = handshakes.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://127.0.0.1:{port}"), handshakes)
}

async fn call(builder: ClientBuilder) -> Result<u16, ClientError> {
    let conn: Connection = builder.timeout(Duration::from_secs(5)).build()?;
    let request = Request::get(conn.url(&[Segment::Literal("ping")], &[])).with_auth(Auth::None);
    conn.execute(request).await.map(|r| r.status)
}

fn builder(base: &str) -> ClientBuilder {
    ClientBuilder::new(base, &PROTOCOL)
}

fn fingerprint(identity: &Identity) -> String {
    Sha256::digest(identity.chain[0].as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

#[tokio::test]
async fn an_unknown_certificate_is_refused_by_default_and_not_retried() {
    let identity = self_signed(false);
    let (base, handshakes) = serve(&identity).await;
    let error = call(builder(&base)).await.unwrap_err();
    assert!(matches!(error, ClientError::Tls { .. }), "{error:?}");
    assert!(error.to_string().contains("certificate"), "{error}");
    assert_eq!(handshakes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_servers_own_certificate_is_trusted_exactly() {
    for ca in [false, true] {
        let identity = self_signed(ca);
        let (base, _) = serve(&identity).await;
        let status = call(builder(&base).add_root_certificate_pem(identity.pem.as_bytes())).await;
        assert_eq!(status.ok(), Some(204), "CA flag {ca}");
        // Exact trust does not depend on the name the server was reached by.
        let by_name = base.replace("127.0.0.1", "localhost");
        assert_eq!(call(builder(&by_name).add_root_certificate_pem(identity.pem.as_bytes())).await.ok(), Some(204));
        // DER works as well as PEM.
        assert_eq!(call(builder(&base).add_root_certificate_pem(identity.chain[0].as_ref())).await.ok(), Some(204));
    }
}

#[tokio::test]
async fn another_certificate_does_not_vouch_for_the_server() {
    let identity = self_signed(true);
    let other = self_signed(true);
    let (base, _) = serve(&identity).await;
    let error = call(builder(&base).add_root_certificate_pem(other.pem.as_bytes())).await.unwrap_err();
    assert!(matches!(error, ClientError::Tls { .. }), "{error:?}");
}

#[tokio::test]
async fn a_ca_vouches_for_the_certificates_it_issued_for_the_right_name() {
    let identity = ca_signed(&["localhost"]);
    let (base, _) = serve(&identity).await;
    let by_name = base.replace("127.0.0.1", "localhost");
    assert_eq!(call(builder(&by_name).add_root_certificate_pem(identity.pem.as_bytes())).await.ok(), Some(204));
    // The chain check still checks the name.
    let error = call(builder(&base).add_root_certificate_pem(identity.pem.as_bytes())).await.unwrap_err();
    assert!(matches!(error, ClientError::Tls { .. }), "{error:?}");
}

#[tokio::test]
async fn a_pin_trusts_only_its_certificate() {
    let identity = self_signed(false);
    let (base, _) = serve(&identity).await;
    let pin = fingerprint(&identity);
    assert_eq!(call(builder(&base).pin_sha256(&pin)).await.ok(), Some(204));
    let bare = pin.replace(':', "").to_lowercase();
    assert_eq!(call(builder(&base).pin_sha256(&bare)).await.ok(), Some(204));

    let wrong = fingerprint(&self_signed(false));
    let error = call(builder(&base).pin_sha256(&wrong)).await.unwrap_err();
    assert!(matches!(error, ClientError::Tls { .. }), "{error:?}");
}

#[tokio::test]
async fn accepting_invalid_certificates_accepts_them() {
    let identity = self_signed(true);
    let (base, _) = serve(&identity).await;
    assert_eq!(call(builder(&base).danger_accept_invalid_certs(true)).await.ok(), Some(204));
}

#[test]
fn unusable_trust_settings_fail_the_build() {
    let build = |b: ClientBuilder| b.build().map(drop).unwrap_err();
    assert!(matches!(build(builder("https://h").pin_sha256("12:34")), ClientError::Tls { .. }));
    assert!(matches!(build(builder("https://h").pin_sha256(&"g".repeat(64))), ClientError::Tls { .. }));
    assert!(matches!(
        build(builder("https://h").add_root_certificate_pem(b"not a certificate")),
        ClientError::Tls { .. }
    ));
    let empty_pem = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assert!(matches!(build(builder("https://h").add_root_certificate_pem(empty_pem)), ClientError::Tls { .. }));
}

#[tokio::test]
async fn plain_http_needs_no_tls_settings() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let _ = socket.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").await;
    });
    assert_eq!(call(builder(&base)).await.ok(), Some(204));
}
