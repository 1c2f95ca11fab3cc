use serde_json::{json, Value};

use crate::plan::test_support::{canary, error_codes, run};

fn verified() -> crate::plan::Plan {
    run(
        json!({
            "hello": canary(json!({
                "type": "Canary10Percent5Minutes", "alias": "Live",
                "smokeTest": [{"name": "home", "event": {"path": "/hello"}, "expect": {"statusCode": 200}}],
                "compareToBaseline": {"errorRate": 2, "p99Ratio": 1.5, "minInvocations": 30},
                "minTraffic": 50
            })),
            "other": canary(json!({"type": "AllAtOnce", "alias": "Live", "minTraffic": 5}))
        }),
        Value::Null,
    )
}

#[test]
fn the_hooks_run_the_checks_of_each_group_from_inline_code() {
    let plan = verified();
    assert_eq!(error_codes(&plan), []);
    let smoke = &plan.resources["ServerlessCanarySmokeTestHook"]["Properties"];
    assert_eq!(smoke["FunctionName"], "CodeDeployHook_svc-dev-smoke-test");
    assert_eq!(smoke["Handler"], "index.beforeAllowTraffic");
    assert_eq!(smoke["Runtime"], "nodejs24.x");
    let code = smoke["Code"]["ZipFile"].as_str().unwrap();
    assert!(code.starts_with("'use strict';"));
    let config_of = |hook: &Value| {
        let code = hook["Code"]["ZipFile"].as_str().unwrap();
        let config = code.rsplit_once("exports.config = ").unwrap().1;
        serde_json::from_str::<Value>(config.trim_end().trim_end_matches(';')).unwrap()
    };
    assert_eq!(
        config_of(smoke),
        json!({"svc-dev-HelloLambdaFunctionDeploymentGroup": {
            "smokeTest": [{"name": "home", "event": {"path": "/hello"}, "statusCode": 200}]
        }}),
        "each hook carries only its own checks"
    );
    let guard = &plan.resources["ServerlessCanaryTrafficGuardHook"]["Properties"];
    assert_eq!(guard["Handler"], "index.afterAllowTraffic");
    assert_eq!(
        config_of(guard),
        json!({
            "svc-dev-HelloLambdaFunctionDeploymentGroup": {"minTraffic": 50},
            "svc-dev-OtherLambdaFunctionDeploymentGroup": {"minTraffic": 5}
        })
    );

    let hooks_of =
        |alias: &str| plan.resources[alias]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"].clone();
    assert_eq!(
        hooks_of("HelloLambdaFunctionAliasLive")["BeforeAllowTrafficHook"],
        json!({"Ref": "ServerlessCanarySmokeTestHook"})
    );
    assert_eq!(
        hooks_of("HelloLambdaFunctionAliasLive")["AfterAllowTrafficHook"],
        json!({"Ref": "ServerlessCanaryTrafficGuardHook"})
    );
    assert!(hooks_of("OtherLambdaFunctionAliasLive")
        .get("BeforeAllowTrafficHook")
        .is_none());
    let invoked = &plan.resources["CodeDeployServiceRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"][0];
    assert_eq!(
        invoked["Resource"],
        json!([
            {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:CodeDeployHook_svc-dev-smoke-test"},
            {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:CodeDeployHook_svc-dev-traffic-guard"}
        ])
    );
}

#[test]
fn the_log_says_what_each_release_must_prove() {
    assert_eq!(
        verified().summary.lines[0],
        "hello: Canary10Percent5Minutes through alias `Live` (HelloLambdaFunctionDeploymentGroup, 2 alarms (comparing it with the old version), smoke test: home, at least 50 invocations)"
    );
}

#[test]
fn the_hook_role_reaches_only_this_stack_and_the_functions_it_tests() {
    let plan = verified();
    let statements = &plan.resources["ServerlessCanaryVerificationRole"]["Properties"]["Policies"]
        [0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[0]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${SvcdevDeploymentApplication}/*"})
    );
    assert_eq!(
        statements[0]["Action"],
        json!([
            "codedeploy:GetDeployment",
            "codedeploy:PutLifecycleEventHookExecutionStatus"
        ]),
        "reports only to this stack's deployment groups"
    );
    assert_eq!(
        statements[1]["Resource"], "*",
        "reads that take no resource type"
    );
    assert_eq!(
        statements[2],
        json!({"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-hello:*"}]}),
        "only `hello` has smoke tests"
    );
    assert_eq!(statements[3]["Action"], json!(["cloudwatch:GetMetricData"]));
    assert_eq!(statements.as_array().unwrap().len(), 4);
}

#[test]
fn the_comparisons_are_alarms_on_the_group() {
    let plan = verified();
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"],
        json!({"Enabled": true, "Alarms": [{"Name": {"Ref": "HelloBaselineErrorRateAlarm"}}, {"Name": {"Ref": "HelloBaselineP99Alarm"}}]})
    );
    let rate = &plan.resources["HelloBaselineErrorRateAlarm"]["Properties"];
    let metrics = rate["Metrics"].as_array().unwrap();
    let returned: Vec<&Value> = metrics.iter().filter(|m| m["ReturnData"] == true).collect();
    assert_eq!(
        returned.len(),
        1,
        "CloudWatch watches exactly one expression"
    );
    assert_eq!(
        returned[0]["Expression"],
        "IF(newInvocations >= 30, 100 * newErrors / newInvocations - IF(allInvocations > newInvocations, 100 * (allErrors - newErrors) / (allInvocations - newInvocations), 0), 0)"
    );
    assert_eq!(
        (
            rate["Threshold"].as_f64(),
            rate["ComparisonOperator"].as_str()
        ),
        (Some(2.0), Some("GreaterThanThreshold"))
    );
    let dimensions = |id: &str| {
        metrics.iter().find(|m| m["Id"] == id).unwrap()["MetricStat"]["Metric"]["Dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["Name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        dimensions("newErrors"),
        ["FunctionName", "Resource", "ExecutedVersion"]
    );
    assert_eq!(dimensions("allErrors"), ["FunctionName", "Resource"]);
    crate::plan::test_support::assert_metric_math_only(rate);
    let p99 = &plan.resources["HelloBaselineP99Alarm"]["Properties"];
    assert_eq!(
        p99["Metrics"][3]["Expression"],
        "IF(newInvocations >= 30 AND aliasP99 > 0, newP99 / aliasP99, 0)"
    );
    assert_eq!(p99["Metrics"][1]["MetricStat"]["Stat"], "p99");
}

#[test]
fn hook_names_fit_lambda() {
    let long = "a".repeat(70);
    let name = crate::naming::verification_hook_name(&long, "traffic-guard");
    assert_eq!(name.len(), 64, "{name}");
    assert!(name.starts_with("CodeDeployHook_aaa") && name.ends_with("-traffic-guard"));
    assert_ne!(
        name,
        crate::naming::verification_hook_name(&"a".repeat(71), "traffic-guard")
    );
}

/// `count` canaried functions `f0`... with a smoke test each, in a template that has them.
fn with_smoke_tests(count: usize) -> crate::plan::Plan {
    let functions: serde_json::Map<String, Value> = (0..count)
        .map(|i| {
            let settings = json!({"type": "AllAtOnce", "alias": "Live",
                "smokeTest": [{"name": "ping", "event": {}}]});
            (format!("f{i}"), canary(settings))
        })
        .collect();
    let mut input = crate::plan::test_support::input(Value::Object(functions.clone()), Value::Null);
    let resources = input.template["Resources"].as_object_mut().unwrap();
    for name in functions.keys() {
        let id = crate::naming::function_logical_id(name);
        resources.insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": format!("svc-dev-{name}")}}));
        resources.insert(
            format!("{id}Version"),
            json!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
    }
    crate::plan::plan(&input)
}

#[test]
fn the_hook_role_policy_stays_within_iam() {
    let plan = with_smoke_tests(200);
    assert!(
        error_codes(&plan).contains(&(
            "functions.f0.deploymentSettings",
            "verification-policy-too-large"
        )),
        "{:?}",
        error_codes(&plan)
    );
    let role = &plan.resources["ServerlessCanaryVerificationRole"];
    let characters = super::resolved_policy_characters(role, &|_| Some("svc-dev-f100".len()));
    assert!(characters > 10_240 && characters < 200 * 90, "{characters}");
    let fewer = with_smoke_tests(100);
    assert!(
        !error_codes(&fewer)
            .iter()
            .any(|(_, code)| *code == "verification-policy-too-large"),
        "100 functions fit"
    );
}
