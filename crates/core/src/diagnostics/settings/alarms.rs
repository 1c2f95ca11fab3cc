//! `alarms`: an entry that is no alarm reference, one alarm listed twice, and an inline
//! definition CloudWatch would refuse, that never gets data, or that fires always or never.

use crate::diagnostics::hints::suggestion_or;
use crate::diagnostics::{Code, Diagnostic};
use crate::numbers::shown;
use crate::settings::statistic::{Refusal, STANDARD};

pub(crate) fn missing_alarm_key(path: &str, key: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("an alarm definition needs `{key}`"),
        Some("see the alarm keys in docs/configuration.md".into()),
    )
}

pub(crate) fn invalid_statistic(path: &str, given: &str, refusal: &Refusal) -> Diagnostic {
    let message = match refusal.problem {
        None => format!("unknown statistic `{given}`"),
        Some(problem) => format!("statistic `{given}` is not one CloudWatch accepts: {problem}"),
    };
    let hint = match (&refusal.suggestion, refusal.problem) {
        (Some(meant), _) => format!("did you mean `{meant}`?"),
        (None, None) => format!(
            "use {}, or an extended statistic such as p99, tm90, IQM, TM(10%:90%) or PR(:300)",
            STANDARD.join(", ")
        ),
        (None, Some(_)) => "e.g. p99.9, tm90, TM(10%:90%), TC(80:500) or PR(100:2000)".into(),
    };
    Diagnostic::new(Code::InvalidStatistic, path, message, Some(hint))
}

pub(crate) fn invalid_period(path: &str, period: u64) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidPeriod,
        path,
        format!("a period of {period} seconds is not allowed"),
        Some("use 10, 20, 30 or a multiple of 60".into()),
    )
}

pub(crate) fn datapoints_exceed_periods(path: &str, datapoints: u64, periods: u64) -> Diagnostic {
    Diagnostic::new(
        Code::DatapointsExceedPeriods,
        path,
        format!("{datapoints} datapoints cannot be met in {periods} evaluation periods"),
        Some("make datapointsToAlarm at most evaluationPeriods".into()),
    )
}

pub(crate) fn error_rate_conflict(path: &str, key: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ErrorRateConflict,
        path,
        format!("`{key}` does not apply to `metric: ErrorRate`, which is always Sum(Errors) / Sum(Invocations) of AWS/Lambda, scoped by `scope`"),
        Some(format!("remove `{key}`, or use another metric")),
    )
}

pub(crate) fn error_rate_threshold(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ErrorRateThreshold,
        path,
        "an error rate threshold is a percentage from 0 to 100".into(),
        Some("e.g. `threshold: 5` for 5% of invocations".into()),
    )
}

pub(crate) fn lambda_period_too_short(path: &str, period: u64) -> Diagnostic {
    Diagnostic::new(
        Code::LambdaPeriodTooShort,
        path,
        format!("Lambda publishes its metrics once a minute, so a {period}-second period mostly has no data, which counts as healthy"),
        Some("use 60 seconds or a multiple of it".into()),
    )
}

pub(crate) fn alarm_window_too_long(path: &str, window: u64, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::AlarmWindowTooLong,
        path,
        format!(
            "the alarm would evaluate {window} seconds of data; CloudWatch allows at most {limit}"
        ),
        Some("use fewer evaluation periods or a shorter period".into()),
    )
}

pub(crate) fn scope_not_applicable(path: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ScopeNotApplicable,
        path,
        format!("`scope` has no effect here: {reason}"),
        Some("remove `scope`; it only picks the dimensions of an AWS/Lambda metric".into()),
    )
}

pub(crate) fn unknown_lambda_metric(path: &str, metric: &str, known: &[&str]) -> Diagnostic {
    let hint = suggestion_or(metric, known, || {
        "check the name against Lambda's metrics (Errors, Throttles, Duration, ...), or set `namespace` if it is a metric of your own".into()
    });
    Diagnostic::new(
        Code::UnknownLambdaMetric,
        path,
        format!("Lambda publishes no metric `{metric}` that this plugin knows of, so this alarm may never get data and never fire"),
        Some(hint),
    )
}

/// `scope` asks for dimensions `metric` is not published with.
pub(crate) fn scope_not_published(
    path: &str,
    metric: &str,
    scope: &str,
    narrowest: &str,
) -> Diagnostic {
    let (asked, published) = match (scope, narrowest) {
        ("canary", "alias") => (
            "per executed version (`ExecutedVersion`)",
            "per function and alias",
        ),
        ("canary", _) => (
            "per executed version (`ExecutedVersion`)",
            "per function only",
        ),
        _ => ("per alias (`Resource`)", "per function only"),
    };
    Diagnostic::new(
        Code::ScopeNotPublished,
        path,
        format!("Lambda publishes `{metric}` {published}, not {asked}, so an alarm scoped to `{scope}` never gets data and never fires"),
        Some(format!("use `scope: {narrowest}`, or leave `scope` out, which picks it")),
    )
}

/// `scope_given`: the path is the alarm's `scope`, which must go for `dimensions` to apply.
pub(crate) fn metric_only_per_region(path: &str, metric: &str, scope_given: bool) -> Diagnostic {
    let remove_scope = if scope_given {
        "remove `scope` and "
    } else {
        ""
    };
    Diagnostic::new(
        Code::MetricOnlyPerRegion,
        path,
        format!("Lambda publishes `{metric}` for the whole Region only, so an alarm on this function's dimensions never gets data and never fires"),
        Some(format!("{remove_scope}set `dimensions: []` to watch the Region's value")),
    )
}

/// `Errors >= 0`
fn condition(metric: &str, comparison: &str, threshold: f64) -> String {
    let symbol = match comparison {
        "GreaterThanOrEqualToThreshold" => ">=",
        "GreaterThanThreshold" => ">",
        "LessThanThreshold" => "<",
        _ => "<=",
    };
    format!("{metric} {symbol} {}", shown(threshold))
}

pub(crate) fn alarm_always_fires(
    path: &str,
    metric: &str,
    comparison: &str,
    threshold: f64,
) -> Diagnostic {
    let hint = if comparison.starts_with("Greater") {
        "use `comparisonOperator: GreaterThanThreshold` to fire on any value above 0, or a higher threshold"
    } else {
        "use a threshold below 100"
    };
    Diagnostic::new(
        Code::AlarmAlwaysFires,
        path,
        format!("`{}` holds for every datapoint, and Lambda publishes one for every minute with invocations: the first healthy traffic fires this alarm, and every deployment rolls back", condition(metric, comparison, threshold)),
        Some(hint.into()),
    )
}

pub(crate) fn alarm_never_fires(
    path: &str,
    metric: &str,
    comparison: &str,
    threshold: f64,
) -> Diagnostic {
    let bound = if comparison.starts_with("Greater") {
        "above 100"
    } else {
        "below 0"
    };
    Diagnostic::new(
        Code::AlarmNeverFires,
        path,
        format!("`{}` never holds, as `{metric}` is never {bound}: this alarm can never fire, and protects nothing", condition(metric, comparison, threshold)),
        Some("choose a threshold the metric can cross".into()),
    )
}

pub(crate) fn duplicate_alarm_name(path: &str, name: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateAlarmName,
        path,
        format!("another alarm of this function is named `{name}` too: `{first}`"),
        Some("give each alarm its own name".into()),
    )
    .related_to(first)
}

pub(crate) fn duplicate_alarm(path: &str, alarm: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateAlarm,
        path,
        format!("CodeDeploy takes each alarm once in a deployment group's alarms, and `{alarm}` is attached already by `{first}`"),
        Some("remove one of the two".into()),
    )
    .related_to(first)
}

pub(crate) fn too_many_dimensions(path: &str, count: usize, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::TooMany,
        path,
        format!(
            "{count} dimensions given; CloudWatch allows at most {limit} for an alarm's metric"
        ),
        Some("give only the dimensions the metric is published with".into()),
    )
}

pub(crate) fn invalid_dimension(path: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDimension,
        path,
        format!("CloudWatch refuses this dimension: {problem}"),
        Some("give the name and value the metric is published with".into()),
    )
}

pub(crate) fn alarm_description_too_long(path: &str, length: usize, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::AlarmDescriptionTooLong,
        path,
        format!("the description is {length} characters long; CloudWatch allows at most {limit}"),
        Some(format!("shorten it to {limit} characters")),
    )
}

pub(crate) fn invalid_alarm_reference(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidAlarmReference,
        path,
        "an alarm must be a logical ID string or `{name: <alarm name>}`".into(),
        Some("e.g. `- HelloErrorsAlarm` or `- name: team-errors-alarm`".into()),
    )
}
