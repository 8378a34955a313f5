#!/usr/bin/env bash
# IaC benchmark: aisvs and Checkov on the same Terraform, Dockerfiles and GitHub workflows of shared/corpus, in one
# run. Prints wall time (aisvs: best of 3; Checkov: best of CHECKOV_RUNS, default 1, as one run takes minutes), peak
# RSS and the ratio. A benchmark, not a test: compare ratios within one run.
#
#   benches/iac/run.sh                                    # aisvs only unless checkov is on PATH
#   CHECKOV=/tmp/checkov-venv/bin/checkov benches/iac/run.sh
#
# Checkov: python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install checkov
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${CORPUS:-../shared/corpus}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
checkov=${CHECKOV:-$(command -v checkov || true)}

cargo build --release -q -p aisvs
bin=${CARGO_TARGET_DIR:-target}/release/aisvs
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The same input set for both tools: *.tf, Dockerfiles and .github/workflows/*.y*ml, paths kept.
(cd "$corpus" && find . -type f \( -name '*.tf' -o -name 'Dockerfile*' -o -name 'Containerfile*' \
    -o -path '*/.github/workflows/*.yml' -o -path '*/.github/workflows/*.yaml' \) -print0 \
  | xargs -0 -I{} cp --parents {} "$out/")
mkdir -p "$out/in" && (cd "$out" && find . -mindepth 1 -maxdepth 1 ! -name in -exec mv {} in/ \;)
tf=$(find "$out/in" -name '*.tf' | wc -l)
df=$(find "$out/in" -name 'Dockerfile*' -o -name 'Containerfile*' | wc -l)
wf=$(find "$out/in" -path '*/.github/workflows/*' -type f | wc -l)
echo "inputs: $tf Terraform files, $df Dockerfiles, $wf workflows; $(nproc) cores"

# measure NAME RUNS CMD… : best wall time of RUNS runs and its peak RSS (KiB).
measure() {
  local name=$1 runs=$2; shift 2
  local best="" rss=""
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/t" "$@" >/dev/null 2>"$out/err" || true
    read -r wall mem < "$out/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$mem; fi
  done
  printf '%-40s %8.2f s %8.1f MB\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")"
  echo "$best" > "$out/$name.wall"
}

measure aisvs 3 "$bin" scan --exit-zero -f json "$out/in"
if [ -n "$checkov" ]; then
  measure checkov "${CHECKOV_RUNS:-1}" "$checkov" -d "$out/in" --framework terraform,dockerfile,github_actions -o json --quiet --compact
  a=$(cat "$out/aisvs.wall"); c=$(cat "$out/checkov.wall")
  awk -v a="$a" -v c="$c" 'BEGIN{ if (a < 0.01) a = 0.01; printf "ratio checkov/aisvs: %.0fx\n", c / a }'
else
  echo "checkov not found (set CHECKOV=…): aisvs timing only"
fi
