//! The `--aws` checks: what only the live account can tell before a deploy. Lookups that need
//! nothing from the stack go out together, then those that need a name the stack gave: two
//! round trips, however many alarms and functions.

use std::collections::{BTreeSet, HashMap};

use aws_config::{ConfigLoader, SdkConfig};
use futures_util::join;

use serde::Deserialize;
use serverless_canary_core::release::{Firing, ReleaseFacts};
use serverless_canary_core::report::Report;
use serverless_canary_core::source::{self, SourceText};

use super::alarms::{self, AlarmState};
use super::bounded::InFlight;
use super::codedeploy;
use super::failure::Failures;
use super::request::{Connect, Named, PreflightRequest};
use super::sdk_config;
use super::stack::{self, PhysicalIds};
use serverless_canary_core::diagnostics::{self as diag, Diagnostic};

/// A request back from JavaScript, with the region and profile it chose and the service file
/// to locate the problems in.
#[derive(Debug, Deserialize)]
pub struct PreflightInput {
    #[serde(flatten)]
    pub(crate) request: PreflightRequest,
    #[serde(default)]
    pub(crate) source: Option<SourceText>,
}

/// Asks AWS, and reports like the standalone check: located diagnostics and their counts.
pub async fn preflight_report(input: &PreflightInput) -> Report {
    let (mut diagnostics, facts) =
        preflight_with(&input.request, sdk_config::default_loader()).await;
    if let Some(source) = &input.source {
        source::locate(&mut diagnostics, &source.file, &source.text);
    }
    Report {
        facts: Some(facts),
        ..Report::new(diagnostics)
    }
}

/// Runs every check and reports what would make the deploy fail or roll back at once, and
/// what `canary:plan --aws` says per function. When AWS cannot be asked, says why in one
/// diagnostic per reason and skips what it could not check. Runs on the caller's tokio
/// runtime; tests hand it an environment of their own through `loader`.
pub(crate) async fn preflight_with(
    request: &PreflightRequest,
    loader: ConfigLoader,
) -> (Vec<Diagnostic>, ReleaseFacts) {
    let (config, region) = match request.connect(loader).await {
        Ok(connected) => connected,
        Err(diagnostic) => return (vec![diagnostic], ReleaseFacts::default()),
    };
    let answers = ask(request, &config).await;
    let mut diagnostics = report(request, &answers, &region);
    let facts = facts(request, &answers);
    diagnostics.extend(
        answers
            .failures
            .into_diagnostics(&region, request.profile.as_deref()),
    );
    (diagnostics, facts)
}

/// The functions without a deployed alias, when the stack could be read, and the attached
/// alarms in state ALARM.
fn facts(request: &PreflightRequest, answers: &Answers) -> ReleaseFacts {
    let first_releases = answers.stack_read.then(|| {
        request
            .aliases
            .iter()
            .filter(|alias| !answers.physical.contains_key(&alias.name))
            .filter_map(|alias| alias.path.strip_prefix("functions."))
            .map(str::to_owned)
            .collect()
    });
    let firing = request
        .alarms
        .iter()
        .filter_map(|alarm| {
            let name = match &alarm.name {
                Some(name) => name,
                None => answers.physical.get(alarm.logical_id.as_ref()?)?,
            };
            (answers.alarm_states.get(name) == Some(&AlarmState::InAlarm)).then(|| Firing {
                path: alarm.path.clone(),
                name: name.clone(),
            })
        })
        .collect();
    ReleaseFacts {
        first_releases,
        firing,
    }
}

/// What AWS said; a name left out of a map was not answered (see `failures`).
struct Answers {
    /// Logical -> physical ID of the stack resources asked about.
    physical: PhysicalIds,
    /// Whether the stack could be listed (a stack that does not exist can).
    stack_read: bool,
    /// By alarm name: those referenced by `name`, and those the stack named.
    alarm_states: HashMap<String, AlarmState>,
    missing_configs: BTreeSet<String>,
    /// Group name -> its unfinished deployments.
    busy_groups: HashMap<String, Vec<String>>,
    failures: Failures,
}

/// Two rounds of calls sent together: first all that needs nothing from the stack, then the
/// alarms and the application that the stack names.
async fn ask(request: &PreflightRequest, config: &SdkConfig) -> Answers {
    let cloudformation = aws_sdk_cloudformation::Client::new(config);
    let cloudwatch = aws_sdk_cloudwatch::Client::new(config);
    let codedeploy = aws_sdk_codedeploy::Client::new(config);

    let named_alarms: BTreeSet<&str> = request
        .alarms
        .iter()
        .filter_map(|alarm| alarm.name.as_deref())
        .collect();
    let config_names = names(&request.deployment_configs);
    let group_names = names(&request.deployment_groups);
    let mut in_stack: BTreeSet<&str> = request.stack_alarm_ids().collect();
    if !group_names.is_empty() {
        in_stack.insert(&request.application_logical_id);
    }
    in_stack.extend(request.aliases.iter().map(|alias| alias.name.as_str()));

    let mut failures = Failures::default();
    // One limit on calls in flight for both rounds, whatever runs side by side.
    let limit = InFlight::new();
    let (physical, (mut alarm_states, alarm_failures), (missing_configs, config_failures)) = join!(
        stack::physical_ids(&cloudformation, &request.stack_name, &in_stack),
        alarms::states(&cloudwatch, &limit, &named_alarms),
        codedeploy::missing_configs(&codedeploy, &limit, &config_names),
    );
    let stack_read = physical.is_ok();
    let physical = failures.record(physical);

    let stack_alarms: BTreeSet<&str> = request
        .stack_alarm_ids()
        .filter_map(|id| physical.get(id).map(String::as_str))
        .filter(|name| !alarm_states.contains_key(*name))
        .collect();
    let application = physical.get(&request.application_logical_id);
    let ((stack_alarm_states, stack_alarm_failures), (busy_groups, group_failures)) =
        join!(alarms::states(&cloudwatch, &limit, &stack_alarms), async {
            match application {
                Some(application) => {
                    codedeploy::busy_groups(&codedeploy, &limit, application, &group_names).await
                }
                // No application yet (first deploy): no deployment can be running.
                None => (HashMap::new(), Vec::new()),
            }
        });
    alarm_states.extend(stack_alarm_states);
    for failure in [
        alarm_failures,
        config_failures,
        stack_alarm_failures,
        group_failures,
    ]
    .into_iter()
    .flatten()
    {
        failures.add(failure);
    }
    Answers {
        physical,
        stack_read,
        alarm_states,
        missing_configs,
        busy_groups,
        failures,
    }
}

/// The problems the answers show, in the order of the request.
fn report(request: &PreflightRequest, answers: &Answers, region: &str) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for alarm in &request.alarms {
        if let Some(name) = &alarm.name {
            match answers.alarm_states.get(name) {
                Some(AlarmState::Missing) => {
                    diagnostics.push(diag::alarm_not_found(&alarm.path, name, region))
                }
                Some(AlarmState::InAlarm) => {
                    diagnostics.push(diag::alarm_in_alarm(&alarm.path, name))
                }
                Some(AlarmState::Ok | AlarmState::InsufficientData) | None => {}
            }
        } else if let Some(name) = alarm
            .logical_id
            .as_ref()
            .and_then(|id| answers.physical.get(id))
        {
            // Only its state: an alarm of the stack that is missing is recreated by the deploy.
            if answers.alarm_states.get(name) == Some(&AlarmState::InAlarm) {
                diagnostics.push(diag::alarm_in_alarm(&alarm.path, name));
            }
        }
    }
    for config in &request.deployment_configs {
        if answers.missing_configs.contains(&config.name) {
            diagnostics.push(diag::deployment_config_not_found(
                &config.path,
                &config.name,
                region,
            ));
        }
    }
    for group in &request.deployment_groups {
        if let Some(deployments) = answers.busy_groups.get(&group.name) {
            let ids: Vec<&str> = deployments.iter().map(String::as_str).collect();
            diagnostics.push(diag::deployment_in_progress(&group.path, &group.name, &ids));
        }
    }
    diagnostics
}

fn names(named: &[Named]) -> BTreeSet<&str> {
    named.iter().map(|n| n.name.as_str()).collect()
}

#[cfg(test)]
#[path = "preflight_tests.rs"]
mod tests;
