//! Text forms of simple values, shared by XML attributes and element content.

use std::borrow::Cow;

/// A simple value that has one text form on the wire.
pub trait XmlValue: Sized {
    /// Parses the (already unescaped) text.
    fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError>;
    /// The text to write (escaping is the writer's job).
    fn to_text(&self) -> Cow<'_, str>;
}

/// Text that is not a valid value of the expected type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    /// What was expected, for example `xs:int`.
    pub expected: &'static str,
    /// The text found.
    pub found: String,
}

impl ValueError {
    /// `found` is not a value of the kind `expected`.
    pub fn new(expected: &'static str, found: &str) -> Self {
        ValueError { expected, found: found.to_owned() }
    }
}

impl XmlValue for String {
    fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
        Ok(text.into_owned())
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl XmlValue for bool {
    fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
        // xs:boolean allows surrounding whitespace and the digits 1 and 0.
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ValueError::new("xs:boolean", &text)),
        }
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! integer {
    ($($ty:ty => $name:literal),*) => {$(
        impl XmlValue for $ty {
            fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
                let text = text.trim();
                // Rust's parser takes a leading '+', as does XML Schema; nothing else differs.
                text.parse().map_err(|_| ValueError::new($name, text))
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
integer!(i32 => "xs:int", i64 => "xs:long", u16 => "xs:unsignedShort");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: XmlValue>(s: &str) -> Result<T, ValueError> {
        T::from_text(Cow::Borrowed(s))
    }

    #[test]
    fn strings_are_kept_verbatim() {
        assert_eq!(parse::<String>(" Dec  7 2025 ").unwrap(), " Dec  7 2025 ");
    }

    #[test]
    fn booleans_follow_xml_schema() {
        assert!(parse::<bool>(" true").unwrap());
        assert!(!parse::<bool>("0").unwrap());
        assert_eq!(parse::<bool>("yes"), Err(ValueError::new("xs:boolean", "yes")));
    }

    #[test]
    fn integers_check_their_range() {
        assert_eq!(parse::<u16>("9392").unwrap(), 9392);
        assert!(parse::<u16>("70000").is_err());
        assert!(parse::<i32>("").is_err());
        assert_eq!(parse::<i64>(" -5 ").unwrap(), -5);
    }
}
