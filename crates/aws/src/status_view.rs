//! How a canary's deployment reads to a user: its outcome, the time left, one summary line for
//! progress displays and the lines `sls canary:status` prints. Pure: AWS's answers in, text out.

use serde::Serialize;

use crate::deployment_configs::Routing;
use crate::poll_memory::PollMemory;
use crate::status::{
    AlarmStatus, Checks, Deployment, FirstRelease, FunctionFacts, Hook, Rollback, StatusFacts,
    Traffic,
};
use crate::version_metrics::{Served, VersionTraffic};
use serverless_canary_core::diagnostics::Diagnostic;

const PREDEFINED_PREFIX: &str = "CodeDeployDefault.Lambda";
/// CodeDeploy starts a rollback deployment moments after the stop; one that has not appeared
/// this long after is not coming.
const ROLLBACK_GRACE_SECS: i64 = 120;

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    pub functions: Vec<FunctionStatus>,
    /// Canaried functions whose alias the deployed stack does not have yet.
    pub first_releases: Vec<FirstReleaseView>,
    pub diagnostics: Vec<Diagnostic>,
    /// For the next poll of a watch (`StatusInput::memory`); not for the user.
    pub memory: PollMemory,
}

#[derive(Debug, Serialize)]
pub struct FirstReleaseView {
    pub function: String,
    pub alias: String,
    /// What the deploy says about it before CloudFormation starts.
    pub line: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionStatus {
    pub function: String,
    pub deployment_group: String,
    pub deployment: Option<Deployment>,
    pub rollback: Option<Rollback>,
    pub alarms: Vec<AlarmStatus>,
    /// While traffic shifts: what each version served through the alias since it began.
    pub versions: Option<VersionTraffic>,
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
    /// Stopped or failed, and the rollback deployment is moving traffic back.
    RollingBack,
    Succeeded,
    /// All traffic is back on the old version.
    RolledBack,
    /// Stopped or failed without a rollback (or the rollback failed): traffic stays split.
    Stopped,
}

/// Reads every function's facts at `now` (seconds since the epoch).
pub(crate) fn report(facts: StatusFacts, now: i64) -> StatusReport {
    StatusReport {
        functions: facts
            .functions
            .into_iter()
            .map(|function| describe(function, now))
            .collect(),
        first_releases: facts
            .first_releases
            .into_iter()
            .map(first_release)
            .collect(),
        diagnostics: facts.diagnostics,
        memory: facts.memory,
    }
}

/// CloudFormation creates the alias on the new version, so there is no older version for
/// CodeDeploy to shift from: the deploy moves nothing gradually, which surprises users.
fn first_release(first: FirstRelease) -> FirstReleaseView {
    let line = format!(
        "{}: first release through alias `{}`: gradual shifting starts with the next deploy (CloudFormation creates the alias on the new version, so there is no older one to shift from)",
        first.function, first.alias
    );
    FirstReleaseView {
        function: first.function,
        alias: first.alias,
        line,
    }
}

pub(crate) fn describe(facts: FunctionFacts, now: i64) -> FunctionStatus {
    let FunctionFacts {
        function,
        deployment_group,
        mut deployment,
        rollback,
        alarms,
        auto_rollback,
        checks,
        versions,
    } = facts;
    if let Some(deployment) = &mut deployment {
        deployment.seconds_left = seconds_left(deployment, now);
    }
    let outcome = deployment.as_ref().map_or(Outcome::None, |d| {
        outcome(d, rollback.as_ref(), auto_rollback, now)
    });
    let extras = Extras {
        checks,
        versions: versions.as_ref(),
    };
    let summary = format!(
        "{function}: {}",
        match &deployment {
            Some(deployment) => summary(deployment, rollback.as_ref(), outcome, &alarms, extras),
            None => "no deployment yet".to_owned(),
        }
    );
    let details = details(
        &function,
        deployment.as_ref(),
        outcome,
        &summary,
        &alarms,
        extras,
    );
    FunctionStatus {
        function,
        deployment_group,
        deployment,
        rollback,
        alarms,
        versions,
        outcome,
        summary,
        details,
    }
}

fn outcome(
    deployment: &Deployment,
    rollback: Option<&Rollback>,
    auto_rollback: bool,
    now: i64,
) -> Outcome {
    let rollback_due = auto_rollback
        && deployment
            .ended
            .is_none_or(|ended| now - ended < ROLLBACK_GRACE_SECS);
    match deployment.status.as_str() {
        "Succeeded" => Outcome::Succeeded,
        "Stopped" | "Failed" => match rollback.map(|r| r.status.as_str()) {
            Some("Succeeded") => Outcome::RolledBack,
            Some("Created" | "Queued" | "InProgress" | "Baking" | "Ready") => Outcome::RollingBack,
            None if rollback_due => Outcome::RollingBack,
            _ => Outcome::Stopped,
        },
        _ => Outcome::InProgress,
    }
}

/// Until all traffic is on the new version, while it shifts. CodeDeploy moves a step at the
/// start of each interval from when AllowTraffic began: a canary's second and last step one
/// interval in, a linear config's last one `ceil(100 / percent) - 1` intervals in.
pub(crate) fn seconds_left(deployment: &Deployment, now: i64) -> Option<u64> {
    let shifting = deployment
        .hooks
        .iter()
        .any(|hook| hook.name == "AllowTraffic" && hook.status == "InProgress");
    if deployment.status != "InProgress" || !shifting {
        return None;
    }
    let intervals = match deployment.routing? {
        Routing::AllAtOnce => return None,
        Routing::Canary { minutes, .. } => i64::from(minutes),
        Routing::Linear { percent, minutes } => {
            let steps = 100_u32.div_ceil(percent.max(1));
            i64::from(steps - 1) * i64::from(minutes)
        }
    };
    let ends = deployment.shift_started? + intervals * 60;
    Some(u64::try_from(ends - now).unwrap_or(0))
}

/// What the plugin's own checks add to a deployment's reading.
#[derive(Clone, Copy)]
struct Extras<'a> {
    checks: Checks,
    versions: Option<&'a VersionTraffic>,
}

fn summary(
    deployment: &Deployment,
    rollback: Option<&Rollback>,
    outcome: Outcome,
    alarms: &[AlarmStatus],
    extras: Extras,
) -> String {
    let traffic = deployment.traffic.as_ref();
    let old = version(traffic.and_then(|t| t.old_version.as_deref()));
    // A release that ended is told without its target unless its story needs it.
    let new = traffic
        .and_then(|t| t.new_version.as_deref())
        .map_or_else(|| "the new version".to_owned(), |v| format!("version {v}"));
    let id = &deployment.id;
    let ended = format!("deployment {id} {}", deployment.status.to_lowercase());
    let why = || why_stopped(deployment, alarms, extras.checks);
    match outcome {
        Outcome::Succeeded => format!("shifted to {new} ({}, {ended})", config(deployment)),
        Outcome::RollingBack => format!(
            "rolling back to {old} {} ({ended}, {})",
            why(),
            rollback.map_or_else(
                || "rollback starting".to_owned(),
                |r| format!("rollback {} in progress", r.id)
            )
        ),
        Outcome::RolledBack => format!("rolled back to {old} {} ({ended})", why()),
        Outcome::Stopped => {
            let rollback = rollback
                .map(|r| format!(", rollback {} {}", r.id, r.status.to_lowercase()))
                .unwrap_or_else(|| ", no rollback".to_owned());
            let split = traffic.map_or_else(|| "unknown".to_owned(), split);
            let how = match deployment.error.as_ref().map(|e| e.code.as_str()) {
                Some("MANUAL_STOP") => "stopped on request".to_owned(),
                _ => format!("{} {}", deployment.status.to_lowercase(), why()),
            };
            format!("{how}: traffic stays {split} ({ended}{rollback})")
        }
        Outcome::InProgress | Outcome::None => {
            let versions = extras
                .versions
                .zip(traffic)
                .map(|(versions, traffic)| format!(" · {}", served(versions, traffic)))
                .unwrap_or_default();
            format!(
                "{}{versions} · {}",
                progress(deployment, extras.checks),
                alarm_summary(alarms)
            )
        }
    }
}

/// Where a running deployment is: the hook running, or how traffic is split and for how long.
fn progress(deployment: &Deployment, checks: Checks) -> String {
    let running = deployment
        .hooks
        .iter()
        .find(|hook| hook.status == "InProgress" && hook.name != "AllowTraffic");
    if let Some(hook) = running {
        return format!(
            "deployment {} running {}",
            deployment.id,
            hook_label(hook, checks)
        );
    }
    match &deployment.traffic {
        Some(traffic) => format!("{}{}", split(traffic), time_left(deployment)),
        None => format!("deployment {} {}", deployment.id, deployment.status),
    }
}

/// The plugin's check that runs in a lifecycle hook, if one does.
fn generated_check(hook: &Hook, checks: Checks) -> Option<&'static str> {
    match hook.name.as_str() {
        "BeforeAllowTraffic" if checks.smoke_test => Some("smoke test"),
        "AfterAllowTraffic" if checks.traffic_guard => Some("traffic guard"),
        _ => None,
    }
}

/// `the smoke test`, or `BeforeAllowTraffic hook` for a hook of the user's.
fn hook_label(hook: &Hook, checks: Checks) -> String {
    generated_check(hook, checks).map_or_else(
        || format!("{} hook", hook.name),
        |check| format!("the {check}"),
    )
}

/// `version 7 served 40 (3 errors, 7.5%), version 6 served 360 (4 errors, 1.1%)`
fn served(versions: &VersionTraffic, traffic: &Traffic) -> String {
    let one = |label: String, served: &Served| {
        let rate = served
            .error_rate()
            .map(|rate| format!(", {rate:.1}%"))
            .unwrap_or_default();
        format!(
            "{label} served {} ({} errors{rate})",
            served.invocations, served.errors
        )
    };
    format!(
        "{}, {}",
        one(version(traffic.new_version.as_deref()), &versions.new),
        one(version(traffic.old_version.as_deref()), &versions.old)
    )
}

fn time_left(deployment: &Deployment) -> String {
    deployment
        .seconds_left
        .map(|seconds| format!(", {} left", duration(seconds)))
        .unwrap_or_default()
}

fn split(traffic: &Traffic) -> String {
    let new = traffic.new_percent.round();
    format!(
        "{new}% on {}, {}% on {}",
        version(traffic.new_version.as_deref()),
        100.0 - new,
        version(traffic.old_version.as_deref())
    )
}

fn why_stopped(deployment: &Deployment, alarms: &[AlarmStatus], checks: Checks) -> String {
    // The plugin's own checks are named; a hook of the user's is told by CodeDeploy's error.
    let failed_check = deployment
        .hooks
        .iter()
        .filter(|hook| hook.status == "Failed")
        .find_map(|hook| generated_check(hook, checks));
    if let Some(check) = failed_check {
        return format!("because the {check} failed");
    }
    let Some(error) = &deployment.error else {
        return "(no reason given)".to_owned();
    };
    match error.code.as_str() {
        "ALARM_ACTIVE" => {
            let named = activated_alarms(&error.message);
            let fired: Vec<&str> = if named.is_empty() {
                alarms
                    .iter()
                    .filter(|a| a.state == "ALARM")
                    .map(|a| a.name.as_str())
                    .collect()
            } else {
                named
            };
            match fired.as_slice() {
                [] => "because an alarm fired".to_owned(),
                [one] => format!("because alarm {one} fired"),
                many => format!("because alarms {} fired", many.join(", ")),
            }
        }
        "MANUAL_STOP" => "because it was stopped on request".to_owned(),
        _ if error.message.is_empty() => format!("after {}", error.code),
        _ => format!(
            "after {}: {}",
            error.code,
            error.message.trim_end_matches('.')
        ),
    }
}

/// CodeDeploy ends an alarm stop's message with `Activated alarms: <A> <B>`.
fn activated_alarms(message: &str) -> Vec<&str> {
    message
        .split_once("Activated alarms:")
        .map(|(_, names)| {
            names
                .split(['<', '>', ','])
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn alarm_summary(alarms: &[AlarmStatus]) -> String {
    let firing: Vec<&str> = alarms
        .iter()
        .filter(|a| a.state == "ALARM")
        .map(|a| a.name.as_str())
        .collect();
    match (alarms.len(), firing.as_slice()) {
        (0, _) => "no alarms attached".to_owned(),
        (_, []) => "no alarm firing".to_owned(),
        (_, [one]) => format!("alarm {one} firing"),
        (_, many) => format!("alarms {} firing", many.join(", ")),
    }
}

fn details(
    function: &str,
    deployment: Option<&Deployment>,
    outcome: Outcome,
    summary: &str,
    alarms: &[AlarmStatus],
    extras: Extras,
) -> Vec<String> {
    let Some(deployment) = deployment else {
        let mut lines = vec![summary.to_owned()];
        lines.extend(alarm_line(alarms));
        return lines;
    };
    let when = match (&deployment.created_at, &deployment.completed_at) {
        (Some(created), Some(completed)) => format!(", {created} to {completed}"),
        (Some(created), None) => format!(", created {created}"),
        _ => String::new(),
    };
    let mut lines = vec![format!(
        "{function}: deployment {} {} ({}){when}",
        deployment.id,
        deployment.status,
        config(deployment),
    )];
    if let Some(traffic) = &deployment.traffic {
        let alias = traffic
            .alias
            .as_ref()
            .map(|alias| format!(" through alias {alias}"))
            .unwrap_or_default();
        lines.push(format!(
            "  traffic  {}{alias}{}",
            split(traffic),
            time_left(deployment)
        ));
        if let Some(versions) = extras.versions {
            lines.push(format!("  served   {}", served(versions, traffic)));
        }
    }
    if !deployment.hooks.is_empty() {
        let hooks: Vec<String> = deployment
            .hooks
            .iter()
            .map(|hook| {
                let name = generated_check(hook, extras.checks).unwrap_or(&hook.name);
                format!("{name} {}", hook.status)
            })
            .collect();
        lines.push(format!("  hooks    {}", hooks.join(" · ")));
    }
    lines.extend(alarm_line(alarms));
    if outcome != Outcome::InProgress {
        let result = summary.split_once(": ").map_or(summary, |(_, rest)| rest);
        lines.push(format!("  result   {result}"));
    }
    lines
}

fn alarm_line(alarms: &[AlarmStatus]) -> Option<String> {
    if alarms.is_empty() {
        return None;
    }
    let states: Vec<String> = alarms
        .iter()
        .map(|alarm| format!("{} {}", alarm.name, alarm.state))
        .collect();
    Some(format!("  alarms   {}", states.join(" · ")))
}

/// `Canary10Percent5Minutes` for the predefined configs, the config's name otherwise.
fn config(deployment: &Deployment) -> &str {
    deployment
        .config
        .as_deref()
        .map_or("unknown config", |name| {
            name.strip_prefix(PREDEFINED_PREFIX).unwrap_or(name)
        })
}

fn version(version: Option<&str>) -> String {
    version.map_or_else(
        || "the previous version".to_owned(),
        |v| format!("version {v}"),
    )
}

/// `4m 05s`, `1h 02m`, `42s`.
fn duration(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h {:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
#[path = "status_view_tests.rs"]
mod tests;
