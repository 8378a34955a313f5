//! 4.6.1 from history: every artifact in scope has a scan no older than 24 h at the
//! evaluation time, and no gap longer than 24 h between scans over the window.

use crate::assessment::{Assessment, Outcome};
use crate::history::ScanRecord;
use crate::report::{normalise_reference, reference_digest};
use crate::timestamp::{format_age, format_time};
use time::{Duration, OffsetDateTime};

/// Check id.
pub const CHECK: &str = "report-scan-cadence";

/// Thresholds of the cadence check.
#[derive(Debug, Clone, Copy)]
pub struct CadencePolicy {
    /// Largest age of the newest scan (24 h).
    pub max_age: Duration,
    /// Largest gap between consecutive scans (24 h).
    pub max_gap: Duration,
    /// How far back gaps are examined (30 days); it starts at the first scan if later.
    pub window: Duration,
    /// Slack added to both limits for scheduler jitter (0 by default).
    pub grace: Duration,
}

impl Default for CadencePolicy {
    fn default() -> Self {
        CadencePolicy {
            max_age: Duration::hours(24),
            max_gap: Duration::hours(24),
            window: Duration::days(30),
            grace: Duration::ZERO,
        }
    }
}

/// Adds the implicit `:latest` tag so `nginx` and `nginx:latest` compare equal.
fn with_default_tag(reference: &str) -> String {
    let r = normalise_reference(reference);
    let last = r.rsplit('/').next().unwrap_or(&r);
    if r.contains('@') || last.contains(':') || r.starts_with("sha256:") {
        r
    } else {
        format!("{r}:latest")
    }
}

/// Whether a scan covers the artifact named by `reference` (image ref or host name).
pub fn scan_matches(scan: &ScanRecord, reference: &str) -> bool {
    if scan.artifact == reference {
        return true;
    }
    let wanted = with_default_tag(reference);
    let digest = reference_digest(reference);
    scan.aliases.iter().any(|alias| {
        with_default_tag(alias) == wanted
            || digest.is_some_and(|d| reference_digest(alias) == Some(d) || alias == d)
    })
}

/// Evaluates every artifact named in `inventory` (images referenced by workloads, then hosts)
/// against the scans in the history. Scans dated after `at` are ignored.
pub fn evaluate_scan_cadence(
    scans: &[ScanRecord],
    inventory: &[String],
    at: OffsetDateTime,
    policy: &CadencePolicy,
) -> Vec<Assessment> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for reference in inventory {
        if !seen.insert(reference.as_str()) {
            continue;
        }
        let matched: Vec<&ScanRecord> = scans
            .iter()
            .filter(|s| s.scanned_at <= at && scan_matches(s, reference))
            .collect();
        let mut times: Vec<OffsetDateTime> = matched.iter().map(|s| s.scanned_at).collect();
        times.sort();
        times.dedup();
        let in_window = |s: &&&ScanRecord| s.scanned_at >= at - policy.window;
        let coverage = (
            matched
                .iter()
                .filter(in_window)
                .any(|s| s.covers_vulnerabilities),
            matched
                .iter()
                .filter(in_window)
                .any(|s| s.covers_misconfigurations),
        );
        out.push(assess_artifact(reference, &times, coverage, at, policy));
    }
    out
}

/// One artifact's verdict from its sorted scan times and (vulnerability, misconfiguration)
/// coverage within the window: the requirement asks for both kinds of scan.
fn assess_artifact(
    reference: &str,
    times: &[OffsetDateTime],
    coverage: (bool, bool),
    at: OffsetDateTime,
    policy: &CadencePolicy,
) -> Assessment {
    let make =
        |outcome, message: String| Assessment::new("4.6.1", CHECK, reference, outcome, message);
    let Some(&last) = times.last() else {
        return make(Outcome::Fail, format!("never scanned: no report in the history names {reference} (by tag, digest or host name)"));
    };
    let age = at - last;
    if age > policy.max_age + policy.grace {
        return make(
            Outcome::Fail,
            format!(
                "stale: last scan {} ({} before {})",
                format_time(last),
                format_age(age),
                format_time(at)
            ),
        );
    }
    let window_start = at - policy.window;
    let relevant: Vec<OffsetDateTime> = times
        .iter()
        .copied()
        .filter(|t| *t >= window_start)
        .collect();
    // The window starts at the first scan when the artifact is newer than the window.
    let mut gaps: Vec<(OffsetDateTime, OffsetDateTime)> = relevant
        .windows(2)
        .filter(|pair| pair[1] - pair[0] > policy.max_gap + policy.grace)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    if let (Some(&first_in_window), true) = (
        relevant.first(),
        times.first().is_some_and(|t| *t < window_start),
    ) {
        if first_in_window - window_start > policy.max_gap + policy.grace {
            gaps.insert(0, (window_start, first_in_window));
        }
    }
    if let Some(&(from, to)) = gaps.iter().max_by_key(|(a, b)| *b - *a) {
        return make(
            Outcome::Fail,
            format!(
                "{} gap(s) over {}h in the last {} days; longest {} between {} and {}",
                gaps.len(),
                policy.max_gap.whole_hours(),
                policy.window.whole_days(),
                format_age(to - from),
                format_time(from),
                format_time(to)
            ),
        );
    }
    let cadence = format!(
        "{} scan(s) since {}, last {} ago, no gap over {}h",
        relevant.len(),
        relevant
            .first()
            .map_or_else(String::new, |t| format_time(*t)),
        format_age(age),
        policy.max_gap.whole_hours()
    );
    match coverage {
        (true, true) => make(Outcome::Pass, format!("{cadence}; CVE and misconfiguration scans")),
        (true, false) => make(Outcome::Partial, format!("{cadence}; but CVE scans only: no misconfiguration scan (Trivy misconfig/config, kube-bench) in the window")),
        (false, true) => make(Outcome::Partial, format!("{cadence}; but misconfiguration scans only: no CVE scan (Trivy/Grype) in the window")),
        (false, false) => make(Outcome::Inconclusive, format!("{cadence}; but the scans cover neither CVEs nor misconfigurations")),
    }
}
