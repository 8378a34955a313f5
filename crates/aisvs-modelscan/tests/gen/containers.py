"""Container samples: PyTorch zip (and its parser-differential tricks), legacy torch, tar, npy/npz,
joblib inline arrays, gzip, nested archives and bombs."""
import gzip
import io
import pickle
import struct
import tarfile
import zipfile
import zlib

from common import (EVIL_P2, FloatStorage, FloatTensor, NumpyArrayWrapper, call_p0, dtype, emit, ndarray, reconstruct, state_dict,
                    torch_data_pkl, torch_zip)

def set_flag_bit0(data):
    out = bytearray(data)
    i = out.find(b"PK\x03\x04")
    while i >= 0:
        struct.pack_into("<H", out, i + 6, struct.unpack_from("<H", out, i + 6)[0] | 1)
        i = out.find(b"PK\x03\x04", i + 4)
    i = out.find(b"PK\x01\x02")
    while i >= 0:
        struct.pack_into("<H", out, i + 8, struct.unpack_from("<H", out, i + 8)[0] | 1)
        i = out.find(b"PK\x01\x02", i + 4)
    return bytes(out)


def corrupt_crc(data, member_data):
    crc = struct.pack("<I", zlib.crc32(member_data))
    assert crc in data
    return data.replace(crc, struct.pack("<I", zlib.crc32(member_data) ^ 0xDEADBEEF))


def zip_of(members, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def npy(descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


class DType:
    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (dtype, (self.code, False, True), (3, "<", None, None, None, -1, -1, 0))


class Wrapper:
    def __init__(self, shape, code):
        self.state = {"subclass": ndarray, "shape": shape, "order": "C", "dtype": DType(code),
                      "allow_mmap": False, "numpy_array_alignment_bytes": 16}

    def __reduce__(self):
        return (NumpyArrayWrapper, (), self.state)


class JoblibPickler(pickle._Pickler):
    """Writes raw array bytes after each wrapper, outside any frame, as joblib's NumpyPickler does."""

    def save(self, obj, save_persistent_id=True):
        super().save(obj, save_persistent_id)
        if isinstance(obj, Wrapper):
            if self.proto >= 4:
                self.framer.commit_frame(force=True)
            self._file_write(bytes([16]) + b"\xff" * 16)
            self._file_write(b"cposix\nsystem\n" + bytes(8 * 4 - 14))  # opcode-looking array bytes


def joblib_bytes(obj, protocol):
    buf = io.BytesIO()
    JoblibPickler(buf, protocol=protocol).dump(obj)
    return buf.getvalue()


def legacy_torch(data_pickle):
    parts = [b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e", pickle.dumps(1001, protocol=2),
             pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2), data_pickle,
             pickle.dumps(["0", "1", "2"], protocol=2)]
    raw = b"".join(struct.pack("<q", 4) + struct.pack("<4f", 1, 2, 3, 4) for _ in range(3))
    return b"".join(parts) + raw


def tar_of(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write():
    benign = torch_data_pkl(state_dict())
    emit("b02_torch_zip_state_dict.pt", torch_zip(benign), "safe", "benign-torch-zip")
    emit("m20_torch_zip_os_system.pt", torch_zip(EVIL_P2), "unsafe", "torch-zip-payload", "posix.system")
    emit("m21_torch_zip_proto0_member.pt", torch_zip(benign, {"archive/config.p": call_p0("posix", "system")}),
         "unsafe", "odd-member-name", "posix.system")
    emit("m22_torch_zip_bad_crc.pt", corrupt_crc(torch_zip(EVIL_P2), EVIL_P2), "unsafe", "zip-crc", "CRC")
    emit("m22b_benign_bad_crc.pt", corrupt_crc(torch_zip(benign), benign), "unsafe", "zip-crc", "CRC")
    emit("m23_torch_zip_encrypted_flag.pt", set_flag_bit0(torch_zip(benign)), "unsafe", "zip-flag-bit", "encrypted")
    # The first occurrence of the name is the local header (data.pkl is written first).
    emit("m24_torch_zip_name_mismatch.pt", torch_zip(EVIL_P2).replace(b"archive/data.pkl", b"archive/data.pkx", 1),
         "unsafe", "zip-name-mismatch", "local header")
    emit("m45_zip_path_traversal.zip", zip_of([("../../evil.pkl", pickle.dumps(1))]), "unsafe", "zip-path-traversal",
         "escapes")
    emit("m46_zip_duplicate_name.pt", zip_of([("archive/data.pkl", benign), ("archive/data.pkl", EVIL_P2)]),
         "unsafe", "zip-duplicate-name", "twice")
    emit("m47_nested_zip_payload.zip", zip_of([("inner.zip", zip_of([("x/data.pkl", EVIL_P2)]))]), "unsafe",
         "nested-archive", "posix.system")
    deep = pickle.dumps(1)
    for level in range(5):
        deep = zip_of([(f"level{level}.bin", deep)])
    emit("l08_deeply_nested_zip.zip", deep, "unknown", "deep-nesting", "nested more than")
    emit("l09_zip_bomb.zip", zip_of([("archive/extra.bin", bytes(100 << 20))], zipfile.ZIP_DEFLATED), "unknown",
         "zip-bomb", "limit")
    emit("m48_prefixed_zip.pt", b"JUNK" * 64 + torch_zip(EVIL_P2), "unsafe", "prepended-data", "posix.system")
    # legacy torch
    emit("b13_torch_legacy.pt", legacy_torch(benign), "safe", "benign-torch-legacy")
    emit("m49_torch_legacy_payload.pt", legacy_torch(EVIL_P2), "unsafe", "torch-legacy-payload", "posix.system")
    emit("b14_torch_tar_empty.tar", tar_of([("sys_info", pickle.dumps({"little_endian": True}, protocol=2)),
                                            ("pickle", benign)]), "safe", "benign-torch-tar")
    p2 = lambda obj: pickle.dumps(obj, protocol=2)  # noqa: E731
    storages = p2(1) + p2(("0", "cpu", FloatStorage)) + struct.pack("<q", 4) + struct.pack("<4f", 1, 2, 3, 4) + p2([])
    tensors = p2(1) + p2(("0", "0", FloatTensor)) + struct.pack("<ii", 1, 0) + struct.pack("<3q", 4, 1, 0)
    legacy = [("sys_info", p2({"little_endian": True})), ("pickle", benign), ("storages", storages),
              ("tensors", tensors)]
    emit("b18_torch_tar_records.tar", tar_of(legacy), "safe", "benign-torch-tar-records")
    evil_storages = p2(1) + EVIL_P2 + struct.pack("<q", 4) + bytes(16) + p2([])
    emit("m50b_torch_tar_storage_payload.tar", tar_of(legacy[:2] + [("storages", evil_storages)]), "unsafe",
         "torch-tar-record-payload", "posix.system")
    emit("m50_torch_tar_payload.tar", tar_of([("sys_info", pickle.dumps({}, protocol=2)), ("pickle", EVIL_P2)]),
         "unsafe", "torch-tar-payload", "posix.system")
    # numpy
    emit("b03_numpy_float.npy", npy("<f4", "(2, 3)", struct.pack("<6f", *range(6))), "safe", "benign-npy")
    emit("m18_numpy_object_array.npy", npy("|O", "(1,)", EVIL_P2), "unsafe", "npy-object-pickle", "posix.system")
    arr = reconstruct_pickle()
    emit("b15_numpy_object_benign.npy", npy("|O", "(1,)", arr), "safe", "benign-npy-object")
    emit("b16_npz.npz", zip_of([("a.npy", npy("<f8", "(2,)", struct.pack("<2d", 1, 2)))], zipfile.ZIP_DEFLATED),
         "safe", "benign-npz")
    emit("m51_npz_object.npz", zip_of([("a.npy", npy("|O", "(1,)", EVIL_P2))]), "unsafe", "npz-object-pickle",
         "posix.system")
    # joblib: raw array bytes that look like opcodes must be skipped, what follows still scanned
    emit("b09_joblib_numpy.joblib", joblib_bytes({"w": Wrapper((4,), "f8")}, 4), "safe", "joblib-inline-array")
    emit("b09b_joblib_numpy_p2.joblib", joblib_bytes([Wrapper((2, 2), "f8"), 1], 2), "safe", "joblib-inline-array")
    emit("m19_joblib_then_payload.joblib", joblib_bytes([Wrapper((4,), "f8")], 2)[:-1] + EVIL_P2[2:], "unsafe",
         "joblib-inline-then-payload", "posix.system")
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb") as g:
        g.write(EVIL_P2)
    emit("m52_gzip_pickle.joblib", gz.getvalue(), "unsafe", "compressed-pickle", "posix.system")


def reconstruct_pickle():
    class Arr:
        def __reduce__(self):
            return (reconstruct, (ndarray, (0,), b"b"), (1, (1,), DType("O8"), False, [1, "x"]))
    return pickle.dumps(Arr(), protocol=2)
