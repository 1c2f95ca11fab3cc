//! What the online checks (`--aws`) look at, derived from the settings alone: each canaried
//! function's alarms, existing deployment config and deployment group, by the names the stack
//! gives them. The plugin and the standalone check send the same request.

use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

use crate::aws::{self, AlarmCheck, Named, PreflightRequest};
use crate::naming;
use crate::plan::SourceText;
use crate::settings::{AlarmRef, FunctionSettings, ServiceSettings};
use crate::source;
use crate::traffic::DeploymentType;
use crate::validate::Report;

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

/// The function's attached alarms, by name or logical ID. An alarm named by an intrinsic
/// (`!ImportValue`) cannot be looked up before the deploy and is left out.
pub fn alarm_checks(function: &FunctionSettings) -> Vec<AlarmCheck> {
    function
        .alarms()
        .iter()
        .filter_map(|alarm| {
            let (name, logical_id) = match &alarm.value {
                AlarmRef::Name(Value::String(name)) => (Some(name.clone()), None),
                AlarmRef::Name(_) => return None,
                AlarmRef::LogicalId(id) => (None, Some(id.clone())),
                AlarmRef::Inline(definition) => (
                    None,
                    Some(naming::alarm_logical_id(function.name(), &definition.name)),
                ),
            };
            Some(AlarmCheck {
                path: alarm.path.clone(),
                name,
                logical_id,
            })
        })
        .collect()
}

/// A request back from JavaScript, with the region and profile it chose and the service file
/// to locate the problems in.
#[derive(Debug, Deserialize)]
pub struct PreflightInput {
    #[serde(flatten)]
    pub request: PreflightRequest,
    #[serde(default)]
    pub source: Option<SourceText>,
}

/// Asks AWS, and reports like the standalone check: located diagnostics and their lines.
pub async fn run(input: &PreflightInput) -> Report {
    let mut diagnostics = aws::preflight(&input.request).await;
    let file = input.source.as_ref().map_or("serverless.yml", |s| &s.file);
    if let Some(source) = &input.source {
        source::locate(&mut diagnostics, &source.file, &source.text);
    }
    Report::new(file, diagnostics)
}
