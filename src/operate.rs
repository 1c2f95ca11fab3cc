//! Commands that act on a deployed canary (`sls canary:alarm`, `sls canary:rollback`): what
//! they act on comes from the resolved settings alone, as the deployed stack names it.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::aws::{self, AlarmStateReport, AlarmStateRequest, PreflightRequest, RollbackReport};
use crate::diagnostics::{self as diag, Diagnostic, Severity};
use crate::preflight::preflight_targets;
use crate::settings::read_settings;

/// The deployed stage a command acts on: the resolved settings, the stack, and where it is.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployedInput {
    pub stage: String,
    pub stack_name: String,
    #[serde(default)]
    pub custom: Option<Value>,
    #[serde(default)]
    pub functions: Map<String, Value>,
    /// `--function`: only this canaried function.
    #[serde(default)]
    pub function: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub profile: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AlarmInput {
    #[serde(flatten)]
    pub deployed: DeployedInput,
    /// `ALARM` or `OK`.
    pub state: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Sets the attached alarms of the canaried functions (or of `--function`) to `state`.
pub async fn set_alarm_state(input: &AlarmInput) -> AlarmStateReport {
    match deployed_targets(&input.deployed) {
        Ok(targets) => {
            let request = AlarmStateRequest {
                targets,
                state: input.state.clone(),
                reason: input.reason.clone(),
            };
            aws::set_alarm_state(&request).await
        }
        Err(diagnostics) => AlarmStateReport {
            diagnostics,
            ..AlarmStateReport::default()
        },
    }
}

/// Stops the deployments in progress of the canaried functions (or of `--function`).
pub async fn roll_back(input: &DeployedInput) -> RollbackReport {
    match deployed_targets(input) {
        Ok(targets) => aws::roll_back(&targets).await,
        Err(diagnostics) => RollbackReport {
            diagnostics,
            ..RollbackReport::default()
        },
    }
}

/// The alarms and groups of the canaried functions of this stage (or of `--function`), or the
/// errors that stop the command.
fn deployed_targets(input: &DeployedInput) -> Result<PreflightRequest, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let settings = read_settings(input.custom.as_ref(), &input.functions, &mut diagnostics);
    diagnostics.retain(|d| d.severity == Severity::Error);
    if let Some(function) = &input.function {
        if !settings.functions.iter().any(|f| f.name() == function) {
            diagnostics.push(diag::not_canaried(function));
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut targets = preflight_targets(&settings, &input.stack_name);
    if !settings.enabled_for(&input.stage) {
        targets.alarms.clear();
        targets.deployment_groups.clear();
    }
    if let Some(function) = &input.function {
        let path = format!("functions.{function}");
        let prefix = format!("{path}.");
        targets
            .alarms
            .retain(|alarm| alarm.path.starts_with(&prefix));
        targets.deployment_groups.retain(|group| group.path == path);
    }
    targets.region = input.region.clone();
    targets.profile = input.profile.clone();
    Ok(targets)
}
