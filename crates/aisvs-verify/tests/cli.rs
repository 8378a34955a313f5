//! The `aisvs verify` CLI module: argument parsing and exit codes 0 / 1 / 2 (DESIGN.md).

mod common;

use aisvs_verify::cli::{run, VerifyCommand};
use clap::Parser;
use common::{vectors, GG, GH};

#[derive(Parser)]
struct Harness {
    #[command(subcommand)]
    cmd: VerifyCommand,
}

fn exit_code(args: &[&str]) -> i32 {
    let mut argv = vec!["verify".to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    match Harness::try_parse_from(argv) {
        Ok(h) => run(h.cmd),
        Err(_) => 2, // clap usage error (the real binary exits 2 for these too)
    }
}

fn v(path: &str) -> String {
    vectors().join(path).display().to_string()
}

const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

#[test]
fn bundle_exit_codes() {
    let bundle = v("sigstore-conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json");
    let artifact = v("sigstore-conformance/bundle-verify/a.txt");
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--artifact",
            &artifact,
            "--identity",
            BEACON,
            "--issuer",
            GH
        ]),
        0
    );
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--artifact",
            &artifact,
            "--identity-regex",
            "https://github\\.com/sigstore-conformance/.*",
            "--issuer",
            GH,
            "--format",
            "json"
        ]),
        0
    );
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--artifact",
            &artifact,
            "--identity",
            "x@y.z",
            "--issuer",
            GH
        ]),
        1
    );
    // Usage: no identity, bad regex, missing artifact; input: unreadable bundle.
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--artifact",
            &artifact,
            "--issuer",
            GH
        ]),
        2
    );
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--artifact",
            &artifact,
            "--identity-regex",
            "(",
            "--issuer",
            GH
        ]),
        2
    );
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--identity",
            BEACON,
            "--issuer",
            GH
        ]),
        2
    );
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            "/nonexistent.json",
            "--artifact",
            &artifact,
            "--identity",
            BEACON,
            "--issuer",
            GH
        ]),
        2
    );
    assert_eq!(
        exit_code(&[
            "bundle",
            "--bundle",
            &bundle,
            "--digest",
            "sha256:zz",
            "--identity",
            BEACON,
            "--issuer",
            GH
        ]),
        2
    );
}

#[test]
fn provenance_exit_codes() {
    let prov = v("slsa-verifier/gha_generic-v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl");
    let digest = "sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa";
    let source = "github.com/slsa-framework/example-package";
    assert_eq!(
        exit_code(&[
            "provenance",
            "--provenance",
            &prov,
            "--digest",
            digest,
            "--source-uri",
            source,
            "--source-tag",
            "v14"
        ]),
        0
    );
    assert_eq!(
        exit_code(&[
            "provenance",
            "--provenance",
            &prov,
            "--digest",
            digest,
            "--source-uri",
            source,
            "--source-branch",
            "main"
        ]),
        1
    );
    let untrusted = format!("{GG}not-trusted.yml");
    assert_eq!(
        exit_code(&[
            "provenance",
            "--provenance",
            &prov,
            "--digest",
            digest,
            "--source-uri",
            source,
            "--builder-id",
            &untrusted
        ]),
        1
    );
    // No expected source: never verified.
    assert_eq!(
        exit_code(&["provenance", "--provenance", &prov, "--digest", digest]),
        1
    );
    let conflicting = [
        "provenance",
        "--provenance",
        &prov,
        "--digest",
        digest,
        "--source-tag",
        "v1",
        "--source-branch",
        "main",
    ];
    assert_eq!(exit_code(&conflicting), 2);
}

#[test]
fn image_exit_codes() {
    let layout = v("slsa-verifier/cosign-oci-layout-v2.1.0/container_workflow_dispatch");
    let san = format!("{GG}generator_container_slsa3.yml@refs/tags/v2.1.0");
    // Signed, but no SBOM: not verified for 4.2.3.
    assert_eq!(
        exit_code(&[
            "image",
            "--oci-layout",
            &layout,
            "--identity",
            &san,
            "--issuer",
            GH,
            "--format",
            "json"
        ]),
        1
    );
    assert_eq!(
        exit_code(&[
            "image",
            "--oci-layout",
            "/nonexistent-layout",
            "--identity",
            &san,
            "--issuer",
            GH
        ]),
        2
    );
}
