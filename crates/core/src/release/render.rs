//! The lines `canary:plan` prints: the release first, then each function with its hooks,
//! alarms, callers, what AWS said and what was warned.

use super::{count, FunctionRelease, ReleasePlan};

/// The plan as `canary:plan` prints it: the release, then each function.
pub fn render(plan: &ReleasePlan) -> Vec<String> {
    let mut lines = vec![release_line(plan)];
    if let Some(bypass) = plan.bypass {
        let hooks = if bypass.hooks_run {
            "hooks run"
        } else {
            "hooks are skipped"
        };
        lines.push(format!(
            "--canary-bypass: every function shifts all at once in this deploy; no alarm is consulted; {hooks}"
        ));
    }
    lines.extend(plan.warnings.iter().map(|w| format!("warned: {w}")));
    for function in &plan.functions {
        lines.extend(function_lines(function));
    }
    lines
}

fn release_line(plan: &ReleasePlan) -> String {
    if plan.functions.is_empty() {
        return format!(
            "{} ({}): no canaried function; every function deploys all at once",
            plan.service, plan.stage
        );
    }
    let functions = match plan.functions.len() {
        1 => "1 canaried function".to_owned(),
        n => format!("{n} canaried functions"),
    };
    let how = match (plan.chains, plan.minutes) {
        (Some(chains), minutes) => format!(
            "traffic shifts for {} in all, in {chains} chains of one deployment at a time (maxConcurrentDeployments; longest chain: {})",
            count(minutes, "minute"),
            plan.longest.join(", ")
        ),
        (None, 0) => "traffic shifts all at once".to_owned(),
        (None, minutes) => format!(
            "traffic shifts for {} in all (longest: {})",
            count(minutes, "minute"),
            plan.longest.join(", ")
        ),
    };
    let unknown = match plan.unknown_length.as_slice() {
        [] => String::new(),
        names => format!(
            ", plus what the configs outside the stack take ({})",
            names.join(", ")
        ),
    };
    format!(
        "{} ({}): {functions}; {how}{unknown}",
        plan.service, plan.stage
    )
}

fn function_lines(function: &FunctionRelease) -> Vec<String> {
    let minutes = match function.minutes {
        Some(0) => String::new(),
        Some(minutes) => format!(" ({})", count(minutes, "minute")),
        None => String::new(),
    };
    let mut lines = vec![format!(
        "{}: {} through alias `{}`: {}{minutes}",
        function.function, function.deployment_type, function.alias, function.shift
    )];
    lines.push(format!(
        "  hooks: {}",
        listed(&function.hooks, |hook| {
            let off = if hook.active {
                ""
            } else {
                ", skipped in this deploy"
            };
            format!("{} {}{off}", hook.when, hook.runs)
        })
    ));
    lines.push(format!(
        "  alarms: {}",
        listed(&function.alarms, |alarm| {
            let off = if alarm.consulted {
                ""
            } else {
                ", not consulted in this deploy"
            };
            format!("{} ({}{off})", alarm.name, alarm.watches)
        })
    ));
    lines.push(format!(
        "  through the alias: {}",
        listed(&function.routes, |route| {
            format!("{} ({})", route.logical_id, route.resource_type)
        })
    ));
    match function.first_release {
        Some(true) => lines.push(
            "  AWS: first release: no alias is deployed yet, so CloudFormation creates it on the new version and nothing shifts".to_owned(),
        ),
        Some(false) => lines.push("  AWS: the alias is deployed: this deploy shifts from its version".to_owned()),
        None => {}
    }
    if !function.firing.is_empty() {
        lines.push(format!(
            "  AWS: firing now: {} (CodeDeploy would stop the deployment and roll it back at once)",
            function.firing.join(", ")
        ));
    }
    if function.warnings.is_empty() {
        lines.push("  warned: nothing".to_owned());
    }
    lines.extend(function.warnings.iter().map(|w| format!("  warned: {w}")));
    lines
}

/// `none`, or the items in words, separated by `; `.
fn listed<T>(items: &[T], words: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    items.iter().map(words).collect::<Vec<_>>().join("; ")
}
