#!/usr/bin/env python3
"""Recall and false positives of each scanner over the generated corpus, one process per file.
A file counts as flagged when the scanner exits 1 (aisvs: unsafe or not understood; picklescan and
modelaudit: issues found). Exit 2 and crashes are errors, not detections.

Usage: recall.py CORPUS_DIR NAME=CMD_PREFIX...   (CMD_PREFIX is split on spaces; the file is appended)
"""
import json
import os
import subprocess
import sys

corpus = sys.argv[1]
tools = [arg.split("=", 1) for arg in sys.argv[2:]]
rows = json.load(open(os.path.join(corpus, "manifest.json")))
print(f"| tool | malicious or malformed flagged (of {sum(r['expect'] != 'safe' for r in rows)}) | errors | "
      f"benign flagged (of {sum(r['expect'] == 'safe' for r in rows)}) |")
print("|---|---|---|---|")
for name, prefix in tools:
    hit = err = fp = 0
    missed = []
    for row in rows:
        rc = subprocess.run(prefix.split() + [os.path.join(corpus, row["file"])], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        bad = row["expect"] != "safe"
        if bad and rc == 1:
            hit += 1
        elif bad:
            err += rc not in (0, 1)
            missed.append(row["file"])
        elif rc == 1:
            fp += 1
    print(f"| {name} | {hit} | {err} | {fp} |")
    if missed:
        print(f"<!-- {name} missed: {' '.join(missed)} -->")
