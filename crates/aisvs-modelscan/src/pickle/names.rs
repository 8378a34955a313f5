//! Name resolution as CPython's `Unpickler.find_class` does it: the Python 2 → 3 renames of
//! `_compat_pickle` (applied when the pickle's protocol is below 3) and dotted attribute paths.

/// Module renames applied to protocol 0–2 pickles (`_compat_pickle.IMPORT_MAPPING`, the subset that
/// matters for code execution and for the allow-list).
const IMPORT_MAPPING: &[(&str, &str)] = &[
    ("__builtin__", "builtins"),
    ("copy_reg", "copyreg"),
    ("cPickle", "pickle"),
    ("commands", "subprocess"),
    ("exceptions", "builtins"),
    ("httplib", "http.client"),
    ("urllib2", "urllib.request"),
    ("urlparse", "urllib.parse"),
    ("thread", "_thread"),
    ("Queue", "queue"),
    ("StringIO", "io"),
    ("cStringIO", "io"),
    ("UserDict", "collections"),
    ("UserList", "collections"),
    ("UserString", "collections"),
    ("SocketServer", "socketserver"),
    ("BaseHTTPServer", "http.server"),
    ("SimpleHTTPServer", "http.server"),
    ("CGIHTTPServer", "http.server"),
    ("xmlrpclib", "xmlrpc.client"),
    ("cookielib", "http.cookiejar"),
    ("dbm", "dbm.ndbm"),
    ("gdbm", "dbm.gnu"),
    ("anydbm", "dbm"),
    ("repr", "reprlib"),
    ("_abcoll", "collections.abc"),
    ("test.test_support", "test.support"),
];

/// `(module, name)` pair renames (`_compat_pickle.NAME_MAPPING`, relevant subset).
/// A `(module, name)` pair.
type Pair = (&'static str, &'static str);

const NAME_MAPPING: &[(Pair, Pair)] = &[
    (("__builtin__", "xrange"), ("builtins", "range")),
    (("__builtin__", "reduce"), ("functools", "reduce")),
    (("__builtin__", "intern"), ("sys", "intern")),
    (("__builtin__", "unichr"), ("builtins", "chr")),
    (("__builtin__", "unicode"), ("builtins", "str")),
    (("__builtin__", "long"), ("builtins", "int")),
    (("itertools", "izip"), ("builtins", "zip")),
    (("itertools", "imap"), ("builtins", "map")),
    (("itertools", "ifilter"), ("builtins", "filter")),
    (
        ("UserDict", "IterableUserDict"),
        ("collections", "UserDict"),
    ),
    (("_socket", "fromfd"), ("socket", "fromfd")),
    (("urllib", "urlopen"), ("urllib.request", "urlopen")),
    (("urllib", "urlretrieve"), ("urllib.request", "urlretrieve")),
    (
        ("multiprocessing.forking", "Popen"),
        ("multiprocessing.popen_fork", "Popen"),
    ),
];

/// A global reference after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedName {
    /// As written in the pickle.
    pub raw_module: String,
    pub raw_name: String,
    /// After `fix_imports` (protocol < 3).
    pub module: String,
    pub name: String,
}

impl ResolvedName {
    /// `module.name` after resolution.
    pub fn dotted(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }

    /// Human text, showing the original spelling when a rename applied.
    pub fn describe(&self) -> String {
        if self.raw_module == self.module && self.raw_name == self.name {
            self.dotted()
        } else {
            format!(
                "{}.{} (resolves to {})",
                self.raw_module,
                self.raw_name,
                self.dotted()
            )
        }
    }

    /// True when the attribute path has a dunder segment (`print.__self__.exec`).
    pub fn has_dunder_segment(&self) -> bool {
        self.name
            .split('.')
            .any(|seg| seg.starts_with("__") && seg.ends_with("__") && seg.len() > 4)
    }
}

/// Resolves `(module, name)` the way `find_class` would for the given protocol.
pub fn resolve(module: &str, name: &str, protocol: u8) -> ResolvedName {
    let (mut m, mut n) = (module.to_string(), name.to_string());
    if protocol < 3 {
        if let Some((_, (nm, nn))) = NAME_MAPPING.iter().find(|((a, b), _)| *a == m && *b == n) {
            m = (*nm).to_string();
            n = (*nn).to_string();
        } else if let Some((_, nm)) = IMPORT_MAPPING.iter().find(|(a, _)| *a == m) {
            m = (*nm).to_string();
        }
    }
    // `posix`/`nt` are the platform names of `os`; normalising makes the report readable.
    ResolvedName {
        raw_module: module.to_string(),
        raw_name: name.to_string(),
        module: m,
        name: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python2_names_map_only_below_protocol_3() {
        let r = resolve("commands", "getoutput", 0);
        assert_eq!(r.dotted(), "subprocess.getoutput");
        assert!(r.describe().contains("commands.getoutput"));
        assert_eq!(
            resolve("commands", "getoutput", 4).dotted(),
            "commands.getoutput"
        );
        assert_eq!(
            resolve("__builtin__", "unicode", 2).dotted(),
            "builtins.str"
        );
        assert_eq!(
            resolve("copy_reg", "_reconstructor", 2).dotted(),
            "copyreg._reconstructor"
        );
    }

    #[test]
    fn dunder_segments_are_detected() {
        assert!(resolve("builtins", "print.__self__.exec", 4).has_dunder_segment());
        assert!(!resolve("torch._utils", "_rebuild_tensor_v2", 2).has_dunder_segment());
    }
}
