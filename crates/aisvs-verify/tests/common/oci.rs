//! Builds OCI image layouts for tests: an image, cosign tag-scheme signatures and attestations
//! signed with a freshly generated P-256 key (the same bytes `cosign sign --key` would produce).

use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use sigstore_verify::crypto::KeyPair;
use std::path::{Path, PathBuf};

pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
pub const DSSE: &str = "application/vnd.dsse.envelope.v1+json";
pub const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Changes a fake Rekor annotation before it is written (tampering tests).
pub type EditEntry<'a> = &'a dyn Fn(&FakeRekor, &mut Value);

/// A layout under construction.
pub struct Fixture {
    pub dir: PathBuf,
    pub key: KeyPair,
    pub index: Vec<Value>,
    pub image_digest: String,
}

impl Fixture {
    /// A layout holding one small image (config + one layer), tagged `latest`.
    pub fn new(dir: &Path) -> Self {
        std::fs::create_dir_all(dir.join("blobs/sha256")).expect("mkdir");
        std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).expect("write");
        let mut fx = Fixture {
            dir: dir.to_path_buf(),
            key: KeyPair::generate_ecdsa_p256().expect("keygen"),
            index: Vec::new(),
            image_digest: String::new(),
        };
        let config = fx.blob(
            br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#,
        );
        let layer = fx.blob(b"not really a tarball");
        let manifest = json!({"schemaVersion": 2, "mediaType": MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config, "size": 10},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer, "size": 20}]});
        fx.image_digest = fx.blob(manifest.to_string().as_bytes());
        let digest = fx.image_digest.clone();
        fx.index
            .push(json!({"mediaType": MANIFEST, "digest": digest, "size": 1,
            "annotations": {"org.opencontainers.image.ref.name": "latest"}}));
        fx
    }

    pub fn image_hex(&self) -> String {
        self.image_digest.trim_start_matches("sha256:").to_string()
    }

    /// Writes a blob and returns its digest.
    pub fn blob(&self, bytes: &[u8]) -> String {
        let hex = hex::encode(Sha256::digest(bytes));
        std::fs::write(self.dir.join("blobs/sha256").join(&hex), bytes).expect("write blob");
        format!("sha256:{hex}")
    }

    /// Writes the public key PEM and returns its path.
    pub fn public_key_file(&self) -> PathBuf {
        let path = self.dir.join("cosign.pub");
        std::fs::write(&path, self.key.public_key_der().expect("der").to_pem()).expect("write key");
        path
    }

    /// Adds a manifest with the given layers, listed in index.json with extra annotations/fields.
    pub fn manifest(
        &mut self,
        layers: Vec<Value>,
        extra: Value,
        index_annotations: Value,
    ) -> String {
        let config = self.blob(b"{}");
        let mut manifest = json!({"schemaVersion": 2, "mediaType": MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config, "size": 2},
            "layers": layers});
        if let (Some(m), Some(e)) = (manifest.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                m.insert(k.clone(), v.clone());
            }
        }
        let digest = self.blob(manifest.to_string().as_bytes());
        self.index.push(json!({"mediaType": MANIFEST, "digest": digest, "size": 1, "annotations": index_annotations}));
        digest
    }

    /// `cosign sign --key`: a simple-signing payload for `signed_digest`, tag `sha256-<hex>.sig`.
    pub fn sign_image(&mut self, signed_digest: &str) {
        self.sign_image_logged(signed_digest, None);
    }

    /// As [`Fixture::sign_image`]; with `rekor`, also the `dev.sigstore.cosign/bundle`
    /// annotation cosign adds after logging the signature (`edit` may tamper with it).
    pub fn sign_image_logged(
        &mut self,
        signed_digest: &str,
        rekor: Option<(&FakeRekor, EditEntry<'_>)>,
    ) {
        let payload = json!({"critical": {"identity": {"docker-reference": "example.test/app"},
            "image": {"docker-manifest-digest": signed_digest}, "type": "cosign container image signature"},
            "optional": null}).to_string();
        let sig = self.key.sign(payload.as_bytes()).expect("sign");
        let digest = self.blob(payload.as_bytes());
        let tag = format!("sha256-{}.sig", self.image_hex());
        let mut annotations = json!({"dev.cosignproject.cosign/signature": b64(sig.as_bytes())});
        if let Some((log, edit)) = rekor {
            let pem = self.key.public_key_der().expect("der").to_pem();
            let mut entry = log.entry(payload.as_bytes(), sig.as_bytes(), &pem);
            edit(log, &mut entry);
            annotations["dev.sigstore.cosign/bundle"] = Value::String(entry.to_string());
        }
        self.manifest(
            vec![
                json!({"mediaType": SIMPLE_SIGNING, "digest": digest, "size": payload.len(),
                "annotations": annotations}),
            ],
            json!({}),
            json!({"org.opencontainers.image.ref.name": tag}),
        );
    }

    /// A DSSE envelope over an in-toto statement, signed with the fixture key.
    pub fn envelope(&self, statement: &Value) -> Value {
        let payload = statement.to_string();
        let pae = format!(
            "DSSEv1 28 application/vnd.in-toto+json {} {payload}",
            payload.len()
        );
        let sig = self.key.sign(pae.as_bytes()).expect("sign");
        json!({"payloadType": "application/vnd.in-toto+json", "payload": b64(payload.as_bytes()),
            "signatures": [{"keyid": "", "sig": b64(sig.as_bytes())}]})
    }

    /// `cosign attest --type cyclonedx --key`: SBOM attestation, tag `sha256-<hex>.att`.
    pub fn attest_sbom(&mut self, subject_hex: &str) {
        let statement = json!({"_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": "example.test/app", "digest": {"sha256": subject_hex}}],
            "predicateType": "https://cyclonedx.org/bom",
            "predicate": {"bomFormat": "CycloneDX", "specVersion": "1.5",
                "metadata": {"component": {"type": "container", "name": "example.test/app",
                    "version": format!("sha256:{subject_hex}")}},
                "components": [{"type": "library", "name": "openssl", "version": "3.0.15"}]}});
        let envelope = self.envelope(&statement).to_string();
        let digest = self.blob(envelope.as_bytes());
        let tag = format!("sha256-{}.att", self.image_hex());
        self.manifest(
            vec![json!({"mediaType": DSSE, "digest": digest, "size": envelope.len(),
                "annotations": {"predicateType": "https://cyclonedx.org/bom", "dev.cosignproject.cosign/signature": ""}})],
            json!({}),
            json!({"org.opencontainers.image.ref.name": tag}),
        );
    }

    /// Writes index.json.
    pub fn finish(&self) {
        let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": self.index});
        std::fs::write(self.dir.join("index.json"), index.to_string()).expect("write index");
    }
}

/// A stand-in Rekor v1 log: its key signs entry timestamps (SETs) for hashedrekord entries, and
/// [`FakeRekor::trusted_root`] writes a trusted root that lists it.
pub struct FakeRekor {
    pub key: KeyPair,
}

/// Integrated time of every fake entry (2025-01-01T00:00:00Z).
pub const INTEGRATED_TIME: i64 = 1_735_689_600;

impl FakeRekor {
    pub fn new() -> Self {
        FakeRekor {
            key: KeyPair::generate_ecdsa_p256().expect("keygen"),
        }
    }

    fn der(&self) -> Vec<u8> {
        self.key.public_key_der().expect("der").as_bytes().to_vec()
    }

    fn log_id_hex(&self) -> String {
        hex::encode(Sha256::digest(self.der()))
    }

    /// Writes a trusted root whose only transparency log is this one.
    pub fn trusted_root(&self, path: &Path) -> PathBuf {
        let root = json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [{"baseUrl": "https://rekor.example.test", "hashAlgorithm": "SHA2_256",
                "publicKey": {"rawBytes": b64(&self.der()), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": {"start": "2024-01-01T00:00:00Z"}},
                "logId": {"keyId": b64(&Sha256::digest(self.der()))}}],
            "certificateAuthorities": [], "ctlogs": [], "timestampAuthorities": []});
        std::fs::write(path, root.to_string()).expect("write root");
        path.to_path_buf()
    }

    /// The cosign Rekor annotation (`{SignedEntryTimestamp, Payload}`) for a hashedrekord entry.
    pub fn entry(&self, payload: &[u8], signature: &[u8], signer_pem: &str) -> Value {
        let body = json!({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
            "data": {"hash": {"algorithm": "sha256", "value": hex::encode(Sha256::digest(payload))}},
            "signature": {"content": b64(signature), "publicKey": {"content": b64(signer_pem.as_bytes())}}}});
        let body = b64(body.to_string().as_bytes());
        let log_id = self.log_id_hex();
        // The SET covers the RFC 8785 form of these four fields (keys in this order).
        let signed = format!(
            r#"{{"body":"{body}","integratedTime":{INTEGRATED_TIME},"logID":"{log_id}","logIndex":7}}"#
        );
        let set = self.key.sign(signed.as_bytes()).expect("sign SET");
        json!({"SignedEntryTimestamp": b64(set.as_bytes()),
            "Payload": {"body": body, "integratedTime": INTEGRATED_TIME, "logIndex": 7, "logID": log_id}})
    }
}
