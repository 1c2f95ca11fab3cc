//! `sls canary:status` and the deploy's progress: for each canaried function, its current or
//! last CodeDeploy deployment, how traffic is split, its lifecycle hooks and its alarms.

use std::collections::{BTreeSet, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_config::ConfigLoader;
use aws_sdk_codedeploy::primitives::{DateTime, DateTimeFormat};
use aws_sdk_codedeploy::types::{DeploymentInfo, LambdaTarget};
use futures_util::join;
use serde::Serialize;

use super::alarms::{self, AlarmState};
use super::deployments::{self, Routing};
use super::failure::Failures;
use super::request::AlarmCheck;
use super::{codedeploy, sdk_config, stack};
use crate::diagnostics::{self as diag, Diagnostic};
use crate::status_view;

/// The canaried functions to report on, and where their stack is.
#[derive(Debug, Clone, Default)]
pub struct StatusRequest {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub stack_name: String,
    pub application_logical_id: String,
    pub functions: Vec<CanaryTarget>,
}

/// One canaried function: its deployment group and every alarm attached to it.
#[derive(Debug, Clone, Default)]
pub struct CanaryTarget {
    /// `hello`
    pub function: String,
    pub deployment_group: String,
    pub alarms: Vec<AlarmCheck>,
}

#[derive(Debug, Default, Serialize)]
pub struct StatusReport {
    pub functions: Vec<FunctionStatus>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionStatus {
    pub function: String,
    pub deployment_group: String,
    /// The deployment in progress, else the last one; `None` before the first.
    pub deployment: Option<Deployment>,
    pub alarms: Vec<AlarmStatus>,
    pub outcome: Outcome,
    /// One line: what the progress display and the deploy's log show.
    pub summary: String,
    /// The lines `sls canary:status` prints.
    pub details: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// No deployment has run for the group yet.
    None,
    InProgress,
    Succeeded,
    /// Stopped or failed: traffic is back on the old version.
    RolledBack,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    /// CodeDeploy's status: `InProgress`, `Succeeded`, `Stopped`, `Failed`, ...
    pub status: String,
    pub config: Option<String>,
    pub routing: Option<Routing>,
    pub created_at: Option<String>,
    pub completed_at: Option<String>,
    pub traffic: Option<Traffic>,
    /// Until all traffic is on the new version, while it shifts.
    pub seconds_left: Option<u64>,
    pub hooks: Vec<Hook>,
    pub error: Option<DeploymentError>,
    pub rollback_message: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    pub alias: Option<String>,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    /// Share of the alias's traffic on the new version, 0 to 100.
    pub new_percent: f64,
    /// When the share last changed (seconds since the epoch), which times the next step.
    #[serde(skip)]
    pub shifted_at: Option<i64>,
}

/// A lifecycle event: BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic.
#[derive(Debug, Serialize)]
pub struct Hook {
    pub name: String,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct DeploymentError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct AlarmStatus {
    pub path: String,
    pub name: String,
    /// `OK`, `ALARM`, `INSUFFICIENT_DATA`, or `MISSING` when CloudWatch has no such alarm.
    pub state: &'static str,
}

pub async fn deployment_status(request: &StatusRequest) -> StatusReport {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    deployment_status_with(request, sdk_config::default_loader(), now).await
}

/// What AWS says about `request`'s functions at `now` (seconds since the epoch).
pub(crate) async fn deployment_status_with(
    request: &StatusRequest,
    loader: ConfigLoader,
    now: i64,
) -> StatusReport {
    let mut out = StatusReport::default();
    let connected = sdk_config::connect(
        loader,
        request.region.as_deref(),
        request.profile.as_deref(),
    )
    .await;
    let (config, region) = match connected {
        Ok(connected) => connected,
        Err(diagnostic) => {
            out.diagnostics.push(diagnostic);
            return out;
        }
    };
    let mut failures = Failures::default();
    let alarms = request.functions.iter().flat_map(|f| &f.alarms);
    let wanted: BTreeSet<&str> = alarms
        .clone()
        .filter(|alarm| alarm.name.is_none())
        .filter_map(|alarm| alarm.logical_id.as_deref())
        .chain([request.application_logical_id.as_str()])
        .collect();
    let cloudformation = aws_sdk_cloudformation::Client::new(&config);
    let physical =
        failures.record(stack::physical_ids(&cloudformation, &request.stack_name, &wanted).await);
    let Some(application) = physical.get(&request.application_logical_id) else {
        if failures.is_empty() {
            out.diagnostics
                .push(diag::stack_not_deployed(&request.stack_name, &region));
        }
        out.diagnostics
            .extend(failures.into_diagnostics(&region, request.profile.as_deref()));
        return out;
    };
    let alarm_name = |alarm: &AlarmCheck| {
        alarm
            .name
            .clone()
            .or_else(|| physical.get(alarm.logical_id.as_deref()?).cloned())
    };

    let codedeploy_client = aws_sdk_codedeploy::Client::new(&config);
    let groups: BTreeSet<&str> = request
        .functions
        .iter()
        .map(|f| f.deployment_group.as_str())
        .collect();
    let (busy, busy_failures) =
        codedeploy::busy_groups(&codedeploy_client, application, &groups).await;
    let idle: BTreeSet<&str> = groups
        .iter()
        .copied()
        .filter(|group| !busy.contains_key(*group))
        .collect();
    let (last, last_failures) =
        deployments::last_attempted(&codedeploy_client, application, &idle).await;
    let current: HashMap<&str, &str> = groups
        .iter()
        .filter_map(|group| {
            let id = busy
                .get(*group)
                .and_then(|ids| ids.first())
                .or_else(|| last.get(*group))?;
            Some((*group, id.as_str()))
        })
        .collect();

    let ids: BTreeSet<&str> = current.values().copied().collect();
    let alarm_names: BTreeSet<String> = alarms.clone().filter_map(alarm_name).collect();
    let alarm_names: BTreeSet<&str> = alarm_names.iter().map(String::as_str).collect();
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&config);
    let ((infos, info_failures), (targets, target_failures), (states, state_failures)) = join!(
        deployments::describe(&codedeploy_client, &ids),
        deployments::lambda_targets(&codedeploy_client, &ids),
        alarms::states(&cloudwatch, &alarm_names),
    );
    let config_names: BTreeSet<&str> = infos
        .values()
        .filter_map(|info| info.deployment_config_name())
        .collect();
    let (routings, routing_failures) =
        deployments::routings(&codedeploy_client, &config_names).await;
    for failure in [
        busy_failures,
        last_failures,
        info_failures,
        target_failures,
        state_failures,
        routing_failures,
    ]
    .into_iter()
    .flatten()
    {
        failures.add(failure);
    }

    if !failures.is_empty() {
        // A group whose calls failed would read as "no deployment yet": report none of them.
        out.diagnostics
            .extend(failures.into_diagnostics(&region, request.profile.as_deref()));
        return out;
    }
    for target in &request.functions {
        let deployment = current
            .get(target.deployment_group.as_str())
            .and_then(|id| infos.get(*id))
            .map(|info| {
                let lambda = info.deployment_id().and_then(|id| targets.get(id));
                deployment(info, lambda, &routings, now)
            });
        let alarms = target
            .alarms
            .iter()
            .map(|alarm| {
                let name = alarm_name(alarm);
                let state = name
                    .as_deref()
                    .and_then(|name| states.get(name))
                    .map_or(AlarmState::Missing.as_str(), |state| state.as_str());
                AlarmStatus {
                    path: alarm.path.clone(),
                    name: name
                        .or_else(|| alarm.logical_id.clone())
                        .unwrap_or_default(),
                    state,
                }
            })
            .collect();
        out.functions.push(status_view::describe(
            &target.function,
            &target.deployment_group,
            deployment,
            alarms,
        ));
    }
    out
}

fn deployment(
    info: &DeploymentInfo,
    lambda: Option<&LambdaTarget>,
    routings: &HashMap<String, Routing>,
    now: i64,
) -> Deployment {
    let config = info.deployment_config_name().map(str::to_owned);
    let routing = config.as_ref().and_then(|name| routings.get(name)).copied();
    let traffic = lambda.and_then(|target| {
        let function = target.lambda_function_info()?;
        let allow_traffic_started = target
            .lifecycle_events()
            .iter()
            .find(|event| event.lifecycle_event_name() == Some("AllowTraffic"))
            .and_then(|event| event.start_time());
        Some(Traffic {
            alias: function.function_alias().map(str::to_owned),
            old_version: function.current_version().map(str::to_owned),
            new_version: function.target_version().map(str::to_owned),
            new_percent: (function.target_version_weight() * 100.0).clamp(0.0, 100.0),
            shifted_at: target
                .last_updated_at()
                .or(allow_traffic_started)
                .map(DateTime::secs),
        })
    });
    let hooks = lambda
        .map(|target| {
            target
                .lifecycle_events()
                .iter()
                .map(|event| Hook {
                    name: event.lifecycle_event_name().unwrap_or_default().to_owned(),
                    status: event
                        .status()
                        .map_or_else(String::new, |status| status.as_str().to_owned()),
                })
                .collect()
        })
        .unwrap_or_default();
    let status = info
        .status()
        .map_or_else(String::new, |status| status.as_str().to_owned());
    let mut deployment = Deployment {
        id: info.deployment_id().unwrap_or_default().to_owned(),
        status,
        config,
        routing,
        created_at: info.create_time().and_then(iso),
        completed_at: info.complete_time().and_then(iso),
        traffic,
        seconds_left: None,
        hooks,
        error: info.error_information().map(|error| DeploymentError {
            code: error
                .code()
                .map_or_else(String::new, |code| code.as_str().to_owned()),
            message: error.message().unwrap_or_default().to_owned(),
        }),
        rollback_message: info
            .rollback_info()
            .and_then(|rollback| rollback.rollback_message())
            .map(str::to_owned),
    };
    deployment.seconds_left = status_view::seconds_left(&deployment, now);
    deployment
}

fn iso(time: &DateTime) -> Option<String> {
    time.fmt(DateTimeFormat::DateTime).ok()
}
