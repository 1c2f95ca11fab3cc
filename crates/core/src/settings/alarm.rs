//! Inline alarm definitions in `deploymentSettings.alarms`, with the keys users know from
//! serverless-plugin-aws-alerts, checked against CloudWatch's rules.

use serde_json::{Map, Value};

use super::alarm_fields::{check_datapoints, check_window, Fields, COMPARISONS, MISSING_DATA};
use super::alarm_semantics::{check_firing, resolve_scope, AlarmMetric};
use super::scope::{Scope, ERROR_RATE, LAMBDA_NAMESPACE};
pub(crate) use super::statistic::Statistic;
use crate::diagnostics::{self as diag, Diagnostics};

pub(crate) const DEFINITION_KEYS: [&str; 13] = [
    "name",
    "namespace",
    "metric",
    "threshold",
    "statistic",
    "period",
    "evaluationPeriods",
    "datapointsToAlarm",
    "comparisonOperator",
    "treatMissingData",
    "dimensions",
    "description",
    "scope",
];

const SCOPES: [Scope; 3] = [Scope::Canary, Scope::Alias, Scope::Function];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AlarmDefinition {
    pub name: String,
    pub namespace: String,
    pub metric: String,
    pub threshold: Value,
    pub statistic: Statistic,
    pub period: u64,
    pub evaluation_periods: u64,
    pub datapoints_to_alarm: Option<u64>,
    pub comparison_operator: String,
    pub treat_missing_data: String,
    /// As written; when given they replace the scope's dimensions.
    pub dimensions: Option<Value>,
    pub description: Option<String>,
    pub scope: Scope,
}

/// Reads one definition, reporting every broken rule. `None` when any was broken.
pub(crate) fn read_definition(
    map: &Map<String, Value>,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<AlarmDefinition> {
    let start = diagnostics.mark();
    let mut fields = Fields {
        map,
        path,
        diagnostics,
    };
    let name = fields.string("name", None);
    let namespace = fields.string("namespace", Some(LAMBDA_NAMESPACE));
    let metric = fields.string("metric", None);
    let threshold = fields.threshold();
    let statistic = fields.statistic();
    let period = fields.period();
    let evaluation_periods = fields.positive("evaluationPeriods").map(|n| n.unwrap_or(1));
    let datapoints_to_alarm = fields.positive("datapointsToAlarm").flatten();
    let comparison_operator = fields.one_of("comparisonOperator", &COMPARISONS, COMPARISONS[0]);
    let treat_missing_data = fields.one_of("treatMissingData", &MISSING_DATA, "notBreaching");
    // Absent, or refused (already reported): the metric picks the scope.
    let asked_scope = match map.get("scope") {
        None => None,
        Some(_) => {
            let names = SCOPES.map(Scope::as_str);
            let asked = fields.one_of("scope", &names, "canary");
            SCOPES
                .into_iter()
                .find(|scope| asked.as_deref() == Some(scope.as_str()))
        }
    };
    let dimensions = fields.dimensions();
    let description = fields.description();
    check_datapoints(
        path,
        datapoints_to_alarm,
        evaluation_periods,
        fields.diagnostics,
    );
    if metric.as_deref() == Some(ERROR_RATE) {
        check_error_rate(
            map,
            path,
            namespace.as_deref(),
            &threshold,
            fields.diagnostics,
        );
    }
    check_window(
        path,
        namespace.as_deref(),
        period,
        evaluation_periods,
        fields.diagnostics,
    );
    check_scope(map, path, namespace.as_deref(), fields.diagnostics);
    let alarm_metric = AlarmMetric {
        path,
        namespace: namespace.as_deref(),
        metric: metric.as_deref(),
        has_dimensions: dimensions.is_some(),
    };
    let scope = resolve_scope(&alarm_metric, asked_scope, fields.diagnostics);
    // A threshold already refused (an error rate over 100) is not judged again.
    let threshold_path = format!("{path}.threshold");
    let threshold_refused = fields
        .diagnostics
        .since(start)
        .iter()
        .any(|d| d.path == threshold_path);
    // Nor is one with a refused statistic.
    if let (Some(comparison), Some(threshold), Some(statistic), false) = (
        &comparison_operator,
        threshold.as_ref().and_then(Value::as_f64),
        &statistic,
        threshold_refused,
    ) {
        check_firing(
            &alarm_metric,
            statistic,
            comparison,
            threshold,
            fields.diagnostics,
        );
    }
    if fields.diagnostics.errors_since(start) {
        return None;
    }
    Some(AlarmDefinition {
        name: name?,
        namespace: namespace?,
        metric: metric?,
        threshold: threshold?,
        statistic: statistic?,
        period: period?,
        evaluation_periods: evaluation_periods?,
        datapoints_to_alarm,
        comparison_operator: comparison_operator?,
        treat_missing_data: treat_missing_data?,
        dimensions,
        description,
        scope,
    })
}

/// `scope` only chooses the dimensions of an AWS/Lambda metric; elsewhere it would be ignored.
fn check_scope(
    map: &Map<String, Value>,
    path: &str,
    namespace: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    if !map.contains_key("scope") {
        return;
    }
    let reason = if map.contains_key("dimensions") {
        "`dimensions` are given, and they are used as written"
    } else if namespace.is_some_and(|namespace| namespace != LAMBDA_NAMESPACE) {
        "the metric is not in AWS/Lambda"
    } else {
        return;
    };
    diagnostics.push(diag::scope_not_applicable(&format!("{path}.scope"), reason));
}

/// An error rate is Sum(Errors) / Sum(Invocations) of AWS/Lambda, as a percentage.
fn check_error_rate(
    map: &Map<String, Value>,
    path: &str,
    namespace: Option<&str>,
    threshold: &Option<Value>,
    diagnostics: &mut Diagnostics,
) {
    if namespace.is_some_and(|namespace| namespace != LAMBDA_NAMESPACE) {
        diagnostics.push(diag::error_rate_conflict(
            &format!("{path}.namespace"),
            "namespace",
        ));
    }
    for key in ["statistic", "dimensions"] {
        if map.contains_key(key) {
            diagnostics.push(diag::error_rate_conflict(&format!("{path}.{key}"), key));
        }
    }
    let percent = threshold.as_ref().and_then(Value::as_f64);
    if percent.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
        diagnostics.push(diag::error_rate_threshold(&format!("{path}.threshold")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(definition: Value) -> (Option<AlarmDefinition>, Vec<String>) {
        let mut diagnostics = Diagnostics::default();
        let parsed = read_definition(definition.as_object().unwrap(), "a", &mut diagnostics);
        (
            parsed,
            diagnostics.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn the_seed_example_reads_with_defaults_for_the_rest() {
        let (alarm, problems) = read(json!({
            "name": "CanaryCheck", "namespace": "AWS/Lambda", "metric": "Errors", "threshold": 3,
            "statistic": "Sum", "period": 60, "evaluationPeriods": 1,
            "comparisonOperator": "GreaterThanOrEqualToThreshold"
        }));
        assert!(problems.is_empty(), "{problems:?}");
        let alarm = alarm.unwrap();
        assert_eq!(alarm.scope, Scope::Canary);
        assert_eq!(alarm.treat_missing_data, "notBreaching");
        assert_eq!(alarm.statistic, Statistic::Standard("Sum".into()));
    }

    #[test]
    fn extended_statistics_are_read_as_written() {
        for statistic in ["p99.9", "tm99", "IQM", "TM(10%:90%)", "PR(:800)"] {
            let (alarm, problems) = read(
                json!({"name": "Slow", "metric": "Duration", "threshold": 50, "statistic": statistic}),
            );
            assert!(problems.is_empty(), "{statistic}: {problems:?}");
            assert_eq!(
                alarm.unwrap().statistic,
                Statistic::Extended(statistic.into())
            );
        }
    }

    #[test]
    fn windows_periods_and_scope_follow_cloudwatch_and_lambda() {
        let (_, problems) = read(
            json!({"name": "A", "metric": "Errors", "threshold": 1, "evaluationPeriods": 2000}),
        );
        assert_eq!(problems, ["error[alarm-window-too-long] a.evaluationPeriods: the alarm would evaluate 120000 seconds of data; CloudWatch allows at most 86400 (use fewer evaluation periods or a shorter period)"]);
        let (alarm, _) = read(
            json!({"name": "A", "metric": "Errors", "threshold": 1, "period": 3600, "evaluationPeriods": 168}),
        );
        assert!(alarm.is_some(), "7 days of hourly periods is allowed");
        let (_, problems) =
            read(json!({"name": "A", "metric": "Errors", "threshold": 1, "period": 30}));
        assert_eq!(problems, ["error[lambda-period-too-short] a.period: Lambda publishes its metrics once a minute, so a 30-second period mostly has no data, which counts as healthy (use 60 seconds or a multiple of it)"]);
        let (alarm, _) = read(
            json!({"name": "A", "namespace": "My/App", "metric": "Jobs", "threshold": 1, "period": 10}),
        );
        assert!(
            alarm.is_some(),
            "high-resolution periods are fine outside AWS/Lambda"
        );
        let (_, problems) = read(
            json!({"name": "A", "namespace": "My/App", "metric": "Jobs", "threshold": 1, "scope": "alias"}),
        );
        assert_eq!(problems, ["error[scope-not-applicable] a.scope: `scope` has no effect here: the metric is not in AWS/Lambda (remove `scope`; it only picks the dimensions of an AWS/Lambda metric)"]);
        let (_, problems) = read(
            json!({"name": "A", "metric": "Errors", "threshold": 1, "scope": "canary", "dimensions": [{"Name": "FunctionName", "Value": "x"}]}),
        );
        assert_eq!(problems, ["error[scope-not-applicable] a.scope: `scope` has no effect here: `dimensions` are given, and they are used as written (remove `scope`; it only picks the dimensions of an AWS/Lambda metric)"]);
    }

    #[test]
    fn dimensions_and_descriptions_stay_within_cloudwatch() {
        let with = |name: String, value: Value, description: String| {
            read(json!({
                "name": "Jobs", "namespace": "My/App", "metric": "Jobs", "threshold": 1,
                "dimensions": [{"Name": name, "Value": value}], "description": description
            }))
        };
        let (alarm, problems) = with("n".repeat(255), json!("v".repeat(1024)), "d".repeat(1024));
        assert!(alarm.is_some() && problems.is_empty(), "{problems:?}");
        let (alarm, problems) = with("n".repeat(256), json!("v".repeat(1025)), "d".repeat(1025));
        assert!(alarm.is_none());
        assert_eq!(
            problems,
            [
                "error[invalid-dimension] a.dimensions[0].Name: CloudWatch refuses this dimension: its name is 256 characters long, over the 255 allowed (give the name and value the metric is published with)",
                "error[invalid-dimension] a.dimensions[0].Value: CloudWatch refuses this dimension: its value is 1025 characters long, over the 1024 allowed (give the name and value the metric is published with)",
                "error[alarm-description-too-long] a.description: the description is 1025 characters long; CloudWatch allows at most 1024 (shorten it to 1024 characters)",
            ]
        );
        let (alarm, problems) = with("Stage".into(), json!({"Ref": "Stage"}), "ok".into());
        assert!(
            alarm.is_some() && problems.is_empty(),
            "a value known at deploy time: {problems:?}"
        );
    }

    #[test]
    fn error_rate_is_a_percentage_of_lambda_invocations() {
        let (alarm, problems) =
            read(json!({"name": "Rate", "metric": "ErrorRate", "threshold": 5}));
        assert!(problems.is_empty() && alarm.is_some(), "{problems:?}");
        let (_, problems) = read(
            json!({"name": "Rate", "metric": "ErrorRate", "threshold": 150,
            "statistic": "Average", "namespace": "Custom/App"}),
        );
        assert_eq!(
            problems,
            [
                "error[error-rate-conflict] a.namespace: `namespace` does not apply to `metric: ErrorRate`, which is always Sum(Errors) / Sum(Invocations) of AWS/Lambda, scoped by `scope` (remove `namespace`, or use another metric)",
                "error[error-rate-conflict] a.statistic: `statistic` does not apply to `metric: ErrorRate`, which is always Sum(Errors) / Sum(Invocations) of AWS/Lambda, scoped by `scope` (remove `statistic`, or use another metric)",
                "error[error-rate-threshold] a.threshold: an error rate threshold is a percentage from 0 to 100 (e.g. `threshold: 5` for 5% of invocations)",
            ]
        );
    }

    #[test]
    fn what_a_deployed_alarm_would_do_is_judged_beside_other_problems() {
        let codes = |definition: Value| -> Vec<&'static str> {
            let mut diagnostics = Diagnostics::default();
            read_definition(definition.as_object().unwrap(), "a", &mut diagnostics);
            diagnostics.iter().map(|d| d.code.as_str()).collect()
        };
        assert_eq!(
            codes(json!({"name": "A", "metric": "Errors", "threshold": 0, "period": 7})),
            ["invalid-period", "alarm-always-fires"]
        );
        assert_eq!(
            codes(json!({"name": "A", "metric": "IteratorAge", "threshold": 1, "scope": "bogus"})),
            ["not-accepted"],
            "a refused scope is not judged again"
        );
        assert_eq!(
            codes(
                json!({"name": "A", "metric": "ErrorRate", "threshold": 150, "comparisonOperator": "GreaterThanThreshold"})
            ),
            ["error-rate-threshold"],
            "a refused threshold is not judged again"
        );
    }

    #[test]
    fn every_broken_rule_is_reported() {
        let (alarm, problems) = read(json!({
            "name": "Bad", "statistic": "Total", "period": 45, "evaluationPeriods": 2,
            "datapointsToAlarm": 3, "comparisonOperator": "GreaterThan", "treatMissingData": "zero",
            "scope": "version", "threshold": "3"
        }));
        assert!(alarm.is_none());
        assert_eq!(
            problems,
            [
                "error[missing-key] a: an alarm definition needs `metric` (see the alarm keys in docs/configuration.md)",
                "error[wrong-type] a.threshold: must be a number, found the text `3`",
                "error[invalid-statistic] a.statistic: unknown statistic `Total` (use SampleCount, Average, Sum, Minimum, Maximum, or an extended statistic such as p99, tm90, IQM, TM(10%:90%) or PR(:300))",
                "error[invalid-period] a.period: a period of 45 seconds is not allowed (use 10, 20, 30 or a multiple of 60)",
                "error[not-accepted] a.comparisonOperator: `GreaterThan` is not accepted (accepted values: GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold)",
                "error[not-accepted] a.treatMissingData: `zero` is not accepted (accepted values: breaching, notBreaching, ignore, missing)",
                "error[not-accepted] a.scope: `version` is not accepted (accepted values: canary, alias, function)",
                "error[datapoints-exceed-periods] a.datapointsToAlarm: 3 datapoints cannot be met in 2 evaluation periods (make datapointsToAlarm at most evaluationPeriods)",
            ]
        );
    }
}
