//! Physical names of the stack's resources: the alarms and the CodeDeploy application the
//! template defines by logical ID are named by CloudFormation, and only the stack knows how.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::ResourceStatus;
use aws_sdk_cloudformation::Client;

use super::failure::{Call, Failure};

/// ListStackResources, not DescribeStackResources: that one stops at 100 resources, which a
/// service with a few dozen functions passes.
const CALL: Call = Call {
    service: "CloudFormation",
    action: "cloudformation:ListStackResources",
};

/// A page holds up to 1 MB of resources and a stack at most 500 of them, so real answers end
/// in a page or two; the bound only guards against an endpoint that never stops paging.
const MAX_PAGES: usize = 20;

/// Logical ID -> physical ID, for those of `wanted` that the stack has.
pub(crate) type PhysicalIds = HashMap<String, String>;

/// Nested stacks read at most, whatever an endpoint answers: split-stacks' `perFunction` makes
/// one per function, and a stack holds at most 500 resources.
const MAX_STACKS: usize = 500;

/// The physical IDs of `wanted`. Empty, not a failure, when the stack does not exist yet: on
/// a first deploy there is nothing deployed to check. serverless-plugin-split-stacks moves
/// resources into nested stacks under the same logical IDs: those not in the root are looked
/// for in its nested stacks, until all are found.
pub(crate) async fn physical_ids(
    client: &Client,
    stack_name: &str,
    wanted: &BTreeSet<&str>,
) -> Result<PhysicalIds, Failure> {
    let mut found = PhysicalIds::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    let mut nested = list_into(client, stack_name, wanted, &mut found).await?;
    let mut read = 0;
    while found.len() < wanted.len() && read < MAX_STACKS {
        let Some(stack) = nested.pop() else {
            break;
        };
        read += 1;
        nested.extend(list_into(client, &stack, wanted, &mut found).await?);
    }
    Ok(found)
}

/// Adds what `stack_name` holds of `wanted` to `found`; returns its nested stacks' IDs, unless
/// every wanted resource is found.
async fn list_into(
    client: &Client,
    stack_name: &str,
    wanted: &BTreeSet<&str>,
    found: &mut PhysicalIds,
) -> Result<Vec<String>, Failure> {
    let mut nested = Vec::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let page = match client
            .list_stack_resources()
            .stack_name(stack_name)
            .set_next_token(next_token)
            .send()
            .await
        {
            Ok(page) => page,
            Err(error) if stack_missing(&error) => return Ok(nested),
            Err(error) => return Err(Failure::of(CALL, &error)),
        };
        for resource in page.stack_resource_summaries() {
            let logical = resource.logical_resource_id().unwrap_or_default();
            let physical = resource.physical_resource_id().unwrap_or_default();
            if physical.is_empty() || !exists(resource.resource_status()) {
                continue;
            }
            if wanted.contains(logical) {
                found.insert(logical.to_owned(), physical.to_owned());
            } else if resource.resource_type() == Some(NESTED_STACK) {
                nested.push(physical.to_owned());
            }
        }
        next_token = page.next_token().map(str::to_owned);
        if next_token.is_none() || found.len() == wanted.len() {
            break;
        }
    }
    Ok(nested)
}

const NESTED_STACK: &str = "AWS::CloudFormation::Stack";

/// A resource the stack lists that is there: not one whose creation failed or that is deleted
/// (a failed first release leaves its alias listed that way).
fn exists(status: Option<&ResourceStatus>) -> bool {
    !matches!(
        status,
        Some(ResourceStatus::CreateFailed | ResourceStatus::DeleteComplete)
    )
}

/// CloudFormation's answer for a stack it does not have: `ValidationError`, "Stack with id X
/// does not exist".
fn stack_missing<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    error.code() == Some("ValidationError")
        && error
            .message()
            .is_some_and(|message| message.contains("does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{create_split_stack, setup_config, Moto};

    #[tokio::test]
    async fn what_the_root_lacks_is_found_in_its_nested_stacks() {
        let moto = Moto::start();
        create_split_stack(
            &moto.endpoint,
            "svc-dev",
            &[("SvcdevDeploymentApplication", "svc-dev-app")],
            &[
                (
                    "HelloNestedStack",
                    &[("HelloCheckAlarm", "svc-dev-hello-check")],
                ),
                (
                    "WorldNestedStack",
                    &[("WorldCheckAlarm", "svc-dev-world-check")],
                ),
            ],
        )
        .await;
        let client = Client::new(&setup_config(&moto.endpoint).await);
        let wanted = BTreeSet::from(["SvcdevDeploymentApplication", "WorldCheckAlarm", "Missing"]);
        let found = physical_ids(&client, "svc-dev", &wanted).await.unwrap();
        assert_eq!(
            found,
            PhysicalIds::from([
                (
                    "SvcdevDeploymentApplication".to_owned(),
                    "svc-dev-app".to_owned()
                ),
                (
                    "WorldCheckAlarm".to_owned(),
                    "svc-dev-world-check".to_owned()
                ),
            ])
        );
    }

    #[test]
    fn a_resource_that_failed_or_is_deleted_is_not_there() {
        assert!(exists(Some(&ResourceStatus::CreateComplete)));
        assert!(exists(Some(&ResourceStatus::UpdateRollbackComplete)));
        assert!(exists(None));
        assert!(!exists(Some(&ResourceStatus::CreateFailed)));
        assert!(!exists(Some(&ResourceStatus::DeleteComplete)));
    }
}
