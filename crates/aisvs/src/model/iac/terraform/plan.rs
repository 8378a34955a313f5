//! Terraform plan JSON (`terraform show -json`): the resources of `planned_values`, child modules included.

use crate::diag::Diagnostic;
use crate::parse::{Node, Route};
use crate::source::FileId;

use super::{TfBlock, TfOrigin};

/// Plan JSON `format_version` majors this reader understands.
const PLAN_FORMAT_MAJOR: &str = "1";
/// Child modules nested deeper than this in plan JSON are not read.
const MAX_MODULE_DEPTH: usize = 16;

/// Resources of `planned_values` in a plan JSON document (other JSON documents are left alone).
pub fn read_plan(
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
