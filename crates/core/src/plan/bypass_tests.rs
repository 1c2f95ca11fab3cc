//! `--canary-bypass` over the whole plan: what the groups and aliases of this deploy become,
//! the order CloudFormation must apply them in, and that nothing else changes.

use serde_json::{json, Value};

use super::test_support::*;
use super::*;
use crate::template::bypass::{self, Switches};

fn functions() -> Value {
    json!({
        "hello": canary(json!({
            "type": "Linear10PercentEvery1Minute", "alias": "Live",
            "alarms": ["HelloErrorsAlarm"], "preTrafficHook": "hook", "minTraffic": 20
        })),
        "other": canary(json!({"type": "Canary5Percent20Minutes", "alias": "Live", "smokeTest": [{"name": "ping", "event": {}}]})),
        "hook": {"handler": "h.hook"}
    })
}

fn planned(canary_bypass: bool, canary_skip_hooks: bool) -> Plan<'static> {
    let mut input = input(functions(), Value::Null);
    input.switches = Switches {
        canary_bypass,
        canary_skip_hooks,
    };
    crate::plan::test_support::plan_leaked(input)
}

fn update_policy(plan: &Plan, alias: &str) -> Value {
    plan.resources[alias]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"].to_value()
}

#[test]
fn every_group_shifts_at_once_without_alarms_and_says_so() {
    let plan = planned(true, false);
    for group in [
        "HelloLambdaFunctionDeploymentGroup",
        "OtherLambdaFunctionDeploymentGroup",
    ] {
        let properties = &plan.resources[group]["Properties"];
        assert_eq!(
            properties["DeploymentConfigName"], "CodeDeployDefault.LambdaAllAtOnce",
            "{group}"
        );
        assert_eq!(
            properties["AlarmConfiguration"]["Enabled"], false,
            "{group}"
        );
        assert_eq!(
            properties["Tags"],
            json!([{"Key": "serverless-canary:bypass", "Value": "all at once, alarms off, hooks run"}])
        );
    }
    // The list stays, off: the next deploy turns the same alarms back on.
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"]
            ["Alarms"],
        json!([{"Name": {"Ref": "HelloErrorsAlarm"}}])
    );
    let warned: Vec<(&str, &str)> = error_codes(&plan);
    assert_eq!(
        warned,
        [
            ("functions.hello.deploymentSettings", "canary-bypassed"),
            ("functions.other.deploymentSettings", "canary-bypassed"),
        ]
    );
    let hello = &plan.diagnostics[0].message;
    assert!(
        hello.contains("instead of Linear10PercentEvery1Minute"),
        "{hello}"
    );
    assert!(
        hello.contains("its alarms (HelloErrorsAlarm) are not consulted"),
        "{hello}"
    );
    assert!(
        hello.contains("its hooks run (hook); its traffic guard is off"),
        "{hello}"
    );
    assert!(plan.error_report.is_none());
    assert!(
        plan.summary
            .lines
            .iter()
            .any(|l| l.starts_with("--canary-bypass: 2 canaried functions shift all at once")),
        "{:?}",
        plan.summary.lines
    );
}

#[test]
fn each_alias_waits_for_its_group_and_keeps_the_hooks_the_user_wrote() {
    let plan = planned(true, false);
    // The `Ref` that makes CloudFormation update the group (its bypass) before the alias.
    assert_eq!(
        update_policy(&plan, "HelloLambdaFunctionAliasLive")["DeploymentGroupName"],
        json!({"Ref": "HelloLambdaFunctionDeploymentGroup"})
    );
    // The user's hook runs; the traffic guard counts canary traffic, which a bypass has none of.
    assert_eq!(
        update_policy(&plan, "HelloLambdaFunctionAliasLive"),
        json!({
            "ApplicationName": {"Ref": "SvcdevDeploymentApplication"},
            "DeploymentGroupName": {"Ref": "HelloLambdaFunctionDeploymentGroup"},
            "BeforeAllowTrafficHook": {"Ref": "HookLambdaFunction"}
        })
    );
    assert_eq!(
        update_policy(&plan, "OtherLambdaFunctionAliasLive")["BeforeAllowTrafficHook"],
        json!({"Ref": "ServerlessCanarySmokeTestHook"})
    );
    // Nothing else changes in the alias: its dependencies stay as a normal deploy has them.
    let normal = planned(false, false);
    for alias in [
        "HelloLambdaFunctionAliasLive",
        "OtherLambdaFunctionAliasLive",
    ] {
        assert_eq!(
            plan.resources[alias]["DependsOn"], normal.resources[alias]["DependsOn"],
            "{alias}"
        );
    }
}

#[test]
fn skipping_hooks_leaves_every_hook_out_of_the_alias_update() {
    let plan = planned(true, true);
    for alias in [
        "HelloLambdaFunctionAliasLive",
        "OtherLambdaFunctionAliasLive",
    ] {
        let policy = update_policy(&plan, alias);
        assert!(
            policy.get("BeforeAllowTrafficHook").is_none(),
            "{alias}: {policy}"
        );
        assert!(
            policy.get("AfterAllowTrafficHook").is_none(),
            "{alias}: {policy}"
        );
    }
    let hello = &plan.diagnostics[0].message;
    assert!(hello.contains("its hooks are skipped (hook)"), "{hello}");
    assert_eq!(
        plan.resources["OtherLambdaFunctionDeploymentGroup"]["Properties"]["Tags"][0]["Value"],
        "all at once, alarms off, hooks skipped"
    );
}

#[test]
fn without_the_switch_the_template_is_the_normal_one() {
    let normal = plan_leaked(input(functions(), Value::Null));
    let unswitched = planned(false, false);
    assert_eq!(normal.resources, unswitched.resources);
    let bypassed = planned(true, false);
    // The bypass touches the groups and aliases only, and adds no resource.
    let keys = |plan: &Plan| plan.resources.keys().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(keys(&normal), keys(&bypassed));
    for (id, resource) in &normal.resources {
        let kind = resource["Type"].as_str().unwrap_or_default();
        if !matches!(
            kind,
            "AWS::CodeDeploy::DeploymentGroup" | "AWS::Lambda::Alias"
        ) {
            assert_eq!(resource, &bypassed.resources[id], "{id}");
        }
    }
}

#[test]
fn skipping_hooks_needs_the_bypass() {
    let plan = planned(false, true);
    assert_eq!(
        error_codes(&plan),
        [("--canary-skip-hooks", "skip-hooks-without-bypass")]
    );
    assert!(plan.error_report.is_some());
}

#[test]
fn the_deploy_reads_the_bypass_from_the_template_it_uploads() {
    let bypassed = planned(true, false);
    let mut deployed = template();
    let resources = deployed["Resources"].as_object_mut().unwrap();
    resources.extend(bypassed.resources.to_map());
    let deploy = |deployed: &Value, canary_bypass: bool| {
        bypass::deploy_bypass(&bypass::DeployInput {
            functions: functions().as_object().unwrap().clone(),
            template: deployed.clone(),
            switches: Switches {
                canary_bypass,
                canary_skip_hooks: false,
            },
        })
    };
    let said = deploy(&deployed, false);
    assert_eq!(
        said.notice.as_deref(),
        Some("this deploy bypasses the canary (--canary-bypass): hello, other shift all at once, no alarm is consulted, hooks run; CodeDeploy records it as the tag `serverless-canary:bypass` on each deployment group")
    );
    assert_eq!(said.error, None);

    // `deploy --package` of a package made without the switch: the switch cannot apply.
    let mut normal = template();
    let resources = normal["Resources"].as_object_mut().unwrap();
    resources.extend(plan(&input(functions(), Value::Null)).resources.to_map());
    assert_eq!(deploy(&normal, false), bypass::DeployBypass::default());
    let refused = deploy(&normal, true);
    assert_eq!(refused.notice, None);
    assert_eq!(refused.error.unwrap().code, Code::BypassNotPackaged);
}
