//! Catalog of AI serving stacks, notebooks, dashboards and debug servers: how to recognise each from image,
//! command and CRD, its admin/debug ports, and how its own authentication is switched on or off.
//! Facts: shared/knowledge/kubernetes-and-ai-serving.md §4.3.2 B and C.

use crate::model::{Container, ContainerClass, Model, Workload};
use crate::parse::Node;

/// Whether the server's own authentication is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// On (the reason: flag, env, CRD field, or on by default).
    On(String),
    /// Off (the server has none, or it is not configured).
    Off(String),
    /// Explicitly disabled (flag or env named).
    Disabled(String),
}

/// A recognised server in a container.
#[derive(Debug, Clone)]
pub struct Server {
    /// Display name.
    pub name: &'static str,
    /// Admin / debug ports (a reachable one needs auth).
    pub ports: &'static [u16],
    /// Its authentication state.
    pub auth: Auth,
}

struct Entry {
    name: &'static str,
    images: &'static [&'static str],
    commands: &'static [&'static str],
    ports: &'static [u16],
}

const CATALOG: &[Entry] = &[
    Entry {
        name: "Ray",
        images: &["rayproject/ray", "anyscale/ray"],
        commands: &["ray start"],
        ports: &[8265, 10001, 6379, 52365],
    },
    Entry {
        name: "Jupyter",
        images: &[
            "jupyter/",
            "jupyterhub/singleuser",
            "kubeflow-notebook",
            "notebook-servers/jupyter",
        ],
        commands: &[
            "jupyter lab",
            "jupyter notebook",
            "jupyter-lab",
            "start-notebook",
            "jupyterhub-singleuser",
        ],
        ports: &[8888],
    },
    Entry {
        name: "MLflow",
        images: &["mlflow"],
        commands: &["mlflow server", "mlflow ui"],
        ports: &[5000],
    },
    Entry {
        name: "TorchServe",
        images: &["pytorch/torchserve"],
        commands: &["torchserve"],
        ports: &[8080, 8081, 8082, 7070, 7071],
    },
    Entry {
        name: "Triton",
        images: &["tritonserver"],
        commands: &["tritonserver"],
        ports: &[8000, 8001, 8002],
    },
    Entry {
        name: "vLLM",
        images: &["vllm/vllm-openai", "vllm-openai"],
        commands: &["vllm serve", "vllm.entrypoints"],
        ports: &[8000],
    },
    Entry {
        name: "Ollama",
        images: &["ollama/ollama"],
        commands: &["ollama serve"],
        ports: &[11434],
    },
    Entry {
        name: "TGI",
        images: &["text-generation-inference"],
        commands: &["text-generation-launcher"],
        ports: &[80, 3000, 8080],
    },
    Entry {
        name: "Gradio",
        images: &["gradio"],
        commands: &["gradio "],
        ports: &[7860],
    },
    Entry {
        name: "Streamlit",
        images: &["streamlit"],
        commands: &["streamlit run"],
        ports: &[8501],
    },
    Entry {
        name: "TensorBoard",
        images: &["tensorboard"],
        commands: &["tensorboard"],
        ports: &[6006],
    },
    Entry {
        name: "Kubeflow dashboard",
        images: &["centraldashboard", "ml-pipeline/frontend", "katib-ui"],
        commands: &[],
        ports: &[8082, 3000, 8080],
    },
    Entry {
        name: "Spark",
        images: &["apache/spark", "bitnami/spark", "spark-py"],
        commands: &["spark-class", "start-master", "start-history-server"],
        ports: &[4040, 8080, 8081, 18080, 6066, 7077],
    },
    Entry {
        name: "Dask",
        images: &["daskdev/dask", "dask/dask"],
        commands: &["dask-scheduler", "dask scheduler"],
        ports: &[8786, 8787],
    },
];

/// Debug servers enabled by flags in the command line or Java/Node option env vars.
const DEBUG: &[(&str, &[&str], u16)] = &[
    ("JDWP debugger", &["-agentlib:jdwp", "-Xrunjdwp"], 5005),
    (
        "Go pprof",
        &["--enable-pprof", "--pprof-address", "--profiling=true"],
        6060,
    ),
    ("Node inspector", &["--inspect"], 9229),
    (
        "debugpy",
        &["debugpy --listen", "-m debugpy", "ptvsd"],
        5678,
    ),
];

const OPTION_ENVS: &[&str] = &[
    "JAVA_TOOL_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "_JAVA_OPTIONS",
    "JAVA_OPTS",
    "NODE_OPTIONS",
];

fn env<'a>(c: &Container<'a>, name: &str) -> Option<&'a Node> {
    c.node
        .get("env")?
        .items()
        .iter()
        .find(|e| e.get("name").and_then(Node::as_str) == Some(name))
}

fn env_text(c: &Container<'_>, name: &str) -> Option<String> {
    env(c, name)?.get("value").and_then(Node::scalar_text)
}

/// Recognises the servers of one container (an AI server and any debug servers).
pub fn servers_of(model: &Model<'_>, w: &Workload<'_>, c: &Container<'_>) -> Vec<Server> {
    // An init container runs to completion before the pod's containers start: it serves nothing, even when it
    // uses the server's image (KubeRay samples generate TLS certificates in one).
    if c.class == ContainerClass::Init {
        return Vec::new();
    }
    let image = c.image().unwrap_or_default().to_ascii_lowercase();
    let cmd = c.command_line();
    let o = &model.objects[w.object];
    let mut out = Vec::new();
    let ray_crd = o.group == "ray.io" && w.role.starts_with("head");
    for e in CATALOG {
        let by_image = e.images.iter().any(|p| image.contains(p));
        let by_cmd = e.commands.iter().any(|p| cmd.contains(p));
        if by_image || by_cmd || (e.name == "Ray" && ray_crd) {
            out.push(Server {
                name: e.name,
                ports: e.ports,
                auth: auth_of(e.name, model, w, c, &cmd),
            });
            break;
        }
    }
    let options: String = OPTION_ENVS
        .iter()
        .filter_map(|n| env_text(c, n))
        .collect::<Vec<_>>()
        .join(" ");
    for (name, flags, port) in DEBUG {
        if let Some(f) = flags
            .iter()
            .find(|f| cmd.contains(*f) || options.contains(*f))
        {
            let ports: &'static [u16] = match *port {
                5005 => &[5005],
                6060 => &[6060],
                9229 => &[9229],
                _ => &[5678],
            };
            out.push(Server {
                name,
                ports,
                auth: Auth::Disabled(format!("`{f}` enables an unauthenticated debug endpoint")),
            });
        }
    }
    out
}

fn has_flag(cmd: &str, flag: &str) -> bool {
    cmd.split_whitespace()
        .any(|t| t == flag || t.starts_with(&format!("{flag}=")))
}

fn auth_of(name: &str, model: &Model<'_>, w: &Workload<'_>, c: &Container<'_>, cmd: &str) -> Auth {
    match name {
        "Ray" => {
            let o = &model.objects[w.object];
            let path = match o.kind {
                "RayService" => "spec.rayClusterConfig.authOptions.mode",
                "RayJob" => "spec.rayClusterSpec.authOptions.mode",
                _ => "spec.authOptions.mode",
            };
            if o.root.at(path).and_then(Node::as_str) == Some("token") {
                Auth::On("KubeRay authOptions.mode: token".into())
            } else if env_text(c, "RAY_AUTH_MODE").as_deref() == Some("token") {
                Auth::On("RAY_AUTH_MODE=token".into())
            } else {
                Auth::Off(
                    "no token authentication (authOptions.mode: token / RAY_AUTH_MODE=token)"
                        .into(),
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
            if env(c, "JUPYTER_TOKEN")
                .and_then(|e| e.get("value"))
                .is_some_and(Node::is_empty)
            {
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
            } else if env_text(c, "TS_DISABLE_TOKEN_AUTHORIZATION")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            {
                Auth::Disabled("TS_DISABLE_TOKEN_AUTHORIZATION=true".into())
            } else {
                Auth::On("token authorization is on by default".into())
            }
        }
        "Triton" if has_flag(cmd, "--http-restricted-api") => {
            Auth::On("--http-restricted-api".into())
        }
        "vLLM" => {
            if env_text(c, "VLLM_SERVER_DEV_MODE").as_deref() == Some("1") {
                Auth::Disabled("VLLM_SERVER_DEV_MODE=1 opens unauthenticated dev endpoints".into())
            } else if has_flag(cmd, "--api-key") || env(c, "VLLM_API_KEY").is_some() {
                Auth::On("--api-key / VLLM_API_KEY (covers /v1 only)".into())
            } else {
                Auth::Off("no --api-key or VLLM_API_KEY".into())
            }
        }
        "TGI" if has_flag(cmd, "--api-key") || env(c, "API_KEY").is_some() => {
            Auth::On("--api-key / API_KEY".into())
        }
        _ => Auth::Off(format!("{name} has no authentication configured here")),
    }
}
