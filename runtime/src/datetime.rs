//! `xs:dateTime` values that survive a round trip byte for byte.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::value::{ValueError, XmlValue};

/// How the offset was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum OffsetForm {
    /// `Z`
    Zulu,
    /// `+01:00`
    Numeric,
    /// `-00:00`, which XML Schema allows and means UTC.
    MinusZero,
    /// Nothing: EM's JSON sometimes drops the offset. The value is then read as UTC.
    Absent,
}

/// A point in time as EM writes it (`2025-10-18T20:00:30.423Z`).
///
/// EM writes between zero and seven fractional digits; the value keeps the instant and also how it was
/// written (digits, `Z` or numeric offset), so re-encoding gives the same text. Two values are equal when
/// they denote the same instant in the same written form; compare [`DateTime::instant`] for the instant alone.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    instant: OffsetDateTime,
    frac_digits: u8,
    offset: OffsetForm,
}

impl DateTime {
    /// The instant, with the offset it was written in.
    pub fn instant(&self) -> OffsetDateTime {
        self.instant
    }

    /// Number of fractional second digits in the written form (0 to 9).
    pub fn fractional_digits(&self) -> u8 {
        self.frac_digits
    }

    /// Whether the text carried an offset (`Z` or `+hh:mm`); without one the value was taken as UTC.
    pub fn has_offset(&self) -> bool {
        self.offset != OffsetForm::Absent
    }

    /// Parses an `xs:dateTime`: `YYYY-MM-DDThh:mm:ss[.f{1,9}][Z|(+|-)hh:mm]`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        parse(text.trim()).ok_or_else(|| ValueError::new("xs:dateTime", text))
    }
}

impl From<OffsetDateTime> for DateTime {
    /// Uses the shortest exact fractional form (up to nine digits), and `Z` for UTC.
    fn from(instant: OffsetDateTime) -> Self {
        let mut nanos = instant.nanosecond();
        let mut digits = if nanos == 0 { 0 } else { 9 };
        while digits > 0 && nanos.is_multiple_of(10) {
            nanos /= 10;
            digits -= 1;
        }
        let offset = if instant.offset().is_utc() { OffsetForm::Zulu } else { OffsetForm::Numeric };
        DateTime { instant, frac_digits: digits, offset }
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let mut acc = 0u32;
    for &c in s {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        acc = acc * 10 + u32::from(d);
    }
    Some(acc)
}

fn parse(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = i32::try_from(digits(&b[0..4])?).ok()?;
    let month = Month::try_from(u8::try_from(digits(&b[5..7])?).ok()?).ok()?;
    let day = u8::try_from(digits(&b[8..10])?).ok()?;
    let hour = u8::try_from(digits(&b[11..13])?).ok()?;
    let minute = u8::try_from(digits(&b[14..16])?).ok()?;
    let second = u8::try_from(digits(&b[17..19])?).ok()?;
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    let mut frac_digits = 0u8;
    if let Some(frac) = rest.strip_prefix(b".") {
        let len = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = digits(&frac[..len])? * 10u32.pow(9 - len as u32);
        frac_digits = len as u8;
        rest = &frac[len..];
    }
    let (offset, form) = match rest {
        [] => (UtcOffset::UTC, OffsetForm::Absent),
        [b'Z'] => (UtcOffset::UTC, OffsetForm::Zulu),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = i8::try_from(digits(&[*h1, *h2])?).ok()?;
            let minutes = i8::try_from(digits(&[*m1, *m2])?).ok()?;
            let (hours, minutes) = if *sign == b'-' { (-hours, -minutes) } else { (hours, minutes) };
            let form =
                if *sign == b'-' && hours == 0 && minutes == 0 { OffsetForm::MinusZero } else { OffsetForm::Numeric };
            (UtcOffset::from_hms(hours, minutes, 0).ok()?, form)
        }
        _ => return None,
    };
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(DateTime { instant: PrimitiveDateTime::new(date, time).assume_offset(offset), frac_digits, offset: form })
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.instant;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            v.year(),
            u8::from(v.month()),
            v.day(),
            v.hour(),
            v.minute(),
            v.second()
        )?;
        if self.frac_digits > 0 {
            let scaled = v.nanosecond() / 10u32.pow(9 - u32::from(self.frac_digits));
            write!(f, ".{:0width$}", scaled, width = usize::from(self.frac_digits))?;
        }
        match self.offset {
            OffsetForm::Zulu => f.write_str("Z"),
            OffsetForm::Absent => Ok(()),
            OffsetForm::MinusZero => f.write_str("-00:00"),
            OffsetForm::Numeric => {
                let (h, m, _) = v.offset().as_hms();
                let sign = if h < 0 || m < 0 { '-' } else { '+' };
                write!(f, "{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
            }
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl FromStr for DateTime {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse(s)
    }
}

impl XmlValue for DateTime {
    fn from_text(text: Cow<'_, str>) -> Result<Self, ValueError> {
        DateTime::parse(&text)
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.text())
    }
}

impl DateTime {
    /// The written form, without the formatting machinery for the common case (years 0 to 9999, `Z`).
    fn text(&self) -> String {
        let mut b = [0u8; 32];
        match self.fast_text(&mut b) {
            Some(text) => text.to_owned(),
            None => self.to_string(),
        }
    }

    fn fast_text<'b>(&self, b: &'b mut [u8; 32]) -> Option<&'b str> {
        let v = self.instant;
        if !(0..=9999).contains(&v.year()) || self.offset != OffsetForm::Zulu {
            return None;
        }
        let mut n = 0;
        let mut put = |value: u32, width: u32, sep: u8| {
            let mut div = 10u32.pow(width - 1);
            for _ in 0..width {
                b[n] = b'0' + (value / div % 10) as u8;
                n += 1;
                div /= 10;
            }
            b[n] = sep;
            n += 1;
        };
        put(v.year() as u32, 4, b'-');
        put(u32::from(u8::from(v.month())), 2, b'-');
        put(u32::from(v.day()), 2, b'T');
        put(u32::from(v.hour()), 2, b':');
        put(u32::from(v.minute()), 2, b':');
        if self.frac_digits > 0 {
            put(u32::from(v.second()), 2, b'.');
            let digits = u32::from(self.frac_digits);
            put(v.nanosecond() / 10u32.pow(9 - digits), digits, b'Z');
        } else {
            put(u32::from(v.second()), 2, b'Z');
        }
        std::str::from_utf8(&b[..n]).ok()
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut b = [0u8; 32];
        match self.fast_text(&mut b) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an xs:dateTime")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTime, E> {
                DateTime::parse(text).map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_written_form() {
        for text in [
            "2014-10-19T05:44:54Z",
            "2017-01-12T16:56:28.7Z",
            "2025-08-15T20:00:24.003406Z",
            "2025-10-18T20:00:30.4230000Z",
            "2019-10-23T22:00:00+02:00",
            "2019-10-23T14:00:00",
            "2019-10-23T14:00:00-05:30",
            "2019-10-23T14:00:00-00:00",
            "2019-10-23T14:00:00+00:00",
        ] {
            assert_eq!(DateTime::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn the_fast_text_form_matches_display() {
        for text in
            ["2014-10-19T05:44:54Z", "2017-01-12T16:56:28.7Z", "0001-01-01T00:00:00.000000001Z", "2019-10-23T14:00:00"]
        {
            let value = DateTime::parse(text).unwrap();
            assert_eq!(value.to_text(), value.to_string());
            assert_eq!(value.to_text(), text);
        }
    }

    #[test]
    fn keeps_the_instant() {
        let a = DateTime::parse("2019-10-23T22:00:00+02:00").unwrap();
        let b = DateTime::parse("2019-10-23T20:00:00Z").unwrap();
        assert_eq!(a.instant(), b.instant());
        assert_ne!(a, b, "different written forms");
        assert_eq!(DateTime::parse("2017-01-12T16:56:28.7Z").unwrap().instant().nanosecond(), 700_000_000);
    }

    #[test]
    fn rejects_what_is_not_a_date_time() {
        for text in [
            "yesterday",
            "2014-13-19T05:44:54Z",
            "2014-02-30T05:44:54Z",
            "2014-10-19T05:44:54.Z",
            "2014-10-19 05:44:54Z",
            "2014-10-19T05:44:54+1:00",
            "2014-10-19T05:44:54.1234567890Z",
        ] {
            assert!(DateTime::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn from_offset_date_time_uses_the_shortest_exact_form() {
        let v = DateTime::parse("2025-01-02T03:04:05.120Z").unwrap().instant();
        assert_eq!(DateTime::from(v).to_string(), "2025-01-02T03:04:05.12Z");
    }
}
