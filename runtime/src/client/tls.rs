//! Which server certificates the client trusts.
//!
//! EM servers usually present a self-signed certificate, often generated with the CA flag set. webpki
//! refuses a CA certificate presented as the server's own (it only chains end-entity certificates to
//! anchors), so "trust this certificate" cannot be done by adding it as a root alone. The verifier here
//! trusts, in order:
//!
//! 1. anything, when `danger_accept_invalid_certs` is on;
//! 2. a presented certificate byte-equal to one added with `add_root_certificate_pem` (trusted exactly,
//!    like an SSH known host: name and validity dates are not checked, since the user vouched for it);
//! 3. with pins configured, only a certificate whose SHA-256 matches a pin (pinning replaces, rather than
//!    extends, the usual chain check);
//! 4. otherwise the normal webpki chain check over the Mozilla roots plus the added certificates.
//!
//! In every case the handshake signatures are still verified with the presented certificate's key, so a
//! server cannot borrow a certificate it has no key for.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};

use super::Error;

/// The trust settings collected by the builder.
#[derive(Clone, Debug, Default)]
pub(crate) struct TlsSettings {
    pub(crate) pems: Vec<Vec<u8>>,
    pub(crate) pins: Vec<String>,
    pub(crate) accept_invalid: bool,
}

/// Builds the rustls configuration, with the ring provider given explicitly so that no process-wide
/// default provider is needed (or installed).
pub(crate) fn client_config(settings: &TlsSettings) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut exact = Vec::new();
    for pem in &settings.pems {
        exact.extend(parse_certificates(pem)?);
    }
    let pins = settings.pins.iter().map(|p| parse_pin(p)).collect::<Result<Vec<_>, _>>()?;

    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    // A certificate that webpki cannot use as an anchor is still trusted exactly; only CAs need this.
    roots.add_parsable_certificates(exact.iter().cloned());
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::Tls { message: e.to_string() })?;

    let verifier = Verifier { provider: provider.clone(), exact, pins, accept_any: settings.accept_invalid, webpki };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls { message: e.to_string() })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// PEM (one or more `CERTIFICATE` blocks) or a single DER certificate.
fn parse_certificates(data: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let trimmed = data.trim_ascii_start();
    if !trimmed.starts_with(b"-----") {
        if trimmed.first() == Some(&0x30) {
            // A DER SEQUENCE: let the verifier judge it.
            return Ok(vec![CertificateDer::from(data.to_vec())]);
        }
        return Err(Error::Tls { message: "the root certificate is neither PEM nor DER".into() });
    }
    let certs = CertificateDer::pem_slice_iter(data)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Tls { message: format!("cannot read the PEM certificate: {e}") })?;
    if certs.is_empty() {
        return Err(Error::Tls { message: "the PEM holds no CERTIFICATE block".into() });
    }
    Ok(certs)
}

/// A SHA-256 fingerprint as hex, with or without colons (or spaces), in either case.
pub(crate) fn parse_pin(text: &str) -> Result<[u8; 32], Error> {
    let bad = || Error::Tls { message: format!("`{text}` is not a SHA-256 fingerprint (64 hex digits)") };
    let digits: Vec<u8> = text.bytes().filter(|b| !matches!(b, b':' | b' ')).collect();
    if digits.len() != 64 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(bad());
    }
    let nibble = |d: u8| (d as char).to_digit(16).unwrap_or_default() as u8;
    let mut pin = [0u8; 32];
    for (byte, pair) in pin.iter_mut().zip(digits.chunks(2)) {
        *byte = nibble(pair[0]) << 4 | nibble(pair[1]);
    }
    Ok(pin)
}

#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    exact: Vec<CertificateDer<'static>>,
    pins: Vec<[u8; 32]>,
    accept_any: bool,
    webpki: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.accept_any || self.exact.iter().any(|c| c.as_ref() == end_entity.as_ref()) {
            return Ok(ServerCertVerified::assertion());
        }
        if !self.pins.is_empty() {
            let digest: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
            return if self.pins.contains(&digest) {
                Ok(ServerCertVerified::assertion())
            } else {
                Err(rustls::Error::General("the server certificate does not match the pinned SHA-256".into()))
            };
        }
        self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_accept_colons_and_either_case() {
        let plain = "AB".repeat(32);
        let colons = vec!["ab"; 32].join(":");
        assert_eq!(parse_pin(&plain).ok(), Some([0xab; 32]));
        assert_eq!(parse_pin(&colons).ok(), Some([0xab; 32]));
        assert!(parse_pin("abc").is_err());
        assert!(parse_pin(&"zz".repeat(32)).is_err());
        assert!(parse_pin(&"é".repeat(32)).is_err());
        assert!(parse_pin(&"+f".repeat(32)).is_err());
    }
}
