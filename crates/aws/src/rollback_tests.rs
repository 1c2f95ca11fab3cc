//! `sls canary:rollback`: the application is found through the stack (moto), deployments in
//! progress and StopDeployment come from a scripted CodeDeploy endpoint (moto has neither the
//! states nor StopDeployment).

use serde_json::{json, Value};
use serverless_canary_core::diagnostics::Severity;

use crate::request::{Named, PreflightRequest};
use crate::rollback::roll_back_with;
use aws_config::ConfigLoader;

use crate::test_support::{
    create_stack, loader, setup_config, Moto, Script, ScriptedCodeDeploy, REGION,
};

const APPLICATION_ID: &str = "SvcdevDeploymentApplication";

fn targets() -> PreflightRequest {
    PreflightRequest {
        region: Some(REGION.into()),
        stack_name: "svc-dev".into(),
        application_logical_id: APPLICATION_ID.into(),
        deployment_groups: vec![
            Named {
                path: "functions.hello".into(),
                name: "svc-dev-HelloLambdaFunctionDeploymentGroup".into(),
            },
            Named {
                path: "functions.other".into(),
                name: "svc-dev-OtherLambdaFunctionDeploymentGroup".into(),
            },
        ],
        ..PreflightRequest::default()
    }
}

/// `hello` has deployment d-HELLO in progress, `other` none; StopDeployment starts a rollback.
fn one_in_progress(operation: &str, request: &Value) -> (u16, Value) {
    match operation {
        "ListDeployments" => {
            let busy = request["deploymentGroupName"]
                == "svc-dev-HelloLambdaFunctionDeploymentGroup"
                && request["applicationName"] == "svc-dev-application";
            let ids = if busy { json!(["d-HELLO"]) } else { json!([]) };
            (200, json!({ "deployments": ids }))
        }
        "StopDeployment" => (
            200,
            json!({"status": "Pending", "statusMessage": "Stopping deployment; rolling back"}),
        ),
        _ => (400, json!({"__type": "UnknownOperationException"})),
    }
}

/// Neither group has a deployment in progress.
fn none_in_progress(operation: &str, _request: &Value) -> (u16, Value) {
    match operation {
        "ListDeployments" => (200, json!({ "deployments": [] })),
        _ => (400, json!({"__type": "UnknownOperationException"})),
    }
}

/// The stack deployed in moto, with its application, and CodeDeploy answering by `script`.
async fn deployed_stack(script: Script) -> (Moto, ScriptedCodeDeploy) {
    let moto = Moto::start();
    let config = setup_config(&moto.endpoint).await;
    create_stack(
        &config,
        "svc-dev",
        &[(APPLICATION_ID, "svc-dev-application")],
    )
    .await;
    (moto, ScriptedCodeDeploy::start(script).await)
}

fn env_for(moto: &Moto, codedeploy: &ScriptedCodeDeploy) -> ConfigLoader {
    loader(&[
        ("AWS_ENDPOINT_URL", &moto.endpoint),
        ("AWS_ENDPOINT_URL_CODEDEPLOY", &codedeploy.endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ])
}

#[tokio::test]
async fn stops_the_deployment_in_progress_with_rollback() {
    let (moto, codedeploy) = deployed_stack(one_in_progress).await;
    let report = roll_back_with(&targets(), env_for(&moto, &codedeploy)).await;
    assert!(report.diagnostics.is_empty(), "{report:#?}");
    let stopped: Vec<String> = report
        .stopped
        .iter()
        .map(|s| format!("{} {} {}", s.path, s.deployment_id, s.status))
        .collect();
    assert_eq!(stopped, ["functions.hello d-HELLO Pending"]);
    let stops = codedeploy.calls_of("StopDeployment");
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert!(
        stops[0].contains("\"autoRollbackEnabled\":true"),
        "{stops:?}"
    );
}

#[tokio::test]
async fn a_stack_that_is_not_deployed_is_named() {
    let moto = Moto::start();
    let env = loader(&[
        ("AWS_ENDPOINT_URL", &moto.endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ]);
    let report = roll_back_with(&targets(), env).await;
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["stack-not-deployed"]);
    assert!(report.stopped.is_empty());
}

#[tokio::test]
async fn nothing_in_progress_is_a_warning_and_stops_nothing() {
    let (moto, codedeploy) = deployed_stack(none_in_progress).await;
    let report = roll_back_with(&targets(), env_for(&moto, &codedeploy)).await;
    let problems: Vec<(Severity, &str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.code.as_str(), d.path.as_str()))
        .collect();
    assert_eq!(
        problems,
        [(Severity::Warning, "no-deployment-in-progress", "functions")]
    );
    assert!(report.stopped.is_empty());
    assert!(codedeploy.calls_of("StopDeployment").is_empty());
}
