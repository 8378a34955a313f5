//! The one catalog of secret formats (cloud, Git hosts, AI providers) plus entropy, and redaction for output.
