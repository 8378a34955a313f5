//! 4.4.4 MFA: for every interactive user (and root), every `AuthenticationMethods` list of the
//! effective sshd configuration needs two distinct factors, one of them a real second factor
//! (keyboard-interactive/password through a PAM stack with a mandatory OTP/FIDO module, or
//! FIDO `sk-` keys with `verify-required`). Match branches that lower this are reported too.

use super::pam::SecondFactor;
use super::sshd_config::EffectiveConfig;
use crate::assessment::Outcome;

/// Options of the MFA analysis.
#[derive(Debug, Clone, Default)]
pub struct MfaPolicy {
    /// Accept a Unix password as the second factor after a key (default: no, it is weak).
    pub accept_password_factor: bool,
}

/// Verdict for one effective configuration.
pub fn mfa_verdict(
    cfg: &EffectiveConfig,
    pam: Option<&SecondFactor>,
    policy: &MfaPolicy,
) -> (Outcome, String) {
    let methods = cfg
        .get("authenticationmethods")
        .unwrap_or_else(|| "any".into());
    let hardware_keys = fido_keys_only(cfg);
    if methods == "any" {
        if hardware_keys
            && cfg.get("passwordauthentication").as_deref() == Some("no")
            && cfg.get("kbdinteractiveauthentication").as_deref() == Some("no")
        {
            return (
                Outcome::Pass,
                format!(
                    "only FIDO security keys with verify-required are accepted ({})",
                    cfg.source
                ),
            );
        }
        return (
            Outcome::Fail,
            format!(
                "AuthenticationMethods any: a single factor logs in ({})",
                cfg.source
            ),
        );
    }
    let mut worst = (Outcome::Pass, String::new());
    for list in methods.split_whitespace() {
        let (outcome, why) = list_verdict(list, cfg, pam, policy, hardware_keys);
        if rank(outcome) > rank(worst.0) || worst.1.is_empty() {
            worst = (outcome, format!("`{list}`: {why}"));
        }
    }
    (
        worst.0,
        format!(
            "AuthenticationMethods {methods}; weakest {} ({})",
            worst.1, cfg.source
        ),
    )
}

/// Severity order used to keep the weakest list.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Pass => 0,
        Outcome::Inconclusive => 1,
        Outcome::Partial => 2,
        Outcome::Fail => 3,
    }
}

/// `PubkeyAcceptedAlgorithms` limited to `sk-` algorithms and `PubkeyAuthOptions verify-required`.
fn fido_keys_only(cfg: &EffectiveConfig) -> bool {
    let algorithms = cfg
        .get("pubkeyacceptedalgorithms")
        .or_else(|| cfg.get("pubkeyacceptedkeytypes"))
        .unwrap_or_default();
    let verify = cfg
        .get("pubkeyauthoptions")
        .is_some_and(|o| o.contains("verify-required"));
    !algorithms.is_empty() && algorithms.split(',').all(|a| a.starts_with("sk-")) && verify
}

/// One comma-separated list of methods.
fn list_verdict(
    list: &str,
    cfg: &EffectiveConfig,
    pam: Option<&SecondFactor>,
    policy: &MfaPolicy,
    hardware_keys: bool,
) -> (Outcome, String) {
    let methods: Vec<&str> = list.split(',').collect();
    let class = |m: &str| m.split(':').next().unwrap_or(m).to_string();
    let mut classes: Vec<String> = methods.iter().map(|m| class(m)).collect();
    classes.sort();
    classes.dedup();
    if classes.len() < 2 {
        if hardware_keys && classes == ["publickey"] {
            return (
                Outcome::Pass,
                "FIDO security key with verify-required".into(),
            );
        }
        return (Outcome::Fail, "one factor class only".into());
    }
    let uses_pam = cfg.get("usepam").as_deref() == Some("yes");
    let kbd = classes.iter().any(|c| c == "keyboard-interactive");
    if kbd && cfg.get("kbdinteractiveauthentication").as_deref() != Some("yes") {
        return (
            Outcome::Fail,
            "keyboard-interactive is listed but KbdInteractiveAuthentication is no".into(),
        );
    }
    let pam_based = kbd || (classes.iter().any(|c| c == "password") && uses_pam);
    if pam_based && uses_pam {
        return match pam {
            None => (
                Outcome::Inconclusive,
                "the sshd PAM stack (/etc/pam.d/sshd) is not in the inputs".into(),
            ),
            Some(sf) if sf.is_enforced() => (
                Outcome::Pass,
                format!(
                    "PAM requires {}",
                    sf.entry.as_ref().map_or("", |e| e.module.as_str())
                ),
            ),
            Some(sf)
                if classes.iter().any(|c| c == "password") && policy.accept_password_factor =>
            {
                (
                    Outcome::Pass,
                    format!(
                        "key + password accepted by policy ({})",
                        sf.problems.join("; ")
                    ),
                )
            }
            Some(sf) => (
                Outcome::Partial,
                if sf.entry.is_some() {
                    format!(
                        "the PAM second factor can be skipped: {}",
                        sf.problems.join("; ")
                    )
                } else {
                    format!(
                        "second step is a password, not an OTP/FIDO factor: {}",
                        sf.problems.join("; ")
                    )
                },
            ),
        };
    }
    if classes.iter().any(|c| c == "password") {
        return if policy.accept_password_factor {
            (Outcome::Pass, "key + password accepted by policy".into())
        } else {
            (
                Outcome::Partial,
                "second factor is a password (UsePAM no), not an OTP/FIDO factor".into(),
            )
        };
    }
    (
        Outcome::Partial,
        format!(
            "two methods ({}) but no OTP/FIDO factor recognised",
            classes.join("+")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::sshd_tool::parse_sshd_t;

    fn enforced() -> SecondFactor {
        SecondFactor {
            entry: Some(crate::host::pam::PamEntry {
                control: "required".into(),
                module: "pam_google_authenticator.so".into(),
                args: vec![],
                file: "/etc/pam.d/sshd".into(),
                line: 1,
            }),
            problems: vec![],
        }
    }

    #[test]
    fn key_plus_otp_passes_and_any_fails() {
        let cfg = parse_sshd_t("usepam yes\nkbdinteractiveauthentication yes\nauthenticationmethods publickey,keyboard-interactive:pam\n");
        assert_eq!(
            mfa_verdict(&cfg, Some(&enforced()), &MfaPolicy::default()).0,
            Outcome::Pass
        );
        let any = parse_sshd_t("usepam yes\nauthenticationmethods any\n");
        assert_eq!(
            mfa_verdict(&any, Some(&enforced()), &MfaPolicy::default()).0,
            Outcome::Fail
        );
    }

    #[test]
    fn alternative_single_factor_list_fails() {
        let cfg = parse_sshd_t("usepam yes\nkbdinteractiveauthentication yes\nauthenticationmethods publickey,keyboard-interactive publickey\n");
        assert_eq!(
            mfa_verdict(&cfg, Some(&enforced()), &MfaPolicy::default()).0,
            Outcome::Fail
        );
    }
}
