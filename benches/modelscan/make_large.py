#!/usr/bin/env python3
"""Writes the large benchmark samples into OUT_DIR: a PyTorch-zip checkpoint with one tensor of
SIZE_MIB MiB (stored, zip64, as torch.save writes it) and a safetensors file of the same size.
Stdlib only; the torch pickle is produced with stub modules (see the test corpus generator).

Usage: make_large.py OUT_DIR SIZE_MIB
"""
import json
import os
import struct
import sys
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../crates/aisvs-modelscan/tests/gen"))
import common  # noqa: E402

CHUNK = bytes(64 << 20)


def write_zeros(f, n):
    while n > 0:
        take = min(n, len(CHUNK))
        f.write(CHUNK[:take])
        n -= take


def main():
    out, mib = sys.argv[1], int(sys.argv[2])
    nbytes = mib << 20
    os.makedirs(out, exist_ok=True)
    data_pkl = common.torch_data_pkl({"weight": common.Tensor("0", nbytes // 4)})
    with zipfile.ZipFile(os.path.join(out, "large_checkpoint.pt"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", data_pkl)
        z.writestr("archive/byteorder", "little")
        with z.open("archive/data/0", "w", force_zip64=True) as f:
            write_zeros(f, nbytes)
        z.writestr("archive/version", "3\n")
    header = json.dumps({"weight": {"dtype": "F32", "shape": [nbytes // 4], "data_offsets": [0, nbytes]}}).encode()
    header += b" " * (-len(header) % 8)
    with open(os.path.join(out, "large.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header)
        write_zeros(f, nbytes)


if __name__ == "__main__":
    main()
