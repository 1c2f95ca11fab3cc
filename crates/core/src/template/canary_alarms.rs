//! The resources `canaryAlarms` make, shaped as the Flagsmith fork makes them so a stack it
//! deployed switches without replacing anything: one alarm per entry on the new version, and
//! one composite alarm of the stack that fires when any of them does.

use serde_json::{json, Value};

use super::alarms::{scoped_dimensions, Watched};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use crate::settings::alarm::Statistic;
use crate::settings::canary_alarm::{CanaryAlarm, Measure, EXPRESSION_ID};
use crate::settings::scope::Scope;

/// Digits counted for `${Version.Version}` when judging a name's length: a function would
/// need 100,000 published versions to pass it.
const VERSION_DIGITS: usize = 5;

/// The alarm for one entry, named `alarm_name` (`Fn::Sub` text, see
/// `naming::canary_alarm_name`).
pub(crate) fn alarm(entry: &CanaryAlarm, watched: &Watched, alarm_name: &str) -> Value {
    let dimensions = scoped_dimensions(Scope::Canary, watched);
    let mut properties = json!({
        "AlarmName": { "Fn::Sub": alarm_name },
        "AlarmDescription": format!("Canary alarm for {} function", watched.function_id),
    });
    match &entry.measure {
        Measure::Metric { metric, statistic } => {
            properties["MetricName"] = json!(metric);
            properties["Namespace"] = json!(entry.namespace);
            properties["Dimensions"] = dimensions;
            match statistic {
                Statistic::Standard(name) => properties["Statistic"] = json!(name),
                // The fork writes a percentile into `Statistic`, which CloudFormation refuses.
                Statistic::Extended(name) => properties["ExtendedStatistic"] = json!(name),
            }
            properties["Period"] = json!(entry.period);
        }
        Measure::Math {
            metrics,
            expression,
        } => {
            let mut queries: Vec<Value> = metrics
                .iter()
                .map(|metric| {
                    json!({
                        "Id": metric.id,
                        "MetricStat": {
                            "Metric": {
                                "MetricName": metric.metric,
                                "Namespace": entry.namespace,
                                "Dimensions": dimensions
                            },
                            "Period": entry.period,
                            "Stat": metric.statistic
                        },
                        "ReturnData": false
                    })
                })
                .collect();
            queries
                .push(json!({ "Id": EXPRESSION_ID, "Expression": expression, "ReturnData": true }));
            properties["Metrics"] = json!(queries);
        }
    }
    properties["EvaluationPeriods"] = json!(entry.evaluation_periods);
    properties["DatapointsToAlarm"] = json!(entry.datapoints_to_alarm);
    properties["Threshold"] = entry.threshold.clone();
    properties["ComparisonOperator"] = json!(entry.comparison_operator);
    properties["TreatMissingData"] = json!(entry.treat_missing_data);
    json!({ "Type": "AWS::CloudWatch::Alarm", "Properties": properties })
}

/// A name CloudWatch would refuse once the version is in it, reported at the entry.
pub(crate) fn check_name(name: &str, path: &str, diagnostics: &mut Diagnostics) {
    let length = deployed_length(name);
    let limit = limits::ALARM_NAME_LENGTH.value;
    if length as u64 > limit {
        diagnostics.push(diag::alarm_name_too_long(path, name, length, limit));
    }
}

/// `ALARM(a) OR ALARM(b) ...` over every canary alarm of the stack, in the order given,
/// checked against CloudWatch's limits. `alarms` holds (logical ID, `AlarmName` text).
pub(crate) fn composite(
    alarms: &[(String, String)],
    name: &str,
    origin: &str,
    diagnostics: &mut Diagnostics,
) -> Value {
    let rule = alarms
        .iter()
        .map(|(id, _)| format!("ALARM(${{{id}}})"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let children = limits::COMPOSITE_ALARM_CHILDREN.value;
    if alarms.len() as u64 > children {
        diagnostics.push(diag::composite_alarm_too_large(
            origin,
            &format!("joins {} alarms", alarms.len()),
            &format!("{children}"),
        ));
    }
    // Each `${Id}` becomes the alarm's name when CloudFormation resolves the rule.
    let resolved: usize = alarms
        .iter()
        .map(|(_, name)| "ALARM()".len() + deployed_length(name))
        .sum::<usize>()
        + " OR ".len() * alarms.len().saturating_sub(1);
    let characters = limits::COMPOSITE_ALARM_RULE_CHARACTERS.value;
    if resolved as u64 > characters {
        diagnostics.push(diag::composite_alarm_too_large(
            origin,
            &format!("has a rule of about {resolved} characters"),
            &format!("{characters} characters"),
        ));
    }
    json!({
        "Type": "AWS::CloudWatch::CompositeAlarm",
        "Properties": {
            "AlarmName": { "Fn::Sub": name },
            "AlarmDescription": "Stack composite alarm for canary deployments",
            "AlarmRule": { "Fn::Sub": rule }
        }
    })
}

/// The length of a `Fn::Sub` alarm name once its `${Version.Version}` is a version number.
fn deployed_length(name: &str) -> usize {
    match (name.find("${"), name.rfind('}')) {
        (Some(start), Some(end)) if end > start => name.len() - (end + 1 - start) + VERSION_DIGITS,
        _ => name.len(),
    }
}

#[cfg(test)]
#[path = "canary_alarms_tests.rs"]
mod tests;
