//! Ports an AI server is told to listen on besides its defaults: `--port 9000`, `--dashboard-port=8266`,
//! `--server.port` (Streamlit), `--ServerApp.port` (Jupyter), `--http-port` (Triton) and `OLLAMA_HOST`.
//! Without them a server moved to another port would look unexposed when that port is published.

use super::ai_servers::Launch;

/// Flags whose value is a port the server listens on.
const PORT_FLAGS: &[&str] = &[
    "--port",
    "--dashboard-port",
    "--ray-client-server-port",
    "--server.port",
    "--ServerApp.port",
    "--NotebookApp.port",
    "--http-port",
    "--grpc-port",
];

/// Every port set by a listen flag in the command line or by `OLLAMA_HOST`.
pub fn configured_ports(launch: &Launch) -> Vec<u16> {
    let mut out = Vec::new();
    let words: Vec<&str> = launch.cmd.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        for flag in PORT_FLAGS {
            let value = match word.strip_prefix(flag) {
                Some("") => words.get(i + 1).copied(),
                Some(rest) => rest.strip_prefix('='),
                None => None,
            };
            if let Some(port) = value.and_then(|v| v.trim_matches(['"', '\'']).parse().ok()) {
                out.push(port);
            }
        }
    }
    // `OLLAMA_HOST=0.0.0.0:8080` or `http://[::]:8080`; a bare host keeps the default port.
    if let Some(port) = launch
        .env_text("OLLAMA_HOST")
        .and_then(|host| host.rsplit_once(':'))
        .and_then(|(_, port)| port.trim_end_matches('/').parse().ok())
    {
        out.push(port);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(cmd: &str, env: &[(&str, &str)]) -> Launch {
        Launch {
            cmd: cmd.into(),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_string(), Some((*v).to_string())))
                .collect(),
            ..Launch::default()
        }
    }

    #[test]
    fn flags_in_both_spellings_and_ollama_host() {
        let vllm = launch("--model m --port 9000", &[]);
        assert_eq!(configured_ports(&vllm), [9000]);
        let ray = launch("ray start --head --dashboard-port=8266 --block", &[]);
        assert_eq!(configured_ports(&ray), [8266]);
        let ollama = launch("serve", &[("OLLAMA_HOST", "http://0.0.0.0:8080")]);
        assert_eq!(configured_ports(&ollama), [8080]);
    }

    #[test]
    fn other_flags_and_bare_hosts_add_nothing() {
        let other = launch(
            "--port-range 1-2 --portal x --port $PORT",
            &[("OLLAMA_HOST", "0.0.0.0")],
        );
        assert!(configured_ports(&other).is_empty());
    }
}
