#!/usr/bin/env bash
# Benchmark of the findings history: ingest a derived series of Trivy reports (IMAGES images x
# DAYS daily scans, built from the stored alpine-39 golden with jq) and evaluate 4.6.1 + 4.6.3,
# against a jq peer that computes the per-image last-scan time and open high findings from the
# same files (what a shell pipeline over a report directory would do, without a history).
# Usage: benches/history.sh [AISVS_BINARY] [IMAGES] [DAYS]
# Not a test: nothing here asserts a time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
aisvs="${1:-aisvs}"
images="${2:-20}"
days="${3:-30}"
golden="$here/../../../../shared/vectors/reports/trivy/alpine-39-high-critical.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Series: image i, day d; the CVE disappears after day 2 for even images (patched in time).
for i in $(seq 1 "$images"); do
  for d in $(seq 1 "$days"); do
    ts="$(date -u -d "2026-01-01 +$d day" +%Y-%m-%dT06:00:00Z)"
    if (( i % 2 == 0 && d > 2 )); then filter='.Results[].Vulnerabilities=[]'; else filter='.'; fi
    jq -c --arg t "$ts" --arg tag "img$i" "$filter"' | .CreatedAt=$t | .Metadata.RepoTags=["ghcr.io/bench/app:"+$tag] | .ArtifactName="ghcr.io/bench/app:"+$tag' \
      "$golden" > "$work/r-$i-$d.json"
  done
done
files=("$work"/r-*.json)
echo "series: ${#files[@]} reports ($images images x $days days)"

t0=$(date +%s.%N)
"$aisvs" evidence ingest --history "$work/h.sqlite" "${files[@]}" > /dev/null
t1=$(date +%s.%N)
"$aisvs" evidence status --history "$work/h.sqlite" --at "$(date -u -d "2026-01-01 +$days day" +%Y-%m-%dT12:00:00Z)" > "$work/status.txt" || true
t2=$(date +%s.%N)
jq -s -r 'group_by(.ArtifactName)[] | [.[0].ArtifactName, (map(.CreatedAt) | max), (last | [.Results[].Vulnerabilities[]?] | length)] | @tsv' "${files[@]}" > "$work/peer.tsv"
t3=$(date +%s.%N)

echo "aisvs ingest:  $(echo "$t1 - $t0" | bc) s"
echo "aisvs status:  $(echo "$t2 - $t1" | bc) s  ($(tail -1 "$work/status.txt"))"
echo "jq peer:       $(echo "$t3 - $t2" | bc) s  ($(wc -l < "$work/peer.tsv") artifacts; last scan + open findings only, no gaps, no SLA)"
echo "history size:  $(du -k "$work/h.sqlite" | cut -f1) KiB"
