//! Reads the resolved service config into [`ServiceSettings`], reporting every problem it finds
//! (and carrying on) rather than stopping at the first: the top of the pipeline, each key read
//! by the module of its concern.

use serde_json::{Map, Value};

use super::alarm_list::{check_attached_alarms, read_alarms, read_canary_alarm_list};
use super::alias::{alias_logical_id, read_alias};
use super::deployment_type::read_type;
use super::duplicate_alarms::check_duplicates;
use super::fields::{report_unknown_keys, FUNCTION_KEYS};
use super::generated_ids::generated_ids;
use super::hooks::{check_hook_conflicts, HookTargets};
use super::json::{intrinsic_name, kind, plain_object};
use super::layers::Layers;
use super::rollback::read_rollback_events;
use super::service_keys::{read_custom, read_service_keys};
use super::strings::read_iam_arn;
use super::triggers::read_triggers;
use super::verification::{read_baseline, read_min_traffic, read_smoke_tests};
use super::{FrameworkAlias, FunctionSettings, ServiceSettings, Sourced, TemplateNeeds};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::traffic::DeploymentType;

/// `custom` is `custom.deploymentSettings`; `functions` is the service's `functions` map.
pub fn read_settings(
    custom: Option<&Value>,
    functions: &Map<String, Value>,
    diagnostics: &mut Diagnostics,
) -> ServiceSettings {
    let custom = read_custom(custom, diagnostics);
    let mut settings = ServiceSettings::default();
    if let Some(custom) = custom {
        read_service_keys(custom, &mut settings, diagnostics);
    }

    let hook_targets = HookTargets::new(functions);
    for (name, config) in functions {
        let Some(own) = config.as_object().and_then(|c| c.get("deploymentSettings")) else {
            continue;
        };
        let path = format!("functions.{name}.deploymentSettings");
        let own = match own {
            Value::Object(map) if plain_object(own).is_some() => Some(map),
            // `deploymentSettings:` with nothing: canaried with the service's defaults.
            Value::Null => None,
            // `false`: no canary for this function, whatever the defaults say.
            Value::Bool(false) => continue,
            other => {
                diagnostics.push(match intrinsic_name(other) {
                    Some(function) => diag::intrinsic_not_allowed(&path, function),
                    None => diag::settings_not_a_map(&path, &kind(other)),
                });
                continue;
            }
        };
        let layers = Layers {
            own,
            own_path: path,
            custom,
        };
        let function = read_function(
            name,
            config,
            &layers,
            &hook_targets,
            settings.framework_alias,
            diagnostics,
        );
        match function {
            Ok(function) => settings.functions.push(function),
            Err(needs) => settings.incomplete.push(needs),
        }
    }
    settings
}

/// The function's settings, or, when any is wrong, what can still be checked in the template.
fn read_function(
    name: &str,
    config: &Value,
    layers: &Layers,
    hook_targets: &HookTargets,
    framework_alias: Option<FrameworkAlias>,
    diagnostics: &mut Diagnostics,
) -> Result<FunctionSettings, TemplateNeeds> {
    let start = diagnostics.mark();
    if let Some(own) = layers.own {
        report_unknown_keys(own, &layers.own_path, &FUNCTION_KEYS, diagnostics);
    }

    let deployment_type = read_type(layers, diagnostics);
    let alias = read_alias(layers, diagnostics);
    let pre_traffic_hook = hook_targets.read_hook(layers, "preTrafficHook", diagnostics);
    let post_traffic_hook = hook_targets.read_hook(layers, "postTrafficHook", diagnostics);
    let alarms = read_alarms(layers, diagnostics);
    check_duplicates(name, &alarms, diagnostics);
    let canary_alarms = read_canary_alarm_list(layers, diagnostics);
    let smoke_tests = layers
        .get("smokeTest")
        .map(|(value, path)| read_smoke_tests(value, &path, diagnostics))
        .unwrap_or_default();
    let baseline = layers.get("compareToBaseline").and_then(|(value, path)| {
        read_baseline(value, &path, diagnostics).map(|value| Sourced { value, path })
    });
    let min_traffic = layers
        .get("minTraffic")
        .and_then(|(value, path)| read_min_traffic(value, &path, diagnostics));
    check_hook_conflicts(layers, diagnostics);
    check_attached_alarms(
        layers,
        alarms.len(),
        &canary_alarms,
        baseline.as_ref(),
        diagnostics,
    );
    let trigger_configurations = layers
        .get("triggerConfigurations")
        .and_then(|(value, path)| {
            read_triggers(value, &path, diagnostics).map(|value| Sourced { value, path })
        });
    let code_deploy_role = layers.get("codeDeployRole").and_then(|(value, path)| {
        read_iam_arn(value, &path, "role", diag::invalid_role_arn, diagnostics)
            .map(|value| Sourced { value, path })
    });

    let rollback_events = read_rollback_events(layers, diagnostics);
    let versioning_path = if config.get("versionFunction").is_some() {
        format!("functions.{name}.versionFunction")
    } else {
        "provider.versionFunctions".to_owned()
    };
    let generated_ids = generated_ids(
        name,
        alias.as_ref(),
        (&alarms, &canary_alarms),
        baseline.as_ref(),
    );
    let needs = TemplateNeeds {
        function: name.to_owned(),
        alarms,
        versioning_path,
        generated_ids,
    };
    if let (Some(DeploymentType::Predefined("AllAtOnce")), Some(baseline)) =
        (&deployment_type, &baseline)
    {
        diagnostics.push(diag::baseline_without_shift(&baseline.path));
    }
    let (Some(deployment_type), Some(alias), false) =
        (deployment_type, alias, diagnostics.errors_since(start))
    else {
        return Err(needs);
    };
    Ok(FunctionSettings {
        needs,
        deployment_type,
        alias_logical_id: alias_logical_id(name, config, &alias.value, framework_alias),
        alias: alias.value,
        alias_path: alias.path,
        pre_traffic_hook,
        post_traffic_hook,
        trigger_configurations,
        code_deploy_role,
        rollback_events,
        canary_alarms,
        smoke_tests,
        baseline,
        min_traffic,
    })
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
