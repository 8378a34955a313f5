//! 4.4.1 evaluation: the current value of every inventoried secret or key is at most 90 days
//! old (or its configured automatic rotation period is ≤ 90 days when only configuration is
//! visible), and was rotated after every listed departure of someone who could read it.

use super::dumps::SecretRecord;
use super::offboarding::Departure;
use crate::assessment::{Assessment, Outcome};
use crate::timestamp::{format_age, format_time};
use time::{Duration, OffsetDateTime};

/// Check id.
pub const CHECK: &str = "report-secret-rotation-age";

/// The 90-day limit.
pub const MAX_AGE: Duration = Duration::days(90);

/// Evaluates each record at `at`.
pub fn evaluate_secret_rotation(
    records: &[SecretRecord],
    departures: &[Departure],
    at: OffsetDateTime,
    max_age: Duration,
) -> Vec<Assessment> {
    records
        .iter()
        .map(|r| assess(r, departures, at, max_age))
        .collect()
}

/// One secret.
fn assess(
    r: &SecretRecord,
    departures: &[Departure],
    at: OffsetDateTime,
    max_age: Duration,
) -> Assessment {
    let subject = format!("{} {}", r.source, r.id);
    let make = |outcome, message: String| {
        Assessment::new("4.4.1", CHECK, subject.clone(), outcome, message).at(&r.path, None)
    };
    let limit_days = max_age.whole_days();
    let Some(since) = r.current_since else {
        return match (r.rotation_enabled, r.rotation_period_days) {
            (Some(true), Some(days)) if days <= limit_days as f64 => make(Outcome::Pass, format!("automatic rotation every {days:.0} days is configured (age of the current version not in this dump)")),
            (Some(true), Some(days)) => make(Outcome::Fail, format!("automatic rotation every {days:.0} days exceeds {limit_days} days")),
            (Some(false), _) => make(Outcome::Fail, "automatic rotation is disabled and the dump shows no rotation date".into()),
            _ => make(Outcome::Inconclusive, format!("no {} in the dump: the age of the current value cannot be established", r.field)),
        };
    };
    if since > at {
        return make(
            Outcome::Inconclusive,
            format!(
                "{} {} is after the evaluation time {} (clock skew or wrong --at)",
                r.field,
                format_time(since),
                format_time(at)
            ),
        );
    }
    let stale_after: Vec<String> = departures
        .iter()
        .filter(|d| d.left_at <= at && d.could_read(&r.id) && since < d.left_at)
        .map(|d| format!("{} left {}", d.person, format_time(d.left_at)))
        .collect();
    if !stale_after.is_empty() {
        return make(
            Outcome::Fail,
            format!(
                "not rotated since {} although {}",
                format_time(since),
                stale_after.join(", ")
            ),
        );
    }
    let age = at - since;
    if age > max_age {
        return make(
            Outcome::Fail,
            format!(
                "current value is {} old ({} {}), over {limit_days} days",
                format_age(age),
                r.field,
                format_time(since)
            ),
        );
    }
    let remaining = max_age - age;
    make(
        Outcome::Pass,
        format!(
            "current value is {} old ({} {}); due within {}",
            format_age(age),
            r.field,
            format_time(since),
            format_age(remaining)
        ),
    )
}
