//! What the preflight checks look at: built from the settings (`crate::preflight`), sent to
//! JavaScript with the plan or the standalone report, and back with the provider's region.

use aws_config::{ConfigLoader, SdkConfig};
use serde::{Deserialize, Serialize};

use super::sdk_config;
use super::stack::PhysicalIds;
use crate::diagnostics::Diagnostic;

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

impl AlarmCheck {
    /// The logical ID of an alarm the stack's template defines; `None` for one named outside.
    pub(crate) fn stack_logical_id(&self) -> Option<&str> {
        self.name.is_none().then_some(())?;
        self.logical_id.as_deref()
    }

    /// Its CloudWatch name: as written, or as CloudFormation named the stack's alarm.
    pub(crate) fn name_in(&self, physical: &PhysicalIds) -> Option<String> {
        self.name
            .clone()
            .or_else(|| physical.get(self.logical_id.as_deref()?).cloned())
    }
}

impl PreflightRequest {
    /// The SDK settings for this request's region and profile, and the region, or the one
    /// diagnostic saying why AWS cannot be asked.
    pub(crate) async fn connect(
        &self,
        loader: ConfigLoader,
    ) -> Result<(SdkConfig, String), Diagnostic> {
        sdk_config::connect(loader, self.region.as_deref(), self.profile.as_deref()).await
    }

    /// Logical IDs of the attached alarms the stack's template defines.
    pub(crate) fn stack_alarm_ids(&self) -> impl Iterator<Item = &str> {
        self.alarms.iter().filter_map(AlarmCheck::stack_logical_id)
    }
}
