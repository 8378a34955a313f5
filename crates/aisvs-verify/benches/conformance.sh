#!/usr/bin/env bash
# Benchmark: `aisvs verify bundle` against the peer sigstore-python CLI (`sigstore verify identity
# --offline`) over the 70 sigstore-conformance bundle-verify cases, in the same run.
# Reports per tool: cases run, verdicts agreeing with the expected one, total wall seconds and
# total CPU seconds (user+sys; CPU time does not depend on other load on the machine).
#
# Usage: crates/aisvs-verify/benches/conformance.sh [AISVS_BIN] [SIGSTORE_BIN]
#   AISVS_BIN     default: target/release/aisvs (build with `cargo build --release -p aisvs`)
#   SIGSTORE_BIN  default: `sigstore` on PATH (`pip install sigstore==4.5.1`); skipped if absent
# Everything is offline: both tools get the trusted root as a file.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
vectors="$here/../../../../shared/vectors/supply-chain"
cases="$vectors/sigstore-conformance/bundle-verify"
aisvs="${1:-target/release/aisvs}"
sigstore="${2:-$(command -v sigstore || true)}"
prod_root="$vectors/sigstore-python/trusted-roots/production.trusted_root.json"
signing="$vectors/sigstore-python/trusted-roots/production.signing_config.v0.2.json"
beacon="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
gh="https://token.actions.githubusercontent.com"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

TIMEFORMAT='%R %U %S'
declare -A agree=([aisvs]=0 [sigstore]=0) ran=([aisvs]=0 [sigstore]=0) secs=([aisvs]=0 [sigstore]=0) cpu=([aisvs]=0 [sigstore]=0)

# timed TOOL CMD…: runs CMD, sets $rc, adds wall and CPU seconds to TOOL's totals.
timed() {
  local tool="$1"; shift
  local t
  t=$( { time "$@" >/dev/null 2>&1; echo "rc=$?" >&2; } 2>&1 )
  rc="$(echo "$t" | sed -n 's/^rc=//p')"
  read -r wall user sys <<<"$(echo "$t" | grep -v '^rc=' | tail -1)"
  secs[$tool]=$(echo "${secs[$tool]} + $wall" | bc)
  cpu[$tool]=$(echo "${cpu[$tool]} + $user + $sys" | bc)
}

for dir in "$cases"/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/bundle.sigstore.json" ] || continue
  expected=0; [[ "$name" == *_fail ]] && expected=1
  artifact="$dir/artifact"; [ -f "$artifact" ] || artifact="$cases/a.txt"
  identity="$beacon"; [ -f "$dir/identity" ] && identity="$(tr -d '\n' < "$dir/identity")"
  issuer="$gh"; [ -f "$dir/issuer" ] && issuer="$(tr -d '\n' < "$dir/issuer")"
  root="$prod_root"; [ -f "$dir/trusted_root.json" ] && root="$dir/trusted_root.json"

  if [ -f "$dir/key.pub" ]; then signer=(--key "$dir/key.pub"); else signer=(--identity "$identity" --issuer "$issuer"); fi
  timed aisvs "$aisvs" verify bundle --bundle "$dir/bundle.sigstore.json" --artifact "$artifact" \
      "${signer[@]}" --trusted-root "$root"
  got=0; [ "$rc" -ne 0 ] && got=1
  ran[aisvs]=$((ran[aisvs] + 1)); [ $got -eq $expected ] && agree[aisvs]=$((agree[aisvs] + 1))

  # sigstore-python has no managed-key mode; those cases are skipped for it.
  if [ -n "$sigstore" ] && [ ! -f "$dir/key.pub" ]; then
    printf '{"mediaType":"application/vnd.dev.sigstore.clienttrustconfig.v0.1+json","trustedRoot":%s,"signingConfig":%s}' \
      "$(cat "$root")" "$(cat "$signing")" > "$work/tc.json"
    timed sigstore "$sigstore" --trust-config "$work/tc.json" verify identity --offline \
      --bundle "$dir/bundle.sigstore.json" --cert-identity "$identity" --cert-oidc-issuer "$issuer" "$artifact"
    got=0; [ "$rc" -ne 0 ] && got=1
    ran[sigstore]=$((ran[sigstore] + 1)); [ $got -eq $expected ] && agree[sigstore]=$((agree[sigstore] + 1))
  fi
done

printf '%-16s %6s %8s %10s %10s\n' tool cases agree wall_s cpu_s
printf '%-16s %6s %8s %10.2f %10.2f\n' "aisvs" "${ran[aisvs]}" "${agree[aisvs]}" "${secs[aisvs]}" "${cpu[aisvs]}"
if [ -n "$sigstore" ]; then
  printf '%-16s %6s %8s %10.2f %10.2f\n' "sigstore-python" "${ran[sigstore]}" "${agree[sigstore]}" "${secs[sigstore]}" "${cpu[sigstore]}"
else
  echo "sigstore-python: not installed (pip install sigstore==4.5.1) — peer skipped"
fi
