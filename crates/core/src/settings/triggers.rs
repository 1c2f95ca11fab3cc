//! `triggerConfigurations`: CodeDeploy's SNS notifications, as CloudFormation spells them. Each
//! rule is one CodeDeploy or SNS applies: a trigger that breaks it fails the deploy
//! (`InvalidTriggerConfigException`), or never notifies anyone.

use serde_json::{Map, Value};
use std::collections::HashMap;

use super::fields::{get_key, report_unknown_keys, MAX_TRIGGERS, TRIGGER_EVENTS, TRIGGER_KEYS};
use super::json::{arn_parts, is_intrinsic, mistyped, plain_object};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;

/// The list as written, when every trigger in it is valid.
pub(super) fn read_triggers(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Value> {
    let Value::Array(items) = value else {
        diagnostics.push(mistyped(path, "a list of triggers", value));
        return None;
    };
    // CodeDeploy user guide, "Monitoring deployments with Amazon SNS event notifications": up
    // to 10 triggers for each deployment group.
    if items.len() > MAX_TRIGGERS {
        diagnostics.push(diag::too_many(path, "triggers", items.len(), MAX_TRIGGERS));
    }
    let start = diagnostics.mark();
    // A trigger's name is what its notifications carry (`eventTriggerName`): two alike could
    // not be told apart, and CodeDeploy refuses the group.
    let mut first_named: HashMap<String, String> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let Some(trigger) = plain_object(item) else {
            diagnostics.push(mistyped(&item_path, "an object", item));
            continue;
        };
        report_unknown_keys(trigger, &item_path, &TRIGGER_KEYS, diagnostics);
        if let Some(name) = read_name(trigger, &item_path, diagnostics) {
            let name_path = key_path(trigger, &item_path, "TriggerName");
            if let Some(first) = first_named.get(&name) {
                diagnostics.push(diag::duplicate_trigger_name(&name_path, &name, first));
            } else {
                first_named.insert(name, name_path);
            }
        }
        check_target(trigger, &item_path, diagnostics);
        check_events(trigger, &item_path, diagnostics);
    }
    (!diagnostics.errors_since(start)).then(|| value.clone())
}

/// `path.key`, spelled as the trigger writes it (`triggerName` is reported, and read).
fn key_path(trigger: &Map<String, Value>, path: &str, key: &str) -> String {
    let written = get_key(trigger, key).map_or(key, |(written, _)| written);
    format!("{path}.{written}")
}

fn read_name(
    trigger: &Map<String, Value>,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let Some(name) = get_key(trigger, "TriggerName").map(|(_, v)| v) else {
        diagnostics.push(diag::missing_trigger_key(
            path,
            "TriggerName",
            "deploy-events",
        ));
        return None;
    };
    let name_path = key_path(trigger, path, "TriggerName");
    match name {
        Value::String(text) if text.trim().is_empty() => {
            diagnostics.push(diag::empty_value(&name_path));
            None
        }
        Value::String(text) => Some(text.clone()),
        other => {
            diagnostics.push(mistyped(&name_path, "a string", other));
            None
        }
    }
}

/// An SNS topic ARN, or an intrinsic checked against the template (`template::references`).
fn check_target(trigger: &Map<String, Value>, path: &str, diagnostics: &mut Diagnostics) {
    let target_path = key_path(trigger, path, "TriggerTargetArn");
    match get_key(trigger, "TriggerTargetArn").map(|(_, v)| v) {
        None => diagnostics.push(diag::missing_trigger_key(
            path,
            "TriggerTargetArn",
            "{Ref: DeployTopic}",
        )),
        Some(arn) if is_intrinsic(arn) => {}
        Some(Value::String(text)) if text.is_empty() => {
            diagnostics.push(diag::empty_value(&target_path));
        }
        Some(Value::String(text)) if !is_sns_topic_arn(text) => {
            diagnostics.push(diag::invalid_trigger_target(&target_path, text));
        }
        Some(Value::String(_)) => {}
        Some(other) => diagnostics.push(mistyped(
            &target_path,
            "an SNS topic ARN or an intrinsic",
            other,
        )),
    }
}

/// At least one event, each one CodeDeploy has, each once: a trigger with no event never
/// notifies (CodeDeploy API reference, `TriggerConfig`: the valid `triggerEvents`).
fn check_events(trigger: &Map<String, Value>, path: &str, diagnostics: &mut Diagnostics) {
    let events_path = key_path(trigger, path, "TriggerEvents");
    let events = match get_key(trigger, "TriggerEvents").map(|(_, v)| v) {
        None => {
            diagnostics.push(diag::missing_trigger_key(
                path,
                "TriggerEvents",
                "[DeploymentFailure, DeploymentRollback]",
            ));
            return;
        }
        Some(Value::Array(events)) if events.is_empty() => {
            diagnostics.push(diag::trigger_without_events(&events_path));
            return;
        }
        Some(Value::Array(events)) => events,
        Some(other) => {
            diagnostics.push(mistyped(&events_path, "a list of events", other));
            return;
        }
    };
    let mut first_listed: HashMap<&str, String> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        let event_path = format!("{events_path}[{i}]");
        let Value::String(event) = event else {
            diagnostics.push(mistyped(&event_path, "an event name", event));
            continue;
        };
        if !TRIGGER_EVENTS.contains(&event.as_str()) {
            diagnostics.push(diag::invalid_trigger_event(
                &event_path,
                event,
                &TRIGGER_EVENTS,
            ));
        } else if let Some(first) = first_listed.get(event.as_str()) {
            diagnostics.push(diag::duplicate_trigger_event(&event_path, event, first));
        } else {
            first_listed.insert(event, event_path);
        }
    }
}

/// `arn:<partition>:sns:<region>:<12-digit account>:<topic>`. Amazon SNS API reference,
/// `CreateTopic`: a topic name is 1 to 256 ASCII letters, digits, `-` and `_`, and a FIFO
/// topic's ends in `.fifo`.
fn is_sns_topic_arn(text: &str) -> bool {
    let Some((region, topic)) = arn_parts(text, "sns") else {
        return false;
    };
    let name = topic.strip_suffix(".fifo").unwrap_or(topic);
    !region.is_empty()
        && (1..=limits::TOPIC_NAME_LENGTH.value as usize).contains(&topic.len())
        && !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_arns_follow_sns_naming() {
        for arn in [
            "arn:aws:sns:us-east-1:123456789012:deploys",
            "arn:aws-cn:sns:cn-north-1:123456789012:deploy_events-1",
            "arn:aws:sns:eu-west-1:123456789012:orders.fifo",
        ] {
            assert!(is_sns_topic_arn(arn), "{arn}");
        }
        for not_a_topic in [
            "deploys",
            "arn:aws:sqs:us-east-1:123456789012:deploys",
            "arn:aws:sns:us-east-1:1234:deploys",
            "arn:aws:sns::123456789012:deploys",
            "arn:aws:sns:us-east-1:123456789012:",
            "arn:aws:sns:us-east-1:123456789012:.fifo",
            "arn:aws:sns:us-east-1:123456789012:deploys:subscription-id",
            "arn:aws:sns:us-east-1:123456789012:has space",
        ] {
            assert!(!is_sns_topic_arn(not_a_topic), "{not_a_topic}");
        }
        let longest = format!("arn:aws:sns:us-east-1:123456789012:{}", "t".repeat(256));
        assert!(is_sns_topic_arn(&longest));
        assert!(!is_sns_topic_arn(&format!("{longest}t")));
    }
}
