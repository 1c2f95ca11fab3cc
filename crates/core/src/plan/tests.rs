use serde_json::{json, Value};

use super::test_support::*;
use super::*;
use crate::source::SourceText;
use crate::template::tree::node;

#[test]
fn generates_the_peer_compatible_resources() {
    let plan = run(
        json!({
            "hello": canary(json!({"type": "Canary10Percent5Minutes", "alias": "Live", "alarms": ["HelloErrorsAlarm", {"name": "team-alarm"}], "preTrafficHook": "hook"})),
            "hook": {"handler": "h.hook"},
            "other": {"handler": "h.o", "events": [{"http": {}}]}
        }),
        Value::Null,
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let ids: Vec<&str> = plan.resources.keys().collect();
    assert_eq!(
        ids,
        [
            "SvcdevDeploymentApplication",
            "IamRoleLambdaExecutionCodeDeployHookPolicy",
            "HelloLambdaFunctionDeploymentGroup",
            "HelloLambdaFunctionAliasLive",
            "ApiGatewayMethodHelloGet",
            "HttpApiIntegrationHello",
            "HelloLambdaPermissionApiGateway",
            "HelloLambdaPermissionHttpApi",
            "CodeDeployServiceRole",
        ]
    );
    let group = &plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"];
    assert_eq!(
        group["DeploymentGroupName"],
        "svc-dev-HelloLambdaFunctionDeploymentGroup"
    );
    assert_eq!(
        group["DeploymentConfigName"],
        "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    );
    assert_eq!(
        group["AlarmConfiguration"],
        json!({"Enabled": true, "Alarms": [{"Name": {"Ref": "HelloErrorsAlarm"}}, {"Name": "team-alarm"}]})
    );
    assert_eq!(
        group["ServiceRoleArn"],
        json!({"Fn::GetAtt": ["CodeDeployServiceRole", "Arn"]})
    );

    let alias = &plan.resources["HelloLambdaFunctionAliasLive"];
    assert_eq!(
        alias["Properties"]["FunctionVersion"],
        json!({"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]})
    );
    assert_eq!(
        alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"],
        json!({
            "ApplicationName": {"Ref": "SvcdevDeploymentApplication"},
            "DeploymentGroupName": {"Ref": "HelloLambdaFunctionDeploymentGroup"},
            "BeforeAllowTrafficHook": {"Ref": "HookLambdaFunction"}
        })
    );
    assert_eq!(
        alias["DependsOn"],
        json!(["IamRoleLambdaExecutionCodeDeployHookPolicy"])
    );

    let policy = &plan.resources["IamRoleLambdaExecutionCodeDeployHookPolicy"]["Properties"];
    assert_eq!(policy["Roles"], json!([{"Ref": "IamRoleLambdaExecution"}]));
    assert_eq!(policy["PolicyName"], "svc-dev-codedeploy-hooks");
    assert_eq!(
        policy["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": ["codedeploy:PutLifecycleEventHookExecutionStatus"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${SvcdevDeploymentApplication}/*"}
        }])
    );
    let role = &plan.resources["CodeDeployServiceRole"]["Properties"];
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-hook"}]}])
    );
}

#[test]
fn stage_filter_generates_nothing() {
    let plan = plan_leaked(PlanInput {
        service: "svc".into(),
        stage: "dev".into(),
        ..input(
            json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live"}))}),
            json!({"stages": ["prod"]}),
        )
    });
    assert!(plan.resources.is_empty());
    assert!(plan.diagnostics.is_empty());
    assert!(
        plan.summary.lines[0].contains("off for stage `dev`"),
        "{:?}",
        plan.summary
    );
}

#[test]
fn a_group_may_watch_a_composite_alarm_or_another_function_s_inline_alarm() {
    // `auth` comes first and names `other`'s inline alarm, which is created after it.
    let inline =
        json!({"name": "Slow", "metric": "Duration", "threshold": 500, "statistic": "tm99"});
    let mut input = input(
        json!({
            "auth": {"handler": "h.a", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live",
                "alarms": ["OtherSlowAlarm", "TeamComposite"]}},
            "other": {"handler": "h.o", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live",
                "alarms": [inline]}},
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": ["OtherSlowAlrm"]}))
        }),
        Value::Null,
    );
    input.template["Resources"]["TeamComposite"] = node!({"Type": "AWS::CloudWatch::CompositeAlarm",
        "Properties": {"AlarmRule": "ALARM(HelloErrorsAlarm)"}});
    let plan = plan(&input);
    assert_eq!(
        error_codes(&plan),
        [(
            "functions.hello.deploymentSettings.alarms[0]",
            "unknown-alarm"
        )],
        "a logical ID neither the template nor the plugin has"
    );
    assert_eq!(
        plan.diagnostics[0].hint.as_deref(),
        Some("did you mean `OtherSlowAlarm`?")
    );
    let mut input = input;
    input.functions["hello"]["deploymentSettings"]["alarms"] = json!(["OtherSlowAlarm"]);
    let plan = super::plan(&input);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let alarms_of =
        |group: &str| plan.resources[group]["Properties"]["AlarmConfiguration"]["Alarms"].clone();
    assert_eq!(
        alarms_of("AuthLambdaFunctionDeploymentGroup"),
        json!([{"Name": {"Ref": "OtherSlowAlarm"}}, {"Name": {"Ref": "TeamComposite"}}])
    );
    assert_eq!(
        alarms_of("HelloLambdaFunctionDeploymentGroup"),
        json!([{"Name": {"Ref": "OtherSlowAlarm"}}])
    );
    assert_eq!(
        plan.resources["OtherSlowAlarm"]["Properties"]["ExtendedStatistic"],
        "tm99"
    );
}

#[test]
fn template_checks_report_missing_alarms_versions_and_collisions() {
    let mut input = input(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": ["HelloErrorAlarm", "HookLambdaFunction"]})),
            "other": {"handler": "h.o", "versionFunction": false, "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}},
            "auth": {"handler": "h.a", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}},
            "ghost": {"handler": "h.g", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}
        }),
        Value::Null,
    );
    let resources = input.template["Resources"].as_object_mut().unwrap();
    resources.shift_remove("OtherLambdaVersionJkl");
    resources.insert(
        "AuthLambdaFunctionAliasLive",
        node!({"Type": "AWS::Lambda::Alias"}),
    );
    let plan = plan(&input);
    assert_eq!(
        error_codes(&plan),
        [
            (
                "functions.hello.deploymentSettings.alarms[0]",
                "unknown-alarm"
            ),
            (
                "functions.hello.deploymentSettings.alarms[1]",
                "not-an-alarm"
            ),
            ("functions.other.versionFunction", "function-not-versioned"),
            ("functions.ghost", "function-not-in-template"),
            (
                "resources.Resources.AuthLambdaFunctionAliasLive",
                "logical-id-taken"
            ),
        ]
    );
    assert_eq!(
        plan.diagnostics[0].hint.as_deref(),
        Some("did you mean `HelloErrorsAlarm`?")
    );
    assert!(plan.error_report.is_some());
    assert!(
        !plan.resources.contains_key("AuthLambdaFunctionAliasLive"),
        "an existing logical ID is never overwritten"
    );
}

#[test]
fn a_given_role_replaces_the_generated_one() {
    let role = "arn:aws:iam::123456789012:role/deployer";
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live"}))}),
        json!({"codeDeployRole": role}),
    );
    assert!(!plan.resources.contains_key("CodeDeployServiceRole"));
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["ServiceRoleArn"],
        role
    );
}

#[test]
fn custom_level_problems_are_reported_once() {
    let plan = run(
        json!({
            "hello": canary(json!({})),
            "other": {"handler": "h.o", "deploymentSettings": {}}
        }),
        json!({"type": "Canary10Percent5Minutez", "alias": "Live"}),
    );
    assert_eq!(
        error_codes(&plan),
        [("custom.deploymentSettings.type", "unknown-deployment-type")]
    );
}

#[test]
fn no_alarms_detaches_earlier_ones() {
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live"}))}),
        Value::Null,
    );
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"],
        json!({"Enabled": false})
    );
}

#[test]
fn template_problems_are_reported_even_when_settings_have_errors() {
    let mut input = input(
        json!({"other": {"handler": "h.o", "versionFunction": false, "deploymentSettings": {
            "type": "Canary10Percent5Minutez", "alias": "Live", "alarms": ["NoSuchAlarm"]
        }}}),
        Value::Null,
    );
    input.template["Resources"]
        .as_object_mut()
        .unwrap()
        .shift_remove("OtherLambdaVersionJkl");
    assert_eq!(
        error_codes(&plan(&input)),
        [
            (
                "functions.other.deploymentSettings.type",
                "unknown-deployment-type"
            ),
            ("functions.other.versionFunction", "function-not-versioned"),
            (
                "functions.other.deploymentSettings.alarms[0]",
                "unknown-alarm"
            ),
        ]
    );
}

#[test]
fn a_role_ref_is_a_name_not_an_arn() {
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "codeDeployRole": {"Ref": "IamRoleLambdaExecution"}}))}),
        Value::Null,
    );
    assert_eq!(
        error_codes(&plan),
        [(
            "functions.hello.deploymentSettings.codeDeployRole",
            "role-ref-is-a-name"
        )]
    );
    assert_eq!(
        plan.diagnostics[0].hint.as_deref(),
        Some("use `Fn::GetAtt: [IamRoleLambdaExecution, Arn]`")
    );
}

#[test]
fn a_boundary_with_no_generated_role_is_a_warning() {
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live"}))}),
        json!({"codeDeployRole": "arn:aws:iam::123456789012:role/deployer",
               "codeDeployRolePermissionsBoundary": "arn:aws:iam::123456789012:policy/b"}),
    );
    assert_eq!(
        error_codes(&plan),
        [(
            "custom.deploymentSettings.codeDeployRolePermissionsBoundary",
            "boundary-unused"
        )]
    );
    assert!(plan.error_report.is_none());
}

#[test]
fn truncated_group_names_must_stay_distinct() {
    let stack = format!("{}-dev", "s".repeat(94));
    let plan = plan_leaked(PlanInput {
        stack_name: stack,
        ..input(
            json!({
                "hello": canary(json!({"type": "AllAtOnce", "alias": "Live"})),
                "hook": {"handler": "h.k", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}
            }),
            Value::Null,
        )
    });
    // `<stack>-HelloLambdaFunctionDeploymentGroup` and `<stack>-HookLambda...` share 100 characters.
    assert_eq!(
        error_codes(&plan),
        [("functions.hook", "group-name-collision")]
    );
}

#[test]
fn settings_read_ahead_of_the_template_plan_the_same() {
    // As the addon plans: the input alone, its settings, then the template sent apart, which
    // replaces the empty one inside the input (planned, that one would miss every function).
    let functions = json!({
        "hello": canary(json!({"type": "Canary10Percent5Minutes", "alias": "Live", "alarms": ["NoSuchAlarm"]})),
        "auth": {"handler": "h.a", "deploymentSettings": {"type": "Nope", "alias": "Live"}}
    });
    let service = json!({"stage": "dev", "stackName": "svc-dev", "functions": functions});
    let mut whole = service.clone();
    whole["template"] = template();
    let whole = whole.to_string();
    let one_step = answer_json(&PlanInput::read(&whole, None).unwrap()).unwrap();

    let mut apart = service;
    apart["template"] = json!({"Resources": {}});
    let (apart, template) = (apart.to_string(), template().to_string());
    let mut input = PlanInput::read_service(&apart).unwrap();
    let settings = input.read_settings();
    input.read_template(&template).unwrap();
    let plan = plan_with(&input, settings);
    let two_steps = serde_json::to_string(&PlanAnswer::new(&input, &plan)).unwrap();

    assert_eq!(two_steps, one_step);
    let codes = error_codes(&plan);
    assert!(codes.contains(&(
        "functions.auth.deploymentSettings.type",
        "unknown-deployment-type"
    )));
    assert!(codes.contains(&(
        "functions.hello.deploymentSettings.alarms[0]",
        "unknown-alarm"
    )));
}

#[test]
fn the_error_report_lists_every_error_and_no_warning() {
    let plan = run(
        json!({"hello": {"handler": "h.h", "events": [{"sqs": "arn"}], "deploymentSettings": {"type": "Nope", "alias": "1"}}}),
        Value::Null,
    );
    assert_eq!(
        plan.error_report.as_deref(),
        Some("serverless-canary found 2 problems in deploymentSettings:\n  error[unknown-deployment-type] functions.hello.deploymentSettings.type: unknown deployment type `Nope` (use AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{name: <config>}`)\n  error[invalid-alias] functions.hello.deploymentSettings.alias: alias `1` is not a valid Lambda alias name: all-digit names are reserved for versions (e.g. `Live` or `prod-v2`)")
    );
}

#[test]
fn custom_types_get_one_shared_config_and_groups_reference_it() {
    let plan = run(
        json!({
            "hello": canary(json!({"type": "Canary5Percent20Minutes", "alias": "Live"})),
            "auth": {"handler": "h.a", "deploymentSettings": {"type": "Canary5Percent20Minutes", "alias": "Live"}},
            "other": {"handler": "h.o", "deploymentSettings": {"type": "Linear20PercentEvery1Minutes", "alias": "Live"}},
            "hook": {"handler": "h.k", "deploymentSettings": {"type": "CodeDeployDefault.LambdaAllAtOnce", "alias": "Live"}}
        }),
        Value::Null,
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let configs: Vec<&str> = plan
        .resources
        .keys()
        .filter(|id| id.ends_with("DeploymentConfig"))
        .collect();
    assert_eq!(
        configs,
        [
            "Canary5Percent20MinutesDeploymentConfig",
            "Linear20PercentEvery1MinuteDeploymentConfig"
        ]
    );
    assert_eq!(
        plan.resources["Canary5Percent20MinutesDeploymentConfig"],
        json!({"Type": "AWS::CodeDeploy::DeploymentConfig", "Properties": {"ComputePlatform": "Lambda",
            "TrafficRoutingConfig": {"Type": "TimeBasedCanary", "TimeBasedCanary": {"CanaryPercentage": 5, "CanaryInterval": 20}}}})
    );
    assert_eq!(
        plan.resources["Linear20PercentEvery1MinuteDeploymentConfig"]["Properties"]
            ["TrafficRoutingConfig"],
        json!({"Type": "TimeBasedLinear", "TimeBasedLinear": {"LinearPercentage": 20, "LinearInterval": 1}})
    );
    let config_of = |group: &str| &plan.resources[group]["Properties"]["DeploymentConfigName"];
    for group in [
        "HelloLambdaFunctionDeploymentGroup",
        "AuthLambdaFunctionDeploymentGroup",
    ] {
        assert_eq!(
            config_of(group),
            &json!({"Ref": "Canary5Percent20MinutesDeploymentConfig"})
        );
    }
    assert_eq!(
        config_of("HookLambdaFunctionDeploymentGroup"),
        "CodeDeployDefault.LambdaAllAtOnce"
    );
}

#[test]
fn an_existing_config_is_used_by_name() {
    let plan = run(
        json!({"hello": canary(json!({"type": {"name": "team-canary.v2"}, "alias": "Live"}))}),
        Value::Null,
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["DeploymentConfigName"],
        "team-canary.v2"
    );
    assert!(!plan
        .resources
        .keys()
        .any(|id| id.ends_with("DeploymentConfig")));
    assert!(plan.summary.lines[0].starts_with("hello: team-canary.v2 through alias"));
}

#[test]
fn type_limits_name_the_limit_broken() {
    let plan = run(
        json!({
            "hello": canary(json!({"type": "Linear1PercentEvery30Minutes", "alias": "Live"})),
            "auth": {"handler": "h.a", "deploymentSettings": {"type": "Canary0Percent5Minutes", "alias": "Live"}},
            "other": {"handler": "h.o", "deploymentSettings": {"type": {"name": "bad name!"}, "alias": "Live"}},
            "hook": {"handler": "h.k", "deploymentSettings": {"type": "CodeDeployDefault.OneAtATime", "alias": "Live"}}
        }),
        Value::Null,
    );
    let messages: Vec<String> = plan.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "error[type-out-of-range] functions.hello.deploymentSettings.type: `Linear1PercentEvery30Minutes` would shift traffic for 2970 minutes; a Lambda deployment may shift for at most 2880 (48 hours) (use a larger percentage or a shorter interval)",
            "error[type-out-of-range] functions.auth.deploymentSettings.type: `Canary0Percent5Minutes` shifts 0%; CodeDeploy accepts 1 to 99 percent per step (use a percentage from 1 to 99)",
            "error[invalid-config-name] functions.other.deploymentSettings.type.name: `bad name!` is not a valid CodeDeploy deployment config name (use 1 to 100 letters, digits or `+=,.@_-`)",
            "error[not-a-lambda-config] functions.hook.deploymentSettings.type: `CodeDeployDefault.OneAtATime` is not one of CodeDeploy's predefined Lambda configurations (use a short name (AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes), a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{name: <config>}` for a config you created)",
        ]
    );
}

#[test]
fn inline_alarms_are_scoped_to_the_canary_unless_widened() {
    let definition = |name: &str, scope: &str| json!({"name": name, "metric": "Errors", "threshold": 3, "scope": scope});
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": [
            {"name": "CanaryCheck", "namespace": "AWS/Lambda", "metric": "Errors", "threshold": 3,
             "statistic": "Sum", "period": 60, "evaluationPeriods": 1, "comparisonOperator": "GreaterThanOrEqualToThreshold"},
            definition("AliasErrors", "alias"),
            definition("AllErrors", "function"),
            "HelloErrorsAlarm",
            {"name": "team-alarm"},
            {"name": "Slow", "metric": "Duration", "statistic": "p99", "threshold": 800, "datapointsToAlarm": 2, "evaluationPeriods": 3, "description": "p99 latency"}
        ]}))}),
        Value::Null,
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let function_name = json!({"Ref": "HelloLambdaFunction"});
    let by_name = json!({"Name": "FunctionName", "Value": function_name});
    let by_alias =
        json!({"Name": "Resource", "Value": {"Fn::Join": [":", [function_name, "Live"]]}});
    let by_version = json!({"Name": "ExecutedVersion", "Value": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]}});
    assert_eq!(
        plan.resources["HelloCanaryCheckAlarm"],
        json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "Namespace": "AWS/Lambda", "MetricName": "Errors", "Threshold": 3, "Period": 60,
            "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching", "Statistic": "Sum",
            "Dimensions": [by_name, by_alias, by_version]
        }})
    );
    let dimensions = |id: &str| &plan.resources[id]["Properties"]["Dimensions"];
    assert_eq!(
        dimensions("HelloAliasErrorsAlarm"),
        &json!([by_name, by_alias])
    );
    assert_eq!(dimensions("HelloAllErrorsAlarm"), &json!([by_name]));
    let slow = &plan.resources["HelloSlowAlarm"]["Properties"];
    assert_eq!(slow["ExtendedStatistic"], "p99");
    assert!(
        slow.get("Statistic").is_none(),
        "Statistic xor ExtendedStatistic"
    );
    assert_eq!(
        (&slow["DatapointsToAlarm"], &slow["AlarmDescription"]),
        (&node!(2), &node!("p99 latency"))
    );
    assert_eq!(
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"]
            ["Alarms"],
        json!([
            {"Name": {"Ref": "HelloCanaryCheckAlarm"}}, {"Name": {"Ref": "HelloAliasErrorsAlarm"}},
            {"Name": {"Ref": "HelloAllErrorsAlarm"}}, {"Name": {"Ref": "HelloErrorsAlarm"}},
            {"Name": "team-alarm"}, {"Name": {"Ref": "HelloSlowAlarm"}}
        ])
    );
}

#[test]
fn duplicate_inline_alarm_names_are_an_error() {
    let alarm = json!({"name": "Check", "metric": "Errors", "threshold": 1});
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": [alarm, alarm]}))}),
        Value::Null,
    );
    assert_eq!(
        error_codes(&plan),
        [(
            "functions.hello.deploymentSettings.alarms[1].name",
            "duplicate-alarm-name"
        )]
    );
}

#[test]
fn error_rate_alarms_use_metric_math_over_the_canary() {
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": [
            {"name": "ErrorRate", "metric": "ErrorRate", "threshold": 5, "evaluationPeriods": 2, "datapointsToAlarm": 2}
        ]}))}),
        Value::Null,
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let dimensions = json!([
        {"Name": "FunctionName", "Value": {"Ref": "HelloLambdaFunction"}},
        {"Name": "Resource", "Value": {"Fn::Join": [":", [{"Ref": "HelloLambdaFunction"}, "Live"]]}},
        {"Name": "ExecutedVersion", "Value": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]}}
    ]);
    let stat = |id: &str, metric: &str| {
        json!({"Id": id, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dimensions},
            "Period": 60, "Stat": "Sum"}, "ReturnData": false})
    };
    assert_eq!(
        plan.resources["HelloErrorRateAlarm"]["Properties"],
        json!({
            "Metrics": [
                stat("errors", "Errors"),
                stat("invocations", "Invocations"),
                {"Id": "errorRate", "Expression": "IF(invocations > 0, 100 * errors / invocations, 0)", "Label": "Error rate (%)", "ReturnData": true}
            ],
            "Threshold": 5, "EvaluationPeriods": 2, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching", "DatapointsToAlarm": 2
        })
    );
}

#[test]
fn rollback_events_are_configurable() {
    let rollback = |settings: Value| {
        let plan = run(json!({"hello": canary(settings)}), Value::Null);
        assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
        plan.resources["HelloLambdaFunctionDeploymentGroup"]["Properties"]
            ["AutoRollbackConfiguration"]
            .clone()
    };
    assert_eq!(
        rollback(json!({"type": "AllAtOnce", "alias": "Live"})),
        json!({"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]})
    );
    assert_eq!(
        rollback(
            json!({"type": "AllAtOnce", "alias": "Live", "rollbackOn": ["stopRequest", "failure"]})
        ),
        json!({"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"]})
    );
    assert_eq!(
        rollback(json!({"type": "AllAtOnce", "alias": "Live", "rollbackOn": []})),
        json!({"Enabled": false})
    );
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "rollbackOn": ["alarms"]}))}),
        Value::Null,
    );
    assert_eq!(plan.diagnostics[0].to_string(), "error[not-accepted] functions.hello.deploymentSettings.rollbackOn[0]: `alarms` is not accepted (did you mean `alarm`?)");
}

#[test]
fn names_that_give_the_same_logical_id_are_refused_not_overwritten() {
    let plan = run(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": [
            {"name": "Check-1", "metric": "Errors", "threshold": 1},
            {"name": "Check1", "metric": "Throttles", "threshold": 1}
        ]}))}),
        Value::Null,
    );
    assert_eq!(
        error_codes(&plan),
        [(
            "functions.hello.deploymentSettings.alarms[1].name",
            "generated-id-repeated"
        )]
    );
    assert_eq!(
        plan.diagnostics[0].message,
        "this would create `HelloCheck1Alarm` a second time; the first is `functions.hello.deploymentSettings.alarms[0].name`",
        "both settings are named"
    );
    assert!(
        !plan.resources.contains_key("HelloCheck1Alarm"),
        "neither replaces the other"
    );
}

#[test]
fn each_problem_points_at_where_it_was_written() {
    let text = "service: svc\nfunctions:\n  hello:\n    handler: h.h\n    deploymentSettings:\n      type: Canary10Percent5Minutez\n      alias: Live\n  other:\n    handler: h.h\n    deploymentSettings:\n      type: AllAtOnce\n";
    let plan = plan_leaked(PlanInput {
        source: Some(SourceText {
            file: "serverless.yml".into(),
            text: text.into(),
        }),
        ..input(
            json!({
                "hello": canary(json!({"type": "Canary10Percent5Minutez", "alias": "Live"})),
                "other": canary(json!({"type": "AllAtOnce"}))
            }),
            Value::Null,
        )
    });
    let lines: Vec<_> = plan
        .diagnostics
        .iter()
        .map(|d| {
            d.to_string()
                .split(" (")
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "serverless.yml:6:13: error[unknown-deployment-type] functions.hello.deploymentSettings.type: unknown deployment type `Canary10Percent5Minutez`",
            // A missing key points at the block that lacks it.
            "serverless.yml:10:5: error[missing-key] functions.other.deploymentSettings: `alias` is required for a canary deployment",
        ]
    );
}

#[test]
fn every_generated_logical_id_is_checked_against_cloudformation_s_limit() {
    // A hook's policy is named after the role it runs with: a role name of 64 characters (IAM's
    // most) spells out to more than CloudFormation allows.
    let role = "a_".repeat(32);
    let mut input = input(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "preTrafficHook": "hook"})),
            "hook": {"handler": "h.h"}
        }),
        Value::Null,
    );
    input.template["Resources"]["HookLambdaFunction"]["Properties"]["Role"] =
        node!(format!("arn:aws:iam::123456789012:role/{role}"));
    let plan = plan(&input);
    assert_eq!(
        error_codes(&plan),
        [("functions.hook.role", "logical-id-too-long")]
    );
    assert!(plan.diagnostics[0].message.contains("372 characters long"));
}

#[test]
fn an_overlong_custom_alias_is_one_error_and_none_where_canaries_are_off() {
    let alias = "a_".repeat(60);
    let functions = json!({
        "hello": canary(json!({})),
        "other": {"handler": "h.o", "deploymentSettings": {}}
    });
    let plan = run(
        functions.clone(),
        json!({"type": "AllAtOnce", "alias": alias}),
    );
    assert_eq!(
        error_codes(&plan),
        [("custom.deploymentSettings.alias", "logical-id-too-long")]
    );
    assert!(plan.resources.is_empty());
    let off = run(
        functions,
        json!({"type": "AllAtOnce", "alias": alias, "stages": ["prod"]}),
    );
    assert!(off.diagnostics.is_empty(), "{:?}", off.diagnostics);
}

#[test]
fn a_hook_whose_role_cannot_be_known_is_warned_about_and_gets_no_policy() {
    let mut input = input(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "preTrafficHook": "hook"})),
            "hook": {"handler": "h.h"}
        }),
        Value::Null,
    );
    input.template["Resources"]["HookLambdaFunction"]["Properties"]["Role"] =
        node!({"Fn::ImportValue": "shared-hook-role"});
    let plan = plan(&input);
    assert_eq!(
        error_codes(&plan),
        [("functions.hook.role", "hook-role-unknown")]
    );
    assert_eq!(plan.diagnostics[0].severity, Severity::Warning);
    assert!(plan.error_report.is_none(), "packaging goes on");
    assert!(!plan
        .resources
        .keys()
        .any(|id| id.ends_with("CodeDeployHookPolicy")));
}

#[test]
fn a_template_sent_apart_is_planned_as_one_sent_inside_the_input() {
    let settings = json!({"service": "svc", "stage": "dev", "stackName": "svc-dev", "functions": {
        "hello": canary(json!({"type": "Canary10Percent5Minutes", "alias": "Live"}))
    }});
    let mut inside = settings.clone();
    inside["template"] = template();
    let (inside, settings, template) = (
        inside.to_string(),
        settings.to_string(),
        template().to_string(),
    );
    let answer = |input: PlanInput| answer_json(&input).unwrap();
    let one = answer(PlanInput::read(&inside, None).unwrap());
    let apart = answer(PlanInput::read(&settings, Some(&template)).unwrap());
    assert_eq!(one, apart);
    assert!(one.contains("\"HelloLambdaFunctionAliasLive\""), "{one}");

    let broken = PlanInput::read(&settings, Some("{\"Resources\": ")).unwrap_err();
    assert!(broken.starts_with("the template: EOF"), "{broken}");
    let no_input = PlanInput::read("{", Some(&template)).unwrap_err();
    assert!(no_input.starts_with("EOF"), "{no_input}");
    let no_template = PlanInput::read(&settings, None).unwrap_err();
    assert_eq!(no_template, "missing field `template`");
}
