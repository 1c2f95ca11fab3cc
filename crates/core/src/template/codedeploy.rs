//! The CodeDeploy application and one deployment group per canaried function.

use serde_json::{json, Value};

use super::tree::{node, Node};
use crate::naming::{self, SERVICE_ROLE_LOGICAL_ID};
use crate::settings::FunctionSettings;
use crate::traffic::{DeploymentType, Shift};

pub(crate) fn application() -> Value {
    json!({
        "Type": "AWS::CodeDeploy::Application",
        "Properties": { "ComputePlatform": "Lambda" }
    })
}

/// The time-based config a custom type needs. No name: CloudFormation generates one, so two
/// stacks in an account never claim the same config name.
pub(crate) fn deployment_config(shift: Shift, percent: u32, minutes: u32) -> Value {
    let routing = match shift {
        Shift::Canary => json!({
            "Type": "TimeBasedCanary",
            "TimeBasedCanary": { "CanaryPercentage": percent, "CanaryInterval": minutes }
        }),
        Shift::Linear => json!({
            "Type": "TimeBasedLinear",
            "TimeBasedLinear": { "LinearPercentage": percent, "LinearInterval": minutes }
        }),
    };
    json!({
        "Type": "AWS::CodeDeploy::DeploymentConfig",
        "Properties": { "ComputePlatform": "Lambda", "TrafficRoutingConfig": routing }
    })
}

/// A group's `DeploymentConfigName`: a name, or `Ref` of the config this stack creates.
fn config_name(deployment_type: &DeploymentType) -> Node<'static> {
    match deployment_type.config_name() {
        Some(name) => node!(name),
        None => node!({ "Ref": naming::deployment_config_logical_id(deployment_type) }),
    }
}

/// Rollback off must be said explicitly: omitting the property keeps the group's old setting.
fn auto_rollback(events: &[&str]) -> Node<'static> {
    if events.is_empty() {
        node!({ "Enabled": false })
    } else {
        node!({ "Enabled": true, "Events": events })
    }
}

pub(crate) struct GroupSpec<'a> {
    pub application_id: &'a str,
    pub group_name: &'a str,
    pub settings: &'a FunctionSettings,
    /// `AlarmConfiguration`, built by the alarms module.
    pub alarm_configuration: Option<Node<'static>>,
}

pub(crate) fn deployment_group(spec: GroupSpec) -> Node<'static> {
    let service_role = spec
        .settings
        .code_deploy_role
        .as_ref()
        .map(|role| Node::from(role.value.clone()))
        .unwrap_or_else(|| node!({ "Fn::GetAtt": [SERVICE_ROLE_LOGICAL_ID, "Arn"] }));
    let mut properties = node!({
        "ApplicationName": { "Ref": spec.application_id },
        "AutoRollbackConfiguration": auto_rollback(&spec.settings.rollback_events),
        "DeploymentGroupName": spec.group_name,
        "DeploymentConfigName": config_name(&spec.settings.deployment_type),
        "DeploymentStyle": {
            "DeploymentType": "BLUE_GREEN",
            "DeploymentOption": "WITH_TRAFFIC_CONTROL"
        },
        "ServiceRoleArn": service_role
    });
    if let Some(alarms) = spec.alarm_configuration {
        properties["AlarmConfiguration"] = alarms;
    }
    if let Some(triggers) = &spec.settings.trigger_configurations {
        properties["TriggerConfigurations"] = Node::from(triggers.value.clone());
    }
    node!({ "Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": properties })
}
