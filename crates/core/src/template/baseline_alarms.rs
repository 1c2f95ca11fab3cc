//! `compareToBaseline`: alarms that judge the new version against the old one while traffic
//! shifts. The old version's number is not known when the template is written, so its
//! metrics are the alias's (both versions) minus the new version's (`ExecutedVersion`). Each
//! alarm is pure metric math on one-minute periods, and stays quiet (0) until the new version
//! has served `minInvocations` in the minute judged.

use serde_json::{json, Value};

use super::alarms::{scoped_dimensions, Watched};
use crate::deployment::Comparison;
use crate::settings::scope::{Scope, LAMBDA_NAMESPACE};
use crate::settings::verification::Baseline;

/// Lambda publishes once a minute; one period is one datapoint of each version.
const PERIOD_SECONDS: u64 = 60;

/// The alarm names a function's comparisons take, in the order they are attached.
pub(crate) const ERROR_RATE_ALARM: &str = "BaselineErrorRate";
pub(crate) const P99_ALARM: &str = "BaselineP99";

/// The alarm of one comparison of `baseline`, crossing at `threshold`.
pub(crate) fn comparison_alarm(
    (comparison, threshold): (Comparison, f64),
    baseline: &Baseline,
    watched: &Watched,
) -> Value {
    match comparison {
        Comparison::ErrorRate => error_rate(threshold, baseline.min_invocations, watched),
        Comparison::P99Ratio => p99(threshold, baseline.min_invocations, watched),
    }
}

/// The new version's error rate minus the old version's, in percentage points.
fn error_rate(points: f64, min_invocations: u64, watched: &Watched) -> Value {
    let expression = format!(
        "IF(newInvocations >= {min_invocations}, \
         100 * newErrors / newInvocations - \
         IF(allInvocations > newInvocations, \
         100 * (allErrors - newErrors) / (allInvocations - newInvocations), 0), 0)"
    );
    alarm(
        format!("The new version's error rate, in points above the old version's, once it has served {min_invocations} invocations in a minute"),
        vec![
            metric("newInvocations", "Invocations", "Sum", Scope::Canary, watched),
            metric("newErrors", "Errors", "Sum", Scope::Canary, watched),
            metric("allInvocations", "Invocations", "Sum", Scope::Alias, watched),
            metric("allErrors", "Errors", "Sum", Scope::Alias, watched),
            result("excessErrorRate", &expression, "Error rate above the old version's (points)"),
        ],
        points,
    )
}

/// The new version's p99 `Duration` over the alias's.
fn p99(ratio: f64, min_invocations: u64, watched: &Watched) -> Value {
    let expression =
        format!("IF(newInvocations >= {min_invocations} AND aliasP99 > 0, newP99 / aliasP99, 0)");
    alarm(
        format!("The new version's p99 Duration over the alias's, once it has served {min_invocations} invocations in a minute"),
        vec![
            metric("newInvocations", "Invocations", "Sum", Scope::Canary, watched),
            metric("newP99", "Duration", "p99", Scope::Canary, watched),
            metric("aliasP99", "Duration", "p99", Scope::Alias, watched),
            result("p99Ratio", &expression, "p99 Duration, new version over the alias"),
        ],
        ratio,
    )
}

fn alarm(description: String, metrics: Vec<Value>, threshold: f64) -> Value {
    json!({
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Metrics": metrics,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold",
            "EvaluationPeriods": 1,
            "DatapointsToAlarm": 1,
            // No invocations of the new version in a minute is no evidence either way.
            "TreatMissingData": "notBreaching"
        }
    })
}

fn metric(id: &str, name: &str, stat: &str, scope: Scope, watched: &Watched) -> Value {
    json!({
        "Id": id,
        "MetricStat": {
            "Metric": {
                "Namespace": LAMBDA_NAMESPACE,
                "MetricName": name,
                "Dimensions": scoped_dimensions(scope, watched)
            },
            "Period": PERIOD_SECONDS,
            "Stat": stat
        },
        "ReturnData": false
    })
}

/// The one expression the alarm watches.
fn result(id: &str, expression: &str, label: &str) -> Value {
    json!({ "Id": id, "Expression": expression, "Label": label, "ReturnData": true })
}
