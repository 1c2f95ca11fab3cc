use serde_json::{json, Value};

use super::*;

/// What the Framework compiles for `hello` (http + httpApi events), `auth` (REST authorizer),
/// `hook` and `other`, trimmed to the properties the plugin reads.
fn template() -> Value {
    let function = |name: &str| {
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": format!("svc-dev-{name}"),
            "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}
        }})
    };
    let version = |id: &str| json!({"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain", "Properties": {"FunctionName": {"Ref": id}}});
    let uri = |id: &str| {
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
            ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": [id, "Arn"]}, "/invocations"]]})
    };
    let permission = |id: &str, api: &str| {
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": [id, "Arn"]},
            "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":", {"Ref": api}, "/*/*"]]}
        }})
    };
    json!({"Resources": {
        "IamRoleLambdaExecution": {"Type": "AWS::IAM::Role", "Properties": {}},
        "HelloLambdaFunction": function("hello"),
        "HelloLambdaVersionAbc": version("HelloLambdaFunction"),
        "AuthLambdaFunction": function("auth"),
        "AuthLambdaVersionDef": version("AuthLambdaFunction"),
        "HookLambdaFunction": function("hook"),
        "HookLambdaVersionGhi": version("HookLambdaFunction"),
        "OtherLambdaFunction": function("other"),
        "OtherLambdaVersionJkl": version("OtherLambdaFunction"),
        "ApiGatewayMethodHelloGet": {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": {"Ref": "ApiGatewayRestApi"}, "Integration": {"Type": "AWS_PROXY", "Uri": uri("HelloLambdaFunction")}}},
        "ApiGatewayMethodOtherGet": {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": {"Ref": "ApiGatewayRestApi"}, "Integration": {"Type": "AWS_PROXY", "Uri": uri("OtherLambdaFunction")}}},
        "AuthApiGatewayAuthorizer": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {
            "RestApiId": {"Ref": "ApiGatewayRestApi"}, "AuthorizerUri": uri("AuthLambdaFunction")}},
        "HelloLambdaPermissionApiGateway": permission("HelloLambdaFunction", "ApiGatewayRestApi"),
        "OtherLambdaPermissionApiGateway": permission("OtherLambdaFunction", "ApiGatewayRestApi"),
        "AuthLambdaPermissionApiGateway": permission("AuthLambdaFunction", "ApiGatewayRestApi"),
        "HttpApiIntegrationHello": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
            "ApiId": {"Ref": "HttpApi"}, "IntegrationUri": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
        "HelloLambdaPermissionHttpApi": permission("HelloLambdaFunction", "HttpApi"),
        "HelloErrorsAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {}}
    }})
}

fn input(functions: Value, custom: Value) -> PlanInput {
    PlanInput {
        stage: "dev".into(),
        stack_name: "svc-dev".into(),
        custom: (!custom.is_null()).then_some(custom),
        functions: functions.as_object().unwrap().clone(),
        template: template(),
        source: None,
        minify_template: false,
    }
}

fn canary(settings: Value) -> Value {
    json!({"handler": "h.h", "events": [{"http": {}}, {"httpApi": {}}], "deploymentSettings": settings})
}

fn run(functions: Value, custom: Value) -> Plan {
    plan(&input(functions, custom))
}

fn error_codes(plan: &Plan) -> Vec<(&str, &str)> {
    plan.diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.code.as_str()))
        .collect()
}

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
    let ids: Vec<&str> = plan.resources.keys().map(String::as_str).collect();
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
        json!([{"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [{"Fn::GetAtt": ["HookLambdaFunction", "Arn"]}]}])
    );
}

#[test]
fn invokers_and_their_permissions_move_together_and_others_stay() {
    let plan = run(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live"})),
            "other": {"handler": "h.o", "events": [{"http": {}}]}
        }),
        Value::Null,
    );
    let uri = &plan.resources["ApiGatewayMethodHelloGet"]["Properties"]["Integration"]["Uri"]
        ["Fn::Join"][1];
    assert_eq!(uri[5], json!({"Ref": "HelloLambdaFunctionAliasLive"}));
    assert_eq!(
        uri[1],
        json!({"Ref": "AWS::Partition"}),
        "partition stays an intrinsic"
    );
    assert_eq!(
        plan.resources["HttpApiIntegrationHello"]["Properties"]["IntegrationUri"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
    for permission in [
        "HelloLambdaPermissionApiGateway",
        "HelloLambdaPermissionHttpApi",
    ] {
        assert_eq!(
            plan.resources[permission]["Properties"]["FunctionName"],
            json!({"Ref": "HelloLambdaFunctionAliasLive"})
        );
    }
    for untouched in [
        "ApiGatewayMethodOtherGet",
        "OtherLambdaPermissionApiGateway",
        "AuthApiGatewayAuthorizer",
    ] {
        assert!(
            !plan.resources.contains_key(untouched),
            "{untouched} must not change"
        );
    }
}

#[test]
fn a_canaried_authorizer_is_called_through_its_alias() {
    let plan = run(
        json!({"auth": {"handler": "h.a", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}),
        Value::Null,
    );
    assert_eq!(
        plan.resources["AuthApiGatewayAuthorizer"]["Properties"]["AuthorizerUri"]["Fn::Join"][1][5],
        json!({"Ref": "AuthLambdaFunctionAliasLive"})
    );
    assert_eq!(
        plan.resources["AuthLambdaPermissionApiGateway"]["Properties"]["FunctionName"],
        json!({"Ref": "AuthLambdaFunctionAliasLive"})
    );
}

#[test]
fn stage_filter_generates_nothing() {
    let plan = plan(&PlanInput {
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
    resources.remove("OtherLambdaVersionJkl");
    resources.insert(
        "AuthLambdaFunctionAliasLive".into(),
        json!({"Type": "AWS::Lambda::Alias"}),
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

/// Plans `hello` as a canary over the test template plus `extra` resources.
fn run_with(extra: Value) -> Plan {
    run_with_outputs(extra, Value::Null)
}

#[test]
fn references_the_plugin_cannot_route_are_named_and_packaging_goes_on() {
    let plan = run_with(json!({
        "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionSubstitutions": {"Worker": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}}},
        "ExternalCaller": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"}, "Action": "lambda:InvokeFunction",
            "Principal": "alexa-appkit.amazon.com", "EventSourceToken": "amzn1.ask.skill.1"}},
        "Pinned": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda", "TopicArn": "arn:aws:sns:us-east-1:1:t",
            "Endpoint": {"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "7"]]}}}
    }));
    assert_eq!(
        error_codes(&plan),
        [
            ("functions.hello", "reference-not-routed"),
            ("functions.hello", "caller-outside-stack"),
        ]
    );
    assert!(plan.diagnostics[0].message.contains(
        "`Machine` names the bare function `hello` at Properties.DefinitionSubstitutions.Worker"
    ));
    assert!(plan.error_report.is_none());
    for untouched in ["Machine", "ExternalCaller", "Pinned"] {
        assert!(
            !plan.resources.contains_key(untouched),
            "{untouched} is left as written"
        );
    }
}

#[test]
fn the_canary_alias_takes_over_the_framework_provisioned_concurrency_alias() {
    let joined =
        json!({"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "provisioned"]]});
    let plan = run_with(json!({
        "HelloProvConcLambdaAlias": {"Type": "AWS::Lambda::Alias", "DependsOn": "HelloLambdaFunction", "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"}, "Name": "provisioned",
            "FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]},
            "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2}}},
        "HelloEventSourceMappingSQSJobs": {"Type": "AWS::Lambda::EventSourceMapping",
            "DependsOn": ["IamRoleLambdaExecution", "HelloProvConcLambdaAlias"],
            "Properties": {"EventSourceArn": "arn:aws:sqs:us-east-1:1:jobs", "FunctionName": joined}},
        "HelloLambdaEvConf": {"Type": "AWS::Lambda::EventInvokeConfig", "DependsOn": "HelloProvConcLambdaAlias",
            "Properties": {"FunctionName": {"Ref": "HelloLambdaFunction"}, "Qualifier": "provisioned", "MaximumRetryAttempts": 0}}
    }));
    assert_eq!(error_codes(&plan), []);
    assert_eq!(plan.removed, ["HelloProvConcLambdaAlias"]);
    let alias = &plan.resources["HelloLambdaFunctionAliasLive"];
    assert_eq!(
        alias["Properties"]["ProvisionedConcurrencyConfig"],
        json!({"ProvisionedConcurrentExecutions": 2})
    );
    let mapping = &plan.resources["HelloEventSourceMappingSQSJobs"];
    assert_eq!(
        mapping["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
    assert_eq!(
        mapping["DependsOn"],
        json!(["IamRoleLambdaExecution"]),
        "the Ref orders it after the alias"
    );
    let config = &plan.resources["HelloLambdaEvConf"];
    assert_eq!(config["Properties"]["Qualifier"], "Live");
    assert_eq!(config["DependsOn"], json!(["HelloLambdaFunctionAliasLive"]));
}

/// [`run_with`], with `outputs` as the template's Outputs.
fn run_with_outputs(extra: Value, outputs: Value) -> Plan {
    let mut input = input(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live"}))}),
        Value::Null,
    );
    let resources = input.template["Resources"].as_object_mut().unwrap();
    resources.extend(extra.as_object().unwrap().clone());
    input.template["Outputs"] = outputs;
    plan(&input)
}

/// A public function URL of `hello`, with its permission, as the Framework compiles `url: true`.
fn public_url() -> Value {
    json!({
        "HelloLambdaFunctionUrl": {"Type": "AWS::Lambda::Url", "Properties": {
            "AuthType": "NONE", "TargetFunctionArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
        "HelloLambdaPermissionFnUrl": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunctionUrl",
            "Principal": "*", "FunctionUrlAuthType": "NONE"}}
    })
}

fn provisioned_alias() -> Value {
    json!({"Type": "AWS::Lambda::Alias", "Properties": {
        "FunctionName": {"Ref": "HelloLambdaFunction"}, "Name": "provisioned",
        "FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]}}})
}

#[test]
fn only_call_targets_move_other_properties_naming_the_function_stay() {
    let arn = json!({"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]});
    let plan = run_with(json!({
        "Watcher": {"Type": "AWS::Events::Rule", "Properties": {
            "EventPattern": {"resources": [arn]},
            "Targets": [{"Id": "topic", "Arn": "arn:aws:sns:us-east-1:1:t"}]}},
        "HelloErrors": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "HelloLambdaFunction"}}],
            "AlarmActions": [arn]}},
        "AlarmPermission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": arn, "Action": "lambda:InvokeFunction",
            "Principal": "lambda.alarms.cloudwatch.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["HelloErrors", "Arn"]}}}
    }));
    assert_eq!(error_codes(&plan), []);
    assert!(
        !plan.resources.contains_key("Watcher"),
        "an event pattern is not a call"
    );
    let alarm = &plan.resources["HelloErrors"]["Properties"];
    assert_eq!(
        alarm["AlarmActions"][0],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
    assert_eq!(
        alarm["Dimensions"][0]["Value"],
        json!({"Ref": "HelloLambdaFunction"})
    );
    assert_eq!(
        plan.resources["AlarmPermission"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}

#[test]
fn a_permission_narrowed_to_callers_elsewhere_stays_on_the_function() {
    let mut extra = public_url();
    extra.as_object_mut().unwrap().extend(json!({
        "OrgPermission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunctionUrl",
            "Principal": "*", "PrincipalOrgID": "o-123", "FunctionUrlAuthType": "NONE"}},
        "ReadOnly": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:GetFunction",
            "Principal": "apigateway.amazonaws.com"}}
    }).as_object().unwrap().clone());
    let plan = run_with(extra);
    assert_eq!(
        error_codes(&plan),
        [
            ("functions.hello", "caller-outside-stack"),
            ("functions.hello", "caller-outside-stack"),
        ]
    );
    assert!(plan.resources.contains_key("HelloLambdaPermissionFnUrl"));
    assert!(!plan.resources.contains_key("OrgPermission"));
    assert!(!plan.resources.contains_key("ReadOnly"));
}

#[test]
fn a_permission_written_as_fn_sub_moves_with_its_invoker() {
    let plan = run_with(json!({
        "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda",
            "TopicArn": {"Ref": "Topic"}, "Endpoint": {"Fn::Sub": ["${Fn}", {"Fn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]}}},
        "SubPermission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::Sub": "${HelloLambdaFunction.Arn}"}, "Action": "lambda:InvokeFunction",
            "Principal": "sns.amazonaws.com", "SourceArn": {"Ref": "Topic"}}},
        "Odd": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::Join": ["", [{"Ref": "HelloLambdaFunction"}]]}, "Action": "lambda:InvokeFunction",
            "Principal": "sns.amazonaws.com", "SourceArn": {"Ref": "Topic"}}}
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "reference-not-routed")]
    );
    assert!(plan.diagnostics[0].message.contains("`Odd`"));
    assert_eq!(
        plan.resources["Subscription"]["Properties"]["Endpoint"],
        json!({"Fn::Sub": ["${Fn}", {"Fn": {"Ref": "HelloLambdaFunctionAliasLive"}}]}),
        "the list form of Fn::Sub is rewritten too"
    );
    assert_eq!(
        plan.resources["SubPermission"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}

#[test]
fn a_schedule_role_must_allow_the_alias() {
    let schedule = |role: &str| {
        json!({"Type": "AWS::Scheduler::Schedule", "Properties": {"ScheduleExpression": "rate(1 hour)",
            "Target": {"Arn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "RoleArn": {"Fn::GetAtt": [role, "Arn"]}}}})
    };
    let role = |resource: Value| {
        json!({"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [resource]}]}}]}})
    };
    let plan = run_with(json!({
        "Bare": schedule("BareRole"),
        "BareRole": role(json!({"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]})),
        "Covered": schedule("CoveredRole"),
        "CoveredRole": role(json!({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-hello:*"}))
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "role-may-deny-alias")]
    );
    assert!(plan.diagnostics[0].message.contains("`Bare`"));
    for schedule in ["Bare", "Covered"] {
        assert_eq!(
            plan.resources[schedule]["Properties"]["Target"]["Arn"],
            json!({"Ref": "HelloLambdaFunctionAliasLive"})
        );
    }
}

#[test]
fn a_qualifier_the_user_chose_stays() {
    let plan = run_with(json!({
        "BetaConfig": {"Type": "AWS::Lambda::EventInvokeConfig", "DependsOn": null, "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"}, "Qualifier": "beta", "MaximumRetryAttempts": 0}},
        "LatestConfig": {"Type": "AWS::Lambda::EventInvokeConfig", "DependsOn": null, "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0}}
    }));
    assert_eq!(error_codes(&plan), []);
    assert!(!plan.resources.contains_key("BetaConfig"));
    let latest = &plan.resources["LatestConfig"];
    assert_eq!(latest["Properties"]["Qualifier"], "Live");
    assert_eq!(latest["DependsOn"], json!(["HelloLambdaFunctionAliasLive"]));
}

#[test]
fn every_spelling_of_the_removed_framework_alias_is_replaced_or_refused() {
    let plan = run_with_outputs(
        json!({
            "HelloProvConcLambdaAlias": provisioned_alias(),
            "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda",
                "TopicArn": "arn:aws:sns:us-east-1:1:t", "Endpoint": {"Fn::Sub": "${HelloLambdaFunction.Arn}:provisioned"}}},
            "InvokePolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Resource": [{"Ref": "HelloProvConcLambdaAlias"}, {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
                    {"Fn::Join": ["", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, ":provisioned"]]}]}]}}},
            "NamedPolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Resource": [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
                    {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${HelloLambdaFunction}:provisioned"}]}]}}},
            "Workflow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
                "DefinitionString": {"Fn::Sub": "{\"Resource\": \"${HelloLambdaFunction.Arn}:provisioned\"}"}}}
        }),
        json!({"Warm": {"Value": {"Ref": "HelloProvConcLambdaAlias"}}}),
    );
    assert_eq!(
        error_codes(&plan),
        [
            ("functions.hello", "names-removed-alias"),
            ("functions.hello", "permission-missing"),
            ("resources.Outputs.Warm", "output-names-removed-alias"),
        ],
        "the workflow now calls the canary alias: nothing to warn about"
    );
    assert!(plan.diagnostics[0]
        .message
        .contains("`NamedPolicy` (AWS::IAM::ManagedPolicy) names the Framework's `provisioned` alias at Properties.PolicyDocument.Statement[0].Resource[1]"));
    assert_eq!(
        plan.resources["Subscription"]["Properties"]["Endpoint"],
        json!({"Fn::Sub": "${HelloLambdaFunctionAliasLive}"})
    );
    assert_eq!(
        plan.resources["InvokePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Resource"],
        json!([{"Ref": "HelloLambdaFunctionAliasLive"}, {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
            {"Ref": "HelloLambdaFunctionAliasLive"}]),
        "the bare function ARN is not the Framework alias"
    );
    assert_eq!(
        plan.resources["Workflow"]["Properties"]["DefinitionString"],
        json!({"Fn::Sub": "{\"Resource\": \"${HelloLambdaFunctionAliasLive}\"}"})
    );
}

#[test]
fn a_function_url_is_served_by_the_alias_with_its_permission() {
    let plan = run_with(public_url());
    assert_eq!(error_codes(&plan), []);
    let url = &plan.resources["HelloLambdaFunctionUrl"];
    assert_eq!(url["Properties"]["Qualifier"], "Live");
    assert_eq!(
        url["Properties"]["TargetFunctionArn"],
        json!({"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]})
    );
    assert_eq!(
        plan.resources["HelloLambdaPermissionFnUrl"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
    // serverless@3 grants only `lambda:InvokeFunctionUrl`; a new URL needs both.
    assert_eq!(
        plan.resources["HelloLambdaPermissionFn"],
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunctionAliasLive"}, "Action": "lambda:InvokeFunction",
            "Principal": "*", "InvokedViaFunctionUrl": true}})
    );
}

#[test]
fn a_url_invoke_permission_osls_wrote_moves_and_none_is_added() {
    let mut extra = public_url();
    extra.as_object_mut().unwrap().insert(
        "HelloLambdaPermissionFn".into(),
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunction",
            "Principal": "*", "InvokedViaFunctionUrl": true}}),
    );
    let plan = run_with(extra);
    assert_eq!(error_codes(&plan), []);
    assert_eq!(
        plan.resources["HelloLambdaPermissionFn"]["Properties"],
        json!({"FunctionName": {"Ref": "HelloLambdaFunctionAliasLive"}, "Action": "lambda:InvokeFunction",
            "Principal": "*", "InvokedViaFunctionUrl": true})
    );
}

#[test]
fn an_iam_url_moves_with_a_warning_for_its_callers() {
    let plan = run_with(json!({
        "HelloLambdaFunctionUrl": {"Type": "AWS::Lambda::Url", "Properties": {
            "AuthType": "AWS_IAM", "TargetFunctionArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}}
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "url-callers-need-alias")]
    );
    assert!(plan.diagnostics[0]
        .message
        .contains("`HelloLambdaFunctionUrl`"));
    assert_eq!(
        plan.resources["HelloLambdaFunctionUrl"]["Properties"]["Qualifier"],
        "Live"
    );
}

/// A permission letting `service` invoke `hello`, with `conditions` (`SourceArn`...).
fn permission_for(service: &str, conditions: Value) -> Value {
    let mut properties = json!({"FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
        "Action": "lambda:InvokeFunction", "Principal": format!("{service}.amazonaws.com")});
    properties
        .as_object_mut()
        .unwrap()
        .extend(conditions.as_object().unwrap().clone());
    json!({"Type": "AWS::Lambda::Permission", "Properties": properties})
}

#[test]
fn a_subscription_matches_the_permission_naming_its_topic_by_name() {
    // The Framework's `sns: {topicName, filterPolicy}`: the subscription `Ref`s the topic it
    // creates, and the permission spells the topic's name into the ARN.
    let plan = run_with(json!({
        "SNSTopicAlerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}},
        "HelloSnsSubscriptionAlerts": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda",
            "TopicArn": {"Ref": "SNSTopicAlerts"}, "Endpoint": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
            "FilterPolicy": {"kind": ["order"]}}},
        "HelloLambdaPermissionAlertsSNS": permission_for("sns", json!({"SourceArn": {"Fn::Join": ["", [
            "arn:", {"Ref": "AWS::Partition"}, ":sns:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":", "alerts"]]}}))
    }));
    assert_eq!(error_codes(&plan), []);
    assert_eq!(
        plan.resources["HelloLambdaPermissionAlertsSNS"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}

#[test]
fn a_name_in_an_arn_of_another_account_is_another_source() {
    let plan = run_with(json!({
        "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}},
        "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda",
            "TopicArn": {"Ref": "Alerts"}, "Endpoint": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
        "OwnPermission": permission_for("sns", json!({"SourceArn": {"Ref": "Alerts"}})),
        "CentralPermission": permission_for("sns", json!({"SourceArn": "arn:aws:sns:us-east-1:999999999999:alerts"}))
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "caller-outside-stack")]
    );
    assert!(plan.diagnostics[0].message.contains("`CentralPermission`"));
    assert!(plan.resources.contains_key("OwnPermission"));
    assert!(!plan.resources.contains_key("CentralPermission"));
    // Alone, it is most likely this account's number written by hand: it follows the topic.
    let plan = run_with(json!({
        "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}},
        "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda",
            "TopicArn": {"Ref": "Alerts"}, "Endpoint": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
        "HandWritten": permission_for("sns", json!({"SourceArn": "arn:aws:sns:us-east-1:123456789012:alerts"}))
    }));
    assert_eq!(error_codes(&plan), []);
    assert_eq!(
        plan.resources["HandWritten"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}

#[test]
fn a_public_url_needs_its_url_permission_and_never_collides_with_the_users() {
    let url = public_url();
    let only_invoke = json!({
        "HelloLambdaFunctionUrl": url["HelloLambdaFunctionUrl"],
        "InvokeOnly": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunction",
            "Principal": "*", "InvokedViaFunctionUrl": true}}
    });
    assert_eq!(
        error_codes(&run_with(only_invoke)),
        [("functions.hello", "permission-missing")]
    );
    // A permission of the user's under the name the plugin would give it, in a spelling the
    // plugin does not read: named in a warning, never overwritten.
    let mut users = url;
    users.as_object_mut().unwrap().insert(
        "HelloLambdaPermissionFn".into(),
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${HelloLambdaFunction}"},
            "Action": "lambda:InvokeFunction", "Principal": "*", "InvokedViaFunctionUrl": true}}),
    );
    let plan = run_with(users);
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "reference-not-routed")]
    );
    assert!(!plan.resources.contains_key("HelloLambdaPermissionFn"));
}

#[test]
fn an_invoker_naming_the_removed_alias_outside_its_targets_names_the_canary_alias() {
    let plan = run_with(json!({
        "HelloProvConcLambdaAlias": provisioned_alias(),
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {
            "EventPattern": {"resources": [{"Ref": "HelloProvConcLambdaAlias"}]},
            "Targets": [{"Id": "t", "Arn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]}},
        "RulePermission": permission_for("events", json!({"SourceArn": {"Fn::GetAtt": ["Rule", "Arn"]}})),
        "Throttles": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "AWS/Lambda",
            "MetricName": "Throttles", "Dimensions": [{"Name": "Resource",
            "Value": {"Fn::Sub": "${HelloLambdaFunction}:provisioned"}}]}}
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "names-removed-alias")]
    );
    assert!(plan.diagnostics[0].message.contains("`Throttles`"));
    let rule = &plan.resources["Rule"]["Properties"];
    assert_eq!(
        rule["EventPattern"]["resources"][0],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
    assert_eq!(
        rule["Targets"][0]["Arn"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}

#[test]
fn a_source_behind_a_ref_is_named_by_its_arn_or_its_name() {
    let filter = |log_group: &str| {
        json!({"Type": "AWS::Logs::SubscriptionFilter", "Properties": {"FilterPattern": "",
            "LogGroupName": {"Ref": log_group}, "DestinationArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}})
    };
    let log_group =
        |name: &str| json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": name}});
    let plan = run_with(json!({
        "Orders": log_group("/app/orders"),
        "OrdersFilter": filter("Orders"),
        "OrdersPermission": permission_for("logs", json!({"SourceArn": {"Fn::GetAtt": ["Orders", "Arn"]}})),
        "Audit": log_group("/app/audit"),
        "AuditFilter": filter("Audit"),
        "AuditPermission": permission_for("logs", json!({"SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app/audit:*"}})),
        "Fleet": {"Type": "AWS::IoT::ProvisioningTemplate", "Properties": {"TemplateName": "fleet",
            "ProvisioningRoleArn": "arn:aws:iam::1:role/r", "TemplateBody": "{}",
            "PreProvisioningHook": {"TargetArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}}},
        "Apps": log_group("/app/web"),
        "AppsFilter": filter("Apps"),
        "AppsPermission": permission_for("logs", json!({"SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app/w*:*"}})),
        "FleetPermission": permission_for("iot", json!({"SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:provisioningtemplate/fleet"}})),
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {
            "LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]}}},
        "BucketPermission": permission_for("s3", json!({"SourceAccount": {"Fn::Sub": "${AWS::AccountId}"}}))
    }));
    assert_eq!(error_codes(&plan), []);
    for id in [
        "OrdersPermission",
        "AuditPermission",
        "AppsPermission",
        "FleetPermission",
        "BucketPermission",
    ] {
        assert_eq!(
            plan.resources[id]["Properties"]["FunctionName"],
            json!({"Ref": "HelloLambdaFunctionAliasLive"}),
            "{id}"
        );
    }
}

#[test]
fn a_service_wide_permission_moves_only_for_invokers_nothing_else_grants() {
    let subscription = json!({"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda",
        "TopicArn": {"Ref": "Topic"}, "Endpoint": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}});
    // The in-stack topic has its own permission: the service-wide one serves topics elsewhere.
    let plan = run_with(json!({
        "Subscription": subscription,
        "TopicPermission": permission_for("sns", json!({"SourceArn": {"Ref": "Topic"}})),
        "AnyTopic": permission_for("sns", json!({}))
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "caller-outside-stack")]
    );
    assert!(plan.diagnostics[0].message.contains("`AnyTopic`"));
    assert!(!plan.resources.contains_key("AnyTopic"));
    assert!(plan.resources.contains_key("TopicPermission"));
    // Alone, it is what lets the subscription call, so it moves; `SourceAccount` naming this
    // account narrows nothing.
    let plan = run_with(json!({
        "Subscription": subscription,
        "AnyTopic": permission_for("sns", json!({"SourceAccount": {"Ref": "AWS::AccountId"}}))
    }));
    assert_eq!(error_codes(&plan), []);
    assert_eq!(
        plan.resources["AnyTopic"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}

#[test]
fn a_permission_the_invoker_depends_on_moves_with_it() {
    // The Framework's `alb`: the target group registers its target with the service-wide
    // permission it depends on, and is invoked with the one naming it.
    let plan = run_with(json!({
        "TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "DependsOn": ["RegisterTarget"],
            "Properties": {"TargetType": "lambda", "Targets": [{"Id": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]}},
        "RegisterTarget": permission_for("elasticloadbalancing", json!({})),
        "InvokeFromGroup": permission_for("elasticloadbalancing", json!({"SourceArn": {"Ref": "TargetGroup"}}))
    }));
    assert_eq!(error_codes(&plan), []);
    for id in ["RegisterTarget", "InvokeFromGroup"] {
        assert_eq!(
            plan.resources[id]["Properties"]["FunctionName"],
            json!({"Ref": "HelloLambdaFunctionAliasLive"}),
            "{id}"
        );
    }
}

#[test]
fn a_moved_invoker_without_a_permission_is_reported() {
    let plan = run_with(json!({
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b", "NotificationConfiguration": {
            "LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]}}}
    }));
    assert_eq!(
        error_codes(&plan),
        [("functions.hello", "permission-missing")]
    );
    assert!(plan.diagnostics[0].message.contains("`Bucket`"));
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
        .remove("OtherLambdaVersionJkl");
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
    let plan = plan(&PlanInput {
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
fn websocket_permissions_without_source_arn_follow_their_invokers() {
    let mut input = input(
        json!({"hello": {"handler": "h.h", "events": [{"websocket": "$connect"}], "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}),
        Value::Null,
    );
    let resources = input.template["Resources"].as_object_mut().unwrap();
    resources.insert("HelloWebsocketsIntegration".into(), json!({"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
        "ApiId": {"Ref": "WebsocketsApi"},
        "IntegrationUri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "/invocations"]]}
    }}));
    resources.insert("HelloLambdaPermissionWebsockets".into(), json!({"Type": "AWS::Lambda::Permission", "Properties": {
        "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"
    }}));
    let plan = plan(&input);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        plan.resources["HelloLambdaPermissionWebsockets"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
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
    let configs: Vec<&String> = plan
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
        (&json!(2), &json!("p99 latency"))
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
            "resources.Resources.HelloCheck1Alarm",
            "generated-id-repeated"
        )]
    );
    assert_eq!(
        plan.resources["HelloCheck1Alarm"]["Properties"]["MetricName"], "Errors",
        "the first keeps its resource"
    );
}

#[test]
fn each_problem_points_at_where_it_was_written() {
    let text = "service: svc\nfunctions:\n  hello:\n    handler: h.h\n    deploymentSettings:\n      type: Canary10Percent5Minutez\n      alias: Live\n  other:\n    handler: h.h\n    deploymentSettings:\n      type: AllAtOnce\n";
    let plan = plan(&PlanInput {
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
        json!(format!("arn:aws:iam::123456789012:role/{role}"));
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
        json!({"Fn::ImportValue": "shared-hook-role"});
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
