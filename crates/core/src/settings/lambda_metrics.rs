//! The metrics Lambda publishes in AWS/Lambda, and the dimensions each is published with, so an
//! alarm is never scoped to dimensions its metric never gets data under.
//!
//! Sources:
//! - Lambda Developer Guide, "Types of metrics for Lambda functions" and "Viewing metrics for
//!   Lambda functions" (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html,
//!   https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-view.html): the metric
//!   names; `ExecutedVersion` is "a combination of alias and version", so it exists only for
//!   invocations through an alias; `UnreservedConcurrentExecutions` and
//!   `ClaimedAccountConcurrency` are published for the Region only.
//! - CloudWatch's metric metadata for AWS/Lambda, as aws-cdk-lib 2.248.0 ships it
//!   (`aws-lambda/lib/lambda-canned-metrics.generated.d.ts`): which metrics are published with
//!   `FunctionName, Resource, ExecutedVersion`, and which only up to `FunctionName, Resource`.
//!   The Lambda guide has no per-metric dimension table.

/// The narrowest dimensions a metric is published with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PublishedPer {
    /// `FunctionName, Resource, ExecutedVersion`: the canary alone can be watched.
    ExecutedVersion,
    /// `FunctionName, Resource`: per alias (or version), not per version behind an alias.
    Alias,
    /// `FunctionName` only, as far as AWS documents.
    Function,
    /// No function dimension at all.
    Region,
}

const METRICS: [(&str, PublishedPer); 29] = [
    ("Invocations", PublishedPer::ExecutedVersion),
    ("Errors", PublishedPer::ExecutedVersion),
    ("Throttles", PublishedPer::ExecutedVersion),
    ("Duration", PublishedPer::ExecutedVersion),
    ("ConcurrentExecutions", PublishedPer::ExecutedVersion),
    (
        "PostRuntimeExtensionsDuration",
        PublishedPer::ExecutedVersion,
    ),
    (
        "ProvisionedConcurrencyInvocations",
        PublishedPer::ExecutedVersion,
    ),
    (
        "ProvisionedConcurrencySpilloverInvocations",
        PublishedPer::ExecutedVersion,
    ),
    (
        "ProvisionedConcurrencyUtilization",
        PublishedPer::ExecutedVersion,
    ),
    (
        "ProvisionedConcurrentExecutions",
        PublishedPer::ExecutedVersion,
    ),
    ("DeadLetterErrors", PublishedPer::Alias),
    ("DestinationDeliveryFailures", PublishedPer::Alias),
    ("IteratorAge", PublishedPer::Alias),
    ("AsyncEventsReceived", PublishedPer::Function),
    ("AsyncEventAge", PublishedPer::Function),
    ("AsyncEventsDropped", PublishedPer::Function),
    ("RecursiveInvocationsDropped", PublishedPer::Function),
    ("OffsetLag", PublishedPer::Function),
    ("OversizedRecordCount", PublishedPer::Function),
    ("PolledEventCount", PublishedPer::Function),
    ("FilteredOutEventCount", PublishedPer::Function),
    ("InvokedEventCount", PublishedPer::Function),
    ("FailedInvokeEventCount", PublishedPer::Function),
    ("DroppedEventCount", PublishedPer::Function),
    (
        "OnFailureDestinationDeliveredEventCount",
        PublishedPer::Function,
    ),
    ("DeletedEventCount", PublishedPer::Function),
    ("ProvisionedPollers", PublishedPer::Function),
    ("UnreservedConcurrentExecutions", PublishedPer::Region),
    ("ClaimedAccountConcurrency", PublishedPer::Region),
];

/// How Lambda publishes `metric`, or `None` for a name it is not known to publish.
pub(crate) fn published(metric: &str) -> Option<PublishedPer> {
    METRICS
        .iter()
        .find(|(name, _)| *name == metric)
        .map(|(_, published)| *published)
}

/// Every metric name, for "did you mean".
pub(super) fn names() -> impl Iterator<Item = &'static str> {
    METRICS.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canary_can_be_watched_only_on_invocation_results() {
        assert_eq!(published("Errors"), Some(PublishedPer::ExecutedVersion));
        assert_eq!(published("IteratorAge"), Some(PublishedPer::Alias));
        assert_eq!(published("AsyncEventAge"), Some(PublishedPer::Function));
        assert_eq!(
            published("UnreservedConcurrentExecutions"),
            Some(PublishedPer::Region)
        );
        assert_eq!(published("Error"), None);
        let mut all: Vec<&str> = names().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), METRICS.len(), "each metric once");
    }
}
