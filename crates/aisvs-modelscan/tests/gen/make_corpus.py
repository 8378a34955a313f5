#!/usr/bin/env python3
"""Writes the model-scan test corpus (malicious and benign samples) and manifest.json into OUT_DIR.

Usage: make_corpus.py OUT_DIR

Nothing is ever loaded or unpickled: payloads are written with pickle.dumps of objects whose
__reduce__ names a callable, or assembled opcode by opcode; torch/numpy/joblib/keras layouts are
reproduced byte for byte with stub modules. Standard library only. Manifest rows: file, expect
(safe|unsafe|unknown), class (the bypass class exercised) and optionally `mention`, a substring
that must appear in one of the file's findings.
"""
import json
import os
import sys
import warnings

sys.dont_write_bytecode = True  # keep the source tree clean when run from tests
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
warnings.filterwarnings("ignore", message="Duplicate name")

import common  # noqa: E402
import compressed  # noqa: E402
import containers  # noqa: E402
import formats  # noqa: E402
import pickles  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    common.OUT[0] = out
    pickles.write()
    containers.write()
    formats.write()
    compressed.write()
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(common.MANIFEST, f, indent=1)
    print(f"wrote {len(common.MANIFEST)} samples to {out}")


if __name__ == "__main__":
    main()
