//! Addresses: adding a query to a resource URL and recognising which resource an href from a document
//! names. Hrefs are opaque on the wire; the generated client still needs to know which typed handle an
//! href belongs to, and that is all this does with them.

use url::Url;

use crate::client::Segment;

/// `url` with `pairs` appended to its query, or `url` itself when there are none. Values are
/// percent-encoded with `%20` for a space, as `Connection::url` does (EM's own links use `%20`).
pub fn with_query(url: &Url, pairs: &[(&str, &str)]) -> Url {
    let mut url = url.clone();
    if pairs.is_empty() {
        return url;
    }
    let mut query = url.query().unwrap_or_default().to_owned();
    for (name, value) in pairs {
        if !query.is_empty() {
            query.push('&');
        }
        encode_component(&mut query, name);
        query.push('=');
        encode_component(&mut query, value);
    }
    url.set_query(Some(&query));
    url
}

/// Whether `url` (query ignored) is the API root `base` followed by a path of the shape `template`, where
/// `Literal` pieces must match exactly (ASCII case-insensitively: EM lower-cases some paths), a `Param` is
/// one non-empty segment and a `Rest` is one or more segments.
pub fn matches_template(base: &Url, url: &Url, template: &[Segment<'_>]) -> bool {
    // EM writes its own host name into hrefs, which may differ from the one the client was given; only
    // the path decides.
    let Some(rest) = strip_prefix_ignore_case(url.path(), base.path()) else { return false };
    matches_from(rest, template)
}

fn strip_prefix_ignore_case<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let head = path.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &path[prefix.len()..])
}

fn matches_from(path: &str, template: &[Segment<'_>]) -> bool {
    let Some((first, more)) = template.split_first() else { return path.is_empty() };
    match first {
        Segment::Literal(text) => {
            let text = if path.starts_with('/') { *text } else { text.trim_start_matches('/') };
            strip_prefix_ignore_case(path, text).is_some_and(|rest| matches_from(rest, more))
        }
        Segment::Param(_) => {
            let end = path.find('/').unwrap_or(path.len());
            end > 0 && matches_from(&path[end..], more)
        }
        Segment::Rest(_) => !path.is_empty() && more.is_empty(),
    }
}

/// Appends `text` percent-encoded for a path: unreserved characters, `:`, `@` and `$` stay, and `/` too
/// when `keep_slash`.
pub fn encode_path(out: &mut String, text: &str, keep_slash: bool) {
    for &b in text.as_bytes() {
        if is_unreserved(b) || matches!(b, b':' | b'@' | b'$') || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            push_escaped(out, b);
        }
    }
}

/// Appends `text` percent-encoded for a query name or value: only unreserved characters stay.
pub fn encode_component(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            push_escaped(out, b);
        }
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn push_escaped(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://em:9398/api/").unwrap()
    }

    #[test]
    fn query_pairs_are_encoded() {
        let url = with_query(&Url::parse("https://em/api/query").unwrap(), &[("filter", "Name==\"a b\";x>=1")]);
        assert_eq!(url.as_str(), "https://em/api/query?filter=Name%3D%3D%22a%20b%22%3Bx%3E%3D1");
    }

    #[test]
    fn templates_match_by_path_only() {
        let t = [
            Segment::Literal("/vmReplicaPoints/"),
            Segment::Param(""),
            Segment::Literal("/mounts/"),
            Segment::Param(""),
        ];
        let ok = Url::parse("https://other-host:9398/api/vmReplicaPoints/abc/mounts/1?x=y").unwrap();
        assert!(matches_template(&base(), &ok, &t));
        let lower = Url::parse("https://em:9398/api/vmreplicapoints/abc/mounts/1").unwrap();
        assert!(matches_template(&base(), &lower, &t));
        for bad in [
            "https://em:9398/api/vmReplicaPoints/abc/mounts",
            "https://em:9398/api/vmReplicaPoints/abc/mounts/1/C:",
            "https://em:9398/api/tasks/1",
        ] {
            assert!(!matches_template(&base(), &Url::parse(bad).unwrap(), &t), "{bad}");
        }
    }

    #[test]
    fn rest_takes_one_or_more_segments() {
        let t = [Segment::Literal("/m/"), Segment::Param(""), Segment::Literal("/"), Segment::Rest("")];
        assert!(matches_template(&base(), &Url::parse("https://em:9398/api/m/1/C:").unwrap(), &t));
        assert!(matches_template(&base(), &Url::parse("https://em:9398/api/m/1/E:/a%20b/c.txt").unwrap(), &t));
        assert!(!matches_template(&base(), &Url::parse("https://em:9398/api/m/1/").unwrap(), &t));
    }
}
