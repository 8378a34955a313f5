#!/bin/sh
# Sandbox start-up overhead: `aisvs sandbox run -- true` against bubblewrap running `true`
# with comparable isolation, in the same run. Not a test: prints numbers, asserts nothing.
# Usage: benches/sandbox/startup.sh [AISVS_BINARY] [RUNS]
# Needs: bubblewrap (Debian package `bubblewrap`); python3 for the timing loop.
set -eu
AISVS=${1:-target/release/aisvs}
RUNS=${2:-50}
command -v bwrap >/dev/null || { echo "bubblewrap not installed (apt-get install bubblewrap)"; exit 1; }
[ -x "$AISVS" ] || { echo "no aisvs binary at $AISVS (cargo build --release -p aisvs)"; exit 1; }
python3 - "$AISVS" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
aisvs, runs = sys.argv[1], int(sys.argv[2])
cases = {
    "true (no sandbox)": ["/bin/true"],
    "aisvs sandbox run": [aisvs, "sandbox", "run", "--", "/bin/true"],
    "bwrap (comparable)": ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--die-with-parent",
                            "--new-session", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
                            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
                            "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/scratch", "/bin/true"],
}
results = {}
for name, argv in cases.items():
    for _ in range(3):
        subprocess.run(argv, check=True)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    results[name] = samples
    print(f"{name:22} mean {statistics.mean(samples):6.2f} ms  median {statistics.median(samples):6.2f} ms  "
          f"sd {statistics.stdev(samples):5.2f}  (n={runs})")
ratio = statistics.median(results["aisvs sandbox run"]) / statistics.median(results["bwrap (comparable)"])
print(f"aisvs / bwrap (median): {ratio:.2f}x  (target: within 2x)")
PY
