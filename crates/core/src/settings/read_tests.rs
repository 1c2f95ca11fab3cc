use serde_json::{json, Value};

use super::*;
use crate::diagnostics::Diagnostic;

fn read(custom: Value, functions: Value) -> (ServiceSettings, Vec<Diagnostic>) {
    let mut diagnostics = Diagnostics::default();
    let custom = (!custom.is_null()).then_some(custom);
    let settings = read_settings(
        custom.as_ref(),
        functions.as_object().unwrap(),
        &mut diagnostics,
    );
    (settings, diagnostics.into_vec())
}

fn paths(diagnostics: &[Diagnostic]) -> Vec<(&str, &str)> {
    diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.code.as_str()))
        .collect()
}

#[test]
fn function_keys_override_custom_defaults() {
    let (settings, diagnostics) = read(
        json!({"type": "Canary10Percent30Minutes", "alias": "Live", "alarms": ["Shared"]}),
        json!({
            "a": {"deploymentSettings": {}},
            "b": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Prod"}},
            "c": {"handler": "h.c"}
        }),
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let [a, b] = &settings.functions[..] else {
        panic!("two canaried functions expected: {settings:?}")
    };
    assert_eq!(
        (
            a.name(),
            a.deployment_type.to_string().as_str(),
            a.alias.as_str()
        ),
        ("a", "Canary10Percent30Minutes", "Live")
    );
    assert_eq!(a.alarms()[0].path, "custom.deploymentSettings.alarms[0]");
    assert_eq!(
        (b.deployment_type.to_string().as_str(), b.alias.as_str()),
        ("AllAtOnce", "Prod")
    );
    assert_eq!(b.alarms().len(), 1, "b still inherits the custom alarms");
}

#[test]
fn a_null_block_takes_part_with_defaults() {
    let (settings, diagnostics) = read(
        json!({"type": "AllAtOnce", "alias": "Live"}),
        json!({"a": {"deploymentSettings": null}}),
    );
    assert!(diagnostics.is_empty());
    assert_eq!(settings.functions.len(), 1);
}

#[test]
fn reports_every_problem_at_once() {
    let (settings, diagnostics) = read(
        Value::Null,
        json!({
            "hello": {"deploymentSettings": {
                "type": "Canary10Percent5Minutez",
                "alais": "Live",
                "preTrafficHook": "preHok",
                "alarms": "HelloAlarm",
                "codeDeployRole": "deployer"
            }},
            "preHook": {}
        }),
    );
    assert!(settings.functions.is_empty());
    assert_eq!(
        paths(&diagnostics),
        [
            ("functions.hello.deploymentSettings.alais", "unknown-key"),
            (
                "functions.hello.deploymentSettings.type",
                "unknown-deployment-type"
            ),
            ("functions.hello.deploymentSettings", "missing-key"),
            (
                "functions.hello.deploymentSettings.preTrafficHook",
                "unknown-hook-function"
            ),
            ("functions.hello.deploymentSettings.alarms", "wrong-type"),
            (
                "functions.hello.deploymentSettings.codeDeployRole",
                "invalid-role-arn"
            ),
        ]
    );
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("did you mean `alias`?")
    );
    assert_eq!(
        diagnostics[3].hint.as_deref(),
        Some("did you mean `preHook`?")
    );
}

#[test]
fn alias_rules() {
    for (alias, ok) in [
        ("Live", true),
        ("live-2_x", true),
        ("2", false),
        ("12345", false),
        ("v1", true),
        ("Li ve", false),
        ("", false),
    ] {
        let (_, diagnostics) = read(
            Value::Null,
            json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": alias}}}),
        );
        assert_eq!(diagnostics.is_empty(), ok, "{alias}: {diagnostics:?}");
    }
    let (_, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": "a".repeat(129)}}}),
    );
    assert_eq!(diagnostics[0].code.as_str(), "invalid-alias");
}

#[test]
fn hooks_must_be_plain_functions_of_the_service() {
    let (_, diagnostics) = read(
        json!({"type": "AllAtOnce", "alias": "Live"}),
        json!({
            "a": {"deploymentSettings": {"postTrafficHook": "b"}},
            "b": {"deploymentSettings": {}}
        }),
    );
    assert_eq!(
        paths(&diagnostics),
        [(
            "functions.a.deploymentSettings.postTrafficHook",
            "hook-is-canaried"
        )]
    );
}

#[test]
fn alarm_references_and_limits() {
    let eleven: Vec<String> = (0..11).map(|i| format!("Alarm{i}")).collect();
    let (_, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "alarms": eleven}}}),
    );
    assert_eq!(
        paths(&diagnostics),
        [("functions.f.deploymentSettings.alarms", "too-many")]
    );

    let (settings, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "alarms": [
            "A", {"name": "team-alarm"}, {"name": {"Ref": "X"}}, {"nme": "x"}, 3
        ]}}}),
    );
    assert_eq!(
        paths(&diagnostics),
        [
            // Any key beside `name` makes it a definition, which needs name, metric, threshold.
            (
                "functions.f.deploymentSettings.alarms[3].nme",
                "unknown-key"
            ),
            ("functions.f.deploymentSettings.alarms[3]", "missing-key"),
            ("functions.f.deploymentSettings.alarms[3]", "missing-key"),
            ("functions.f.deploymentSettings.alarms[3]", "missing-key"),
            (
                "functions.f.deploymentSettings.alarms[4]",
                "invalid-alarm-reference"
            ),
        ]
    );
    assert!(settings.functions.is_empty());
}

#[test]
fn triggers_are_checked_against_codedeploy_events() {
    let (settings, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "triggerConfigurations": [
            {"TriggerName": "t", "TriggerTargetArn": {"Ref": "Topic"}, "TriggerEvents": ["DeploymentSucess"]},
            {"TriggerTargetArn": "arn:aws:sns:us-east-1:123456789012:t", "TriggerEvents": ["DeploymentFailure"]}
        ]}}}),
    );
    assert!(settings.functions.is_empty());
    assert_eq!(
        paths(&diagnostics),
        [
            (
                "functions.f.deploymentSettings.triggerConfigurations[0].TriggerEvents[0]",
                "invalid-trigger-event"
            ),
            (
                "functions.f.deploymentSettings.triggerConfigurations[1]",
                "missing-key"
            ),
        ]
    );
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("did you mean `DeploymentSuccess`?")
    );
}

#[test]
fn custom_level_problems_point_at_custom() {
    let (settings, diagnostics) = read(
        json!({"type": "AllAtOnce", "alias": "Live", "stages": "prod", "codeDeployRolePermissionsBoundary": "boundary", "stage": ["x"]}),
        json!({"f": {"deploymentSettings": {}}}),
    );
    assert_eq!(
        paths(&diagnostics),
        [
            ("custom.deploymentSettings.stage", "unknown-key"),
            ("custom.deploymentSettings.stages", "wrong-type"),
            (
                "custom.deploymentSettings.codeDeployRolePermissionsBoundary",
                "invalid-policy-arn"
            ),
        ]
    );
    assert_eq!(settings.functions.len(), 1);
}

#[test]
fn stage_filter() {
    let (settings, _) = read(json!({"stages": ["prod"]}), json!({}));
    assert!(settings.enabled_for("prod"));
    assert!(!settings.enabled_for("dev"));
    assert!(ServiceSettings::default().enabled_for("dev"));
}

#[test]
fn versioning_path_names_where_to_fix_it() {
    let (settings, _) = read(
        Value::Null,
        json!({
            "a": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}, "versionFunction": false},
            "b": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}
        }),
    );
    assert_eq!(
        settings.functions[0].needs.versioning_path,
        "functions.a.versionFunction"
    );
    assert_eq!(
        settings.functions[1].needs.versioning_path,
        "provider.versionFunctions"
    );
}

#[test]
fn verification_keys_default_from_custom_and_claim_their_hook_event() {
    let smoke = json!([{"name": "home", "event": {}}]);
    let (settings, diagnostics) = read(
        json!({"type": "AllAtOnce", "alias": "Live", "smokeTest": smoke, "minTraffic": 50}),
        json!({
            "a": {"deploymentSettings": {"type": "Canary10Percent5Minutes", "compareToBaseline": {"errorRate": 2}}},
            "b": {"deploymentSettings": {"preTrafficHook": "hook", "smokeTest": []}},
            "c": {"deploymentSettings": {"preTrafficHook": "hook", "postTrafficHook": "hook"}},
            "hook": {"handler": "h.hook"}
        }),
    );
    assert_eq!(
        paths(&diagnostics),
        [
            ("custom.deploymentSettings.smokeTest", "hook-conflict"),
            ("custom.deploymentSettings.minTraffic", "hook-conflict"),
        ],
        "`c` keeps the defaults and its own hooks; `b` turned the smoke test off"
    );
    let a = &settings.functions[0];
    assert_eq!((a.smoke_tests.len(), a.min_traffic), (1, Some(50)));
    assert_eq!(
        a.baseline.as_ref().and_then(|b| b.value.error_rate),
        Some(2.0)
    );
    let b = &settings.functions[1];
    assert!(b.smoke_tests.is_empty());
    assert!(diagnostics[0]
        .to_string()
        .contains("`smokeTest` and `preTrafficHook` both need the BeforeAllowTraffic hook"));
}

#[test]
fn comparing_versions_needs_a_shift_during_which_both_serve() {
    let (settings, diagnostics) = read(
        Value::Null,
        json!({"a": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live",
            "compareToBaseline": {"errorRate": 2}}}}),
    );
    assert_eq!(
        paths(&diagnostics),
        [(
            "functions.a.deploymentSettings.compareToBaseline",
            "baseline-without-shift"
        )]
    );
    assert_eq!(
        settings.functions.len(),
        1,
        "a warning: the function is still canaried"
    );
}

#[test]
fn an_intrinsic_where_a_value_belongs_is_one_error_not_a_cascade() {
    let (settings, diagnostics) = read(
        json!({"Fn::If": ["IsProd", {"type": "Canary10Percent5Minutes"}, {"type": "AllAtOnce"}]}),
        json!({
            "a": {"deploymentSettings": {"Fn::If": ["IsProd", {"alias": "Live"}, {"alias": "Dev"}]}},
            "b": {"deploymentSettings": {
                "type": "AllAtOnce",
                "alias": {"Ref": "AliasName"},
                "alarms": [{"Ref": "ErrorsAlarm"}],
                "smokeTest": [{"Fn::Sub": "x"}],
                "triggerConfigurations": [{"Fn::ImportValue": "shared-trigger"}]
            }},
        }),
    );
    assert!(settings.functions.is_empty());
    assert_eq!(
        paths(&diagnostics),
        [
            ("custom.deploymentSettings", "intrinsic-not-allowed"),
            ("functions.a.deploymentSettings", "intrinsic-not-allowed"),
            (
                "functions.b.deploymentSettings.alias",
                "intrinsic-not-allowed"
            ),
            (
                "functions.b.deploymentSettings.alarms[0]",
                "intrinsic-not-allowed"
            ),
            (
                "functions.b.deploymentSettings.smokeTest[0]",
                "intrinsic-not-allowed"
            ),
            (
                "functions.b.deploymentSettings.triggerConfigurations[0]",
                "intrinsic-not-allowed"
            ),
        ]
    );
    assert_eq!(
        diagnostics[1].message,
        "`Fn::If` is a CloudFormation function, resolved at deploy time, but the plugin reads this setting while packaging"
    );
}

#[test]
fn numbers_are_shown_as_written_with_the_reason_they_cannot_be_used() {
    let (_, diagnostics) = read(
        json!({"maxConcurrentDeployments": 1e20}),
        json!({"a": {"deploymentSettings": {"type": "Canary4294967296Percent5Minutes", "alias": "Live", "minTraffic": -3}}}),
    );
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "error[number-out-of-range] custom.deploymentSettings.maxConcurrentDeployments: `1e+20` cannot be used: it is too large for a count (use a whole number from 1)",
            "error[type-out-of-range] functions.a.deploymentSettings.type: `Canary4294967296Percent5Minutes` shifts 4294967296%; CodeDeploy accepts 1 to 99 percent per step (use a percentage from 1 to 99)",
            "error[number-out-of-range] functions.a.deploymentSettings.minTraffic: `-3` cannot be used: it must be at least 1 (use a whole number from 1)",
        ]
    );
}

#[test]
fn a_key_in_another_case_is_named_once_not_also_missing() {
    let (settings, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"Type": "AllAtOnce", "alias": "Live", "triggerConfigurations": [
            {"triggerName": "t", "triggerTargetArn": "arn:aws:sns:us-east-1:123456789012:t", "triggerEvents": ["DeploymentFailure"]}
        ]}}}),
    );
    assert!(settings.functions.is_empty());
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let trigger = "functions.f.deploymentSettings.triggerConfigurations[0]";
    assert_eq!(
        messages,
        [
            "error[unknown-key] functions.f.deploymentSettings.Type: `Type` must be written `type`: keys are case-sensitive (rename it to `type`)".to_owned(),
            format!("error[unknown-key] {trigger}.triggerName: `triggerName` must be written `TriggerName`: keys are case-sensitive (rename it to `TriggerName`)"),
            format!("error[unknown-key] {trigger}.triggerTargetArn: `triggerTargetArn` must be written `TriggerTargetArn`: keys are case-sensitive (rename it to `TriggerTargetArn`)"),
            format!("error[unknown-key] {trigger}.triggerEvents: `triggerEvents` must be written `TriggerEvents`: keys are case-sensitive (rename it to `TriggerEvents`)"),
        ]
    );
}

#[test]
fn an_alarm_named_like_the_baseline_s_is_refused_with_both_settings() {
    let (settings, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"type": "Canary10Percent5Minutes", "alias": "Live",
            "alarms": [{"name": "BaselineErrorRate", "namespace": "AWS/Lambda", "metric": "Errors", "threshold": 1}],
            "compareToBaseline": {"errorRate": 2}}}}),
    );
    let mut settings = settings;
    let mut diagnostics = {
        let mut all = Diagnostics::default();
        all.extend(diagnostics);
        all
    };
    crate::settings::refuse_unusable_ids(&mut settings, &mut diagnostics);
    assert!(settings.functions.is_empty());
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["error[generated-id-repeated] functions.f.deploymentSettings.compareToBaseline: this would create `FBaselineErrorRateAlarm` a second time; the first is `functions.f.deploymentSettings.alarms[0].name` (rename one of them: an alarm's logical ID keeps only the letters and digits of its name, a function's spells `-` and `_` as `Dash` and `Underscore`)"]
    );
}

#[test]
fn a_whole_number_is_whole_however_yaml_wrote_it() {
    let (settings, diagnostics) = read(
        json!({"maxConcurrentDeployments": 5.0}),
        json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "minTraffic": 2e1}}}),
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        settings.max_concurrent_deployments.map(|m| m.value),
        Some(5)
    );
}

#[test]
fn an_alarm_key_in_another_case_is_still_read_where_it_is_written() {
    let (_, diagnostics) = read(
        Value::Null,
        json!({"f": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live", "alarms": [
            {"name": "A", "namespace": "AWS/Lambda", "metric": "Errors", "Threshold": "x"}
        ]}}}),
    );
    assert_eq!(
        paths(&diagnostics),
        [
            (
                "functions.f.deploymentSettings.alarms[0].Threshold",
                "unknown-key"
            ),
            (
                "functions.f.deploymentSettings.alarms[0].Threshold",
                "wrong-type"
            ),
        ]
    );
}
