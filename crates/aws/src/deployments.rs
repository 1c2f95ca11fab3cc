//! CodeDeploy reads for `sls canary:status`: each group's current or last deployment, and the
//! Lambda target that says how far traffic has shifted.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_codedeploy::Client;

use super::bounded::{self, InFlight};
use super::deployment_facts::{DeploymentFacts, TargetFacts};
use super::failure::{partition, Call, Failure};

const GET_GROUPS: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:BatchGetDeploymentGroups",
};
const GET_DEPLOYMENTS: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:BatchGetDeployments",
};
const LIST_TARGETS: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:ListDeploymentTargets",
};
const GET_TARGETS: Call = Call {
    service: "CodeDeploy",
    action: "codedeploy:BatchGetDeploymentTargets",
};

/// BatchGetDeployments' and BatchGetDeploymentTargets' limit on IDs per call.
const IDS_PER_CALL: usize = 25;
/// BatchGetDeploymentGroups' limit on group names per call.
const GROUPS_PER_CALL: usize = 100;

/// Group name -> ID of its last attempted deployment (the one in progress, when there is one),
/// for the groups that had one: 100 groups to a BatchGetDeploymentGroups call, so a poll of
/// 200 functions costs 2 calls, not 400. A group (or application) that does not exist has had
/// none.
pub(crate) async fn last_attempted(
    client: &Client,
    limit: &InFlight,
    application: &str,
    groups: &BTreeSet<&str>,
) -> (HashMap<String, String>, Vec<Failure>) {
    let names: Vec<String> = groups.iter().map(|group| group.to_string()).collect();
    let calls = names.chunks(GROUPS_PER_CALL).map(|batch| async move {
        let answer = client
            .batch_get_deployment_groups()
            .application_name(application)
            .set_deployment_group_names(Some(batch.to_vec()))
            .send()
            .await;
        match answer {
            // Groups it does not know are left out of the answer, with an error message.
            Ok(found) => Ok(found
                .deployment_groups_info()
                .iter()
                .filter_map(|info| {
                    let id = info.last_attempted_deployment()?.deployment_id()?;
                    Some((info.deployment_group_name()?.to_owned(), id.to_owned()))
                })
                .collect::<Vec<_>>()),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_application_does_not_exist_exception()) =>
            {
                Ok(Vec::new())
            }
            Err(error) => Err(Failure::of(GET_GROUPS, &error)),
        }
    });
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    (answered.into_iter().flatten().collect(), failures)
}

/// The deployments of `ids`, 25 to a call, a few calls at a time.
pub(crate) async fn describe(
    client: &Client,
    limit: &InFlight,
    ids: &BTreeSet<&str>,
) -> (HashMap<String, DeploymentFacts>, Vec<Failure>) {
    let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    let calls = ids.chunks(IDS_PER_CALL).map(|batch| async move {
        client
            .batch_get_deployments()
            .set_deployment_ids(Some(batch.to_vec()))
            .send()
            .await
            .map(|answer| answer.deployments_info().to_vec())
            .map_err(|error| Failure::of(GET_DEPLOYMENTS, &error))
    });
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    let found = answered
        .into_iter()
        .flatten()
        .filter_map(|info| Some((info.deployment_id()?.to_owned(), (&info).into())))
        .collect();
    (found, failures)
}

/// Deployment ID -> its Lambda target (the alias being shifted), for each of `ids`.
pub(crate) async fn lambda_targets(
    client: &Client,
    limit: &InFlight,
    ids: &BTreeSet<&str>,
) -> (HashMap<String, TargetFacts>, Vec<Failure>) {
    let calls = ids.iter().map(|id| async move {
        let listed = client
            .list_deployment_targets()
            .deployment_id(*id)
            .send()
            .await
            .map_err(|error| Failure::of(LIST_TARGETS, &error))?;
        // A Lambda deployment has one target, the alias; a page holds far more.
        let target_ids: Vec<String> = listed
            .target_ids()
            .iter()
            .take(IDS_PER_CALL)
            .cloned()
            .collect();
        if target_ids.is_empty() {
            return Ok(None);
        }
        let targets = client
            .batch_get_deployment_targets()
            .deployment_id(*id)
            .set_target_ids(Some(target_ids))
            .send()
            .await
            .map_err(|error| Failure::of(GET_TARGETS, &error))?;
        Ok(targets
            .deployment_targets()
            .iter()
            .find_map(|target| target.lambda_target())
            .map(|target| (id.to_string(), target.into())))
    });
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    (answered.into_iter().flatten().collect(), failures)
}
