//! Memory and pid limits, CPU accounting, peaks and whole-tree kill through cgroups, on v2,
//! v1 or the v1/v2 hybrid (where memory, pids and cpuacct live only in v1). Each controller is
//! placed independently in a fresh child of the caller's own cgroup, so outer limits still hold.

use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// A cgroup directory that carries one controller.
#[derive(Debug, Clone)]
pub struct Place {
    pub dir: PathBuf,
    pub version: Version,
}

impl Place {
    fn read_u64(&self, file: &str) -> Option<u64> {
        fs::read_to_string(self.dir.join(file))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
    fn write(&self, file: &str, value: &str) -> std::io::Result<()> {
        fs::write(self.dir.join(file), value)
    }
    fn label(&self) -> &'static str {
        match self.version {
            Version::V1 => "cgroup v1",
            Version::V2 => "cgroup v2",
        }
    }
}

/// The cgroups of one run. Directories are removed by `cleanup`.
#[derive(Debug, Default)]
pub struct Cgroups {
    pub memory: Option<Place>,
    pub pids: Option<Place>,
    pub cpu: Option<Place>,
    created: Vec<PathBuf>,
    sampled_peak_pids: u64,
}

/// (mount point, mount root, version, super options) of each cgroup mount.
fn cgroup_mounts() -> Vec<(PathBuf, String, Version, String)> {
    let Ok(text) = fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let fields: Vec<&str> = left.split(' ').collect();
            let mut rest = right.split(' ');
            let version = match rest.next()? {
                "cgroup" => Version::V1,
                "cgroup2" => Version::V2,
                _ => return None,
            };
            let super_opts = rest.nth(1).unwrap_or("").to_string();
            Some((
                PathBuf::from(fields.get(4)?),
                fields.get(3)?.to_string(),
                version,
                super_opts,
            ))
        })
        .collect()
}

/// Our own cgroup path for a v1 controller (`Some("memory")`) or v2 (`None`).
fn own_path(controller: Option<&str>) -> Option<String> {
    let text = fs::read_to_string("/proc/self/cgroup").ok()?;
    text.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
        let wanted = match controller {
            None => names.is_empty(),
            Some(c) => names.split(',').any(|n| n == c),
        };
        wanted.then(|| path.to_string())
    })
}

fn join_cgroup(mount: &Path, mount_root: &str, path: &str) -> PathBuf {
    let relative = path.strip_prefix(mount_root).unwrap_or(path);
    mount.join(relative.trim_start_matches('/'))
}

impl Cgroups {
    /// Creates a cgroup for each controller that can be used; `unique` names the run.
    pub fn create(unique: &str) -> Cgroups {
        let mut set = Cgroups::default();
        let mounts = cgroup_mounts();
        let name = format!("aisvs-sandbox-{unique}");
        // v2 first: use it for every controller it offers in a child we can create.
        if let Some((mount, root, _, _)) = mounts.iter().find(|m| m.2 == Version::V2) {
            if let Some(own) = own_path(None) {
                let parent = join_cgroup(mount, root, &own);
                let enabled =
                    fs::read_to_string(parent.join("cgroup.subtree_control")).unwrap_or_default();
                let dir = parent.join(&name);
                if fs::create_dir(&dir).is_ok() {
                    set.created.push(dir.clone());
                    let place = Place {
                        dir,
                        version: Version::V2,
                    };
                    let has = |c: &str| enabled.split_whitespace().any(|e| e == c);
                    if has("memory") {
                        set.memory = Some(place.clone());
                    }
                    if has("pids") {
                        set.pids = Some(place.clone());
                    }
                    // cpu.stat usage is core v2 accounting, present without the cpu controller.
                    set.cpu = Some(place);
                }
            }
        }
        for (controller, slot) in [("memory", 0), ("pids", 1), ("cpuacct", 2)] {
            let taken = match slot {
                0 => set.memory.is_some(),
                1 => set.pids.is_some(),
                _ => set.cpu.is_some(),
            };
            if taken {
                continue;
            }
            let Some((mount, root, _, _)) = mounts
                .iter()
                .find(|m| m.2 == Version::V1 && m.3.split(',').any(|o| o == controller))
            else {
                continue;
            };
            let Some(own) = own_path(Some(controller)) else {
                continue;
            };
            let dir = join_cgroup(mount, root, &own).join(&name);
            if fs::create_dir(&dir).is_err() {
                continue;
            }
            set.created.push(dir.clone());
            let place = Some(Place {
                dir,
                version: Version::V1,
            });
            match slot {
                0 => set.memory = place,
                1 => set.pids = place,
                _ => set.cpu = place,
            }
        }
        set
    }

    /// Sets the memory limit (swap too, where the kernel accounts it). Returns where it holds.
    pub fn limit_memory(&self, bytes: u64) -> Option<&'static str> {
        let place = self.memory.as_ref()?;
        let value = bytes.to_string();
        let ok = match place.version {
            Version::V2 => {
                let ok = place.write("memory.max", &value).is_ok();
                let _ = place.write("memory.swap.max", "0");
                ok
            }
            Version::V1 => {
                let ok = place.write("memory.limit_in_bytes", &value).is_ok();
                let _ = place.write("memory.memsw.limit_in_bytes", &value);
                ok
            }
        };
        ok.then(|| place.label())
    }

    /// Sets the maximum number of tasks. Returns where it holds.
    pub fn limit_pids(&self, pids: u64) -> Option<&'static str> {
        let place = self.pids.as_ref()?;
        place
            .write("pids.max", &pids.to_string())
            .is_ok()
            .then(|| place.label())
    }

    /// Moves `pid` into every cgroup of the run.
    pub fn add(&self, pid: i32) -> std::io::Result<()> {
        let mut done: Vec<&Path> = Vec::new();
        for place in [&self.memory, &self.pids, &self.cpu].into_iter().flatten() {
            if !done.contains(&place.dir.as_path()) {
                place.write("cgroup.procs", &pid.to_string())?;
                done.push(&place.dir);
            }
        }
        Ok(())
    }

    /// Samples counters that have no kernel-kept peak (pids on v1).
    pub fn sample(&mut self) {
        if let Some(current) = self.pids.as_ref().and_then(|p| p.read_u64("pids.current")) {
            self.sampled_peak_pids = self.sampled_peak_pids.max(current);
        }
    }

    /// CPU time used by the whole tree so far, in milliseconds.
    pub fn cpu_time_ms(&self) -> Option<u64> {
        let place = self.cpu.as_ref()?;
        match place.version {
            Version::V1 => place.read_u64("cpuacct.usage").map(|ns| ns / 1_000_000),
            Version::V2 => fs::read_to_string(place.dir.join("cpu.stat"))
                .ok()?
                .lines()
                .find_map(|l| l.strip_prefix("usage_usec ")?.trim().parse::<u64>().ok())
                .map(|us| us / 1000),
        }
    }

    pub fn peak_memory(&self) -> Option<u64> {
        let place = self.memory.as_ref()?;
        match place.version {
            Version::V1 => place.read_u64("memory.max_usage_in_bytes"),
            Version::V2 => place.read_u64("memory.peak"),
        }
    }

    pub fn peak_pids(&self) -> Option<u64> {
        let place = self.pids.as_ref()?;
        let kernel_peak = place.read_u64("pids.peak").unwrap_or(0);
        Some(kernel_peak.max(self.sampled_peak_pids))
    }

    /// True when the kernel OOM-killed a task of this run.
    pub fn oom_killed(&self) -> bool {
        let Some(place) = self.memory.as_ref() else {
            return false;
        };
        let file = match place.version {
            Version::V1 => "memory.oom_control",
            Version::V2 => "memory.events",
        };
        fs::read_to_string(place.dir.join(file))
            .unwrap_or_default()
            .lines()
            .any(|l| l.strip_prefix("oom_kill ").is_some_and(|n| n.trim() != "0"))
    }

    /// Source label of the numbers for the record.
    pub fn source(&self) -> String {
        let labels: Vec<&str> = [&self.memory, &self.pids, &self.cpu]
            .into_iter()
            .flatten()
            .map(Place::label)
            .collect();
        match labels.first() {
            None => "rusage".into(),
            Some(first) => format!("{first} + rusage"),
        }
    }

    /// SIGKILLs every task in the run's cgroups (`cgroup.kill` on v2, one by one on v1).
    pub fn kill_all(&self) {
        for place in [&self.memory, &self.pids, &self.cpu].into_iter().flatten() {
            if place.version == Version::V2 && place.write("cgroup.kill", "1").is_ok() {
                continue;
            }
            let procs = fs::read_to_string(place.dir.join("cgroup.procs")).unwrap_or_default();
            for pid in procs.lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
                let _ = super::sys_parent::kill(pid, libc::SIGKILL);
            }
        }
    }

    /// Removes the run's cgroup dirs (retrying while the last tasks finish exiting).
    pub fn cleanup(&mut self) {
        for dir in self.created.drain(..) {
            for _ in 0..50 {
                if fs::remove_dir(&dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}

impl Drop for Cgroups {
    fn drop(&mut self) {
        self.cleanup();
    }
}
