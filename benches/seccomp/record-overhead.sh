#!/bin/sh
# Recording overhead of `aisvs seccomp record` (seccomp user notification) against the bare
# workload and against the ptrace-based peer `strace -f`, on a small Python workload
# (imports json/pickle/hashlib/zipfile/tempfile, a thread, a subprocess, writes a file).
# Runs are interleaved so machine load hits every method alike; medians are reported.
#
# Usage: benches/seccomp/record-overhead.sh [AISVS_BINARY] [RUNS]
# Needs: python3, strace (Debian: strace), awk.
set -eu
AISVS=${1:-target/release/aisvs}
RUNS=${2:-15}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/w.py" <<'PY'
import json, pickle, hashlib, zipfile, tempfile, os, threading, subprocess
t = threading.Thread(target=lambda: hashlib.sha256(b"x" * 4096).hexdigest()); t.start(); t.join()
with tempfile.NamedTemporaryFile("w", delete=False) as f:
    f.write(json.dumps({"a": list(range(100))}))
os.unlink(f.name)
pickle.loads(pickle.dumps({"k": 1}))
subprocess.run(["/bin/true"])
PY
PY=$(python3 -c "import sys; print(sys.executable)")  # the real interpreter, not a pyenv shim
now() { date +%s%N; }
measure() { start=$(now); "$@" >/dev/null 2>&1 || true; echo $(( ($(now) - start) / 1000 )); }
: > "$WORK/base"; : > "$WORK/record"; : > "$WORK/strace"
i=0
while [ "$i" -lt "$RUNS" ]; do
  measure "$PY" "$WORK/w.py" >> "$WORK/base"
  measure "$AISVS" seccomp record --base none -o "$WORK/p.json" -- "$PY" "$WORK/w.py" >> "$WORK/record"
  measure strace -f -qq -o /dev/null "$PY" "$WORK/w.py" >> "$WORK/strace"
  i=$((i + 1))
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}'; }
B=$(median "$WORK/base"); R=$(median "$WORK/record"); S=$(median "$WORK/strace")
echo "runs: $RUNS (interleaved), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "baseline python3 w.py        median ${B} ms"
echo "aisvs seccomp record         median ${R} ms  ($(awk "BEGIN {printf \"%.2f\", $R / $B}")x)"
echo "strace -f (ptrace peer)      median ${S} ms  ($(awk "BEGIN {printf \"%.2f\", $S / $B}")x)"
echo "syscalls in the last recorded profile: $("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["syscalls"][0]["names"]))' "$WORK/p.json")"
