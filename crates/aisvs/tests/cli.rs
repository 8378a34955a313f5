//! End to end: the built `aisvs` binary on real files — every format, every exit code, bad config, bad input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn aisvs() -> Command {
    Command::cargo_bin("aisvs").expect("binary built")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// A private findings-history file per scan, so parallel tests never share (or leave behind) one in examples/.
fn history() -> [String; 2] {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let path =
        std::env::temp_dir().join(format!("aisvs-cli-test-{}-{n}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    ["--history".into(), path.display().to_string()]
}

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

const HARDENED: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n      capabilities: {drop: [ALL]}\n    resources:\n      limits: {memory: 1Gi, cpu: '1'}\n---\napiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata: {name: block-priv-esc}\nspec:\n  kprobes:\n  - {call: __sys_setuid, syscall: false, selectors: [{matchActions: [{action: Sigkill}]}]}\n  - {call: security_capset, syscall: false, selectors: [{matchActions: [{action: Sigkill}]}]}\n  - {call: create_user_ns, syscall: false, selectors: [{matchActions: [{action: Sigkill}]}]}\n  - {call: security_bprm_creds_from_file, syscall: false, selectors: [{matchActions: [{action: Override, argError: -1}]}]}\n";

#[test]
fn examples_fail_with_exit_1_and_show_frames_and_table() {
    aisvs()
        .args(["scan"])
        .args(history())
        .arg(examples())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("high[k8s-privileged]"))
        .stdout(predicate::str::contains("--> k8s/training-job.yaml:"))
        .stdout(predicate::str::contains("OWASP AISVS C4 requirements"))
        .stdout(predicate::str::contains(
            "score = pass / (pass + fail + partial)",
        ));
}

#[test]
fn exit_zero_and_hardened_input_passes_the_isolation_requirements() {
    aisvs()
        .args(["scan", "--exit-zero"])
        .args(history())
        .arg(examples())
        .assert()
        .code(0);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", HARDENED.as_bytes());
    let out = aisvs()
        .args(["scan", "-f", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdict = |id: &str| {
        v["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["verdict"]
            .clone()
    };
    assert_eq!(
        verdict("4.1.1"),
        "partial",
        "RuntimeDefault is partial by default"
    );
    assert_eq!(verdict("4.1.2"), "pass");
    assert_eq!(verdict("4.1.3"), "pass");
    // Only the isolation rules are enabled: nothing else can fail, so the run exits 0.
    let mut cfg = String::new();
    for r in v["requirements"].as_array().unwrap() {
        if !["4.1.1", "4.1.2", "4.1.3"].contains(&r["id"].as_str().unwrap()) {
            for rule in r["rules"].as_array().unwrap() {
                let section = format!("[rules.{}]\nenabled = false\n", rule.as_str().unwrap());
                if !cfg.contains(&section) {
                    cfg.push_str(&section);
                }
            }
        }
    }
    write(dir.path(), "aisvs.toml", cfg.as_bytes());
    aisvs()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("4.1.1   partial"));
}

#[test]
fn json_report_has_schema_v1_fields() {
    let out = aisvs()
        .args(["scan", "--format", "json"])
        .args(history())
        .arg(examples())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    for key in [
        "tool",
        "catalog",
        "level",
        "inputs",
        "requirements",
        "findings",
        "score",
        "diagnostics",
    ] {
        assert!(v.get(key).is_some(), "missing top-level `{key}`");
    }
    let reqs = v["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 21);
    let r = &reqs[0];
    for key in [
        "id", "level", "role", "title", "verdict", "subjects", "rules", "findings", "note",
    ] {
        assert!(r.get(key).is_some(), "requirement missing `{key}`");
    }
    let f = &v["findings"][0];
    for key in [
        "rule",
        "requirements",
        "severity",
        "message",
        "subject",
        "location",
        "related",
        "remediation",
        "fingerprint",
        "suppressed",
    ] {
        assert!(f.get(key).is_some(), "finding missing `{key}`");
    }
    for key in [
        "path",
        "start_line",
        "start_column",
        "end_line",
        "end_column",
        "route",
    ] {
        assert!(f["location"].get(key).is_some(), "location missing `{key}`");
    }
    // Finding indices of a requirement point at findings that name it.
    for r in reqs {
        for i in r["findings"].as_array().unwrap() {
            let f = &v["findings"][i.as_u64().unwrap() as usize];
            assert!(f["requirements"].as_array().unwrap().contains(&r["id"]));
        }
    }
    let privileged = reqs.iter().find(|r| r["id"] == "4.1.3").unwrap();
    assert_eq!(privileged["verdict"], "fail");
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path).expect("SARIF schema in shared/vectors"),
    )
    .unwrap();
    let out = aisvs()
        .args(["scan", "--format", "sarif"])
        .args(history())
        .arg(examples())
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(
        sarif["runs"][0]["properties"]["aisvs"]["requirements"]
            .as_array()
            .unwrap()
            .len()
            == 21
    );
}

#[test]
fn junit_has_one_case_per_requirement_and_markdown_a_table() {
    let out = aisvs()
        .args(["scan", "--format", "junit"])
        .args(history())
        .arg(examples())
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 21);
    assert!(xml.contains("<failure"));
    aisvs()
        .args(["scan", "--format", "markdown", "--level", "1"])
        .args(history())
        .arg(examples())
        .assert()
        .stdout(predicate::str::contains("| 4.1.1 "))
        .stdout(predicate::str::contains("| 4.1.3 ").not());
}

#[test]
fn output_file_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    aisvs()
        .args(["scan", "-f", "json", "-o"])
        .arg(&out)
        .args(history())
        .arg(examples())
        .assert()
        .code(1)
        .stdout("");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("\"schema_version\": 1"));
    // The report is streamed to the file; a path that cannot be created is exit 2, named.
    let unwritable = dir.path().join("no-such-dir").join("r.txt");
    aisvs()
        .args(["scan", "-o"])
        .arg(&unwritable)
        .args(history())
        .arg(examples())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("error: cannot write").and(predicate::str::contains("r.txt")),
        );
    aisvs()
        .args(["scan", "-"])
        .write_stdin("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - {name: c, image: x, securityContext: {privileged: true}}\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("--> -:"))
        .stdout(predicate::str::contains("items[0].spec.containers[0]"));
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    aisvs()
        .args(["scan", "--format", "yaml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'yaml'"));
    aisvs()
        .args(["scan", "/nonexistent/path"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read /nonexistent/path"));
    aisvs().args(["rules", "no-such-rule"]).assert().code(2);
    aisvs().args(["scan", "--level", "4", "."]).assert().code(2);
}

#[test]
fn config_unknown_key_and_rule_are_errors_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", HARDENED.as_bytes());
    write(dir.path(), "aisvs.toml", b"level = 2\nfrobnicate = true\n");
    aisvs()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("aisvs.toml:2:").and(predicate::str::contains("frobnicate")),
        );
    write(
        dir.path(),
        "aisvs.toml",
        b"[rules.k8s-nope]\nenabled = false\n",
    );
    aisvs()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("aisvs.toml:1:")
                .and(predicate::str::contains("unknown rule `k8s-nope`")),
        );
    write(
        dir.path(),
        "aisvs.toml",
        b"[rules.k8s-seccomp]\naccept_runtime_defaults = true\n",
    );
    aisvs()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("aisvs.toml:2:")
                .and(predicate::str::contains("accept_runtime_defaults")),
        );
    write(
        dir.path(),
        "aisvs.toml",
        b"[[waiver]]\nrule = \"k8s-seccomp\"\nreason = \"\"\n",
    );
    aisvs()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("non-empty reason"));
}

#[test]
fn waivers_inline_ignores_and_annotations_suppress_but_stay_visible() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "job.yaml", b"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    aisvs.io/ignore: \"k8s-host-namespaces: NCCL needs host IPC on this pool\"\nspec:\n  template:\n    spec:\n      hostIPC: true\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n      containers:\n      - name: c\n        image: x\n        securityContext:\n          allowPrivilegeEscalation: false\n          # aisvs: ignore[k8s-read-only-root] writes checkpoints to /\n          readOnlyRootFilesystem: false\n          capabilities: {drop: [ALL]}\n        resources: {limits: {memory: 1Gi, cpu: '1'}}\n");
    write(dir.path(), "aisvs.toml", b"[[waiver]]\nrule = \"k8s-privileged\"\nreason = \"unused\"\n\n[[waiver]]\nrule = \"k8s-seccomp\"\nreason = \"expired\"\nexpires = \"2020-01-01\"\n");
    let out = aisvs()
        .args(["scan", "-f", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v0: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unsuppressed_isolation: Vec<&serde_json::Value> = v0["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["suppressed"].is_null()
                && f["requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == "4.1.3")
        })
        .collect();
    assert!(
        unsuppressed_isolation.is_empty(),
        "all 4.1.3 failures suppressed: {unsuppressed_isolation:?}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["suppressed"]["kind"]
                .as_str()
                .unwrap_or("none")
                .to_string()
        })
        .collect();
    assert!(
        kinds.contains(&"annotation".to_string()) && kinds.contains(&"inline".to_string()),
        "{kinds:?}"
    );
    let r413 = v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "4.1.3")
        .unwrap();
    assert_eq!(
        r413["verdict"], "partial",
        "waived failures never make a pass"
    );
    assert_eq!(r413["subjects"]["waived"], 2);
    let diags = v["diagnostics"].to_string();
    assert!(
        diags.contains("matched nothing") && diags.contains("expired on 2020-01-01"),
        "{diags}"
    );
}

#[test]
fn bad_inputs_become_diagnostics_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "malformed.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: x\n  oops: [\n",
    );
    write(
        d,
        "dupkeys.yaml",
        b"apiVersion: v1\nkind: Pod\nkind: Deployment\n",
    );
    let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    write(d, "bomb.yaml", bomb.as_bytes());
    let mut deep = String::new();
    for i in 0..10_000 {
        deep.push_str(&" ".repeat(i % 2));
        deep.push('[');
    }
    write(d, "deep.yaml", deep.as_bytes());
    let mut block = String::new();
    for i in 0..10_000 {
        block.push_str(&format!("{}k:\n", " ".repeat(i)));
    }
    write(d, "deep-block.yaml", block.as_bytes());
    write(
        d,
        "latin1.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n",
    );
    write(d, "binary.yaml", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    write(d, "big.yaml", &vec![b'#'; 9 * 1024 * 1024]);
    write(d, "good.yaml", HARDENED.as_bytes());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
        let unreadable = write(d, "secret.yaml", b"a: 1\n");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let out = aisvs()
        .args(["scan", "-f", "json"])
        .arg(d)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "bad files are diagnostics, not an error exit. stderr: {stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let find = |path: &str| {
        diags
            .iter()
            .find(|x| x["path"] == path)
            .map(|x| x["message"].as_str().unwrap().to_string())
    };
    assert!(find("malformed.yaml").unwrap().contains("invalid YAML"));
    assert!(
        find("dupkeys.yaml").unwrap().contains("duplicate"),
        "{:?}",
        find("dupkeys.yaml")
    );
    assert!(
        find("bomb.yaml").unwrap().contains("alias"),
        "{:?}",
        find("bomb.yaml")
    );
    assert!(find("deep.yaml").is_some());
    assert!(find("deep-block.yaml").is_some());
    assert!(find("latin1.yaml").unwrap().contains("UTF-8"));
    assert!(find("binary.yaml").unwrap().contains("binary"));
    assert!(find("big.yaml").unwrap().contains("limit"));
    let line = diags
        .iter()
        .find(|x| x["path"] == "malformed.yaml")
        .unwrap()["line"]
        .as_u64()
        .unwrap();
    assert!(line >= 3, "malformed.yaml diagnostic names the line");
    // --strict turns unparseable input into a failing run, even with every rule disabled.
    let mut off = String::new();
    for rule in aisvs::rules::registry() {
        off.push_str(&format!("[rules.{}]\nenabled = false\n", rule.meta().id));
    }
    let cfg = dir.path().join("off.toml");
    std::fs::write(&cfg, off).unwrap();
    let limit = std::time::Duration::from_secs(60);
    aisvs()
        .args(["scan", "--config"])
        .arg(&cfg)
        .arg(d)
        .timeout(limit)
        .assert()
        .code(0);
    aisvs()
        .args(["scan", "--strict", "--config"])
        .arg(&cfg)
        .arg(d)
        .timeout(limit)
        .assert()
        .code(1);
}

#[test]
fn empty_directory_says_so() {
    let dir = tempfile::tempdir().unwrap();
    aisvs()
        .args(["scan"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no files to scan"));
}

#[test]
fn requirements_and_rules_commands() {
    aisvs()
        .arg("requirements")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("4.6.3").and(predicate::str::contains("k8s-seccomp")));
    aisvs()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("k8s-sandbox-runtime"));
    aisvs()
        .args(["rules", "k8s-seccomp"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Failing example:")
                .and(predicate::str::contains("accept_runtime_default")),
        );
}

#[test]
fn listings_to_a_closed_pipe_end_quietly() {
    // `aisvs rules | head -1`: the reader is gone before aisvs writes. It must not panic (exit 101 with a
    // backtrace); a closed pipe is not an error for a listing.
    for args in [&["rules"][..], &["requirements", "--json"][..]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aisvs"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn aisvs");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait for aisvs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
