//! Loopback stand-ins for AWS, and SDK settings that point at them, for the preflight tests.

mod moto;
mod scripted_codedeploy;

pub(crate) use moto::Moto;
pub(crate) use scripted_codedeploy::{Script, ScriptedCodeDeploy};

use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};
use aws_types::os_shim_internal::Env;
use serde_json::{json, Value};

use crate::sdk_config;

pub(crate) const REGION: &str = "us-east-1";

/// The SDK reads this environment instead of the process's: nothing is inherited from the
/// machine (no profile files, no instance metadata), and tests can run in parallel because no
/// process variable is set. Production reads the process environment through the same code.
pub(crate) fn loader(vars: &[(&str, &str)]) -> ConfigLoader {
    let mut env = vec![
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    env.extend_from_slice(vars);
    aws_config::defaults(BehaviorVersion::latest()).env(Env::from_slice(&env))
}

/// Dummy keys and every service at `endpoint`, through AWS_ENDPOINT_URL.
pub(crate) fn loader_for(endpoint: &str) -> ConfigLoader {
    loader(&[
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ])
}

/// Settings for the tests' own setup calls (creating alarms, stacks, deployments), which are
/// not what the tests test: one attempt each, with time enough on a busy machine. The product's
/// retries would resend a CreateStack whose answer came late, and find the stack it made.
pub(crate) async fn setup_config(endpoint: &str) -> SdkConfig {
    let generous = std::time::Duration::from_secs(60);
    sdk_config::load(loader_for(endpoint), Some(REGION), None)
        .await
        .into_builder()
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(generous)
                .operation_timeout(generous)
                .build(),
        )
        .build()
}

/// A loopback port nothing listens on.
/// A loopback endpoint where AWS cannot be reached: connections are refused, on a port held
/// bound but not listening for as long as the tests run, by .venv's Python (the standard
/// library cannot bind without listening). A port freed for the test could be taken by another
/// test's server in between, which would then answer.
pub(crate) fn closed_port_endpoint() -> String {
    use std::io::BufRead;
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python3");
    let hold = "import socket, sys; s = socket.socket(); s.bind(('127.0.0.1', 0)); \
                print(s.getsockname()[1], flush=True); sys.stdin.read()";
    let mut child = std::process::Command::new(&python)
        .args(["-c", hold])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "{}: {error} (run `npm test` once to create .venv)",
                python.display()
            )
        });
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut line)
        .expect("the held port");
    let port: u16 = line.trim().parse().expect("a port number");
    // It holds the port until its stdin closes, when this test process ends.
    std::mem::forget(child);
    format!("http://127.0.0.1:{port}")
}

pub(crate) async fn put_alarm(config: &SdkConfig, name: &str, firing: bool) {
    let cloudwatch = aws_sdk_cloudwatch::Client::new(config);
    cloudwatch
        .put_metric_alarm()
        .alarm_name(name)
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .send()
        .await
        .expect("PutMetricAlarm");
    if firing {
        cloudwatch
            .set_alarm_state()
            .alarm_name(name)
            .state_value(StateValue::Alarm)
            .state_reason("test")
            .send()
            .await
            .expect("SetAlarmState");
    }
}

/// One datapoint of an AWS/Lambda metric, as Lambda would publish it.
pub(crate) async fn put_lambda_metric(
    config: &SdkConfig,
    metric: &str,
    dimensions: &[(&str, &str)],
    value: f64,
    at: i64,
) {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
    let dimensions = dimensions
        .iter()
        .map(|(name, value)| Dimension::builder().name(*name).value(*value).build())
        .collect();
    aws_sdk_cloudwatch::Client::new(config)
        .put_metric_data()
        .namespace("AWS/Lambda")
        .metric_data(
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dimensions))
                .value(value)
                .timestamp(DateTime::from_secs(at))
                .build(),
        )
        .send()
        .await
        .expect("PutMetricData");
}

/// A stack whose resources have the given logical and physical IDs. moto's CloudFormation
/// cannot create an AWS::CloudWatch::Alarm or an AWS::CodeDeploy::Application (it lists them
/// with no IDs at all), so each stands in as an AWS::Logs::LogGroup named like the real thing:
/// the checks read only a resource's logical and physical IDs.
/// A stack whose resources are split as serverless-plugin-split-stacks splits them: `root`
/// holds its own, and each of `nested` (logical ID, resources) is an `AWS::CloudFormation::Stack`
/// whose template moto reads from its S3. The upload goes through .venv's boto3 (moto's own
/// dependency): the tests build no S3 client of their own.
pub(crate) async fn create_split_stack(
    endpoint: &str,
    name: &str,
    root: &[(&str, &str)],
    nested: &[(&str, &[(&str, &str)])],
) {
    let mut resources = log_groups(root);
    let mut uploads = serde_json::Map::new();
    for (stack, members) in nested {
        let key = format!("{stack}.json");
        uploads.insert(key.clone(), json!({ "Resources": log_groups(members) }));
        resources.insert(
            stack.to_string(),
            json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": format!("https://s3.amazonaws.com/templates/{key}")}}),
        );
    }
    let upload = "import boto3, json, sys; a = json.loads(sys.argv[2]); \
                  s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', \
                  aws_access_key_id='testing', aws_secret_access_key='testing'); \
                  s3.create_bucket(Bucket='templates'); \
                  [s3.put_object(Bucket='templates', Key=k, Body=json.dumps(v)) for k, v in a.items()]";
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python3");
    let status = std::process::Command::new(&python)
        .args(["-c", upload, endpoint, &Value::Object(uploads).to_string()])
        .status()
        .unwrap_or_else(|error| panic!("{}: {error}", python.display()));
    assert!(
        status.success(),
        "uploading the nested templates to moto's S3"
    );
    create_stack_of(&setup_config(endpoint).await, name, resources).await;
}

pub(crate) async fn create_stack(config: &SdkConfig, name: &str, resources: &[(&str, &str)]) {
    create_stack_of(config, name, log_groups(resources)).await;
}

/// A log group per (logical ID, physical name): resources moto creates at once, named as given.
fn log_groups(resources: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    resources
        .iter()
        .map(|(logical, physical)| {
            let group =
                json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": physical}});
            (logical.to_string(), group)
        })
        .collect()
}

async fn create_stack_of(
    config: &SdkConfig,
    name: &str,
    resources: serde_json::Map<String, Value>,
) {
    aws_sdk_cloudformation::Client::new(config)
        .create_stack()
        .stack_name(name)
        .template_body(json!({ "Resources": resources }).to_string())
        .send()
        .await
        .expect("CreateStack");
}
