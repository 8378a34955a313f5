//! The OCI/Docker seccomp profile model (`defaultAction`, `architectures`, `syscalls[]`) and its
//! lenient-but-checked reader. SPO `SeccompProfile.spec` uses the same field names.

use super::error::{ProfileError, MAX_NAMES, MAX_RULES};
use serde_json::Value;

/// A seccomp profile as runtimes (runc, crun, containerd, CRI-O, Docker) read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    /// `defaultAction`, verbatim (e.g. `SCMP_ACT_ERRNO`).
    pub default_action: String,
    /// `defaultErrnoRet`, if set.
    pub default_errno_ret: Option<u64>,
    /// `architectures` plus every `archMap[].architecture` and its `subArchitectures`, verbatim.
    pub architectures: Vec<String>,
    /// `syscalls[]`, in file order.
    pub rules: Vec<SyscallRule>,
}

/// One entry of `syscalls[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyscallRule {
    /// `names` (or the old single `name`).
    pub names: Vec<String>,
    /// `action`, verbatim.
    pub action: String,
    /// `errnoRet`, if set.
    pub errno_ret: Option<u64>,
    /// `args[]` comparisons; all must match for the rule to apply.
    pub args: Vec<ArgFilter>,
    /// moby's `includes`: the rule applies only when these hold.
    pub includes: RuleCondition,
    /// moby's `excludes`: the rule does not apply when these hold.
    pub excludes: RuleCondition,
}

/// One argument comparison (`{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ArgFilter {
    /// Argument index, 0–5.
    pub index: u64,
    /// First operand (the mask for `SCMP_CMP_MASKED_EQ`).
    pub value: u64,
    /// Second operand (the expected value for `SCMP_CMP_MASKED_EQ`).
    pub value_two: u64,
    /// Comparison operator, verbatim.
    pub op: String,
}

/// moby's conditional-rule fields (`caps`, `arches`, `minKernel`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleCondition {
    /// Capabilities that must (includes) or must not (excludes) be held.
    pub caps: Vec<String>,
    /// Architectures (Go names such as `amd64`) the rule is limited to or excluded from.
    pub arches: Vec<String>,
    /// Minimum kernel version, e.g. `4.8`.
    pub min_kernel: Option<String>,
}

impl RuleCondition {
    /// True when no condition is set.
    pub fn is_empty(&self) -> bool {
        self.caps.is_empty() && self.arches.is_empty() && self.min_kernel.is_none()
    }
}

impl Profile {
    /// Reads a profile from a parsed JSON value (an OCI profile, or an SPO `spec`).
    pub fn from_value(value: &Value) -> Result<Self, ProfileError> {
        let object = value
            .as_object()
            .ok_or_else(|| invalid("the profile is not a JSON object"))?;
        let default_action = match object.get("defaultAction") {
            Some(Value::String(action)) => action.clone(),
            Some(_) => return Err(invalid("defaultAction is not a string")),
            None => return Err(invalid("defaultAction is missing")),
        };
        let default_errno_ret = optional_u64(object.get("defaultErrnoRet"), "defaultErrnoRet")?;
        let mut architectures = string_list(object.get("architectures"), "architectures")?;
        if let Some(arch_map) = object.get("archMap").filter(|v| !v.is_null()) {
            let entries = arch_map
                .as_array()
                .ok_or_else(|| invalid("archMap is not an array"))?;
            for entry in entries {
                let main = entry.get("architecture").map(wrap);
                architectures.extend(string_list(main.as_ref(), "archMap")?);
                architectures.extend(string_list(entry.get("subArchitectures"), "archMap")?);
            }
        }
        architectures.sort();
        architectures.dedup();
        let rules = match object.get("syscalls") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > MAX_RULES {
                    return Err(invalid(&format!("more than {MAX_RULES} syscall rules")));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| read_rule(item, index))
                    .collect::<Result<Vec<_>, _>>()?
            }
            Some(_) => return Err(invalid("syscalls is not an array")),
        };
        let total_names: usize = rules.iter().map(|rule| rule.names.len()).sum();
        if total_names > MAX_NAMES {
            return Err(invalid(&format!("more than {MAX_NAMES} syscall names")));
        }
        Ok(Profile {
            default_action,
            default_errno_ret,
            architectures,
            rules,
        })
    }

    /// Parses profile JSON text.
    pub fn from_json(text: &str) -> Result<Self, ProfileError> {
        let value: Value =
            serde_json::from_str(text).map_err(|err| ProfileError::NotJson(err.to_string()))?;
        Self::from_value(&value)
    }
}

fn wrap(value: &Value) -> Value {
    Value::Array(vec![value.clone()])
}

fn read_rule(item: &Value, index: usize) -> Result<SyscallRule, ProfileError> {
    let at = |what: &str| invalid(&format!("syscalls[{index}]: {what}"));
    let object = item.as_object().ok_or_else(|| at("not an object"))?;
    let mut names = string_list(object.get("names"), "names")
        .map_err(|_| at("names is not a list of strings"))?;
    match object.get("name") {
        Some(Value::String(name)) => names.push(name.clone()),
        Some(Value::Null) | None => {}
        Some(_) => return Err(at("name is not a string")),
    }
    let action = match object.get("action") {
        Some(Value::String(action)) => action.clone(),
        _ => return Err(at("action is missing or not a string")),
    };
    let errno_ret = optional_u64(object.get("errnoRet"), "errnoRet")
        .map_err(|_| at("errnoRet is not a number"))?;
    let args = match object.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(args)) => args
            .iter()
            .map(|arg| read_arg(arg).map_err(|what| at(&what)))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(at("args is not an array")),
    };
    Ok(SyscallRule {
        names,
        action,
        errno_ret,
        args,
        includes: read_condition(object.get("includes")).map_err(|what| at(&what))?,
        excludes: read_condition(object.get("excludes")).map_err(|what| at(&what))?,
    })
}

fn read_arg(arg: &Value) -> Result<ArgFilter, String> {
    let number = |key: &str| match arg.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(value) => value
            .as_u64()
            .ok_or(format!("args.{key} is not a non-negative integer")),
    };
    let op = match arg.get("op") {
        Some(Value::String(op)) => op.clone(),
        _ => return Err("args.op is missing or not a string".to_string()),
    };
    Ok(ArgFilter {
        index: number("index")?,
        value: number("value")?,
        value_two: number("valueTwo")?,
        op,
    })
}

fn read_condition(value: Option<&Value>) -> Result<RuleCondition, String> {
    let Some(object) = value.and_then(Value::as_object) else {
        return Ok(RuleCondition::default());
    };
    let list = |key: &str| string_list(object.get(key), key).map_err(|err| err.to_string());
    let min_kernel = match object.get("minKernel") {
        Some(Value::String(version)) => Some(version.clone()),
        _ => None,
    };
    Ok(RuleCondition {
        caps: list("caps")?,
        arches: list("arches")?,
        min_kernel,
    })
}

fn string_list(value: Option<&Value>, field: &str) -> Result<Vec<String>, ProfileError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid(&format!("{field} contains a non-string")))
            })
            .collect(),
        Some(_) => Err(invalid(&format!("{field} is not a list"))),
    }
}

fn optional_u64(value: Option<&Value>, field: &str) -> Result<Option<u64>, ProfileError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| invalid(&format!("{field} is not a non-negative integer"))),
    }
}

fn invalid(message: &str) -> ProfileError {
    ProfileError::Invalid(message.to_string())
}
