//! The sshd PAM auth stack (`/etc/pam.d/sshd`, `@include` and `include`/`substack` expanded)
//! and whether it demands a real second factor without a bypass option.

use super::under_root;
use std::path::{Path, PathBuf};

/// Modules that provide a one-time code or hardware factor.
const SECOND_FACTOR_MODULES: &[&str] = &[
    "pam_google_authenticator.so",
    "pam_u2f.so",
    "pam_oath.so",
    "pam_duo.so",
    "pam_yubico.so",
    "pam_radius_auth.so",
    "pam_totp.so",
];
/// Options that let a user without an enrolled factor through.
const BYPASS_OPTIONS: &[&str] = &["nullok", "nouserok", "alwaysok", "user_unknown=ignore"];
/// Include depth bound.
const MAX_DEPTH: usize = 8;
/// Line budget over all included files, so a file that includes itself many times stays cheap.
const MAX_LINES: usize = 10_000;

/// One `auth` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PamEntry {
    /// `required`, `requisite`, `sufficient`, `optional` or a `[…]` control.
    pub control: String,
    /// Module file name.
    pub module: String,
    /// Module arguments.
    pub args: Vec<String>,
    /// Where it was read.
    pub file: PathBuf,
    pub line: u32,
}

/// What the auth stack provides as second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactor {
    /// The second-factor entry, if any.
    pub entry: Option<PamEntry>,
    /// Problems that make it skippable (non-mandatory control, bypass options, Duo failmode).
    pub problems: Vec<String>,
}

impl SecondFactor {
    /// A mandatory second-factor module without a bypass.
    pub fn is_enforced(&self) -> bool {
        self.entry.is_some() && self.problems.is_empty()
    }
}

/// Reads the `auth` lines of the sshd PAM service under `root`; `None` if the file is absent.
pub fn read_auth_stack(root: &Path) -> Option<Vec<PamEntry>> {
    let main = under_root(root, "/etc/pam.d/sshd");
    if !main.is_file() {
        return None;
    }
    let mut out = Vec::new();
    let mut budget = MAX_LINES;
    collect(root, &main, 0, &mut out, &mut budget);
    Some(out)
}

/// Appends the auth lines of `file`, following includes.
fn collect(root: &Path, file: &Path, depth: usize, out: &mut Vec<PamEntry>, budget: &mut usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return;
    };
    for (index, raw) in text.lines().enumerate() {
        let Some(left) = budget.checked_sub(1) else {
            return;
        };
        *budget = left;
        let line = raw.split('#').next().unwrap_or("").trim();
        if let Some(name) = line.strip_prefix("@include") {
            collect(
                root,
                &under_root(root, &format!("/etc/pam.d/{}", name.trim())),
                depth + 1,
                out,
                budget,
            );
            continue;
        }
        let words = split_pam_line(line);
        if words.len() < 3 || words[0].trim_start_matches('-') != "auth" {
            continue;
        }
        if words[1] == "include" || words[1] == "substack" {
            collect(
                root,
                &under_root(root, &format!("/etc/pam.d/{}", words[2])),
                depth + 1,
                out,
                budget,
            );
            continue;
        }
        let module = words[2].rsplit('/').next().unwrap_or(&words[2]).to_string();
        out.push(PamEntry {
            control: words[1].clone(),
            module,
            args: words[3..].to_vec(),
            file: file.to_path_buf(),
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
        });
    }
}

/// Splits a PAM line into words, keeping a bracketed control as one word.
fn split_pam_line(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        if rest.starts_with('[') {
            let end = rest.find(']').map_or(rest.len(), |i| i + 1);
            words.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    words
}

/// Whether a control makes the module's failure fatal.
fn is_mandatory(control: &str) -> bool {
    match control {
        "required" | "requisite" => true,
        c if c.starts_with('[') => c.contains("default=die") || c.contains("default=bad"),
        _ => false,
    }
}

/// Finds the second-factor module and what weakens it. `duo_conf` is the content of the Duo
/// configuration, when present, to check `failmode = secure`.
pub fn second_factor(stack: &[PamEntry], duo_conf: Option<&str>) -> SecondFactor {
    let Some(entry) = stack
        .iter()
        .find(|e| SECOND_FACTOR_MODULES.contains(&e.module.as_str()))
    else {
        return SecondFactor { entry: None, problems: vec!["no OTP/FIDO module (google-authenticator, u2f, oath, duo, yubico) in the sshd auth stack".into()] };
    };
    let mut problems = Vec::new();
    if !is_mandatory(&entry.control) {
        problems.push(format!(
            "{} is `{}`, so its failure does not deny the login",
            entry.module, entry.control
        ));
    }
    for option in entry
        .args
        .iter()
        .filter(|a| BYPASS_OPTIONS.contains(&a.as_str()))
    {
        problems.push(format!(
            "{} has `{option}`: users without an enrolled factor skip it",
            entry.module
        ));
    }
    if entry.control.contains("user_unknown=ignore") {
        problems.push(format!(
            "{} control `{}` lets unknown users skip it",
            entry.module, entry.control
        ));
    }
    if entry.module == "pam_duo.so" {
        let secure = duo_conf.is_some_and(|c| {
            c.lines().any(|l| {
                let l = l.replace(' ', "").to_ascii_lowercase();
                l == "failmode=secure"
            })
        });
        if !secure {
            problems.push(
                "pam_duo without `failmode = secure` allows logins when Duo is unreachable".into(),
            );
        }
    }
    SecondFactor {
        entry: Some(entry.clone()),
        problems,
    }
}
