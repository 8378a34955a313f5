#!/usr/bin/env python3
"""Recall and false positives of each scanner over the generated corpus, one process per file.
A file counts as flagged when the scanner exits 1 (aisvs: unsafe or not understood; picklescan and
modelaudit: issues found). Exit 2 and crashes are errors, not detections. Rows expected `unsafe`
(payloads and evasion tricks) and `unknown` (malformed, unsupported, over a limit) are counted
apart, since a peer may reasonably treat the latter as out of scope.

Usage: recall.py CORPUS_DIR NAME=CMD_PREFIX...   (CMD_PREFIX is split on spaces; the file is appended)
"""
import json
import os
import subprocess
import sys

corpus = sys.argv[1]
tools = [arg.split("=", 1) for arg in sys.argv[2:]]
rows = json.load(open(os.path.join(corpus, "manifest.json")))
total = {k: sum(r["expect"] == k for r in rows) for k in ("unsafe", "unknown", "safe")}
print(f"| tool | unsafe samples flagged (of {total['unsafe']}) | unknown samples flagged (of {total['unknown']}) "
      f"| errors (exit ≥ 2) | benign flagged (of {total['safe']}) |")
print("|---|---|---|---|---|")
for name, prefix in tools:
    flagged = {"unsafe": 0, "unknown": 0, "safe": 0}
    errors = 0
    missed = []
    for row in rows:
        rc = subprocess.run(prefix.split() + [os.path.join(corpus, row["file"])], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        flagged[row["expect"]] += rc == 1
        errors += rc not in (0, 1)
        if row["expect"] == "unsafe" and rc != 1:
            missed.append(row["file"])
    print(f"| {name} | {flagged['unsafe']} | {flagged['unknown']} | {errors} | {flagged['safe']} |")
    if missed:
        print(f"<!-- {name} missed unsafe: {' '.join(missed)} -->")
