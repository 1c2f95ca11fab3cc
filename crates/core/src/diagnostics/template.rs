//! Problems found against the compiled template: what the settings name must exist, what the
//! plugin generates must fit, and traffic that cannot go through the alias is reported.

use crate::numbers::thousands;

use crate::limits::Limit;

use super::hints::suggestion_or;
use super::{Code, Diagnostic};

pub(crate) fn unknown_alarm(path: &str, logical_id: &str, alarm_ids: &[&str]) -> Diagnostic {
    let hint = suggestion_or(logical_id, alarm_ids, || {
        "define it under resources.Resources, or use `{name: <alarm name>}` for an alarm that exists outside this stack".into()
    });
    Diagnostic::new(
        Code::UnknownAlarm,
        path,
        format!("alarm `{logical_id}` is not a resource of this stack"),
        Some(hint),
    )
}

pub(crate) fn not_an_alarm(path: &str, logical_id: &str, found_type: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotAnAlarm,
        path,
        format!(
            "`{logical_id}` is {} {found_type}, not an AWS::CloudWatch::Alarm or AWS::CloudWatch::CompositeAlarm",
            article(found_type)
        ),
        Some("reference the logical ID of an alarm or composite alarm".into()),
    )
}

pub(crate) fn function_not_versioned(path: &str, function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FunctionNotVersioned,
        path,
        format!(
            "function `{function}` is canaried but not versioned: CodeDeploy shifts traffic between versions"
        ),
        Some("remove `versionFunctions: false`, or set `versionFunction: true` on this function".into()),
    )
}

pub(crate) fn function_not_in_template(path: &str, logical_id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FunctionNotInTemplate,
        path,
        format!("the compiled template has no Lambda function `{logical_id}`"),
        Some("is this an `image` or externally defined function? only functions this service deploys can be canaried".into()),
    )
}

pub(crate) fn logical_id_taken(path: &str, logical_id: &str, found_type: &str) -> Diagnostic {
    Diagnostic::new(
        Code::LogicalIdTaken,
        path,
        format!("the template already has {} {found_type} `{logical_id}`, which this plugin must create; it will not overwrite it", article(found_type)),
        Some("rename that resource, or remove serverless-plugin-canary-deployments from `plugins` if both are listed".into()),
    )
}

pub(crate) fn too_many_resources(resources: usize, before: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooManyResources,
        "service",
        format!(
            "the stack would hold {resources} resources: {before} from the Framework and `resources:`, and serverless-canary adds {}; CloudFormation allows at most {limit} resources per stack, so the deploy would fail",
            resources.saturating_sub(before)
        ),
        Some("list serverless-plugin-split-stacks in `plugins:` to move resources into nested stacks (README: Large services), canary fewer functions, or split the service".into()),
    )
}

/// `ids` in the order each waits for the next, the last for the first.
pub(crate) fn dependency_cycle(path: &str, stack: Option<&str>, ids: &[&str]) -> Diagnostic {
    let circle: Vec<String> = ids
        .iter()
        .chain(ids.first())
        .map(|id| format!("`{id}`"))
        .collect();
    Diagnostic::new(
        Code::DependencyCycle,
        path,
        format!(
            "{}{}: these resources wait for each other in a circle (each names the next by `Ref`, `Fn::GetAtt`, `Fn::Sub` or `DependsOn`), so CloudFormation would refuse the stack with \"Circular dependency between resources\"",
            stack.map_or(String::new(), |stack| format!("in {stack}, ")),
            circle.join(" -> ")
        ),
        Some(match stack {
            None => "remove one of these references; a function that needs another's alias can build its ARN from the function's name instead of `!Ref` to the alias, and a function cannot name its own alias or version".into(),
            Some(_) => "a nested stack waits for another when one of its resources names one in the other: name functions and aliases by ARNs built from their names instead of `!Ref` or `!GetAtt`, or keep the resources of this circle in one stack with serverless-plugin-split-stacks' `stacks-map.js`".into(),
        }),
    )
}

/// A stack after serverless-plugin-split-stacks: `stack` is [`crate::nested_stacks::ROOT`] or a
/// nested stack's logical ID.
pub(crate) fn stack_quota_exceeded(stack: &str, count: usize, limit: &Limit) -> Diagnostic {
    let which = match stack {
        crate::nested_stacks::ROOT => stack.to_owned(),
        nested => format!("nested stack `{nested}`"),
    };
    let hint = match (stack, limit.unit) {
        (crate::nested_stacks::ROOT, "outputs") => "the Framework writes one output per versioned function (`<Function>LambdaFunctionQualifiedArn`), and they stay in the root: split the service into services of fewer functions",
        (crate::nested_stacks::ROOT, _) => "move more into nested stacks (split-stacks' `perFunction`, or `perGroupFunction` with a higher `nestedStackCount`), or split the service into services of fewer functions",
        _ => "spread the functions over more nested stacks (a higher `nestedStackCount` with `perGroupFunction`, or `perFunction`)",
    };
    Diagnostic::new(
        Code::StackQuotaExceeded,
        "custom.splitStacks",
        format!(
            "after serverless-plugin-split-stacks, {which} would hold {} {}; CloudFormation allows at most {} per stack, so the deploy would fail",
            thousands(count as u64),
            limit.unit,
            thousands(limit.value),
        ),
        Some(hint.into()),
    )
}

pub(crate) fn warmer_warms_latest(warmed: &crate::companions::Warmed, alias: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WarmerWarmsLatest,
        &warmed.path,
        format!(
            "serverless-plugin-warmup's `{}` warmer invokes `{}` without an alias, that is `$LATEST`, which no alias routes to: callers reach the function through its alias `{alias}`, whose versions this warm-up never touches",
            warmed.warmer, warmed.function
        ),
        Some(format!("set `alias: {alias}` for this warmer, and read `warmup-counts-as-traffic` on what that changes")),
    )
}

pub(crate) fn warmup_counts_as_traffic(
    warmed: &crate::companions::Warmed,
    alias: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::WarmupCountsAsTraffic,
        &warmed.path,
        format!(
            "serverless-plugin-warmup's `{}` warmer invokes `{}` through its canary alias `{alias}`: during a shift CodeDeploy splits these calls between the versions like real traffic, so they count toward `minTraffic`, dilute the error rates the alarms watch, and enter the `compareToBaseline` comparison",
            warmed.warmer, warmed.function
        ),
        Some("count the warm-up calls in `minTraffic`, or send the warmer a payload the handler answers without work and alarm on errors, not rates".into()),
    )
}

pub(crate) fn prune_deletes_canary_versions(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::PruneDeletesCanaryVersions,
        path,
        "serverless-prune-plugin keeps no version besides those an alias's `FunctionVersion` names: a prune during a shift deletes the new version taking the canary's traffic (it is in the alias's routing, not its `FunctionVersion`), and after a release it deletes the version to roll back to".into(),
        Some("set `custom.prune.number` to 1 or more: it counts the versions kept besides the aliased ones".into()),
    )
}

pub(crate) fn template_too_large(limit: usize, minified: bool) -> Diagnostic {
    let minify = if minified {
        ""
    } else {
        "package with `--minify-template`, which writes it without indentation; "
    };
    Diagnostic::new(
        Code::TemplateTooLarge,
        "service",
        format!(
            "the template would be larger than the {} bytes (1 MB) CloudFormation reads from S3, so the deploy would fail",
            thousands(limit as u64)
        ),
        Some(format!("{minify}canary fewer functions, or split the service into stacks of their own")),
    )
}

pub(crate) fn unknown_reference(path: &str, logical_id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownReference,
        path,
        format!("`{logical_id}` is not a resource or parameter of this stack"),
        Some("check the logical ID against resources.Resources, or write the ARN itself".into()),
    )
}

/// `needs` says what the setting takes and which intrinsics give it.
pub(crate) fn wrong_resource_type(
    path: &str,
    written: &str,
    found_type: &str,
    needs: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::WrongResourceType,
        path,
        format!(
            "`{written}` names {} {found_type}, but this needs {needs}",
            article(found_type)
        ),
        None,
    )
}

pub(crate) fn role_ref_is_a_name(path: &str, role: &str) -> Diagnostic {
    Diagnostic::new(
        Code::RoleRefIsAName,
        path,
        format!("`Ref: {role}` gives the role's name, but CodeDeploy needs its ARN"),
        Some(format!("use `Fn::GetAtt: [{role}, Arn]`")),
    )
}

pub(crate) fn group_name_collision(path: &str, name: &str, other: &str) -> Diagnostic {
    Diagnostic::new(
        Code::GroupNameCollision,
        path,
        format!("the deployment group name, cut to CodeDeploy's 100 characters, is `{name}`, the same as function `{other}`'s"),
        Some("shorten the service name or stage, or set a shorter `provider.stackName`".into()),
    )
}

pub(crate) fn boundary_unused(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::BoundaryUnused,
        path,
        "ignored: every deployment group uses a `codeDeployRole` you gave, so the plugin creates no role to bound".into(),
        Some("set the boundary on that role instead, or remove this setting".into()),
    )
}

pub(crate) fn given_role_cannot_invoke_hook(path: &str, hook: &str, hook_arn: &str) -> Diagnostic {
    Diagnostic::new(
        Code::GivenRoleCannotInvokeHook,
        path,
        format!("CodeDeploy invokes hook `{hook}` with this role, and AWS's managed CodeDeploy policies allow `lambda:InvokeFunction` only on functions named `CodeDeployHook_*`: unless the role allows it otherwise, every deployment fails at this hook"),
        Some(format!("allow `lambda:InvokeFunction` on `{hook_arn}` in this role, or give the hook function a `name:` that starts with `CodeDeployHook_`")),
    )
}

pub(crate) fn given_role_cannot_publish(path: &str, topic: &str) -> Diagnostic {
    Diagnostic::new(
        Code::GivenRoleCannotPublish,
        path,
        format!("CodeDeploy publishes this group's trigger notifications to `{topic}` with this role, and AWSCodeDeployRoleForLambdaLimited has no `sns:Publish`: unless the role allows it otherwise, they are never sent"),
        Some(format!("allow `sns:Publish` on `{topic}` in this role")),
    )
}

pub(crate) fn hook_role_unknown(path: &str, hook: &str) -> Diagnostic {
    Diagnostic::new(
        Code::HookRoleUnknown,
        path,
        format!("cannot tell which IAM role hook `{hook}` runs with, so it was not granted codedeploy:PutLifecycleEventHookExecutionStatus"),
        Some("grant that action on `deploymentgroup:<this stack's application>/*` to the hook's role yourself".into()),
    )
}

pub(crate) fn permission_missing(
    path: &str,
    function: &str,
    invoker: &str,
    service: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::PermissionMissing,
        path,
        format!("`{invoker}` now invokes `{function}` through its alias, but no AWS::Lambda::Permission in the template grants {service} on `{function}`, so none was moved to the alias"),
        Some("add an AWS::Lambda::Permission with `FunctionName: !Ref` the alias, or these calls will be denied".into()),
    )
}

pub(crate) fn reference_not_routed(
    path: &str,
    function: &str,
    resource: &str,
    resource_type: &str,
    property: &str,
    alias_id: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::ReferenceNotRouted,
        path,
        format!("{resource_type} `{resource}` names the bare function `{function}` at {property}; the plugin does not know how this resource type calls it, so it was left as written and any traffic from it is not shifted gradually"),
        Some(format!("if it invokes the function, point it at the alias: `!Ref {alias_id}` is the alias ARN")),
    )
}

/// Lambda checks a call against the resource policy of the ARN it names, and a permission on an
/// alias does not cover the unqualified function ARN: "If you attempt to invoke the function
/// without an alias or a specific version, then you get a permission error" (AWS Lambda
/// Developer Guide, "Using Lambda aliases in event sources and permissions policies",
/// https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html).
pub(crate) fn bare_caller_denied(
    path: &str,
    function: &str,
    caller: &str,
    caller_type: &str,
    property: &str,
    permission: &str,
    alias_id: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::BareCallerDenied,
        path,
        format!("{caller_type} `{caller}` still invokes the bare function `{function}` at {property}, but AWS::Lambda::Permission `{permission}`, which grants it, moves to the alias with the invokers the plugin routed; a permission on an alias does not cover the function ARN, so Lambda would deny these calls"),
        Some(format!("point {property} at the alias: `!Ref {alias_id}` is the alias ARN")),
    )
}

pub(crate) fn event_not_routed(
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
    Diagnostic::new(
        Code::EventNotRouted,
        path,
        format!("the {event} event{source} of `{function}` keeps invoking the bare function: the Framework's custom resource `{resource}` builds the function ARN from its name and cannot target an alias, so this traffic moves to a new version at once, without CodeDeploy"),
        Some("use a resource the stack creates (an `s3` bucket or Cognito pool without `existing: true`, native `eventBridge`) to shift this traffic too".into()),
    )
}

pub(crate) fn role_may_deny_alias(
    path: &str,
    function: &str,
    invoker: &str,
    alias_id: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::RoleMayDenyAlias,
        path,
        format!("`{invoker}` now invokes `{function}` through its alias with its own role, and no statement of that role in the template allows the alias (`function:<name>:*` or the alias ARN), so these calls may be denied"),
        Some(format!("allow `lambda:InvokeFunction` on `!Ref {alias_id}` (or `function:<name>:*`) in the invoker's role")),
    )
}

pub(crate) fn url_callers_need_alias(
    path: &str,
    function: &str,
    url: &str,
    alias: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::UrlCallersNeedAlias,
        path,
        format!("`{url}` now serves `{function}` from its alias `{alias}`, and with `AuthType: AWS_IAM` Lambda authorizes each call against the alias ARN, so callers whose IAM policies name only the function ARN will be denied"),
        Some(format!("allow `lambda:InvokeFunctionUrl` on `function:<name>:{alias}` (or `function:<name>:*`) in the callers' policies")),
    )
}

pub(crate) fn names_removed_alias(
    path: &str,
    resource: &str,
    resource_type: &str,
    property: &str,
    removed: &str,
    alias_id: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::NamesRemovedAlias,
        path,
        format!("`{resource}` ({resource_type}) names the Framework's `{removed}` alias at {property}, which the canary alias replaces and the plugin removes, in a spelling the plugin does not rewrite"),
        Some(format!("name the canary alias instead: `!Ref {alias_id}`")),
    )
}

pub(crate) fn output_names_removed_alias(path: &str, removed: &str, alias_id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::OutputNamesRemovedAlias,
        path,
        format!("this output names `{removed}`, the Framework's alias that the canary alias replaces and the plugin removes"),
        Some(format!("reference the canary alias instead: `!Ref {alias_id}`")),
    )
}

pub(crate) fn caller_outside_stack(
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
    Diagnostic::new(
        Code::CallerOutsideStack,
        path,
        format!("AWS::Lambda::Permission `{permission}` lets {principal} invoke `{function}`, but no invoker in this stack uses it (an Alexa skill, or a resource outside the stack): {state}"),
        Some("configure that caller with the alias ARN and grant it on the alias (`FunctionName: !Ref` the alias)".into()),
    )
}

/// `an AWS::SNS::Topic`, `a Custom::Cleanup`: resource types read aloud.
fn article(resource_type: &str) -> &'static str {
    if resource_type.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// `what`: "joins 120 alarms" or "has a rule of about 11,000 characters".
pub(crate) fn composite_alarm_too_large(path: &str, what: &str, limit: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CompositeAlarmTooLarge,
        path,
        format!("the stack's canary composite alarm (CanaryDeploymentCompositeAlarm) {what}; CloudWatch allows {limit}"),
        Some("use fewer `canaryAlarms` entries across the service's functions".into()),
    )
}

pub(crate) fn alarm_name_too_long(path: &str, name: &str, length: usize, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::AlarmNameTooLong,
        path,
        format!("the alarm would be named `{name}`, about {length} characters with its version; CloudWatch allows {limit}"),
        Some("shorten the service, stage or function name, or the entry's preset, metric or `name`".into()),
    )
}

pub(crate) fn framework_alias_ambiguous(
    path: &str,
    function: &str,
    framework_alias_id: &str,
    alias_id: &str,
    alias: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::FrameworkAliasAmbiguous,
        path,
        format!("`{function}` has the Framework's alias `{framework_alias_id}`, and this service uses `canaryAlarms`, the Flagsmith fork's key: the fork makes that alias the canary alias, this plugin and serverless-plugin-canary-deployments create `{alias_id}`; packaged the second way, a stack deployed with the fork gets a second alias `{alias}`, which CloudFormation refuses"),
        Some("set `custom.deploymentSettings.frameworkAlias: reuse` if the stack was deployed with the Flagsmith fork, `replace` if not (the README's migration section says how to tell)".into()),
    )
}

/// `event_bytes`: what the event at `path` takes of the hook's code, in every group it is in.
pub(crate) fn smoke_test_hook_too_large(
    path: &str,
    event_bytes: usize,
    code_bytes: usize,
    limit: u64,
) -> Diagnostic {
    Diagnostic::new(
        Code::SmokeTestHookTooLarge,
        path,
        format!(
            "this event takes {} bytes of the smoke-test hook's inline code, which holds the events of every function with `smokeTest` and would be {} bytes; CloudFormation reads at most {} bytes (1 MB) of template, and no plugin can split one function's code across stacks",
            thousands(event_bytes as u64),
            thousands(code_bytes as u64),
            thousands(limit)
        ),
        Some("send a smaller event, or test with a `preTrafficHook` function of your own, packaged with its events".into()),
    )
}

pub(crate) fn verification_policy_too_large(
    path: &str,
    characters: usize,
    limit: usize,
) -> Diagnostic {
    Diagnostic::new(
        Code::VerificationPolicyTooLarge,
        path,
        format!("the smoke-test hooks' role would need about {characters} characters of inline policy to invoke every function with `smokeTest`; IAM allows {limit}"),
        Some("give `smokeTest` to fewer functions, or split the service".into()),
    )
}

pub(crate) fn many_concurrent_deployments(count: usize) -> Diagnostic {
    Diagnostic::new(
        Code::ManyConcurrentDeployments,
        "custom.deploymentSettings",
        format!("{count} canaried functions start {count} CodeDeploy deployments at once when they all change, enough to meet CodeDeploy's and Lambda's request rates (\"Rate exceeded\") and fail the release"),
        Some("set `maxConcurrentDeployments: 10` to run at most 10 at a time, at the cost of a longer deploy (see docs/configuration.md)".into()),
    )
}

/// One per canaried function of a bypassed deploy: loud on purpose, with what is off.
pub(crate) fn canary_bypassed(
    path: &str,
    function: &str,
    deployment_type: &str,
    alarms: &[String],
    hooks: &str,
) -> Diagnostic {
    let alarms = match alarms {
        [] => "it has no alarms".to_owned(),
        names => format!("its alarms ({}) are not consulted", names.join(", ")),
    };
    Diagnostic::new(
        Code::CanaryBypassed,
        path,
        format!("`--canary-bypass`: this deploy shifts all of `{function}`'s traffic at once instead of {deployment_type}; {alarms}, so none rolls it back; {hooks}"),
        Some("for this deploy only: the next deploy without --canary-bypass releases gradually again, with nothing to undo".into()),
    )
}

pub(crate) fn bypass_not_packaged() -> Diagnostic {
    Diagnostic::new(
        Code::BypassNotPackaged,
        "--canary-bypass",
        "it changes the template, and the one this deploy uploads was packaged without it".into(),
        Some("package with `serverless package --canary-bypass` and deploy that package, or deploy without --package".into()),
    )
}

pub(crate) fn skip_hooks_without_bypass() -> Diagnostic {
    Diagnostic::new(
        Code::SkipHooksWithoutBypass,
        "--canary-skip-hooks",
        "hooks are only skipped in a deploy that bypasses the canary".into(),
        Some(
            "add --canary-bypass to ship at once without hooks, or drop --canary-skip-hooks".into(),
        ),
    )
}
