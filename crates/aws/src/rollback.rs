//! `sls canary:rollback`: stops each canaried function's deployment in progress with
//! automatic rollback, so traffic goes back to the old version now, not when an alarm fires.

use std::collections::BTreeSet;

use aws_config::ConfigLoader;
use serde::Serialize;

use super::bounded::{self, InFlight};
use super::failure::{Call, Failure, Failures};
use super::request::{Connect, PreflightRequest};
use super::{codedeploy, sdk_config, stack};
use serverless_canary_core::diagnostics::{self as diag, Diagnostic};

const STOP: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:StopDeployment",
};

#[derive(Debug, Default, Serialize)]
pub struct RollbackReport {
    pub stopped: Vec<Stopped>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A deployment asked to stop, and what CodeDeploy answered.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stopped {
    /// `functions.hello`
    pub path: String,
    pub deployment_id: String,
    /// `Pending` (rolling back) or `Succeeded` (already stopped).
    pub status: String,
    pub message: String,
}

/// Stops the deployments in progress of `targets.deployment_groups`.
pub(crate) async fn roll_back(targets: &PreflightRequest) -> RollbackReport {
    roll_back_with(targets, sdk_config::default_loader()).await
}

pub(crate) async fn roll_back_with(
    targets: &PreflightRequest,
    loader: ConfigLoader,
) -> RollbackReport {
    let mut out = RollbackReport::default();
    let (config, region) = match targets.connect(loader).await {
        Ok(connected) => connected,
        Err(diagnostic) => {
            out.diagnostics.push(diagnostic);
            return out;
        }
    };
    let mut failures = Failures::default();
    let cloudformation = aws_sdk_cloudformation::Client::new(&config);
    let wanted = BTreeSet::from([targets.application_logical_id.as_str()]);
    let application = failures
        .record(stack::physical_ids(&cloudformation, &targets.stack_name, &wanted).await)
        .remove(&targets.application_logical_id);
    let codedeploy_client = aws_sdk_codedeploy::Client::new(&config);
    if let Some(application) = application {
        let limit = InFlight::new();
        let groups: BTreeSet<&str> = targets
            .deployment_groups
            .iter()
            .map(|group| group.name.as_str())
            .collect();
        let (busy, list_failures) =
            codedeploy::busy_groups(&codedeploy_client, &limit, &application, &groups).await;
        list_failures.into_iter().for_each(|f| failures.add(f));
        let to_stop: Vec<(&str, &str)> = targets
            .deployment_groups
            .iter()
            .flat_map(|group| {
                busy.get(&group.name)
                    .into_iter()
                    .flatten()
                    .map(move |id| (group.path.as_str(), id.as_str()))
            })
            .collect();
        let calls = to_stop.iter().map(|(_, id)| {
            codedeploy_client
                .stop_deployment()
                .deployment_id(*id)
                .auto_rollback_enabled(true)
                .send()
        });
        for ((path, id), answer) in to_stop
            .iter()
            .zip(bounded::all(&limit, calls.collect()).await)
        {
            match answer {
                Ok(answer) => out.stopped.push(Stopped {
                    path: path.to_string(),
                    deployment_id: id.to_string(),
                    status: answer
                        .status()
                        .map_or_else(String::new, |s| s.as_str().to_owned()),
                    message: answer.status_message().unwrap_or_default().to_owned(),
                }),
                Err(error) => failures.add(Failure::of(STOP, &error)),
            }
        }
        if to_stop.is_empty() && failures.is_empty() {
            out.diagnostics
                .push(diag::no_deployment_in_progress(&targets.stack_name));
        }
    } else if failures.is_empty() {
        out.diagnostics
            .push(diag::stack_not_deployed(&targets.stack_name, &region));
    }
    out.diagnostics
        .extend(failures.into_diagnostics(&region, targets.profile.as_deref()));
    out
}

#[cfg(test)]
#[path = "rollback_tests.rs"]
mod tests;
