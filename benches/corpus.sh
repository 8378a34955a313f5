#!/usr/bin/env bash
# Corpus benchmark: aisvs over all of shared/corpus (and the corpus replicated 10x), and, where checkov is
# installed, Checkov on the Kubernetes files of the same corpus in the same run. Prints wall time, peak memory
# and the ratios. A benchmark, not a test: numbers vary with the machine; compare ratios from one run.
#
#   benches/corpus.sh                      # aisvs only (plus checkov if it is on PATH)
#   CHECKOV=/tmp/checkov-venv/bin/checkov benches/corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

cargo build --release -q -p aisvs
bin=${CARGO_TARGET_DIR:-target}/release/aisvs
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# measure NAME CMD… : runs CMD 3 times, keeps the best wall time and its peak RSS (KiB).
measure() {
  local name=$1; shift
  local best="" rss=""
  for _ in $(seq 1 "${RUNS:-3}"); do
    /usr/bin/time -f "%e %M" -o "$out/t" "$@" >/dev/null 2>"$out/err" || true
    read -r wall mem < <(tail -n 1 "$out/t")
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$mem; fi
  done
  printf '%-44s %8.2f s %8.1f MB\n' "$name" "$best" "$(awk "BEGIN{print $rss/1024}")"
  echo "$best $rss" > "$out/$name.res"
}

files=$(find "$corpus" -type f | wc -l)
echo "corpus: $corpus ($files files), $(nproc) cores"
measure "aisvs scan (whole corpus)" "$bin" scan --exit-zero "$corpus"
measure "aisvs scan -f json (whole corpus)" "$bin" scan --exit-zero -f json "$corpus"

# 10x replica for linear growth.
mkdir -p "$out/x10"
for i in $(seq 1 10); do cp -r "$corpus" "$out/x10/c$i"; done
measure "aisvs scan (corpus x10)" "$bin" scan --exit-zero "$out/x10"
rm -rf "$out/x10"

read -r a1 m1 < "$out/aisvs scan (whole corpus).res"
read -r a10 m10 < "$out/aisvs scan (corpus x10).res"
echo "growth x10: time $(awk "BEGIN{printf \"%.1f\", $a10/$a1}")x, memory $(awk "BEGIN{printf \"%.1f\", $m10/$m1}")x"

checkov=${CHECKOV:-$(command -v checkov || true)}
if [ -n "$checkov" ]; then
  echo "checkov: $("$checkov" --version 2>/dev/null)"
  RUNS=1 measure "checkov --framework kubernetes (corpus)" "$checkov" -d "$corpus" --framework kubernetes --quiet --compact -o json
  read -r c1 cm1 < "$out/checkov --framework kubernetes (corpus).res"
  echo "ratio: aisvs is $(awk "BEGIN{printf \"%.0f\", $c1/$a1}")x faster and uses $(awk "BEGIN{printf \"%.0f\", $cm1/$m1}")x less memory than checkov (kubernetes only; aisvs scanned every kind)"
else
  echo "checkov not installed: python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install 'checkov>=3.3,<3.4'"
fi
