//! The allow-list of reconstruction callables a pickle may import, and a deny-list used only to
//! explain *why* a rejected name is dangerous (it never decides that something is safe).

use super::names::ResolvedName;

/// Exact `module.qualname` values (after `fix_imports`) that only rebuild data: containers, tensors,
/// storages, dtypes and arrays. Anything else is reported. Kept deliberately small; see
/// docs/model-scan.md for the reasoning per entry.
const ALLOWED: &[&str] = &[
    // Python containers and inert builtins.
    "collections.OrderedDict",
    "collections.defaultdict",
    "builtins.set",
    "builtins.frozenset",
    "builtins.bytearray",
    "builtins.complex",
    "builtins.slice",
    "builtins.object",
    "copyreg._reconstructor",
    // `_codecs.encode(str, 'latin1')` is how protocol-2 pickles spell bytes (numpy arrays).
    "_codecs.encode",
    // torch.save (zip and legacy) reconstruction.
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor_v3",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._utils._rebuild_qtensor",
    "torch._utils._rebuild_sparse_tensor",
    "torch._tensor._rebuild_from_type_v2",
    "torch.Tensor",
    "torch.Size",
    "torch.device",
    "torch.nn.parameter.Parameter",
    "torch.serialization._get_layout",
    "torch.strided",
    "torch.contiguous_format",
    "torch.channels_last",
    "torch.preserve_format",
    "torch.storage.UntypedStorage",
    "torch.storage.TypedStorage",
    "torch.FloatStorage",
    "torch.DoubleStorage",
    "torch.HalfStorage",
    "torch.BFloat16Storage",
    "torch.LongStorage",
    "torch.IntStorage",
    "torch.ShortStorage",
    "torch.CharStorage",
    "torch.ByteStorage",
    "torch.BoolStorage",
    "torch.ComplexFloatStorage",
    "torch.ComplexDoubleStorage",
    "torch.QInt8Storage",
    "torch.QUInt8Storage",
    "torch.QInt32Storage",
    // legacy tensor type objects (tar checkpoints name them in tensor records)
    "torch.FloatTensor",
    "torch.DoubleTensor",
    "torch.HalfTensor",
    "torch.BFloat16Tensor",
    "torch.LongTensor",
    "torch.IntTensor",
    "torch.ShortTensor",
    "torch.CharTensor",
    "torch.ByteTensor",
    "torch.BoolTensor",
    "torch.float16",
    "torch.float32",
    "torch.float64",
    "torch.bfloat16",
    "torch.int8",
    "torch.int16",
    "torch.int32",
    "torch.int64",
    "torch.uint8",
    "torch.bool",
    // numpy array pickles (numpy 1.x `core` and 2.x `_core` spellings).
    "numpy.ndarray",
    "numpy.dtype",
    "numpy.core.multiarray._reconstruct",
    "numpy.core.multiarray.scalar",
    "numpy._core.multiarray._reconstruct",
    "numpy._core.multiarray.scalar",
    "numpy.core.numeric._frombuffer",
    "numpy._core.numeric._frombuffer",
    // joblib's inline-array wrapper (its raw bytes are skipped, never unpickled).
    "joblib.numpy_pickle.NumpyArrayWrapper",
];

/// Module prefixes (or exact names) that are known code-execution, I/O or nested-deserialiser
/// primitives; used for the explanation text only.
const KNOWN_DANGEROUS: &[&str] = &[
    "os",
    "posix",
    "nt",
    "subprocess",
    "builtins.eval",
    "builtins.exec",
    "builtins.compile",
    "builtins.open",
    "builtins.getattr",
    "builtins.setattr",
    "builtins.__import__",
    "builtins.vars",
    "builtins.globals",
    "builtins.breakpoint",
    "builtins.input",
    "sys",
    "socket",
    "shutil",
    "pty",
    "runpy",
    "pickle",
    "_pickle",
    "marshal",
    "types",
    "importlib",
    "pkgutil",
    "pip",
    "ensurepip",
    "timeit",
    "profile",
    "cProfile",
    "pdb",
    "bdb",
    "code",
    "codeop",
    "ctypes",
    "multiprocessing",
    "webbrowser",
    "uuid",
    "asyncio",
    "yaml",
    "dill",
    "cloudpickle",
    "joblib.load",
    "numpy.load",
    "numpy.f2py",
    "numpy.testing",
    "torch.load",
    "torch.storage._load_from_bytes",
    "torch.serialization.load",
    "torch._inductor",
    "torch.utils.collect_env",
    "functools",
    "operator",
    "smtplib",
    "ftplib",
    "http",
    "urllib",
    "requests",
    "aiohttp",
    "tarfile",
    "zipfile",
    "logging",
    "_io",
    "io",
    "tempfile",
    "glob",
    "fickling",
    "picklescan",
    "modelscan",
    "modelaudit",
    "_osx_support",
    "_aix_support",
    "imaplib",
    "idlelib",
    "lib2to3",
    "doctest",
    "trace",
    "mlflow",
    "pandas",
];

/// True when the resolved name is an allowed reconstruction callable.
pub fn is_allowed(name: &ResolvedName) -> bool {
    if name.has_dunder_segment() {
        return false;
    }
    let dotted = name.dotted();
    ALLOWED.contains(&dotted.as_str())
}

/// A short reason for a rejected name.
pub fn why_rejected(name: &ResolvedName) -> &'static str {
    if name.has_dunder_segment() {
        return "dunder attribute path reaches interpreter internals";
    }
    if name.name.contains('.') {
        return "dotted attribute path (resolved by getattr chain) outside the allow-list";
    }
    let dotted = name.dotted();
    let known = KNOWN_DANGEROUS.iter().any(|d| {
        dotted == *d
            || dotted.starts_with(&format!("{d}."))
            || name.module == *d
            || name.module.starts_with(&format!("{d}."))
    });
    if known {
        "known code-execution, I/O or deserialisation primitive"
    } else {
        "not on the allow-list of reconstruction callables"
    }
}

/// The allow-list, for documentation and `--help` output.
pub fn allowed_names() -> &'static [&'static str] {
    ALLOWED
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pickle::names::resolve;

    #[test]
    fn only_exact_reconstruction_names_pass() {
        assert!(is_allowed(&resolve(
            "torch._utils",
            "_rebuild_tensor_v2",
            2
        )));
        assert!(is_allowed(&resolve("copy_reg", "_reconstructor", 2)));
        assert!(!is_allowed(&resolve(
            "torch._utils",
            "_rebuild_tensor_v2.__globals__",
            4
        )));
        assert!(!is_allowed(&resolve("posix", "system", 2)));
        assert!(!is_allowed(&resolve(
            "torch.storage",
            "_load_from_bytes",
            2
        )));
        assert!(!is_allowed(&resolve(
            "collections",
            "OrderedDict.__init__",
            4
        )));
    }

    #[test]
    fn rejection_reasons_distinguish_known_primitives() {
        assert!(why_rejected(&resolve("posix", "system", 2)).starts_with("known"));
        assert!(why_rejected(&resolve("asyncio.unix_events", "x", 4)).starts_with("known"));
        assert!(why_rejected(&resolve("mypkg", "Thing", 4)).starts_with("not on"));
        assert!(why_rejected(&resolve("builtins", "print.__self__.exec", 4)).starts_with("dunder"));
    }
}
