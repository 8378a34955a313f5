# Vault server for the platform's model-registry and inference secrets. No seal stanza: every restart needs
# Shamir key holders, and the root key is never in a KMS or HSM (vault-seal-kms fails).
ui = true

listener "tcp" {
  address       = "0.0.0.0:8200"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
}

storage "raft" {
  path    = "/vault/data"
  node_id = "vault-0"
}
