//! A compiled template and the plan of settings over it, for the tests of the plan and of the
//! wiring, which both run the whole plan.

use serde_json::{json, Value};

use super::*;
use crate::template::bypass::Switches;
use crate::template::tree::Node;

/// What the Framework compiles for `hello` (http + httpApi events), `auth` (REST authorizer),
/// `hook` and `other`, trimmed to the properties the plugin reads.
pub(crate) fn template() -> Value {
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

pub(crate) fn input(functions: Value, custom: Value) -> PlanInput<'static> {
    PlanInput {
        service: "svc".into(),
        stage: "dev".into(),
        stack_name: "svc-dev".into(),
        custom: (!custom.is_null()).then_some(custom),
        functions: functions.as_object().unwrap().clone(),
        template: Node::from(template()),
        source: None,
        minify_template: false,
        switches: Switches::default(),
        split_stacks: None,
        companions: Default::default(),
        describe_release: false,
        preflight: false,
        account_facts: None,
    }
}

pub(crate) fn canary(settings: Value) -> Value {
    json!({"handler": "h.h", "events": [{"http": {}}, {"httpApi": {}}], "deploymentSettings": settings})
}

pub(crate) fn run(functions: Value, custom: Value) -> Plan<'static> {
    plan_leaked(input(functions, custom))
}

/// A plan input from its JSON, read as the addon reads packaging's: the template sent apart
/// (their strings borrowed from texts that live as long as the test).
pub(crate) fn input_from(mut value: Value) -> PlanInput<'static> {
    let template = value
        .as_object_mut()
        .and_then(|input| input.remove("template"));
    let leaked = |value: &Value| -> &'static str { Box::leak(value.to_string().into_boxed_str()) };
    PlanInput::read(leaked(&value), template.as_ref().map(leaked)).expect("a plan input")
}

/// Plans `input`, which lives as long as the test: a plan borrows its template.
pub(crate) fn plan_leaked(input: PlanInput<'static>) -> Plan<'static> {
    plan(Box::leak(Box::new(input)))
}

pub(crate) fn error_codes<'p>(plan: &'p Plan) -> Vec<(&'p str, &'p str)> {
    plan.diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.code.as_str()))
        .collect()
}

/// Plans `hello` as a canary over the test template plus `extra` resources.
pub(crate) fn run_with(extra: Value) -> Plan<'static> {
    run_with_outputs(extra, Value::Null)
}

/// [`run_with`], with `outputs` as the template's Outputs.
pub(crate) fn run_with_outputs(extra: Value, outputs: Value) -> Plan<'static> {
    let mut input = input(
        json!({"hello": canary(json!({"type": "AllAtOnce", "alias": "Live"}))}),
        Value::Null,
    );
    let mut template = template();
    let resources = template["Resources"].as_object_mut().unwrap();
    resources.extend(extra.as_object().unwrap().clone());
    template["Outputs"] = outputs;
    input.template = Node::from(template);
    plan_leaked(input)
}

/// An alarm on metric math: CloudFormation refuses these beside `Metrics`.
pub(crate) fn assert_metric_math_only(properties: &Node) {
    for forbidden in [
        "MetricName",
        "Namespace",
        "Statistic",
        "Period",
        "Dimensions",
    ] {
        assert!(
            properties.get(forbidden).is_none(),
            "{forbidden} beside Metrics"
        );
    }
}
