//! Times are stored as naive UTC and shown, and typed, in Asia/Shanghai.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

/// Reads a `datetime-local` value (`2026-12-01T08:00`) typed in Beijing time, as UTC.
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()?;
    // Shanghai has had no daylight saving since 1991, so every local time maps to one instant.
    Shanghai
        .from_local_datetime(&local)
        .single()
        .map(|t| t.naive_utc())
}

/// A UTC time as a `datetime-local` value in Beijing time, for prefilled forms.
pub fn to_local_input(utc: NaiveDateTime) -> String {
    utc.and_utc()
        .with_timezone(&Shanghai)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The end of a Beijing calendar day typed as `2027-12-31`: 00:00 Beijing the next day, in UTC.
pub fn end_of_local_day(text: &str) -> Option<NaiveDateTime> {
    let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let next = date.succ_opt()?.and_hms_opt(0, 0, 0)?;
    Shanghai
        .from_local_datetime(&next)
        .single()
        .map(|t| t.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_input_is_stored_as_utc_and_back() {
        let utc = parse_local("2026-12-01T08:00").expect("valid");
        assert_eq!(utc.to_string(), "2026-12-01 00:00:00");
        assert_eq!(to_local_input(utc), "2026-12-01T08:00");
        let midnight = parse_local("2026-12-01 00:30").expect("valid");
        assert_eq!(
            midnight.to_string(),
            "2026-11-30 16:30:00",
            "the previous UTC day"
        );
    }

    #[test]
    fn a_day_ends_at_the_next_beijing_midnight() {
        assert_eq!(
            end_of_local_day("2027-12-31").map(|t| t.to_string()),
            Some("2027-12-31 16:00:00".to_string())
        );
        assert_eq!(end_of_local_day("2027-02-30"), None);
        assert_eq!(end_of_local_day("soon"), None);
    }

    #[test]
    fn odd_input_is_refused() {
        for bad in [
            "",
            "tomorrow",
            "2026-13-01T08:00",
            "2026-02-30T08:00",
            "2026-12-01T25:00",
        ] {
            assert_eq!(parse_local(bad), None, "{bad}");
        }
    }
}
