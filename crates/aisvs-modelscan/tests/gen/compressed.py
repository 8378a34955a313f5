"""Compressed samples: bzip2, xz, LZMA alone (joblib compress="lzma"), raw zlib (joblib's default),
multi-member gzip, LZ4 frame and zstd, each benign, with a payload, truncated, corrupt and as a
decompression bomb. bz2/xz/lzma/zlib come from the standard library's real compressors. The LZ4 and
zstd bombs are assembled here (the stdlib has no encoder for them); make_fixtures.py checks with
the real lz4 and zstandard libraries that they decode to the intended zeros."""
import bz2
import gzip
import lzma
import pickle
import struct
import zlib

from common import EVIL_P2, emit

BENIGN = pickle.dumps({"weights": [1.0, 2.0, 3.0], "name": "m"}, protocol=4)
MIB = 1 << 20


def _rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF


def xxh32(data, seed=0):
    """xxHash32 (enough for the LZ4 frame header checksum)."""
    p1, p2, p3, p4, p5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
    n, i = len(data), 0
    if n >= 16:
        v = [(seed + p1 + p2) & 0xFFFFFFFF, (seed + p2) & 0xFFFFFFFF, seed, (seed - p1) & 0xFFFFFFFF]
        while i + 16 <= n:
            for k in range(4):
                lane = struct.unpack_from("<I", data, i + 4 * k)[0]
                v[k] = (_rotl((v[k] + lane * p2) & 0xFFFFFFFF, 13) * p1) & 0xFFFFFFFF
            i += 16
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & 0xFFFFFFFF
    else:
        h = (seed + p5) & 0xFFFFFFFF
    h = (h + n) & 0xFFFFFFFF
    while i + 4 <= n:
        h = (_rotl((h + struct.unpack_from("<I", data, i)[0] * p3) & 0xFFFFFFFF, 17) * p4) & 0xFFFFFFFF
        i += 4
    while i < n:
        h = (_rotl((h + data[i] * p5) & 0xFFFFFFFF, 11) * p1) & 0xFFFFFFFF
        i += 1
    h = ((h ^ (h >> 15)) * p2) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * p3) & 0xFFFFFFFF
    return h ^ (h >> 16)


def lz4_zeros(total_mib):
    """An LZ4 frame of `total_mib` MiB of zeros: independent 4 MiB blocks, each one literal, one
    long match at offset 1 and the five closing literals the format requires."""
    descriptor = bytes([0x60, 0x70])  # version 1, independent blocks, no checksums; 4 MiB blocks
    header = b"\x04\x22\x4d\x18" + descriptor + bytes([(xxh32(descriptor) >> 8) & 0xFF])
    match = 4 * MIB - 1 - 5 - 4 - 15  # beyond the 4-byte minimum and the token's 15
    body = bytes([0x1F, 0]) + b"\x01\x00" + b"\xff" * (match // 255) + bytes([match % 255]) + b"\x50" + bytes(5)
    block = struct.pack("<I", len(body)) + body
    return header + block * (total_mib // 4) + b"\x00\x00\x00\x00"


def zstd_zeros(total_mib):
    """A zstd frame of `total_mib` MiB of zeros as 128 KiB RLE blocks (4 bytes each)."""
    count = total_mib * 8
    rle = lambda last: struct.pack("<I", (128 * 1024) << 3 | 1 << 1 | last)[:3] + b"\x00"  # noqa: E731
    return b"\x28\xb5\x2f\xfd" + b"\x00\x38" + rle(0) * (count - 1) + rle(1)


def xz_huge_dictionary():
    """A valid xz stream whose block header declares a 4 GiB LZMA2 dictionary (CRC32 fixed up)."""
    data = bytearray(lzma.compress(BENIGN))
    assert data[12:16] == b"\x02\x00\x21\x01", data[:20].hex()
    data[16] = 40  # dictionary size code 40: 4 GiB - 1
    struct.pack_into("<I", data, 20, zlib.crc32(bytes(data[12:20])))
    return bytes(data)


def corrupt_xz_check(data, check_len):
    """Flips a byte of the last block's integrity check (found from the footer's index size)."""
    index_size = (struct.unpack_from("<I", data, len(data) - 8)[0] + 1) * 4
    return corrupt(data, len(data) - 12 - index_size - check_len + 4)


def corrupt(data, at=None):
    out = bytearray(data)
    i = len(out) // 2 if at is None else at
    out[i] ^= 0x55
    out[i + 1] ^= 0xAA
    return bytes(out)


def multi_stream(compress, chunk_mib, count):
    """Concatenated streams of zeros (what Python's readers decode in turn): count × chunk_mib MiB."""
    return compress(bytes(chunk_mib * MIB)) * count


def write():
    xz = lzma.compress
    alone = lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE)  # noqa: E731
    codecs = [("bz2", bz2.compress, "bzip2"), ("xz", xz, "xz"), ("lzma", alone, "lzma")]
    for ext, compress, name in codecs:
        emit(f"b30_benign.pkl.{ext}", compress(BENIGN), "safe", "compressed-pickle")
        emit(f"m60_payload.pkl.{ext}", compress(EVIL_P2), "unsafe", "compressed-pickle", "posix.system")
        emit(f"m61_benign_then_payload_streams.pkl.{ext}", compress(BENIGN) + compress(EVIL_P2), "unsafe",
             "multi-stream-compression", "posix.system")
        emit(f"u30_truncated.pkl.{ext}", compress(BENIGN)[:-12], "unknown", "corrupt-compression",
             f"{name} decompression failed")
        emit(f"u31_corrupt.pkl.{ext}", corrupt(compress(BENIGN * 8)), "unknown", "corrupt-compression",
             f"{name} decompression failed")
        emit(f"l30_bomb_48mib.{ext}", compress(bytes(48 * MIB)), "unknown", "compression-bomb", "limit")
        # A payload at the front of a bomb: scanned within the limit, so unsafe rather than unknown.
        emit(f"m62_payload_then_bomb.{ext}", compress(EVIL_P2 + bytes(36 * MIB)), "unsafe", "compression-bomb",
             "posix.system")
    emit("l31_bomb_1gib_streams.bz2", multi_stream(bz2.compress, 16, 64), "unknown", "compression-bomb", "limit")
    emit("l31_bomb_1gib_streams.xz", multi_stream(xz, 16, 64), "unknown", "compression-bomb", "limit")
    emit("l32_bomb_1gib.lz4", lz4_zeros(1024), "unknown", "compression-bomb", "limit")
    emit("l32_bomb_1gib.zst", zstd_zeros(1024), "unknown", "compression-bomb", "limit")
    emit("u32_xz_4gib_dictionary.xz", xz_huge_dictionary(), "unknown", "compression-bomb", "memory")
    huge_alone = bytearray(alone(BENIGN))
    huge_alone[1:5] = struct.pack("<I", 1 << 31)
    emit("u33_lzma_2gib_dictionary.lzma", bytes(huge_alone), "unknown", "compression-bomb", "memory")
    for check in (lzma.CHECK_NONE, lzma.CHECK_CRC32, lzma.CHECK_CRC64, lzma.CHECK_SHA256):
        emit(f"b31_xz_check{check}.pkl.xz", xz(BENIGN, check=check), "safe", "compressed-pickle")
    emit("u34_xz_sha256_mismatch.xz", corrupt_xz_check(xz(BENIGN, check=lzma.CHECK_SHA256), 32), "unknown",
         "corrupt-compression", "checksum")
    # joblib's default compress=True / compress=3 writes a bare zlib stream.
    emit("b32_benign.pkl.zlib", zlib.compress(BENIGN, 3), "safe", "compressed-pickle")
    emit("m63_payload_zlib.joblib", zlib.compress(EVIL_P2, 3), "unsafe", "compressed-pickle", "posix.system")
    # Python's gzip reads every member: a payload in the second one is loaded too.
    emit("m64_gzip_second_member.pkl.gz", gzip.compress(BENIGN) + gzip.compress(EVIL_P2), "unsafe",
         "multi-stream-compression", "posix.system")
    emit("l33_bomb_64mib.zst", zstd_zeros(64), "unknown", "compression-bomb", "limit")
    emit("l33_bomb_64mib.lz4", lz4_zeros(64), "unknown", "compression-bomb", "limit")
