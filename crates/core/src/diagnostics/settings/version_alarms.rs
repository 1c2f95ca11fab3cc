//! The alarms the plugin makes on the new version: `canaryAlarms` (the Flagsmith fork's) and
//! `compareToBaseline`.

use crate::diagnostics::{Code, Diagnostic};
use crate::numbers::shown;

/// `canaryAlarms` entries `first` and `path` both become `<Fn>Canary<Base>Alarm`.
pub(crate) fn duplicate_canary_alarm(path: &str, first: &str, base: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateCanaryAlarm,
        path,
        format!("makes the alarm named `{base}` again, which would replace the one of `{first}`"),
        Some("keep one entry per preset or metric; a second alarm on one metric is a metric math entry with its own `name`".into()),
    )
    .related_to(first)
}

pub(crate) fn too_many_metrics(path: &str, count: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooMany,
        path,
        format!(
            "{count} metrics given; CloudWatch allows at most {limit} in one metric math alarm"
        ),
        Some("split the expression over two alarms".into()),
    )
}

pub(crate) fn invalid_metric_id(path: &str, id: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidMetricId,
        path,
        format!("metric ID `{id}` cannot be used: {problem}"),
        Some("use another ID, such as `errors` or `m1`, and the same in `expression`".into()),
    )
}

pub(crate) fn canary_metric_not_per_version(path: &str, metric: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CanaryMetricNotPerVersion,
        path,
        format!("Lambda does not publish `{metric}` per version (`ExecutedVersion`), so an alarm on the new version never gets data and never fires"),
        Some("use a metric Lambda publishes per version (Errors, Invocations, Duration, Throttles, ConcurrentExecutions), or watch this one under `alarms:` with the scope it is published with".into()),
    )
}

pub(crate) fn canary_alarm_foreign_namespace(path: &str, namespace: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CanaryAlarmForeignNamespace,
        path,
        format!("a `{namespace}` metric is watched with Lambda's dimensions (FunctionName, Resource, ExecutedVersion), so the alarm gets data only if your code publishes it with exactly those"),
        Some("publish the metric with those three dimensions, or watch it under `alarms:` with its own `dimensions`".into()),
    )
}

pub(crate) fn baseline_out_of_range(path: &str, given: f64, rule: &str) -> Diagnostic {
    Diagnostic::new(
        Code::BaselineOutOfRange,
        path,
        format!("{} cannot be used: it must be {rule}", shown(given)),
        Some("e.g. `errorRate: 2` (2 points above the old version) or `p99Ratio: 1.5`".into()),
    )
}

pub(crate) fn baseline_without_comparison(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        "`compareToBaseline` compares nothing without `errorRate` or `p99Ratio`".into(),
        Some("add `errorRate: 2`, `p99Ratio: 1.5`, or both".into()),
    )
}

pub(crate) fn baseline_without_shift(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::BaselineWithoutShift,
        path,
        "`type: AllAtOnce` moves all traffic at once, so the old and new version never serve together and these alarms compare nothing while CodeDeploy watches them".into(),
        Some("use a canary or linear `type`, or remove `compareToBaseline` here".into()),
    )
}
