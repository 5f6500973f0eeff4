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
                // XML Schema lets zero carry a minus sign even in the unsigned types (`-0`, `-000`);
                // Rust's unsigned parsers refuse any '-', so that one form is handled here.
                if let Some(zeros) = text.strip_prefix('-') {
                    if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') {
                        return Ok(0);
                    }
                }
                // Rust's parser takes a leading '+', as does XML Schema; nothing else differs.
                text.parse().map_err(|_| ValueError::new($name, text))
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
integer!(
    i8 => "xs:byte",
    i16 => "xs:short",
    i32 => "xs:int",
    i64 => "xs:long",
    u8 => "xs:unsignedByte",
    u16 => "xs:unsignedShort",
    u32 => "xs:unsignedInt",
    u64 => "xs:unsignedLong"
);

/// Whether `text` (already trimmed) is a finite number in the lexical form that `xs:float` and `xs:double`
/// share: an optional sign, digits with at most one `.` (at least one digit on either side), and an
/// optional exponent `e`/`E`, optional sign, digits.
fn is_xml_float_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let whole = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += whole;
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        fraction = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        let exponent = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == b.len()
}

macro_rules! float {
    ($($ty:ty => $name:literal),*) => {$(
        impl XmlValue for $ty {
            /// Takes the XML Schema forms only: `INF`, `+INF`, `-INF`, `NaN` and decimal numbers with an
            /// optional exponent (`1.5E3`, `.5`, `5.`); Rust's own spellings (`inf`, `infinity`, `nan`) are
            /// refused. Numbers beyond the type's range become infinite, as XML Schema 1.1 specifies.
            fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
                let text = text.trim();
                match text {
                    "INF" | "+INF" => Ok(<$ty>::INFINITY),
                    "-INF" => Ok(<$ty>::NEG_INFINITY),
                    "NaN" => Ok(<$ty>::NAN),
                    _ if is_xml_float_number(text) => text.parse().map_err(|_| ValueError::new($name, text)),
                    _ => Err(ValueError::new($name, text)),
                }
            }
            /// Writes `INF`, `-INF` and `NaN` for the special values, otherwise the shortest text that reads
            /// back as the same number: plain decimal digits for moderate magnitudes, `1.5E-7` style beyond.
            fn to_text(&self) -> Cow<'_, str> {
                let v = *self;
                if v.is_nan() {
                    Cow::Borrowed("NaN")
                } else if v.is_infinite() {
                    Cow::Borrowed(if v > 0.0 { "INF" } else { "-INF" })
                } else if v == 0.0 || (1e-5..1e16).contains(&v.abs()) {
                    Cow::Owned(v.to_string())
                } else {
                    Cow::Owned(format!("{v:E}"))
                }
            }
        }
    )*};
}
float!(f32 => "xs:float", f64 => "xs:double");

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

    #[test]
    fn small_and_unsigned_integers_follow_xml_schema() {
        assert_eq!(parse::<i8>("-128").unwrap(), -128);
        assert_eq!(parse::<i8>("+127").unwrap(), 127);
        assert_eq!(parse::<i8>("128"), Err(ValueError::new("xs:byte", "128")));
        assert_eq!(parse::<i16>(" -32768\n").unwrap(), i16::MIN);
        assert_eq!(parse::<i16>("32768"), Err(ValueError::new("xs:short", "32768")));
        assert_eq!(parse::<u8>("255").unwrap(), 255);
        assert_eq!(parse::<u8>("256"), Err(ValueError::new("xs:unsignedByte", "256")));
        assert_eq!(parse::<u32>("4294967295").unwrap(), u32::MAX);
        assert_eq!(parse::<u32>("-1"), Err(ValueError::new("xs:unsignedInt", "-1")));
        assert_eq!(parse::<u64>("18446744073709551615").unwrap(), u64::MAX);
        assert_eq!(parse::<u64>("1.0"), Err(ValueError::new("xs:unsignedLong", "1.0")));
        // Zero may carry either sign, also in the unsigned types; a lone sign is not a number.
        assert_eq!(parse::<u32>("-0").unwrap(), 0);
        assert_eq!(parse::<u8>("-000").unwrap(), 0);
        assert_eq!(parse::<u64>("+0").unwrap(), 0);
        assert!(parse::<u16>("-").is_err());
        assert!(parse::<i8>("+").is_err());
        assert!(parse::<u8>("0x1").is_err());
    }

    #[test]
    fn integers_round_trip_through_text() {
        fn round_trip<T: XmlValue + PartialEq + std::fmt::Debug>(values: &[T]) {
            for v in values {
                assert_eq!(&parse::<T>(&v.to_text()).unwrap(), v);
            }
        }
        round_trip(&[i8::MIN, -1, 0, i8::MAX]);
        round_trip(&[i16::MIN, 0, i16::MAX]);
        round_trip(&[0u8, 7, u8::MAX]);
        round_trip(&[0u32, 9392, u32::MAX]);
        round_trip(&[0u64, 1, u64::MAX]);
        assert_eq!(parse::<u8>("+007").unwrap().to_text(), "7");
    }

    #[test]
    fn floats_take_the_xml_schema_forms() {
        assert_eq!(parse::<f64>("INF").unwrap(), f64::INFINITY);
        assert_eq!(parse::<f64>("+INF").unwrap(), f64::INFINITY);
        assert_eq!(parse::<f64>(" -INF ").unwrap(), f64::NEG_INFINITY);
        assert!(parse::<f64>("NaN").unwrap().is_nan());
        assert!(parse::<f32>("NaN").unwrap().is_nan());
        assert_eq!(parse::<f32>("-INF").unwrap(), f32::NEG_INFINITY);
        assert_eq!(parse::<f64>("1.5E3").unwrap(), 1500.0);
        assert_eq!(parse::<f64>("1.5e-3").unwrap(), 0.0015);
        assert_eq!(parse::<f64>("2E+2").unwrap(), 200.0);
        assert_eq!(parse::<f64>(".5").unwrap(), 0.5);
        assert_eq!(parse::<f64>("5.").unwrap(), 5.0);
        assert_eq!(parse::<f64>("-0").unwrap(), 0.0);
        assert!(parse::<f64>("-0").unwrap().is_sign_negative());
        assert_eq!(parse::<f32>("+12.25").unwrap(), 12.25);
        assert_eq!(parse::<f32>("1e39").unwrap(), f32::INFINITY);
        assert_eq!(parse::<f64>("0.1").unwrap(), 0.1);
    }

    #[test]
    fn floats_refuse_rust_only_and_malformed_forms() {
        for text in [
            "inf",
            "-inf",
            "infinity",
            "Infinity",
            "+Infinity",
            "nan",
            "NAN",
            "-NaN",
            "+NaN",
            "",
            ".",
            "-",
            "+.",
            "e5",
            "1e",
            "1e+",
            "1.5.2",
            "1,5",
            "0x10",
            "1 000",
            "--1",
            "1E5.0",
            "INF5",
        ] {
            assert_eq!(parse::<f64>(text), Err(ValueError::new("xs:double", text.trim())), "{text:?}");
            assert_eq!(parse::<f32>(text), Err(ValueError::new("xs:float", text.trim())), "{text:?}");
        }
    }

    #[test]
    fn floats_write_xml_forms_that_read_back() {
        assert_eq!(f64::INFINITY.to_text(), "INF");
        assert_eq!(f64::NEG_INFINITY.to_text(), "-INF");
        assert_eq!(f64::NAN.to_text(), "NaN");
        assert_eq!(f32::NAN.to_text(), "NaN");
        assert_eq!(1500.0f64.to_text(), "1500");
        assert_eq!(0.1f64.to_text(), "0.1");
        assert_eq!(1e300f64.to_text(), "1E300");
        assert_eq!(1.5e-7f64.to_text(), "1.5E-7");
        assert_eq!(f32::MAX.to_text(), "3.4028235E38");
        assert_eq!(0.1f32.to_text(), "0.1");
        assert_eq!((-0.0f64).to_text(), "-0");
        for v in [
            0.0,
            -0.0,
            1.0,
            -2.5,
            0.1,
            1.0 / 3.0,
            1e-5,
            9.999e-6,
            1e15,
            1e16,
            123456789012345680.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let back = parse::<f64>(&v.to_text()).unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{v:?} -> {}", v.to_text());
        }
        for v in [0.0f32, 1.0 / 3.0, 16777217.0, f32::MAX, f32::MIN_POSITIVE, 1e-45, -7.5e20] {
            let back = parse::<f32>(&v.to_text()).unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{v:?} -> {}", v.to_text());
        }
        assert!(parse::<f64>(&f64::NAN.to_text()).unwrap().is_nan());
    }

    #[test]
    fn numbers_travel_through_json_as_plain_numbers() {
        // serde's own impls: nothing XML-specific, but pinned here because the generated JSON relies on it.
        assert_eq!(serde_json::to_string(&u64::MAX).unwrap(), "18446744073709551615");
        assert_eq!(serde_json::from_str::<u64>("18446744073709551615").unwrap(), u64::MAX);
        assert_eq!(serde_json::from_str::<i8>("-128").unwrap(), i8::MIN);
        assert!(serde_json::from_str::<u8>("256").is_err());
        assert_eq!(serde_json::from_str::<f64>(&serde_json::to_string(&0.1f64).unwrap()).unwrap(), 0.1);
        assert_eq!(serde_json::from_str::<f32>(&serde_json::to_string(&1.5e-7f32).unwrap()).unwrap(), 1.5e-7);
        // JSON has no infinities or NaN: serde_json writes them as null, which does not read back as a number.
        assert_eq!(serde_json::to_string(&f64::INFINITY).unwrap(), "null");
        assert!(serde_json::from_str::<f64>("null").is_err());
    }
}
