//! Rust names for schema names, decided in one place.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers, even raw (`self`, `Self`, `super`, `crate`).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords (2021 edition), which need `r#`.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let",
    "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type",
    "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Local variable names the generated decoders use; a field may not take them.
pub const RESERVED_FIELDS: &[&str] = &["reader", "element", "attr", "child", "writer"];

/// Type names the generator itself emits at the model root.
pub const RESERVED_TYPES: &[&str] = &["Document"];

/// `CreationTimeUTC` -> `creation_time_utc`.
pub fn field(name: &str) -> String {
    name.to_snake_case()
}

/// `VmReplicaPoint` -> `VmReplicaPoint`, `vCloud` -> `VCloud`.
pub fn type_name(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Whether `name` is a plain identifier (ASCII letters, digits, `_`, not starting with a digit).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !NOT_RAW.contains(&name)
}

/// Whether `name` needs the `r#` prefix.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// An identifier token for `name`, raw when it is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if is_keyword(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.len() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wanted.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edits (insertions, deletions, substitutions of one character) that turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case() {
        assert_eq!(field("CreationTimeUTC"), "creation_time_utc");
        assert_eq!(field("UID"), "uid");
        assert_eq!(field("FSRoots"), "fs_roots");
        assert_eq!(field("VMwareSSOToken"), "v_mware_sso_token");
    }

    #[test]
    fn keywords_become_raw() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("links").to_string(), "links");
    }

    #[test]
    fn typos_find_their_target() {
        assert_eq!(closest("EntityTyp", ["EntityType", "Link", "Task"]), Some("EntityType"));
        assert_eq!(closest("Zebra", ["EntityType", "Link"]), None);
    }
}
