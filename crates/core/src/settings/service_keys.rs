//! The keys only `custom.deploymentSettings` has: they set how the whole service deploys, not
//! one function.

use serde_json::{Map, Value};

use super::fields::{
    read_positive, report_unknown_keys, FRAMEWORK_ALIAS_VALUES, FUNCTION_KEYS, SERVICE_KEYS,
};
use super::json::{mistyped, plain_object};
use super::layers::CUSTOM_PATH;
use super::strings::{read_iam_arn, read_string};
use super::{FrameworkAlias, ServiceSettings, Sourced};
use crate::diagnostics::{self as diag, Diagnostics};

/// `custom.deploymentSettings` when it is a map, its unknown keys reported.
pub(super) fn read_custom<'a>(
    custom: Option<&'a Value>,
    diagnostics: &mut Diagnostics,
) -> Option<&'a Map<String, Value>> {
    match custom? {
        Value::Object(map) if plain_object(custom?).is_some() => {
            let accepted: Vec<&str> = FUNCTION_KEYS.iter().chain(&SERVICE_KEYS).copied().collect();
            report_unknown_keys(map, CUSTOM_PATH, &accepted, diagnostics);
            Some(map)
        }
        Value::Null => None,
        other => {
            diagnostics.push(mistyped(CUSTOM_PATH, "an object", other));
            None
        }
    }
}

/// `stages`, `codeDeployRolePermissionsBoundary`, `frameworkAlias` and
/// `maxConcurrentDeployments`, into `settings`.
pub(super) fn read_service_keys(
    custom: &Map<String, Value>,
    settings: &mut ServiceSettings,
    diagnostics: &mut Diagnostics,
) {
    settings.stages = read_stages(custom, diagnostics);
    settings.permissions_boundary =
        custom
            .get("codeDeployRolePermissionsBoundary")
            .and_then(|value| {
                let path = format!("{CUSTOM_PATH}.codeDeployRolePermissionsBoundary");
                read_iam_arn(
                    value,
                    &path,
                    "policy",
                    diag::invalid_policy_arn,
                    diagnostics,
                )
            });
    settings.framework_alias = read_framework_alias(custom, diagnostics);
    settings.max_concurrent_deployments =
        custom.get("maxConcurrentDeployments").and_then(|value| {
            let path = format!("{CUSTOM_PATH}.maxConcurrentDeployments");
            read_positive(value, &path, diagnostics).map(|value| Sourced { value, path })
        });
}

fn read_stages(custom: &Map<String, Value>, diagnostics: &mut Diagnostics) -> Vec<String> {
    let path = format!("{CUSTOM_PATH}.stages");
    match custom.get("stages") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read_string(item, &format!("{path}[{i}]"), diagnostics))
            .collect(),
        Some(other) => {
            diagnostics.push(mistyped(&path, "a list of stage names", other));
            Vec::new()
        }
    }
}

fn read_framework_alias(
    custom: &Map<String, Value>,
    diagnostics: &mut Diagnostics,
) -> Option<FrameworkAlias> {
    let path = format!("{CUSTOM_PATH}.frameworkAlias");
    let value = read_string(custom.get("frameworkAlias")?, &path, diagnostics)?;
    match value.as_str() {
        "replace" => Some(FrameworkAlias::Replace),
        "reuse" => Some(FrameworkAlias::Reuse),
        _ => {
            diagnostics.push(diag::not_one_of(&path, &value, &FRAMEWORK_ALIAS_VALUES));
            None
        }
    }
}
