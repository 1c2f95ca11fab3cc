//! `triggerConfigurations`: CodeDeploy's SNS notifications.

use crate::diagnostics::hints::closed_set_hint;
use crate::diagnostics::{Code, Diagnostic};

pub(crate) fn missing_trigger_key(path: &str, key: &str, example: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("a trigger needs `{key}`"),
        Some(format!("add `{key}: {example}`")),
    )
}

pub(crate) fn invalid_trigger_event(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidTriggerEvent,
        path,
        format!("unknown trigger event `{given}`"),
        Some(closed_set_hint(given, accepted)),
    )
}

pub(crate) fn duplicate_trigger_name(path: &str, name: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateTriggerName,
        path,
        format!("another trigger of this function is named `{name}` too: `{first}`"),
        Some("give each trigger its own name: it is what each notification carries".into()),
    )
    .related_to(first)
}

pub(crate) fn duplicate_trigger_event(path: &str, event: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateTriggerEvent,
        path,
        format!("`{event}` is listed twice in this trigger, first as `{first}`"),
        Some("list each event once".into()),
    )
    .related_to(first)
}

pub(crate) fn trigger_without_events(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EmptyValue,
        path,
        "a trigger with no events never notifies".into(),
        Some(
            "list the events to be told about, such as `[DeploymentFailure, DeploymentRollback]`"
                .into(),
        ),
    )
}

pub(crate) fn invalid_trigger_target(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidTriggerTarget,
        path,
        format!("`{given}` is not an SNS topic ARN; CodeDeploy only notifies through SNS topics"),
        Some("use `arn:aws:sns:<region>:<account>:<topic>`, or `{Ref: <topic logical ID>}` for a topic of this stack".into()),
    )
}
