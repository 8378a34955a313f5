//! The minimal root filesystem: a fresh tmpfs with only allow-listed host paths bound
//! read-only, a few device nodes, a private /proc and the scratch dir — never the host's `/`.
//! The plan is built in the parent (allocating freely); the child only walks it.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::config::SCRATCH_INSIDE;
use super::error::SandboxError;
use super::sys::{self, MOUNT_ATTR_NODEV, MOUNT_ATTR_NOEXEC, MOUNT_ATTR_NOSUID, MOUNT_ATTR_RDONLY};

/// System paths every command needs (interpreter, libraries, loader config, user names).
/// Only those present on the host are used; top-level symlinks (merged /usr) stay symlinks.
pub const SYSTEM_READ_ONLY: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/hosts",
];

/// Device nodes bound from the host (read-write, no exec, no suid).
pub const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
];

/// One step of building the new root, with host-side paths already joined under the root dir.
#[derive(Debug)]
pub enum MountOp {
    Mkdir(CString),
    Touch(CString),
    Symlink {
        target: CString,
        link: CString,
    },
    Bind {
        source: CString,
        target: CString,
    },
    SetAttr {
        target: CString,
        recursive: bool,
        attrs: u64,
    },
    Proc {
        target: CString,
    },
}

/// Everything the child does to its mount namespace, in order.
#[derive(Debug)]
pub struct MountPlan {
    pub root: CString,
    pub ops: Vec<MountOp>,
    /// Host paths whose inodes are bound inside, by role (for Landlock rules).
    pub read_only_sources: Vec<PathBuf>,
    pub device_sources: Vec<PathBuf>,
    pub scratch_source: PathBuf,
    /// Human-readable list for the record.
    pub summary: Vec<String>,
}

fn cstring(path: &Path) -> Result<CString, SandboxError> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| SandboxError::InvalidOption {
        what: path.display().to_string(),
        reason: "path contains a NUL byte".into(),
    })
}

fn under_root(root: &Path, inside: &Path) -> PathBuf {
    root.join(inside.strip_prefix("/").unwrap_or(inside))
}

struct Builder {
    root: PathBuf,
    ops: Vec<MountOp>,
    made_dirs: Vec<PathBuf>,
}

impl Builder {
    /// mkdir -p of `inside` (and its parents) under the new root, once each.
    fn mkdirs(&mut self, inside: &Path) -> Result<(), SandboxError> {
        let mut current = PathBuf::from("/");
        for part in inside.components().skip(1) {
            current.push(part);
            if !self.made_dirs.contains(&current) {
                self.made_dirs.push(current.clone());
                self.ops
                    .push(MountOp::Mkdir(cstring(&under_root(&self.root, &current))?));
            }
        }
        Ok(())
    }

    /// Binds host `source` at the same path inside and applies `attrs`.
    fn bind(&mut self, source: &Path, attrs: u64, recursive: bool) -> Result<(), SandboxError> {
        let target = under_root(&self.root, source);
        if source.is_dir() {
            self.mkdirs(source)?;
        } else {
            if let Some(parent) = source.parent() {
                self.mkdirs(parent)?;
            }
            self.ops.push(MountOp::Touch(cstring(&target)?));
        }
        let target = cstring(&target)?;
        self.ops.push(MountOp::Bind {
            source: cstring(source)?,
            target: target.clone(),
        });
        self.ops.push(MountOp::SetAttr {
            target,
            recursive,
            attrs,
        });
        Ok(())
    }
}

/// Builds the plan for a root at `root` (an empty host dir) with user inputs and a scratch dir.
pub fn plan(root: &Path, inputs: &[PathBuf], scratch: &Path) -> Result<MountPlan, SandboxError> {
    let mut b = Builder {
        root: root.to_path_buf(),
        ops: Vec::new(),
        made_dirs: Vec::new(),
    };
    let mut read_only_sources = Vec::new();
    let mut summary = Vec::new();
    let read_only = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    for system in SYSTEM_READ_ONLY.iter().map(Path::new) {
        let Ok(meta) = std::fs::symlink_metadata(system) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            // Merged-/usr links such as /bin -> usr/bin: recreate the link, bind nothing.
            let Ok(target) = std::fs::read_link(system) else {
                continue;
            };
            if let Some(parent) = system.parent() {
                b.mkdirs(parent)?;
            }
            b.ops.push(MountOp::Symlink {
                target: cstring(&target)?,
                link: cstring(&under_root(root, system))?,
            });
            summary.push(format!(
                "{} -> {} (symlink)",
                system.display(),
                target.display()
            ));
            continue;
        }
        b.bind(system, read_only, true)?;
        read_only_sources.push(system.to_path_buf());
        summary.push(format!("{} (read-only)", system.display()));
    }
    for input in inputs {
        b.bind(input, read_only, true)?;
        read_only_sources.push(input.clone());
        summary.push(format!("{} (read-only input)", input.display()));
    }
    b.mkdirs(Path::new("/dev"))?;
    let mut device_sources = Vec::new();
    for device in DEVICES.iter().map(Path::new).filter(|d| d.exists()) {
        b.bind(device, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, false)?;
        device_sources.push(device.to_path_buf());
    }
    for (link, target) in [
        ("/dev/fd", "/proc/self/fd"),
        ("/dev/stdin", "/proc/self/fd/0"),
        ("/dev/stdout", "/proc/self/fd/1"),
        ("/dev/stderr", "/proc/self/fd/2"),
    ] {
        b.ops.push(MountOp::Symlink {
            target: cstring(Path::new(target))?,
            link: cstring(&under_root(root, Path::new(link)))?,
        });
    }
    summary.push(format!("/dev: {}", DEVICES.join(", ")));
    b.mkdirs(Path::new("/proc"))?;
    b.ops.push(MountOp::Proc {
        target: cstring(&under_root(root, Path::new("/proc")))?,
    });
    summary.push("/proc (new, this pid namespace only)".into());
    let scratch_inside = Path::new(SCRATCH_INSIDE);
    b.mkdirs(scratch_inside)?;
    let scratch_target = cstring(&under_root(root, scratch_inside))?;
    b.ops.push(MountOp::Bind {
        source: cstring(scratch)?,
        target: scratch_target.clone(),
    });
    b.ops.push(MountOp::SetAttr {
        target: scratch_target,
        recursive: true,
        attrs: MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
    });
    summary.push(format!(
        "{SCRATCH_INSIDE} <- {} (writable, noexec)",
        scratch.display()
    ));
    Ok(MountPlan {
        root: cstring(root)?,
        ops: b.ops,
        read_only_sources,
        device_sources,
        scratch_source: scratch.to_path_buf(),
        summary,
    })
}

/// Child side: private propagation, tmpfs root, every op, read-only root, pivot_root.
/// Returns `(step name, errno)` on failure. `/proc` failing is reported through `proc_failed`
/// (the run continues without it) rather than aborting.
pub fn apply(plan: &MountPlan, proc_failed: &mut Option<i32>) -> Result<(), (&'static str, i32)> {
    let step = |name: &'static str| move |errno: i32| (name, errno);
    sys::mount(None, c"/", None, libc::MS_REC | libc::MS_PRIVATE, None)
        .map_err(step("make mounts private"))?;
    sys::mount(
        Some(c"tmpfs"),
        &plan.root,
        Some(c"tmpfs"),
        libc::MS_NOSUID | libc::MS_NODEV,
        Some(c"mode=0755,size=1m"),
    )
    .map_err(step("mount tmpfs root"))?;
    for op in &plan.ops {
        apply_op(op, proc_failed)?;
    }
    sys::mount_setattr(
        &plan.root,
        false,
        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
    )
    .map_err(step("make root read-only"))?;
    sys::chdir(&plan.root).map_err(step("chdir new root"))?;
    sys::pivot_root(c".", c".").map_err(step("pivot_root"))?;
    sys::umount2(c".", libc::MNT_DETACH).map_err(step("detach old root"))?;
    sys::chdir(c"/").map_err(step("chdir /"))
}

fn apply_op(op: &MountOp, proc_failed: &mut Option<i32>) -> Result<(), (&'static str, i32)> {
    match op {
        MountOp::Mkdir(path) => sys::mkdir_exist_ok(path, 0o755).map_err(|e| ("mkdir", e)),
        MountOp::Touch(path) => sys::touch(path).map_err(|e| ("create mount point", e)),
        MountOp::Symlink { target, link } => sys::symlink(target, link).map_err(|e| ("symlink", e)),
        MountOp::Bind { source, target } => sys::mount(
            Some(source),
            target,
            None,
            libc::MS_BIND | libc::MS_REC,
            None,
        )
        .map_err(|e| ("bind mount", e)),
        MountOp::SetAttr {
            target,
            recursive,
            attrs,
        } => {
            sys::mount_setattr(target, *recursive, *attrs).map_err(|e| ("set mount attributes", e))
        }
        MountOp::Proc { target } => {
            // A kernel may refuse a new procfs (e.g. when the host /proc is partly masked);
            // the run goes on without /proc and the record says so.
            if let Err(errno) = sys::mount(
                Some(c"proc"),
                target,
                Some(c"proc"),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                None,
            ) {
                *proc_failed = Some(errno);
            }
            Ok(())
        }
    }
}
