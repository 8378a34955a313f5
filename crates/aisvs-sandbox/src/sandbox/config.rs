//! What a sandboxed run is asked to do, and the checks of that request made before anything
//! is cloned: command lookup, scratch dir, read-only inputs and `--allow-net` values.

use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::error::SandboxError;
use super::record::RequestedLimits;

/// `PATH` inside the sandbox; a bare command name is looked up along it (on the host, whose
/// directories are the same ones bound read-only inside).
pub const SANDBOX_PATH: &str = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
/// Where the scratch dir appears inside the sandbox (also `HOME` and `TMPDIR`).
pub const SCRATCH_INSIDE: &str = "/scratch";

/// A sandboxed run as the library takes it.
#[derive(Debug, Default)]
pub struct SandboxConfig {
    /// Program and arguments.
    pub command: Vec<String>,
    /// Host paths bound read-only at the same path inside; they are the run's inputs
    /// (digested into the record, and model-scanned on request).
    pub read_only: Vec<PathBuf>,
    /// Writable host dir mounted at `/scratch` (noexec, nosuid, nodev). A private temporary
    /// dir, removed afterwards, when absent.
    pub scratch: Option<PathBuf>,
    /// `HOST:PORT` values; only loopback hosts can be allowed (see `parse_allow_net`).
    pub allow_net: Vec<String>,
    pub limits: RequestedLimits,
    /// Extra environment (the host environment is never passed through).
    pub env: Vec<(String, String)>,
    /// Redirections of the command's stdout/stderr (inherited when `None`).
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
}

impl Default for RequestedLimits {
    fn default() -> Self {
        RequestedLimits {
            memory_bytes: 4 << 30,
            pids: 256,
            cpu_seconds: 600,
            timeout_seconds: 600,
        }
    }
}

/// The program to execute, resolved on the host.
pub fn resolve_command(command: &[String]) -> Result<PathBuf, SandboxError> {
    let name = command.first().ok_or_else(|| SandboxError::InvalidOption {
        what: "command".into(),
        reason: "no command given after `--`".into(),
    })?;
    let candidate = if name.contains('/') {
        let path = PathBuf::from(name);
        if !path.is_absolute() {
            return Err(SandboxError::InvalidOption {
                what: format!("command {name}"),
                reason: "use an absolute path or a bare name looked up in the sandbox PATH".into(),
            });
        }
        path
    } else {
        SANDBOX_PATH
            .split(':')
            .map(|dir| Path::new(dir).join(name))
            .find(|p| p.exists())
            .ok_or_else(|| SandboxError::CommandNotFound {
                command: name.clone(),
            })?
    };
    let meta = std::fs::metadata(&candidate).map_err(|_| SandboxError::CommandNotFound {
        command: candidate.display().to_string(),
    })?;
    if meta.is_dir() || meta.permissions().mode() & 0o111 == 0 {
        return Err(SandboxError::CommandNotExecutable {
            path: candidate.display().to_string(),
            reason: "not an executable file".into(),
        });
    }
    Ok(candidate)
}

/// Checks a user scratch dir: it must exist and be a directory.
pub fn check_scratch(path: &Path) -> Result<PathBuf, SandboxError> {
    let invalid = |reason: &str| SandboxError::InvalidScratch {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(|e| invalid(&e.to_string()))?;
    if !meta.is_dir() {
        return Err(invalid("not a directory"));
    }
    path.canonicalize().map_err(|e| invalid(&e.to_string()))
}

/// Canonicalises the read-only inputs; each must exist and be a file or a directory.
pub fn check_read_only(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SandboxError> {
    paths
        .iter()
        .map(|path| {
            let invalid = |reason: String| SandboxError::InvalidReadOnly {
                path: path.clone(),
                reason,
            };
            let canonical = path.canonicalize().map_err(|e| invalid(e.to_string()))?;
            let meta = std::fs::metadata(&canonical).map_err(|e| invalid(e.to_string()))?;
            if !(meta.is_file() || meta.is_dir()) {
                return Err(invalid("not a regular file or directory".into()));
            }
            if canonical == Path::new("/") {
                return Err(invalid("binding the whole root is never allowed".into()));
            }
            Ok(canonical)
        })
        .collect()
}

/// Parses `--allow-net` values into loopback ports. The sandbox has no route off the host, so
/// only `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT` (the sandbox's own loopback) can be
/// allowed; anything else is refused rather than silently not working.
pub fn parse_allow_net(values: &[String]) -> Result<Vec<u16>, SandboxError> {
    values
        .iter()
        .map(|value| {
            let invalid = |reason: &str| SandboxError::InvalidAllowNet {
                value: value.clone(),
                reason: reason.to_string(),
            };
            let (host, port) = value
                .rsplit_once(':')
                .ok_or_else(|| invalid("expected HOST:PORT"))?;
            let port: u16 = port
                .parse()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| invalid("port must be 1-65535"))?;
            match host {
                "127.0.0.1" | "localhost" | "[::1]" => Ok(port),
                _ => Err(invalid(
                    "only loopback ports inside the sandbox can be allowed; \
                     the sandbox has no network route to other hosts (not implemented)",
                )),
            }
        })
        .collect()
}

/// Parses a byte size with an optional K/M/G/T suffix (powers of 1024).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let (digits, shift) = match trimmed.char_indices().last() {
        Some((i, 'k' | 'K')) => (&trimmed[..i], 10),
        Some((i, 'm' | 'M')) => (&trimmed[..i], 20),
        Some((i, 'g' | 'G')) => (&trimmed[..i], 30),
        Some((i, 't' | 'T')) => (&trimmed[..i], 40),
        _ => (trimmed, 0),
    };
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 512M, 2G, 1048576)"))?;
    value
        .checked_mul(1u64 << shift)
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("`{text}` is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes_and_reject_garbage() {
        assert_eq!(parse_bytes("512M"), Ok(512 << 20));
        assert_eq!(parse_bytes("2g"), Ok(2 << 30));
        assert_eq!(parse_bytes("4096"), Ok(4096));
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("12Q").is_err());
        assert!(parse_bytes("99999999999T").is_err());
    }

    #[test]
    fn allow_net_accepts_loopback_only() {
        assert_eq!(
            parse_allow_net(&["127.0.0.1:8080".into(), "localhost:9".into()]).unwrap(),
            vec![8080, 9]
        );
        assert!(parse_allow_net(&["example.com:443".into()]).is_err());
        assert!(parse_allow_net(&["127.0.0.1".into()]).is_err());
        assert!(parse_allow_net(&["127.0.0.1:0".into()]).is_err());
    }

    #[test]
    fn commands_resolve_or_map_to_126_127() {
        assert!(resolve_command(&["sh".into()]).is_ok());
        let missing = resolve_command(&["no-such-cmd-aisvs".into()]).unwrap_err();
        assert_eq!(missing.exit_code(), 127);
        let dir = resolve_command(&["/usr".into()]).unwrap_err();
        assert_eq!(dir.exit_code(), 126);
        assert_eq!(resolve_command(&[]).unwrap_err().exit_code(), 125);
    }
}
