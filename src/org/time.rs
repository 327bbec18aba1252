//! Timestamps as AWS exports write them: `2014-07-30T17:09:20Z`,
//! `2023-03-09 10:41:45+00:00` (Python's `str()`), `2019-11-13T17:30:00.000Z`,
//! epoch seconds (`1481835795.536`, Organizations) or milliseconds, or a bare date.

use std::fmt;

use jiff::Timestamp;
use serde::de::{self, Deserializer, Visitor};

/// Reads a timestamp in any of the forms AWS tools write.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(n) = t.parse::<f64>() {
        return from_epoch(n);
    }
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        return jiff::tz::TimeZone::UTC.to_timestamp(dt).ok();
    }
    if let Ok(d) = t.parse::<jiff::civil::Date>() {
        return jiff::tz::TimeZone::UTC
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .ok();
    }
    None
}

/// Epoch seconds; values too large to be seconds before the year 5138 are milliseconds.
fn from_epoch(n: f64) -> Option<Timestamp> {
    if !n.is_finite() {
        return None;
    }
    let secs = if n.abs() >= 1e11 { n / 1000.0 } else { n };
    let whole = secs.trunc();
    let nanos = ((secs - whole) * 1e9).round() as i32;
    Timestamp::new(whole as i64, nanos.clamp(-999_999_999, 999_999_999)).ok()
}

/// A timestamp field: a string in any accepted form, epoch seconds, or null.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Time(pub Option<Timestamp>);

pub(crate) const EXPECTED: &str = "a timestamp: `2024-05-01T12:00:00Z`, `2024-05-01 12:00:00+00:00`, `2024-05-01` or epoch seconds";

impl<'de> de::Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Time, E> {
                parse_time(v)
                    .map(|t| Time(Some(t)))
                    .ok_or_else(|| E::custom(format!("`{v}` is not {EXPECTED}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Time, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Time, E> {
                self.visit_f64(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Time, E> {
                from_epoch(v)
                    .map(|t| Time(Some(t)))
                    .ok_or_else(|| E::custom(format!("`{v}` is not {EXPECTED}")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Time, E> {
                Ok(Time(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Time, E> {
                Ok(Time(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form_aws_tools_write() {
        let want: Timestamp = "2023-03-09T10:41:45Z".parse().unwrap();
        for t in [
            "2023-03-09T10:41:45Z",
            "2023-03-09 10:41:45+00:00",
            "2023-03-09T10:41:45.000Z",
            "2023-03-09T10:41:45",
            "1678358505",
            "1678358505000",
        ] {
            assert_eq!(parse_time(t), Some(want), "{t}");
        }
        assert_eq!(
            parse_time("2023-03-09"),
            Some("2023-03-09T00:00:00Z".parse().unwrap())
        );
        let t: Time = serde_json::from_str("1481835795.536").unwrap();
        assert_eq!(t.0.unwrap().as_millisecond(), 1481835795536);
        assert_eq!(parse_time("N/A"), None);
        assert_eq!(parse_time("1e300"), None);
    }
}
