//! Every code a diagnostic can carry: stable, kebab-case, and documented in docs/codes.md,
//! which is rendered from this list (`UPDATE_DOCS=1 cargo test -p serverless-canary-core
//! codes` rewrites it).

use super::Severity;

/// When a problem is found, which is also where docs/codes.md lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The settings as written: every command, and the standalone validator.
    Settings,
    /// Against the compiled template: packaging and `canary:validate`.
    Template,
    /// Against the live account (`--aws`), and the commands on a deployed stage.
    Aws,
}

/// `Variant = "code", Severity, Phase, "what it means, for the docs";`
macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $phase:ident, $meaning:literal;)*) => {
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

            pub fn phase(self) -> Phase {
                match self {
                    $(Code::$variant => Phase::$phase,)*
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
    UnknownKey = "unknown-key", Error, Settings, "A key the plugin does not know, under `deploymentSettings`, an alarm or a trigger: usually a typo.";
    WrongType = "wrong-type", Error, Settings, "A value of the wrong kind, such as a list where a map belongs or text where a number belongs.";
    IntrinsicNotAllowed = "intrinsic-not-allowed", Error, Settings, "A CloudFormation function (`Ref`, `Fn::If`, ...) where the plugin needs the value itself while packaging: only a few settings that end up in the template, such as `codeDeployRole`, take one.";
    NumberOutOfRange = "number-out-of-range", Error, Settings, "A count (`maxConcurrentDeployments`, `minTraffic`, an alarm's periods) below 1, not whole, or too large.";
    YamlDate = "yaml-date", Error, Settings, "An unquoted value such as `2024-01-01` where text belongs: the Framework's YAML loader reads it as a date, not as the text written.";
    EmptyValue = "empty-value", Error, Settings, "A value that must not be empty is empty.";
    MissingKey = "missing-key", Error, Settings, "A required key is missing: `type` or `alias` of a canary, a key of an inline alarm, of a trigger or of a smoke test, or a comparison of `compareToBaseline`.";
    UnknownDeploymentType = "unknown-deployment-type", Error, Settings, "`type` is not a predefined type, a custom `Canary<P>Percent<M>Minutes` or `Linear<P>PercentEvery<M>Minutes`, or `{name: <config>}`.";
    NotALambdaConfig = "not-a-lambda-config", Error, Settings, "`type` names one of CodeDeploy's predefined configurations for EC2 or ECS, which a Lambda deployment cannot use.";
    TypeOutOfRange = "type-out-of-range", Error, Settings, "A custom type shifts a percentage or waits an interval CodeDeploy does not accept (1 to 99 percent, 1 to 2,880 minutes, at most 48 hours in all).";
    InvalidConfigName = "invalid-config-name", Error, Settings, "`type: {name: ...}` is not a valid CodeDeploy deployment config name.";
    NotAccepted = "not-accepted", Error, Settings, "A value outside its closed set, such as `comparisonOperator`, `treatMissingData` or `scope`.";
    InvalidStatistic = "invalid-statistic", Error, Settings, "An alarm `statistic` CloudWatch does not know.";
    InvalidPeriod = "invalid-period", Error, Settings, "An alarm `period` CloudWatch does not allow: it takes 10, 20, 30 or a multiple of 60 seconds.";
    DatapointsExceedPeriods = "datapoints-exceed-periods", Error, Settings, "`datapointsToAlarm` is more than `evaluationPeriods`, so the alarm could never fire.";
    ErrorRateConflict = "error-rate-conflict", Error, Settings, "A key that does not apply to `metric: ErrorRate`, which is always Errors over Invocations of AWS/Lambda.";
    ErrorRateThreshold = "error-rate-threshold", Error, Settings, "An `ErrorRate` threshold outside 0 to 100 percent.";
    LambdaPeriodTooShort = "lambda-period-too-short", Error, Settings, "A period under 60 seconds on a Lambda metric: Lambda publishes once a minute, and periods without data count as healthy.";
    AlarmWindowTooLong = "alarm-window-too-long", Error, Settings, "`period` times `evaluationPeriods` is more data than CloudWatch evaluates.";
    ScopeNotApplicable = "scope-not-applicable", Error, Settings, "`scope` on an alarm it cannot change: not an AWS/Lambda metric, or one with `dimensions` of its own.";
    UnknownLambdaMetric = "unknown-lambda-metric", Warning, Settings, "An AWS/Lambda metric this plugin does not know: the alarm may never get data.";
    ScopeNotPublished = "scope-not-published", Error, Settings, "`scope` asks for dimensions Lambda does not publish this metric with, so the alarm would never fire.";
    MetricOnlyPerRegion = "metric-only-per-region", Error, Settings, "A Lambda metric published only for the whole Region, alarmed on per function, so the alarm would never fire.";
    AlarmAlwaysFires = "alarm-always-fires", Error, Settings, "A threshold every datapoint meets: the first healthy traffic fires the alarm and every deployment rolls back.";
    AlarmNeverFires = "alarm-never-fires", Error, Settings, "A threshold no datapoint can meet: the alarm protects nothing.";
    DuplicateAlarmName = "duplicate-alarm-name", Error, Settings, "Two inline alarms of one function share a name.";
    DuplicateAlarm = "duplicate-alarm", Error, Settings, "One alarm listed twice in a function's `alarms` (the same logical ID or `{name}` twice, or a logical ID naming the alarm an inline definition beside it creates): CodeDeploy takes each alarm once per deployment group.";
    InvalidDimension = "invalid-dimension", Error, Settings, "An alarm dimension CloudWatch refuses: an empty name or value, a name over 255 characters or a value over 1,024.";
    AlarmDescriptionTooLong = "alarm-description-too-long", Error, Settings, "An alarm `description` over the 1,024 characters CloudWatch allows.";
    DuplicateCanaryAlarm = "duplicate-canary-alarm", Error, Settings, "Two `canaryAlarms` entries of one function are named alike (same preset, metric or `name`), so they would make one resource, the second replacing the first.";
    InvalidMetricId = "invalid-metric-id", Error, Settings, "A metric math `id` CloudWatch refuses (it starts with a lowercase letter, then letters, digits or `_`), one used twice in an alarm, or `expr`, the ID of the generated expression.";
    CanaryMetricNotPerVersion = "canary-metric-not-per-version", Error, Settings, "A `canaryAlarms` metric Lambda does not publish per version (`ExecutedVersion`), so the alarm on the new version would never get data.";
    CanaryAlarmForeignNamespace = "canary-alarm-foreign-namespace", Warning, Settings, "A `canaryAlarms` metric outside AWS/Lambda is watched with Lambda's dimensions (`FunctionName`, `Resource`, `ExecutedVersion`): it gets data only if your code publishes it with exactly those.";
    DuplicateSmokeTest = "duplicate-smoke-test", Error, Settings, "Two `smokeTest` entries of one function share a name, so a failure could not say which one failed.";
    InvalidSmokeTestName = "invalid-smoke-test-name", Error, Settings, "A `smokeTest` name with a line break or another control character: the name labels one line of the package log and of the hook's log.";
    SmokeTestEventTooLarge = "smoke-test-event-too-large", Error, Settings, "A `smokeTest` event larger, as JSON, than the 6 MB payload Lambda's synchronous Invoke accepts.";
    BaselineOutOfRange = "baseline-out-of-range", Error, Settings, "A `compareToBaseline` threshold that can never or always be crossed: `errorRate` above 0 and below 100 points, `p99Ratio` above 1.";
    BaselineWithoutShift = "baseline-without-shift", Warning, Settings, "`compareToBaseline` with `type: AllAtOnce`: the two versions never serve together, so there is nothing to compare while the deployment runs.";
    HookConflict = "hook-conflict", Error, Settings, "`smokeTest` beside `preTrafficHook`, or `minTraffic` beside `postTrafficHook`: CodeDeploy runs one hook per lifecycle event.";
    InvalidAlias = "invalid-alias", Error, Settings, "An alias name Lambda refuses.";
    UnknownHookFunction = "unknown-hook-function", Error, Settings, "`preTrafficHook` or `postTrafficHook` names no function of this service.";
    HookIsCanaried = "hook-is-canaried", Error, Settings, "A hook function that is itself deployed through CodeDeploy.";
    InvalidAlarmReference = "invalid-alarm-reference", Error, Settings, "An `alarms` entry that is neither a logical ID, `{name: <alarm name>}`, nor an inline alarm.";
    TooMany = "too-many", Error, Settings, "More alarms or triggers than a deployment group holds (10 of each), more metrics than a metric math alarm holds (10), or more dimensions than an alarm's metric has (30).";
    InvalidRoleArn = "invalid-role-arn", Error, Settings, "`codeDeployRole` is not an IAM role ARN or an intrinsic.";
    InvalidPolicyArn = "invalid-policy-arn", Error, Settings, "`codeDeployRolePermissionsBoundary` is not an IAM policy ARN or an intrinsic.";
    InvalidTriggerEvent = "invalid-trigger-event", Error, Settings, "A trigger event type CodeDeploy does not have.";
    InvalidTriggerTarget = "invalid-trigger-target", Error, Settings, "A trigger's `TriggerTargetArn` is not an SNS topic ARN or an intrinsic: CodeDeploy notifies only through SNS topics.";
    DuplicateTriggerName = "duplicate-trigger-name", Error, Settings, "Two triggers of one function share a `TriggerName`, which each notification carries to tell them apart.";
    DuplicateTriggerEvent = "duplicate-trigger-event", Error, Settings, "A trigger lists the same event twice.";
    GeneratedIdRepeated = "generated-id-repeated", Error, Settings, "Two settings would create resources with the same logical ID.";
    LogicalIdTooLong = "logical-id-too-long", Error, Settings, "A value makes a generated logical ID longer than the 255 characters CloudFormation allows.";
    UnreadableService = "unreadable-service", Error, Settings, "The standalone check cannot read the service file: it cannot be opened, it is `serverless.js` or `.ts` (which only the Framework runs), a YAML syntax error, or not a mapping of settings. Nothing else is checked.";
    NotChecked = "not-checked", Warning, Settings, "The standalone check cannot resolve a variable, so the value it holds was not checked.";
    UnknownAlarm = "unknown-alarm", Error, Template, "An alarm logical ID that is not a resource of this stack.";
    NotAnAlarm = "not-an-alarm", Error, Template, "An alarm logical ID that names a resource of another type.";
    FunctionNotVersioned = "function-not-versioned", Error, Template, "A canaried function without versions (`versionFunctions: false`): CodeDeploy shifts traffic between versions.";
    FunctionNotInTemplate = "function-not-in-template", Error, Template, "A canaried function the compiled template does not define.";
    LogicalIdTaken = "logical-id-taken", Error, Template, "The template already has a resource with a logical ID the plugin must create; the plugin never overwrites it.";
    ManyConcurrentDeployments = "many-concurrent-deployments", Warning, Template, "Fifteen or more canaried functions deploy at once without `maxConcurrentDeployments`, enough to meet CodeDeploy's and Lambda's request rates.";
    TooManyResources = "too-many-resources", Warning, Template, "The stack would hold more than the 500 resources CloudFormation allows.";
    TemplateTooLarge = "template-too-large", Warning, Template, "The template would be larger than the 1 MB CloudFormation reads.";
    StackQuotaExceeded = "stack-quota-exceeded", Error, Template, "After serverless-plugin-split-stacks moved resources into nested stacks, the root or a nested stack would hold more resources, parameters or outputs, or more bytes, than CloudFormation allows one template.";
    DependencyCycle = "dependency-cycle", Error, Template, "Resources of the stack wait for each other in a circle (by `Ref`, `Fn::GetAtt`, `Fn::Sub` or `DependsOn`), which CloudFormation refuses: \"Circular dependency between resources\".";
    UnknownReference = "unknown-reference", Error, Template, "`codeDeployRole`, a trigger's `TriggerTargetArn` or `codeDeployRolePermissionsBoundary` is a `Ref` or `Fn::GetAtt` of a logical ID this stack does not have.";
    WrongResourceType = "wrong-resource-type", Error, Template, "`codeDeployRole`, a trigger's `TriggerTargetArn` or `codeDeployRolePermissionsBoundary` names a resource that does not give the ARN it needs: a role's `Arn`, a topic's or a managed policy's.";
    RoleRefIsAName = "role-ref-is-a-name", Error, Template, "`codeDeployRole: !Ref <role>` gives the role's name, but CodeDeploy needs its ARN.";
    GroupNameCollision = "group-name-collision", Error, Template, "Two deployment group names, cut to CodeDeploy's 100 characters, are the same.";
    BoundaryUnused = "boundary-unused", Warning, Template, "A permissions boundary is set, but every group uses a role you gave, so there is no generated role to bound.";
    GivenRoleCannotInvokeHook = "given-role-cannot-invoke-hook", Warning, Template, "The `codeDeployRole` you gave may not invoke a hook function: the deployment would fail at the hook.";
    GivenRoleCannotPublish = "given-role-cannot-publish", Warning, Template, "The `codeDeployRole` you gave may not publish a trigger's notifications.";
    HookRoleUnknown = "hook-role-unknown", Warning, Template, "The hook's IAM role cannot be found, so it was not allowed to report its result to CodeDeploy.";
    PermissionMissing = "permission-missing", Warning, Template, "An invoker now calls the alias, but no Lambda permission grants it, so its calls may be denied.";
    ReferenceNotRouted = "reference-not-routed", Warning, Template, "A resource of a type the plugin does not know may call the bare function (a reference to it, its ARN, or its name where a name is taken): its traffic is not shifted gradually.";
    BareCallerDenied = "bare-caller-denied", Error, Template, "A Lambda permission moves to the alias with the invokers the plugin routed, while a resource it also grants still calls the bare function: Lambda would deny those calls.";
    EventNotRouted = "event-not-routed", Warning, Template, "An event the Framework wires through a custom resource that cannot target an alias: its traffic is not shifted gradually.";
    RoleMayDenyAlias = "role-may-deny-alias", Warning, Template, "An invoker calls the alias with its own role, which may not allow the alias.";
    UrlCallersNeedAlias = "url-callers-need-alias", Warning, Template, "A function URL with IAM auth now serves the alias: callers need permission on the alias ARN.";
    NamesRemovedAlias = "names-removed-alias", Warning, Template, "A resource names the Framework's alias, which the canary alias replaces, in a spelling the plugin does not rewrite.";
    CompositeAlarmTooLarge = "composite-alarm-too-large", Error, Template, "The stack's canary composite alarm would join more than the 100 alarms, or a rule longer than the 10,240 characters, CloudWatch allows.";
    AlarmNameTooLong = "alarm-name-too-long", Error, Template, "A `canaryAlarms` alarm name (service, stage, function and entry) would be longer than the 255 characters CloudWatch allows.";
    SmokeTestHookTooLarge = "smoke-test-hook-too-large", Error, Template, "The `smokeTest` events would make the smoke-test hook's inline code larger than the 1 MB one template holds.";
    VerificationPolicyTooLarge = "verification-policy-too-large", Error, Template, "The smoke-test hooks' role would list more functions than IAM's 10,240 characters of inline policy hold.";
    FrameworkAliasAmbiguous = "framework-alias-ambiguous", Warning, Template, "A function with provisioned concurrency or SnapStart in a service that uses `canaryAlarms`: set `frameworkAlias` to say whether its stack comes from the Flagsmith fork.";
    OutputNamesRemovedAlias = "output-names-removed-alias", Error, Template, "An output names the Framework's alias, which the canary alias replaces: the deploy would fail.";
    CallerOutsideStack = "caller-outside-stack", Warning, Template, "A Lambda permission for a caller outside the stack, such as an Alexa skill, which the plugin cannot point at the alias.";
    CanaryBypassed = "canary-bypassed", Warning, Template, "`--canary-bypass`: in this deploy the function shifts all at once and CodeDeploy consults none of its alarms (nor, with `--canary-skip-hooks`, its hooks). The next deploy without the switch is a canary again.";
    SkipHooksWithoutBypass = "skip-hooks-without-bypass", Error, Template, "`--canary-skip-hooks` without `--canary-bypass`: hooks are only skipped in a bypassed deploy.";
    BypassNotPackaged = "bypass-not-packaged", Error, Template, "`sls deploy --canary-bypass` of a package made without the switch (`--package`): the switch changes the template, so it cannot apply to one already made.";
    WarmerWarmsLatest = "warmer-warms-latest", Warning, Template, "serverless-plugin-warmup warms a canaried function's `$LATEST`, which no alias routes traffic to: the warm-up does nothing for its callers.";
    WarmupCountsAsTraffic = "warmup-counts-as-traffic", Warning, Template, "serverless-plugin-warmup invokes a canaried function through its canary alias: CodeDeploy splits those calls like real traffic, so they count toward `minTraffic`, error rates and the baseline comparison.";
    PruneDeletesCanaryVersions = "prune-deletes-canary-versions", Warning, Template, "serverless-prune-plugin with `number: 0` deletes, during a shift, the new version taking the canary's traffic, and after a release the version to roll back to.";
    AlarmNotFound = "alarm-not-found", Error, Aws, "`--aws`: an alarm named with `{name: ...}` does not exist in the Region.";
    AlarmNotDeployed = "alarm-not-deployed", Error, Aws, "`canary:alarm`: the alarm is not in the deployed stack yet.";
    AlarmInAlarm = "alarm-in-alarm", Error, Aws, "`--aws`: an attached alarm is in ALARM now, so the deployment would roll back as soon as it starts.";
    DeploymentConfigNotFound = "deployment-config-not-found", Error, Aws, "`--aws`: `type: {name: ...}` names a deployment config that does not exist in the Region.";
    DeploymentInProgress = "deployment-in-progress", Error, Aws, "`--aws`: a deployment group has a deployment that has not finished, so the deploy would fail.";
    NoDeploymentInProgress = "no-deployment-in-progress", Warning, Aws, "`canary:rollback`: no canaried function has a deployment in progress.";
    StackNotDeployed = "stack-not-deployed", Error, Aws, "The stage is not deployed with canaries in this Region.";
    NotCanaried = "not-canaried", Error, Aws, "`--function` names a function without `deploymentSettings`, or with errors in them.";
    DeployFunctionBypass = "deploy-function-bypass", Error, Aws, "`sls deploy function` of a canaried function: it updates only `$LATEST`, so the alias keeps its version and no CodeDeploy deployment runs. Refused, unless `--force`.";
    DeployFunctionForced = "deploy-function-forced", Warning, Aws, "`sls deploy function --force` of a canaried function: done as asked, but only `$LATEST` changes; the alias keeps its version and no CodeDeploy deployment runs.";
    UnknownAlarmState = "unknown-alarm-state", Error, Aws, "`canary:alarm --state` is not ALARM or OK.";
    AwsUnavailable = "aws-unavailable", Error, Aws, "AWS could not be asked: no Region or credentials, unreachable, throttled, or access denied.";
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

#[cfg(test)]
#[path = "code_tests.rs"]
mod tests;
