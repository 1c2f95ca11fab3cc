//! CodeDeploy: whether the named deployment configs exist, and which deployment groups still
//! have a deployment that has not finished.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_codedeploy::types::{DeploymentConfigInfo, DeploymentStatus};
use aws_sdk_codedeploy::Client;

use super::bounded::{self, InFlight};
use super::failure::{partition, Call, Failure};

const GET_CONFIG: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:GetDeploymentConfig",
};
const LIST_DEPLOYMENTS: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:ListDeployments",
};

/// A deployment in any of these still holds its group: CodeDeploy refuses a new one until it
/// ends ("a conflicting deployment is in progress").
fn unfinished() -> [DeploymentStatus; 5] {
    [
        DeploymentStatus::Created,
        DeploymentStatus::Queued,
        DeploymentStatus::InProgress,
        DeploymentStatus::Baking,
        DeploymentStatus::Ready,
    ]
}

/// The configs of `names` that do not exist. A name whose call failed is left out: an outage
/// never reads as "config missing".
pub(crate) async fn missing_configs(
    client: &Client,
    limit: &InFlight,
    names: &BTreeSet<&str>,
) -> (BTreeSet<String>, Vec<Failure>) {
    let (found, failures) = configs(client, limit, names).await;
    let missing = found
        .into_iter()
        .filter(|(_, info)| info.is_none())
        .map(|(name, _)| name)
        .collect();
    (missing, failures)
}

/// Each config of `names` CodeDeploy answered for: its description, or `None` when it has no
/// such config. A name whose call failed is left out.
pub(crate) async fn configs(
    client: &Client,
    limit: &InFlight,
    names: &BTreeSet<&str>,
) -> (HashMap<String, Option<DeploymentConfigInfo>>, Vec<Failure>) {
    let calls = names.iter().map(|name| async move {
        let answer = client
            .get_deployment_config()
            .deployment_config_name(*name)
            .send()
            .await;
        match answer {
            Ok(found) => Ok((name.to_string(), found.deployment_config_info().cloned())),
            Err(error)
                if error.as_service_error().is_some_and(|e| {
                    e.is_deployment_config_does_not_exist_exception()
                        || e.is_invalid_deployment_config_name_exception()
                }) =>
            {
                Ok((name.to_string(), None))
            }
            Err(error) => Err(Failure::of(GET_CONFIG, &error)),
        }
    });
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    (answered.into_iter().collect(), failures)
}

/// Group name -> IDs of its unfinished deployments, for the groups of `application` that
/// have any.
pub(crate) async fn busy_groups(
    client: &Client,
    limit: &InFlight,
    application: &str,
    groups: &BTreeSet<&str>,
) -> (HashMap<String, Vec<String>>, Vec<Failure>) {
    let calls = groups.iter().map(|group| async move {
        let answer = client
            .list_deployments()
            .application_name(application)
            .deployment_group_name(*group)
            .set_include_only_statuses(Some(unfinished().to_vec()))
            .send()
            .await;
        match answer {
            Ok(page) => Ok((group.to_string(), page.deployments().to_vec())),
            // A group (or application) that does not exist yet has nothing in progress.
            Err(error)
                if error.as_service_error().is_some_and(|e| {
                    e.is_deployment_group_does_not_exist_exception()
                        || e.is_application_does_not_exist_exception()
                }) =>
            {
                Ok((group.to_string(), Vec::new()))
            }
            Err(error) => Err(Failure::of(LIST_DEPLOYMENTS, &error)),
        }
    });
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    let busy = answered
        .into_iter()
        .filter(|(_, deployments)| !deployments.is_empty())
        .collect();
    (busy, failures)
}
