//! Terraform HCL parsing with spans (filled in by the IaC work).
