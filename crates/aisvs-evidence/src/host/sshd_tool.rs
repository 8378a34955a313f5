//! The effective sshd configuration from OpenSSH itself: `sshd -T -C user=…` (config-test mode
//! only; no daemon is started). When `/run/sshd` is missing, it runs inside a private mount
//! namespace with a tmpfs on /run, so nothing on the host changes.

use super::sshd_config::EffectiveConfig;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs the daemon.
pub const SSHD: &str = "/usr/sbin/sshd";
/// Upper bound for one `sshd -T` run.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Why `sshd -T` gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SshdToolError {
    /// OpenSSH server is not installed here.
    NotInstalled,
    /// sshd rejected the configuration or could not run; the first stderr line.
    Failed(String),
}

/// Whether the OpenSSH server binary is present.
pub fn sshd_available() -> bool {
    Path::new(SSHD).is_file()
}

/// Runs `sshd -T -C user=USER,host=localhost,addr=127.0.0.1 [-f CONFIG]` and parses its output.
pub fn sshd_effective(config: Option<&Path>, user: &str) -> Result<EffectiveConfig, SshdToolError> {
    if !sshd_available() {
        return Err(SshdToolError::NotInstalled);
    }
    let mut args: Vec<String> = vec![
        "-T".into(),
        "-C".into(),
        format!("user={user},host=localhost,addr=127.0.0.1"),
    ];
    if let Some(file) = config {
        args.push("-f".into());
        args.push(file.to_string_lossy().into_owned());
    }
    let mut command = if Path::new("/run/sshd").is_dir() {
        let mut c = Command::new(SSHD);
        c.args(&args);
        c
    } else {
        // `$0 "$@"` passes the arguments through without shell quoting.
        let mut c = Command::new("unshare");
        c.args([
            "-m",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && exec \"$0\" \"$@\"",
            SSHD,
        ]);
        c.args(&args);
        c
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command
        .spawn()
        .map_err(|e| SshdToolError::Failed(format!("cannot run sshd -T: {e}")))?;
    let output = wait_bounded(child)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("sshd -T failed without a message");
        return Err(SshdToolError::Failed(first.to_string()));
    }
    Ok(parse_sshd_t(&String::from_utf8_lossy(&output.stdout)))
}

/// Waits for the child, killing it after [`TIMEOUT`].
fn wait_bounded(mut child: std::process::Child) -> Result<std::process::Output, SshdToolError> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => {
                return child
                    .wait_with_output()
                    .map_err(|e| SshdToolError::Failed(e.to_string()))
            }
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(SshdToolError::Failed(
                    "sshd -T did not finish within 20 s".into(),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(SshdToolError::Failed(e.to_string())),
        }
    }
}

/// Parses `keyword value` lines; repeated keywords (denyusers…) collect their values.
pub fn parse_sshd_t(text: &str) -> EffectiveConfig {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        let Some((keyword, value)) = line.trim().split_once(' ') else {
            continue;
        };
        values
            .entry(keyword.to_ascii_lowercase())
            .or_default()
            .push(value.trim().to_string());
    }
    EffectiveConfig {
        values,
        source: "sshd -T".into(),
    }
}
