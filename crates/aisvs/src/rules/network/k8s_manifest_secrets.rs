//! k8s-manifest-secrets (4.4.3): no literal secrets in env values, command/args, ConfigMaps or annotations.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::parse::Node;
use crate::secrets::{
    find_in_args, find_in_text, find_secret, with_article, Confidence, SecretHit,
};

use crate::rules::sink::{container_location, container_subject, object_subject};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-manifest-secrets",
    title: "No literal secrets in env values, command lines, ConfigMaps or annotations",
    requirements: &["4.4.3"],
    inputs: "Kubernetes workloads, ConfigMaps, object annotations",
    severity: Severity::High,
    what: "Checks every container's `env[].value`, `command` and `args`, every ConfigMap `data` value and every \
           annotation against the shared secret catalog: known key formats (AWS, GCP, Azure, GitHub, GitLab, \
           Slack, OpenAI, Anthropic, Hugging Face, Replicate, NGC, PEM private keys, passwords in URLs), \
           literal values under secret-looking names (`*_API_KEY`, `*TOKEN*`, `PASSWORD`, `--api-key X`), \
           and high-entropy strings (reported as inconclusive). `valueFrom.secretKeyRef`, `$(VAR)` and \
           template references are fine. Findings show only a redacted prefix.",
    why: "4.4.3: secrets in manifests end up in Git, `kubectl describe`, /proc/*/cmdline and logs.",
    fail_example: "env:\n- name: HF_TOKEN\n  value: hf_…   # literal token",
    pass_example: "env:\n- name: HF_TOKEN\n  valueFrom: {secretKeyRef: {name: hf, key: token}}",
    remediation: "Move the value into a Secret (ideally synced from a secrets manager by External Secrets or the \
                  CSI driver), reference it with valueFrom.secretKeyRef or a mounted file, rotate the exposed \
                  credential, and pass `$(VAR)` on the command line instead of the literal.",
    inconclusive: "A random-looking literal with no secret-looking name: it may be an id or a checksum.",
    options: &[],
};

/// The rule.
pub struct ManifestSecrets;

/// One hit with where it was found.
struct Found {
    what: String,
    hit: SecretHit,
    loc: Location,
}

fn report(
    out: &mut EvidenceSink,
    subject: crate::evidence::Subject,
    fallback: Location,
    clean_note: &str,
    found: Vec<Found>,
) {
    let (sure, unsure): (Vec<&Found>, Vec<&Found>) = found
        .iter()
        .partition(|f| f.hit.confidence >= Confidence::Medium);
    let describe = |f: &&Found| {
        format!(
            "{} holds {} ({})",
            f.what,
            with_article(f.hit.kind),
            f.hit.redacted
        )
    };
    if let Some(first) = sure.first() {
        let msg = sure.iter().map(describe).collect::<Vec<_>>().join("; ");
        let e = out.fail(subject, Some(first.loc.clone()), msg);
        e.sensitive = true;
        for f in sure.iter().skip(1) {
            e.related.push((f.loc.clone(), describe(f)));
        }
    } else if let Some(first) = unsure.first() {
        let msg = unsure.iter().map(|f| {
            format!(
                "{} holds a random-looking literal ({}), possibly a secret",
                f.what, f.hit.redacted
            )
        });
        let e = out.inconclusive(
            subject,
            Some(first.loc.clone()),
            msg.collect::<Vec<_>>().join("; "),
        );
        e.sensitive = true;
    } else {
        out.pass(subject, Some(fallback), clean_note.to_string());
    }
}

fn annotation_hits(root: &Node, base: &crate::parse::Route, found: &mut Vec<Found>) {
    let Some(ann) = root.at("metadata.annotations") else {
        return;
    };
    for e in ann.entries() {
        let Some(v) = e.value.as_str() else { continue };
        let loc = Location::node(&e.value, &base.keys("metadata.annotations").key(&e.key));
        // Annotation keys name what the annotation is for (`…/inject-ca-from-secret`), not a secret
        // value: only key formats and `NAME=value` inside the text count.
        let hit = find_in_text(v).into_iter().next().map(|t| t.hit);
        if let Some(hit) = hit {
            found.push(Found {
                what: format!("annotation `{}`", e.key),
                hit,
                loc,
            });
        }
    }
}

impl Rule for ManifestSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            for c in &w.containers {
                let mut found = Vec::new();
                for (i, env) in c
                    .node
                    .get("env")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    let name = env
                        .get("name")
                        .and_then(Node::scalar_text)
                        .unwrap_or_default();
                    let Some(value) = env.get("value") else {
                        continue;
                    };
                    let Some(text) = value.scalar_text() else {
                        continue;
                    };
                    if let Some(hit) = find_secret(Some(&name), &text) {
                        let loc = Location::node(value, &c.route.key("env").index(i).key("value"));
                        found.push(Found {
                            what: format!("env `{name}`"),
                            hit,
                            loc,
                        });
                    }
                }
                for key in ["command", "args"] {
                    let Some(list) = c.node.get(key) else {
                        continue;
                    };
                    let items: Vec<String> = match list.as_str() {
                        Some(s) => vec![s.to_string()],
                        None => list.items().iter().filter_map(Node::scalar_text).collect(),
                    };
                    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
                    for (i, hit) in find_in_args(&refs) {
                        let node = list.items().get(i).unwrap_or(list);
                        let route = if list.as_str().is_some() {
                            c.route.key(key)
                        } else {
                            c.route.key(key).index(i)
                        };
                        found.push(Found {
                            what: format!("{key}[{i}]"),
                            hit,
                            loc: Location::node(node, &route),
                        });
                    }
                }
                report(
                    out,
                    container_subject(w, c),
                    container_location(c),
                    "no literal secrets in env values, command or args",
                    found,
                );
            }
        }
        for o in &model.objects {
            let mut found = Vec::new();
            if o.kind == "ConfigMap" && o.group.is_empty() {
                for e in o.root.get("data").map(Node::entries).unwrap_or(&[]) {
                    let Some(v) = e.value.scalar_text() else {
                        continue;
                    };
                    let hit = if v.contains('\n') {
                        find_in_text(&v).into_iter().next().map(|t| t.hit)
                    } else {
                        find_secret(Some(&e.key), &v)
                    };
                    if let Some(hit) = hit {
                        let loc = Location::node(&e.value, &o.base.key("data").key(&e.key));
                        found.push(Found {
                            what: format!("data `{}`", e.key),
                            hit,
                            loc,
                        });
                    }
                }
            }
            annotation_hits(o.root, &o.base, &mut found);
            // Objects other than ConfigMaps are only reported when an annotation holds something.
            if o.kind == "ConfigMap" || !found.is_empty() {
                let loc = Location::node(o.root, &o.base);
                report(
                    out,
                    object_subject(o),
                    loc,
                    "no literal secrets in data or annotations",
                    found,
                );
            }
        }
    }
}
