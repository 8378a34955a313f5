//! Maps tool-specific probe and plugin names onto the gate's attack categories.
//!
//! Only names whose meaning is clear are mapped; anything else keeps its tool name under a
//! `<tool>:` prefix, so it is still compared between baseline and candidate of the same tool,
//! just not merged with another tool's category.

/// The attack categories the gate knows by name (documented in docs/gate.md).
pub const KNOWN_CATEGORIES: &[&str] = &[
    "jailbreak",
    "prompt-injection",
    "system-prompt-leak",
    "data-leak",
    "harmful-content",
    "malware-generation",
    "hallucination",
    "insecure-output",
    "excessive-agency",
];

/// garak probe modules (the part of `dan.Dan_11_0` before the dot) → category.
const GARAK_MODULES: &[(&str, &str)] = &[
    ("dan", "jailbreak"),
    ("tap", "jailbreak"),
    ("suffix", "jailbreak"),
    ("grandma", "jailbreak"),
    ("goodside", "jailbreak"),
    ("visual_jailbreak", "jailbreak"),
    ("fitd", "jailbreak"),
    ("promptinject", "prompt-injection"),
    ("latentinjection", "prompt-injection"),
    ("encoding", "prompt-injection"),
    ("smuggling", "prompt-injection"),
    ("sysprompt_extraction", "system-prompt-leak"),
    ("leakreplay", "data-leak"),
    ("divergence", "data-leak"),
    ("lmrc", "harmful-content"),
    ("realtoxicityprompts", "harmful-content"),
    ("continuation", "harmful-content"),
    ("atkgen", "harmful-content"),
    ("donotanswer", "harmful-content"),
    ("malwaregen", "malware-generation"),
    ("av_spam_scanning", "malware-generation"),
    ("packagehallucination", "hallucination"),
    ("snowball", "hallucination"),
    ("misleading", "hallucination"),
    ("xss", "insecure-output"),
    ("web_injection", "insecure-output"),
    ("ansiescape", "insecure-output"),
    ("exploitation", "insecure-output"),
];

/// promptfoo red-team plugin ids (exact, or a `prefix:` family) → category.
const PROMPTFOO_PLUGINS: &[(&str, &str)] = &[
    ("indirect-prompt-injection", "prompt-injection"),
    ("ascii-smuggling", "prompt-injection"),
    ("prompt-extraction", "system-prompt-leak"),
    ("pii", "data-leak"),
    ("pii:", "data-leak"),
    ("cross-session-leak", "data-leak"),
    ("harmful:privacy", "data-leak"),
    ("harmful:cybercrime:malicious-code", "malware-generation"),
    ("harmful:", "harmful-content"),
    ("hallucination", "hallucination"),
    ("excessive-agency", "excessive-agency"),
];

/// The category of a garak probe such as `dan.Dan_11_0` (older reports prefix `probes.`).
pub fn garak_category(probe: &str) -> String {
    let probe = probe.strip_prefix("probes.").unwrap_or(probe);
    let module = probe.split('.').next().unwrap_or(probe);
    GARAK_MODULES
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, category)| category.to_string())
        .unwrap_or_else(|| format!("garak:{module}"))
}

/// The category of a promptfoo red-team plugin id such as `harmful:hate` or `pii:direct`.
pub fn promptfoo_category(plugin_id: &str) -> String {
    // The first matching row wins, so specific ids sit above their family prefix.
    PROMPTFOO_PLUGINS
        .iter()
        .find(|(pattern, _)| {
            if pattern.ends_with(':') {
                plugin_id.starts_with(pattern)
            } else {
                plugin_id == *pattern
            }
        })
        .map(|(_, category)| category.to_string())
        .unwrap_or_else(|| format!("promptfoo:{plugin_id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garak_probes_map_by_module() {
        assert_eq!(garak_category("dan.Dan_11_0"), "jailbreak");
        assert_eq!(
            garak_category("probes.encoding.InjectBase64"),
            "prompt-injection"
        );
        assert_eq!(garak_category("leakreplay.LiteratureCloze"), "data-leak");
        assert_eq!(garak_category("newmodule.Thing"), "garak:newmodule");
    }

    #[test]
    fn promptfoo_specific_ids_win_over_families() {
        assert_eq!(promptfoo_category("harmful:privacy"), "data-leak");
        assert_eq!(promptfoo_category("harmful:hate"), "harmful-content");
        assert_eq!(
            promptfoo_category("harmful:cybercrime:malicious-code"),
            "malware-generation"
        );
        assert_eq!(promptfoo_category("pii:direct"), "data-leak");
        assert_eq!(promptfoo_category("hijacking"), "promptfoo:hijacking");
    }

    #[test]
    fn every_mapped_category_is_a_known_one() {
        let targets = GARAK_MODULES
            .iter()
            .chain(PROMPTFOO_PLUGINS)
            .map(|(_, c)| c);
        for category in targets {
            assert!(
                KNOWN_CATEGORIES.contains(category),
                "{category} is not listed"
            );
        }
    }
}
