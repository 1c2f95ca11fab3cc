//! Every logical ID and physical name the plugin creates. The existing ones match
//! serverless-plugin-canary-deployments 0.8.0 and the Framework's own naming, so switching
//! plugins on a live stack replaces nothing.

use crate::limits;

/// Application, deployment group and deployment config names: 1-100 characters.
pub(crate) const CODEDEPLOY_NAME_LIMIT: usize = limits::CODEDEPLOY_NAME_LENGTH.value as usize;
const IAM_POLICY_NAME_LIMIT: usize = limits::POLICY_NAME_LENGTH.value as usize;

pub(crate) const SERVICE_ROLE_LOGICAL_ID: &str = "CodeDeployServiceRole";
/// The hook functions the plugin generates for the stack, and the role they run with.
pub(crate) const SMOKE_TEST_HOOK_LOGICAL_ID: &str = "ServerlessCanarySmokeTestHook";
pub(crate) const TRAFFIC_GUARD_HOOK_LOGICAL_ID: &str = "ServerlessCanaryTrafficGuardHook";
pub(crate) const VERIFICATION_ROLE_LOGICAL_ID: &str = "ServerlessCanaryVerificationRole";

/// The Framework's `normalizeName`: upper-case the first letter.
fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The Framework's `getNormalizedFunctionName`: `pre-hook_x` -> `PreDashhookUnderscorex`.
pub(crate) fn normalized_function_name(function: &str) -> String {
    upper_first(&spell_out_separators(function))
}

/// Logical IDs are alphanumeric; the Framework spells `-` and `_` out.
fn spell_out_separators(name: &str) -> String {
    name.replace('-', "Dash").replace('_', "Underscore")
}

/// The Framework's `getLambdaLogicalId`: `hello` -> `HelloLambdaFunction`.
pub fn function_logical_id(function: &str) -> String {
    format!("{}LambdaFunction", normalized_function_name(function))
}

/// The aliases the Framework creates for provisioned concurrency and SnapStart, as its naming
/// writes them: (logical ID, alias name).
pub(crate) fn framework_aliases(function: &str) -> [(String, &'static str); 2] {
    let normalized = normalized_function_name(function);
    [
        (format!("{normalized}ProvConcLambdaAlias"), "provisioned"),
        (format!("{normalized}SnapStartLambdaAlias"), "snapstart"),
    ]
}

/// osls's `getLambdaFnPermissionLogicalId`: the `lambda:InvokeFunction` permission of a
/// public function URL, `hello` -> `HelloLambdaPermissionFn`.
pub(crate) fn url_invoke_permission_logical_id(function: &str) -> String {
    format!("{}LambdaPermissionFn", normalized_function_name(function))
}

/// `pc01-http-dev` -> `Pc01httpdevDeploymentApplication`.
pub fn application_logical_id(stack_name: &str) -> String {
    let alphanumeric: String = stack_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{}DeploymentApplication", upper_first(&alphanumeric))
}

pub(crate) fn deployment_group_logical_id(function_logical_id: &str) -> String {
    format!("{function_logical_id}DeploymentGroup")
}

pub fn deployment_group_name(stack_name: &str, group_logical_id: &str) -> String {
    truncate(
        format!("{stack_name}-{group_logical_id}"),
        CODEDEPLOY_NAME_LIMIT,
    )
}

/// The `DeploymentGroupName` of the function named `function` under `functions:`.
pub fn function_deployment_group_name(stack_name: &str, function: &str) -> String {
    let group_id = deployment_group_logical_id(&function_logical_id(function));
    deployment_group_name(stack_name, &group_id)
}

/// The alias name as written (`Live` -> `...AliasLive`, as the old plugin had it); `-` and `_`,
/// valid in alias names but not in logical IDs, are spelled out.
pub fn alias_logical_id(function_logical_id: &str, alias: &str) -> String {
    format!("{function_logical_id}Alias{}", spell_out_separators(alias))
}

/// One config per distinct custom type, shared by every group that uses it:
/// `Canary5Percent20MinutesDeploymentConfig`.
pub(crate) fn deployment_config_logical_id(
    deployment_type: &crate::traffic::DeploymentType,
) -> String {
    format!("{deployment_type}DeploymentConfig")
}

/// serverless-plugin-aws-alerts' naming: function `fakeUser`, alarm `CanaryCheck` ->
/// `FakeUserCanaryCheckAlarm`.
pub(crate) fn alarm_logical_id(function: &str, alarm: &str) -> String {
    let alarm: String = alarm.chars().filter(char::is_ascii_alphanumeric).collect();
    format!(
        "{}{}Alarm",
        normalized_function_name(function),
        upper_first(&alarm)
    )
}

/// The Flagsmith fork's `canaryAlarms` alarm: `HelloLambdaFunction`, `errors` ->
/// `HelloLambdaFunctionCanaryErrorsAlarm`.
pub(crate) fn canary_alarm_logical_id(function_logical_id: &str, base: &str) -> String {
    format!("{function_logical_id}Canary{}Alarm", upper_first(base))
}

/// The fork's alarm name, for `Fn::Sub`: a new name per version, so each release starts with
/// a fresh alarm rather than one still in ALARM from the last.
pub(crate) fn canary_alarm_name(
    service: &str,
    stage: &str,
    function: &str,
    base: &str,
    version_id: &str,
) -> String {
    let function = crate::settings::canary_alarm::base_name(function);
    format!("{service}-{stage}-{function}-canary-{base}-v${{{version_id}.Version}}")
}

/// The one composite alarm of the stack that joins every `canaryAlarms` alarm.
pub(crate) const COMPOSITE_ALARM_LOGICAL_ID: &str = "CanaryDeploymentCompositeAlarm";

pub(crate) fn composite_alarm_name(service: &str, stage: &str) -> String {
    format!("{service}-{stage}-canary-composite")
}

/// With serverless-plugin-split-stacks, the composite of one nested stack, named after its first
/// function with canary alarms: `HelloLambdaFunctionCanaryCompositeAlarm`.
pub(crate) fn nested_composite_alarm_logical_id(function_logical_id: &str) -> String {
    format!("{function_logical_id}CanaryCompositeAlarm")
}

pub(crate) fn nested_composite_alarm_name(service: &str, stage: &str, function: &str) -> String {
    let function = crate::settings::canary_alarm::base_name(function);
    format!("{service}-{stage}-{function}-canary-composite")
}

/// The policy that lets the hooks running with one role report their results to CodeDeploy,
/// named after that role (its logical ID, or the name its ARN ends in): it stays the same
/// resource for as long as the hooks keep that role, whichever functions come and go.
pub(crate) fn hook_policy_logical_id(role: &str) -> String {
    let spelled: String = role
        .chars()
        .map(|c| match c {
            '-' => "Dash".to_owned(),
            '_' => "Underscore".to_owned(),
            '+' => "Plus".to_owned(),
            '=' => "Equals".to_owned(),
            ',' => "Comma".to_owned(),
            '.' => "Period".to_owned(),
            '@' => "At".to_owned(),
            other => other.to_string(),
        })
        .collect();
    format!("{}CodeDeployHookPolicy", upper_first(&spelled))
}

/// Unique per stack, so two stacks whose hooks share one role never replace each other's
/// policy: IAM keys a role's inline policies by name. A stack name long enough to be cut keeps
/// a hash of the whole name, so two long ones never meet either.
pub(crate) fn hook_policy_name(stack_name: &str) -> String {
    let name = format!("{stack_name}-codedeploy-hooks");
    if name.len() <= IAM_POLICY_NAME_LIMIT {
        return name;
    }
    let kept = IAM_POLICY_NAME_LIMIT - 9;
    format!("{}-{:08x}", &name[..kept], fnv1a(&name))
}

/// A function's ARN from its deployed name, partition-aware, with `suffix` (`:*`, every
/// version and alias) appended. A policy that needs a function only by name uses this, not
/// `Fn::GetAtt`, so it adds no dependency on the function: no cycle through it, and no output
/// and parameter when serverless-plugin-split-stacks puts the two in different stacks.
pub(crate) fn function_arn_sub(name: &str, suffix: &str) -> String {
    format!("arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}{suffix}")
}

/// The name of a hook function the plugin generates: `CodeDeployHook_<stack>-<suffix>`, which
/// CodeDeploy's managed policies may invoke. Lambda allows 64 characters: a longer stack name
/// is cut, and a hash of the whole name keeps two such stacks apart.
pub(crate) fn verification_hook_name(stack_name: &str, suffix: &str) -> String {
    const LAMBDA_NAME_LIMIT: usize = 64;
    let name = format!("CodeDeployHook_{stack_name}-{suffix}");
    if name.len() <= LAMBDA_NAME_LIMIT {
        return name;
    }
    let kept = LAMBDA_NAME_LIMIT - suffix.len() - 10;
    format!("{}-{:08x}-{suffix}", &name[..kept], fnv1a(&name))
}

/// FNV-1a, 32 bits: a stable hash, the same on every machine and release.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// All names here are ASCII, so cutting at a byte index is safe; `chars` keeps it so anyway.
fn truncate(name: String, limit: usize) -> String {
    if name.chars().count() <= limit {
        name
    } else {
        name.chars().take(limit).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_framework_and_the_old_plugin() {
        assert_eq!(function_logical_id("hello"), "HelloLambdaFunction");
        assert_eq!(
            function_logical_id("pre-hook_x"),
            "PreDashhookUnderscorexLambdaFunction"
        );
        assert_eq!(
            application_logical_id("pc01-http-dev"),
            "Pc01httpdevDeploymentApplication"
        );
        assert_eq!(
            deployment_group_logical_id("HelloLambdaFunction"),
            "HelloLambdaFunctionDeploymentGroup"
        );
        assert_eq!(
            alias_logical_id("HelloLambdaFunction", "Live"),
            "HelloLambdaFunctionAliasLive"
        );
        assert_eq!(
            alias_logical_id("HelloLambdaFunction", "live"),
            "HelloLambdaFunctionAliaslive"
        );
    }

    #[test]
    fn alias_separators_are_spelled_out_in_logical_ids() {
        assert_eq!(
            alias_logical_id("HelloLambdaFunction", "blue-green_2"),
            "HelloLambdaFunctionAliasblueDashgreenUnderscore2"
        );
    }

    #[test]
    fn policy_names_are_cut_to_128_characters() {
        let stack = "s".repeat(120);
        let name = hook_policy_name(&stack);
        assert_eq!(name.len(), 128);
        assert!(name.starts_with(&"s".repeat(119)), "{name}");
        let other = hook_policy_name(&format!("{stack}x"));
        assert_eq!(other.len(), 128);
        assert_ne!(name, other, "two stacks cut alike keep names of their own");
        assert_eq!(hook_policy_name("svc-dev"), "svc-dev-codedeploy-hooks");
    }

    #[test]
    fn hook_policies_are_named_after_their_role() {
        assert_eq!(
            hook_policy_logical_id("IamRoleLambdaExecution"),
            "IamRoleLambdaExecutionCodeDeployHookPolicy"
        );
        assert_eq!(
            hook_policy_logical_id("team.hooks-role_2"),
            "TeamPeriodhooksDashroleUnderscore2CodeDeployHookPolicy"
        );
    }

    #[test]
    fn group_names_are_cut_to_100_characters() {
        let stack = "s".repeat(90);
        let name = deployment_group_name(&stack, "HelloLambdaFunctionDeploymentGroup");
        assert_eq!(name.len(), 100);
        assert!(name.starts_with(&format!("{stack}-Hello")));
    }
}
