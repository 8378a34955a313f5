"""Shared helpers of the corpus generator: the manifest, opcode assembly, and stub torch/numpy/
joblib modules so that pickle writes the same globals the real libraries write (nothing is loaded)."""
import io
import os
import pickle
import struct
import sys
import types
import zipfile

OUT = [None]
MANIFEST = []


def emit(name, data, expect, cls, mention=None):
    with open(os.path.join(OUT[0], name), "wb") as f:
        f.write(data)
    row = {"file": name, "expect": expect, "class": cls}
    if mention:
        row["mention"] = mention
    MANIFEST.append(row)


# ---------- opcode helpers ----------
def s4(text):  # SHORT_BINUNICODE
    b = text.encode()
    return b"\x8c" + bytes([len(b)]) + b


def binunicode(text):
    b = text.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def call_p2(module, name, arg="echo PWNED"):
    """protocol 2: GLOBAL, one str argument, REDUCE, STOP."""
    return b"\x80\x02" + glob(module, name) + binunicode(arg) + b"\x85R."


def call_p0(module, name, arg="echo PWNED"):
    return glob(module, name) + b"(S'" + arg.encode() + b"'\ntR."


class Call:
    """pickle.dumps(Call(f, args)) writes a REDUCE of f: f must be picklable by reference."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


# ---------- stub modules so pickle writes real torch/numpy/joblib globals ----------
def stub(modname, **attrs):
    parts = modname.split(".")
    for i in range(1, len(parts) + 1):
        name = ".".join(parts[:i])
        if name not in sys.modules:
            sys.modules[name] = types.ModuleType(name)
    mod = sys.modules[modname]
    for key, value in attrs.items():
        value.__module__ = modname
        value.__qualname__ = key
        setattr(mod, key, value)
    return mod


def _fn(*a):
    return None


class FloatStorage:
    pass


class FloatTensor:
    pass


class ndarray:
    pass


class dtype:
    pass


class NumpyArrayWrapper:
    pass


stub("torch", FloatStorage=FloatStorage, FloatTensor=FloatTensor)
stub("torch._utils", _rebuild_tensor_v2=_fn.__class__(_fn.__code__, {}, "_rebuild_tensor_v2"))
stub("numpy", ndarray=ndarray, dtype=dtype)
stub("numpy.core.multiarray", _reconstruct=_fn.__class__(_fn.__code__, {}, "_reconstruct"))
stub("joblib.numpy_pickle", NumpyArrayWrapper=NumpyArrayWrapper)
import collections  # noqa: E402  (real OrderedDict: allow-listed)

rebuild = sys.modules["torch._utils"]._rebuild_tensor_v2
reconstruct = sys.modules["numpy.core.multiarray"]._reconstruct


class Tensor:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel

    def __reduce__(self):
        storage = ("storage", FloatStorage, self.key, "cpu", self.numel)
        return (rebuild, (StoragePid(storage), 0, (self.numel,), (1,), False, collections.OrderedDict()))


class StoragePid:
    def __init__(self, pid):
        self.pid = pid


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, StoragePid) else None


def torch_data_pkl(obj):
    buf = io.BytesIO()
    TorchPickler(buf, protocol=2).dump(obj)
    return buf.getvalue()


def state_dict(n=3):
    return collections.OrderedDict((f"layer{i}.weight", Tensor(str(i), 4)) for i in range(n))


def torch_zip(members, extra=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", members)
        z.writestr("archive/byteorder", "little")
        for i in range(3):
            z.writestr(f"archive/data/{i}", struct.pack("<4f", 1, 2, 3, 4))
        z.writestr("archive/version", "3\n")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


class Evil:
    def __reduce__(self):
        return (os.system, ("echo PWNED",))


EVIL_P2 = pickle.dumps(Evil(), protocol=2)
