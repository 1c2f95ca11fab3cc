//! Problems in the settings as written: each key and value of `deploymentSettings`, alone or
//! with the others of its function.

use crate::numbers::shown;

use super::hints::{closed_set_hint, suggestion_or};
use super::{Code, Diagnostic};
use crate::numbers::thousands;
use crate::settings::statistic::{Refusal, STANDARD};

pub(crate) fn unknown_key(path: &str, key: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownKey,
        path,
        format!("unknown setting `{key}`"),
        Some(closed_set_hint(key, accepted)),
    )
}

pub(crate) fn miscased_key(path: &str, key: &str, spelled: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownKey,
        path,
        format!("`{key}` must be written `{spelled}`: keys are case-sensitive"),
        Some(format!("rename it to `{spelled}`")),
    )
}

pub(crate) fn wrong_type(path: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        path,
        format!("must be {expected}, found {found}"),
        None,
    )
}

/// `functions.<name>.deploymentSettings` that is neither a map, `false` nor empty (null).
/// `found` says what the value is, as written ("`true`", "an empty string").
pub(crate) fn settings_not_a_map(path: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        path,
        format!("must be a map of settings, or `false` for no canary; found {found}"),
        Some("e.g. `deploymentSettings: {type: Canary10Percent5Minutes, alias: Live}`".into()),
    )
}

/// An unquoted `2024-01-01`: js-yaml, the Framework's loader, hands the plugin a date.
pub(crate) fn yaml_date(path: &str, written: &str) -> Diagnostic {
    Diagnostic::new(
        Code::YamlDate,
        path,
        format!("YAML reads the unquoted `{written}` as a date, not as text"),
        Some(format!("quote it: `'{written}'`")),
    )
}

pub(crate) fn missing_setting(path: &str, key: &str, example: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("`{key}` is required for a canary deployment"),
        Some(format!(
            "add `{key}: {example}` here or in custom.deploymentSettings"
        )),
    )
}

pub(crate) fn missing_trigger_key(path: &str, key: &str, example: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("a trigger needs `{key}`"),
        Some(format!("add `{key}: {example}`")),
    )
}

pub(crate) fn unknown_deployment_type(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDeploymentType,
        path,
        format!("unknown deployment type `{given}`"),
        Some(suggestion_or(given, accepted, || {
            format!(
                "use {}, a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{{name: <config>}}`",
                accepted.join(", ")
            )
        })),
    )
}

pub(crate) fn not_lambda_config(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::NotALambdaConfig,
        path,
        format!("`{given}` is not one of CodeDeploy's predefined Lambda configurations"),
        Some(format!(
            "use a short name ({}), a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{{name: <config>}}` for a config you created",
            accepted.join(", ")
        )),
    )
}

pub(crate) fn percent_out_of_range(path: &str, given: &str, percent: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeOutOfRange,
        path,
        format!("`{given}` shifts {percent}%; CodeDeploy accepts 1 to 99 percent per step"),
        Some("use a percentage from 1 to 99".into()),
    )
}

pub(crate) fn interval_out_of_range(
    path: &str,
    given: &str,
    minutes: &str,
    limit: u32,
) -> Diagnostic {
    Diagnostic::new(
        Code::TypeOutOfRange,
        path,
        format!("`{given}` waits {minutes} minutes per step; CodeDeploy accepts 1 to {limit} (48 hours)"),
        Some(format!("use an interval from 1 to {limit} minutes")),
    )
}

pub(crate) fn linear_too_long(path: &str, given: &str, total: u32, limit: u32) -> Diagnostic {
    Diagnostic::new(
        Code::TypeOutOfRange,
        path,
        format!("`{given}` would shift traffic for {total} minutes; a Lambda deployment may shift for at most {limit} (48 hours)"),
        Some("use a larger percentage or a shorter interval".into()),
    )
}

pub(crate) fn invalid_config_name(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidConfigName,
        path,
        format!("`{given}` is not a valid CodeDeploy deployment config name"),
        Some("use 1 to 100 letters, digits or `+=,.@_-`".into()),
    )
}

pub(crate) fn missing_alarm_key(path: &str, key: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("an alarm definition needs `{key}`"),
        Some("see the alarm keys in docs/configuration.md".into()),
    )
}

pub(crate) fn not_one_of(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::NotAccepted,
        path,
        format!("`{given}` is not accepted"),
        Some(closed_set_hint(given, accepted)),
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

pub(crate) fn invalid_alias(path: &str, given: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidAlias,
        path,
        format!("alias `{given}` is not a valid Lambda alias name: {reason}"),
        Some("e.g. `Live` or `prod-v2`".into()),
    )
}

pub(crate) fn unknown_hook_function(path: &str, given: &str, functions: &[&str]) -> Diagnostic {
    let hint = suggestion_or(given, functions, || {
        "name a function defined under `functions:` in this service".into()
    });
    Diagnostic::new(
        Code::UnknownHookFunction,
        path,
        format!("hook `{given}` is not a function of this service"),
        Some(hint),
    )
}

pub(crate) fn hook_is_canaried(path: &str, hook: &str) -> Diagnostic {
    Diagnostic::new(
        Code::HookIsCanaried,
        path,
        format!("hook function `{hook}` is itself deployed through CodeDeploy"),
        Some(format!(
            "CodeDeploy invokes hooks directly; remove `deploymentSettings` from `functions.{hook}`"
        )),
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

pub(crate) fn too_many(path: &str, what: &str, count: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooMany,
        path,
        format!("{count} {what} given; CodeDeploy allows at most {limit} per deployment group"),
        Some(format!("keep the {limit} that matter most")),
    )
}

pub(crate) fn invalid_role_arn(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidRoleArn,
        path,
        format!("`{given}` is not an IAM role ARN"),
        Some(
            "use `arn:aws:iam::<account>:role/<name>` or an intrinsic such as `Fn::GetAtt: [MyRole, Arn]`"
                .into(),
        ),
    )
}

pub(crate) fn invalid_policy_arn(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidPolicyArn,
        path,
        format!("`{given}` is not an IAM policy ARN"),
        Some("use `arn:aws:iam::<account>:policy/<name>` or an intrinsic".into()),
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

pub(crate) fn intrinsic_not_allowed(path: &str, function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::IntrinsicNotAllowed,
        path,
        format!("`{function}` is a CloudFormation function, resolved at deploy time, but the plugin reads this setting while packaging"),
        Some("write the value itself; Serverless variables such as `${sls:stage}`, `${opt:...}` or `${self:custom...}` are resolved before the plugin reads it".into()),
    )
}

pub(crate) fn number_out_of_range(path: &str, written: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NumberOutOfRange,
        path,
        format!("`{written}` cannot be used: {reason}"),
        Some("use a whole number from 1".into()),
    )
}

pub(crate) fn empty_value(path: &str) -> Diagnostic {
    Diagnostic::new(Code::EmptyValue, path, "must not be empty".into(), None)
}

/// Two settings make the same logical ID. `first` is the setting that made it first; a
/// repeat found only in the template (`first` empty) is named by the resource.
pub(crate) fn generated_id_repeated(path: &str, logical_id: &str, first: &str) -> Diagnostic {
    let hint = Some(
        "rename one of them: an alarm's logical ID keeps only the letters and digits of its name, a function's spells `-` and `_` as `Dash` and `Underscore`"
            .into(),
    );
    if first.is_empty() {
        return Diagnostic::new(
            Code::GeneratedIdRepeated,
            path,
            format!("two settings would both create `{logical_id}`"),
            hint,
        );
    }
    Diagnostic::new(
        Code::GeneratedIdRepeated,
        path,
        format!("this would create `{logical_id}` a second time; the first is `{first}`"),
        hint,
    )
    .related_to(first)
}

/// CloudFormation refuses the template. `origin` is the config path whose value the ID carries.
pub(crate) fn logical_id_too_long(
    origin: &str,
    logical_id: &str,
    length: usize,
    limit: usize,
) -> Diagnostic {
    // The start and the end of a long ID, cut between characters, never inside one.
    let chars: Vec<char> = logical_id.chars().collect();
    let shown = if chars.len() > 70 {
        let start: String = chars[..60].iter().collect();
        let end: String = chars[chars.len() - 10..].iter().collect();
        format!("{start}...{end}")
    } else {
        logical_id.to_owned()
    };
    let spelled_out = if logical_id.contains("Dash") || logical_id.contains("Underscore") {
        ": shorten this value, and mind that logical IDs spell each `-` as `Dash` and each `_` as `Underscore`"
    } else {
        ": shorten this value"
    };
    Diagnostic::new(
        Code::LogicalIdTooLong,
        origin,
        format!("this value makes the logical ID `{shown}`, {length} characters long; CloudFormation allows at most {limit}"),
        Some(format!("the logical ID must lose {} characters{spelled_out}", length - limit)),
    )
}

pub(crate) fn unreadable_service(message: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableService,
        "service",
        message.to_owned(),
        Some("fix the file at this position, then check again".into()),
    )
}

/// The standalone check could not open the service file.
pub(crate) fn service_file_unreadable(file: &str, error: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableService,
        "service",
        format!("cannot read `{file}`: {error}"),
        Some("name the service file: `serverless-canary validate path/to/serverless.yml`".into()),
    )
}

/// `serverless.js` or `.ts`: a program that makes the config, which only the Framework runs.
pub(crate) fn service_file_is_code(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableService,
        "service",
        format!("`{file}` is a program that makes the config, which this standalone check does not run (it reads YAML and JSON)"),
        Some("run `serverless canary:validate`, which checks the config the Framework makes of it".into()),
    )
}

pub(crate) fn not_checked(path: &str, expression: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotChecked,
        path,
        format!("not checked: this standalone check cannot resolve `{expression}`"),
        Some(
            "run `serverless canary:validate`, which checks the value the Framework resolves"
                .into(),
        ),
    )
}

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

pub(crate) fn missing_smoke_test_key(path: &str, key: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("a smoke test needs `{key}`"),
        Some(
            "e.g. `- {name: home, event: {httpMethod: GET, path: /}, expect: {statusCode: 200}}`"
                .into(),
        ),
    )
}

pub(crate) fn duplicate_smoke_test(path: &str, name: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateSmokeTest,
        path,
        format!("another smoke test of this function is named `{name}` too: `{first}`"),
        Some("give each smoke test its own name: a failure is reported by it".into()),
    )
    .related_to(first)
}

/// `name` as written, escaped, so the control character shows.
pub(crate) fn invalid_smoke_test_name(path: &str, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidSmokeTestName,
        path,
        format!("{name:?} has a line break or another control character, and a smoke test's name labels one line of the package log and of the hook's log"),
        Some("write the name on one line, without tabs or other control characters".into()),
    )
}

pub(crate) fn smoke_test_event_too_large(path: &str, bytes: usize, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::SmokeTestEventTooLarge,
        path,
        format!(
            "the event is {} bytes as JSON, and Lambda's synchronous Invoke takes a payload of at most {} bytes (6 MB), so the smoke test could never run",
            thousands(bytes as u64),
            thousands(limit)
        ),
        Some("send a smaller event, or test with a `preTrafficHook` function of your own, which can build or fetch a large event".into()),
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

/// `ours` and `theirs` both claim one lifecycle event of the deployment.
pub(crate) fn hook_conflict(path: &str, ours: &str, theirs: &str, event: &str) -> Diagnostic {
    Diagnostic::new(
        Code::HookConflict,
        path,
        format!(
            "`{ours}` and `{theirs}` both need the {event} hook, and CodeDeploy runs one per event"
        ),
        Some(format!(
            "keep one: drop `{theirs}`, or run your checks from it and drop `{ours}`"
        )),
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
