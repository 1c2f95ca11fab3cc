//! What a status poll keeps of CodeDeploy's answers about one deployment, and the deployments
//! that have ended: those cannot change, so a watch hands them back to its next poll, which
//! asks CodeDeploy only about the rest. A poll then costs calls in proportion to the
//! deployments in progress, not to the canaried functions.

use std::collections::HashMap;

use aws_sdk_codedeploy::primitives::{DateTime, DateTimeFormat};
use aws_sdk_codedeploy::types::{DeploymentInfo, LambdaTarget};
use serde::{Deserialize, Serialize};

/// A deployment, as BatchGetDeployments describes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentFacts {
    pub id: String,
    /// `InProgress`, `Succeeded`, `Stopped`, `Failed`, ...
    pub status: String,
    pub config: Option<String>,
    pub created_at: Option<String>,
    pub completed_at: Option<String>,
    /// Seconds since the epoch.
    pub ended: Option<i64>,
    pub error: Option<(String, String)>,
    /// When this deployment rolls another back: the one it rolls back.
    pub rolls_back: Option<String>,
    /// When this deployment was rolled back: the deployment that rolls it back.
    pub rolled_back_by: Option<String>,
}

/// A Lambda deployment's one target, the alias being shifted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetFacts {
    pub function: Option<ShiftFacts>,
    pub events: Vec<EventFacts>,
}

/// The alias and the two versions it splits traffic between.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftFacts {
    pub function_name: Option<String>,
    pub alias: Option<String>,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    /// Share of the alias's traffic on the new version, 0 to 1.
    pub new_weight: f64,
}

/// A lifecycle event: BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventFacts {
    pub name: String,
    pub status: String,
    /// Seconds since the epoch.
    pub started: Option<i64>,
}

/// Deployment ID -> what a poll read of a deployment that had ended, with its target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settled(pub HashMap<String, SettledDeployment>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettledDeployment {
    pub info: DeploymentFacts,
    pub target: Option<TargetFacts>,
}

impl DeploymentFacts {
    /// CodeDeploy changes nothing about a deployment once it has succeeded, failed or stopped
    /// (a rollback is a deployment of its own, found through the group's last deployment).
    pub(crate) fn has_ended(&self) -> bool {
        ["Succeeded", "Failed", "Stopped"].contains(&self.status.as_str())
    }
}

impl From<&DeploymentInfo> for DeploymentFacts {
    fn from(info: &DeploymentInfo) -> Self {
        let rollback = info.rollback_info();
        Self {
            id: info.deployment_id().unwrap_or_default().to_owned(),
            status: info
                .status()
                .map_or_else(String::new, |status| status.as_str().to_owned()),
            config: info.deployment_config_name().map(str::to_owned),
            created_at: info.create_time().and_then(iso),
            completed_at: info.complete_time().and_then(iso),
            ended: info.complete_time().map(DateTime::secs),
            error: info.error_information().map(|error| {
                (
                    error
                        .code()
                        .map_or_else(String::new, |code| code.as_str().to_owned()),
                    error.message().unwrap_or_default().to_owned(),
                )
            }),
            rolls_back: rollback
                .and_then(|r| r.rollback_triggering_deployment_id())
                .map(str::to_owned),
            rolled_back_by: rollback
                .and_then(|r| r.rollback_deployment_id())
                .map(str::to_owned),
        }
    }
}

impl From<&LambdaTarget> for TargetFacts {
    fn from(target: &LambdaTarget) -> Self {
        let owned = |text: Option<&str>| text.map(str::to_owned);
        Self {
            function: target.lambda_function_info().map(|function| ShiftFacts {
                function_name: owned(function.function_name()),
                alias: owned(function.function_alias()),
                old_version: owned(function.current_version()),
                new_version: owned(function.target_version()),
                new_weight: function.target_version_weight(),
            }),
            events: target
                .lifecycle_events()
                .iter()
                .map(|event| EventFacts {
                    name: event.lifecycle_event_name().unwrap_or_default().to_owned(),
                    status: event
                        .status()
                        .map_or_else(String::new, |status| status.as_str().to_owned()),
                    started: event.start_time().map(DateTime::secs),
                })
                .collect(),
        }
    }
}

fn iso(time: &DateTime) -> Option<String> {
    time.fmt(DateTimeFormat::DateTime).ok()
}
