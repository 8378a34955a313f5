//! Chat-template (Jinja) checks: templates that reach Python internals through dunder attributes,
//! escape-encoded names, the `attr` filter or Jinja's global helper objects (the SSTI gadgets).

/// Markers of a template reaching outside the sandbox a renderer is supposed to apply.
const GADGETS: &[(&str, &str)] = &[
    (
        "|attr",
        "the attr filter looks up attributes by computed name",
    ),
    ("\\x5f", "escape-encoded underscore hides a dunder name"),
    ("\\u005f", "escape-encoded underscore hides a dunder name"),
    ("cycler.", "cycler global exposes Python objects"),
    ("joiner.", "joiner global exposes Python objects"),
    ("lipsum.", "lipsum global exposes its function globals"),
    (
        "self._",
        "self._TemplateReference__context reaches the render context",
    ),
    ("request.", "request object access"),
    ("config.", "config object access"),
];

/// Returns one reason per suspicious construct found in a template (empty when clean).
pub fn template_issues(template: &str) -> Vec<String> {
    let mut issues = Vec::new();
    let compact: String = template.chars().filter(|c| !c.is_whitespace()).collect();
    for dunder in dunder_names(template) {
        issues.push(format!(
            "dunder attribute `{dunder}` reaches Python internals"
        ));
    }
    for (needle, why) in GADGETS {
        if compact.contains(needle) {
            issues.push(format!("`{needle}`: {why}"));
        }
    }
    issues.sort();
    issues.dedup();
    issues
}

/// `__name__`-shaped identifiers in the text.
fn dunder_names(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = text.get(i..).and_then(|t| t.find("__")) {
        let start = i + rel;
        let mut end = start + 2;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        let word = &text[start..end];
        if word.len() > 4
            && word.ends_with("__")
            && word[2..word.len() - 2].bytes().any(|b| b != b'_')
        {
            out.push(word.to_string());
        }
        i = end.max(start + 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssti_payloads_are_flagged_and_chat_templates_are_not() {
        let evil = "{{ ''.__class__.__mro__[1].__subclasses__() }}";
        let issues = template_issues(evil);
        assert!(issues.iter().any(|i| i.contains("__class__")));
        assert!(issues.iter().any(|i| i.contains("__subclasses__")));
        assert!(!template_issues("{{ cycler.__init__.__globals__.os }}").is_empty());
        assert!(!template_issues("{{ x|attr('\\x5f\\x5fclass\\x5f\\x5f') }}").is_empty());
        let chatml = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% set ns = namespace(x=1) %}";
        assert!(
            template_issues(chatml).is_empty(),
            "{:?}",
            template_issues(chatml)
        );
    }
}
