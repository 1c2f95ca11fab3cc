//! Routing through the alias, tested through the whole plan over a compiled template: each
//! invoker and the permission that lets it call, for every way the Framework writes them.

use serde_json::{json, Value};

use crate::plan::test_support::*;
use crate::plan::{plan, Plan};
use crate::template::tree::{node, Node};

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
fn references_the_plugin_cannot_route_are_named_and_packaging_goes_on() {
    let plan = run_with(json!({
        "Machine": {"Type": "AWS::Pipes::Pipe", "Properties": {
            "Target": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
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
    assert!(plan.diagnostics[0]
        .message
        .contains("`Machine` names the bare function `hello` at Properties.Target"));
    assert!(plan.error_report.is_none());
    for untouched in ["Machine", "ExternalCaller", "Pinned"] {
        assert!(
            !plan.resources.contains_key(untouched),
            "{untouched} is left as written"
        );
    }
}

#[test]
fn a_permission_moving_to_the_alias_must_not_deny_a_caller_of_the_bare_function() {
    let by_name = json!({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${HelloLambdaFunction}"});
    let plan = run_with(json!({
        // Two targets of one rule, one the plugin cannot route.
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {"Targets": [
            {"Id": "a", "Arn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}},
            {"Id": "b", "Arn": by_name}]}},
        "RulePermission": permission_for("events", json!({"SourceArn": {"Fn::GetAtt": ["Rule", "Arn"]}})),
        // An API of a type the plugin does not rewrite, named by the permission of a route it does.
        "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP",
            "Target": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
        "Integration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Api"},
            "IntegrationType": "AWS_PROXY", "IntegrationUri": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}},
        "ApiPermission": permission_for("apigateway", json!({"SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*"}})),
        // A caller whose permission no routed invoker shares keeps working, warned about.
        "Pipe": {"Type": "AWS::Pipes::Pipe", "Properties": {"Target": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}}
    }));
    assert_eq!(
        error_codes(&plan),
        [
            (
                "resources.Resources.Rule.Properties.Targets[1].Arn",
                "bare-caller-denied"
            ),
            (
                "resources.Resources.Api.Properties.Target",
                "bare-caller-denied"
            ),
            ("functions.hello", "reference-not-routed"),
        ]
    );
    assert_eq!(
        plan.diagnostics[0].message,
        "AWS::Events::Rule `Rule` still invokes the bare function `hello` at Properties.Targets[1].Arn, but AWS::Lambda::Permission `RulePermission`, which grants it, moves to the alias with the invokers the plugin routed; a permission on an alias does not cover the function ARN, so Lambda would deny these calls"
    );
    assert!(plan.diagnostics[1].message.contains("`ApiPermission`"));
    assert!(plan.diagnostics[2].message.contains("`Pipe`"));
    assert!(plan.error_report.is_some());
}

#[test]
fn a_name_alone_is_a_call_only_where_a_name_can_make_one() {
    let plan = run_with(json!({
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "svc-dev-hello",
            "Tags": [{"Key": "owner", "Value": "svc-dev-hello"}], "KeyPolicy": {}}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "svc-dev-hello"}}
    }));
    assert_eq!(error_codes(&plan), [], "free text calls nothing");
    let plan = run_with(json!({
        "Caller": {"Type": "AWS::Lambda::Function", "Properties": {"Description": "svc-dev-hello",
            "Environment": {"Variables": {"TARGET": "svc-dev-hello"}}}},
        "Pipe": {"Type": "AWS::Pipes::Pipe", "Properties": {"Description": "svc-dev-hello",
            "Target": "arn:aws:lambda:us-east-1:123456789012:function:svc-dev-hello"}},
        "Custom": {"Type": "Custom::Invoke", "Properties": {"Name": "svc-dev-hello",
            "FunctionName": "svc-dev-hello"}}
    }));
    let properties: Vec<_> = plan
        .diagnostics
        .iter()
        .map(|d| {
            d.message
                .split(" at ")
                .nth(1)
                .unwrap()
                .split(';')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        properties,
        [
            "Properties.Environment.Variables.TARGET",
            "Properties.Target",
            "Properties.FunctionName"
        ]
    );
}

#[test]
fn the_canary_alias_takes_over_the_framework_provisioned_concurrency_alias() {
    let plan = provisioned_plan(Value::Null, json!({}));
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
    assert_eq!(
        plan.resources["ApiGatewayMethodHelloGet"]["Properties"]["Integration"]["Uri"],
        alias_uri("HelloLambdaFunctionAliasLive"),
        "`:provisioned` after the ARN goes with it"
    );
}

/// The Framework's integration URI of a function with provisioned concurrency.
fn provisioned_uri() -> Value {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
        ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, ":", "provisioned",
        "/invocations"]]})
}

/// The same URI through the alias.
fn alias_uri(alias_id: &str) -> Value {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
        ":lambda:path/2015-03-31/functions/", {"Ref": alias_id}, "/invocations"]]})
}

/// `hello` with provisioned concurrency, the Framework's alias and what names it, planned
/// with `custom` and `hello`'s extra settings.
fn provisioned_plan(custom: Value, extra_settings: Value) -> Plan<'static> {
    let joined =
        json!({"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "provisioned"]]});
    let mut settings = json!({"type": "AllAtOnce", "alias": "Live"});
    settings
        .as_object_mut()
        .unwrap()
        .extend(extra_settings.as_object().unwrap().clone());
    let mut hello = canary(settings);
    hello["provisionedConcurrency"] = json!(2);
    let mut input = input(json!({ "hello": hello }), custom);
    let resources = input.template["Resources"].as_object_mut().unwrap();
    let Node::Object(extra) = node!({
        "HelloProvConcLambdaAlias": {"Type": "AWS::Lambda::Alias", "DependsOn": "HelloLambdaFunction", "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"}, "Name": "provisioned",
            "FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]},
            "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2}}},
        "HelloEventSourceMappingSQSJobs": {"Type": "AWS::Lambda::EventSourceMapping",
            "DependsOn": ["IamRoleLambdaExecution", "HelloProvConcLambdaAlias"],
            "Properties": {"EventSourceArn": "arn:aws:sqs:us-east-1:1:jobs", "FunctionName": joined}},
        "HelloLambdaEvConf": {"Type": "AWS::Lambda::EventInvokeConfig", "DependsOn": "HelloProvConcLambdaAlias",
            "Properties": {"FunctionName": {"Ref": "HelloLambdaFunction"}, "Qualifier": "provisioned"}},
        "ApiGatewayMethodHelloGet": {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": {"Ref": "ApiGatewayRestApi"}, "Integration": {"Type": "AWS_PROXY", "Uri": provisioned_uri()}}}
    }) else {
        unreachable!("an object")
    };
    resources.extend(extra);
    crate::plan::test_support::plan_leaked(input)
}

#[test]
fn with_framework_alias_reuse_the_framework_alias_becomes_the_canary_alias_as_in_the_fork() {
    let plan = provisioned_plan(json!({"frameworkAlias": "reuse"}), json!({}));
    assert_eq!(error_codes(&plan), []);
    assert_eq!(plan.removed, Vec::<String>::new(), "nothing is replaced");
    assert!(!plan.resources.contains_key("HelloLambdaFunctionAliasLive"));
    assert_eq!(
        plan.resources["HelloProvConcLambdaAlias"],
        json!({"Type": "AWS::Lambda::Alias", "DependsOn": "HelloLambdaFunction", "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"}, "Name": "Live",
            "FunctionVersion": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]},
            "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2}},
            "UpdatePolicy": {"CodeDeployLambdaAliasUpdate": {
                "ApplicationName": {"Ref": "SvcdevDeploymentApplication"},
                "DeploymentGroupName": {"Ref": "HelloLambdaFunctionDeploymentGroup"}}}})
    );
    let mapping = &plan.resources["HelloEventSourceMappingSQSJobs"];
    assert_eq!(
        mapping["Properties"]["FunctionName"],
        json!({"Ref": "HelloProvConcLambdaAlias"}),
        "`:provisioned` by name is gone once the alias is renamed"
    );
    assert_eq!(
        mapping["DependsOn"],
        json!(["IamRoleLambdaExecution", "HelloProvConcLambdaAlias"]),
        "what waits for the alias still does"
    );
    let config = &plan.resources["HelloLambdaEvConf"];
    assert_eq!(config["Properties"]["Qualifier"], "Live");
    assert_eq!(config["DependsOn"], json!(["HelloProvConcLambdaAlias"]));
    assert_eq!(
        plan.resources["ApiGatewayMethodHelloGet"]["Properties"]["Integration"]["Uri"],
        alias_uri("HelloProvConcLambdaAlias"),
        "the fork's URI: the alias ARN, without its old name"
    );
}

#[test]
fn canary_alarms_beside_a_framework_alias_ask_which_line_the_stack_comes_from() {
    let canary_alarms = json!({"canaryAlarms": [{"preset": "errors"}]});
    let plan = provisioned_plan(Value::Null, canary_alarms.clone());
    assert_eq!(
        error_codes(&plan),
        [(
            "custom.deploymentSettings.frameworkAlias",
            "framework-alias-ambiguous"
        )]
    );
    assert_eq!(
        plan.removed,
        ["HelloProvConcLambdaAlias"],
        "0.8.0's way until told"
    );
    for said in ["replace", "reuse"] {
        let plan = provisioned_plan(json!({"frameworkAlias": said}), canary_alarms.clone());
        assert_eq!(error_codes(&plan), [], "{said}");
    }
    assert_eq!(
        error_codes(&provisioned_plan(Value::Null, json!({}))),
        [],
        "without the fork's keys the stack is taken to be 0.8.0's or this plugin's"
    );
    let plan = provisioned_plan(json!({"frameworkAlias": "keep"}), json!({}));
    assert_eq!(
        error_codes(&plan),
        [("custom.deploymentSettings.frameworkAlias", "not-accepted")]
    );
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
                "RoleArn": {"Fn::GetAtt": ["WorkflowRole", "Arn"]},
                "DefinitionString": {"Fn::Sub": "{\"Resource\": \"${HelloLambdaFunction.Arn}:provisioned\"}"}}},
            "WorkflowRole": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Resource": {"Fn::Sub": "${HelloLambdaFunction.Arn}:*"}}]}}]}}
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
fn websocket_permissions_without_source_arn_follow_their_invokers() {
    let mut input = input(
        json!({"hello": {"handler": "h.h", "events": [{"websocket": "$connect"}], "deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}),
        Value::Null,
    );
    let resources = input.template["Resources"].as_object_mut().unwrap();
    resources.insert("HelloWebsocketsIntegration", node!({"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
        "ApiId": {"Ref": "WebsocketsApi"},
        "IntegrationUri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "/invocations"]]}
    }}));
    resources.insert("HelloLambdaPermissionWebsockets", node!({"Type": "AWS::Lambda::Permission", "Properties": {
        "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"
    }}));
    let plan = plan(&input);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        plan.resources["HelloLambdaPermissionWebsockets"]["Properties"]["FunctionName"],
        json!({"Ref": "HelloLambdaFunctionAliasLive"})
    );
}
