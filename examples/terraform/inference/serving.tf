# Good (4.1.2, 4.1.3, 4.1.5): the tokenizer runs on Fargate (one microVM per task), drops every capability
# and has a read-only root filesystem.
resource "aws_ecs_task_definition" "tokenizer" {
  family                   = "tokenizer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  container_definitions = jsonencode([
    {
      name                   = "tokenizer"
      image                  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/tokenizer@sha256:5f0c6e1bd3e1c4b2a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7"
      readonlyRootFilesystem = true
      linuxParameters = {
        capabilities = { drop = ["ALL"] }
      }
    }
  ])
}
