//! Catalog of AI serving stacks, notebooks, dashboards and debug servers: how to recognise each from image,
//! command and CRD, its admin/debug ports, and how its own authentication is switched on or off.
//! Facts: shared/knowledge/kubernetes-and-ai-serving.md §4.3.2 B and C.

use crate::model::{Container, ContainerClass, Model, Workload};
use crate::parse::Node;

use super::ai_server_auth::auth_of;

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

pub(super) fn env<'a>(c: &Container<'a>, name: &str) -> Option<&'a Node> {
    c.node
        .get("env")?
        .items()
        .iter()
        .find(|e| e.get("name").and_then(Node::as_str) == Some(name))
}

pub(super) fn env_text(c: &Container<'_>, name: &str) -> Option<String> {
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
