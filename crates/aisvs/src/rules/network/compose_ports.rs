//! Which container ports a Compose service publishes beyond loopback: `ports:` in short syntax
//! (`"8265"`, `"8000:8000"`, `"127.0.0.1:8001:8001"`, `"[::1]:6000:6000"`, ranges, `/udp`) and long syntax
//! (`target`, `host_ip`), `network_mode: host`, which puts every port on the host's interfaces, and
//! `network_mode: service:NAME`, which reaches the service through NAME's published ports.

use crate::evidence::Location;
use crate::model::iac::compose::ComposeService;
use crate::parse::Node;

/// One container port published, or possibly published, beyond loopback.
#[derive(Debug, Clone, PartialEq)]
pub enum Published {
    /// Listening on every host interface: the container ports `first..=last`, or every port when `None`
    /// (`network_mode: host`).
    AllInterfaces {
        ports: Option<(u16, u16)>,
        how: String,
        at: Location,
    },
    /// Published, but the host IP or the port is a variable, so where it listens is unknown.
    Unknown {
        ports: Option<(u16, u16)>,
        how: String,
        at: Location,
    },
}

/// `network_mode: service:…` chains longer than this are not followed (real files have one hop).
const MAX_HOPS: usize = 4;

impl Published {
    /// The same port, reached through the network namespace of another service.
    fn through(self, service: &str) -> Self {
        let relabel =
            |how: String| format!("{how} on service `{service}`, whose network it shares");
        match self {
            Published::AllInterfaces { ports, how, at } => Published::AllInterfaces {
                ports,
                how: relabel(how),
                at,
            },
            Published::Unknown { ports, how, at } => Published::Unknown {
                ports,
                how: relabel(how),
                at,
            },
        }
    }
}

/// Every container port the service publishes beyond loopback, its own and, with `network_mode: service:NAME`,
/// those of the service whose network namespace it joins (siblings are the file's services).
pub fn published_ports(
    service: &ComposeService<'_>,
    siblings: &[ComposeService<'_>],
) -> Vec<Published> {
    let mut out = own_published_ports(service);
    let mut current = service;
    for _ in 0..MAX_HOPS {
        let Some((mode, at)) = current.field("network_mode") else {
            break;
        };
        let mode = mode.as_str().unwrap_or_default();
        if let Some(target) = mode.strip_prefix("service:") {
            let Some(next) = siblings.iter().find(|s| s.name == target) else {
                break;
            };
            out.extend(
                own_published_ports(next)
                    .into_iter()
                    .map(|p| p.through(target)),
            );
            current = next;
        } else {
            if mode.starts_with("container:") {
                out.push(Published::Unknown {
                    ports: None,
                    how: format!("`network_mode: {mode}` joins a container the files do not show"),
                    at,
                });
            }
            break;
        }
    }
    out
}

/// The ports one service publishes itself (and `network_mode: host`).
fn own_published_ports(service: &ComposeService<'_>) -> Vec<Published> {
    let mut out = Vec::new();
    if let Some((mode, at)) = service.field("network_mode") {
        if mode.as_str() == Some("host") {
            out.push(Published::AllInterfaces {
                ports: None,
                how: "network_mode: host".into(),
                at,
            });
        }
    }
    let Some((ports, _)) = service.field("ports") else {
        return out;
    };
    let route = service.route.key("ports");
    for (i, item) in ports.items().iter().enumerate() {
        let at = Location::node(item, &route.index(i));
        let (host_ip, container) = match item.scalar_text() {
            Some(short) => short_syntax(&short),
            None => (
                item.get("host_ip").and_then(Node::scalar_text),
                item.get("target")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
            ),
        };
        let shown = item
            .scalar_text()
            .map_or_else(|| format!("ports[{i}]"), |s| format!("\"{s}\""));
        let templated = |s: &str| s.contains('$');
        let listens_everywhere = match host_ip.as_deref() {
            None | Some("" | "0.0.0.0" | "::" | "[::]") => Some(true),
            Some(ip) if templated(ip) => None,
            Some(ip) => Some(!is_loopback(ip)),
        };
        let Some(ports) = container_ports(&container) else {
            // A variable, or text that is no port: which port it is stays open.
            out.push(Published::Unknown {
                ports: None,
                how: if templated(&container) {
                    format!("{shown} publishes a port given by a variable")
                } else {
                    format!("{shown} publishes a port this rule cannot read (`{container}`)")
                },
                at,
            });
            continue;
        };
        match listens_everywhere {
            Some(false) => {}
            Some(true) => out.push(Published::AllInterfaces {
                ports: Some(ports),
                how: shown,
                at,
            }),
            None => out.push(Published::Unknown {
                ports: Some(ports),
                how: format!("{shown} binds a variable host IP"),
                at,
            }),
        }
    }
    out
}

/// `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` → (host IP, container port or range).
fn short_syntax(spec: &str) -> (Option<String>, String) {
    // `${PORT:-8000}` holds a colon of its own: each interpolation becomes `$VAR` before splitting.
    let masked = mask_interpolations(spec);
    let spec = masked.split('/').next().unwrap_or_default().trim();
    let Some((rest, container)) = spec.rsplit_once(':') else {
        return (None, spec.to_string());
    };
    // `rest` is HOST_PORT, IP:HOST_PORT, [IPv6]:HOST_PORT or IP: (an empty host port).
    let host_ip = match rest.rsplit_once(':') {
        Some((ip, _)) if !ip.is_empty() => Some(ip.trim_matches(['[', ']']).to_string()),
        Some(_) => None,
        None if rest.contains('.') => Some(rest.to_string()),
        None => None,
    };
    (host_ip, container.to_string())
}

/// Replaces every `${…}` with `$VAR`, so that separators inside it are not read as the spec's own.
fn mask_interpolations(spec: &str) -> String {
    let mut out = String::with_capacity(spec.len());
    let mut rest = spec;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str("$VAR");
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A container port or range (`8000`, `8000-8010`) as `(first, last)`; nothing for a variable or other text.
fn container_ports(spec: &str) -> Option<(u16, u16)> {
    let parse = |s: &str| s.trim().parse::<u16>().ok();
    match spec.split_once('-') {
        Some((a, b)) => Some((parse(a)?, parse(b)?)).filter(|(a, b)| a <= b),
        None => parse(spec).map(|p| (p, p)),
    }
}

fn is_loopback(ip: &str) -> bool {
    ip.starts_with("127.") || ip == "::1" || ip.eq_ignore_ascii_case("localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_syntax_forms() {
        let own = |ip: Option<&str>, port: &str| (ip.map(str::to_string), port.to_string());
        assert_eq!(short_syntax("8265"), own(None, "8265"));
        assert_eq!(short_syntax("8000:8000"), own(None, "8000"));
        assert_eq!(
            short_syntax("127.0.0.1:8001:8001"),
            own(Some("127.0.0.1"), "8001")
        );
        assert_eq!(
            short_syntax("127.0.0.1::5000"),
            own(Some("127.0.0.1"), "5000")
        );
        assert_eq!(short_syntax("[::1]:6000:6000"), own(Some("::1"), "6000"));
        assert_eq!(short_syntax("6060:6060/udp"), own(None, "6060"));
        assert_eq!(short_syntax("9090-9091:8080-8081"), own(None, "8080-8081"));
        assert_eq!(
            short_syntax("${BIND}:11434:11434"),
            own(Some("$VAR"), "11434")
        );
    }

    #[test]
    fn interpolations_with_defaults_keep_their_colons() {
        let own = |ip: Option<&str>, port: &str| (ip.map(str::to_string), port.to_string());
        assert_eq!(short_syntax("${PORT:-8000}:8000"), own(None, "8000"));
        assert_eq!(
            short_syntax("${HOST:-127.0.0.1}:${PORT:-8888}:8888"),
            own(Some("$VAR"), "8888")
        );
        assert_eq!(short_syntax("${CONTAINER_PORT:-8265}"), own(None, "$VAR"));
        assert_eq!(mask_interpolations("${A:-1}:${B"), "$VAR:${B");
    }

    #[test]
    fn ports_and_ranges() {
        assert_eq!(container_ports("8080-8082"), Some((8080, 8082)));
        assert_eq!(container_ports("8265"), Some((8265, 8265)));
        assert_eq!(container_ports("1-65535"), Some((1, 65535)));
        assert_eq!(container_ports("9-1"), None);
        assert_eq!(container_ports("$VAR"), None);
    }

    #[test]
    fn loopback_addresses() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("10.0.0.5"));
    }
}
