use serde_json::{json, Value};

use crate::plan::test_support::{canary, error_codes, run};
use crate::template::tree::{node, Node};

fn verified() -> crate::plan::Plan<'static> {
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
    let config_of = |hook: &Node| config_of(hook["Code"]["ZipFile"].as_str().unwrap());
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

/// The config at the end of the hook's code: the JSON text in `JSON.parse('...')`, unescaped
/// as JavaScript reads a single-quoted string.
fn config_of(code: &str) -> Value {
    let body = code
        .rsplit_once("exports.config = JSON.parse('")
        .unwrap()
        .1
        .strip_suffix("');\n")
        .unwrap();
    let mut text = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next().unwrap() {
            'n' => text.push('\n'),
            'r' => text.push('\r'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                text.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            escaped => text.push(escaped),
        }
    }
    serde_json::from_str(&text).unwrap()
}

#[test]
fn events_reach_the_hook_as_written_whatever_their_keys_and_text() {
    let event = json!({
        "__proto__": {"admin": true},
        "constructor": {"prototype": 1},
        "quote's \\ \"both\"": "line\nbreak \u{2028} é ✓ 😀",
        "nested": [[1, -2.5, 1e21, 9007199254740993_u64], [], {}],
        "10": "integer-like key, written after the others"
    });
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live",
            "smokeTest": [{"event": event}]}))}),
        Value::Null,
    );
    assert_eq!(error_codes(&plan), []);
    let code = plan.resources["ServerlessCanarySmokeTestHook"]["Properties"]["Code"]["ZipFile"]
        .as_str()
        .unwrap();
    let config = config_of(code);
    let test = &config["svc-dev-HelloLambdaFunctionDeploymentGroup"]["smokeTest"][0];
    assert_eq!(test["name"], "smokeTest[0]", "named by its position");
    assert_eq!(
        test["event"].to_string(),
        event.to_string(),
        "the same JSON, key order included"
    );
}

/// A plan of `hello` with `settings`, and the bytes of its smoke-test hook's code as the
/// template holds it.
fn hook_bytes(settings: Value, custom: Value) -> (crate::plan::Plan<'static>, usize) {
    let plan = run(json!({"hello": canary(settings)}), custom);
    let code = &plan.resources["ServerlessCanarySmokeTestHook"]["Properties"]["Code"]["ZipFile"];
    let bytes = serde_json::to_string(code).unwrap().len();
    (plan, bytes)
}

#[test]
fn the_hook_code_must_fit_one_template() {
    let limit = crate::limits::SMOKE_TEST_HOOK_CODE_BYTES.value as usize;
    let with_event = |text: &str| {
        json!({"type": "AllAtOnce", "alias": "Live",
            "smokeTest": [{"name": "small", "event": 1}, {"name": "large", "event": text}]})
    };
    let (_, empty) = hook_bytes(with_event(""), Value::Null);
    let (plan, at_limit) = hook_bytes(with_event(&"x".repeat(limit - empty)), Value::Null);
    assert_eq!(at_limit, limit);
    assert_eq!(
        error_codes(&plan),
        [("service", "template-too-large")],
        "the hook fits a template of its own: what is too large is this stack's"
    );

    let length = limit - empty + 1;
    let (plan, over) = hook_bytes(with_event(&"x".repeat(length)), Value::Null);
    assert_eq!(
        error_codes(&plan),
        [(
            "functions.hello.deploymentSettings.smokeTest[1].event",
            "smoke-test-hook-too-large"
        )],
        "the event that takes the most, and no template-size warning beside it"
    );
    assert_eq!(
        plan.diagnostics[0].message,
        format!("this event takes {} bytes of the smoke-test hook's inline code, which holds the events of every function with `smokeTest` and would be 1,048,577 bytes; CloudFormation reads at most 1,048,576 bytes (1 MB) of template, and no plugin can split one function's code across stacks", crate::numbers::thousands(length as u64 + 4)),
        "the event's bytes count its quotes, `\\\"` in the template"
    );
    assert_eq!(over, limit + 1);

    // Characters JavaScript and the template both escape count twice over: `\` is four bytes.
    let (plan, _) = hook_bytes(
        with_event(&"\\".repeat((limit - empty) / 4 + 1)),
        Value::Null,
    );
    assert_eq!(error_codes(&plan).len(), 1);
}

#[test]
fn a_default_event_counts_once_per_function_that_uses_it() {
    let custom = json!({"smokeTest": [{"name": "home", "event": "x".repeat(400_000)}]});
    let plan = run(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live"})),
            "auth": canary(json!({"type": "AllAtOnce", "alias": "Live"})),
            "other": canary(json!({"type": "AllAtOnce", "alias": "Live",
                "smokeTest": [{"event": "y".repeat(300_000)}]}))
        }),
        custom,
    );
    assert_eq!(
        error_codes(&plan),
        [(
            "custom.deploymentSettings.smokeTest[0].event",
            "smoke-test-hook-too-large"
        )]
    );
    assert!(
        plan.diagnostics[0]
            .message
            .starts_with("this event takes 800,008 bytes"),
        "{}",
        plan.diagnostics[0].message
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
    let returned: Vec<&Node> = metrics.iter().filter(|m| m["ReturnData"] == true).collect();
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
fn with_smoke_tests(count: usize) -> crate::plan::Plan<'static> {
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
        resources.insert(id.clone(), node!({"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": format!("svc-dev-{name}")}}));
        resources.insert(
            format!("{id}Version"),
            node!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
    }
    crate::plan::test_support::plan_leaked(input)
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
    let characters =
        super::resolved_policy_characters(&role.to_value(), &|_| Some("svc-dev-f100".len()));
    assert!(characters > 10_240 && characters < 200 * 90, "{characters}");
    let fewer = with_smoke_tests(100);
    assert!(
        !error_codes(&fewer)
            .iter()
            .any(|(_, code)| *code == "verification-policy-too-large"),
        "100 functions fit"
    );
}
