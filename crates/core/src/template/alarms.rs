//! Alarm references: checked against the template, then attached to the deployment group.

use serde_json::{json, Value};
use std::collections::BTreeSet;

use super::index::TemplateIndex;
use super::tree::{node, Node};
use crate::deployment::AttachedAlarm;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::settings::alarm::{AlarmDefinition, Statistic};
use crate::settings::scope::{Scope, ERROR_RATE, LAMBDA_NAMESPACE};
use crate::settings::{AlarmRef, Sourced};

/// What a deployment group can watch: CodeDeploy takes alarms by name (CodeDeploy API, Alarm:
/// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_Alarm.html), and `Ref`
/// gives the name of both (AWS::CloudWatch::Alarm and AWS::CloudWatch::CompositeAlarm, "Return
/// values"). CodeDeploy reads their state with DescribeAlarms, which returns composite alarms
/// too when asked; the plugin's own `canaryAlarms` composite is attached the same way.
pub(crate) const ALARM_TYPES: [&str; 2] =
    ["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"];

/// Reports references to alarms neither the template nor the plugin has (`generated`: the
/// logical IDs of every canaried function's inline alarms, which another function may name),
/// or to resources that are not alarms.
pub(crate) fn check(
    alarms: &[Sourced<AlarmRef>],
    index: &TemplateIndex,
    generated: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) {
    for alarm in alarms {
        let AlarmRef::LogicalId(id) = &alarm.value else {
            continue;
        };
        match index.type_of(id) {
            Some(found) if ALARM_TYPES.contains(&found) => {}
            Some(other) => diagnostics.push(diag::not_an_alarm(&alarm.path, id, other)),
            None if generated.contains(id) => {}
            None => {
                let known: Vec<&str> = ALARM_TYPES
                    .iter()
                    .flat_map(|alarm_type| index.ids_of_type(alarm_type))
                    .chain(generated.iter().map(String::as_str))
                    .collect();
                diagnostics.push(diag::unknown_alarm(&alarm.path, id, &known));
            }
        }
    }
}

/// `AlarmConfiguration` for a group: its attached alarms, in order, the stack's canary composite
/// (`canary_composite`, which `Composites` gives every function with `canaryAlarms`) last, as
/// the Flagsmith fork attaches it. With none it is explicitly disabled: omitting it would leave
/// alarms from an earlier deploy attached.
pub(crate) fn configuration(
    function: &str,
    attached: &[AttachedAlarm],
    canary_composite: Option<&str>,
) -> Node<'static> {
    if attached.is_empty() {
        return node!({ "Enabled": false });
    }
    let by_ref = |id: &str| node!({ "Name": { "Ref": id } });
    let names: Vec<Node> = attached
        .iter()
        .filter_map(|alarm| match alarm {
            AttachedAlarm::Listed(alarm) => Some(match &alarm.value {
                AlarmRef::LogicalId(id) => by_ref(id),
                AlarmRef::Name(name) => node!({ "Name": name.clone() }),
                AlarmRef::Inline(definition) => {
                    by_ref(&naming::alarm_logical_id(function, &definition.name))
                }
            }),
            AttachedAlarm::Baseline { comparison, .. } => Some(by_ref(&naming::alarm_logical_id(
                function,
                comparison.alarm_name(),
            ))),
            AttachedAlarm::CanaryComposite { .. } => canary_composite.map(by_ref),
        })
        .collect();
    node!({ "Enabled": true, "Alarms": names })
}

/// What an inline alarm watches: the canaried function, its alias and its new version.
pub(crate) struct Watched<'a> {
    pub function_id: &'a str,
    pub version_id: &'a str,
    pub alias: &'a str,
}

/// The `AWS::CloudWatch::Alarm` for an inline definition.
pub(crate) fn alarm(definition: &AlarmDefinition, watched: &Watched) -> Value {
    if definition.metric == ERROR_RATE {
        return error_rate_alarm(definition, watched);
    }
    let mut properties = json!({
        "Namespace": definition.namespace,
        "MetricName": definition.metric,
        "Threshold": definition.threshold,
        "Period": definition.period,
        "EvaluationPeriods": definition.evaluation_periods,
        "ComparisonOperator": definition.comparison_operator,
        "TreatMissingData": definition.treat_missing_data,
    });
    match &definition.statistic {
        Statistic::Standard(statistic) => properties["Statistic"] = json!(statistic),
        Statistic::Extended(percentile) => properties["ExtendedStatistic"] = json!(percentile),
    }
    set_optional_properties(&mut properties, definition);
    if let Some(dimensions) = dimensions(definition, watched) {
        properties["Dimensions"] = dimensions;
    }
    json!({ "Type": "AWS::CloudWatch::Alarm", "Properties": properties })
}

/// `100 * Errors / Invocations` over the same dimensions, 0 without traffic. With `Metrics`,
/// CloudFormation forbids MetricName, Namespace, Statistic, Period and Dimensions at the top.
fn error_rate_alarm(definition: &AlarmDefinition, watched: &Watched) -> Value {
    let dimensions = dimensions(definition, watched);
    let metric = |id: &str, name: &str| {
        json!({
            "Id": id,
            "MetricStat": {
                "Metric": { "Namespace": LAMBDA_NAMESPACE, "MetricName": name, "Dimensions": dimensions },
                "Period": definition.period,
                "Stat": "Sum"
            },
            "ReturnData": false
        })
    };
    let mut properties = json!({
        "Metrics": [
            metric("errors", "Errors"),
            metric("invocations", "Invocations"),
            {
                "Id": "errorRate",
                "Expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
                "Label": "Error rate (%)",
                "ReturnData": true
            }
        ],
        "Threshold": definition.threshold,
        "EvaluationPeriods": definition.evaluation_periods,
        "ComparisonOperator": definition.comparison_operator,
        "TreatMissingData": definition.treat_missing_data,
    });
    set_optional_properties(&mut properties, definition);
    json!({ "Type": "AWS::CloudWatch::Alarm", "Properties": properties })
}

/// What both alarm shapes set only when the definition has it.
fn set_optional_properties(properties: &mut Value, definition: &AlarmDefinition) {
    if let Some(datapoints) = definition.datapoints_to_alarm {
        properties["DatapointsToAlarm"] = json!(datapoints);
    }
    if let Some(description) = &definition.description {
        properties["AlarmDescription"] = json!(description);
    }
}

/// Given dimensions win; otherwise an AWS/Lambda metric is scoped as `scope` says.
fn dimensions(definition: &AlarmDefinition, watched: &Watched) -> Option<Value> {
    if let Some(given) = &definition.dimensions {
        return Some(given.clone());
    }
    if definition.namespace != LAMBDA_NAMESPACE {
        return None;
    }
    Some(scoped_dimensions(definition.scope, watched))
}

/// Lambda's dimensions for invocations of the function, through its alias, or of the new
/// version through its alias (`ExecutedVersion`).
pub(crate) fn scoped_dimensions(scope: Scope, watched: &Watched) -> Value {
    let function_name = json!({ "Ref": watched.function_id });
    let mut dimensions = vec![json!({ "Name": "FunctionName", "Value": function_name })];
    if scope != Scope::Function {
        // Lambda's `Resource` dimension is `<function name>:<alias>`, a name, not an ARN.
        dimensions.push(json!({
            "Name": "Resource",
            "Value": { "Fn::Join": [":", [function_name, watched.alias]] }
        }));
    }
    if scope == Scope::Canary {
        dimensions.push(json!({
            "Name": "ExecutedVersion",
            "Value": { "Fn::GetAtt": [watched.version_id, "Version"] }
        }));
    }
    json!(dimensions)
}
