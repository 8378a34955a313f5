# GPU inference nodes for the model servers. Good and bad settings are mixed on purpose: run
# `aisvs scan examples` and compare the findings with the comments.

# Good: IMDSv2 only, hop limit 1 (resolved from the variable default through the dynamic block).
resource "aws_launch_template" "gpu" {
  name_prefix   = "${var.name}-gpu-"
  instance_type = "g5.2xlarge"

  dynamic "metadata_options" {
    for_each = [var.metadata_options]
    content {
      http_endpoint               = "enabled"
      http_tokens                 = metadata_options.value.http_tokens
      http_put_response_hop_limit = metadata_options.value.http_put_response_hop_limit
    }
  }
}

resource "aws_eks_node_group" "gpu" {
  cluster_name  = "ml"
  node_role_arn = "arn:aws:iam::123456789012:role/ml-nodes"
  subnet_ids    = ["subnet-0a1b2c3d"]

  launch_template {
    id      = aws_launch_template.gpu.id
    version = "$Latest"
  }

  # Bad (4.4.4): SSH key without source security groups = SSH open to the world.
  remote_access {
    ec2_ssh_key = "ml-ops"
  }

  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 0
  }
}

# Bad (4.3.2): the Ray dashboard (8265) reachable from the internet; the admin CIDR rule is inconclusive
# because var.admin_cidr has no default.
resource "aws_security_group" "ray_head" {
  name = "${var.name}-ray-head"

  ingress {
    description = "OpenAI-compatible API"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "Ray dashboard"
    from_port   = 8265
    to_port     = 8265
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "ray_client" {
  type              = "ingress"
  from_port         = 10001
  to_port           = 10001
  protocol          = "tcp"
  cidr_blocks       = [var.admin_cidr]
  security_group_id = aws_security_group.ray_head.id
}
