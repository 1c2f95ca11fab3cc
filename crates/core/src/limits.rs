//! Every AWS limit the plugin checks before deploy, in one table: the limit, its value, the AWS
//! document that states it, how it is enforced and the test that proves it. The checks read
//! their values from here, and docs/limits.md is rendered from it (`cargo test` fails when the
//! page is stale; `UPDATE_DOCS=1 cargo test -p serverless-canary-core` rewrites it), so the next limit is one row.

use crate::diagnostics::{self as diag, Code, Diagnostics};
use crate::numbers::thousands;

pub struct Limit {
    /// What is limited, in the user's words.
    pub what: &'static str,
    pub value: u64,
    pub unit: &'static str,
    /// The AWS document that states the limit.
    pub source: Source,
    pub enforced: Enforced,
    /// The test that fails without the check: `path::test_name`, or a fixture's path.
    pub test: &'static str,
}

pub struct Source {
    pub title: &'static str,
    pub url: &'static str,
}

pub enum Enforced {
    /// A diagnostic with this code reports a setting or template that passes the limit.
    Diagnostic(Code),
    /// What the plugin generates stays within the limit whatever the settings; how.
    ByConstruction(&'static str),
}

const CLOUDFORMATION_QUOTAS: Source = Source {
    title: "CloudFormation quotas",
    url:
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
};
const IAM_QUOTAS: Source = Source {
    title: "IAM and AWS STS quotas",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
};
const CODEDEPLOY_QUOTAS: Source = Source {
    title: "CodeDeploy quotas",
    url: "https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html",
};
const ALARM_CONFIGURATION: Source = Source {
    title: "AWS::CodeDeploy::DeploymentGroup AlarmConfiguration",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codedeploy-deploymentgroup-alarmconfiguration.html",
};
const SNS_CREATE_TOPIC: Source = Source {
    title: "Amazon SNS API: CreateTopic",
    url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
};
const CREATE_ALIAS: Source = Source {
    title: "Lambda API: CreateAlias",
    url: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html",
};
const PUT_METRIC_ALARM: Source = Source {
    title: "CloudWatch API: PutMetricAlarm",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
};

const METRIC_DATA_QUERY: Source = Source {
    title: "CloudWatch API: MetricDataQuery",
    url:
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
};
const ALARM_RESOURCE: Source = Source {
    title: "AWS::CloudWatch::Alarm",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html",
};
const ALARM_DIMENSION: Source = Source {
    title: "AWS::CloudWatch::Alarm Dimension",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudwatch-alarm-dimension.html",
};
const PUT_COMPOSITE_ALARM: Source = Source {
    title: "CloudWatch API: PutCompositeAlarm",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html",
};

pub(crate) const LOGICAL_ID_LENGTH: Limit = Limit {
    what: "characters in a logical ID",
    value: 255,
    unit: "characters",
    source: CLOUDFORMATION_QUOTAS,
    enforced: Enforced::Diagnostic(Code::LogicalIdTooLong),
    test: "fixtures/invalid/alias-logical-id-too-long.yml",
};

pub(crate) const RESOURCES_PER_STACK: Limit = Limit {
    what: "resources in one stack",
    value: 500,
    unit: "resources",
    source: CLOUDFORMATION_QUOTAS,
    enforced: Enforced::Diagnostic(Code::TooManyResources),
    test: "__test__/limits.test.js::70 canaried http functions",
};

pub(crate) const PARAMETERS_PER_STACK: Limit = Limit {
    what:
        "parameters in one template (a nested stack's inputs from serverless-plugin-split-stacks)",
    value: 200,
    unit: "parameters",
    source: CLOUDFORMATION_QUOTAS,
    enforced: Enforced::Diagnostic(Code::StackQuotaExceeded),
    test: "crates/core/src/nested_stacks.rs::each_stack_is_held_to_each_quota_at_one_past_it",
};

pub(crate) const OUTPUTS_PER_STACK: Limit = Limit {
    what: "outputs in one template (what serverless-plugin-split-stacks passes between stacks)",
    value: 200,
    unit: "outputs",
    source: CLOUDFORMATION_QUOTAS,
    enforced: Enforced::Diagnostic(Code::StackQuotaExceeded),
    test: "crates/core/src/nested_stacks.rs::each_stack_is_held_to_each_quota_at_one_past_it",
};

/// The Framework uploads the template to S3 and hands CloudFormation its URL.
pub(crate) const TEMPLATE_BODY_BYTES: Limit = Limit {
    what: "bytes in a template read from S3",
    value: 1_048_576,
    unit: "bytes",
    source: CLOUDFORMATION_QUOTAS,
    enforced: Enforced::Diagnostic(Code::TemplateTooLarge),
    test: "crates/core/src/template/quotas.rs::a_template_over_1_mb_is_a_warning",
};

pub(crate) const ROLE_INLINE_POLICY_CHARACTERS: Limit = Limit {
    what: "characters in all inline policies of one role, whitespace not counted",
    value: 10_240,
    unit: "characters",
    source: IAM_QUOTAS,
    enforced: Enforced::ByConstruction(
        "the plugin adds one hook statement per role, on `deploymentgroup:<application>/*`, whatever the number of functions; its own CodeDeployServiceRole names each hook function and trigger topic once",
    ),
    test: "__test__/limits.test.js::hook policies stay small",
};

pub(crate) const POLICY_NAME_LENGTH: Limit = Limit {
    what: "characters in an IAM policy name",
    value: 128,
    unit: "characters",
    source: IAM_QUOTAS,
    enforced: Enforced::ByConstruction("hook policy names are cut to the limit"),
    test: "crates/core/src/naming.rs::policy_names_are_cut_to_128_characters",
};

pub(crate) const ALARMS_PER_GROUP: Limit = Limit {
    what: "alarms attached to one deployment group",
    value: 10,
    unit: "alarms",
    source: ALARM_CONFIGURATION,
    enforced: Enforced::Diagnostic(Code::TooMany),
    test: "fixtures/invalid/too-many-alarms.yml",
};

pub(crate) const TRIGGERS_PER_GROUP: Limit = Limit {
    what: "triggers of one deployment group",
    value: 10,
    unit: "triggers",
    source: CODEDEPLOY_QUOTAS,
    enforced: Enforced::Diagnostic(Code::TooMany),
    test: "fixtures/invalid/too-many-triggers.yml",
};

/// A trigger's target is an SNS topic: its ARN ends in the topic's name.
pub(crate) const TOPIC_NAME_LENGTH: Limit = Limit {
    what: "characters in the name of a trigger's SNS topic (letters, digits, `-` and `_`; `.fifo` at the end of a FIFO topic's)",
    value: 256,
    unit: "characters",
    source: SNS_CREATE_TOPIC,
    enforced: Enforced::Diagnostic(Code::InvalidTriggerTarget),
    test: "crates/core/src/settings/triggers.rs::topic_arns_follow_sns_naming",
};

pub(crate) const ALIAS_NAME_LENGTH: Limit = Limit {
    what: "characters in a Lambda alias name",
    value: 128,
    unit: "characters",
    source: CREATE_ALIAS,
    enforced: Enforced::Diagnostic(Code::InvalidAlias),
    test: "fixtures/invalid/alias-too-long.yml",
};

pub(crate) const CODEDEPLOY_NAME_LENGTH: Limit = Limit {
    what: "characters in the name of an existing deployment config (`type: {name}`)",
    value: 100,
    unit: "characters",
    source: CODEDEPLOY_QUOTAS,
    enforced: Enforced::Diagnostic(Code::InvalidConfigName),
    test: "fixtures/invalid/type-existing-config-bad-name.yml",
};

pub(crate) const GROUP_NAMES_CUT: Limit = Limit {
    what: "characters of a generated deployment group name, which may make two alike",
    value: 100,
    unit: "characters",
    source: CODEDEPLOY_QUOTAS,
    enforced: Enforced::Diagnostic(Code::GroupNameCollision),
    test: "crates/core/src/plan/tests.rs::truncated_group_names_must_stay_distinct",
};

pub(crate) const PERCENT_PER_STEP: Limit = Limit {
    what: "percent of traffic shifted in one step of a custom type",
    value: 99,
    unit: "percent",
    source: CODEDEPLOY_QUOTAS,
    enforced: Enforced::Diagnostic(Code::TypeOutOfRange),
    test: "fixtures/invalid/type-percent-out-of-range.yml",
};

pub(crate) const MINUTES_PER_STEP: Limit = Limit {
    what: "minutes between two shifts of a custom type",
    value: 2880,
    unit: "minutes",
    source: CODEDEPLOY_QUOTAS,
    enforced: Enforced::Diagnostic(Code::TypeOutOfRange),
    test: "fixtures/invalid/type-interval-out-of-range.yml",
};

pub(crate) const SHIFTING_MINUTES: Limit = Limit {
    what: "minutes from the first shift to the last",
    value: 2880,
    unit: "minutes",
    source: CODEDEPLOY_QUOTAS,
    enforced: Enforced::Diagnostic(Code::TypeOutOfRange),
    test: "fixtures/invalid/type-linear-too-long.yml",
};

pub(crate) const ALARM_RANGE_SECONDS: Limit = Limit {
    what: "seconds an alarm evaluates (period x evaluationPeriods), periods under an hour",
    value: 86_400,
    unit: "seconds",
    source: PUT_METRIC_ALARM,
    enforced: Enforced::Diagnostic(Code::AlarmWindowTooLong),
    test: "fixtures/invalid/alarm-window-too-long.yml",
};

pub(crate) const ALARM_RANGE_SECONDS_HOURLY: Limit = Limit {
    what: "seconds an alarm evaluates (period x evaluationPeriods), periods of an hour or more",
    value: 604_800,
    unit: "seconds",
    source: PUT_METRIC_ALARM,
    enforced: Enforced::Diagnostic(Code::AlarmWindowTooLong),
    test:
        "crates/core/src/settings/alarm.rs::windows_periods_and_scope_follow_cloudwatch_and_lambda",
};

/// A metric math alarm fetches at most 10 metrics (`MetricStat` queries) beside its expressions.
pub(crate) const METRICS_PER_ALARM: Limit = Limit {
    what: "metrics in one metric math alarm",
    value: 10,
    unit: "metrics",
    source: METRIC_DATA_QUERY,
    enforced: Enforced::Diagnostic(Code::TooMany),
    test: "crates/core/src/settings/canary_alarm_tests.rs::metric_math_follows_cloudwatch",
};

pub(crate) const COMPOSITE_ALARM_CHILDREN: Limit = Limit {
    what: "alarms in one composite alarm's rule",
    value: 100,
    unit: "alarms",
    source: PUT_COMPOSITE_ALARM,
    enforced: Enforced::Diagnostic(Code::CompositeAlarmTooLarge),
    test: "crates/core/src/template/canary_alarms_tests.rs::the_composite_stays_within_cloudwatch",
};

pub(crate) const COMPOSITE_ALARM_RULE_CHARACTERS: Limit = Limit {
    what: "characters in a composite alarm's rule",
    value: 10_240,
    unit: "characters",
    source: PUT_COMPOSITE_ALARM,
    enforced: Enforced::Diagnostic(Code::CompositeAlarmTooLarge),
    test: "crates/core/src/template/canary_alarms_tests.rs::the_composite_stays_within_cloudwatch",
};

pub(crate) const ALARM_NAME_LENGTH: Limit = Limit {
    what: "characters in an alarm name",
    value: 255,
    unit: "characters",
    source: PUT_METRIC_ALARM,
    enforced: Enforced::Diagnostic(Code::AlarmNameTooLong),
    test: "crates/core/src/template/canary_alarms_tests.rs::alarm_names_stay_within_cloudwatch",
};

const LAMBDA_QUOTAS: Source = Source {
    title: "Lambda quotas",
    url: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
};
const LAMBDA_FUNCTION_CODE: Source = Source {
    title: "AWS::Lambda::Function Code (ZipFile)",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html",
};

/// The smoke-test hook invokes the new version synchronously with each event as written
/// (Lambda quotas: "Invocation payload (request and response)", 6 MB synchronous, where MB
/// means 1,024 KB; the Invoke API reference states the same 6 MB).
pub(crate) const SMOKE_TEST_EVENT_BYTES: Limit = Limit {
    what: "bytes of one `smokeTest` event as JSON: the payload of Lambda's synchronous Invoke",
    value: 6_291_456,
    unit: "bytes",
    source: LAMBDA_QUOTAS,
    enforced: Enforced::Diagnostic(Code::SmokeTestEventTooLarge),
    test: "crates/core/src/settings/verification_tests.rs::an_event_lambda_cannot_be_invoked_with_is_refused",
};

/// The smoke-test hook's code is inline (`Code.ZipFile`) and holds every event: one resource,
/// which no plugin can split across nested stacks, so one template must hold it whole.
pub(crate) const SMOKE_TEST_HOOK_CODE_BYTES: Limit = Limit {
    what: "bytes of the smoke-test hook's inline code, events included, as the template holds it: one template (1 MB) must hold it whole",
    value: 1_048_576,
    unit: "bytes",
    source: CLOUDFORMATION_QUOTAS,
    enforced: Enforced::Diagnostic(Code::SmokeTestHookTooLarge),
    test: "crates/core/src/template/verification_hooks_tests.rs::the_hook_code_must_fit_one_template",
};

/// "This zip file cannot exceed 4MB": the zip CloudFormation makes of `Code.ZipFile`.
pub(crate) const INLINE_CODE_ZIP: Limit = Limit {
    what: "size of the zip CloudFormation makes of a function's inline code (`Code.ZipFile`)",
    value: 4,
    unit: "MB",
    source: LAMBDA_FUNCTION_CODE,
    enforced: Enforced::ByConstruction(
        "the hooks' inline code is held to the 1 MB of one template (the row above), and a zip is no larger than what it holds plus its headers",
    ),
    test: "crates/core/src/template/verification_hooks_tests.rs::the_hook_code_must_fit_one_template",
};

pub(crate) const ALARM_DIMENSIONS: Limit = Limit {
    what: "dimensions of an alarm's metric",
    value: 30,
    unit: "dimensions",
    source: ALARM_RESOURCE,
    enforced: Enforced::Diagnostic(Code::TooMany),
    test: "fixtures/invalid/alarm-dimensions.yml",
};

pub(crate) const DIMENSION_NAME_LENGTH: Limit = Limit {
    what: "characters in an alarm dimension's name (at least 1)",
    value: 255,
    unit: "characters",
    source: ALARM_DIMENSION,
    enforced: Enforced::Diagnostic(Code::InvalidDimension),
    test: "crates/core/src/settings/alarm.rs::dimensions_and_descriptions_stay_within_cloudwatch",
};

pub(crate) const DIMENSION_VALUE_LENGTH: Limit = Limit {
    what: "characters in an alarm dimension's value (at least 1)",
    value: 1024,
    unit: "characters",
    source: ALARM_DIMENSION,
    enforced: Enforced::Diagnostic(Code::InvalidDimension),
    test: "crates/core/src/settings/alarm.rs::dimensions_and_descriptions_stay_within_cloudwatch",
};

pub(crate) const ALARM_DESCRIPTION_LENGTH: Limit = Limit {
    what: "characters in an alarm's description",
    value: 1024,
    unit: "characters",
    source: ALARM_RESOURCE,
    enforced: Enforced::Diagnostic(Code::AlarmDescriptionTooLong),
    test: "fixtures/invalid/alarm-description-too-long.yml",
};

/// The verification hooks' role lists each function with a smoke test: the one inline policy
/// that grows with the service.
pub(crate) const VERIFICATION_ROLE_POLICY_CHARACTERS: Limit = Limit {
    what: "characters in the inline policy of the verification hooks' role, whitespace not counted",
    value: 10_240,
    unit: "characters",
    source: IAM_QUOTAS,
    enforced: Enforced::Diagnostic(Code::VerificationPolicyTooLarge),
    test: "crates/core/src/template/verification_hooks_tests.rs::the_hook_role_policy_stays_within_iam",
};

/// The table, in the order docs/limits.md lists it.
pub const ALL: [&Limit; 30] = [
    &LOGICAL_ID_LENGTH,
    &RESOURCES_PER_STACK,
    &PARAMETERS_PER_STACK,
    &OUTPUTS_PER_STACK,
    &TEMPLATE_BODY_BYTES,
    &ROLE_INLINE_POLICY_CHARACTERS,
    &POLICY_NAME_LENGTH,
    &ALARMS_PER_GROUP,
    &TRIGGERS_PER_GROUP,
    &TOPIC_NAME_LENGTH,
    &ALIAS_NAME_LENGTH,
    &CODEDEPLOY_NAME_LENGTH,
    &GROUP_NAMES_CUT,
    &PERCENT_PER_STEP,
    &MINUTES_PER_STEP,
    &SHIFTING_MINUTES,
    &ALARM_RANGE_SECONDS,
    &ALARM_RANGE_SECONDS_HOURLY,
    &METRICS_PER_ALARM,
    &COMPOSITE_ALARM_CHILDREN,
    &COMPOSITE_ALARM_RULE_CHARACTERS,
    &ALARM_NAME_LENGTH,
    &ALARM_DIMENSIONS,
    &DIMENSION_NAME_LENGTH,
    &DIMENSION_VALUE_LENGTH,
    &ALARM_DESCRIPTION_LENGTH,
    &VERIFICATION_ROLE_POLICY_CHARACTERS,
    &SMOKE_TEST_EVENT_BYTES,
    &SMOKE_TEST_HOOK_CODE_BYTES,
    &INLINE_CODE_ZIP,
];

/// Whether CloudFormation accepts a logical ID the plugin would generate.
pub(crate) fn logical_id_fits(logical_id: &str) -> bool {
    logical_id.chars().count() <= LOGICAL_ID_LENGTH.value as usize
}

/// [`logical_id_fits`], and when not, says so on `origin`, the config path whose value the ID
/// carries, with how much to shorten it.
pub(crate) fn check_logical_id(
    logical_id: &str,
    origin: &str,
    diagnostics: &mut Diagnostics,
) -> bool {
    let fits = logical_id_fits(logical_id);
    if !fits {
        let length = logical_id.chars().count();
        let limit = LOGICAL_ID_LENGTH.value as usize;
        diagnostics.push(diag::logical_id_too_long(origin, logical_id, length, limit));
    }
    fits
}

/// The table as docs/limits.md shows it.
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| limit | value | enforced by | AWS source | test |\n|---|---:|---|---|---|\n",
    );
    for limit in ALL {
        let enforced = match limit.enforced {
            Enforced::Diagnostic(code) => format!("[`{code}`](codes.md#{code})"),
            Enforced::ByConstruction(how) => format!("construction: {how}"),
        };
        table.push_str(&format!(
            "| {} | {} {} | {enforced} | [{}]({}) | `{}` |\n",
            limit.what,
            thousands(limit.value),
            limit.unit,
            limit.source.title,
            limit.source.url,
            limit.test
        ));
    }
    table
}

#[cfg(test)]
#[path = "limits_tests.rs"]
mod tests;
