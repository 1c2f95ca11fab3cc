//! The configuration keys this plugin accepts, in one place.

use serde_json::{Map, Value};

use super::json::mistyped;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;

/// A count that must be at least 1 (`maxConcurrentDeployments`, `minTraffic`, an alarm's
/// periods); anything else is reported at `path`, with the number as written and why.
pub(crate) fn read_positive(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<u64> {
    if let Some(count) = whole_number(value).filter(|n| *n > 0) {
        return Some(count);
    }
    diagnostics.push(match value {
        Value::Number(number) => {
            let reason = match number.as_f64() {
                Some(n) if n < 1.0 => "it must be at least 1",
                Some(n) if n.fract() != 0.0 => "it must be a whole number",
                _ => "it is too large for a count",
            };
            diag::number_out_of_range(path, &number.to_string(), reason)
        }
        other => mistyped(path, "a positive whole number", other),
    });
    None
}

/// A whole number, however YAML wrote it: `5`, `5.0` or `5e0`. js-yaml reads all three as the
/// number 5, which reaches the plugin as `5`; the standalone check sees the float.
pub(crate) fn whole_number(value: &Value) -> Option<u64> {
    if let Some(n) = value.as_u64() {
        return Some(n);
    }
    // Floats are exact up to 2^53: a larger one is not the number written.
    let n = value
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(n))?;
    Some(n as u64)
}

/// Reports each key of `map` that is not one of `accepted`, with the closest to suggest. A key
/// that only differs in case (`triggerName`, the CodeDeploy API's spelling) is told so. Where a
/// key is required (`type`, `alias`, a trigger's, an inline alarm's, a smoke test's) its value
/// is still read ([`get_key`]), so the key is not also reported missing.
pub(crate) fn report_unknown_keys(
    map: &Map<String, Value>,
    path: &str,
    accepted: &[&str],
    diagnostics: &mut Diagnostics,
) {
    for key in map.keys() {
        if accepted.contains(&key.as_str()) {
            continue;
        }
        let key_path = format!("{path}.{key}");
        match miscased(map, key, accepted) {
            Some(spelled) => diagnostics.push(diag::miscased_key(&key_path, key, spelled)),
            None => diagnostics.push(diag::unknown_key(&key_path, key, accepted)),
        }
    }
}

/// The accepted key `key` misspells only in case, when `map` lacks that spelling.
fn miscased<'k>(map: &Map<String, Value>, key: &str, accepted: &[&'k str]) -> Option<&'k str> {
    accepted
        .iter()
        .find(|known| known.eq_ignore_ascii_case(key) && !map.contains_key(**known))
        .copied()
}

/// The value of `key` and the key as written: exactly, or else in another case, which
/// [`report_unknown_keys`] reports.
pub(crate) fn get_key<'m>(map: &'m Map<String, Value>, key: &str) -> Option<(&'m str, &'m Value)> {
    if let Some((written, value)) = map.get_key_value(key) {
        return Some((written.as_str(), value));
    }
    map.iter()
        .find(|(written, _)| written.eq_ignore_ascii_case(key))
        .map(|(written, value)| (written.as_str(), value))
}

/// Keys of `functions.<name>.deploymentSettings`; each may also default from `custom`.
pub(crate) const FUNCTION_KEYS: [&str; 12] = [
    "type",
    "alias",
    "preTrafficHook",
    "postTrafficHook",
    "alarms",
    "canaryAlarms",
    "smokeTest",
    "compareToBaseline",
    "minTraffic",
    "triggerConfigurations",
    "codeDeployRole",
    "rollbackOn",
];

/// `rollbackOn` values and the CodeDeploy auto-rollback events they stand for, in that order.
pub(crate) const ROLLBACK_EVENTS: [(&str, &str); 3] = [
    ("failure", "DEPLOYMENT_FAILURE"),
    ("alarm", "DEPLOYMENT_STOP_ON_ALARM"),
    ("stopRequest", "DEPLOYMENT_STOP_ON_REQUEST"),
];

/// Keys only `custom.deploymentSettings` has.
pub(crate) const SERVICE_KEYS: [&str; 4] = [
    "stages",
    "codeDeployRolePermissionsBoundary",
    "frameworkAlias",
    "maxConcurrentDeployments",
];

/// `frameworkAlias` values, in the order `FrameworkAlias` lists them.
pub(crate) const FRAMEWORK_ALIAS_VALUES: [&str; 2] = ["replace", "reuse"];

/// CodeDeploy's per-group limits.
pub(crate) const MAX_ALARMS: usize = limits::ALARMS_PER_GROUP.value as usize;
pub(crate) const MAX_TRIGGERS: usize = limits::TRIGGERS_PER_GROUP.value as usize;

pub(crate) const TRIGGER_KEYS: [&str; 3] = ["TriggerName", "TriggerTargetArn", "TriggerEvents"];

pub(crate) const TRIGGER_EVENTS: [&str; 10] = [
    "DeploymentStart",
    "DeploymentSuccess",
    "DeploymentFailure",
    "DeploymentStop",
    "DeploymentRollback",
    "DeploymentReady",
    "InstanceStart",
    "InstanceSuccess",
    "InstanceFailure",
    "InstanceReady",
];

/// Lambda alias names: at most 128 of `[a-zA-Z0-9-_]`, not all digits.
pub(crate) const MAX_ALIAS_LENGTH: usize = limits::ALIAS_NAME_LENGTH.value as usize;
