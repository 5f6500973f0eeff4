//! Namespace scopes: which namespace each prefix in scope is bound to.
//!
//! The decoder only ever asks "is this the EM namespace (or XML Schema instance, for `xsi:nil`)?", so a
//! binding keeps that answer instead of the URI, and prefixes are slices of the input: declaring costs
//! no allocation and looking up scans at most
//! [`MAX_NAMESPACE_DECLARATIONS`](super::MAX_NAMESPACE_DECLARATIONS) bindings. The rules are those of
//! Namespaces in XML 1.0 that quick-xml's resolver applies, with the same refusals.

use std::borrow::Cow;

use crate::error::Quoted;
use crate::NAMESPACE;

const XSI: &[u8] = b"http://www.w3.org/2001/XMLSchema-instance";
const XML: &[u8] = b"http://www.w3.org/XML/1998/namespace";
const XMLNS: &[u8] = b"http://www.w3.org/2000/xmlns/";

/// What a name's prefix resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns {
    /// The EM namespace.
    Em,
    /// XML Schema instance (`xsi:nil`).
    Xsi,
    /// Another namespace, or none.
    Other,
}

impl Ns {
    fn of(uri: &[u8]) -> Ns {
        if uri == NAMESPACE.as_bytes() {
            Ns::Em
        } else if uri == XSI {
            Ns::Xsi
        } else {
            Ns::Other
        }
    }
}

/// The bindings in scope, outermost first. `""` is the default namespace.
#[derive(Default)]
pub(super) struct Scopes<'i> {
    bindings: Vec<(Cow<'i, [u8]>, Ns)>,
}

impl<'i> Scopes<'i> {
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Scopes { bindings: Vec::with_capacity(capacity) }
    }

    /// How many bindings are in scope.
    pub(super) fn len(&self) -> usize {
        self.bindings.len()
    }

    /// Ends the innermost bindings, keeping the first `len`.
    pub(super) fn truncate(&mut self, len: usize) {
        self.bindings.truncate(len);
    }

    /// Applies attribute `name="value"` (raw value, as quick-xml compares it) if it declares a namespace.
    /// `Ok(true)` for a declaration, `Ok(false)` for any other attribute; the error is the message for a
    /// binding XML forbids.
    pub(super) fn declare(&mut self, name: Cow<'i, [u8]>, value: &[u8]) -> Result<bool, String> {
        let prefix = match &name {
            Cow::Borrowed(name) if *name == b"xmlns" => Cow::Borrowed(&b""[..]),
            Cow::Borrowed(name) => match name.strip_prefix(b"xmlns:") {
                Some(prefix) => Cow::Borrowed(prefix),
                None => return Ok(false),
            },
            Cow::Owned(name) if name == b"xmlns" => Cow::Borrowed(&b""[..]),
            Cow::Owned(name) => match name.strip_prefix(b"xmlns:") {
                Some(prefix) => Cow::Owned(prefix.to_vec()),
                None => return Ok(false),
            },
        };
        let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        match prefix.as_ref() {
            b"" => {}
            // `xml` may be declared, but only to its own namespace, which it has anyway.
            b"xml" if value == XML => return Ok(true),
            b"xml" => return Err(format!("the prefix `xml` cannot be bound to {}", Quoted(&lossy(value)))),
            b"xmlns" => return Err(format!("the prefix `xmlns` cannot be bound to {}", Quoted(&lossy(value)))),
            other if value == XML => {
                return Err(format!("the prefix {} cannot be bound to the `xml` namespace", Quoted(&lossy(other))))
            }
            other if value == XMLNS => {
                return Err(format!("the prefix {} cannot be bound to the `xmlns` namespace", Quoted(&lossy(other))))
            }
            _ => {}
        }
        // An empty URI undeclares: the default namespace becomes none, and a prefix stops resolving to a
        // namespace (quick-xml's "unbound", which is not an error).
        self.bindings.push((prefix, Ns::of(value)));
        Ok(true)
    }

    /// The namespace of an element name; `Err(prefix)` when its prefix is not declared.
    pub(super) fn element<'n>(&self, qname: &'n [u8]) -> Result<Ns, &'n [u8]> {
        match split(qname) {
            Some(prefix) => self.prefix(prefix),
            None => Ok(self.lookup(b"").unwrap_or(Ns::Other)),
        }
    }

    /// The namespace of an attribute name: `None` when it has no prefix (no namespace, EM's own
    /// attributes), `Err(prefix)` when its prefix is not declared.
    pub(super) fn attribute<'n>(&self, qname: &'n [u8]) -> Option<Result<Ns, &'n [u8]>> {
        split(qname).map(|prefix| self.prefix(prefix))
    }

    fn prefix<'n>(&self, prefix: &'n [u8]) -> Result<Ns, &'n [u8]> {
        match prefix {
            b"xml" | b"xmlns" => Ok(Ns::Other),
            prefix => self.lookup(prefix).ok_or(prefix),
        }
    }

    fn lookup(&self, prefix: &[u8]) -> Option<Ns> {
        self.bindings.iter().rev().find(|(p, _)| p.as_ref() == prefix).map(|&(_, ns)| ns)
    }
}

/// The prefix of a qualified name, if it has one.
fn split(qname: &[u8]) -> Option<&[u8]> {
    qname.iter().position(|&b| b == b':').map(|colon| &qname[..colon])
}

/// The local part of a qualified name.
pub(super) fn local_name(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(colon) => &qname[colon + 1..],
        None => qname,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared<'i>(pairs: &[(&'i str, &str)]) -> Scopes<'i> {
        let mut scopes = Scopes::default();
        for (name, value) in pairs {
            assert!(scopes.declare(Cow::Borrowed(name.as_bytes()), value.as_bytes()).unwrap(), "{name}");
        }
        scopes
    }

    #[test]
    fn innermost_binding_wins_and_truncate_ends_it() {
        let mut scopes = declared(&[("xmlns", NAMESPACE), ("xmlns:v", NAMESPACE)]);
        assert_eq!(scopes.element(b"X"), Ok(Ns::Em));
        assert_eq!(scopes.element(b"v:X"), Ok(Ns::Em));
        let outer = scopes.len();
        scopes.declare(Cow::Borrowed(b"xmlns"), b"urn:other").unwrap();
        scopes.declare(Cow::Borrowed(b"xmlns:v"), b"").unwrap();
        assert_eq!(scopes.element(b"X"), Ok(Ns::Other));
        assert_eq!(scopes.element(b"v:X"), Ok(Ns::Other));
        scopes.truncate(outer);
        assert_eq!(scopes.element(b"X"), Ok(Ns::Em));
        assert_eq!(scopes.element(b"v:X"), Ok(Ns::Em));
    }

    #[test]
    fn prefixes_resolve_or_are_reported() {
        let scopes = declared(&[("xmlns", NAMESPACE), ("xmlns:i", "http://www.w3.org/2001/XMLSchema-instance")]);
        assert_eq!(scopes.element(b"q:X"), Err(&b"q"[..]));
        assert_eq!(scopes.attribute(b"Href"), None);
        assert_eq!(scopes.attribute(b"i:nil"), Some(Ok(Ns::Xsi)));
        assert_eq!(scopes.attribute(b"xml:lang"), Some(Ok(Ns::Other)));
        assert_eq!(scopes.attribute(b"q:nil"), Some(Err(&b"q"[..])));
        // The default namespace does not apply to attributes, and without one elements have none.
        assert_eq!(Scopes::default().element(b"X"), Ok(Ns::Other));
        assert_eq!(local_name(b"v:X"), b"X");
    }

    #[test]
    fn reserved_prefixes_are_refused() {
        let mut scopes = Scopes::default();
        let mut declare =
            |name: &'static str, value: &str| scopes.declare(Cow::Borrowed(name.as_bytes()), value.as_bytes());
        assert_eq!(declare("xmlns:xml", "http://www.w3.org/XML/1998/namespace"), Ok(true));
        assert!(declare("xmlns:xml", "urn:x").unwrap_err().contains("prefix `xml` cannot be bound"));
        assert!(declare("xmlns:xmlns", "urn:x").is_err());
        assert!(declare("xmlns:p", "http://www.w3.org/XML/1998/namespace").is_err());
        assert!(declare("xmlns:p", "http://www.w3.org/2000/xmlns/").is_err());
        assert_eq!(declare("Href", "x"), Ok(false));
        assert_eq!(declare("xmlnsX", "x"), Ok(false));
    }
}
