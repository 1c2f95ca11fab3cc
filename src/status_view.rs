//! How a canary's deployment reads to a user: its outcome, the time left, one summary line for
//! progress displays and the lines `sls canary:status` prints. Pure: AWS answers in, text out.

use crate::aws::{AlarmStatus, Deployment, FunctionStatus, Outcome, Routing};

const PREDEFINED_PREFIX: &str = "CodeDeployDefault.Lambda";

pub fn describe(
    function: &str,
    deployment_group: &str,
    deployment: Option<Deployment>,
    alarms: Vec<AlarmStatus>,
) -> FunctionStatus {
    let outcome = deployment.as_ref().map_or(Outcome::None, outcome);
    let summary = format!(
        "{function}: {}",
        match &deployment {
            Some(deployment) => summary(deployment, outcome, &alarms),
            None => "no deployment yet".to_owned(),
        }
    );
    let details = details(function, deployment.as_ref(), outcome, &summary, &alarms);
    FunctionStatus {
        function: function.to_owned(),
        deployment_group: deployment_group.to_owned(),
        deployment,
        alarms,
        outcome,
        summary,
        details,
    }
}

fn outcome(deployment: &Deployment) -> Outcome {
    match deployment.status.as_str() {
        "Succeeded" => Outcome::Succeeded,
        "Stopped" | "Failed" => Outcome::RolledBack,
        _ => Outcome::InProgress,
    }
}

/// Until all traffic is on the new version: the current step's end plus the steps after it.
/// Only while traffic shifts; a step is timed from when the share last changed.
pub fn seconds_left(deployment: &Deployment, now: i64) -> Option<u64> {
    let traffic = deployment.traffic.as_ref()?;
    if deployment.status != "InProgress" || traffic.new_percent >= 100.0 {
        return None;
    }
    let shifting = deployment
        .hooks
        .iter()
        .any(|hook| hook.name == "AllowTraffic" && hook.status == "InProgress");
    if !shifting {
        return None;
    }
    let (steps, minutes) = match deployment.routing? {
        Routing::AllAtOnce => return None,
        Routing::Canary { minutes, .. } => (1, minutes),
        Routing::Linear { percent, minutes } => {
            let left = 100.0 - traffic.new_percent;
            ((left / f64::from(percent.max(1))).ceil() as i64, minutes)
        }
    };
    let ends = traffic.shifted_at? + steps * i64::from(minutes) * 60;
    Some(u64::try_from(ends - now).unwrap_or(0))
}

fn summary(deployment: &Deployment, outcome: Outcome, alarms: &[AlarmStatus]) -> String {
    let old = version(
        deployment
            .traffic
            .as_ref()
            .and_then(|t| t.old_version.as_deref()),
    );
    let new = version(
        deployment
            .traffic
            .as_ref()
            .and_then(|t| t.new_version.as_deref()),
    );
    let id = &deployment.id;
    match outcome {
        Outcome::Succeeded => format!(
            "shifted to {new} ({}, deployment {id} succeeded)",
            config(deployment)
        ),
        Outcome::RolledBack => format!(
            "rolled back to {old} {} (deployment {id} {})",
            why_rolled_back(deployment, alarms),
            deployment.status.to_lowercase()
        ),
        Outcome::InProgress | Outcome::None => {
            format!("{} · {}", progress(deployment), alarm_summary(alarms))
        }
    }
}

/// Where a running deployment is: the hook running, or how traffic is split and for how long.
fn progress(deployment: &Deployment) -> String {
    let running = deployment
        .hooks
        .iter()
        .find(|hook| hook.status == "InProgress" && hook.name != "AllowTraffic");
    if let Some(hook) = running {
        return format!("deployment {} running {} hook", deployment.id, hook.name);
    }
    match &deployment.traffic {
        Some(traffic) => {
            let left = deployment
                .seconds_left
                .map(|seconds| format!(", {} left", duration(seconds)))
                .unwrap_or_default();
            format!("{}{left}", split(traffic))
        }
        None => format!("deployment {} {}", deployment.id, deployment.status),
    }
}

fn split(traffic: &crate::aws::Traffic) -> String {
    let new = traffic.new_percent.round();
    format!(
        "{new}% on {}, {}% on {}",
        version(traffic.new_version.as_deref()),
        100.0 - new,
        version(traffic.old_version.as_deref())
    )
}

fn why_rolled_back(deployment: &Deployment, alarms: &[AlarmStatus]) -> String {
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
) -> Vec<String> {
    let Some(deployment) = deployment else {
        let mut lines = vec![summary.to_owned()];
        lines.extend(alarm_line(alarms));
        return lines;
    };
    let mut lines = vec![format!(
        "{function}: deployment {} {} ({}){}",
        deployment.id,
        deployment.status,
        config(deployment),
        deployment
            .created_at
            .as_ref()
            .map(|at| format!(", created {at}"))
            .unwrap_or_default()
    )];
    if let Some(traffic) = &deployment.traffic {
        let alias = traffic
            .alias
            .as_ref()
            .map(|alias| format!(" through alias {alias}"))
            .unwrap_or_default();
        let left = deployment
            .seconds_left
            .map(|seconds| format!(", {} left", duration(seconds)))
            .unwrap_or_default();
        lines.push(format!("  traffic  {}{alias}{left}", split(traffic)));
    }
    if !deployment.hooks.is_empty() {
        let hooks: Vec<String> = deployment
            .hooks
            .iter()
            .map(|hook| format!("{} {}", hook.name, hook.status))
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
