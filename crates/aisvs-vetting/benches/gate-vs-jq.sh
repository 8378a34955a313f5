#!/usr/bin/env bash
# Benchmark: reading a large garak report. `aisvs gate` (baseline = candidate = the same report,
# JSON decision on stdout) against jq extracting the same `eval` lines, in the same run.
# Not a test: it prints numbers; nothing asserts a time.
#
# Usage: benches/gate-vs-jq.sh [ATTEMPT_LINES]   (default 100000, about 190 MB)
# Needs: python3, jq, GNU time (/usr/bin/time, Debian package `time`).
# GATE may point at an `aisvs` binary (then `GATE="aisvs gate"`); by default the release build of
# the `gate` example of this crate is used (cargo build --release -p aisvs-vetting --example gate).
set -euo pipefail

lines="${1:-100000}"
crate_dir="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$crate_dir/../../target}"
gate="${GATE:-$target_dir/release/examples/gate}"
if [[ -z "${GATE:-}" && ! -x "$gate" ]]; then
    (cd "$crate_dir" && cargo build -j 2 --release -p aisvs-vetting --example gate)
fi
for tool in python3 jq /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "skipping: $tool is not installed" >&2; exit 0; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="$work/garak.bench.report.jsonl"

python3 - "$report" "$lines" <<'PY'
import json, random, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
probes = ["dan.Dan_11_0", "promptinject.HijackHateHumans", "encoding.InjectBase64",
          "leakreplay.LiteratureCloze", "malwaregen.Payload", "xss.MarkdownImageExfil"]
with open(path, "w") as out:
    out.write(json.dumps({"entry_type": "start_run setup", "plugins.target_name": "bench/model",
                          "run.model_digest": "sha256:" + "ab" * 32}) + "\n")
    out.write(json.dumps({"entry_type": "init", "garak_version": "0.12.0", "run": "bench"}) + "\n")
    for i in range(n):
        probe = probes[i % len(probes)]
        text = "".join(random.choice("abcdefghij klmnop") for _ in range(600))
        out.write(json.dumps({"entry_type": "attempt", "uuid": str(i), "seq": i, "status": 2,
                              "probe_classname": probe,
                              "prompt": {"turns": [{"role": "user", "content": {"text": text}}]},
                              "outputs": [{"text": text[::-1]}, {"text": text[:300]}],
                              "detector_results": {"d.D": [0.0, 1.0]}}) + "\n")
    for probe in probes:
        out.write(json.dumps({"entry_type": "eval", "probe": probe, "detector": "d.D",
                              "passed": n // 6, "fails": n // 6, "nones": 0,
                              "total_evaluated": 2 * (n // 6), "total_processed": 2 * (n // 6)}) + "\n")
    out.write(json.dumps({"entry_type": "completion", "run": "bench"}) + "\n")
PY
size_mb=$(( $(stat -c %s "$report") / 1048576 ))
echo "report: $lines attempt lines, ${size_mb} MB"

measure() { # label, command…  -> prints wall seconds and max RSS
    local label="$1"; shift
    local stats="$work/time.txt"
    /usr/bin/time -o "$stats" -f "%e %M" "$@" >/dev/null 2>&1 || true
    # GNU time puts "Command exited with non-zero status N" first when the command fails.
    read -r wall rss < <(tail -n 1 "$stats")
    printf "%-34s wall %6ss   max RSS %7d KiB\n" "$label" "$wall" "$rss"
}

# `aisvs gate` exits 1 here (no sandbox record), which is expected; time still measures it.
# shellcheck disable=SC2086 # GATE may be "aisvs gate" (two words)
measure "aisvs gate (baseline = candidate)" $gate --baseline "$report" --candidate "$report" --format json
measure "jq eval lines, once" jq -c 'select(.entry_type == "eval") | [.probe, .passed, .total_evaluated]' "$report"
measure "jq eval lines, twice (same work)" sh -c "jq -c 'select(.entry_type == \"eval\")' '$report'; jq -c 'select(.entry_type == \"eval\")' '$report'"
