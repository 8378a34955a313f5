//! Dockerfile parsing with spans (filled in by the IaC work).
