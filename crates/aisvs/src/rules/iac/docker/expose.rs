//! docker-expose-debug-ports (4.3.2): the shipped image does not EXPOSE SSH, debugger or admin-UI ports.

use crate::evidence::Severity;
use crate::model::Model;
use crate::parse::dockerfile::split_words;
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "docker-expose-debug-ports",
    title: "Images do not expose SSH, debugger or admin-UI ports",
    requirements: &["4.3.2"],
    inputs: "Dockerfiles",
    severity: Severity::Medium,
    what: "EXPOSE instructions of the final stage must not list a debug or admin port (default: 22 SSH, 5678 \
           debugpy, 9229 Node inspector, 5005 JDWP, 2375/2376 Docker, 8888 Jupyter, 6006 TensorBoard, 8265 Ray \
           dashboard). Ranges count when they include one.",
    why: "4.3.2: non-essential ports and debug endpoints must be disabled. A debugger port is remote code execution; \
          an exposed port documents intent and is published by `docker run -P` and many compose setups.",
    fail_example: "EXPOSE 8000 5678",
    pass_example: "EXPOSE 8000",
    remediation: "Remove the debug port from EXPOSE in the production stage; keep debug tooling in a separate \
                  development stage or image.",
    inconclusive: "Ports given by build arguments without a default.",
    options: &[RuleOption {
        name: "ports",
        default: "[22, 5678, 9229, 5005, 2375, 2376, 8888, 6006, 8265]",
        doc: "Ports an image must not expose.",
    }],
};

/// The rule.
pub struct ExposeDebugPorts {
    ports: Vec<i64>,
}

impl Default for ExposeDebugPorts {
    fn default() -> Self {
        ExposeDebugPorts {
            ports: vec![22, 5678, 9229, 5005, 2375, 2376, 8888, 6006, 8265],
        }
    }
}

impl Rule for ExposeDebugPorts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["ports"])?;
        if let Some(p) = option::<Vec<i64>>(options, "ports")? {
            self.ports = p;
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for d in &model.iac.dockerfiles {
            let Some(last) = d.final_stage() else {
                continue;
            };
            let subject = d.stage_subject(last);
            let mut bad = None;
            let mut unknown = None;
            for (idx, ins) in d
                .stage_instructions(last)
                .filter(|(_, i)| i.keyword == "EXPOSE")
            {
                for word in split_words(&ins.args) {
                    let port = word.split('/').next().unwrap_or("");
                    if port.contains('$') {
                        unknown.get_or_insert((idx, word.clone()));
                        continue;
                    }
                    let range = match port.split_once('-') {
                        Some((a, b)) => a.parse::<i64>().ok().zip(b.parse::<i64>().ok()),
                        None => port.parse::<i64>().ok().map(|p| (p, p)),
                    };
                    if let Some((lo, hi)) = range {
                        if let Some(p) = self.ports.iter().find(|p| lo <= **p && **p <= hi) {
                            bad.get_or_insert((idx, *p));
                        }
                    }
                }
            }
            if let Some((idx, p)) = bad {
                out.fail(
                    subject,
                    d.location(idx),
                    format!("final stage exposes debug/admin port {p}"),
                );
            } else if let Some((idx, w)) = unknown {
                out.inconclusive(
                    subject,
                    d.location(idx),
                    format!("EXPOSE `{w}` comes from a build argument"),
                );
            } else {
                out.pass(
                    subject,
                    d.location(last.from),
                    "no debug or admin port exposed",
                );
            }
        }
    }
}
