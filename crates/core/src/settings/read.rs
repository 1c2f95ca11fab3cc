//! Reads the resolved service config into [`ServiceSettings`], reporting every problem it finds
//! (and carrying on) rather than stopping at the first.

use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

use super::alarm::{read_definition, DEFINITION_KEYS};
use super::canary_alarm::{read_canary_alarms, CanaryAlarm};
use super::duplicate_alarms::check_duplicates;
use super::fields::{
    get_key, read_positive, report_unknown_keys, FRAMEWORK_ALIAS_VALUES, FUNCTION_KEYS, MAX_ALARMS,
    MAX_ALIAS_LENGTH, ROLLBACK_EVENTS, SERVICE_KEYS,
};
use super::json::{intrinsic_name, is_iam_arn, is_intrinsic, kind, mistyped, plain_object};
use super::triggers::read_triggers;
use super::verification::{read_baseline, read_min_traffic, read_smoke_tests, Baseline};
use super::{AlarmRef, FrameworkAlias, FunctionSettings, ServiceSettings, Sourced, TemplateNeeds};
use crate::diagnostics::{self as diag, Diagnostic, Diagnostics};
use crate::naming;
use crate::template::baseline_alarms;
use crate::traffic::{
    DeploymentType, TypeProblem, MAX_INTERVAL_MINUTES, MAX_SHIFTING_MINUTES, PREDEFINED_TYPES,
};

const CUSTOM_PATH: &str = "custom.deploymentSettings";

/// `custom` is `custom.deploymentSettings`; `functions` is the service's `functions` map.
pub fn read_settings(
    custom: Option<&Value>,
    functions: &Map<String, Value>,
    diagnostics: &mut Diagnostics,
) -> ServiceSettings {
    let custom = read_custom(custom, diagnostics);
    let mut settings = ServiceSettings::default();
    if let Some(custom) = custom {
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

    let service = Service::new(functions, settings.framework_alias);
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
        match read_function(name, config, &layers, &service, diagnostics) {
            Ok(function) => settings.functions.push(function),
            Err(needs) => settings.incomplete.push(needs),
        }
    }
    settings
}

/// Whether a function's config asks for a canary: it has `deploymentSettings`, and they are
/// not `false`. Settings of the wrong kind count, so a hook naming it is still refused.
fn is_canaried(config: &Value) -> bool {
    config
        .get("deploymentSettings")
        .is_some_and(|settings| *settings != Value::Bool(false))
}

/// The service's functions and which of them are canaried, for hook checks.
struct Service<'a> {
    functions: &'a Map<String, Value>,
    canaried: HashSet<&'a str>,
    framework_alias: Option<FrameworkAlias>,
}

impl<'a> Service<'a> {
    fn new(functions: &'a Map<String, Value>, framework_alias: Option<FrameworkAlias>) -> Self {
        let canaried = functions
            .iter()
            .filter(|(_, config)| is_canaried(config))
            .map(|(name, _)| name.as_str())
            .collect();
        Self {
            functions,
            canaried,
            framework_alias,
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

/// The canary alias's logical ID. With `frameworkAlias: reuse` a function the Framework gives
/// an alias of its own keeps that alias's ID; the plan confirms it against the template.
fn alias_logical_id(
    name: &str,
    config: &Value,
    alias: &str,
    framework_alias: Option<FrameworkAlias>,
) -> String {
    let [provisioned, snap_start] = naming::framework_aliases(name);
    let has_provisioned = config
        .get("provisionedConcurrency")
        .is_some_and(|value| !matches!(value, Value::Null | Value::Bool(false)) && *value != 0);
    let has_snap_start = config.get("snapStart") == Some(&Value::Bool(true));
    match framework_alias {
        Some(FrameworkAlias::Reuse) if has_provisioned => provisioned.0,
        Some(FrameworkAlias::Reuse) if has_snap_start => snap_start.0,
        _ => naming::alias_logical_id(&naming::function_logical_id(name), alias),
    }
}

/// A function's own settings over the custom-level defaults.
struct Layers<'a> {
    own: Option<&'a Map<String, Value>>,
    own_path: String,
    custom: Option<&'a Map<String, Value>>,
}

impl<'a> Layers<'a> {
    /// The value for `key` and the path it came from.
    fn get(&self, key: &str) -> Option<(&'a Value, String)> {
        if let Some((written, value)) = self.own.and_then(|own| get_key(own, key)) {
            return Some((value, format!("{}.{written}", self.own_path)));
        }
        self.custom
            .and_then(|custom| get_key(custom, key))
            .map(|(written, value)| (value, format!("{CUSTOM_PATH}.{written}")))
    }
}

fn read_custom<'a>(
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

/// The function's settings, or, when any is wrong, what can still be checked in the template.
fn read_function(
    name: &str,
    config: &Value,
    layers: &Layers,
    service: &Service,
    diagnostics: &mut Diagnostics,
) -> Result<FunctionSettings, TemplateNeeds> {
    let start = diagnostics.mark();
    if let Some(own) = layers.own {
        report_unknown_keys(own, &layers.own_path, &FUNCTION_KEYS, diagnostics);
    }

    let deployment_type = read_type(layers, diagnostics);
    let alias = read_alias(layers, diagnostics);
    let pre_traffic_hook = read_hook(layers, "preTrafficHook", service, diagnostics);
    let post_traffic_hook = read_hook(layers, "postTrafficHook", service, diagnostics);
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
        alias_logical_id: alias_logical_id(name, config, &alias.value, service.framework_alias),
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

/// CodeDeploy runs one hook per lifecycle event: the generated smoke test is the
/// BeforeAllowTraffic hook and the traffic guard the AfterAllowTraffic one. Judged on what is
/// written, so the conflict is reported beside any problem inside the keys.
fn check_hook_conflicts(layers: &Layers, diagnostics: &mut Diagnostics) {
    let claims = [
        ("smokeTest", "preTrafficHook", "BeforeAllowTraffic"),
        ("minTraffic", "postTrafficHook", "AfterAllowTraffic"),
    ];
    for (ours, theirs, event) in claims {
        let Some((value, ours_path)) = layers.get(ours) else {
            continue;
        };
        let used = match value {
            Value::Null => false,
            Value::Array(items) => !items.is_empty(),
            _ => true,
        };
        if used && layers.get(theirs).is_some() {
            diagnostics.push(diag::hook_conflict(&ours_path, ours, theirs, event));
        }
    }
}

fn read_string(value: &Value, path: &str, diagnostics: &mut Diagnostics) -> Option<String> {
    match value {
        Value::String(text) if text.is_empty() => {
            diagnostics.push(diag::empty_value(path));
            None
        }
        Value::String(text) => Some(text.clone()),
        other => {
            diagnostics.push(mistyped(path, "a string", other));
            None
        }
    }
}

fn read_type(layers: &Layers, diagnostics: &mut Diagnostics) -> Option<DeploymentType> {
    let Some((value, path)) = layers.get("type") else {
        diagnostics.push(diag::missing_setting(
            &layers.own_path,
            "type",
            "Canary10Percent5Minutes",
        ));
        return None;
    };
    if let Some(existing) = plain_object(value) {
        return read_existing_config(existing, &path, diagnostics);
    }
    let name = read_string(value, &path, diagnostics)?;
    let problem = match DeploymentType::parse(&name) {
        Ok(parsed) => return Some(parsed),
        Err(problem) => problem,
    };
    diagnostics.push(match problem {
        TypeProblem::Unknown => diag::unknown_deployment_type(&path, &name, &PREDEFINED_TYPES),
        TypeProblem::NotLambdaPredefined => {
            diag::not_lambda_config(&path, &name, &PREDEFINED_TYPES)
        }
        TypeProblem::PercentOutOfRange(percent) => {
            diag::percent_out_of_range(&path, &name, &percent)
        }
        TypeProblem::IntervalOutOfRange(minutes) => {
            diag::interval_out_of_range(&path, &name, &minutes, MAX_INTERVAL_MINUTES)
        }
        TypeProblem::LinearTooLong(total) => {
            diag::linear_too_long(&path, &name, total, MAX_SHIFTING_MINUTES)
        }
    });
    None
}

/// `type: {name: team-canary}`: a deployment config that exists outside the stack.
fn read_existing_config(
    existing: &Map<String, Value>,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<DeploymentType> {
    report_unknown_keys(existing, path, &["name"], diagnostics);
    let Some(name) = existing.get("name") else {
        diagnostics.push(diag::missing_setting(
            path,
            "name",
            "<deployment config name>",
        ));
        return None;
    };
    let name_path = format!("{path}.name");
    let name = read_string(name, &name_path, diagnostics)?;
    if name.len() > naming::CODEDEPLOY_NAME_LIMIT
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        diagnostics.push(diag::invalid_config_name(&name_path, &name));
        return None;
    }
    // CodeDeploy's own configs, by their full name, are judged as the string form is: a
    // Lambda one is the predefined type, an EC2 or ECS one cannot deploy a function.
    if name.starts_with("CodeDeployDefault.") {
        return match DeploymentType::parse(&name) {
            Ok(predefined) => Some(predefined),
            Err(_) => {
                diagnostics.push(diag::not_lambda_config(
                    &name_path,
                    &name,
                    &PREDEFINED_TYPES,
                ));
                None
            }
        };
    }
    Some(DeploymentType::Existing(name))
}

/// `rollbackOn: [failure, alarm, stopRequest]`, all three when absent.
fn read_rollback_events(layers: &Layers, diagnostics: &mut Diagnostics) -> Vec<&'static str> {
    let all = || ROLLBACK_EVENTS.iter().map(|(_, event)| *event).collect();
    let Some((value, path)) = layers.get("rollbackOn") else {
        return all();
    };
    let Value::Array(items) = value else {
        diagnostics.push(mistyped(&path, "a list of rollback triggers", value));
        return all();
    };
    let accepted: Vec<&str> = ROLLBACK_EVENTS.iter().map(|(name, _)| *name).collect();
    let mut chosen = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let Some(name) = read_string(item, &item_path, diagnostics) else {
            continue;
        };
        if !accepted.contains(&name.as_str()) {
            diagnostics.push(diag::not_one_of(&item_path, &name, &accepted));
        }
        chosen.push(name);
    }
    ROLLBACK_EVENTS
        .iter()
        .filter(|(name, _)| chosen.iter().any(|c| c == name))
        .map(|(_, event)| *event)
        .collect()
}

fn read_alias(layers: &Layers, diagnostics: &mut Diagnostics) -> Option<Sourced<String>> {
    let Some((value, path)) = layers.get("alias") else {
        diagnostics.push(diag::missing_setting(&layers.own_path, "alias", "Live"));
        return None;
    };
    let alias = read_string(value, &path, diagnostics)?;
    let problem = if alias.len() > MAX_ALIAS_LENGTH {
        Some("it is longer than 128 characters")
    } else if !alias
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Some("it may only contain letters, digits, `-` and `_`")
    } else if alias.bytes().all(|b| b.is_ascii_digit()) {
        Some("all-digit names are reserved for versions")
    } else {
        None
    };
    match problem {
        Some(reason) => {
            diagnostics.push(diag::invalid_alias(&path, &alias, reason));
            None
        }
        None => Some(Sourced { value: alias, path }),
    }
}

/// The logical IDs that carry the function's own words: its key, its alias, its alarm names.
fn generated_ids(
    name: &str,
    alias: Option<&Sourced<String>>,
    (alarms, canary_alarms): (&[Sourced<AlarmRef>], &[Sourced<CanaryAlarm>]),
    baseline: Option<&Sourced<Baseline>>,
) -> Vec<Sourced<String>> {
    let function_id = naming::function_logical_id(name);
    let mut ids = vec![Sourced {
        value: naming::deployment_group_logical_id(&function_id),
        path: format!("functions.{name}"),
    }];
    if let Some(alias) = alias {
        ids.push(Sourced {
            value: naming::alias_logical_id(&function_id, &alias.value),
            path: alias.path.clone(),
        });
    }
    // A name given twice is reported as `duplicate-alarm-name`: its ID only once.
    let mut names = HashSet::new();
    for alarm in alarms {
        if let AlarmRef::Inline(definition) = &alarm.value {
            if !names.insert(definition.name.as_str()) {
                continue;
            }
            ids.push(Sourced {
                value: naming::alarm_logical_id(name, &definition.name),
                path: format!("{}.name", alarm.path),
            });
        }
    }
    // Two entries named alike are reported as `duplicate-canary-alarm`: their ID only once.
    let mut bases = HashSet::new();
    for alarm in canary_alarms {
        if !bases.insert(alarm.value.base.as_str()) {
            continue;
        }
        ids.push(Sourced {
            value: naming::canary_alarm_logical_id(&function_id, &alarm.value.base),
            path: alarm.path.clone(),
        });
    }
    // The baseline's alarms are named like inline ones: `BaselineErrorRate` written as an
    // alarm name would make the same resource.
    if let Some(baseline) = baseline {
        let comparisons = [
            (baseline.value.error_rate, baseline_alarms::ERROR_RATE_ALARM),
            (baseline.value.p99_ratio, baseline_alarms::P99_ALARM),
        ];
        for (_, alarm) in comparisons.iter().filter(|(set, _)| set.is_some()) {
            ids.push(Sourced {
                value: naming::alarm_logical_id(name, alarm),
                path: baseline.path.clone(),
            });
        }
    }
    ids
}

fn read_hook(
    layers: &Layers,
    key: &str,
    service: &Service,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let (value, path) = layers.get(key)?;
    let hook = read_string(value, &path, diagnostics)?;
    if !service.functions.contains_key(&hook) {
        // Names in service order, only on this error path, for "did you mean".
        let names: Vec<&str> = service.functions.keys().map(String::as_str).collect();
        diagnostics.push(diag::unknown_hook_function(&path, &hook, &names));
        return None;
    }
    if service.canaried.contains(&hook.as_str()) {
        diagnostics.push(diag::hook_is_canaried(&path, &hook));
        return None;
    }
    Some(hook)
}

fn read_alarms(layers: &Layers, diagnostics: &mut Diagnostics) -> Vec<Sourced<AlarmRef>> {
    let Some((value, path)) = layers.get("alarms") else {
        return Vec::new();
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Vec::new(),
        other => {
            diagnostics.push(mistyped(&path, "a list of alarms", other));
            return Vec::new();
        }
    };
    if items.len() > MAX_ALARMS {
        diagnostics.push(diag::too_many(&path, "alarms", items.len(), MAX_ALARMS));
    }
    let alarms: Vec<Sourced<AlarmRef>> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let path = format!("{path}[{i}]");
            read_alarm(item, &path, diagnostics).map(|value| Sourced { value, path })
        })
        .collect();
    let mut first_named: HashMap<&str, String> = HashMap::new();
    for alarm in &alarms {
        if let AlarmRef::Inline(definition) = &alarm.value {
            let name_path = format!("{}.name", alarm.path);
            match first_named.get(definition.name.as_str()) {
                Some(first) => diagnostics.push(diag::duplicate_alarm_name(
                    &name_path,
                    &definition.name,
                    first,
                )),
                None => {
                    first_named.insert(&definition.name, name_path);
                }
            }
        }
    }
    alarms
}

fn read_alarm(item: &Value, path: &str, diagnostics: &mut Diagnostics) -> Option<AlarmRef> {
    // An intrinsic, or YAML's `.nan`: an object, but not a map of alarm keys.
    if item.is_object() && plain_object(item).is_none() {
        diagnostics.push(mistyped(path, "an alarm", item));
        return None;
    }
    match item {
        Value::String(_) => read_string(item, path, diagnostics).map(AlarmRef::LogicalId),
        // Any key beside `name` makes it a definition; `{name}` alone names an existing alarm.
        Value::Object(map) if map.keys().any(|key| key != "name") => {
            report_unknown_keys(map, path, &DEFINITION_KEYS, diagnostics);
            read_definition(map, path, diagnostics)
                .map(|definition| AlarmRef::Inline(Box::new(definition)))
        }
        Value::Object(map) => match map.get("name") {
            Some(name) if is_intrinsic(name) => Some(AlarmRef::Name(name.clone())),
            Some(name) => read_string(name, &format!("{path}.name"), diagnostics)
                .map(|name| AlarmRef::Name(Value::String(name))),
            None => {
                diagnostics.push(diag::invalid_alarm_reference(path));
                None
            }
        },
        _ => {
            diagnostics.push(diag::invalid_alarm_reference(path));
            None
        }
    }
}

/// `canaryAlarms`.
fn read_canary_alarm_list(
    layers: &Layers,
    diagnostics: &mut Diagnostics,
) -> Vec<Sourced<CanaryAlarm>> {
    let Some((value, path)) = layers.get("canaryAlarms") else {
        return Vec::new();
    };
    read_canary_alarms(value, &path, diagnostics)
}

/// The alarms a group gets beside `alarms`: the `compareToBaseline` ones and the composite of
/// `canaryAlarms`. Reported once, at the key that goes over CodeDeploy's 10, when `alarms`
/// alone does not already.
fn check_attached_alarms(
    layers: &Layers,
    alarms: usize,
    canary_alarms: &[Sourced<CanaryAlarm>],
    baseline: Option<&Sourced<super::verification::Baseline>>,
    diagnostics: &mut Diagnostics,
) {
    if alarms > MAX_ALARMS {
        return;
    }
    let mut attached = alarms;
    let baseline_count = baseline.map_or(0, |b| b.value.alarm_count());
    let added = [
        ("compareToBaseline", baseline_count),
        ("canaryAlarms", usize::from(!canary_alarms.is_empty())),
    ];
    for (key, count) in added {
        attached += count;
        if count > 0 && attached > MAX_ALARMS {
            let path = layers.get(key).map(|(_, path)| path).unwrap_or_default();
            diagnostics.push(diag::too_many(
                &path,
                "alarms (with those the plugin attaches for `compareToBaseline` and `canaryAlarms`)",
                attached,
                MAX_ALARMS,
            ));
            return;
        }
    }
}

/// An ARN of `resource_kind` ("role", "policy"), or an intrinsic that yields one at deploy time.
fn read_iam_arn(
    value: &Value,
    path: &str,
    resource_kind: &str,
    invalid: fn(&str, &str) -> Diagnostic,
    diagnostics: &mut Diagnostics,
) -> Option<Value> {
    if is_intrinsic(value) {
        return Some(value.clone());
    }
    let text = read_string(value, path, diagnostics)?;
    if is_iam_arn(&text, resource_kind) {
        return Some(value.clone());
    }
    diagnostics.push(invalid(path, &text));
    None
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
