# Good (4.4.2, 4.4.1): a rotating KMS key whose use CloudTrail records.
resource "aws_kms_key" "models" {
  description             = "Encrypts model artefacts and the HF token"
  enable_key_rotation     = true
  rotation_period_in_days = 90
}

resource "aws_cloudtrail" "main" {
  name                  = "ml-audit"
  s3_bucket_name        = "acme-ml-audit"
  is_multi_region_trail = true
}

# Good (4.4.1): the Hugging Face token rotates monthly.
resource "aws_secretsmanager_secret" "hf_token" {
  name       = "ml/hf-token"
  kms_key_id = aws_kms_key.models.arn
}

resource "aws_secretsmanager_secret_rotation" "hf_token" {
  secret_id           = aws_secretsmanager_secret.hf_token.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate-hf-token"
  rotation_rules {
    schedule_expression = "rate(30 days)"
  }
}

# Bad (4.4.1): the vector-store password never rotates.
resource "aws_secretsmanager_secret" "vector_db" {
  name = "ml/vector-db"
}
