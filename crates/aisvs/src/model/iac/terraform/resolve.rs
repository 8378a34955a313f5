//! Module-local evaluation: `var.x` defaults, literal locals and single-item `dynamic` blocks are substituted in place.

use std::collections::BTreeMap;

use crate::parse::{Node, Value};

use super::TfBlock;

/// Replaces `${var.x}` / `${local.x}` by the literal default / local value declared in the same module.
pub fn resolve_module_values(blocks: &mut [TfBlock], members: &[usize]) {
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
