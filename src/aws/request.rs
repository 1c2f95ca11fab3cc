//! What the preflight checks look at: built from the settings (`crate::preflight`), sent to
//! JavaScript with the plan or the standalone report, and back with the provider's region.

use serde::{Deserialize, Serialize};

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
