//! The one diagnostic type, and one constructor per code, so every message the product prints
//! can be found in this file.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

use crate::limits;
use crate::suggest::best_match;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case; tools and tests match on it.
    pub code: &'static str,
    /// Where in the service configuration, e.g. `functions.hello.deploymentSettings.type`.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// Where `path` was written in the service file, when the config came from YAML text.
    pub location: Option<Location>,
}

/// `serverless.yml:14:13`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// As data, plus the rendered line, so the JavaScript side prints it without formatting rules
/// of its own.
impl Serialize for Diagnostic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let location = self.location.as_ref();
        let mut out = serializer.serialize_struct("Diagnostic", 9)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("code", self.code)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("hint", &self.hint)?;
        out.serialize_field("file", &location.map(|l| &l.file))?;
        out.serialize_field("line", &location.map(|l| l.line))?;
        out.serialize_field("column", &location.map(|l| l.column))?;
        out.serialize_field("rendered", &self.to_string())?;
        out.end()
    }
}

impl fmt::Display for Diagnostic {
    /// `serverless.yml:14:13: error functions.hello.deploymentSettings.type: message (hint)`,
    /// without the location when there is none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{severity} {}: {}", self.path, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// The same problem found twice (a custom-level default read for every function) is reported
/// once.
pub fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.code, d.path.clone(), d.message.clone())));
}

/// Whether an error was reported since `diagnostics` held `start` of them: a warning never
/// makes a setting unusable. Only the new ones are read, so checking each setting stays linear.
pub fn errors_since(diagnostics: &[Diagnostic], start: usize) -> bool {
    diagnostics[start..]
        .iter()
        .any(|d| d.severity == Severity::Error)
}

fn error(code: &'static str, path: &str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code,
        path: path.to_owned(),
        message,
        hint,
        location: None,
    }
}

fn warning(code: &'static str, path: &str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..error(code, path, message, hint)
    }
}

/// "did you mean X?" when a candidate is close, otherwise `fallback`.
fn suggestion_or(given: &str, candidates: &[&str], fallback: impl FnOnce() -> String) -> String {
    match best_match(given, candidates.iter().copied()) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => fallback(),
    }
}

/// "did you mean X?" when a candidate is close, otherwise the list of accepted values.
fn closed_set_hint(given: &str, accepted: &[&str]) -> String {
    suggestion_or(given, accepted, || {
        format!("accepted values: {}", accepted.join(", "))
    })
}

pub fn unknown_key(path: &str, key: &str, accepted: &[&str]) -> Diagnostic {
    error(
        "unknown-key",
        path,
        format!("unknown setting `{key}`"),
        Some(closed_set_hint(key, accepted)),
    )
}

pub fn wrong_type(path: &str, expected: &str, found: &str) -> Diagnostic {
    error(
        "wrong-type",
        path,
        format!("must be {expected}, found {found}"),
        None,
    )
}

pub fn missing_setting(path: &str, key: &str, example: &str) -> Diagnostic {
    error(
        "missing-key",
        path,
        format!("`{key}` is required for a canary deployment"),
        Some(format!(
            "add `{key}: {example}` here or in custom.deploymentSettings"
        )),
    )
}

pub fn missing_trigger_key(path: &str, key: &str, example: &str) -> Diagnostic {
    error(
        "missing-key",
        path,
        format!("a trigger needs `{key}`"),
        Some(format!("add `{key}: {example}`")),
    )
}

pub fn unknown_deployment_type(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    error(
        "unknown-deployment-type",
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

pub fn not_lambda_config(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    error(
        "not-a-lambda-config",
        path,
        format!("`{given}` is not one of CodeDeploy's predefined Lambda configurations"),
        Some(format!(
            "use a short name ({}), a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{{name: <config>}}` for a config you created",
            accepted.join(", ")
        )),
    )
}

pub fn percent_out_of_range(path: &str, given: &str, percent: u32) -> Diagnostic {
    error(
        "type-out-of-range",
        path,
        format!("`{given}` shifts {percent}%; CodeDeploy accepts 1 to 99 percent per step"),
        Some("use a percentage from 1 to 99".into()),
    )
}

pub fn interval_out_of_range(path: &str, given: &str, minutes: u32, limit: u32) -> Diagnostic {
    error(
        "type-out-of-range",
        path,
        format!("`{given}` waits {minutes} minutes per step; CodeDeploy accepts 1 to {limit} (48 hours)"),
        Some(format!("use an interval from 1 to {limit} minutes")),
    )
}

pub fn linear_too_long(path: &str, given: &str, total: u32, limit: u32) -> Diagnostic {
    error(
        "type-out-of-range",
        path,
        format!("`{given}` would shift traffic for {total} minutes; a Lambda deployment may shift for at most {limit} (48 hours)"),
        Some("use a larger percentage or a shorter interval".into()),
    )
}

pub fn invalid_config_name(path: &str, given: &str) -> Diagnostic {
    error(
        "invalid-config-name",
        path,
        format!("`{given}` is not a valid CodeDeploy deployment config name"),
        Some("use 1 to 100 letters, digits or `+=,.@_-`".into()),
    )
}

pub fn missing_alarm_key(path: &str, key: &str) -> Diagnostic {
    error(
        "missing-key",
        path,
        format!("an alarm definition needs `{key}`"),
        Some("see the alarm keys in the README".into()),
    )
}

pub fn not_one_of(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    error(
        "not-accepted",
        path,
        format!("`{given}` is not accepted"),
        Some(closed_set_hint(given, accepted)),
    )
}

pub fn invalid_statistic(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    error(
        "invalid-statistic",
        path,
        format!("unknown statistic `{given}`"),
        Some(format!(
            "use {} or a percentile such as p99",
            accepted.join(", ")
        )),
    )
}

pub fn invalid_period(path: &str, period: u64) -> Diagnostic {
    error(
        "invalid-period",
        path,
        format!("a period of {period} seconds is not allowed"),
        Some("use 10, 20, 30 or a multiple of 60".into()),
    )
}

pub fn datapoints_exceed_periods(path: &str, datapoints: u64, periods: u64) -> Diagnostic {
    error(
        "datapoints-exceed-periods",
        path,
        format!("{datapoints} datapoints cannot be met in {periods} evaluation periods"),
        Some("make datapointsToAlarm at most evaluationPeriods".into()),
    )
}

pub fn error_rate_conflict(path: &str, key: &str) -> Diagnostic {
    error(
        "error-rate-conflict",
        path,
        format!("`{key}` does not apply to `metric: ErrorRate`, which is always Sum(Errors) / Sum(Invocations) of AWS/Lambda, scoped by `scope`"),
        Some(format!("remove `{key}`, or use another metric")),
    )
}

pub fn error_rate_threshold(path: &str) -> Diagnostic {
    error(
        "error-rate-threshold",
        path,
        "an error rate threshold is a percentage from 0 to 100".into(),
        Some("e.g. `threshold: 5` for 5% of invocations".into()),
    )
}

pub fn lambda_period_too_short(path: &str, period: u64) -> Diagnostic {
    error(
        "lambda-period-too-short",
        path,
        format!("Lambda publishes its metrics once a minute, so a {period}-second period mostly has no data, which counts as healthy"),
        Some("use 60 seconds or a multiple of it".into()),
    )
}

pub fn alarm_window_too_long(path: &str, window: u64, limit: u64) -> Diagnostic {
    error(
        "alarm-window-too-long",
        path,
        format!(
            "the alarm would evaluate {window} seconds of data; CloudWatch allows at most {limit}"
        ),
        Some("use fewer evaluation periods or a shorter period".into()),
    )
}

pub fn scope_not_applicable(path: &str, reason: &str) -> Diagnostic {
    error(
        "scope-not-applicable",
        path,
        format!("`scope` has no effect here: {reason}"),
        Some("remove `scope`; it only picks the dimensions of an AWS/Lambda metric".into()),
    )
}

pub fn unknown_lambda_metric(path: &str, metric: &str, known: &[&str]) -> Diagnostic {
    let hint = suggestion_or(metric, known, || {
        "check the name against Lambda's metrics (Errors, Throttles, Duration, ...), or set `namespace` if it is a metric of your own".into()
    });
    warning(
        "unknown-lambda-metric",
        path,
        format!("Lambda publishes no metric `{metric}` that this plugin knows of, so this alarm may never get data and never fire"),
        Some(hint),
    )
}

/// `scope` asks for dimensions `metric` is not published with.
pub fn scope_not_published(path: &str, metric: &str, scope: &str, narrowest: &str) -> Diagnostic {
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
    error(
        "scope-not-published",
        path,
        format!("Lambda publishes `{metric}` {published}, not {asked}, so an alarm scoped to `{scope}` never gets data and never fires"),
        Some(format!("use `scope: {narrowest}`, or leave `scope` out, which picks it")),
    )
}

/// `scope_given`: the path is the alarm's `scope`, which must go for `dimensions` to apply.
pub fn metric_only_per_region(path: &str, metric: &str, scope_given: bool) -> Diagnostic {
    let remove_scope = if scope_given {
        "remove `scope` and "
    } else {
        ""
    };
    error(
        "metric-only-per-region",
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
    format!("{metric} {symbol} {threshold}")
}

pub fn alarm_always_fires(
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
    error(
        "alarm-always-fires",
        path,
        format!("`{}` holds for every datapoint, and Lambda publishes one for every minute with invocations: the first healthy traffic fires this alarm, and every deployment rolls back", condition(metric, comparison, threshold)),
        Some(hint.into()),
    )
}

pub fn alarm_never_fires(path: &str, metric: &str, comparison: &str, threshold: f64) -> Diagnostic {
    let bound = if comparison.starts_with("Greater") {
        "above 100"
    } else {
        "below 0"
    };
    error(
        "alarm-never-fires",
        path,
        format!("`{}` never holds, as `{metric}` is never {bound}: this alarm can never fire, and protects nothing", condition(metric, comparison, threshold)),
        Some("choose a threshold the metric can cross".into()),
    )
}

pub fn duplicate_alarm_name(path: &str, name: &str) -> Diagnostic {
    error(
        "duplicate-alarm-name",
        path,
        format!("another alarm of this function is also named `{name}`"),
        Some("give each alarm its own name".into()),
    )
}

pub fn invalid_alias(path: &str, given: &str, reason: &str) -> Diagnostic {
    error(
        "invalid-alias",
        path,
        format!("alias `{given}` is not a valid Lambda alias name: {reason}"),
        Some("e.g. `Live` or `prod-v2`".into()),
    )
}

pub fn unknown_hook_function(path: &str, given: &str, functions: &[&str]) -> Diagnostic {
    let hint = suggestion_or(given, functions, || {
        "name a function defined under `functions:` in this service".into()
    });
    error(
        "unknown-hook-function",
        path,
        format!("hook `{given}` is not a function of this service"),
        Some(hint),
    )
}

pub fn hook_is_canaried(path: &str, hook: &str) -> Diagnostic {
    error(
        "hook-is-canaried",
        path,
        format!("hook function `{hook}` is itself deployed through CodeDeploy"),
        Some(format!(
            "CodeDeploy invokes hooks directly; remove `deploymentSettings` from `functions.{hook}`"
        )),
    )
}

pub fn unknown_alarm(path: &str, logical_id: &str, alarm_ids: &[&str]) -> Diagnostic {
    let hint = suggestion_or(logical_id, alarm_ids, || {
        "define it under resources.Resources, or use `{name: <alarm name>}` for an alarm that exists outside this stack".into()
    });
    error(
        "unknown-alarm",
        path,
        format!("alarm `{logical_id}` is not a resource of this stack"),
        Some(hint),
    )
}

pub fn not_an_alarm(path: &str, logical_id: &str, found_type: &str) -> Diagnostic {
    error(
        "not-an-alarm",
        path,
        format!("`{logical_id}` is a {found_type}, not an AWS::CloudWatch::Alarm"),
        Some("reference the logical ID of an AWS::CloudWatch::Alarm".into()),
    )
}

pub fn invalid_alarm_reference(path: &str) -> Diagnostic {
    error(
        "invalid-alarm-reference",
        path,
        "an alarm must be a logical ID string or `{name: <alarm name>}`".into(),
        Some("e.g. `- HelloErrorsAlarm` or `- name: team-errors-alarm`".into()),
    )
}

pub fn too_many(path: &str, what: &str, count: usize, limit: usize) -> Diagnostic {
    error(
        "too-many",
        path,
        format!("{count} {what} given; CodeDeploy allows at most {limit} per deployment group"),
        Some(format!("keep the {limit} that matter most")),
    )
}

pub fn invalid_role_arn(path: &str, given: &str) -> Diagnostic {
    error(
        "invalid-role-arn",
        path,
        format!("`{given}` is not an IAM role ARN"),
        Some(
            "use `arn:aws:iam::<account>:role/<name>` or an intrinsic such as `Fn::GetAtt: [MyRole, Arn]`"
                .into(),
        ),
    )
}

pub fn invalid_policy_arn(path: &str, given: &str) -> Diagnostic {
    error(
        "invalid-policy-arn",
        path,
        format!("`{given}` is not an IAM policy ARN"),
        Some("use `arn:aws:iam::<account>:policy/<name>` or an intrinsic".into()),
    )
}

pub fn invalid_trigger_event(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    error(
        "invalid-trigger-event",
        path,
        format!("unknown trigger event `{given}`"),
        Some(closed_set_hint(given, accepted)),
    )
}

pub fn empty_value(path: &str) -> Diagnostic {
    error("empty-value", path, "must not be empty".into(), None)
}

pub fn function_not_versioned(path: &str, function: &str) -> Diagnostic {
    error(
        "function-not-versioned",
        path,
        format!(
            "function `{function}` is canaried but not versioned: CodeDeploy shifts traffic between versions"
        ),
        Some("remove `versionFunctions: false`, or set `versionFunction: true` on this function".into()),
    )
}

pub fn function_not_in_template(path: &str, logical_id: &str) -> Diagnostic {
    error(
        "function-not-in-template",
        path,
        format!("the compiled template has no Lambda function `{logical_id}`"),
        Some("is this an `image` or externally defined function? only functions this service deploys can be canaried".into()),
    )
}

pub fn logical_id_taken(path: &str, logical_id: &str, found_type: &str) -> Diagnostic {
    error(
        "logical-id-taken",
        path,
        format!("the template already has a {found_type} `{logical_id}`, which this plugin must create; it will not overwrite it"),
        Some("rename that resource, or remove serverless-plugin-canary-deployments from `plugins` if both are listed".into()),
    )
}

pub fn generated_id_repeated(logical_id: &str) -> Diagnostic {
    error(
        "generated-id-repeated",
        &format!("resources.Resources.{logical_id}"),
        format!("two settings would both create `{logical_id}`"),
        Some(
            "rename one of them (alarm names are reduced to letters and digits in logical IDs)"
                .into(),
        ),
    )
}

/// CloudFormation refuses the template. `origin` is the config path whose value the ID carries.
pub fn logical_id_too_long(
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
    error(
        "logical-id-too-long",
        origin,
        format!("this value makes the logical ID `{shown}`, {length} characters long; CloudFormation allows at most {limit}"),
        Some(format!("the logical ID must lose {} characters{spelled_out}", length - limit)),
    )
}

pub fn too_many_resources(resources: usize, before: usize, limit: usize) -> Diagnostic {
    warning(
        "too-many-resources",
        "service",
        format!(
            "the stack would hold {resources} resources: {before} from the Framework and `resources:`, and serverless-canary adds {}; CloudFormation allows at most {limit} resources per stack, so the deploy would fail",
            resources.saturating_sub(before)
        ),
        Some(format!("canary fewer functions, or split the service into stacks of their own; a plugin that moves resources into nested stacks may still bring it under {limit}")),
    )
}

pub fn template_too_large(limit: usize, minified: bool) -> Diagnostic {
    let minify = if minified {
        ""
    } else {
        "package with `--minify-template`, which writes it without indentation; "
    };
    warning(
        "template-too-large",
        "service",
        format!(
            "the template would be larger than the {} bytes (1 MB) CloudFormation reads from S3, so the deploy would fail",
            limits::thousands(limit as u64)
        ),
        Some(format!("{minify}canary fewer functions, or split the service into stacks of their own")),
    )
}

pub fn role_ref_is_a_name(path: &str, role: &str) -> Diagnostic {
    error(
        "role-ref-is-a-name",
        path,
        format!("`Ref: {role}` gives the role's name, but CodeDeploy needs its ARN"),
        Some(format!("use `Fn::GetAtt: [{role}, Arn]`")),
    )
}

pub fn group_name_collision(path: &str, name: &str, other: &str) -> Diagnostic {
    error(
        "group-name-collision",
        path,
        format!("the deployment group name, cut to CodeDeploy's 100 characters, is `{name}`, the same as function `{other}`'s"),
        Some("shorten the service name or stage, or set a shorter `provider.stackName`".into()),
    )
}

pub fn boundary_unused(path: &str) -> Diagnostic {
    warning(
        "boundary-unused",
        path,
        "ignored: every deployment group uses a `codeDeployRole` you gave, so the plugin creates no role to bound".into(),
        Some("set the boundary on that role instead, or remove this setting".into()),
    )
}

pub fn given_role_cannot_invoke_hook(path: &str, hook: &str, hook_arn: &str) -> Diagnostic {
    warning(
        "given-role-cannot-invoke-hook",
        path,
        format!("CodeDeploy invokes hook `{hook}` with this role, and AWS's managed CodeDeploy policies allow `lambda:InvokeFunction` only on functions named `CodeDeployHook_*`: unless the role allows it otherwise, every deployment fails at this hook"),
        Some(format!("allow `lambda:InvokeFunction` on `{hook_arn}` in this role, or give the hook function a `name:` that starts with `CodeDeployHook_`")),
    )
}

pub fn given_role_cannot_publish(path: &str, topic: &str) -> Diagnostic {
    warning(
        "given-role-cannot-publish",
        path,
        format!("CodeDeploy publishes this group's trigger notifications to `{topic}` with this role, and AWSCodeDeployRoleForLambdaLimited has no `sns:Publish`: unless the role allows it otherwise, they are never sent"),
        Some(format!("allow `sns:Publish` on `{topic}` in this role")),
    )
}

pub fn hook_role_unknown(path: &str, hook: &str) -> Diagnostic {
    warning(
        "hook-role-unknown",
        path,
        format!("cannot tell which IAM role hook `{hook}` runs with, so it was not granted codedeploy:PutLifecycleEventHookExecutionStatus"),
        Some("grant that action on `deploymentgroup:<this stack's application>/*` to the hook's role yourself".into()),
    )
}

pub fn permission_missing(path: &str, function: &str, invoker: &str, service: &str) -> Diagnostic {
    warning(
        "permission-missing",
        path,
        format!("`{invoker}` now invokes `{function}` through its alias, but no AWS::Lambda::Permission in the template grants {service} on `{function}`, so none was moved to the alias"),
        Some("add an AWS::Lambda::Permission with `FunctionName: !Ref` the alias, or these calls will be denied".into()),
    )
}

pub fn reference_not_routed(
    path: &str,
    function: &str,
    resource: &str,
    resource_type: &str,
    property: &str,
    alias_id: &str,
) -> Diagnostic {
    warning(
        "reference-not-routed",
        path,
        format!("{resource_type} `{resource}` names the bare function `{function}` at {property}; the plugin does not know how this resource type calls it, so it was left as written and any traffic from it is not shifted gradually"),
        Some(format!("if it invokes the function, point it at the alias: `!Ref {alias_id}` is the alias ARN")),
    )
}

pub fn event_not_routed(
    path: &str,
    function: &str,
    event: &str,
    resource: &str,
    source: &serde_json::Value,
) -> Diagnostic {
    let source = match source {
        serde_json::Value::String(text) => format!(" `{text}`"),
        serde_json::Value::Null => String::new(),
        other => format!(" {other}"),
    };
    warning(
        "event-not-routed",
        path,
        format!("the {event} event{source} of `{function}` keeps invoking the bare function: the Framework's custom resource `{resource}` builds the function ARN from its name and cannot target an alias, so this traffic moves to a new version at once, without CodeDeploy"),
        Some("use a resource the stack creates (an `s3` bucket or Cognito pool without `existing: true`, native `eventBridge`) to shift this traffic too".into()),
    )
}

pub fn role_may_deny_alias(
    path: &str,
    function: &str,
    invoker: &str,
    alias_id: &str,
) -> Diagnostic {
    warning(
        "role-may-deny-alias",
        path,
        format!("`{invoker}` now invokes `{function}` through its alias with its own role, and no statement of that role in the template allows the alias (`function:<name>:*` or the alias ARN), so these calls may be denied"),
        Some(format!("allow `lambda:InvokeFunction` on `!Ref {alias_id}` (or `function:<name>:*`) in the invoker's role")),
    )
}

pub fn url_callers_need_alias(path: &str, function: &str, url: &str, alias: &str) -> Diagnostic {
    warning(
        "url-callers-need-alias",
        path,
        format!("`{url}` now serves `{function}` from its alias `{alias}`, and with `AuthType: AWS_IAM` Lambda authorizes each call against the alias ARN, so callers whose IAM policies name only the function ARN will be denied"),
        Some(format!("allow `lambda:InvokeFunctionUrl` on `function:<name>:{alias}` (or `function:<name>:*`) in the callers' policies")),
    )
}

pub fn names_removed_alias(
    path: &str,
    resource: &str,
    resource_type: &str,
    property: &str,
    removed: &str,
    alias_id: &str,
) -> Diagnostic {
    warning(
        "names-removed-alias",
        path,
        format!("`{resource}` ({resource_type}) names the Framework's `{removed}` alias at {property}, which the canary alias replaces and the plugin removes, in a spelling the plugin does not rewrite"),
        Some(format!("name the canary alias instead: `!Ref {alias_id}`")),
    )
}

pub fn not_checked(path: &str, expression: &str) -> Diagnostic {
    warning(
        "not-checked",
        path,
        format!("not checked: this standalone check cannot resolve `{expression}`"),
        Some(
            "run `serverless canary:validate`, which checks the value the Framework resolves"
                .into(),
        ),
    )
}

pub fn output_names_removed_alias(path: &str, removed: &str, alias_id: &str) -> Diagnostic {
    error(
        "output-names-removed-alias",
        path,
        format!("this output names `{removed}`, the Framework's alias that the canary alias replaces and the plugin removes"),
        Some(format!("reference the canary alias instead: `!Ref {alias_id}`")),
    )
}

pub fn caller_outside_stack(
    path: &str,
    function: &str,
    permission: &str,
    principal: &str,
    moved_to_alias: Option<&str>,
) -> Diagnostic {
    let state = match moved_to_alias {
        Some(alias) => {
            format!("it replaced the Framework's alias, so it now grants alias `{alias}`")
        }
        None => "it stays on the bare function, and that caller's traffic is not shifted gradually"
            .to_owned(),
    };
    warning(
        "caller-outside-stack",
        path,
        format!("AWS::Lambda::Permission `{permission}` lets {principal} invoke `{function}`, but no invoker in this stack uses it (an Alexa skill, or a resource outside the stack): {state}"),
        Some("configure that caller with the alias ARN and grant it on the alias (`FunctionName: !Ref` the alias)".into()),
    )
}

pub fn alarm_not_found(path: &str, name: &str, region: &str) -> Diagnostic {
    error(
        "alarm-not-found",
        path,
        format!("alarm `{name}` does not exist in {region}"),
        Some("create it first or fix the name; an alarm defined in this service's resources is referenced by its logical ID, not `{name: ...}`".into()),
    )
}

pub fn alarm_not_deployed(path: &str, logical_id: &str, stack: &str) -> Diagnostic {
    error(
        "alarm-not-deployed",
        path,
        format!(
            "alarm `{logical_id}` is not in the deployed stack `{stack}` yet, so it cannot be set"
        ),
        Some("deploy the service first (`sls deploy`)".into()),
    )
}

pub fn no_deployment_in_progress(stack: &str) -> Diagnostic {
    warning(
        "no-deployment-in-progress",
        "functions",
        format!("no canaried function of `{stack}` has a deployment in progress: there is nothing to roll back"),
        None,
    )
}

pub fn stack_not_deployed(stack: &str, region: &str) -> Diagnostic {
    error(
        "stack-not-deployed",
        "service",
        format!("stack `{stack}` has no CodeDeploy application in {region}: it is not deployed there with canaries"),
        Some("check the stage and region (`--stage`, `--region`), or deploy first".into()),
    )
}

pub fn not_canaried(function: &str) -> Diagnostic {
    error(
        "not-canaried",
        "--function",
        format!("`{function}` has no deploymentSettings, or they have errors"),
        Some("name a canaried function, or leave --function out for all of them".into()),
    )
}

pub fn unknown_alarm_state(given: &str) -> Diagnostic {
    error(
        "unknown-alarm-state",
        "--state",
        format!("`{given}` is not a state an alarm can be set to here"),
        Some(closed_set_hint(given, &["ALARM", "OK"])),
    )
}

pub fn alarm_in_alarm(path: &str, name: &str) -> Diagnostic {
    error(
        "alarm-in-alarm",
        path,
        format!("alarm `{name}` is in state ALARM now, so CodeDeploy would roll the deployment back as soon as it starts"),
        Some(format!("deploy once it is back to OK; `aws cloudwatch describe-alarms --alarm-names {name}` shows why it fired")),
    )
}

pub fn deployment_config_not_found(path: &str, name: &str, region: &str) -> Diagnostic {
    error(
        "deployment-config-not-found",
        path,
        format!("deployment config `{name}` does not exist in {region}"),
        Some("create it first or fix the name, or use a predefined type such as `Canary10Percent5Minutes`".into()),
    )
}

pub fn deployment_in_progress(path: &str, group: &str, deployment_ids: &[&str]) -> Diagnostic {
    let plural = if deployment_ids.len() > 1 { "s" } else { "" };
    let first = deployment_ids.first().copied().unwrap_or_default();
    error(
        "deployment-in-progress",
        path,
        format!(
            "deployment{plural} `{}` of deployment group `{group}` has not finished, so this deploy would fail with \"a conflicting deployment is in progress\"",
            deployment_ids.join("`, `")
        ),
        Some(format!("wait for it to finish, or stop it: `aws deploy stop-deployment --deployment-id {first}`")),
    )
}

/// Where a problem with AWS itself (not with one setting) is reported.
const AWS_PATH: &str = "provider";

pub fn aws_no_region() -> Diagnostic {
    error(
        "aws-unavailable",
        "provider.region",
        "cannot check against AWS: no region is set".into(),
        Some("set `provider.region`, AWS_REGION, or `region` in your AWS profile".into()),
    )
}

pub fn aws_invalid_region(region: &str) -> Diagnostic {
    error(
        "aws-unavailable",
        "provider.region",
        format!("cannot check against AWS: `{region}` is not a region name"),
        Some("use a region such as `us-east-1` or `eu-west-1`".into()),
    )
}

/// `cause` is empty when no credential source was configured at all.
pub fn aws_no_credentials(profile: Option<&str>, cause: &str) -> Diagnostic {
    let source = match profile {
        Some(profile) => format!("profile `{profile}`"),
        None => "the environment, ~/.aws or instance metadata".to_owned(),
    };
    let message = if cause.is_empty() {
        format!("cannot check against AWS: no credentials found in {source}")
    } else {
        format!("cannot check against AWS: no credentials from {source}: {cause}")
    };
    error(
        "aws-unavailable",
        AWS_PATH,
        message,
        Some("set `provider.profile` or AWS_PROFILE to a profile in ~/.aws/config, run `aws configure` or `aws sso login`, or check without --aws".into()),
    )
}

pub fn aws_credentials_rejected(codes: &str) -> Diagnostic {
    error(
        "aws-unavailable",
        AWS_PATH,
        format!("cannot check against AWS: it rejected the credentials ({codes})"),
        Some("refresh them (`aws sso login`, new keys); check that the machine's clock is right and that the region is enabled for the account".into()),
    )
}

pub fn aws_unreachable(services: &str, region: &str, cause: &str) -> Diagnostic {
    error(
        "aws-unavailable",
        AWS_PATH,
        format!("cannot reach AWS ({services}) in {region}: {cause}"),
        Some("check the network and `provider.region`; AWS_ENDPOINT_URL, if set, must point at a running endpoint".into()),
    )
}

pub fn aws_throttled(services: &str) -> Diagnostic {
    error(
        "aws-unavailable",
        AWS_PATH,
        format!("AWS kept throttling the checks ({services}) after retries"),
        Some("run the check again in a minute".into()),
    )
}

pub fn aws_access_denied(actions: &str) -> Diagnostic {
    error(
        "aws-unavailable",
        AWS_PATH,
        format!("your AWS identity may not call {actions}, so those checks were skipped"),
        Some(
            "allow these read-only actions for the deploying identity, or check without --aws"
                .into(),
        ),
    )
}

pub fn aws_call_failed(actions: &str, detail: &str) -> Diagnostic {
    error(
        "aws-unavailable",
        AWS_PATH,
        format!("AWS could not answer {actions}: {detail}"),
        Some("run the check again; if it keeps failing, check without --aws".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_message_and_hint() {
        let d = unknown_deployment_type(
            "functions.hello.deploymentSettings.type",
            "Canary10Percent5Minute",
            &["Canary10Percent5Minutes", "AllAtOnce"],
        );
        assert_eq!(
            d.to_string(),
            "error functions.hello.deploymentSettings.type: unknown deployment type `Canary10Percent5Minute` (did you mean `Canary10Percent5Minutes`?)"
        );
    }

    #[test]
    fn far_values_list_the_accepted_set() {
        let d = unknown_key("p", "zzzzzz", &["type", "alias"]);
        assert_eq!(d.hint.as_deref(), Some("accepted values: type, alias"));
    }
}
