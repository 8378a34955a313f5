//! Landlock ruleset, prepared in the parent and enforced by the child just before exec.
//!
//! Rules name inodes, and bind mounts keep inodes, so rules made on host paths hold for the
//! same files inside the new root. Policy: nothing is writable but the scratch dir and the
//! device nodes; nothing is executable but the read-only system paths and inputs; no TCP bind or
//! connect except allowed loopback ports; abstract Unix sockets and signals are scoped to the
//! sandbox. Reads are not handled by Landlock (the fresh procfs has no host inode to name); the
//! mount namespace is what limits which files can be read.

use std::path::PathBuf;

use landlock::{
    path_beneath_rules, Access, AccessFs, AccessNet, BitFlags, NetPort, Ruleset, RulesetAttr,
    RulesetCreated, RulesetCreatedAttr, Scope, ABI,
};

use super::record::{ControlStatus, IsolationControl};
use super::sys_parent;

/// The newest ABI this code asks for; older kernels get the subset they know (best effort).
const TARGET_ABI: ABI = ABI::V7;

/// A ruleset ready for `restrict_self`, with what it will enforce.
pub struct LandlockPlan {
    pub ruleset: Option<RulesetCreated>,
    pub control: IsolationControl,
}

fn handled_fs() -> BitFlags<AccessFs> {
    AccessFs::from_all(TARGET_ABI) & !(AccessFs::ReadFile | AccessFs::ReadDir)
}

/// Builds the ruleset; never fails the run on its own — an unsupported kernel yields a plan
/// without a ruleset whose control says `not_applied` and why.
pub fn prepare(
    read_only: &[PathBuf],
    devices: &[PathBuf],
    scratch: &PathBuf,
    allowed_ports: &[u16],
) -> LandlockPlan {
    let abi = sys_parent::landlock_abi_version();
    let not_applied = |detail: String| LandlockPlan {
        ruleset: None,
        control: IsolationControl {
            control: "landlock".into(),
            status: ControlStatus::NotApplied,
            detail,
        },
    };
    if abi < 1 {
        return not_applied("Landlock is not available on this kernel".into());
    }
    match build(read_only, devices, scratch, allowed_ports) {
        Ok(ruleset) => {
            let mut parts =
                vec!["fs: write only in scratch and /dev nodes, exec only from read-only paths"];
            if abi >= 4 {
                parts.push("tcp bind/connect denied except allowed loopback ports");
            }
            if abi >= 6 {
                parts.push("abstract unix sockets and signals scoped to the sandbox");
            }
            let status = if abi >= 6 {
                ControlStatus::Applied
            } else {
                ControlStatus::Fallback
            };
            LandlockPlan {
                ruleset: Some(ruleset),
                control: IsolationControl {
                    control: "landlock".into(),
                    status,
                    detail: format!("kernel ABI {abi}: {}", parts.join("; ")),
                },
            }
        }
        Err(e) => not_applied(format!("could not build the ruleset: {e}")),
    }
}

fn build(
    read_only: &[PathBuf],
    devices: &[PathBuf],
    scratch: &PathBuf,
    allowed_ports: &[u16],
) -> Result<RulesetCreated, landlock::RulesetError> {
    let fs = handled_fs();
    let exec_only = AccessFs::Execute;
    let scratch_rights = fs & !AccessFs::Execute;
    let device_rights = AccessFs::WriteFile | AccessFs::Truncate;
    let mut created = Ruleset::default()
        .handle_access(fs)?
        .handle_access(AccessNet::from_all(TARGET_ABI))?
        .scope(Scope::AbstractUnixSocket | Scope::Signal)?
        .create()?
        .add_rules(path_beneath_rules(read_only, exec_only))?
        .add_rules(path_beneath_rules(devices, device_rights))?
        .add_rules(path_beneath_rules([scratch], scratch_rights))?;
    for port in allowed_ports {
        created = created.add_rule(NetPort::new(*port, AccessNet::from_all(TARGET_ABI)))?;
    }
    Ok(created)
}

/// Child side: enforce the ruleset (also sets `no_new_privs`). Returns the errno on failure.
pub fn enforce(ruleset: RulesetCreated) -> Result<(), i32> {
    ruleset.restrict_self().map(drop).map_err(|_| libc::EPERM)
}
