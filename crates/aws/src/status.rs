//! `sls canary:status` and the deploy's progress: for each canaried function, its current or
//! last CodeDeploy deployment, how traffic is split, its lifecycle hooks and its alarms.

use std::collections::{BTreeMap, BTreeSet};

use aws_config::ConfigLoader;
use futures_util::join;
use serde::Serialize;

use super::alarms::{self, AlarmState};
use super::bounded::InFlight;
use super::deployment_configs::Routing;
use super::deployment_facts::{DeploymentFacts, TargetFacts};
use super::failure::Failures;
use super::poll_memory::PollMemory;
use super::releases::{releases, Known, Releases};
use super::request::{AlarmCheck, PhysicalName};
use super::version_metrics::{self, Shifting, VersionTraffic};
use super::{sdk_config, stack};
use serverless_canary_core::diagnostics::{self as diag, Diagnostic};

/// The canaried functions to report on, and where their stack is.
#[derive(Debug, Clone, Default)]
pub(crate) struct StatusRequest {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub stack_name: String,
    pub application_logical_id: String,
    pub functions: Vec<CanaryTarget>,
    /// Seconds since the epoch: the end of the window the versions' traffic is read over.
    pub now: i64,
    /// What an earlier poll of the same watch handed on.
    pub memory: PollMemory,
    /// The deploy's look before the stack update, which only needs to know which deployment
    /// each group is on: no target is read.
    pub first_look: bool,
}

/// One canaried function: its deployment group and every alarm attached to it.
#[derive(Debug, Clone, Default)]
pub(crate) struct CanaryTarget {
    /// `hello`
    pub function: String,
    pub deployment_group: String,
    pub alarms: Vec<AlarmCheck>,
    /// The group rolls back automatically on some cause (`rollbackOn` is not empty).
    pub auto_rollback: bool,
    /// `Live`, and the logical ID of the alias in the stack.
    pub alias: String,
    pub alias_logical_id: String,
    pub checks: Checks,
}

/// The hooks the plugin generates for a function, so their results read by name.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Checks {
    /// `smokeTest`: the BeforeAllowTraffic hook.
    pub smoke_test: bool,
    /// `minTraffic`: the AfterAllowTraffic hook.
    pub traffic_guard: bool,
}

/// A canaried function whose alias the deployed stack does not have yet: the next deploy
/// creates it on the new version, and CodeDeploy has no earlier version to shift from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FirstRelease {
    pub function: String,
    pub alias: String,
}

/// What AWS says about each canaried function; `crate::status_view` reads it to the user.
#[derive(Debug, Default)]
pub(crate) struct StatusFacts {
    pub functions: Vec<FunctionFacts>,
    /// Known whenever the stack could be read, deployed or not.
    pub first_releases: Vec<FirstRelease>,
    pub diagnostics: Vec<Diagnostic>,
    /// For the next poll of a watch: the deployments read to their end that are still
    /// current, those in progress, the stack's resources and the custom configs.
    pub memory: PollMemory,
}

#[derive(Debug)]
pub(crate) struct FunctionFacts {
    pub function: String,
    pub deployment_group: String,
    /// The release the group is on: the deployment in progress, else the last one, and when
    /// that one was a rollback, the deployment it rolled back. `None` before the first.
    pub deployment: Option<Deployment>,
    /// The deployment that rolled `deployment` back: CodeDeploy rolls back by redeploying the
    /// old version as a deployment of its own.
    pub rollback: Option<Rollback>,
    pub alarms: Vec<AlarmStatus>,
    pub auto_rollback: bool,
    pub checks: Checks,
    /// While traffic shifts: what each version served through the alias since it began.
    pub versions: Option<VersionTraffic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rollback {
    pub id: String,
    pub status: String,
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
    /// When AllowTraffic began (seconds since the epoch): the shift's schedule counts from it.
    #[serde(skip)]
    pub shift_started: Option<i64>,
    /// When it ended (seconds since the epoch).
    #[serde(skip)]
    pub ended: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    /// The function's deployed name, as its metrics are published under.
    #[serde(skip)]
    pub function_name: Option<String>,
    pub alias: Option<String>,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    /// Share of the alias's traffic on the new version, 0 to 100.
    pub new_percent: f64,
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

pub(crate) async fn deployment_status(request: &StatusRequest) -> StatusFacts {
    deployment_status_with(request, sdk_config::default_loader()).await
}

pub(crate) async fn deployment_status_with(
    request: &StatusRequest,
    loader: ConfigLoader,
) -> StatusFacts {
    let mut out = StatusFacts::default();
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
    let aliases = request
        .functions
        .iter()
        .map(|f| f.alias_logical_id.as_str());
    let wanted: BTreeSet<&str> = alarms
        .clone()
        .filter_map(AlarmCheck::stack_logical_id)
        .chain(aliases)
        .chain([request.application_logical_id.as_str()])
        .collect();
    let physical = match request.memory.stack_for(&wanted) {
        Some(known) => known.clone(),
        None => {
            let cloudformation = aws_sdk_cloudformation::Client::new(&config);
            let listed = stack::physical_ids(&cloudformation, &request.stack_name, &wanted);
            failures.record(listed.await)
        }
    };
    if failures.is_empty() {
        out.first_releases = request
            .functions
            .iter()
            .filter(|f| !physical.contains_key(&f.alias_logical_id))
            .map(|f| FirstRelease {
                function: f.function.clone(),
                alias: f.alias.clone(),
            })
            .collect();
    }
    let Some(application) = physical.get(&request.application_logical_id) else {
        if failures.is_empty() {
            out.diagnostics
                .push(diag::stack_not_deployed(&request.stack_name, &region));
        }
        out.diagnostics
            .extend(failures.into_diagnostics(&region, request.profile.as_deref()));
        return out;
    };
    let alarm_name = |alarm: &AlarmCheck| alarm.name_in(&physical);
    let alarm_names: BTreeSet<String> = alarms.clone().filter_map(alarm_name).collect();
    let alarm_names: BTreeSet<&str> = alarm_names.iter().map(String::as_str).collect();
    let groups: BTreeMap<&str, Checks> = request
        .functions
        .iter()
        .map(|f| (f.deployment_group.as_str(), f.checks))
        .collect();
    let codedeploy = aws_sdk_codedeploy::Client::new(&config);
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&config);
    // CodeDeploy's rounds and CloudWatch's run side by side, within one limit.
    let limit = InFlight::new();
    let known = Known {
        memory: &request.memory,
        first_look: request.first_look,
    };
    let (releases, (states, state_failures)) = join!(
        releases(
            &codedeploy,
            &limit,
            application,
            &groups,
            known,
            &mut failures
        ),
        alarms::states(&cloudwatch, &limit, &alarm_names),
    );
    state_failures.into_iter().for_each(|f| failures.add(f));
    if !failures.is_empty() {
        // A group whose calls failed would read as "no deployment yet": report none of them.
        out.diagnostics
            .extend(failures.into_diagnostics(&region, request.profile.as_deref()));
        return out;
    }
    let Releases {
        mut subjects,
        rollbacks,
        targets,
        routings,
        mut memory,
    } = releases;
    // Kept only once every resource looked up is there: one missing may be on its way.
    if wanted.iter().all(|id| physical.contains_key(*id)) {
        memory.stack = Some(physical.clone());
    }
    out.memory = memory;
    for target in &request.functions {
        let group = target.deployment_group.as_str();
        let (deployment, rollback) = match subjects.remove(group) {
            Some(info) => {
                let rollback = rollbacks.get(group).cloned();
                (
                    Some(deployment(&info, targets.get(&info.id), &routings)),
                    rollback,
                )
            }
            None => (None, None),
        };
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
        out.functions.push(FunctionFacts {
            function: target.function.clone(),
            deployment_group: target.deployment_group.clone(),
            deployment,
            rollback,
            alarms,
            auto_rollback: target.auto_rollback,
            checks: target.checks,
            versions: None,
        });
    }
    let shifting: Vec<Shifting> = out.functions.iter().filter_map(shifting).collect();
    if !shifting.is_empty() {
        let (traffic, metric_failures) =
            version_metrics::traffic(&cloudwatch, &limit, &shifting, request.now).await;
        for function in &mut out.functions {
            function.versions = traffic.get(&function.deployment_group).copied();
        }
        // The deployments are still reported; the diagnostics say why the numbers are not.
        let mut failures = Failures::default();
        metric_failures.into_iter().for_each(|f| failures.add(f));
        out.diagnostics
            .extend(failures.into_diagnostics(&region, request.profile.as_deref()));
    }
    out
}

/// A deployment moving traffic now, with what its metrics are published under.
fn shifting(function: &FunctionFacts) -> Option<Shifting> {
    let deployment = function.deployment.as_ref()?;
    let moving = deployment
        .hooks
        .iter()
        .any(|hook| hook.name == "AllowTraffic" && hook.status == "InProgress");
    if deployment.status != "InProgress" || !moving {
        return None;
    }
    let traffic = deployment.traffic.as_ref()?;
    Some(Shifting {
        group: function.deployment_group.clone(),
        function_name: traffic.function_name.clone()?,
        alias: traffic.alias.clone()?,
        new_version: traffic.new_version.clone()?,
        since: deployment.shift_started?,
    })
}

fn deployment(
    info: &DeploymentFacts,
    lambda: Option<&TargetFacts>,
    routings: &BTreeMap<String, Routing>,
) -> Deployment {
    let routing = info
        .config
        .as_ref()
        .and_then(|name| routings.get(name))
        .copied();
    let events = lambda.map_or(&[][..], |target| &target.events);
    let traffic = lambda
        .and_then(|target| target.function.as_ref())
        .map(|function| Traffic {
            function_name: function.function_name.clone(),
            alias: function.alias.clone(),
            old_version: function.old_version.clone(),
            new_version: function.new_version.clone(),
            new_percent: (function.new_weight * 100.0).clamp(0.0, 100.0),
        });
    let hooks = events
        .iter()
        .map(|event| Hook {
            name: event.name.clone(),
            status: event.status.clone(),
        })
        .collect();
    let shift_started = events
        .iter()
        .find(|event| event.name == "AllowTraffic")
        .and_then(|event| event.started);
    Deployment {
        id: info.id.clone(),
        status: info.status.clone(),
        config: info.config.clone(),
        routing,
        created_at: info.created_at.clone(),
        completed_at: info.completed_at.clone(),
        traffic,
        seconds_left: None,
        hooks,
        error: info.error.as_ref().map(|(code, message)| DeploymentError {
            code: code.clone(),
            message: message.clone(),
        }),
        shift_started,
        ended: info.ended,
    }
}

#[cfg(test)]
#[path = "status_tests.rs"]
mod tests;
