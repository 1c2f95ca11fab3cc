//! The core's time per template, without the Framework or Node: `cargo bench --bench plan`.
//! Services of 50 to 2000 canaried functions with an http event each, shaped like what
//! serverless@3 compiles, parsed, planned and serialised as the addon does (which frees the
//! input on another thread; here the drop is timed too).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Map};
use serverless_canary_core::plan::{answer_json, PlanInput};

/// The plan input for `n` functions, each with a GET endpoint and canary settings.
fn input(n: usize) -> String {
    let mut resources = Map::new();
    let mut functions = Map::new();
    for i in 0..n {
        let name = format!("f{i}");
        let id = format!("F{i}LambdaFunction");
        let arn = json!({"Fn::GetAtt": [id, "Arn"]});
        resources.insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"S3Bucket": {"Ref": "ServerlessDeploymentBucket"}, "S3Key": "serverless/bench/dev/bench.zip"},
            "Handler": "handler.hello", "Runtime": "nodejs24.x", "FunctionName": format!("bench-dev-{name}"),
            "MemorySize": 1024, "Timeout": 6, "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}},
            "DependsOn": [format!("F{i}LogGroup")]}));
        resources.insert(format!("F{i}LogGroup"), json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": format!("/aws/lambda/bench-dev-{name}")}}));
        resources.insert(
            format!("F{i}LambdaVersionAbc{i}"),
            json!({"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain",
            "Properties": {"FunctionName": {"Ref": id}, "CodeSha256": "abc"}}),
        );
        resources.insert(format!("ApiGatewayResourceF{i}"), json!({"Type": "AWS::ApiGateway::Resource", "Properties": {
            "ParentId": {"Fn::GetAtt": ["ApiGatewayRestApi", "RootResourceId"]}, "PathPart": name, "RestApiId": {"Ref": "ApiGatewayRestApi"}}}));
        resources.insert(format!("ApiGatewayMethodF{i}Get"), json!({"Type": "AWS::ApiGateway::Method", "Properties": {
            "HttpMethod": "GET", "RequestParameters": {}, "ResourceId": {"Ref": format!("ApiGatewayResourceF{i}")},
            "RestApiId": {"Ref": "ApiGatewayRestApi"}, "ApiKeyRequired": false, "AuthorizationType": "NONE",
            "Integration": {"IntegrationHttpMethod": "POST", "Type": "AWS_PROXY", "Uri": {"Fn::Join": ["", [
                "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", arn, "/invocations"]]}},
            "MethodResponses": []}, "DependsOn": [format!("F{i}LambdaPermissionApiGateway")]}));
        resources.insert(format!("F{i}LambdaPermissionApiGateway"), json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": arn, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":",
                {"Ref": "AWS::AccountId"}, ":", {"Ref": "ApiGatewayRestApi"}, "/*/*"]]}}}));
        functions.insert(name.clone(), json!({"handler": "handler.hello", "events": [{"http": {"path": name, "method": "get"}}],
            "deploymentSettings": {"type": "Canary10Percent5Minutes", "alias": "Live", "alarms": ["ErrorsAlarm"]}}));
    }
    resources.insert("ErrorsAlarm".into(), json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Errors"}}));
    resources.insert(
        "IamRoleLambdaExecution".into(),
        json!({"Type": "AWS::IAM::Role", "Properties": {}}),
    );
    resources.insert(
        "ApiGatewayRestApi".into(),
        json!({"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "dev-bench"}}),
    );
    json!({"stage": "dev", "stackName": "bench-dev", "functions": functions, "template": {"Resources": resources}}).to_string()
}

fn plan_per_template(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    for n in [50, 200, 800, 2000] {
        let text = input(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| plan_json(text));
        });
    }
    group.finish();
}

/// The addon's plan without Node: JSON in, the answer's JSON out.
fn plan_json(text: &str) -> String {
    let input = PlanInput::read(text, None).expect("a plan input");
    answer_json(&input).expect("serialises")
}

criterion_group!(benches, plan_per_template);
criterion_main!(benches);
