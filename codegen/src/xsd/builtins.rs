//! XML Schema built-in types -> the schema language's simple types (`ir::ValueType::builtin` names).
//!
//! The schema language has most XSD built-ins under their own names (`byte`..`unsignedLong`, `float`,
//! `double`, `decimal`, `date`, `time`, `duration`, `base64Binary`, `hexBinary`) besides `string`, `boolean`,
//! `int`, `long`, `unsignedShort`, `dateTime` and its own `guid`, `uid`, `url`. Each built-in maps to the
//! closest of them; where the closest loses something (a range, a format the language has no type for), the
//! mapping says so and the front end reports a warning.

/// What an XML Schema built-in type becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Builtin {
    /// A schema-language type that holds every value of the built-in.
    Exact(&'static str),
    /// The closest schema-language type, with a warning saying what is lost.
    Lossy(&'static str, String),
    /// Not supported (the message of the error).
    Unsupported(String),
}

/// Built-ins that the schema language has no type for yet and that are read as text. Listed in
/// `schemas/README.md`.
pub(super) const READ_AS_TEXT: &[&str] = &["gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay"];

/// Built-ins the schema language has under the same name.
const SAME_NAME: &[&str] = &[
    "string",
    "boolean",
    "byte",
    "short",
    "int",
    "long",
    "unsignedByte",
    "unsignedShort",
    "unsignedInt",
    "unsignedLong",
    "float",
    "double",
    "decimal",
    "dateTime",
    "date",
    "time",
    "duration",
    "base64Binary",
    "hexBinary",
];

/// The mapping of the built-in `local` (`xs:local`), or `None` when XML Schema has no such type.
pub(super) fn builtin(local: &str) -> Option<Builtin> {
    use Builtin::*;
    if let Some(same) = SAME_NAME.iter().find(|n| **n == local) {
        return Some(Exact(same));
    }
    Some(match local {
        "normalizedString" | "token" | "language" | "Name" | "NCName" | "NMTOKEN" | "ID" | "IDREF" | "ENTITY"
        | "anySimpleType" | "anyAtomicType" => Exact("string"),
        "anyURI" => Exact("url"),
        "dateTimeStamp" => Exact("dateTime"),
        "dayTimeDuration" | "yearMonthDuration" => Exact("duration"),
        // Integers of any size: the closest fixed-size type, with what does not fit.
        "integer" | "nonPositiveInteger" | "negativeInteger" => Lossy(
            "long",
            format!(
                "`xs:{local}` is read as `long` (64-bit signed): values outside -9223372036854775808..=9223372036854775807 \
                 fail to decode; the schema language has no unbounded integer type"
            ),
        ),
        "nonNegativeInteger" | "positiveInteger" => Lossy(
            "unsignedLong",
            format!(
                "`xs:{local}` is read as `unsignedLong` (64-bit unsigned): values above 18446744073709551615 fail to \
                 decode; the schema language has no unbounded integer type"
            ),
        ),
        "QName" | "NOTATION" => {
            Lossy("string", format!("`xs:{local}` is read as text (`string`): its namespace prefix is not resolved"))
        }
        _ if READ_AS_TEXT.contains(&local) => {
            Lossy("string", format!("`xs:{local}` has no type in the schema language yet; it is read as text (`string`)"))
        }
        // Several tokens in one text: a value list of strings.
        "NMTOKENS" | "IDREFS" | "ENTITIES" => Exact("list(string)"),
        "anyType" => Unsupported("`xs:anyType` (any content) is not supported".to_owned()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::ValueType;

    #[test]
    fn every_mapping_names_a_schema_language_type() {
        let others = [
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "ID",
            "IDREF",
            "ENTITY",
            "anySimpleType",
            "anyAtomicType",
            "anyURI",
            "dateTimeStamp",
            "dayTimeDuration",
            "yearMonthDuration",
            "integer",
            "nonPositiveInteger",
            "negativeInteger",
            "nonNegativeInteger",
            "positiveInteger",
            "QName",
            "NOTATION",
        ];
        for local in SAME_NAME.iter().chain(&others).chain(READ_AS_TEXT) {
            let ty = match builtin(local) {
                Some(Builtin::Exact(ty) | Builtin::Lossy(ty, _)) => ty,
                other => panic!("{local}: {other:?}"),
            };
            assert!(ValueType::builtin(ty).is_some(), "{local} -> {ty}");
        }
        assert_eq!(builtin("NMTOKENS"), Some(Builtin::Exact("list(string)")));
        assert!(ValueType::builtin("list(string)").is_some());
        assert!(matches!(builtin("anyType"), Some(Builtin::Unsupported(_))));
        assert_eq!(builtin("unknownThing"), None);
    }
}
