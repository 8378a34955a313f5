//! Tests of the HCL reader: spans, nested blocks, heredocs, jsonencode, dynamic blocks and syntax errors.
use super::*;

#[test]
fn blocks_attributes_and_nested_blocks_keep_spans() {
    let src = "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  count = 2\n  metadata_options {\n    http_tokens = \"required\"\n  }\n  tags = { Name = var.name }\n}\n";
    let blocks = parse_hcl(0, src).unwrap();
    assert_eq!(blocks.len(), 1);
    let b = &blocks[0];
    assert_eq!(b.kind, "resource");
    assert_eq!(b.labels, vec!["aws_instance", "web"]);
    let tokens = b.body.at("metadata_options.http_tokens").unwrap();
    assert_eq!(tokens.as_str(), Some("required"));
    assert_eq!(&src[tokens.span.start()..tokens.span.end()], "\"required\"");
    assert_eq!(b.body.get("count").and_then(Node::as_i64), Some(2));
    let name = b.body.at("tags.Name").unwrap();
    assert!(name.is_templated());
    assert_eq!(name.as_str(), Some("${var.name}"));
}

#[test]
fn heredoc_and_jsonencode_become_values() {
    let src = "resource \"x\" \"y\" {\n  a = <<-EOT\n    line one\n      two\n  EOT\n  b = jsonencode([{ privileged = true }])\n}\n";
    let blocks = parse_hcl(0, src).unwrap();
    let body = &blocks[0].body;
    assert_eq!(
        body.get("a").and_then(Node::as_str),
        Some("line one\n  two")
    );
    let first = &body.get("b").unwrap().items()[0];
    assert_eq!(first.get("privileged").and_then(Node::as_bool), Some(true));
}

#[test]
fn syntax_errors_name_the_line() {
    let err = parse_hcl(0, "resource \"a\" \"b\" {\n  x = = 1\n}\n").unwrap_err();
    assert_eq!(err.line(), 2);
    let deep = format!("x = {}", "[".repeat(500));
    assert!(matches!(
        parse_hcl(0, &deep),
        Err(HclError::TooDeep { line: 1 })
    ));
}
