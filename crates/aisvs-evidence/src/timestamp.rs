//! Timestamp and duration parsing for report fields: RFC 3339 (any offset, 0–9 fraction digits), epoch floats.

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// Parses an RFC 3339 string, or a number of seconds since the epoch (AWS CLI v1).
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    if let Ok(t) = OffsetDateTime::parse(trimmed, &Rfc3339) {
        return Some(t);
    }
    // Some tools write a space instead of `T`, or a lower-case `z`.
    let normalised = trimmed.replacen(' ', "T", 1).replace('z', "Z");
    if let Ok(t) = OffsetDateTime::parse(&normalised, &Rfc3339) {
        return Some(t);
    }
    // A bare date means midnight UTC (offboarding lists are often day-granular).
    if let Ok(date) = time::Date::parse(
        trimmed,
        &time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        return Some(date.midnight().assume_utc());
    }
    trimmed.parse::<f64>().ok().and_then(epoch_seconds)
}

/// Converts a JSON value (string or number) into a time.
pub fn time_from_json(value: &serde_json::Value) -> Option<OffsetDateTime> {
    match value {
        serde_json::Value::String(s) => parse_time(s),
        serde_json::Value::Number(n) => n.as_f64().and_then(epoch_seconds),
        _ => None,
    }
}

/// Converts epoch seconds (with fraction) into a time, rejecting absurd values.
fn epoch_seconds(seconds: f64) -> Option<OffsetDateTime> {
    if !seconds.is_finite() || !(0.0..=253_402_300_799.0).contains(&seconds) {
        return None;
    }
    let whole = seconds.trunc() as i64;
    let nanos = ((seconds - seconds.trunc()) * 1e9) as i64;
    OffsetDateTime::from_unix_timestamp(whole)
        .ok()
        .map(|t| t + Duration::nanoseconds(nanos))
}

/// Formats a time as RFC 3339 in UTC (for messages and JSON).
pub fn format_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.unix_timestamp().to_string())
}

/// Human duration such as `3d 4h` or `26h` used in messages.
pub fn format_age(d: Duration) -> String {
    let hours = d.whole_hours();
    if hours >= 72 {
        format!("{}d {}h", hours / 24, hours % 24)
    } else if hours >= 1 {
        format!("{hours}h")
    } else {
        format!("{}m", d.whole_minutes())
    }
}

/// Parses a duration like `48h`, `30d`, `90m`, `2w`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok()?;
    if n > 100_000 {
        return None;
    }
    match unit {
        "s" => Some(Duration::seconds(n)),
        "m" => Some(Duration::minutes(n)),
        "h" => Some(Duration::hours(n)),
        "d" => Some(Duration::days(n)),
        "w" => Some(Duration::weeks(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_report_formats() {
        let trivy = parse_time("2021-08-25T12:20:30.000000005Z").map(|t| t.unix_timestamp());
        assert_eq!(trivy, Some(1_629_894_030));
        let grype = parse_time("2023-09-01T08:13:42.20194-04:00").map(|t| t.unix_timestamp());
        assert_eq!(grype, Some(1_693_570_422));
        let aws_v1 = parse_time("1523477145.729").map(|t| t.unix_timestamp());
        assert_eq!(aws_v1, Some(1_523_477_145));
        assert!(parse_time("").is_none());
        assert!(parse_time("yesterday").is_none());
        assert!(parse_time("1e300").is_none());
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("48h"), Some(Duration::hours(48)));
        assert_eq!(parse_duration("30d"), Some(Duration::days(30)));
        assert_eq!(parse_duration("3x"), None);
        assert_eq!(parse_duration("h"), None);
    }
}
