//! Small helpers: ids that look like EM's, percent-encoding of guest paths, base64 for tokens.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A well-mixed 64-bit value from `x` (splitmix64): deterministic ids that still look random.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A version-4-shaped GUID derived from `(kind, n)`; the same inputs always give the same GUID, so the seeded
/// data has stable ids across runs.
pub(crate) fn guid(kind: u64, n: u64) -> String {
    let a = mix(kind.wrapping_mul(0x1_0000_0001).wrapping_add(n));
    let b = mix(a ^ 0x5555_aaaa_5555_aaaa);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

static FRESH: AtomicU64 = AtomicU64::new(1);

/// 64 bits that differ on every call and between runs: a counter mixed with the clock.
pub(crate) fn fresh() -> u64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    mix(FRESH.fetch_add(1, Ordering::Relaxed) ^ mix(nanos))
}

/// A session token shaped like EM's: base64 of 16 bytes (`OsU6RL7OGkGKrPBGxKxURw==`).
pub(crate) fn token() -> String {
    let mut bytes = Vec::with_capacity(16);
    bytes.extend_from_slice(&fresh().to_be_bytes());
    bytes.extend_from_slice(&fresh().to_be_bytes());
    base64_encode(&bytes)
}

/// A GUID nobody can predict, for logon sessions and restore sessions.
pub(crate) fn fresh_guid() -> String {
    guid(fresh(), fresh())
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Percent-encodes a guest path for use in an Href: `/` and `:` stay (they structure the path), everything
/// that needs it (spaces, `&`, `%`, `#`, `?`, non-ASCII) is escaped, as the client does.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    veeam_em::runtime::href::encode_path(&mut out, path, true);
    out
}

/// Percent-encodes a query value (everything but unreserved characters).
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    veeam_em::runtime::href::encode_component(&mut out, value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_well_formed() {
        let a = guid(1, 2);
        assert_eq!(a, guid(1, 2));
        assert_ne!(a, guid(1, 3));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn tokens_look_like_ems() {
        let t = token();
        assert_eq!(t.len(), 24);
        assert!(t.ends_with("=="));
        assert_ne!(t, token());
        assert_eq!(base64_encode(b"admin:secret"), "YWRtaW46c2VjcmV0");
        assert_eq!(base64_encode(b"ab"), "YWI=");
    }

    #[test]
    fn paths_keep_their_structure() {
        assert_eq!(encode_path("E:/Documentation 2014/R&D.txt"), "E:/Documentation%202014/R%26D.txt");
        assert_eq!(encode_query("a b\"&"), "a%20b%22%26");
    }
}
