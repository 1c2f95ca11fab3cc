//! Commands that act on a deployed canary (`sls canary:alarm`): what they act on comes from
//! the resolved settings alone, as the deployed stack names it.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::aws::{self, AlarmStateReport, AlarmStateRequest};
use crate::diagnostics::{self as diag, Severity};
use crate::preflight::preflight_targets;
use crate::settings::read_settings;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmInput {
    pub stage: String,
    pub stack_name: String,
    #[serde(default)]
    pub custom: Option<Value>,
    #[serde(default)]
    pub functions: Map<String, Value>,
    /// `--function`: only this canaried function's alarms.
    #[serde(default)]
    pub function: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub profile: Option<String>,
    pub state: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Sets the attached alarms of the canaried functions (or of `--function`) to `state`.
pub async fn set_alarm_state(input: &AlarmInput) -> AlarmStateReport {
    let mut diagnostics = Vec::new();
    let settings = read_settings(input.custom.as_ref(), &input.functions, &mut diagnostics);
    diagnostics.retain(|d| d.severity == Severity::Error);
    if let Some(function) = &input.function {
        if !settings.functions.iter().any(|f| f.name() == function) {
            diagnostics.push(diag::not_canaried(function));
        }
    }
    if !diagnostics.is_empty() {
        return AlarmStateReport {
            diagnostics,
            ..AlarmStateReport::default()
        };
    }
    let mut targets = preflight_targets(&settings, &input.stack_name);
    if !settings.enabled_for(&input.stage) {
        targets.alarms.clear();
    }
    if let Some(function) = &input.function {
        let prefix = format!("functions.{function}.");
        targets
            .alarms
            .retain(|alarm| alarm.path.starts_with(&prefix));
    }
    targets.region = input.region.clone();
    targets.profile = input.profile.clone();
    aws::set_alarm_state(&AlarmStateRequest {
        targets,
        state: input.state.clone(),
        reason: input.reason.clone(),
    })
    .await
}
