//! Compose view: a YAML document whose `services` mapping holds containers with `image` or `build`.

use crate::evidence::{Location, Subject};
use crate::parse::{Document, Node, Route};
use crate::source::{FileId, SourceFile};

/// One Compose file (one YAML document).
#[derive(Debug)]
pub struct ComposeFile<'a> {
    /// The file.
    pub file: FileId,
    /// Its path.
    pub path: &'a str,
    /// The document root.
    pub root: &'a Node,
    /// Its services.
    pub services: Vec<ComposeService<'a>>,
}

/// One service.
#[derive(Debug)]
pub struct ComposeService<'a> {
    /// Service name.
    pub name: String,
    /// The service mapping.
    pub node: &'a Node,
    /// `services.<name>`.
    pub route: Route,
    /// The file's path.
    pub path: &'a str,
}

impl<'a> ComposeFile<'a> {
    /// Recognises a Compose document: a top-level `services` mapping whose entries are mappings, at least one with
    /// `image` or `build`, and no Kubernetes `apiVersion`/`kind`.
    pub fn classify(src: &'a SourceFile, doc: &'a Document) -> Option<Self> {
        let root = &doc.root;
        if root.get("apiVersion").is_some() || root.get("kind").is_some() {
            return None;
        }
        let services = root.get("services")?;
        let entries = services.entries();
        if entries.is_empty()
            || !entries.iter().all(|e| e.value.is_map())
            || !entries
                .iter()
                .any(|e| e.value.get("image").is_some() || e.value.get("build").is_some())
        {
            return None;
        }
        let path: &'a str = &src.path;
        Some(ComposeFile {
            file: src.id,
            path,
            root,
            services: entries
                .iter()
                .map(|e| ComposeService {
                    name: e.key.to_string(),
                    node: &e.value,
                    route: Route::root().key("services").key(&e.key),
                    path,
                })
                .collect(),
        })
    }
}

impl ComposeService<'_> {
    /// The subject: `compose:<path>/service:<name>`.
    pub fn subject(&self) -> Subject {
        Subject {
            kind: "compose_service".into(),
            namespace: None,
            name: self.path.to_string(),
            container: Some(self.name.clone()),
            display: format!("compose:{}/service:{}", self.path, self.name),
        }
    }
    /// A field of the service with its location, if present.
    pub fn field(&self, key: &str) -> Option<(&Node, Location)> {
        self.node
            .get(key)
            .map(|n| (n, Location::node(n, &self.route.key(key))))
    }
    /// The service's own location (for missing fields).
    pub fn location(&self) -> Location {
        Location::node(self.node, &self.route)
    }
}
