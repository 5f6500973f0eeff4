//! The names XSD types get in the schema language's syntax tree (and so in Rust).
//!
//! The rule, deterministic and documented in `schemas/README.md` ("XSD input"):
//!
//! 1. A named `complexType` that exactly one global element uses (`type=`) takes that element's name:
//!    `VmReplicaPointEntityType` behind `<xs:element name="VmReplicaPoint" type="VmReplicaPointEntityType"/>`
//!    is `VmReplicaPoint`, and that element is its document root.
//! 2. Every other named type (`complexType`, enumerated `simpleType`) drops a trailing `Type`:
//!    `LinkType` -> `Link`. A global element that shares its type with other global elements gets a type
//!    of its own named after it (an empty extension of the shared type, or a copy of a list), unless the
//!    element already has the shared type's name.
//! 3. An anonymous type takes the name of the element (or attribute) it is declared in. When another type
//!    already has that name, or other anonymous types are declared in elements of the same name, it is
//!    the owner's name followed by the element name (`Job` + `Options` -> `JobOptions`).
//! 4. Two types that end with the same name are an error located at the second, naming the first.
//!
//! Names are claimed in file order and, within a file, in document order; global names (rules 1 and 2,
//! anonymous types of global elements) are all claimed before any anonymous type of a local element.

use std::collections::BTreeMap;

use crate::diagnostics::{Pos, Sink};

/// `LinkType` -> `Link`; a name that is only `Type` stays as it is.
pub(super) fn drop_type_suffix(name: &str) -> &str {
    match name.strip_suffix("Type") {
        Some(stem) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// The name of an anonymous type declared in the element or attribute `member` of the type `owner`.
pub(super) fn nested(owner: &str, member: &str) -> String {
    format!("{owner}{member}")
}

/// Who took a name, for messages.
#[derive(Clone, Debug)]
struct Claim {
    pos: Pos,
    what: String,
}

/// Every type name given so far.
#[derive(Debug, Default)]
pub(super) struct Names {
    taken: BTreeMap<String, Claim>,
}

impl Names {
    /// Whether a type already has `name`.
    pub(super) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// Gives `name` to the declaration `what` (written at `pos`); a clash is reported at `pos` naming the
    /// first place, and the function says whether the name was free.
    pub(super) fn claim(&mut self, name: &str, pos: Pos, what: String, sink: &mut Sink<'_>) -> bool {
        if let Some(first) = self.taken.get(name) {
            let note = format!("{} is at {}", first.what, sink.at(first.pos));
            sink.error(pos, format!("{what} becomes the type `{name}`, which {} also becomes", first.what))
                .note(note)
                .note("two XSD types may not end up with the same name; rename one of them");
            return false;
        }
        self.taken.insert(name.to_owned(), Claim { pos, what });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_type_is_dropped_once() {
        assert_eq!(drop_type_suffix("LinkType"), "Link");
        assert_eq!(drop_type_suffix("EntityTypeType"), "EntityType");
        assert_eq!(drop_type_suffix("Type"), "Type");
        assert_eq!(drop_type_suffix("Typed"), "Typed");
        assert_eq!(drop_type_suffix("Link"), "Link");
    }

    #[test]
    fn the_second_claim_of_a_name_is_an_error_naming_the_first() {
        let files = vec!["a.xsd".to_owned()];
        let mut sink = Sink::new(&files);
        let mut names = Names::default();
        let at = |line| Pos { file: 0, line, col: 1 };
        assert!(names.claim("Link", at(1), "complexType `LinkType`".into(), &mut sink));
        assert!(!names.claim("Link", at(5), "complexType `Link`".into(), &mut sink));
        let d = sink.finish();
        assert_eq!(
            d.0[0].to_string(),
            "a.xsd:5:1: error: complexType `Link` becomes the type `Link`, which complexType `LinkType` also becomes\n  \
             = complexType `LinkType` is at a.xsd:1:1\n  = two XSD types may not end up with the same name; rename one of them"
        );
    }
}
