//! Value types for the XML Schema built-in types that have no fitting Rust primitive.
//!
//! Every type here reads and writes its XML Schema 1.0 lexical form through [`XmlValue`], [`FromStr`] and
//! [`Display`](fmt::Display), and travels through JSON as that same text (a JSON string); [`Decimal`] also
//! accepts a JSON number. Surrounding whitespace is trimmed when reading, as XML Schema's whitespace
//! collapsing does.
//!
//! The generator maps the built-in types as follows:
//!
//! | XML Schema type                                                      | Rust type                   |
//! |----------------------------------------------------------------------|-----------------------------|
//! | `xs:string` and the types derived from it (`xs:token`, `xs:NCName`…) | [`String`]                  |
//! | `xs:anyURI`                                                          | [`String`]                  |
//! | `xs:boolean`                                                         | [`bool`]                    |
//! | `xs:byte`, `xs:short`, `xs:int`, `xs:long`                           | [`i8`], [`i16`], [`i32`], [`i64`] |
//! | `xs:unsignedByte`, `xs:unsignedShort`, `xs:unsignedInt`, `xs:unsignedLong` | [`u8`], [`u16`], [`u32`], [`u64`] |
//! | `xs:float`, `xs:double`                                              | [`f32`], [`f64`]            |
//! | `xs:decimal`                                                         | [`Decimal`]                 |
//! | `xs:dateTime`                                                        | [`DateTime`](crate::DateTime) |
//! | `xs:date`                                                            | [`Date`]                    |
//! | `xs:time`                                                            | [`TimeOfDay`]               |
//! | `xs:duration`                                                        | [`Duration`]                |
//! | `xs:base64Binary`                                                    | [`Base64Binary`]            |
//! | `xs:hexBinary`                                                       | [`HexBinary`]               |
//!
//! Where XML Schema lets one value be written several ways (`Z` or `+00:00`, `1.0` or `1.00`), the types
//! keep what was read so that writing it back gives the same text; equality then compares the written
//! form, like [`DateTime`](crate::DateTime) does. [`Duration`] is the exception: it writes a canonical form
//! from its components.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use super::value::{ValueError, XmlValue};

/// Implements `FromStr`, `XmlValue`, `Serialize` (as a string) and `Deserialize` (from a string) in terms of
/// the type's `parse` and `Display`.
macro_rules! text_value {
    ($ty:ident, $expecting:literal) => {
        impl FromStr for $ty {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::parse(s)
            }
        }

        impl XmlValue for $ty {
            fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
                $ty::parse(&text)
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$ty, E> {
                        $ty::parse(text).map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
                    }
                }
                deserializer.deserialize_str(Text)
            }
        }
    };
}

/// The value of a run of one or more ASCII digits, or `None` when `s` has anything else or overflows.
fn number(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u64, |acc, &c| {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        acc.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// Two ASCII digits.
fn two_digits(s: &[u8]) -> Option<u8> {
    match s {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some((a - b'0') * 10 + (b - b'0')),
        _ => None,
    }
}

/// Up to nine fractional digits as nanoseconds.
fn fraction(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let value = u32::try_from(number(s)?).ok()?;
    Some(value * 10u32.pow(9 - s.len() as u32))
}

// ---------------------------------------------------------------------------------------------------------
// xs:decimal

/// An `xs:decimal`, kept exactly as written (`-12.50`, `+3`, `.5`), so no digit is lost to floating point.
///
/// The text is checked once on construction: an optional sign, then digits with at most one `.`, with at
/// least one digit in all. Equality and hashing compare the text, so `1.5` and `1.50` are different values;
/// convert with [`Decimal::to_f64`] to compare magnitudes approximately.
///
/// In JSON a decimal is written as a string. It is read from a string or from a JSON number; a number with
/// a fraction or exponent reaches this type as an `f64`, so it is already rounded to the nearest `f64` and
/// written in its shortest plain form (`0.1` stays `0.1`, but `0.30000000000000004` is what arrives for an
/// input that `f64` cannot hold more closely). Integers that fit `i64` or `u64` arrive exactly.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// Parses an `xs:decimal`; surrounding whitespace is dropped, the rest is kept as it is.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let trimmed = text.trim();
        let b = trimmed.as_bytes();
        let unsigned = b.strip_prefix(b"+").or_else(|| b.strip_prefix(b"-")).unwrap_or(b);
        let mut dots = 0;
        let mut digits = 0;
        for &c in unsigned {
            match c {
                b'.' => dots += 1,
                b'0'..=b'9' => digits += 1,
                _ => return Err(ValueError::new("xs:decimal", text)),
            }
        }
        if dots > 1 || digits == 0 {
            return Err(ValueError::new("xs:decimal", text));
        }
        Ok(Decimal(trimmed.to_owned()))
    }

    /// The text as it was read (without surrounding whitespace).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, consuming the value.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The nearest `f64` (exact only for values that `f64` can hold).
    pub fn to_f64(&self) -> f64 {
        // Every xs:decimal form is also one that Rust's float parser takes.
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The decimal written in plain digits, or `None` for NaN and the infinities.
    ///
    /// The text is the shortest that reads back as the same `f64` (`0.1` gives `0.1`), never in exponent
    /// form, so very large or very small numbers give long texts.
    pub fn from_f64(value: f64) -> Option<Self> {
        value.is_finite().then(|| Decimal(value.to_string()))
    }
}

impl From<i64> for Decimal {
    /// The integer in plain digits.
    fn from(value: i64) -> Self {
        Decimal(value.to_string())
    }
}

impl From<u64> for Decimal {
    /// The integer in plain digits.
    fn from(value: u64) -> Self {
        Decimal(value.to_string())
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({})", self.0)
    }
}

impl FromStr for Decimal {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl XmlValue for Decimal {
    fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
        Decimal::parse(&text)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    /// Reads a string holding an `xs:decimal`, or a number (see the type's documentation about precision).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an xs:decimal as a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Decimal, E> {
                Decimal::parse(text).map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(value))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(value))
            }
            fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Decimal, E> {
                Ok(Decimal(value.to_string()))
            }
            fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Decimal, E> {
                Ok(Decimal(value.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Decimal, E> {
                Decimal::from_f64(value).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(value), &self))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Time zones of xs:date and xs:time

/// How a time zone was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Zone {
    /// `Z`
    Zulu,
    /// `+hh:mm` or `-hh:mm`, as minutes east of UTC (`+00:00` is `Offset(0)`).
    Offset(i16),
    /// `-00:00`, which XML Schema allows and means UTC.
    MinusZero,
}

/// The largest offset XML Schema allows, `±14:00`, in minutes.
const MAX_OFFSET_MINUTES: i16 = 14 * 60;

impl Zone {
    /// Parses what follows a date or time: nothing, `Z`, or `(+|-)hh:mm` within `±14:00`.
    fn parse(rest: &[u8]) -> Option<Option<Zone>> {
        match rest {
            [] => Some(None),
            [b'Z'] => Some(Some(Zone::Zulu)),
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let hours = two_digits(&[*h1, *h2])?;
                let minutes = two_digits(&[*m1, *m2])?;
                if minutes > 59 {
                    return None;
                }
                let total = i16::from(hours) * 60 + i16::from(minutes);
                if total > MAX_OFFSET_MINUTES {
                    return None;
                }
                Some(Some(match (sign, total) {
                    (b'-', 0) => Zone::MinusZero,
                    (b'-', _) => Zone::Offset(-total),
                    _ => Zone::Offset(total),
                }))
            }
            _ => None,
        }
    }

    /// The zone for an offset in minutes: `Z` for zero, `±hh:mm` otherwise.
    fn from_minutes(minutes: i16) -> Option<Zone> {
        match minutes {
            0 => Some(Zone::Zulu),
            _ if minutes.abs() <= MAX_OFFSET_MINUTES => Some(Zone::Offset(minutes)),
            _ => None,
        }
    }

    fn minutes(self) -> i16 {
        match self {
            Zone::Offset(minutes) => minutes,
            Zone::Zulu | Zone::MinusZero => 0,
        }
    }

    fn write(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Zulu => f.write_str("Z"),
            Zone::MinusZero => f.write_str("-00:00"),
            Zone::Offset(minutes) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let minutes = minutes.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// xs:date

/// An `xs:date`: a calendar day with an optional time zone (`2025-10-18`, `2025-10-18Z`, `-0044-03-15+01:00`).
///
/// The year has at least four digits and may be negative; XML Schema 1.0 has no year zero, so `0000` is
/// refused. The day is checked against the month, with the Gregorian leap year rule applied to the year
/// number as written. The time zone is kept as written (`Z`, `+00:00` and `-00:00` all mean UTC but stay
/// distinct), so equality compares the written form.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
    zone: Option<Zone>,
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// A date without a time zone; `None` when the month or day does not exist or the year is zero.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let valid = year != 0 && (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Date { year, month, day, zone: None })
    }

    /// The same date with a time zone offset from UTC in minutes (written `Z` for zero), or without a time
    /// zone for `None`. Returns `None` when the offset is beyond `±14:00`.
    pub fn with_offset_minutes(self, offset: Option<i16>) -> Option<Self> {
        let zone = match offset {
            Some(minutes) => Some(Zone::from_minutes(minutes)?),
            None => None,
        };
        Some(Date { zone, ..self })
    }

    /// Parses an `xs:date`: `[-]YYYY-MM-DD[Z|(+|-)hh:mm]`, the year with four or more digits (more than four
    /// only without leading zeros) that fit an `i32`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::parse_bytes(text.trim().as_bytes()).ok_or_else(|| ValueError::new("xs:date", text))
    }

    fn parse_bytes(b: &[u8]) -> Option<Self> {
        let (negative, b) = match b.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, b),
        };
        let year_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if year_len < 4 || (year_len > 4 && b[0] == b'0') {
            return None;
        }
        let year = i64::try_from(number(&b[..year_len])?).ok()?;
        let year = i32::try_from(if negative { -year } else { year }).ok()?;
        let rest = &b[year_len..];
        if rest.len() < 6 || rest[0] != b'-' || rest[3] != b'-' {
            return None;
        }
        let date = Date::new(year, two_digits(&rest[1..3])?, two_digits(&rest[4..6])?)?;
        Some(Date { zone: Zone::parse(&rest[6..])?, ..date })
    }

    /// The year (never zero; negative before year 1).
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The time zone as minutes east of UTC (`+02:00` is 120, `Z` is 0), or `None` when none was given.
    pub fn offset_minutes(&self) -> Option<i16> {
        self.zone.map(Zone::minutes)
    }

    /// The calendar day as a [`time::Date`], or `None` when the year is beyond what `time` can hold
    /// (±9999). The year number is passed through as it is; the time zone is dropped.
    pub fn to_time_date(&self) -> Option<time::Date> {
        let month = time::Month::try_from(self.month).ok()?;
        time::Date::from_calendar_date(self.year, month, self.day).ok()
    }
}

impl TryFrom<time::Date> for Date {
    type Error = ValueError;

    /// The same calendar day without a time zone; fails only for year zero, which XML Schema 1.0 lacks.
    fn try_from(date: time::Date) -> Result<Self, ValueError> {
        Date::new(date.year(), u8::from(date.month()), date.day())
            .ok_or_else(|| ValueError::new("xs:date", &date.to_string()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            f.write_str("-")?;
        }
        write!(f, "{:04}-{:02}-{:02}", self.year.unsigned_abs(), self.month, self.day)?;
        match self.zone {
            Some(zone) => zone.write(f),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

text_value!(Date, "an xs:date");

// ---------------------------------------------------------------------------------------------------------
// xs:time

/// An `xs:time`: a time of day with optional fraction and time zone (`22:00:00`, `08:30:00.5+02:00`), as EM
/// uses for the times of day in job schedules.
///
/// The fraction keeps up to nine digits (nanoseconds) and how many digits were written, so `10:00:00.500`
/// is written back as it was read; longer fractions are refused. `24:00:00` (with no or an all-zero
/// fraction) is accepted as the end of the day, as XML Schema 1.0 allows, and written back as such. The time
/// zone is kept as written, like [`Date`]'s. Equality compares the written form.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeOfDay {
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    fraction_digits: u8,
    zone: Option<Zone>,
}

impl TimeOfDay {
    /// A time of day without fraction or time zone; `None` unless `hour < 24`, `minute < 60` and
    /// `second < 60`, or the time is exactly `24:00:00`.
    pub fn new(hour: u8, minute: u8, second: u8) -> Option<Self> {
        let valid = (hour < 24 && minute < 60 && second < 60) || (hour, minute, second) == (24, 0, 0);
        valid.then_some(TimeOfDay { hour, minute, second, nanosecond: 0, fraction_digits: 0, zone: None })
    }

    /// The same time with a fraction of a second, written with as few digits as it needs. Returns `None`
    /// for `nanosecond >= 1_000_000_000`, or a non-zero fraction on `24:00:00`.
    pub fn with_nanosecond(self, nanosecond: u32) -> Option<Self> {
        if nanosecond >= 1_000_000_000 || (self.hour == 24 && nanosecond != 0) {
            return None;
        }
        let mut digits = if nanosecond == 0 { 0 } else { 9 };
        let mut scaled = nanosecond;
        while digits > 0 && scaled.is_multiple_of(10) {
            scaled /= 10;
            digits -= 1;
        }
        Some(TimeOfDay { nanosecond, fraction_digits: digits, ..self })
    }

    /// The same time with a time zone offset from UTC in minutes (written `Z` for zero), or without a time
    /// zone for `None`. Returns `None` when the offset is beyond `±14:00`.
    pub fn with_offset_minutes(self, offset: Option<i16>) -> Option<Self> {
        let zone = match offset {
            Some(minutes) => Some(Zone::from_minutes(minutes)?),
            None => None,
        };
        Some(TimeOfDay { zone, ..self })
    }

    /// Parses an `xs:time`: `hh:mm:ss[.f{1,9}][Z|(+|-)hh:mm]`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::parse_bytes(text.trim().as_bytes()).ok_or_else(|| ValueError::new("xs:time", text))
    }

    fn parse_bytes(b: &[u8]) -> Option<Self> {
        if b.len() < 8 || b[2] != b':' || b[5] != b':' {
            return None;
        }
        let time = TimeOfDay::new(two_digits(&b[0..2])?, two_digits(&b[3..5])?, two_digits(&b[6..8])?)?;
        let mut rest = &b[8..];
        let mut nanosecond = 0;
        let mut fraction_digits = 0;
        if let Some(after_dot) = rest.strip_prefix(b".") {
            let len = after_dot.iter().take_while(|c| c.is_ascii_digit()).count();
            nanosecond = fraction(&after_dot[..len])?;
            fraction_digits = len as u8;
            rest = &after_dot[len..];
        }
        if time.hour == 24 && nanosecond != 0 {
            return None;
        }
        Some(TimeOfDay { nanosecond, fraction_digits, zone: Zone::parse(rest)?, ..time })
    }

    /// The hour, 0 to 23, or 24 for the end of the day (`24:00:00`).
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// The second, 0 to 59.
    pub fn second(&self) -> u8 {
        self.second
    }

    /// The fraction of the second in nanoseconds.
    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }

    /// How many fractional digits the written form has (0 to 9).
    pub fn fractional_digits(&self) -> u8 {
        self.fraction_digits
    }

    /// Whether this is `24:00:00`, the end of the day.
    pub fn is_end_of_day(&self) -> bool {
        self.hour == 24
    }

    /// The time zone as minutes east of UTC (`+02:00` is 120, `Z` is 0), or `None` when none was given.
    pub fn offset_minutes(&self) -> Option<i16> {
        self.zone.map(Zone::minutes)
    }

    /// The time as a [`time::Time`], or `None` for `24:00:00`, which it cannot represent. The time zone is
    /// dropped.
    pub fn to_time(&self) -> Option<time::Time> {
        time::Time::from_hms_nano(self.hour, self.minute, self.second, self.nanosecond).ok()
    }
}

impl From<time::Time> for TimeOfDay {
    /// The same time without a time zone, with as few fractional digits as it needs.
    fn from(time: time::Time) -> Self {
        let (hour, minute, second, nanosecond) = time.as_hms_nano();
        TimeOfDay { hour, minute, second, nanosecond: 0, fraction_digits: 0, zone: None }
            .with_nanosecond(nanosecond)
            .expect("time::Time holds a valid time of day")
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        if self.fraction_digits > 0 {
            let digits = u32::from(self.fraction_digits);
            let scaled = self.nanosecond / 10u32.pow(9 - digits);
            write!(f, ".{:0width$}", scaled, width = usize::from(self.fraction_digits))?;
        }
        match self.zone {
            Some(zone) => zone.write(f),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeOfDay({self})")
    }
}

text_value!(TimeOfDay, "an xs:time");

// ---------------------------------------------------------------------------------------------------------
// xs:duration

/// An `xs:duration`: a signed span of years, months, days, hours, minutes and seconds
/// (`P1Y2M3DT4H5M6.7S`, `-PT30M`).
///
/// The components are kept separately, as written: `PT90M` has 90 minutes and is not equal to `PT1H30M`,
/// since a month or a year has no fixed length in seconds. The sign applies to the whole duration. Seconds
/// may carry up to nine fractional digits; longer fractions are refused.
///
/// The written form is canonical: zero components are left out, the seconds fraction has no trailing zeros
/// and a zero duration is `PT0S`, so parsing and writing again gives an equal value, but not always the
/// same text (`P0Y1M` becomes `P1M`). A zero duration is never negative: `-PT0S` equals `PT0S`.
#[derive(Clone, Copy, Default)]
pub struct Duration {
    negative: bool,
    years: u64,
    months: u64,
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: u64,
    nanoseconds: u32,
}

impl Duration {
    /// The zero duration, `PT0S`.
    pub const ZERO: Duration =
        Duration { negative: false, years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, nanoseconds: 0 };

    /// Parses an `xs:duration`: `[-]P[nY][nM][nD][T[nH][nM][n[.f{1,9}]S]]` with at least one component and
    /// at least one after a `T`. Each number must fit a `u64`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::parse_bytes(text.trim().as_bytes()).ok_or_else(|| ValueError::new("xs:duration", text))
    }

    fn parse_bytes(b: &[u8]) -> Option<Self> {
        let (negative, b) = match b.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, b),
        };
        let mut rest = b.strip_prefix(b"P")?;
        let mut value = Duration { negative, ..Duration::ZERO };
        let mut components = 0;
        // Designators in the order they must appear; each may appear once.
        let mut date_order: &[u8] = b"YMD";
        while !rest.is_empty() && rest[0] != b'T' {
            let len = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            let n = number(&rest[..len])?;
            let designator = *rest.get(len)?;
            let position = date_order.iter().position(|&d| d == designator)?;
            date_order = &date_order[position + 1..];
            match designator {
                b'Y' => value.years = n,
                b'M' => value.months = n,
                _ => value.days = n,
            }
            components += 1;
            rest = &rest[len + 1..];
        }
        if let Some(time) = rest.strip_prefix(b"T") {
            rest = time;
            let mut time_order: &[u8] = b"HMS";
            let mut time_components = 0;
            while !rest.is_empty() {
                let len = rest.iter().take_while(|c| c.is_ascii_digit()).count();
                let n = number(&rest[..len])?;
                rest = &rest[len..];
                if let Some(after_dot) = rest.strip_prefix(b".") {
                    // Only the seconds may have a fraction.
                    let len = after_dot.iter().take_while(|c| c.is_ascii_digit()).count();
                    value.nanoseconds = fraction(&after_dot[..len])?;
                    rest = after_dot.get(len..)?;
                    if rest != b"S" {
                        return None;
                    }
                }
                let designator = *rest.first()?;
                let position = time_order.iter().position(|&d| d == designator)?;
                time_order = &time_order[position + 1..];
                match designator {
                    b'H' => value.hours = n,
                    b'M' => value.minutes = n,
                    _ => value.seconds = n,
                }
                time_components += 1;
                rest = &rest[1..];
            }
            if time_components == 0 {
                return None;
            }
            components += time_components;
        }
        (components > 0).then_some(value)
    }

    /// Whether the duration points backwards (written with a leading `-`); a zero duration never does.
    pub fn is_negative(&self) -> bool {
        self.negative && !self.is_zero()
    }

    /// Whether every component is zero.
    pub fn is_zero(&self) -> bool {
        self.magnitude() == Duration::ZERO.magnitude()
    }

    /// The years component.
    pub fn years(&self) -> u64 {
        self.years
    }

    /// The months component.
    pub fn months(&self) -> u64 {
        self.months
    }

    /// The days component.
    pub fn days(&self) -> u64 {
        self.days
    }

    /// The hours component.
    pub fn hours(&self) -> u64 {
        self.hours
    }

    /// The minutes component.
    pub fn minutes(&self) -> u64 {
        self.minutes
    }

    /// The whole seconds of the seconds component.
    pub fn seconds(&self) -> u64 {
        self.seconds
    }

    /// The fraction of the seconds component, in nanoseconds.
    pub fn nanoseconds(&self) -> u32 {
        self.nanoseconds
    }

    /// The same duration pointing backwards (`true`) or forwards (`false`).
    pub fn with_negative(self, negative: bool) -> Self {
        Duration { negative, ..self }
    }

    /// The same duration with its years component replaced.
    pub fn with_years(self, years: u64) -> Self {
        Duration { years, ..self }
    }

    /// The same duration with its months component replaced.
    pub fn with_months(self, months: u64) -> Self {
        Duration { months, ..self }
    }

    /// The same duration with its days component replaced.
    pub fn with_days(self, days: u64) -> Self {
        Duration { days, ..self }
    }

    /// The same duration with its hours component replaced.
    pub fn with_hours(self, hours: u64) -> Self {
        Duration { hours, ..self }
    }

    /// The same duration with its minutes component replaced.
    pub fn with_minutes(self, minutes: u64) -> Self {
        Duration { minutes, ..self }
    }

    /// The same duration with its seconds component replaced; `None` when `nanoseconds` is a second or more.
    pub fn with_seconds(self, seconds: u64, nanoseconds: u32) -> Option<Self> {
        (nanoseconds < 1_000_000_000).then_some(Duration { seconds, nanoseconds, ..self })
    }

    /// The duration as a [`std::time::Duration`]: `None` when it has years or months (which have no fixed
    /// length), is negative, or is too long. A day counts as 24 hours.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.years != 0 || self.months != 0 || self.is_negative() {
            return None;
        }
        let seconds = self
            .days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3_600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?;
        Some(std::time::Duration::new(seconds, self.nanoseconds))
    }

    /// Everything but the sign.
    fn magnitude(&self) -> (u64, u64, u64, u64, u64, u64, u32) {
        (self.years, self.months, self.days, self.hours, self.minutes, self.seconds, self.nanoseconds)
    }
}

impl From<std::time::Duration> for Duration {
    /// Splits the span into hours, minutes and seconds (`PT1H30M`); no days, so no calendar is implied.
    fn from(span: std::time::Duration) -> Self {
        let whole = span.as_secs();
        Duration {
            hours: whole / 3_600,
            minutes: whole / 60 % 60,
            seconds: whole % 60,
            nanoseconds: span.subsec_nanos(),
            ..Duration::ZERO
        }
    }
}

impl PartialEq for Duration {
    /// Component by component, with the sign of a zero duration ignored.
    fn eq(&self, other: &Self) -> bool {
        self.is_negative() == other.is_negative() && self.magnitude() == other.magnitude()
    }
}

impl Eq for Duration {}

impl std::hash::Hash for Duration {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.is_negative().hash(state);
        self.magnitude().hash(state);
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("PT0S");
        }
        if self.is_negative() {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        for (n, designator) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if n != 0 {
                write!(f, "{n}{designator}")?;
            }
        }
        if self.hours == 0 && self.minutes == 0 && self.seconds == 0 && self.nanoseconds == 0 {
            return Ok(());
        }
        f.write_str("T")?;
        for (n, designator) in [(self.hours, 'H'), (self.minutes, 'M')] {
            if n != 0 {
                write!(f, "{n}{designator}")?;
            }
        }
        if self.seconds != 0 || self.nanoseconds != 0 {
            write!(f, "{}", self.seconds)?;
            if self.nanoseconds != 0 {
                let mut digits = 9;
                let mut scaled = self.nanoseconds;
                while scaled.is_multiple_of(10) {
                    scaled /= 10;
                    digits -= 1;
                }
                write!(f, ".{scaled:0digits$}")?;
            }
            f.write_str("S")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Duration({self})")
    }
}

text_value!(Duration, "an xs:duration");

// ---------------------------------------------------------------------------------------------------------
// xs:base64Binary

/// Bytes written as `xs:base64Binary`: the standard alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `+`, `/`) with `=`
/// padding to a multiple of four characters.
///
/// Reading ignores whitespace (spaces, tabs, line breaks) anywhere in the text, as XML Schema allows, but is
/// strict otherwise: padding only at the end and only as much as needed, and the unused bits before the
/// padding must be zero, so each byte string has exactly one accepted spelling up to whitespace. Writing
/// gives one line without whitespace. In JSON the value is that text as a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Base64Binary(pub Vec<u8>);

const BASE64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_digit(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

fn is_xml_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

impl Base64Binary {
    /// Decodes `xs:base64Binary` text (see the type's documentation for what is accepted).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::decode(text).map(Base64Binary).ok_or_else(|| ValueError::new("xs:base64Binary", text))
    }

    fn decode(text: &str) -> Option<Vec<u8>> {
        let chars: Vec<u8> = text.bytes().filter(|&c| !is_xml_whitespace(c)).collect();
        if !chars.len().is_multiple_of(4) {
            return None;
        }
        let mut out = Vec::with_capacity(chars.len() / 4 * 3);
        let quads = chars.len() / 4;
        for (i, quad) in chars.chunks_exact(4).enumerate() {
            let padding = match quad {
                [_, _, b'=', b'='] => 2,
                [_, _, _, b'='] => 1,
                _ => 0,
            };
            if padding > 0 && i + 1 != quads {
                return None;
            }
            let mut bits = 0u32;
            for &c in &quad[..4 - padding] {
                bits = bits << 6 | base64_digit(c)?;
            }
            match padding {
                0 => out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]),
                1 => {
                    // 18 bits: two bytes and two unused bits, which must be zero.
                    if bits & 0b11 != 0 {
                        return None;
                    }
                    out.extend_from_slice(&[(bits >> 10) as u8, (bits >> 2) as u8]);
                }
                _ => {
                    // 12 bits: one byte and four unused bits, which must be zero.
                    if bits & 0b1111 != 0 {
                        return None;
                    }
                    out.push((bits >> 4) as u8);
                }
            }
        }
        Some(out)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, consuming the value.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Base64Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Binary(bytes)
    }
}

impl From<&[u8]> for Base64Binary {
    fn from(bytes: &[u8]) -> Self {
        Base64Binary(bytes.to_vec())
    }
}

impl AsRef<[u8]> for Base64Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for Base64Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut quad = [0u8; 4];
        for chunk in self.0.chunks(3) {
            let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
            for (i, c) in quad.iter_mut().enumerate() {
                *c = if i <= chunk.len() { BASE64_ALPHABET[(bits >> (18 - 6 * i) & 63) as usize] } else { b'=' };
            }
            // The alphabet and '=' are ASCII.
            f.write_str(std::str::from_utf8(&quad).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

text_value!(Base64Binary, "an xs:base64Binary");

// ---------------------------------------------------------------------------------------------------------
// xs:hexBinary

/// Bytes written as `xs:hexBinary`: two hexadecimal digits per byte, in either case when read (`0fA3`),
/// upper case when written (`0FA3`). In JSON the value is that text as a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct HexBinary(pub Vec<u8>);

impl HexBinary {
    /// Decodes `xs:hexBinary` text: an even number of hexadecimal digits, nothing between them.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::decode(text.trim().as_bytes()).map(HexBinary).ok_or_else(|| ValueError::new("xs:hexBinary", text))
    }

    fn decode(b: &[u8]) -> Option<Vec<u8>> {
        if !b.len().is_multiple_of(2) {
            return None;
        }
        let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
        b.chunks_exact(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, consuming the value.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for HexBinary {
    fn from(bytes: Vec<u8>) -> Self {
        HexBinary(bytes)
    }
}

impl From<&[u8]> for HexBinary {
    fn from(bytes: &[u8]) -> Self {
        HexBinary(bytes.to_vec())
    }
}

impl AsRef<[u8]> for HexBinary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for HexBinary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in &self.0 {
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

text_value!(HexBinary, "an xs:hexBinary");

#[cfg(test)]
mod tests {
    use super::*;

    /// Text -> value -> text gives the same text, through `XmlValue` and through JSON.
    fn round_trips<T>(texts: &[&str])
    where
        T: XmlValue + fmt::Display + fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned,
    {
        for &text in texts {
            let value = T::from_text(Cow::Borrowed(text)).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
            assert_eq!(value.to_text(), text);
            assert_eq!(value.to_string(), text);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
        }
    }

    /// Each text is refused with an error naming `expected` and the text.
    fn refuses<T: XmlValue + fmt::Debug + serde::de::DeserializeOwned>(expected: &str, texts: &[&str]) {
        for &text in texts {
            match T::from_text(Cow::Borrowed(text)) {
                Ok(v) => panic!("{text:?} was read as {v:?}"),
                Err(e) => {
                    assert_eq!(e.expected, expected);
                    assert_eq!(e.found, text);
                }
            }
            assert!(serde_json::from_str::<T>(&serde_json::to_string(text).unwrap()).is_err(), "{text:?}");
        }
    }

    #[test]
    fn decimals_keep_their_text() {
        round_trips::<Decimal>(&["0", "-12.50", "+3", ".5", "5.", "-0.000", "123456789012345678901234567890.1"]);
        assert_eq!(Decimal::parse(" 1.0\n").unwrap().as_str(), "1.0");
        assert_ne!(Decimal::parse("1.5").unwrap(), Decimal::parse("1.50").unwrap());
        assert_eq!("42".parse::<Decimal>().unwrap().into_string(), "42");
    }

    #[test]
    fn decimals_refuse_what_is_not_one() {
        refuses::<Decimal>(
            "xs:decimal",
            &["", ".", "-", "+.", "1.2.3", "1e5", "1,5", "--1", "+-1", "0x1", "INF", "1 0"],
        );
    }

    #[test]
    fn decimals_convert_to_f64() {
        assert_eq!(Decimal::parse("-12.50").unwrap().to_f64(), -12.5);
        assert_eq!(Decimal::parse(".5").unwrap().to_f64(), 0.5);
        assert_eq!(Decimal::parse("5.").unwrap().to_f64(), 5.0);
        assert_eq!(Decimal::parse("+3").unwrap().to_f64(), 3.0);
        assert_eq!(Decimal::from_f64(0.1).unwrap().as_str(), "0.1");
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(Decimal::from(-7i64).as_str(), "-7");
        assert_eq!(Decimal::from(u64::MAX).as_str(), "18446744073709551615");
    }

    #[test]
    fn decimals_read_json_numbers() {
        let read = |json: &str| serde_json::from_str::<Decimal>(json).unwrap().into_string();
        assert_eq!(read("12"), "12");
        assert_eq!(read("-12"), "-12");
        assert_eq!(read("18446744073709551615"), "18446744073709551615");
        assert_eq!(read("12.25"), "12.25");
        assert_eq!(read("1.5e3"), "1500");
        assert_eq!(read("\"12.250\""), "12.250");
        assert_eq!(serde_json::to_string(&Decimal::parse("12.250").unwrap()).unwrap(), "\"12.250\"");
        assert!(serde_json::from_str::<Decimal>("true").is_err());
        assert!(serde_json::from_str::<Decimal>("\"12,5\"").is_err());
    }

    #[test]
    fn dates_keep_their_text() {
        round_trips::<Date>(&[
            "2025-10-18",
            "2025-10-18Z",
            "2025-10-18+02:00",
            "2025-10-18-05:30",
            "2025-10-18-00:00",
            "2025-10-18+00:00",
            "2025-10-18+14:00",
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "-0044-03-15",
            "12025-01-01",
            "-2147483648-12-31Z",
            "2147483647-01-01",
        ]);
        assert_eq!(Date::parse(" 2025-01-02Z ").unwrap().to_string(), "2025-01-02Z");
    }

    #[test]
    fn dates_refuse_what_is_not_one() {
        refuses::<Date>(
            "xs:date",
            &[
                "",
                "2025-13-01",
                "2025-00-01",
                "2025-01-00",
                "2025-02-29",
                "1900-02-29",
                "2025-04-31",
                "0000-01-01",
                "025-01-01",
                "02025-01-01",
                "2147483648-01-01",
                "2025-1-01",
                "2025-01-1",
                "2025/01/01",
                "2025-01-01T00:00:00",
                "2025-01-01z",
                "2025-01-01+1:00",
                "2025-01-01+14:01",
                "2025-01-01+15:00",
                "2025-01-01+02:60",
                "2025-01-01+0200",
                "+2025-01-01",
                "--2025-01-01",
            ],
        );
    }

    #[test]
    fn dates_expose_their_parts() {
        let d = Date::parse("2025-10-18+02:00").unwrap();
        assert_eq!((d.year(), d.month(), d.day(), d.offset_minutes()), (2025, 10, 18, Some(120)));
        assert_eq!(Date::parse("2025-10-18-05:30").unwrap().offset_minutes(), Some(-330));
        assert_eq!(Date::parse("2025-10-18Z").unwrap().offset_minutes(), Some(0));
        assert_eq!(Date::parse("2025-10-18-00:00").unwrap().offset_minutes(), Some(0));
        assert_eq!(Date::parse("2025-10-18").unwrap().offset_minutes(), None);
        assert_eq!(Date::parse("-0044-03-15").unwrap().year(), -44);
        assert_ne!(Date::parse("2025-10-18Z").unwrap(), Date::parse("2025-10-18+00:00").unwrap());
    }

    #[test]
    fn dates_convert_to_and_from_time() {
        let d = Date::parse("2024-02-29Z").unwrap();
        assert_eq!(d.to_time_date(), Some(time::Date::from_calendar_date(2024, time::Month::February, 29).unwrap()));
        assert_eq!(Date::parse("12025-01-01").unwrap().to_time_date(), None);
        let back = Date::try_from(d.to_time_date().unwrap()).unwrap();
        assert_eq!(back.to_string(), "2024-02-29");
        let year_zero = time::Date::from_calendar_date(0, time::Month::January, 1).unwrap();
        assert!(Date::try_from(year_zero).is_err());
    }

    #[test]
    fn dates_are_built_checked() {
        assert_eq!(Date::new(2025, 2, 29), None);
        assert_eq!(Date::new(0, 1, 1), None);
        assert_eq!(Date::new(2025, 13, 1), None);
        let d = Date::new(2025, 1, 2).unwrap();
        assert_eq!(d.to_string(), "2025-01-02");
        assert_eq!(d.with_offset_minutes(Some(0)).unwrap().to_string(), "2025-01-02Z");
        assert_eq!(d.with_offset_minutes(Some(-90)).unwrap().to_string(), "2025-01-02-01:30");
        assert_eq!(d.with_offset_minutes(Some(841)), None);
        assert_eq!(Date::new(-5, 1, 2).unwrap().to_string(), "-0005-01-02");
    }

    #[test]
    fn times_keep_their_text() {
        round_trips::<TimeOfDay>(&[
            "22:00:00",
            "00:00:00",
            "23:59:59",
            "08:30:00.5",
            "08:30:00.500",
            "08:30:00.000000001",
            "08:30:00.123456789",
            "08:30:00Z",
            "08:30:00.25+02:00",
            "08:30:00-00:00",
            "08:30:00-14:00",
            "24:00:00",
            "24:00:00.000Z",
        ]);
        assert_eq!(TimeOfDay::parse("\t12:00:00 ").unwrap().to_string(), "12:00:00");
    }

    #[test]
    fn times_refuse_what_is_not_one() {
        refuses::<TimeOfDay>(
            "xs:time",
            &[
                "",
                "noon",
                "24:00:01",
                "24:01:00",
                "24:00:00.5",
                "25:00:00",
                "12:60:00",
                "12:00:60",
                "12:00",
                "1:00:00",
                "12:00:00.",
                "12:00:00.1234567890",
                "12:00:00 Z",
                "12:00:00+2:00",
                "12:00:00+14:30",
                "T12:00:00",
                "12-00-00",
                "-12:00:00",
            ],
        );
    }

    #[test]
    fn times_expose_their_parts() {
        let t = TimeOfDay::parse("08:30:15.25+02:00").unwrap();
        assert_eq!((t.hour(), t.minute(), t.second(), t.nanosecond()), (8, 30, 15, 250_000_000));
        assert_eq!((t.fractional_digits(), t.offset_minutes(), t.is_end_of_day()), (2, Some(120), false));
        assert_eq!(t.to_time(), Some(time::Time::from_hms_nano(8, 30, 15, 250_000_000).unwrap()));
        let end = TimeOfDay::parse("24:00:00").unwrap();
        assert!(end.is_end_of_day());
        assert_eq!(end.to_time(), None);
        assert_ne!(TimeOfDay::parse("08:30:00.5").unwrap(), TimeOfDay::parse("08:30:00.50").unwrap());
    }

    #[test]
    fn times_are_built_checked() {
        assert_eq!(TimeOfDay::new(24, 0, 1), None);
        assert_eq!(TimeOfDay::new(12, 60, 0), None);
        let t = TimeOfDay::new(22, 0, 0).unwrap();
        assert_eq!(t.with_nanosecond(120_000_000).unwrap().to_string(), "22:00:00.12");
        assert_eq!(t.with_nanosecond(1_000_000_000), None);
        assert_eq!(TimeOfDay::new(24, 0, 0).unwrap().with_nanosecond(1), None);
        assert_eq!(t.with_offset_minutes(Some(60)).unwrap().to_string(), "22:00:00+01:00");
        let from_time = TimeOfDay::from(time::Time::from_hms_nano(1, 2, 3, 4_000).unwrap());
        assert_eq!(from_time.to_string(), "01:02:03.000004");
    }

    #[test]
    fn durations_write_canonical_text() {
        round_trips::<Duration>(&[
            "P1Y",
            "P2M",
            "P3D",
            "PT4H",
            "PT5M",
            "PT6S",
            "PT0.5S",
            "PT0.000000001S",
            "P1Y2M3DT4H5M6.7S",
            "-PT30M",
            "PT1H30M",
            "PT90M",
            "P1DT1S",
            "PT0S",
            "P18446744073709551615Y",
        ]);
        for (text, canonical) in [
            ("P0D", "PT0S"),
            ("-P0Y", "PT0S"),
            ("P0Y1M", "P1M"),
            ("PT1.500S", "PT1.5S"),
            ("PT0H0M0.0S", "PT0S"),
            (" P1D\n", "P1D"),
            ("P1DT0H", "P1D"),
        ] {
            let value = Duration::parse(text).unwrap();
            assert_eq!(value.to_string(), canonical, "{text:?}");
            assert_eq!(Duration::parse(canonical).unwrap(), value, "{text:?}");
        }
        assert_ne!(Duration::parse("PT90M").unwrap(), Duration::parse("PT1H30M").unwrap());
        assert_eq!(Duration::parse("-PT0S").unwrap(), Duration::ZERO);
    }

    #[test]
    fn durations_refuse_what_is_not_one() {
        refuses::<Duration>(
            "xs:duration",
            &[
                "",
                "P",
                "PT",
                "-P",
                "P1DT",
                "P1H",
                "PT1D",
                "PT1Y",
                "P1M1Y",
                "P1Y1Y",
                "PT1S1M",
                "P1.5D",
                "PT1.5M",
                "PT1.S",
                "PT.5S",
                "PT1.5",
                "PT0.1234567890S",
                "1D",
                "P-1D",
                "+P1D",
                "p1d",
                "P1D T1H",
                "PY",
                "P18446744073709551616Y",
                "PT1H2",
            ],
        );
    }

    #[test]
    fn durations_expose_their_parts() {
        let d = Duration::parse("-P1Y2M3DT4H5M6.7S").unwrap();
        assert!(d.is_negative());
        assert_eq!((d.years(), d.months(), d.days(), d.hours(), d.minutes()), (1, 2, 3, 4, 5));
        assert_eq!((d.seconds(), d.nanoseconds()), (6, 700_000_000));
        assert!(!d.is_zero());
        assert!(Duration::parse("P0D").unwrap().is_zero());
        assert!(!Duration::parse("-P0D").unwrap().is_negative());
    }

    #[test]
    fn durations_convert_to_and_from_std() {
        let std = |secs, nanos| Some(std::time::Duration::new(secs, nanos));
        assert_eq!(Duration::parse("P1DT1H1M1.5S").unwrap().to_std(), std(90_061, 500_000_000));
        assert_eq!(Duration::parse("PT0S").unwrap().to_std(), std(0, 0));
        assert_eq!(Duration::parse("-PT0S").unwrap().to_std(), std(0, 0));
        assert_eq!(Duration::parse("-PT1S").unwrap().to_std(), None);
        assert_eq!(Duration::parse("P1M").unwrap().to_std(), None);
        assert_eq!(Duration::parse("P1Y").unwrap().to_std(), None);
        assert_eq!(Duration::parse("PT18446744073709551615H").unwrap().to_std(), None);
        let d = Duration::from(std::time::Duration::new(5_430, 250_000_000));
        assert_eq!(d.to_string(), "PT1H30M30.25S");
        assert_eq!(d.to_std(), std(5_430, 250_000_000));
        assert_eq!(Duration::from(std::time::Duration::ZERO).to_string(), "PT0S");
    }

    #[test]
    fn durations_are_built_from_components() {
        let d = Duration::ZERO.with_negative(true).with_days(2).with_hours(3).with_seconds(4, 50_000_000).unwrap();
        assert_eq!(d.to_string(), "-P2DT3H4.05S");
        assert_eq!(Duration::ZERO.with_years(1).with_months(6).with_minutes(1).to_string(), "P1Y6MT1M");
        assert_eq!(Duration::ZERO.with_seconds(0, 1_000_000_000), None);
        assert_eq!(Duration::default(), Duration::ZERO);
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (bytes, text) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let value = Base64Binary::from(bytes.as_bytes());
            assert_eq!(value.to_string(), text);
            assert_eq!(Base64Binary::parse(text).unwrap().as_bytes(), bytes.as_bytes());
        }
        round_trips::<Base64Binary>(&["", "Zg==", "Zm8=", "Zm9v", "Zm9vYmFy", "+/+/", "AAECAwQFBgcICQoLDA0ODw=="]);
    }

    #[test]
    fn base64_round_trips_every_byte() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            let value = Base64Binary(bytes[..len].to_vec());
            assert_eq!(Base64Binary::parse(&value.to_string()).unwrap(), value);
        }
    }

    #[test]
    fn base64_allows_whitespace_inside() {
        let value = Base64Binary::parse(" Zm9v\r\nYmFy\n Zm8 = ").unwrap();
        assert_eq!(value.into_vec(), b"foobarfo");
        assert_eq!(Base64Binary::parse("Z g = =").unwrap().as_bytes(), b"f");
    }

    #[test]
    fn base64_refuses_what_is_not_canonical() {
        refuses::<Base64Binary>(
            "xs:base64Binary",
            &[
                "Zg",
                "Zg=",
                "Zm9",
                "Zg===",
                "====",
                "=Zg=",
                "Zg==Zg==",
                "Zh==",
                "Zm9=",
                "Zm-v",
                "Zm_v",
                "Zm9v\u{a0}",
                "Zg=a",
                "Z===",
            ],
        );
    }

    #[test]
    fn hex_binary_writes_upper_case() {
        round_trips::<HexBinary>(&["", "00", "0FA3", "DEADBEEF"]);
        assert_eq!(HexBinary::parse(" 0fa3\n").unwrap().as_bytes(), &[0x0f, 0xa3]);
        assert_eq!(HexBinary::parse("deadBEEF").unwrap().to_string(), "DEADBEEF");
        assert_eq!(HexBinary::from(&[1u8, 255][..]).to_string(), "01FF");
        assert_eq!(HexBinary::from(vec![0xab]).into_vec(), vec![0xab]);
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(HexBinary::parse(&HexBinary(all.clone()).to_string()).unwrap().0, all);
    }

    #[test]
    fn hex_binary_refuses_what_is_not_hex() {
        refuses::<HexBinary>("xs:hexBinary", &["0", "ABC", "0G", "0x1F", "0F A3", "+0F", "é0"]);
    }
}

/// `xs:float`: an `f32` compared by its bits, so the types that hold one can be `Eq` (a NaN equals itself,
/// `0.0` and `-0.0` differ), with XML Schema's text forms (`INF`, `-INF`, `NaN`). JSON: a number.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Float(pub f32);

/// `xs:double`: an `f64` compared by its bits (see [`Float`]). JSON: a number.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Double(pub f64);

macro_rules! bitwise_float {
    ($($name:ident($ty:ty)),*) => {$(
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.to_bits() == other.0.to_bits()
            }
        }

        impl Eq for $name {}

        impl XmlValue for $name {
            fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
                <$ty>::from_text(text).map($name)
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.0.to_text().into_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.to_text())
            }
        }
    )*};
}
bitwise_float!(Float(f32), Double(f64));

#[cfg(test)]
mod float_tests {
    use super::*;

    #[test]
    fn floats_compare_by_bits_and_read_xml_forms() {
        let nan = Double::from_text(Cow::Borrowed("NaN")).unwrap();
        assert_eq!(nan, nan);
        assert_ne!(Double(0.0), Double(-0.0));
        assert_eq!(Float::from_text(Cow::Borrowed("-INF")).unwrap().to_text(), "-INF");
        assert_eq!(serde_json::to_string(&Double(1.5)).unwrap(), "1.5");
        assert!(Double::from_text(Cow::Borrowed("inf")).is_err());
    }
}

/// `xs:list`: several simple values in one text, separated by whitespace (`<Ports>9392 9398</Ports>`).
/// JSON: an array of the values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ValueList<T>(pub Vec<T>);

impl<T: XmlValue> XmlValue for ValueList<T> {
    fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
        // XML whitespace only: the items of an `xs:list` never hold any.
        text.split([' ', '\t', '\n', '\r'])
            .filter(|item| !item.is_empty())
            .map(|item| T::from_text(Cow::Borrowed(item)))
            .collect::<Result<Vec<T>, ValueError>>()
            .map(ValueList)
    }

    fn to_text(&self) -> Cow<'_, str> {
        let items: Vec<Cow<'_, str>> = self.0.iter().map(XmlValue::to_text).collect();
        Cow::Owned(items.join(" "))
    }
}

#[cfg(test)]
mod value_list_tests {
    use super::*;

    #[test]
    fn items_are_separated_by_whitespace() {
        let ports = ValueList::<u16>::from_text(Cow::Borrowed(" 9392\t9398\n 80 ")).unwrap();
        assert_eq!(ports, ValueList(vec![9392, 9398, 80]));
        assert_eq!(ports.to_text(), "9392 9398 80");
        assert_eq!(ValueList::<u16>::from_text(Cow::Borrowed("")).unwrap(), ValueList(vec![]));
        assert_eq!(ValueList::<u16>::from_text(Cow::Borrowed("1 x")).unwrap_err().found, "x");
        assert_eq!(serde_json::to_string(&ports).unwrap(), "[9392,9398,80]");
    }
}
