//! The configuration keys this plugin accepts, in one place.

/// Keys of `functions.<name>.deploymentSettings`; each may also default from `custom`.
pub const FUNCTION_KEYS: [&str; 8] = [
    "type",
    "alias",
    "preTrafficHook",
    "postTrafficHook",
    "alarms",
    "triggerConfigurations",
    "codeDeployRole",
    "rollbackOn",
];

/// `rollbackOn` values and the CodeDeploy auto-rollback events they stand for, in that order.
pub const ROLLBACK_EVENTS: [(&str, &str); 3] = [
    ("failure", "DEPLOYMENT_FAILURE"),
    ("alarm", "DEPLOYMENT_STOP_ON_ALARM"),
    ("stopRequest", "DEPLOYMENT_STOP_ON_REQUEST"),
];

/// Keys only `custom.deploymentSettings` has.
pub const SERVICE_KEYS: [&str; 2] = ["stages", "codeDeployRolePermissionsBoundary"];

/// CodeDeploy's per-group limits.
pub const MAX_ALARMS: usize = 10;
pub const MAX_TRIGGERS: usize = 10;

pub const TRIGGER_KEYS: [&str; 3] = ["TriggerName", "TriggerTargetArn", "TriggerEvents"];

pub const TRIGGER_EVENTS: [&str; 10] = [
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
pub const MAX_ALIAS_LENGTH: usize = 128;
