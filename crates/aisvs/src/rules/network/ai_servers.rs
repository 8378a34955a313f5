//! Catalog of AI serving stacks, notebooks, dashboards and debug servers: how to recognise each from image,
//! command and CRD, its admin/debug ports, and how its own authentication is switched on or off.
//! Facts: shared/knowledge/kubernetes-and-ai-serving.md §4.3.2 B and C.

use std::collections::BTreeMap;

use crate::model::{Container, ContainerClass, Model, Workload};
use crate::parse::Node;

use super::ai_listen_ports::configured_ports;
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
    /// Off as far as the files show, but the setting that switches it on may come from where they do not
    /// (`envFrom`, a Compose `env_file`).
    Unknown(String),
}

/// A recognised server in a container.
#[derive(Debug, Clone)]
pub struct Server {
    /// Display name.
    pub name: &'static str,
    /// Admin / debug ports (a reachable one needs auth): the defaults plus any set by listen flags.
    pub ports: Vec<u16>,
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

/// How a server process is started, whatever declares it (a Kubernetes container, a Compose service).
#[derive(Debug, Default)]
pub struct Launch {
    /// The image reference as written (`pytorch/torchserve:0.9.0-cpu`).
    pub image: String,
    /// Entrypoint/command and arguments, joined by spaces.
    pub cmd: String,
    /// Environment: name → literal value, `None` when the value comes from elsewhere (a Secret, the shell).
    pub env: BTreeMap<String, Option<String>>,
    /// A KubeRay head whose CR sets `authOptions.mode: token`.
    pub kuberay_token_auth: bool,
    /// A KubeRay head (Ray runs there whatever the image).
    pub kuberay_head: bool,
    /// Where more environment comes from that the files do not show (`envFrom`, `env_file`), if anywhere.
    pub env_elsewhere: Option<String>,
}

impl Launch {
    /// The literal value of an environment variable.
    pub fn env_text(&self, name: &str) -> Option<&str> {
        self.env.get(name)?.as_deref()
    }

    /// What a Kubernetes container starts: a variable with neither `value` nor `valueFrom` is set to "".
    pub fn of_container(model: &Model<'_>, w: &Workload<'_>, c: &Container<'_>) -> Self {
        let o = &model.objects[w.object];
        let kuberay_head = o.group == "ray.io" && w.role.starts_with("head");
        let auth_path = match o.kind {
            "RayService" => "spec.rayClusterConfig.authOptions.mode",
            "RayJob" => "spec.rayClusterSpec.authOptions.mode",
            _ => "spec.authOptions.mode",
        };
        let mut env = BTreeMap::new();
        for item in c.node.get("env").map(Node::items).unwrap_or(&[]) {
            let Some(name) = item.get("name").and_then(Node::as_str) else {
                continue;
            };
            let value = match (item.get("value"), item.get("valueFrom")) {
                (Some(v), _) => Some(v.scalar_text().unwrap_or_default()),
                (None, Some(_)) => None,
                (None, None) => Some(String::new()),
            };
            env.insert(name.to_string(), value);
        }
        Launch {
            image: c.image().unwrap_or_default().to_string(),
            cmd: c.command_line(),
            env,
            kuberay_token_auth: kuberay_head
                && o.root.at(auth_path).and_then(Node::as_str) == Some("token"),
            kuberay_head,
            env_elsewhere: env_source(c.node, "envFrom"),
        }
    }
}

/// `key` (`envFrom`, `env_file`) when `node` loads environment from somewhere the files do not show.
pub fn env_source(node: &Node, key: &str) -> Option<String> {
    node.get(key)
        .is_some_and(|n| !n.is_empty())
        .then(|| key.to_string())
}

/// Recognises the servers of one Kubernetes container (an AI server and any debug servers).
pub fn servers_of(model: &Model<'_>, w: &Workload<'_>, c: &Container<'_>) -> Vec<Server> {
    // An init container runs to completion before the pod's containers start: it serves nothing, even when it
    // uses the server's image (KubeRay samples generate TLS certificates in one).
    if c.class == ContainerClass::Init {
        return Vec::new();
    }
    servers_in(&Launch::of_container(model, w, c))
}

/// Recognises the servers a launch starts (an AI server and any debug servers).
pub fn servers_in(launch: &Launch) -> Vec<Server> {
    let image = launch.image.to_ascii_lowercase();
    let cmd = &launch.cmd;
    let mut out = Vec::new();
    for e in CATALOG {
        let by_image = e.images.iter().any(|p| image.contains(p));
        let by_cmd = e.commands.iter().any(|p| cmd.contains(p));
        if by_image || by_cmd || (e.name == "Ray" && launch.kuberay_head) {
            let mut ports = e.ports.to_vec();
            ports.extend(configured_ports(launch));
            out.push(Server {
                name: e.name,
                ports,
                auth: auth_of(e.name, launch),
            });
            break;
        }
    }
    let options: String = OPTION_ENVS
        .iter()
        .filter_map(|n| launch.env_text(n))
        .collect::<Vec<_>>()
        .join(" ");
    for (name, flags, port) in DEBUG {
        if let Some(f) = flags
            .iter()
            .find(|f| cmd.contains(*f) || options.contains(*f))
        {
            out.push(Server {
                name,
                ports: vec![*port],
                auth: Auth::Disabled(format!("`{f}` enables an unauthenticated debug endpoint")),
            });
        }
    }
    out
}
