//! Shell-command helpers for CI rules: split `run:`/`script:` text into commands and recognise IaC scanners.

use crate::parse::dockerfile::split_words;

/// One simple command of a script line, with what surrounds it.
#[derive(Debug, Clone)]
pub struct Command {
    /// Its words.
    pub words: Vec<String>,
    /// The whole script line it came from (for `|| true` and similar).
    pub line: String,
}

/// Splits a script into simple commands (on newlines, `&&`, `;` and single pipes; `||` ends a command too).
pub fn commands(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    // Join backslash continuations first, so a scanner call split over lines stays one command.
    let joined = script.replace("\\\r\n", " ").replace("\\\n", " ");
    for line in joined.lines() {
        let line_trim = line.trim();
        if line_trim.is_empty() || line_trim.starts_with('#') {
            continue;
        }
        for part in line_trim
            .split("&&")
            .flat_map(|p| p.split(';'))
            .flat_map(|p| p.split('|'))
        {
            let words = split_words(part);
            if !words.is_empty() {
                out.push(Command {
                    words,
                    line: line_trim.to_string(),
                });
            }
        }
    }
    out
}

/// Whether the script line makes a failing command succeed anyway (`|| true`, `|| exit 0`, `|| :`).
pub fn swallows_failure(line: &str) -> bool {
    let compact: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    ["|| true", "||true", "|| exit 0", "|| :", "|| echo"]
        .iter()
        .any(|p| compact.contains(p))
}

/// The program of a command, skipping `sudo`, `env X=Y`, `docker run … <scanner image>` wrappers and `python -m`.
pub fn program(words: &[String]) -> Option<(usize, &str)> {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let base = w.rsplit('/').next().unwrap_or(w);
        if base == "sudo" || base == "env" || w.contains('=') && !w.starts_with('-') {
            i += 1;
            continue;
        }
        if base == "python" || base == "python3" || base == "uvx" || base == "pipx" || base == "npx"
        {
            i += 1;
            if words.get(i).is_some_and(|w| w == "-m" || w == "run") {
                i += 1;
            }
            continue;
        }
        if (base == "docker" || base == "podman") && words.get(i + 1).is_some_and(|w| w == "run") {
            // `docker run … bridgecrew/checkov -d .`: the image name names the tool.
            let img = words.iter().skip(i + 1).position(|w| {
                let l = w.to_ascii_lowercase();
                SCANNERS.iter().any(|s| l.contains(s.0))
            })?;
            return words
                .get(i + 1 + img)
                .map(|w| (i + 1 + img, scanner_of_image(w)));
        }
        return Some((i, base));
    }
    None
}

fn scanner_of_image(image: &str) -> &'static str {
    let l = image.to_ascii_lowercase();
    SCANNERS
        .iter()
        .find(|s| l.contains(s.0))
        .map_or("", |s| s.0)
}

/// What an IaC scanner covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// Terraform.
    pub terraform: bool,
    /// Kubernetes manifests and Helm charts.
    pub kubernetes: bool,
    /// Dockerfiles.
    pub docker: bool,
}

const ALL: Coverage = Coverage {
    terraform: true,
    kubernetes: true,
    docker: true,
};
const K8S: Coverage = Coverage {
    terraform: false,
    kubernetes: true,
    docker: false,
};
const TF: Coverage = Coverage {
    terraform: true,
    kubernetes: false,
    docker: false,
};
const DOCKER: Coverage = Coverage {
    terraform: false,
    kubernetes: false,
    docker: true,
};

/// Scanner programs (and image-name fragments) with what they cover.
pub const SCANNERS: &[(&str, Coverage)] = &[
    ("aisvs", ALL),
    ("checkov", ALL),
    ("trivy", ALL),
    ("tfsec", TF),
    ("kics", ALL),
    ("terrascan", ALL),
    ("kube-linter", K8S),
    ("kubescape", K8S),
    ("kubesec", K8S),
    ("hadolint", DOCKER),
    ("snyk", ALL),
];

/// Scanner actions (name prefix) with what they cover and the input naming the scanned path.
pub const SCANNER_ACTIONS: &[(&str, Coverage, &[&str])] = &[
    ("bridgecrewio/checkov-action", ALL, &["directory", "file"]),
    ("aquasecurity/tfsec-action", TF, &["working_directory"]),
    (
        "aquasecurity/tfsec-pr-commenter-action",
        TF,
        &["working_directory"],
    ),
    ("aquasecurity/trivy-action", ALL, &["scan-ref"]),
    ("checkmarx/kics-github-action", ALL, &["path"]),
    ("tenable/terrascan-action", ALL, &["iac_dir"]),
    ("stackrox/kube-linter-action", K8S, &["directory"]),
    ("kubescape/github-action", K8S, &["files"]),
    ("snyk/actions/iac", ALL, &["file"]),
    ("reviewdog/action-tfsec", TF, &["working_directory"]),
    ("reviewdog/action-checkov", ALL, &["working_directory"]),
    ("hadolint/hadolint-action", DOCKER, &["dockerfile"]),
];

/// Flags whose value names the scanned path.
const PATH_FLAGS: &[&str] = &[
    "-d",
    "--directory",
    "--dir",
    "-p",
    "--path",
    "-f",
    "--file",
    "--iac-dir",
    "-i",
];
/// Flags that take no value (so the next word is positional).
const BOOL_FLAGS: &[&str] = &[
    "--soft-fail",
    "--quiet",
    "-q",
    "--compact",
    "--no-color",
    "--debug",
    "--recursive",
    "-r",
    "--strict",
    "--exit-zero",
];
/// Subcommands that are not paths.
const SUBCOMMANDS: &[&str] = &[
    "config",
    "scan",
    "lint",
    "fs",
    "iac",
    "test",
    "run",
    "framework",
];

/// Paths a scanner command names (positional words and path-flag values); empty means its working directory.
pub fn scanned_paths(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if let Some((flag, value)) = w.split_once('=').filter(|_| w.starts_with('-')) {
            if PATH_FLAGS.contains(&flag) {
                out.push(value.to_string());
            }
        } else if w.starts_with('-') {
            if !BOOL_FLAGS.contains(&w.as_str()) {
                if PATH_FLAGS.contains(&w.as_str()) {
                    if let Some(v) = words.get(i + 1) {
                        out.push(v.clone());
                    }
                }
                i += 1;
            }
        } else if !SUBCOMMANDS.contains(&w.as_str()) && !w.starts_with('>') {
            out.push(w.clone());
        }
        i += 1;
    }
    out
}

/// Normalises a scanned path relative to the repository: `./infra/` → `infra`, `.` → ``.
pub fn normalise_path(dir: &str, path: &str) -> String {
    let joined = if path.starts_with('/') || dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    let parts: Vec<&str> = joined
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_commands_and_finds_paths() {
        let cmds = commands(
            "pip install checkov && checkov -d infra/tf --soft-fail\ntrivy config ./k8s || true",
        );
        assert_eq!(cmds.len(), 4);
        assert_eq!(program(&cmds[1].words).map(|p| p.1), Some("checkov"));
        assert_eq!(scanned_paths(&cmds[1].words[1..]), vec!["infra/tf"]);
        assert!(!swallows_failure(&cmds[1].line));
        assert!(swallows_failure(&cmds[2].line));
        assert_eq!(scanned_paths(&cmds[2].words[1..]), vec!["./k8s"]);
        assert_eq!(normalise_path("", "./k8s/"), "k8s");
        assert_eq!(normalise_path("deploy", "."), "deploy");
        let docker = commands("docker run --rm -v $PWD:/src bridgecrew/checkov:3 -d /src");
        assert_eq!(program(&docker[0].words).map(|p| p.1), Some("checkov"));
    }
}
