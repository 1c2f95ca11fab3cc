//! What the online checks (`--aws`) look at, derived from the settings alone: each canaried
//! function's alarms, existing deployment config and deployment group, by the names the stack
//! gives them. The plugin and the standalone check send the same request.

use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

use crate::naming;
use crate::settings::{AlarmRef, ServiceSettings};
use crate::traffic::DeploymentType;

#[derive(Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PreflightTargets {
    /// The provider's region and profile when the config names them; the caller may set them.
    pub region: Option<String>,
    pub profile: Option<String>,
    pub stack_name: String,
    pub application_logical_id: String,
    pub alarms: Vec<AlarmTarget>,
    pub deployment_configs: Vec<Named>,
    pub deployment_groups: Vec<Named>,
}

/// An alarm outside the stack by `name`, or one of the stack's by `logical_id`.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AlarmTarget {
    pub path: String,
    pub name: Option<String>,
    pub logical_id: Option<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Named {
    pub path: String,
    pub name: String,
}

/// Each alarm, config and group once, with the path of its first use. An alarm named by an
/// intrinsic (`!ImportValue`) cannot be looked up before the deploy and is left out.
pub fn preflight_targets(settings: &ServiceSettings, stack_name: &str) -> PreflightTargets {
    let mut targets = PreflightTargets {
        stack_name: stack_name.to_owned(),
        application_logical_id: naming::application_logical_id(stack_name),
        ..PreflightTargets::default()
    };
    let mut seen = HashSet::new();
    for function in &settings.functions {
        let function_id = naming::function_logical_id(function.name());
        let group_id = naming::deployment_group_logical_id(&function_id);
        targets.deployment_groups.push(Named {
            path: format!("functions.{}", function.name()),
            name: naming::deployment_group_name(stack_name, &group_id),
        });
        if let DeploymentType::Existing(config) = &function.deployment_type {
            if seen.insert(format!("config {config}")) {
                targets.deployment_configs.push(Named {
                    path: format!("functions.{}.deploymentSettings.type", function.name()),
                    name: config.clone(),
                });
            }
        }
        for alarm in function.alarms() {
            let (name, logical_id) = match &alarm.value {
                AlarmRef::Name(Value::String(name)) => (Some(name.clone()), None),
                AlarmRef::Name(_) => continue,
                AlarmRef::LogicalId(id) => (None, Some(id.clone())),
                AlarmRef::Inline(definition) => (
                    None,
                    Some(naming::alarm_logical_id(function.name(), &definition.name)),
                ),
            };
            let key = format!("alarm {name:?} {logical_id:?}");
            if seen.insert(key) {
                targets.alarms.push(AlarmTarget {
                    path: alarm.path.clone(),
                    name,
                    logical_id,
                });
            }
        }
    }
    targets
}
