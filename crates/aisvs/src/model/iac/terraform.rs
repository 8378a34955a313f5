//! Terraform view: blocks from `.tf` files (with `var.`/`local.` resolved where the module declares a literal
//! value) and resources from plan JSON (`terraform show -json`), both read through the same accessors.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::evidence::{Location, Subject};
use crate::model::ParsedFile;
use crate::parse::terraform::parse_hcl;
use crate::parse::{Node, Route, Value};
use crate::source::{FileId, FileKind, Span};

/// Plan JSON `format_version` majors this reader understands.
const PLAN_FORMAT_MAJOR: &str = "1";
/// Child modules nested deeper than this in plan JSON are not read.
const MAX_MODULE_DEPTH: usize = 16;

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
                    read_plan(src.id, &src.path, &doc.root, &mut blocks, diags);
                }
            }
            _ => {}
        }
    }
    for members in dirs.values() {
        resolve_module_values(&mut blocks, members);
    }
    blocks
}

/// Replaces `${var.x}` / `${local.x}` by the literal default / local value declared in the same module.
fn resolve_module_values(blocks: &mut [TfBlock], members: &[usize]) {
    let mut known: BTreeMap<String, Node> = BTreeMap::new();
    for &i in members {
        let b = &blocks[i];
        if b.kind == "variable" {
            if let Some(d) = b.body.get("default").filter(|d| !contains_expression(d)) {
                known.insert(format!("${{var.{}}}", b.rtype()), d.clone());
            }
        } else if b.kind == "locals" {
            for e in b.body.entries() {
                if !contains_expression(&e.value) {
                    known.insert(format!("${{local.{}}}", e.key), e.value.clone());
                }
            }
        }
    }
    if known.is_empty() {
        return;
    }
    for &i in members {
        if matches!(blocks[i].kind.as_str(), "resource" | "data" | "module") {
            substitute(&mut blocks[i].body, &known, 0);
            expand_dynamic(&mut blocks[i].body, 0);
        }
    }
}

/// A `dynamic` block whose `for_each` is a one-item list of an object: `${<iterator>.value.<field>}` in its content
/// becomes that object's field (the `for_each = [var.options]` pattern of most public modules).
fn expand_dynamic(node: &mut Node, depth: usize) {
    if depth > 32 {
        return;
    }
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    for e in entries.iter_mut() {
        expand_dynamic(&mut e.value, depth + 1);
        let item = match e.value.get("__for_each").map(|f| &f.value) {
            Some(Value::Seq(items)) if items.len() == 1 && items[0].is_map() => items[0].clone(),
            _ => continue,
        };
        let iterator = e
            .value
            .get("__iterator")
            .and_then(Node::as_str)
            .unwrap_or(&e.key)
            .to_string();
        let mut known = BTreeMap::new();
        for field in item.entries() {
            known.insert(
                format!("${{{iterator}.value.{}}}", field.key),
                field.value.clone(),
            );
        }
        substitute(&mut e.value, &known, 0);
    }
}

/// The `for_each` of a `dynamic` block when it is an unresolved expression (the block may or may not exist).
pub fn conditional(node: &Node) -> Option<&Node> {
    node.get("__for_each").filter(|f| f.is_templated())
}

fn contains_expression(n: &Node) -> bool {
    match &n.value {
        Value::Str(_) => n.is_templated(),
        Value::Seq(items) => items.iter().any(contains_expression),
        Value::Map(entries) => entries.iter().any(|e| contains_expression(&e.value)),
        _ => false,
    }
}

fn substitute(node: &mut Node, known: &BTreeMap<String, Node>, depth: usize) {
    if depth > 64 {
        return;
    }
    match &mut node.value {
        Value::Str(s) => {
            if let Some(v) = known.get(s.as_str()) {
                // Keep the span of the reference: findings point at the place that uses the value.
                node.value = v.value.clone();
            }
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|x| substitute(x, known, depth + 1)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|e| substitute(&mut e.value, known, depth + 1)),
        _ => {}
    }
}

/// Resources of `planned_values` in a plan JSON document (other JSON documents are left alone).
fn read_plan(
    file: FileId,
    path: &str,
    root: &Node,
    out: &mut Vec<TfBlock>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(version) = root.get("format_version").and_then(Node::as_str) else {
        return;
    };
    let Some(module) = root.at("planned_values.root_module") else {
        return;
    };
    if version.split('.').next() != Some(PLAN_FORMAT_MAJOR) {
        diags.push(Diagnostic::warning(
            path,
            0,
            format!("Terraform plan format_version {version} is not supported (major {PLAN_FORMAT_MAJOR} expected); plan not analysed"),
        ));
        return;
    }
    read_plan_module(
        file,
        module,
        Route::root().keys("planned_values.root_module"),
        out,
        0,
    );
}

fn read_plan_module(
    file: FileId,
    module: &Node,
    route: Route,
    out: &mut Vec<TfBlock>,
    depth: usize,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    for (i, r) in module
        .get("resources")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
    {
        let kind = match r.get("mode").and_then(Node::as_str) {
            Some("data") => "data",
            _ => "resource",
        };
        let (Some(rtype), Some(address)) = (
            r.get("type").and_then(Node::as_str),
            r.get("address").and_then(Node::as_str),
        ) else {
            continue;
        };
        let Some(values) = r.get("values") else {
            continue;
        };
        let name = address
            .strip_prefix(&format!("{rtype}."))
            .unwrap_or(address);
        out.push(TfBlock {
            file,
            kind: kind.into(),
            labels: vec![rtype.to_string(), name.to_string()],
            body: values.clone(),
            span: r.span,
            origin: TfOrigin::Plan,
            base: route.key("resources").index(i).key("values"),
            repeated: r.get("index").is_some(),
        });
    }
    for (i, child) in module
        .get("child_modules")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
    {
        read_plan_module(
            file,
            child,
            route.key("child_modules").index(i),
            out,
            depth + 1,
        );
    }
}
