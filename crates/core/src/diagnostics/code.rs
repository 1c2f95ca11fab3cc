//! Every code a diagnostic can carry: stable, kebab-case, and documented in docs/codes.md,
//! which is rendered from this list (`UPDATE_DOCS=1 cargo test -p serverless-canary-core
//! codes` rewrites it).

use super::Severity;

/// `Variant = "code", Severity, "what it means, for the docs";`
macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $meaning:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// In the order docs/codes.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// What tools and users look a problem up by.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// A code is always an error or always a warning.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// One sentence for docs/codes.md.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    // Settings, as written.
    UnknownKey = "unknown-key", Error, "A key the plugin does not know, under `deploymentSettings`, an alarm or a trigger: usually a typo.";
    WrongType = "wrong-type", Error, "A value of the wrong kind, such as a list where a map belongs or text where a number belongs.";
    EmptyValue = "empty-value", Error, "A value that must not be empty is empty.";
    MissingKey = "missing-key", Error, "A required key is missing: `type` or `alias` of a canary, a key of an inline alarm, or of a trigger.";
    UnknownDeploymentType = "unknown-deployment-type", Error, "`type` is not a predefined type, a custom `Canary<P>Percent<M>Minutes` or `Linear<P>PercentEvery<M>Minutes`, or `{name: <config>}`.";
    NotALambdaConfig = "not-a-lambda-config", Error, "`type` names one of CodeDeploy's predefined configurations for EC2 or ECS, which a Lambda deployment cannot use.";
    TypeOutOfRange = "type-out-of-range", Error, "A custom type shifts a percentage or waits an interval CodeDeploy does not accept (1 to 99 percent, 1 to 2,880 minutes, at most 48 hours in all).";
    InvalidConfigName = "invalid-config-name", Error, "`type: {name: ...}` is not a valid CodeDeploy deployment config name.";
    NotAccepted = "not-accepted", Error, "A value outside its closed set, such as `comparisonOperator`, `treatMissingData` or `scope`.";
    InvalidStatistic = "invalid-statistic", Error, "An alarm `statistic` CloudWatch does not know.";
    InvalidPeriod = "invalid-period", Error, "An alarm `period` CloudWatch does not allow: it takes 10, 20, 30 or a multiple of 60 seconds.";
    DatapointsExceedPeriods = "datapoints-exceed-periods", Error, "`datapointsToAlarm` is more than `evaluationPeriods`, so the alarm could never fire.";
    ErrorRateConflict = "error-rate-conflict", Error, "A key that does not apply to `metric: ErrorRate`, which is always Errors over Invocations of AWS/Lambda.";
    ErrorRateThreshold = "error-rate-threshold", Error, "An `ErrorRate` threshold outside 0 to 100 percent.";
    LambdaPeriodTooShort = "lambda-period-too-short", Error, "A period under 60 seconds on a Lambda metric: Lambda publishes once a minute, and periods without data count as healthy.";
    AlarmWindowTooLong = "alarm-window-too-long", Error, "`period` times `evaluationPeriods` is more data than CloudWatch evaluates.";
    ScopeNotApplicable = "scope-not-applicable", Error, "`scope` on an alarm it cannot change: not an AWS/Lambda metric, or one with `dimensions` of its own.";
    UnknownLambdaMetric = "unknown-lambda-metric", Warning, "An AWS/Lambda metric this plugin does not know: the alarm may never get data.";
    ScopeNotPublished = "scope-not-published", Error, "`scope` asks for dimensions Lambda does not publish this metric with, so the alarm would never fire.";
    MetricOnlyPerRegion = "metric-only-per-region", Error, "A Lambda metric published only for the whole Region, alarmed on per function, so the alarm would never fire.";
    AlarmAlwaysFires = "alarm-always-fires", Error, "A threshold every datapoint meets: the first healthy traffic fires the alarm and every deployment rolls back.";
    AlarmNeverFires = "alarm-never-fires", Error, "A threshold no datapoint can meet: the alarm protects nothing.";
    DuplicateAlarmName = "duplicate-alarm-name", Error, "Two inline alarms of one function share a name.";
    InvalidAlias = "invalid-alias", Error, "An alias name Lambda refuses.";
    UnknownHookFunction = "unknown-hook-function", Error, "`preTrafficHook` or `postTrafficHook` names no function of this service.";
    HookIsCanaried = "hook-is-canaried", Error, "A hook function that is itself deployed through CodeDeploy.";
    InvalidAlarmReference = "invalid-alarm-reference", Error, "An `alarms` entry that is neither a logical ID, `{name: <alarm name>}`, nor an inline alarm.";
    TooMany = "too-many", Error, "More alarms or triggers than a deployment group holds (10 of each).";
    InvalidRoleArn = "invalid-role-arn", Error, "`codeDeployRole` is not an IAM role ARN or an intrinsic.";
    InvalidPolicyArn = "invalid-policy-arn", Error, "`codeDeployRolePermissionsBoundary` is not an IAM policy ARN or an intrinsic.";
    InvalidTriggerEvent = "invalid-trigger-event", Error, "A trigger event type CodeDeploy does not have.";
    GeneratedIdRepeated = "generated-id-repeated", Error, "Two settings would create resources with the same logical ID.";
    LogicalIdTooLong = "logical-id-too-long", Error, "A value makes a generated logical ID longer than the 255 characters CloudFormation allows.";
    NotChecked = "not-checked", Warning, "The standalone check cannot resolve a variable, so the value it holds was not checked.";
    // Against the compiled template.
    UnknownAlarm = "unknown-alarm", Error, "An alarm logical ID that is not a resource of this stack.";
    NotAnAlarm = "not-an-alarm", Error, "An alarm logical ID that names a resource of another type.";
    FunctionNotVersioned = "function-not-versioned", Error, "A canaried function without versions (`versionFunctions: false`): CodeDeploy shifts traffic between versions.";
    FunctionNotInTemplate = "function-not-in-template", Error, "A canaried function the compiled template does not define.";
    LogicalIdTaken = "logical-id-taken", Error, "The template already has a resource with a logical ID the plugin must create; the plugin never overwrites it.";
    TooManyResources = "too-many-resources", Warning, "The stack would hold more than the 500 resources CloudFormation allows.";
    TemplateTooLarge = "template-too-large", Warning, "The template would be larger than the 1 MB CloudFormation reads.";
    RoleRefIsAName = "role-ref-is-a-name", Error, "`codeDeployRole: !Ref <role>` gives the role's name, but CodeDeploy needs its ARN.";
    GroupNameCollision = "group-name-collision", Error, "Two deployment group names, cut to CodeDeploy's 100 characters, are the same.";
    BoundaryUnused = "boundary-unused", Warning, "A permissions boundary is set, but every group uses a role you gave, so there is no generated role to bound.";
    GivenRoleCannotInvokeHook = "given-role-cannot-invoke-hook", Warning, "The `codeDeployRole` you gave may not invoke a hook function: the deployment would fail at the hook.";
    GivenRoleCannotPublish = "given-role-cannot-publish", Warning, "The `codeDeployRole` you gave may not publish a trigger's notifications.";
    HookRoleUnknown = "hook-role-unknown", Warning, "The hook's IAM role cannot be found, so it was not allowed to report its result to CodeDeploy.";
    PermissionMissing = "permission-missing", Warning, "An invoker now calls the alias, but no Lambda permission grants it, so its calls may be denied.";
    ReferenceNotRouted = "reference-not-routed", Warning, "A resource of a type the plugin does not know names the bare function: its traffic is not shifted gradually.";
    EventNotRouted = "event-not-routed", Warning, "An event the Framework wires through a custom resource that cannot target an alias: its traffic is not shifted gradually.";
    RoleMayDenyAlias = "role-may-deny-alias", Warning, "An invoker calls the alias with its own role, which may not allow the alias.";
    UrlCallersNeedAlias = "url-callers-need-alias", Warning, "A function URL with IAM auth now serves the alias: callers need permission on the alias ARN.";
    NamesRemovedAlias = "names-removed-alias", Warning, "A resource names the Framework's alias, which the canary alias replaces, in a spelling the plugin does not rewrite.";
    OutputNamesRemovedAlias = "output-names-removed-alias", Error, "An output names the Framework's alias, which the canary alias replaces: the deploy would fail.";
    CallerOutsideStack = "caller-outside-stack", Warning, "A Lambda permission for a caller outside the stack, such as an Alexa skill, which the plugin cannot point at the alias.";
    // Against the live account, and the commands on a deployed stage.
    AlarmNotFound = "alarm-not-found", Error, "`--aws`: an alarm named with `{name: ...}` does not exist in the Region.";
    AlarmNotDeployed = "alarm-not-deployed", Error, "`canary:alarm`: the alarm is not in the deployed stack yet.";
    AlarmInAlarm = "alarm-in-alarm", Error, "`--aws`: an attached alarm is in ALARM now, so the deployment would roll back as soon as it starts.";
    DeploymentConfigNotFound = "deployment-config-not-found", Error, "`--aws`: `type: {name: ...}` names a deployment config that does not exist in the Region.";
    DeploymentInProgress = "deployment-in-progress", Error, "`--aws`: a deployment group has a deployment that has not finished, so the deploy would fail.";
    NoDeploymentInProgress = "no-deployment-in-progress", Warning, "`canary:rollback`: no canaried function has a deployment in progress.";
    StackNotDeployed = "stack-not-deployed", Error, "The stage is not deployed with canaries in this Region.";
    NotCanaried = "not-canaried", Error, "`--function` names a function without `deploymentSettings`, or with errors in them.";
    UnknownAlarmState = "unknown-alarm-state", Error, "`canary:alarm --state` is not ALARM or OK.";
    AwsUnavailable = "aws-unavailable", Error, "AWS could not be asked: no Region or credentials, unreachable, throttled, or access denied.";
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
