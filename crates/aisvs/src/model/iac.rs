//! Infrastructure-as-code model: typed views over Terraform (HCL and plan JSON), Dockerfiles, Compose files and CI
//! pipelines (GitHub Actions workflows and composite actions, GitLab CI), each with routes and spans.

pub mod ci;
pub mod compose;
pub mod docker;
pub mod terraform;
pub mod vault;
pub mod vault_env;

use crate::diag::Diagnostic;
use crate::source::{FileId, FileKind};

use super::ParsedFile;

pub use ci::{CiJob, CiKind, CiPipeline, CiStep};
pub use compose::{ComposeFile, ComposeService};
pub use docker::{DockerStage, Dockerfile};
pub use terraform::{TfBlock, TfOrigin};
pub use vault::VaultServerConfig;
pub use vault_env::SealTypeEnv;

/// Typed views over Terraform, Dockerfiles, Compose files and CI workflows.
#[derive(Debug, Default)]
pub struct IacModel<'a> {
    /// Every Terraform block (resources, data sources, modules, variables …) from `.tf` files and plan JSON.
    pub terraform: Vec<TfBlock>,
    /// Every Dockerfile / Containerfile.
    pub dockerfiles: Vec<Dockerfile>,
    /// Every Compose file.
    pub compose: Vec<ComposeFile<'a>>,
    /// Every CI pipeline definition.
    pub pipelines: Vec<CiPipeline<'a>>,
    /// Shell scripts and entrypoints (text files a container may run at start-up).
    pub scripts: Vec<FileId>,
    /// `.env` files.
    pub env_files: Vec<FileId>,
    /// Vault server configuration files (`*.hcl`).
    pub vault: Vec<VaultServerConfig>,
    /// `VAULT_SEAL_TYPE` settings (container env, Helm values, Compose, Dockerfile `ENV`, `.env` files).
    pub vault_seal_env: Vec<SealTypeEnv>,
}

impl<'a> IacModel<'a> {
    /// Builds the IaC model from the parsed files; unparseable HCL, unknown Dockerfile instructions and plan JSON
    /// of an unsupported format version become diagnostics.
    pub fn build(files: &'a [ParsedFile], diags: &mut Vec<Diagnostic>) -> Self {
        let mut model = IacModel {
            terraform: terraform::build(files, diags),
            vault: vault::build(files, diags),
            ..IacModel::default()
        };
        for f in files {
            let src = &f.source;
            match src.kind {
                FileKind::Dockerfile => model.dockerfiles.push(Dockerfile::build(src, diags)),
                FileKind::Text => {
                    let name = src.path.rsplit('/').next().unwrap_or(&src.path);
                    if name == ".env" || name.ends_with(".env") {
                        model.env_files.push(src.id);
                    } else if name.ends_with(".sh") || name.eq_ignore_ascii_case("entrypoint") {
                        model.scripts.push(src.id);
                    }
                }
                FileKind::Yaml | FileKind::Json => {
                    for doc in &f.docs {
                        if let Some(p) = CiPipeline::classify(src, doc) {
                            model.pipelines.push(p);
                        } else if let Some(c) = ComposeFile::classify(src, doc) {
                            model.compose.push(c);
                        }
                    }
                }
                FileKind::Terraform => {}
            }
        }
        model.vault_seal_env = vault_env::find(files, &model.dockerfiles, &model.env_files);
        model
    }

    /// Terraform resources (not data sources) of the given types.
    pub fn resources<'s>(&'s self, types: &'s [&str]) -> impl Iterator<Item = &'s TfBlock> + 's {
        self.terraform
            .iter()
            .filter(move |b| b.kind == "resource" && types.contains(&b.rtype()))
    }
}
