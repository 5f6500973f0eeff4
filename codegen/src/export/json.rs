//! A small JSON value with sorted object keys and a stable pretty printer (the generator does not
//! depend on serde).

use std::collections::BTreeMap;
use std::fmt::Write;

/// A JSON value. Objects keep their keys sorted, so printing is deterministic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Json {
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    /// An empty object.
    pub(crate) fn obj() -> Json {
        Json::Obj(BTreeMap::new())
    }

    /// A string.
    pub(crate) fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// An array of strings.
    pub(crate) fn strs<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Json {
        Json::Arr(items.into_iter().map(|s| Json::str(s.as_ref())).collect())
    }

    /// Sets `key` (on an object; anything else is left alone) and returns the value.
    pub(crate) fn with(mut self, key: &str, value: Json) -> Json {
        self.set(key, value);
        self
    }

    /// Sets `key` when `value` is `Some`.
    pub(crate) fn with_opt(self, key: &str, value: Option<Json>) -> Json {
        match value {
            Some(v) => self.with(key, v),
            None => self,
        }
    }

    /// Sets `key` on an object.
    pub(crate) fn set(&mut self, key: &str, value: Json) {
        if let Json::Obj(map) = self {
            map.insert(key.to_owned(), value);
        }
    }

    /// The value of `key`, on an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(map) => map.get(key),
            _ => None,
        }
    }

    /// Removes `key` from an object, returning its value.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Json> {
        match self {
            Json::Obj(map) => map.remove(key),
            _ => None,
        }
    }

    /// Pretty-printed text, two spaces per level, with a final newline.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, level: usize) {
        match self {
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Str(s) => write_str(out, s),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(map) if map.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, level + 1);
                    item.write(out, level + 1);
                }
                out.push('\n');
                indent(out, level);
                out.push(']');
            }
            Json::Obj(map) => {
                out.push('{');
                for (i, (key, value)) in map.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, level + 1);
                    write_str(out, key);
                    out.push_str(": ");
                    value.write(out, level + 1);
                }
                out.push('\n');
                indent(out, level);
                out.push('}');
            }
        }
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_sorted_and_escaped() {
        let value = Json::obj()
            .with("b", Json::Arr(vec![Json::Int(-1), Json::Bool(true), Json::Bool(false)]))
            .with("a", Json::str("q\"\\\n\u{1}é"))
            .with("c", Json::obj())
            .with("d", Json::Arr(Vec::new()));
        let expected = "{\n  \"a\": \"q\\\"\\\\\\n\\u0001é\",\n  \"b\": [\n    -1,\n    true,\n    false\n  ],\n  \"c\": {},\n  \"d\": []\n}\n";
        assert_eq!(value.render(), expected);
    }
}
