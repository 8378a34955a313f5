//! 4.6.3 from history: every finding with CVSS ≥ 7.0 is fixed (gone from a later scan of the
//! same artifact, or its fixed version installed) within 48 h of first being seen, or carries a
//! valid mitigation (reason + unexpired expiry). Open findings older than 48 h fail with their age.

use crate::assessment::{Assessment, Outcome};
use crate::history::{ScanRecord, StoredFinding};
use crate::mitigation::Mitigation;
use crate::timestamp::{format_age, format_time};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

/// Check id.
pub const CHECK: &str = "report-patch-sla";

/// The patch window (48 h).
pub const DEFAULT_SLA: Duration = Duration::hours(48);

/// Identity of a finding within one artifact.
type FindingKey = (String, String, String);

/// One uninterrupted run of scans containing the finding.
struct Episode {
    first_seen: OffsetDateTime,
    last_seen: OffsetDateTime,
    resolved_at: Option<OffsetDateTime>,
    sample: StoredFinding,
}

/// Evaluates every high finding of every artifact. `series` is the history's scans (any
/// order) each with its findings; scans after `at` and scans without a vulnerability scan
/// are ignored.
pub fn evaluate_patch_sla(
    series: &[(ScanRecord, Vec<StoredFinding>)],
    mitigations: &[Mitigation],
    at: OffsetDateTime,
    sla: Duration,
) -> Vec<Assessment> {
    let mut by_artifact: BTreeMap<&str, Vec<&(ScanRecord, Vec<StoredFinding>)>> = BTreeMap::new();
    for entry in series
        .iter()
        .filter(|(s, _)| s.scanned_at <= at && s.covers_vulnerabilities)
    {
        by_artifact
            .entry(entry.0.artifact.as_str())
            .or_default()
            .push(entry);
    }
    let mut out = Vec::new();
    for (artifact, mut scans) in by_artifact {
        scans.sort_by_key(|(s, _)| (s.scanned_at, s.id));
        let last_scan = scans.last().map(|(s, _)| s.scanned_at);
        for (key, episodes) in episodes_of(&scans) {
            for episode in episodes {
                out.push(assess(
                    artifact,
                    &key,
                    &episode,
                    last_scan,
                    mitigations,
                    at,
                    sla,
                ));
            }
        }
    }
    out
}

/// Splits each finding's presence across the sorted scans into episodes.
fn episodes_of(scans: &[&(ScanRecord, Vec<StoredFinding>)]) -> BTreeMap<FindingKey, Vec<Episode>> {
    let mut open: BTreeMap<FindingKey, Episode> = BTreeMap::new();
    let mut done: BTreeMap<FindingKey, Vec<Episode>> = BTreeMap::new();
    for (scan, findings) in scans {
        let mut present = std::collections::BTreeSet::new();
        for f in findings {
            // A finding whose installed version equals its fixed version is already patched.
            if f.fixed.as_deref() == Some(f.installed.as_str()) {
                continue;
            }
            let key = (f.vuln_id.clone(), f.package.clone(), f.package_path.clone());
            present.insert(key.clone());
            open.entry(key)
                .and_modify(|e| {
                    e.last_seen = scan.scanned_at;
                    if f.score > e.sample.score {
                        e.sample = f.clone();
                    }
                })
                .or_insert_with(|| Episode {
                    first_seen: scan.scanned_at,
                    last_seen: scan.scanned_at,
                    resolved_at: None,
                    sample: f.clone(),
                });
        }
        let gone: Vec<FindingKey> = open
            .keys()
            .filter(|k| !present.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            if let Some(mut episode) = open.remove(&key) {
                episode.resolved_at = Some(scan.scanned_at);
                done.entry(key).or_default().push(episode);
            }
        }
    }
    for (key, episode) in open {
        done.entry(key).or_default().push(episode);
    }
    done
}

/// Verdict for one episode of one finding.
fn assess(
    artifact: &str,
    key: &FindingKey,
    episode: &Episode,
    last_scan: Option<OffsetDateTime>,
    mitigations: &[Mitigation],
    at: OffsetDateTime,
    sla: Duration,
) -> Assessment {
    let (vuln, package, _) = key;
    let subject = format!("{artifact} {vuln} ({package})");
    let f = &episode.sample;
    let make = |outcome, message: String| {
        Assessment::new("4.6.3", CHECK, subject.clone(), outcome, message)
    };
    let score_note = match (&f.score, &f.disagreement) {
        (Some(s), Some(d)) => format!("CVSS {s:.1} by {}; sources disagree: {d}", f.score_rule),
        (Some(s), None) => format!("CVSS {s:.1} by {}", f.score_rule),
        (None, _) => String::new(),
    };
    match f.score {
        None => {
            return make(
                Outcome::Inconclusive,
                format!("no CVSS score and no known severity label ({})", f.severity),
            )
        }
        Some(s) if s < crate::cvss::HIGH_THRESHOLD => {
            return make(Outcome::Pass, format!("below 7.0: {score_note}"))
        }
        Some(_) => {}
    }
    let first = format_time(episode.first_seen);
    if let Some(resolved) = episode.resolved_at {
        let took = resolved - episode.first_seen;
        let outcome = if took <= sla {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        return make(
            outcome,
            format!(
                "first seen {first}, gone by the scan of {} ({} at most; {score_note})",
                format_time(resolved),
                format_age(took)
            ),
        );
    }
    let mut notes = Vec::new();
    for m in mitigations.iter().filter(|m| m.vuln_id == *vuln) {
        match m.validity(at) {
            Ok(()) => {
                return make(
                    Outcome::Pass,
                    format!(
                        "open since {first} but mitigated: {} (expires {}, {})",
                        m.reason.as_deref().unwrap_or(""),
                        m.expires.map(format_time).unwrap_or_default(),
                        m.path.display()
                    ),
                )
            }
            Err(why) => notes.push(format!("mitigation in {} {why}", m.path.display())),
        }
    }
    let age = at - episode.first_seen;
    let fix = match &f.fixed {
        Some(v) => format!("fixed in {v}"),
        None => "no fixed version yet".to_string(),
    };
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    };
    if age <= sla {
        return make(
            Outcome::Pass,
            format!(
                "open for {} since {first}, still within {}h; {fix}; {score_note}{notes}",
                format_age(age),
                sla.whole_hours()
            ),
        );
    }
    let observed = episode.last_seen - episode.first_seen;
    let rescanned = last_scan.is_some_and(|t| at - t <= sla);
    if observed <= sla && !rescanned {
        return make(
            Outcome::Inconclusive,
            format!("seen since {first}, artifact not rescanned since {} (retired or unscanned, see 4.6.1); {score_note}", format_time(episode.last_seen)),
        );
    }
    make(
        Outcome::Fail,
        format!(
            "open for {} since {first} (SLA {}h); {fix}; {score_note}{notes}",
            format_age(age),
            sla.whole_hours()
        ),
    )
}
