//! script-env-leak (4.4.3): start-up scripts and Dockerfile RUN steps do not print the environment or secrets to
//! logs (`set -x` with secrets around, `env`/`printenv` dumps, `echo $TOKEN`) and hold no literal secrets.

use crate::evidence::{Location, Severity, Subject};
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};
use crate::secrets::{find_in_text, secret_name_reason};

use super::super::ci::commands::commands;
use super::super::ci::text::variable_refs;

static META: RuleMeta = RuleMeta {
    id: "script-env-leak",
    title: "Start-up scripts do not leak the environment or secrets to logs",
    requirements: &["4.4.3"],
    inputs: "Shell scripts and entrypoints, Dockerfile RUN steps (heredocs included)",
    severity: Severity::Medium,
    what: "Fails a script that dumps the environment (`env`, `printenv` or `export -p` without arguments, `set` \
           alone), prints a secret-named variable (`echo $HF_TOKEN`, `printf … $API_KEY`), turns on `set -x` / \
           `bash -x` while referencing secret-named variables (xtrace prints them expanded), or contains a literal \
           secret from the shared catalog (redacted in the message).",
    why: "4.4.3: start-up scripts must be audited for sensitive environment data. Container logs are shipped to log \
          stores that many people can read; an env dump at start-up publishes every injected credential.",
    fail_example: "#!/bin/sh\nset -x\nhuggingface-cli login --token \"$HF_TOKEN\"\nprintenv",
    pass_example: "#!/bin/sh\nset -eu\nhuggingface-cli login --token \"$(cat /run/secrets/hf_token)\"",
    remediation: "Remove env dumps and echoes of secrets, keep xtrace off around credential handling (`set +x`), and \
                  read secrets from mounted files rather than the environment.",
    inconclusive: "—",
    options: &[],
};

/// The rule.
pub struct ScriptEnvLeak;

/// Problems in one script: (byte offset within the script, message, whether the message covers a secret value).
fn problems(script: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    let secret_vars: Vec<&str> = variable_refs(script)
        .into_iter()
        .filter(|v| secret_name_reason(v).is_some())
        .collect();
    let mut offset = 0;
    for line in script.split_inclusive('\n') {
        for cmd in commands(line) {
            let w: Vec<&str> = cmd.words.iter().map(String::as_str).collect();
            match w.as_slice() {
                ["env"] | ["printenv"] | ["export", "-p"] | ["set"] => {
                    out.push((
                        offset,
                        format!("`{}` dumps the whole environment to the log", w.join(" ")),
                        false,
                    ));
                }
                ["set", flag, ..] | ["bash" | "sh", flag, ..]
                    if flag.starts_with('-') && !flag.starts_with("--") && flag.contains('x') =>
                {
                    if let Some(v) = secret_vars.first() {
                        out.push((offset, format!("xtrace (`{}`) is on in a script that uses ${v}: it is printed expanded", w[..2].join(" ")), false));
                    }
                }
                ["echo" | "printf", rest @ ..] => {
                    let shown: Option<&str> = rest
                        .iter()
                        .flat_map(|a| variable_refs(a))
                        .find(|v| secret_name_reason(v).is_some());
                    if let Some(v) = shown {
                        out.push((
                            offset,
                            format!("`{}` prints secret variable ${v}", w[0]),
                            false,
                        ));
                    }
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    for h in find_in_text(script) {
        out.push((
            h.start,
            format!("literal {} in the script ({})", h.hit.kind, h.hit.redacted),
            true,
        ));
    }
    out
}

impl Rule for ScriptEnvLeak {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for id in &model.iac.scripts {
            let src = model.file(*id);
            let subject = Subject {
                kind: "script".into(),
                namespace: None,
                name: src.path.clone(),
                container: None,
                display: format!("script:{}", src.path),
            };
            let found = problems(&src.text);
            if found.is_empty() {
                out.pass(
                    subject.clone(),
                    Some(Location::bytes(src.id, 0, 0, "")),
                    "no environment dump, secret echo or literal secret",
                );
            }
            for (at, msg, sensitive) in found {
                let line_end = src.text[at..].find('\n').map_or(src.text.len(), |e| at + e);
                out.fail(
                    subject.clone(),
                    Some(Location::bytes(src.id, at, line_end, "")),
                    msg,
                )
                .sensitive = sensitive;
            }
        }
        for d in &model.iac.dockerfiles {
            let mut found = Vec::new();
            for (idx, ins) in d
                .instructions
                .iter()
                .enumerate()
                .filter(|(_, i)| i.keyword == "RUN")
            {
                let mut text = ins.args.clone();
                for h in &ins.heredocs {
                    text.push('\n');
                    text.push_str(h);
                }
                for (_, msg, sensitive) in problems(&text) {
                    found.push((idx, msg, sensitive));
                }
            }
            if found.is_empty() {
                continue;
            }
            for (idx, msg, sensitive) in found {
                out.fail(d.subject(), d.location(idx), format!("RUN: {msg}"))
                    .sensitive = sensitive;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_dumps_echoes_and_xtrace() {
        let p = super::problems(
            "#!/bin/sh\nset -x\nlogin --token \"$HF_TOKEN\"\nprintenv\necho $API_KEY\necho hello\n",
        );
        let msgs: Vec<&str> = p.iter().map(|x| x.1.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("xtrace")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("`printenv` dumps")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("$API_KEY")), "{msgs:?}");
        assert_eq!(
            super::problems("#!/bin/sh\nset -eu\necho starting\nenv FOO=1 ./serve\n").len(),
            0
        );
    }
}
