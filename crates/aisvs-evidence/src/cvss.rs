//! CVSS score selection for one finding, in a fixed, documented order, with disagreement flags.
//!
//! Order: (1) NVD base score, CVSS v4.0 before v3.x; (2) the highest vendor v4/v3 score
//! (Red Hat, GHSA, distro…); (3) any v2 score, NVD first; (4) the severity label mapped to a
//! score (CRITICAL 9.0, HIGH 7.0, MEDIUM 4.0, LOW 0.1). A disagreement is flagged when the
//! chosen score and the label, or the chosen score and another source, sit on different sides
//! of the 7.0 threshold of requirement 4.6.3.

use serde::Serialize;

/// The 4.6.3 threshold.
pub const HIGH_THRESHOLD: f64 = 7.0;

/// One score found in a report.
#[derive(Debug, Clone, PartialEq)]
pub struct CvssEntry {
    /// Source name as written (`nvd`, `nvd@nist.gov`, `redhat`, `ghsa`…).
    pub source: String,
    /// Major CVSS version: 2, 3 or 4.
    pub major: u8,
    /// Base score.
    pub score: f64,
}

impl CvssEntry {
    fn is_nvd(&self) -> bool {
        self.source.to_ascii_lowercase().starts_with("nvd")
    }
}

/// The score retained for a finding and how it was chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreChoice {
    /// The chosen score; `None` when neither a score nor a known label exists.
    pub score: Option<f64>,
    /// Which rule fired, e.g. `nvd v3`, `redhat v3`, `label HIGH`.
    pub rule: String,
    /// Sources that disagree about the 7.0 threshold, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

impl ScoreChoice {
    /// Whether the finding is in scope for 4.6.3.
    pub fn is_high(&self) -> bool {
        self.score.is_some_and(|s| s >= HIGH_THRESHOLD)
    }
}

/// Maps a severity label to a representative score (lowest score of the CVSS v3 band,
/// except CRITICAL which starts at 9.0).
pub fn label_score(label: &str) -> Option<f64> {
    match label.to_ascii_uppercase().as_str() {
        "CRITICAL" => Some(9.0),
        "HIGH" => Some(7.0),
        "MEDIUM" | "MODERATE" => Some(4.0),
        "LOW" | "NEGLIGIBLE" => Some(0.1),
        _ => None,
    }
}

/// Applies the selection order to the scores and label of one finding.
pub fn choose(entries: &[CvssEntry], label: &str) -> ScoreChoice {
    let valid: Vec<&CvssEntry> = entries
        .iter()
        .filter(|e| e.score.is_finite() && (0.0..=10.0).contains(&e.score))
        .collect();
    let best = |pred: &dyn Fn(&CvssEntry) -> bool| -> Option<&CvssEntry> {
        valid
            .iter()
            .copied()
            .filter(|e| pred(e))
            .max_by(|a, b| a.score.total_cmp(&b.score))
    };
    let picked = best(&|e| e.is_nvd() && e.major == 4)
        .or_else(|| best(&|e| e.is_nvd() && e.major == 3))
        .or_else(|| best(&|e| e.major >= 3))
        .or_else(|| best(&|e| e.is_nvd() && e.major == 2))
        .or_else(|| best(&|e| e.major == 2));
    let (score, rule) = match picked {
        Some(e) => (Some(e.score), format!("{} v{}", e.source, e.major)),
        None => match label_score(label) {
            Some(s) => (Some(s), format!("label {}", label.to_ascii_uppercase())),
            None => (None, "no score".to_string()),
        },
    };
    let disagreement =
        score.and_then(|chosen| disagreement(chosen, &valid, label, picked.is_some()));
    ScoreChoice {
        score,
        rule,
        disagreement,
    }
}

/// Names the sources whose verdict about the threshold differs from the chosen score.
fn disagreement(
    chosen: f64,
    valid: &[&CvssEntry],
    label: &str,
    from_score: bool,
) -> Option<String> {
    let chosen_high = chosen >= HIGH_THRESHOLD;
    let mut notes = Vec::new();
    if from_score {
        if let Some(label_value) = label_score(label) {
            if (label_value >= HIGH_THRESHOLD) != chosen_high {
                notes.push(format!(
                    "label {} vs score {chosen:.1}",
                    label.to_ascii_uppercase()
                ));
            }
        }
    }
    for e in valid.iter().filter(|e| e.major >= 3) {
        if (e.score >= HIGH_THRESHOLD) != chosen_high {
            notes.push(format!("{} v{} {:.1}", e.source, e.major, e.score));
        }
    }
    (!notes.is_empty()).then(|| notes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(source: &str, major: u8, score: f64) -> CvssEntry {
        CvssEntry {
            source: source.into(),
            major,
            score,
        }
    }

    #[test]
    fn nvd_wins_over_vendor_and_disagreement_is_named() {
        let c = choose(&[e("redhat", 3, 5.6), e("nvd", 3, 9.8)], "CRITICAL");
        assert_eq!(c.score, Some(9.8));
        assert_eq!(c.rule, "nvd v3");
        assert_eq!(c.disagreement.as_deref(), Some("redhat v3 5.6"));
    }

    #[test]
    fn label_low_with_high_score_is_flagged() {
        let c = choose(&[e("nvd", 3, 7.8), e("nvd", 2, 7.2)], "LOW");
        assert!(c.is_high());
        assert_eq!(c.disagreement.as_deref(), Some("label LOW vs score 7.8"));
    }

    #[test]
    fn falls_back_to_v2_then_label() {
        assert_eq!(choose(&[e("nvd", 2, 5.0)], "HIGH").rule, "nvd v2");
        let label = choose(&[], "High");
        assert_eq!(
            (label.score, label.rule.as_str()),
            (Some(7.0), "label HIGH")
        );
        assert_eq!(choose(&[], "Unknown").score, None);
        assert_eq!(choose(&[e("x", 3, f64::NAN)], "").score, None);
    }
}
