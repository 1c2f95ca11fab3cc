//! The CodeDeploy application and one deployment group per canaried function.

use serde_json::{json, Value};

use crate::naming::SERVICE_ROLE_LOGICAL_ID;
use crate::settings::FunctionSettings;

pub fn application() -> Value {
    json!({
        "Type": "AWS::CodeDeploy::Application",
        "Properties": { "ComputePlatform": "Lambda" }
    })
}

pub struct GroupSpec<'a> {
    pub application_id: &'a str,
    pub group_name: &'a str,
    pub settings: &'a FunctionSettings,
    /// `AlarmConfiguration`, built by the alarms module.
    pub alarm_configuration: Option<Value>,
}

pub fn deployment_group(spec: GroupSpec) -> Value {
    let service_role = spec
        .settings
        .code_deploy_role
        .as_ref()
        .map(|role| role.value.clone())
        .unwrap_or_else(|| json!({ "Fn::GetAtt": [SERVICE_ROLE_LOGICAL_ID, "Arn"] }));
    let mut properties = json!({
        "ApplicationName": { "Ref": spec.application_id },
        "AutoRollbackConfiguration": {
            "Enabled": true,
            "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]
        },
        "DeploymentGroupName": spec.group_name,
        "DeploymentConfigName": spec.settings.deployment_type.config_name(),
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
        properties["TriggerConfigurations"] = triggers.clone();
    }
    json!({ "Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": properties })
}
