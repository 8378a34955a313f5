//! How each AI server's own authentication is switched on or off, from CRD fields, flags, environment and,
//! where the default changed between releases, the image version.
//! Facts: shared/knowledge/kubernetes-and-ai-serving.md §4.3.2 B and C.

use super::ai_servers::{Auth, Launch};

fn has_flag(cmd: &str, flag: &str) -> bool {
    cmd.split_whitespace()
        .any(|t| t == flag || t.starts_with(&format!("{flag}=")))
}

/// The authentication state of the named server as `launch` starts it.
pub(super) fn auth_of(name: &str, launch: &Launch) -> Auth {
    let cmd = launch.cmd.as_str();
    match name {
        "Ray" => {
            if launch.kuberay_token_auth {
                Auth::On("KubeRay authOptions.mode: token".into())
            } else if launch.env_text("RAY_AUTH_MODE") == Some("token") {
                Auth::On("RAY_AUTH_MODE=token".into())
            } else {
                off_unless_env(
                    launch,
                    "no token authentication (authOptions.mode: token / RAY_AUTH_MODE=token)",
                    "RAY_AUTH_MODE",
                )
            }
        }
        "Jupyter" => {
            for key in ["ServerApp", "NotebookApp", "LabApp", "IdentityProvider"] {
                for field in ["token", "password"] {
                    let flag = format!("--{key}.{field}=");
                    let empty = cmd.split_whitespace().any(|t| {
                        t == flag || t == format!("{flag}''") || t == format!("{flag}\"\"")
                    });
                    if empty {
                        return Auth::Disabled(format!(
                            "`{flag}` with an empty value disables authentication"
                        ));
                    }
                }
            }
            if launch.env_text("JUPYTER_TOKEN") == Some("") {
                return Auth::Disabled("env JUPYTER_TOKEN is empty".into());
            }
            Auth::On("token authentication is on by default".into())
        }
        "MLflow"
            if cmd.contains("--app-name basic-auth") || cmd.contains("--app-name=basic-auth") =>
        {
            Auth::On("--app-name basic-auth".into())
        }
        "TorchServe" => {
            if has_flag(cmd, "--disable-token-auth") {
                Auth::Disabled("--disable-token-auth".into())
            } else if launch
                .env_text("TS_DISABLE_TOKEN_AUTHORIZATION")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            {
                Auth::Disabled("TS_DISABLE_TOKEN_AUTHORIZATION=true".into())
            } else if let Some(version) =
                torchserve_version(&launch.image).filter(|v| *v < TOKEN_AUTH_DEFAULT)
            {
                let (major, minor, patch) = version;
                Auth::Off(format!(
                    "TorchServe {major}.{minor}.{patch} predates token authorization on by default (0.11.1)"
                ))
            } else {
                Auth::On("token authorization is on by default".into())
            }
        }
        "Triton" if has_flag(cmd, "--http-restricted-api") => {
            Auth::On("--http-restricted-api".into())
        }
        "vLLM" => {
            if launch.env_text("VLLM_SERVER_DEV_MODE") == Some("1") {
                Auth::Disabled("VLLM_SERVER_DEV_MODE=1 opens unauthenticated dev endpoints".into())
            } else if has_flag(cmd, "--api-key") || launch.env.contains_key("VLLM_API_KEY") {
                Auth::On("--api-key / VLLM_API_KEY (covers /v1 only)".into())
            } else {
                off_unless_env(launch, "no --api-key or VLLM_API_KEY", "VLLM_API_KEY")
            }
        }
        "TGI" if has_flag(cmd, "--api-key") || launch.env.contains_key("API_KEY") => {
            Auth::On("--api-key / API_KEY".into())
        }
        "TGI" => off_unless_env(launch, "no --api-key or API_KEY", "API_KEY"),
        _ => Auth::Off(format!("{name} has no authentication configured here")),
    }
}

/// Off, unless environment the files do not show could switch authentication on through `var`.
fn off_unless_env(launch: &Launch, why: &str, var: &str) -> Auth {
    match &launch.env_elsewhere {
        Some(source) => Auth::Unknown(format!(
            "{why} among the visible settings, but {source} may set {var}"
        )),
        None => Auth::Off(why.to_string()),
    }
}

/// The first TorchServe release that enforces token authorization without a plugin (pytorch/serve#3163,
/// released in 0.11.1).
const TOKEN_AUTH_DEFAULT: (u32, u32, u32) = (0, 11, 1);

/// The TorchServe version in the image tag (`pytorch/torchserve:0.9.0-cpu`, `torchserve-kfs:0.9.0`,
/// `torchserve-tpu:v0.8.2-20230829`); `None` for `latest`, digests and other tags.
fn torchserve_version(image: &str) -> Option<(u32, u32, u32)> {
    let (name, tag) = image.rsplit_once(':')?;
    if !name.rsplit('/').next()?.starts_with("torchserve") || tag.contains('/') {
        return None;
    }
    let mut parts = tag.trim_start_matches('v').splitn(3, '.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch_digits: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor, patch_digits.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::torchserve_version;

    #[test]
    fn versions_are_read_from_torchserve_tags_only() {
        assert_eq!(
            torchserve_version("pytorch/torchserve:0.9.0-cpu"),
            Some((0, 9, 0))
        );
        assert_eq!(
            torchserve_version("pytorch/torchserve-kfs:0.11.1"),
            Some((0, 11, 1))
        );
        assert_eq!(
            torchserve_version(
                "us-docker.pkg.dev/cloud-tpu-images/inference/torchserve-tpu:v0.8.2-20230829"
            ),
            Some((0, 8, 2))
        );
        for unknown in [
            "pytorch/torchserve:latest-gpu",
            "pytorch/torchserve",
            "registry.local:5000/torchserve",
            "pytorch/torchserve@sha256:0123abcd",
            "nginx:1.27.0",
        ] {
            assert_eq!(torchserve_version(unknown), None, "{unknown}");
        }
    }
}
