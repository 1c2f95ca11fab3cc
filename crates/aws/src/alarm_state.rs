//! `sls canary:alarm`: sets a canary's attached alarms to ALARM or OK, the rehearsal of a
//! rollback (and of its all-clear). The stack's own alarms are named by CloudFormation, so
//! they are found through it; the alarms are set a few at a time (`bounded`).

use std::collections::BTreeSet;

use aws_config::ConfigLoader;
use aws_sdk_cloudwatch::error::ProvideErrorMetadata;
use aws_sdk_cloudwatch::types::StateValue;
use serde::{Deserialize, Serialize};

use super::bounded::{self, InFlight};
use super::failure::{Call, Failure, Failures};
use super::request::{Connect, PhysicalName, PreflightRequest};
use super::{sdk_config, stack};
use serverless_canary_core::diagnostics::{self as diag, Diagnostic};

const CALL: Call = Call {
    service: "CloudWatch",
    action: "cloudwatch:SetAlarmState",
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AlarmStateRequest {
    /// The alarms to set, and where to find the stack's (only `alarms`, `stackName`, `region`
    /// and `profile` are read).
    #[serde(flatten)]
    pub targets: PreflightRequest,
    /// `ALARM` or `OK`.
    pub state: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct AlarmStateReport {
    /// The alarms now in the state: config path and alarm name.
    pub set: Vec<SetAlarm>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize)]
pub struct SetAlarm {
    pub path: String,
    pub name: String,
}

pub(crate) async fn set_alarm_state(request: &AlarmStateRequest) -> AlarmStateReport {
    set_alarm_state_with(request, sdk_config::default_loader()).await
}

pub(crate) async fn set_alarm_state_with(
    request: &AlarmStateRequest,
    loader: ConfigLoader,
) -> AlarmStateReport {
    let state = match request.state.as_str() {
        "ALARM" => StateValue::Alarm,
        "OK" => StateValue::Ok,
        other => return report(vec![diag::unknown_alarm_state(other)]),
    };
    let targets = &request.targets;
    let (config, region) = match targets.connect(loader).await {
        Ok(connected) => connected,
        Err(diagnostic) => return report(vec![diagnostic]),
    };
    let mut failures = Failures::default();
    let in_stack: BTreeSet<&str> = targets.stack_alarm_ids().collect();
    let cloudformation = aws_sdk_cloudformation::Client::new(&config);
    let physical =
        failures.record(stack::physical_ids(&cloudformation, &targets.stack_name, &in_stack).await);
    let mut out = AlarmStateReport::default();
    let mut named = Vec::new();
    for alarm in &targets.alarms {
        match (alarm.name_in(&physical), &alarm.logical_id) {
            (Some(name), _) => named.push((alarm.path.as_str(), name)),
            (None, Some(logical_id)) if failures.is_empty() => out.diagnostics.push(
                diag::alarm_not_deployed(&alarm.path, logical_id, &targets.stack_name),
            ),
            _ => {}
        }
    }
    let reason = request
        .reason
        .as_deref()
        .unwrap_or("serverless-canary: canary:alarm rehearsal");
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&config);
    let calls = named.iter().map(|(_, name)| {
        cloudwatch
            .set_alarm_state()
            .alarm_name(name)
            .state_value(state.clone())
            .state_reason(reason)
            .send()
    });
    for ((path, name), answer) in named
        .iter()
        .zip(bounded::all(&InFlight::new(), calls.collect()).await)
    {
        match answer {
            Ok(_) => out.set.push(SetAlarm {
                path: path.to_string(),
                name: name.clone(),
            }),
            Err(error) if error.code() == Some("ResourceNotFound") => out
                .diagnostics
                .push(diag::alarm_not_found(path, name, &region)),
            Err(error) => failures.add(Failure::of(CALL, &error)),
        }
    }
    out.diagnostics
        .extend(failures.into_diagnostics(&region, targets.profile.as_deref()));
    out
}

fn report(diagnostics: Vec<Diagnostic>) -> AlarmStateReport {
    AlarmStateReport {
        set: Vec::new(),
        diagnostics,
    }
}

#[cfg(test)]
#[path = "alarm_state_tests.rs"]
mod tests;
