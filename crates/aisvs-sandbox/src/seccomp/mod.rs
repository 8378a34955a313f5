//! Seccomp profiles: recording a workload-specific profile, reading OCI/Kubernetes profiles, and analysing them.
