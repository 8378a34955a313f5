//! 4.4.4 and host hardening over collected node roots built in temp directories, plus a
//! differential test of our sshd_config reader against `sshd -T` when OpenSSH is installed.

mod common;

use aisvs_evidence::host::evaluate::{evaluate_host_ssh, SshOptions};
use aisvs_evidence::host::os_basics::evaluate_os_basics;
use aisvs_evidence::host::sshd_config::SshdConfig;
use aisvs_evidence::host::sshd_tool::{sshd_available, sshd_effective};
use aisvs_evidence::{Assessment, Outcome};
use common::write;
use std::path::Path;

const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\nbreakglass:x:1001:1001::/home/breakglass:/bin/bash\njenkins:x:1002:1002::/home/jenkins:/bin/bash\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\n";
const GROUP: &str = "root:x:0:\nwww-data:x:33:\nalice:x:1000:\nbreakglass:x:1001:\njenkins:x:1002:\nbackup:x:34:\nsvc:x:2000:jenkins\n";
const PAM_OTP: &str =
    "auth required pam_google_authenticator.so\naccount required pam_nologin.so\n";

/// A node root with a drop-in that sets MFA, a break-glass Match, and a denied group.
fn node(dir: &Path, pam: &str) {
    write(dir, "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\nKbdInteractiveAuthentication yes\nAuthenticationMethods publickey\nPermitRootLogin no\nDenyGroups svc\nMatch User breakglass\n    AuthenticationMethods publickey\n");
    write(
        dir,
        "etc/ssh/sshd_config.d/10-mfa.conf",
        "AuthenticationMethods publickey,keyboard-interactive:pam\n",
    );
    write(dir, "etc/pam.d/sshd", pam);
    write(dir, "etc/passwd", PASSWD);
    write(dir, "etc/group", GROUP);
    write(
        dir,
        "var/backups/.ssh/authorized_keys",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample backup\n",
    );
}

fn find<'a>(all: &'a [Assessment], subject: &str) -> &'a Assessment {
    all.iter()
        .find(|a| a.subject.starts_with(subject))
        .unwrap_or_else(|| panic!("no assessment for {subject}: {all:#?}"))
}

fn options() -> SshOptions {
    SshOptions {
        service_accounts: vec!["jenkins".into()],
        use_sshd_t: false,
        ..SshOptions::default()
    }
}

#[test]
fn include_first_wins_and_otp_gives_mfa() {
    let dir = tempfile::tempdir().expect("tempdir");
    node(dir.path(), PAM_OTP);
    let all = evaluate_host_ssh(dir.path(), &options());
    assert_eq!(
        find(&all, "ssh user alice").outcome,
        Outcome::Pass,
        "{all:#?}"
    );
    assert_eq!(find(&all, "ssh user root").outcome, Outcome::Pass);
    assert_eq!(
        find(&all, "ssh user breakglass").outcome,
        Outcome::Fail,
        "Match lowers it to one factor"
    );
    assert_eq!(
        find(&all, "sshd Match User breakglass").outcome,
        Outcome::Fail
    );
    let allow = SshOptions {
        break_glass: vec!["breakglass".into()],
        ..options()
    };
    let allowed = evaluate_host_ssh(dir.path(), &allow);
    assert_eq!(
        find(&allowed, "ssh user breakglass").outcome,
        Outcome::Partial
    );
}

#[test]
fn nullok_and_missing_module_are_not_mfa() {
    let dir = tempfile::tempdir().expect("tempdir");
    node(
        dir.path(),
        "auth required pam_google_authenticator.so nullok\n",
    );
    let all = evaluate_host_ssh(dir.path(), &options());
    let alice = find(&all, "ssh user alice");
    assert_eq!(alice.outcome, Outcome::Partial, "{}", alice.message);
    assert!(alice.message.contains("nullok"));
    let stock = tempfile::tempdir().expect("tempdir");
    node(stock.path(), "@include common-auth\n");
    write(
        stock.path(),
        "etc/pam.d/common-auth",
        "auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n",
    );
    let all = evaluate_host_ssh(stock.path(), &options());
    assert!(find(&all, "ssh user alice")
        .message
        .contains("no OTP/FIDO module"));
}

#[test]
fn service_accounts_need_denial_or_nologin_without_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    node(dir.path(), PAM_OTP);
    let all = evaluate_host_ssh(dir.path(), &options());
    assert_eq!(
        find(&all, "ssh service account www-data").outcome,
        Outcome::Pass
    );
    let backup = find(&all, "ssh service account backup");
    assert_eq!(
        backup.outcome,
        Outcome::Fail,
        "nologin but has authorized_keys: {}",
        backup.message
    );
    let jenkins = find(&all, "ssh service account jenkins");
    assert_eq!(
        jenkins.outcome,
        Outcome::Pass,
        "DenyGroups svc: {}",
        jenkins.message
    );
    assert!(jenkins.message.contains("DenyGroups"));
}

#[test]
fn os_basics_report_file_modes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    node(dir.path(), PAM_OTP);
    let kubelet = write(
        dir.path(),
        "var/lib/kubelet/config.yaml",
        "kind: KubeletConfiguration\n",
    );
    std::fs::set_permissions(&kubelet, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let shadow = write(dir.path(), "etc/shadow", "root:*:1::::::\n");
    std::fs::set_permissions(&shadow, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let all = evaluate_os_basics(dir.path(), false);
    assert_eq!(
        find(&all, "file var/lib/kubelet/config.yaml").outcome,
        Outcome::Fail
    );
    assert_eq!(find(&all, "file etc/shadow").outcome, Outcome::Pass);
    assert_eq!(find(&all, "sshd permitrootlogin").outcome, Outcome::Pass);
    assert!(find(&all, "host OS hardening (aggregate)")
        .message
        .contains("basic checks pass"));
}

#[test]
fn parser_agrees_with_sshd_t() {
    if !sshd_available() {
        println!("skipped: /usr/sbin/sshd not installed (Debian package openssh-server)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let key = dir.path().join("host_ed25519");
    let keygen = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen");
    assert!(keygen.success());
    let dropin = dir.path().join("conf.d");
    write(
        &dropin,
        "10-mfa.conf",
        "AuthenticationMethods publickey,keyboard-interactive:pam\nDenyUsers jenkins\n",
    );
    let main = format!(
        "Include {}/*.conf\nHostKey {}\nUsePAM yes\nKbdInteractiveAuthentication yes\nAuthenticationMethods publickey\nDenyUsers deploy\nMatch User root\n    AuthenticationMethods publickey\n",
        dropin.display(),
        key.display()
    );
    let config = write(dir.path(), "sshd_config", &main);
    let parsed =
        SshdConfig::load(Path::new("/"), config.to_str().expect("utf-8 path")).expect("parse");
    for user in ["root", "nobody"] {
        let ours = parsed.effective(user, &[]);
        let theirs = sshd_effective(Some(&config), user).expect("sshd -T runs");
        for keyword in [
            "authenticationmethods",
            "usepam",
            "kbdinteractiveauthentication",
            "permitrootlogin",
            "passwordauthentication",
        ] {
            assert_eq!(ours.get(keyword), theirs.get(keyword), "{user}: {keyword}");
        }
        let (mut a, mut b) = (ours.list("denyusers"), theirs.list("denyusers"));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{user}: denyusers");
    }
}

#[test]
fn live_node_uses_sshd_t_when_installed() {
    if !sshd_available() {
        println!("skipped: /usr/sbin/sshd not installed (Debian package openssh-server)");
        return;
    }
    let options = SshOptions {
        use_sshd_t: true,
        ..SshOptions::default()
    };
    let all = evaluate_host_ssh(Path::new("/"), &options);
    let users: Vec<&Assessment> = all
        .iter()
        .filter(|a| a.subject.starts_with("ssh user "))
        .collect();
    assert!(!users.is_empty(), "{all:#?}");
    assert!(
        users.iter().all(|a| a.message.ends_with("(sshd -T)")),
        "{users:#?}"
    );
}

#[test]
fn self_including_pam_stack_is_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    node(dir.path(), &"@include sshd\n".repeat(2000));
    let all = evaluate_host_ssh(dir.path(), &options());
    assert!(find(&all, "ssh user alice")
        .message
        .contains("no OTP/FIDO module"));
}
