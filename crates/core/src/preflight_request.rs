//! What the online checks (`--aws`) look at, derived from the settings alone: each canaried
//! function's alarms, existing deployment config and deployment group, by the names the stack
//! gives them. The plugin and the standalone check send the same request; the AWS crate
//! answers it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashSet;

use crate::deployment::{attached_alarms, AttachedAlarm};
use crate::diagnostics::Diagnostics;
use crate::naming;
use crate::settings::{
    read_settings_as_written, refuse_unusable_ids, AlarmRef, FunctionSettings, ServiceSettings,
};
use crate::source::SourceText;
use crate::traffic::DeploymentType;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreflightRequest {
    /// `provider.region`; `None` lets the SDK find one (AWS_REGION, the profile).
    #[serde(default)]
    pub region: Option<String>,
    /// `provider.profile`; `None` lets the SDK use its default chain.
    #[serde(default)]
    pub profile: Option<String>,
    /// The CloudFormation stack of the service, e.g. `my-service-dev`.
    pub stack_name: String,
    /// Logical ID of the stack's `AWS::CodeDeploy::Application`.
    pub application_logical_id: String,
    /// Every alarm attached to a canaried function's deployment group.
    #[serde(default)]
    pub alarms: Vec<AlarmCheck>,
    /// Existing deployment configs named by `type: {name: ...}`.
    #[serde(default)]
    pub deployment_configs: Vec<Named>,
    /// The `DeploymentGroupName` of each canaried function's deployment group.
    #[serde(default)]
    pub deployment_groups: Vec<Named>,
    /// Each canaried function's alias, by logical ID, at its `functions.<name>` path: one the
    /// stack does not have yet is a first release, where nothing shifts.
    #[serde(default)]
    pub aliases: Vec<Named>,
}

/// One attached alarm: by `name` when it lives outside the stack (`{name: X}`), by
/// `logical_id` when the stack's template defines it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmCheck {
    pub path: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub logical_id: Option<String>,
}

/// A name to look up, and the config path to report it at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    pub path: String,
    pub name: String,
}

impl AlarmCheck {
    /// The logical ID of an alarm the stack's template defines; `None` for one named outside.
    pub fn stack_logical_id(&self) -> Option<&str> {
        self.name.is_none().then_some(())?;
        self.logical_id.as_deref()
    }
}

impl PreflightRequest {
    /// Logical IDs of the attached alarms the stack's template defines.
    pub fn stack_alarm_ids(&self) -> impl Iterator<Item = &str> {
        self.alarms.iter().filter_map(AlarmCheck::stack_logical_id)
    }
}

/// The settings of a stage, as the plan reads them, for `canary:plan --aws` to ask AWS before
/// the packaging.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsInput {
    pub stage: String,
    pub stack_name: String,
    #[serde(default)]
    pub custom: Option<Value>,
    #[serde(default)]
    pub functions: Map<String, Value>,
    /// The service file, when it is YAML: its unquoted dates are read as written, as the plan
    /// reads them.
    #[serde(default)]
    pub source: Option<SourceText>,
}

/// What `canary:plan --aws` asks AWS: `None` when nothing is canaried in the stage, or when
/// the settings have an error, which the packaging reports and which AWS is not asked about.
pub fn release_request(input: &SettingsInput) -> Option<PreflightRequest> {
    let mut diagnostics = Diagnostics::default();
    let source = input.source.as_ref().map(|source| source.text.as_str());
    let service = (input.custom.as_ref(), &input.functions);
    let mut settings = read_settings_as_written(service, source, &mut diagnostics);
    if settings.functions.is_empty() || !settings.enabled_for(&input.stage) {
        return None;
    }
    refuse_unusable_ids(&mut settings, &mut diagnostics);
    (!diagnostics.has_errors()).then(|| preflight_targets(&settings, &input.stack_name))
}

/// Each alarm, config and group once, with the path of its first use.
pub fn preflight_targets(settings: &ServiceSettings, stack_name: &str) -> PreflightRequest {
    let mut targets = PreflightRequest {
        stack_name: stack_name.to_owned(),
        application_logical_id: naming::application_logical_id(stack_name),
        ..PreflightRequest::default()
    };
    let mut seen = HashSet::new();
    for function in &settings.functions {
        targets.deployment_groups.push(Named {
            path: format!("functions.{}", function.name()),
            name: naming::function_deployment_group_name(stack_name, function.name()),
        });
        targets.aliases.push(Named {
            path: format!("functions.{}", function.name()),
            name: function.canary_alias_logical_id().to_owned(),
        });
        if let DeploymentType::Existing(config) = &function.deployment_type {
            if seen.insert(format!("config {config}")) {
                targets.deployment_configs.push(Named {
                    path: format!("functions.{}.deploymentSettings.type", function.name()),
                    name: config.clone(),
                });
            }
        }
        for alarm in alarm_checks(function) {
            if seen.insert(format!("alarm {:?} {:?}", alarm.name, alarm.logical_id)) {
                targets.alarms.push(alarm);
            }
        }
    }
    targets
}

/// The function's attached alarms, by name or logical ID: its `alarms`, then those
/// `compareToBaseline` attaches. An alarm named by an intrinsic (`!ImportValue`) cannot be
/// looked up before the deploy and is left out. So is the `canaryAlarms` composite: each alarm
/// it joins watches the version this deploy publishes, so its state now says nothing about it.
pub fn alarm_checks(function: &FunctionSettings) -> Vec<AlarmCheck> {
    attached_alarms(function, &[])
        .into_iter()
        .filter_map(|alarm| {
            let (path, name, logical_id) = match alarm {
                AttachedAlarm::Listed(alarm) => {
                    let (name, logical_id) = match &alarm.value {
                        AlarmRef::Name(Value::String(name)) => (Some(name.clone()), None),
                        AlarmRef::Name(_) => return None,
                        AlarmRef::LogicalId(id) => (None, Some(id.clone())),
                        AlarmRef::Inline(definition) => (
                            None,
                            Some(naming::alarm_logical_id(function.name(), &definition.name)),
                        ),
                    };
                    (alarm.path.clone(), name, logical_id)
                }
                AttachedAlarm::Baseline {
                    comparison,
                    setting,
                    ..
                } => (
                    format!("{}.{}", setting.path, comparison.key()),
                    None,
                    Some(naming::alarm_logical_id(
                        function.name(),
                        comparison.alarm_name(),
                    )),
                ),
                AttachedAlarm::CanaryComposite { .. } => return None,
            };
            Some(AlarmCheck {
                path,
                name,
                logical_id,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::settings::read_settings;

    fn settings(functions: Value) -> SettingsInput {
        SettingsInput {
            stage: "dev".into(),
            stack_name: "svc-dev".into(),
            custom: None,
            functions: functions.as_object().unwrap().clone(),
            source: None,
        }
    }

    #[test]
    fn aws_is_asked_about_canaried_settings_without_errors_only() {
        let hello = |settings: Value| json!({"hello": {"deploymentSettings": settings}});
        let request = release_request(&settings(hello(
            json!({"type": "AllAtOnce", "alias": "Live"}),
        )))
        .expect("canaried, no error");
        assert_eq!(request.stack_name, "svc-dev");
        assert_eq!(
            request.aliases,
            [Named {
                path: "functions.hello".into(),
                name: "HelloLambdaFunctionAliasLive".into()
            }]
        );
        let broken = hello(json!({"type": "Canary10Percent5Minute5", "alias": "Live"}));
        assert_eq!(release_request(&settings(broken)), None, "an error");
        let plain = json!({"hello": {"handler": "h.h"}});
        assert_eq!(release_request(&settings(plain)), None, "nothing canaried");
        let off = SettingsInput {
            custom: Some(json!({"stages": ["prod"]})),
            ..settings(hello(json!({"type": "AllAtOnce", "alias": "Live"})))
        };
        assert_eq!(release_request(&off), None, "not canaried in this stage");
    }

    #[test]
    fn the_baseline_alarms_are_checked_and_tripped_with_the_function_s_own() {
        let functions = json!({"hello": {"deploymentSettings": {
            "type": "AllAtOnce", "alias": "Live", "alarms": ["HelloErrors"],
            "compareToBaseline": {"errorRate": 2, "p99Ratio": 1.5}
        }}});
        let settings = read_settings(
            None,
            functions.as_object().unwrap(),
            &mut Diagnostics::default(),
        );
        let checks: Vec<(String, Option<String>)> = alarm_checks(&settings.functions[0])
            .into_iter()
            .map(|check| (check.path, check.logical_id))
            .collect();
        let at = |key: &str| format!("functions.hello.deploymentSettings.{key}");
        assert_eq!(
            checks,
            [
                (at("alarms[0]"), Some("HelloErrors".to_owned())),
                (
                    at("compareToBaseline.errorRate"),
                    Some("HelloBaselineErrorRateAlarm".to_owned())
                ),
                (
                    at("compareToBaseline.p99Ratio"),
                    Some("HelloBaselineP99Alarm".to_owned())
                ),
            ]
        );
    }
}
