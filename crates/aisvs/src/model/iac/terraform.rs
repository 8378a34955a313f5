//! Terraform view: blocks from `.tf` files (with `var.`/`local.` resolved where the module declares a literal
//! value) and resources from plan JSON (`terraform show -json`), both read through the same accessors.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::evidence::{Location, Subject};
use crate::model::ParsedFile;
use crate::parse::terraform::parse_hcl;
use crate::parse::{Node, Route, Value};
use crate::source::{FileId, FileKind, Span};

mod plan;
mod resolve;

pub use resolve::conditional;

/// Where a block came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TfOrigin {
    /// A `.tf` file.
    Hcl,
    /// `planned_values` of a plan JSON file.
    Plan,
}

/// One Terraform block.
#[derive(Debug, Clone)]
pub struct TfBlock {
    /// The file.
    pub file: FileId,
    /// `resource`, `data`, `module`, `variable`, `provider` …
    pub kind: String,
    /// Labels (`aws_instance`, `web`; for plan resources the type and the full address).
    pub labels: Vec<String>,
    /// Attributes and nested blocks.
    pub body: Node,
    /// The whole block.
    pub span: Span,
    /// HCL or plan JSON.
    pub origin: TfOrigin,
    /// Route of the body (`resource.aws_instance.web`, or the JSON route of `values` in a plan).
    pub base: Route,
    /// Whether the block uses `count` or `for_each` (one block, several instances).
    pub repeated: bool,
}

impl TfBlock {
    /// The first label: the resource type.
    pub fn rtype(&self) -> &str {
        self.labels.first().map_or("", String::as_str)
    }
    /// The second label: the resource name.
    pub fn name(&self) -> &str {
        self.labels.get(1).map_or("", String::as_str)
    }
    /// `aws_instance.web`.
    pub fn address(&self) -> String {
        self.labels.join(".")
    }
    /// The subject a rule reports on.
    pub fn subject(&self) -> Subject {
        Subject {
            kind: self.rtype().to_string(),
            namespace: None,
            name: self.name().to_string(),
            container: None,
            display: self.address(),
        }
    }
    /// The whole block (used when a field is missing).
    pub fn location(&self) -> Location {
        Location {
            span: self.span,
            route: self.base.to_string(),
        }
    }
    /// Follows a dotted path of attributes and nested blocks; a list (a plan-JSON block) steps into its first item.
    pub fn attr(&self, path: &str) -> Option<(&Node, Route)> {
        walk(&self.body, self.base.clone(), path)
    }
    /// Location of an attribute, or of the block when it is absent.
    pub fn attr_location(&self, path: &str) -> Location {
        match self.attr(path) {
            Some((n, r)) => Location::node(n, &r),
            None => self.location(),
        }
    }
    /// Every nested block (or list-of-object attribute) of a type, with its route.
    pub fn blocks(&self, name: &str) -> Vec<(&Node, Route)> {
        blocks_of(&self.body, &self.base, name)
    }
}

/// Every nested block called `name` in `body`: repeated HCL blocks or the items of a list.
pub fn blocks_of<'n>(body: &'n Node, base: &Route, name: &str) -> Vec<(&'n Node, Route)> {
    let mut out = Vec::new();
    for (n, e) in body.entries().iter().filter(|e| e.key == name).enumerate() {
        match &e.value.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    out.push((item, base.key(name).index(i)));
                }
            }
            _ => out.push((&e.value, base.key(name).index(n))),
        }
    }
    out
}

/// Follows a dotted path below `node`, stepping into the first item of lists.
pub fn walk<'n>(node: &'n Node, base: Route, path: &str) -> Option<(&'n Node, Route)> {
    let mut cur = node;
    let mut route = base;
    for key in path.split('.') {
        if let Value::Seq(items) = &cur.value {
            cur = items.first()?;
            route = route.index(0);
        }
        cur = cur.get(key)?;
        route = route.key(key);
    }
    Some((cur, route))
}

/// Reads every `.tf` file and plan JSON document.
pub fn build(files: &[ParsedFile], diags: &mut Vec<Diagnostic>) -> Vec<TfBlock> {
    let mut blocks = Vec::new();
    let mut dirs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for f in files {
        let src = &f.source;
        match src.kind {
            FileKind::Terraform => match parse_hcl(src.id, &src.text) {
                Ok(parsed) => {
                    let dir = src.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                    for b in parsed {
                        let base = Route(
                            std::iter::once(b.kind.clone())
                                .chain(b.labels.iter().cloned())
                                .map(crate::parse::Seg::Key)
                                .collect(),
                        );
                        let repeated =
                            b.body.get("count").is_some() || b.body.get("for_each").is_some();
                        dirs.entry(dir.clone()).or_default().push(blocks.len());
                        blocks.push(TfBlock {
                            file: src.id,
                            kind: b.kind,
                            labels: b.labels,
                            body: b.body,
                            span: b.span,
                            origin: TfOrigin::Hcl,
                            base,
                            repeated,
                        });
                    }
                }
                Err(e) => diags.push(Diagnostic::error(&src.path, e.line(), e.to_string())),
            },
            FileKind::Json => {
                for doc in &f.docs {
                    plan::read_plan(src.id, &src.path, &doc.root, &mut blocks, diags);
                }
            }
            _ => {}
        }
    }
    for members in dirs.values() {
        resolve::resolve_module_values(&mut blocks, members);
    }
    blocks
}
