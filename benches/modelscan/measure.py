#!/usr/bin/env python3
"""Runs one command with output discarded and prints `wall_seconds max_rss_mib exit_code`.

Usage: measure.py CMD [ARGS...]
"""
import resource
import subprocess
import sys
import time

start = time.monotonic()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.monotonic() - start
rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{elapsed:.3f} {rss_mib:.0f} {proc.returncode}")
