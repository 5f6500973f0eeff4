//! EM's JSON form, as serde helpers the generated types name in `#[serde(with = ...)]`.
//!
//! EM's JSON is not a mechanical image of its XML: list wrappers are either bare arrays (`"Links": [...]`)
//! or objects holding one array under a .NET property name (`{"Refs": [...]}`), presence-only elements are
//! `{}`, and absent values are `null`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::xml::ListType;

/// Serializes list items the way the list type `L` appears in JSON.
pub fn serialize_items<L, S>(items: &[L::Item], serializer: S) -> Result<S::Ok, S::Error>
where
    L: ListType,
    L::Item: Serialize,
    S: Serializer,
{
    match L::JSON_KEY {
        None => serializer.collect_seq(items),
        Some(key) => {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(key, items)?;
            map.end()
        }
    }
}

/// Deserializes list items the way the list type `L` appears in JSON; a `null` array is empty.
pub fn deserialize_items<'de, L, D>(deserializer: D) -> Result<Vec<L::Item>, D::Error>
where
    L: ListType,
    L::Item: DeserializeOwned,
    D: Deserializer<'de>,
{
    match L::JSON_KEY {
        None => Ok(Option::<Vec<L::Item>>::deserialize(deserializer)?.unwrap_or_default()),
        Some(key) => deserializer.deserialize_map(WrappedVisitor::<L> { key, marker: PhantomData }),
    }
}

struct WrappedVisitor<L> {
    key: &'static str,
    marker: PhantomData<L>,
}

impl<'de, L> Visitor<'de> for WrappedVisitor<L>
where
    L: ListType,
    L::Item: DeserializeOwned,
{
    type Value = Vec<L::Item>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` array", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = None;
        // Other keys beside the array are a newer server's additions; other keys instead of it mean the
        // items are somewhere this model does not look, and reading "no items" would lose them.
        let mut other = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.key {
                items = Some(map.next_value::<Option<Vec<L::Item>>>()?.unwrap_or_default());
            } else {
                other.get_or_insert(key.into_owned());
                map.next_value::<IgnoredAny>()?;
            }
        }
        match (items, other) {
            (Some(items), _) => Ok(items),
            (None, None) => Ok(Vec::new()),
            (None, Some(other)) => Err(de::Error::custom(format_args!(
                "expected the array under `{}`, found only `{}`",
                self.key,
                other.escape_debug()
            ))),
        }
    }
}

/// `#[serde(with = "OptList::<L>")]` for an optional list field: `null` when absent.
pub struct OptList<L>(PhantomData<L>);

impl<L> OptList<L>
where
    L: ListType,
    L::Item: Serialize + DeserializeOwned,
{
    /// Serializes `None` as `null`, a list per [`serialize_items`].
    pub fn serialize<S: Serializer>(items: &Option<Vec<L::Item>>, serializer: S) -> Result<S::Ok, S::Error> {
        match items {
            None => serializer.serialize_none(),
            Some(items) => serialize_items::<L, S>(items, serializer),
        }
    }

    /// Reads `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<L::Item>>, D::Error> {
        Option::<ListJson<L>>::deserialize(deserializer).map(|list| list.map(|list| list.0))
    }
}

/// `#[serde(with = "List::<L>")]` for a required list field.
pub struct List<L>(PhantomData<L>);

impl<L> List<L>
where
    L: ListType,
    L::Item: Serialize + DeserializeOwned,
{
    /// Serializes per [`serialize_items`].
    pub fn serialize<S: Serializer>(items: &[L::Item], serializer: S) -> Result<S::Ok, S::Error> {
        serialize_items::<L, S>(items, serializer)
    }

    /// Deserializes per [`deserialize_items`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<L::Item>, D::Error> {
        deserialize_items::<L, D>(deserializer)
    }
}

struct ListJson<L: ListType>(Vec<L::Item>);

impl<'de, L> Deserialize<'de> for ListJson<L>
where
    L: ListType,
    L::Item: DeserializeOwned,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_items::<L, D>(deserializer).map(ListJson)
    }
}

/// `#[serde(with = "marker")]` for a presence-only element held as `bool`: `{}` when present, `null` when not.
pub mod marker {
    use super::*;

    /// `true` is `{}`, `false` is `null`.
    pub fn serialize<S: Serializer>(present: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        if *present {
            serializer.serialize_map(Some(0))?.end()
        } else {
            serializer.serialize_none()
        }
    }

    /// An object means present, `null` absent; anything else (`false`, `0`, a string) is an error rather
    /// than a guess.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(Presence { null_is_absent: true })
    }
}

/// Reads a presence-only element: an object (its members, which the model has no place for, are
/// skipped) means present; `null` means absent where that is allowed.
struct Presence {
    null_is_absent: bool,
}

impl<'de> Visitor<'de> for Presence {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.null_is_absent { "an object (`{}`) or null" } else { "an object (`{}`)" })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(true)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        if self.null_is_absent {
            Ok(false)
        } else {
            Err(E::invalid_type(de::Unexpected::Unit, &self))
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        self.visit_unit()
    }
}

/// `#[serde(with = "marker_variant")]` for a presence-only alternative of a choice: written as `{}`.
pub mod marker_variant {
    use super::*;

    /// Writes `{}`.
    pub fn serialize<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }

    /// Accepts an object (`{}`); anything else is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Presence { null_is_absent: false }).map(drop)
    }
}

/// Deserializes an open enumeration from its string; unknown strings are kept, never rejected.
pub fn deserialize_open_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    struct StrVisitor<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(StrVisitor(PhantomData))
}

/// `#[serde(with = "repeated")]` for a repeated element without a wrapper: an array, `null` read as empty.
pub mod repeated {
    use super::*;

    /// Writes an array.
    pub fn serialize<T: Serialize, S: Serializer>(items: &[T], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(items)
    }

    /// Reads an array or `null`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
    }
}

/// The JSON property names of a choice's alternatives (implemented by the generated choice enums).
pub trait ChoiceKeys {
    /// One name per alternative.
    const KEYS: &'static [&'static str];
}

/// Reads an optional choice from its owner's JSON object, where each alternative is a property of its own.
///
/// serde's own handling of an `Option` in a flattened field turns any error into `None`, which would
/// silently drop an alternative that is present but malformed. Here a choice is absent only when none of
/// its properties is there (or all are `null`); one that is there must read, or the error names it.
pub fn optional_choice<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: ChoiceKeys + DeserializeOwned,
{
    let properties = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
    let mut present = properties.into_iter().filter(|(k, v)| T::KEYS.contains(&k.as_str()) && !v.is_null());
    let Some((key, value)) = present.next() else { return Ok(None) };
    if let Some((other, _)) = present.next() {
        return Err(de::Error::custom(format!("`{key}` and `{other}` are alternatives; only one may be present")));
    }
    let mut one = serde_json::Map::new();
    one.insert(key.clone(), value);
    T::deserialize(serde_json::Value::Object(one)).map(Some).map_err(|e| de::Error::custom(format!("{key}: {e}")))
}
