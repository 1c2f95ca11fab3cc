//! Commands that act on a deployed canary (`sls canary:status`, `canary:alarm`, `canary:rollback`): what
//! they act on comes from the resolved settings alone, as the deployed stack names it.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::alarm_state::{self, AlarmStateReport, AlarmStateRequest};
use crate::poll_memory::PollMemory;
use crate::request::PreflightRequest;
use crate::rollback::{self, RollbackReport};
use crate::status::{self, CanaryTarget, Checks, StatusRequest};
use crate::status_view::{self, StatusReport};
use serverless_canary_core::diagnostics::{self as diag, Diagnostic, Diagnostics, Severity};
use serverless_canary_core::naming;
use serverless_canary_core::preflight_request::{alarm_checks, preflight_targets};
use serverless_canary_core::settings::{read_settings, ServiceSettings};

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

/// `sls canary:status` and each poll of a watch: the deployed stage, and what the watch's
/// last poll handed on.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInput {
    #[serde(flatten)]
    pub deployed: DeployedInput,
    #[serde(default)]
    pub memory: PollMemory,
    /// The deploy's progress, before the stack update: which deployment each group is on.
    #[serde(default)]
    pub first_look: bool,
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
            alarm_state::set_alarm_state(&request).await
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
        Ok(targets) => rollback::roll_back(&targets).await,
        Err(diagnostics) => RollbackReport {
            diagnostics,
            ..RollbackReport::default()
        },
    }
}

/// `sls canary:status`: the current or last deployment of the canaried functions (or of
/// `--function`).
pub async fn deployment_status(input: &StatusInput) -> StatusReport {
    match deployed_settings(&input.deployed) {
        Ok(settings) => {
            let mut request = status_request(&input.deployed, &settings, epoch_seconds());
            request.memory = input.memory.clone();
            request.first_look = input.first_look;
            let facts = status::deployment_status(&request).await;
            // The time left is counted from when the facts arrived, not from when the first
            // call went out: on a slow network or a busy machine the calls take seconds.
            status_view::report(facts, epoch_seconds())
        }
        Err(diagnostics) => StatusReport {
            diagnostics,
            ..StatusReport::default()
        },
    }
}

fn epoch_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() as i64)
}

/// The alarms and groups of the canaried functions of this stage (or of `--function`), or the
/// errors that stop the command.
fn deployed_targets(input: &DeployedInput) -> Result<PreflightRequest, Vec<Diagnostic>> {
    let settings = deployed_settings(input)?;
    let mut targets = preflight_targets(&settings, &input.stack_name);
    targets.region = input.region.clone();
    targets.profile = input.profile.clone();
    Ok(targets)
}

fn status_request(input: &DeployedInput, settings: &ServiceSettings, now: i64) -> StatusRequest {
    let application_logical_id = naming::application_logical_id(&input.stack_name);
    let functions = settings
        .functions
        .iter()
        .map(|function| CanaryTarget {
            function: function.name().to_owned(),
            deployment_group: naming::function_deployment_group_name(
                &input.stack_name,
                function.name(),
            ),
            alarms: alarm_checks(function),
            auto_rollback: !function.rollback_events.is_empty(),
            alias: function.alias.clone(),
            alias_logical_id: function.canary_alias_logical_id().to_owned(),
            checks: Checks {
                smoke_test: function.has_smoke_test(),
                traffic_guard: function.has_traffic_guard(),
            },
        })
        .collect();
    StatusRequest {
        region: input.region.clone(),
        profile: input.profile.clone(),
        stack_name: input.stack_name.clone(),
        application_logical_id,
        functions,
        now,
        memory: PollMemory::default(),
        first_look: false,
    }
}

/// The canaried functions this command acts on: all of this stage's, or `--function`; none in
/// a stage that does not deploy gradually.
fn deployed_settings(input: &DeployedInput) -> Result<ServiceSettings, Vec<Diagnostic>> {
    let mut diagnostics = Diagnostics::default();
    let mut settings = read_settings(input.custom.as_ref(), &input.functions, &mut diagnostics);
    diagnostics.retain(|d| d.severity == Severity::Error);
    if let Some(function) = &input.function {
        if !settings.functions.iter().any(|f| f.name() == function) {
            diagnostics.push(diag::not_canaried(function));
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics.into_vec());
    }
    if !settings.enabled_for(&input.stage) {
        settings.functions.clear();
    }
    if let Some(function) = &input.function {
        settings.functions.retain(|f| f.name() == function);
    }
    Ok(settings)
}
