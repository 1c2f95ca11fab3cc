//! The preflight checks against moto (CloudWatch, CloudFormation, CodeDeploy) and a scripted
//! CodeDeploy endpoint, each test with servers of its own.

use std::time::{Duration, Instant};

use aws_sdk_codedeploy::types::{
    AppSpecContent, ComputePlatform, DeploymentOption, DeploymentStyle, DeploymentType,
    RevisionLocation, RevisionLocationType,
};
use serde_json::{json, Value};

use crate::preflight::{preflight_report, preflight_with, PreflightInput};
use crate::request::{AlarmCheck, Named, PreflightRequest};
use crate::sdk_config::OPERATION_TIMEOUT;
use crate::test_support::{
    closed_port_endpoint, create_stack, loader, loader_for, put_alarm, setup_config, Moto,
    ScriptedCodeDeploy, REGION,
};
use serverless_canary_core::diagnostics::Diagnostic;
use serverless_canary_core::release::Firing;

const APPLICATION_ID: &str = "SvcdevDeploymentApplication";

fn request(stack_name: &str) -> PreflightRequest {
    PreflightRequest {
        region: Some(REGION.into()),
        profile: None,
        stack_name: stack_name.into(),
        application_logical_id: APPLICATION_ID.into(),
        alarms: Vec::new(),
        deployment_configs: Vec::new(),
        deployment_groups: Vec::new(),
        aliases: Vec::new(),
    }
}

fn by_name(path: &str, name: &str) -> AlarmCheck {
    AlarmCheck {
        path: path.into(),
        name: Some(name.into()),
        logical_id: None,
    }
}

fn by_logical_id(path: &str, logical_id: &str) -> AlarmCheck {
    AlarmCheck {
        path: path.into(),
        name: None,
        logical_id: Some(logical_id.into()),
    }
}

fn named(path: &str, name: &str) -> Named {
    Named {
        path: path.into(),
        name: name.into(),
    }
}

/// `code path`, sorted, so a failure shows the whole difference at once.
fn codes_and_paths(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut found: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.path))
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn alarms_by_name_missing_firing_and_quiet_in_batches_of_100() {
    let moto = Moto::start();
    let config = setup_config(&moto.endpoint).await;
    put_alarm(&config, "quiet", false).await;
    put_alarm(&config, "firing", true).await;
    let bulk: Vec<String> = (0..120).map(|i| format!("bulk-{i:03}")).collect();
    for (i, name) in bulk.iter().enumerate() {
        put_alarm(&config, name, i == 119).await;
    }

    let mut checks = request("svc-dev");
    checks.alarms = vec![
        by_name("functions.a.deploymentSettings.alarms[0]", "quiet"),
        by_name("functions.a.deploymentSettings.alarms[1]", "firing"),
        by_name("functions.a.deploymentSettings.alarms[2]", "never-created"),
    ];
    for (i, name) in bulk.iter().enumerate() {
        checks.alarms.push(by_name(
            &format!("functions.f{i}.deploymentSettings.alarms[0]"),
            name,
        ));
    }
    let diagnostics = preflight_with(&checks, loader_for(&moto.endpoint)).await.0;

    assert_eq!(
        codes_and_paths(&diagnostics),
        [
            "alarm-in-alarm functions.a.deploymentSettings.alarms[1]",
            "alarm-in-alarm functions.f119.deploymentSettings.alarms[0]",
            "alarm-not-found functions.a.deploymentSettings.alarms[2]",
        ],
        "{diagnostics:#?}"
    );
    let missing = diagnostics
        .iter()
        .find(|d| d.code.as_str() == "alarm-not-found")
        .unwrap();
    assert!(missing.message.contains("`never-created`"), "{missing}");
    assert!(missing.message.contains(REGION), "{missing}");
}

#[tokio::test]
async fn alarms_by_logical_id_are_found_through_the_stack() {
    let moto = Moto::start();
    let config = setup_config(&moto.endpoint).await;
    put_alarm(&config, "svc-dev-HelloErrors-1A2B", true).await;
    put_alarm(&config, "svc-dev-HelloLatency-3C4D", false).await;
    create_stack(
        &config,
        "svc-dev",
        &[
            ("HelloErrors", "svc-dev-HelloErrors-1A2B"),
            ("HelloLatency", "svc-dev-HelloLatency-3C4D"),
        ],
    )
    .await;

    let mut checks = request("svc-dev");
    checks.alarms = vec![
        by_logical_id(
            "functions.hello.deploymentSettings.alarms[0]",
            "HelloErrors",
        ),
        by_logical_id(
            "functions.hello.deploymentSettings.alarms[1]",
            "HelloLatency",
        ),
        // Added in this deploy: not in the stack yet, so there is nothing to check.
        by_logical_id(
            "functions.hello.deploymentSettings.alarms[2]",
            "HelloThrottles",
        ),
    ];
    let diagnostics = preflight_with(&checks, loader_for(&moto.endpoint)).await.0;
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["alarm-in-alarm functions.hello.deploymentSettings.alarms[0]"],
        "{diagnostics:#?}"
    );
    assert!(diagnostics[0]
        .message
        .contains("`svc-dev-HelloErrors-1A2B`"));

    // First deploy: no stack yet, nothing to check and nothing to complain about.
    checks.stack_name = "svc-never-deployed".into();
    let diagnostics = preflight_with(&checks, loader_for(&moto.endpoint)).await.0;
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

/// `canary:plan --aws`: a function whose alias the stack lacks deploys for the first time, and
/// an attached alarm in ALARM is named at its function; a stack that cannot be read says
/// nothing about first releases rather than "all of them".
#[tokio::test]
async fn the_plan_learns_first_releases_and_firing_alarms() {
    let moto = Moto::start();
    let config = setup_config(&moto.endpoint).await;
    put_alarm(&config, "svc-dev-HelloErrors-1A2B", true).await;
    put_alarm(&config, "quiet", false).await;
    create_stack(
        &config,
        "svc-dev",
        &[
            ("HelloErrors", "svc-dev-HelloErrors-1A2B"),
            ("HelloLambdaFunctionAliasLive", "svc-dev-hello:Live"),
        ],
    )
    .await;
    let mut checks = request("svc-dev");
    checks.alarms = vec![
        by_logical_id(
            "functions.hello.deploymentSettings.alarms[0]",
            "HelloErrors",
        ),
        by_name("functions.world.deploymentSettings.alarms[0]", "quiet"),
    ];
    checks.aliases = vec![
        named("functions.hello", "HelloLambdaFunctionAliasLive"),
        named("functions.world", "WorldLambdaFunctionAliasLive"),
    ];

    let (_, facts) = preflight_with(&checks, loader_for(&moto.endpoint)).await;
    assert_eq!(facts.first_releases, Some(vec!["world".to_owned()]));
    assert_eq!(
        facts.firing,
        [Firing {
            path: "functions.hello.deploymentSettings.alarms[0]".into(),
            name: "svc-dev-HelloErrors-1A2B".into(),
        }]
    );

    checks.stack_name = "svc-never-deployed".into();
    let (_, facts) = preflight_with(&checks, loader_for(&moto.endpoint)).await;
    assert_eq!(
        facts.first_releases,
        Some(vec!["hello".to_owned(), "world".to_owned()])
    );

    let (diagnostics, facts) = preflight_with(&checks, loader_for(&closed_port_endpoint())).await;
    assert_eq!(facts.first_releases, None, "{diagnostics:#?}");
    assert!(facts.firing.is_empty());
}

#[tokio::test]
async fn a_deployment_in_progress_is_found_through_the_stack() {
    let moto = Moto::start();
    let config = setup_config(&moto.endpoint).await;
    let codedeploy = aws_sdk_codedeploy::Client::new(&config);
    codedeploy
        .create_application()
        .application_name("svc-dev-app-X1Y2")
        .compute_platform(ComputePlatform::Lambda)
        .send()
        .await
        .expect("CreateApplication");
    for group in ["svc-dev-BusyDeploymentGroup", "svc-dev-IdleDeploymentGroup"] {
        codedeploy
            .create_deployment_group()
            .application_name("svc-dev-app-X1Y2")
            .deployment_group_name(group)
            .service_role_arn("arn:aws:iam::123456789012:role/codedeploy")
            .deployment_style(
                DeploymentStyle::builder()
                    .deployment_type(DeploymentType::BlueGreen)
                    .deployment_option(DeploymentOption::WithTrafficControl)
                    .build(),
            )
            .send()
            .await
            .expect("CreateDeploymentGroup");
    }
    // moto's deployments stay "Created" for ever: unfinished, as a running one is.
    let deployment = codedeploy
        .create_deployment()
        .application_name("svc-dev-app-X1Y2")
        .deployment_group_name("svc-dev-BusyDeploymentGroup")
        .revision(
            RevisionLocation::builder()
                .revision_type(RevisionLocationType::AppSpecContent)
                .app_spec_content(AppSpecContent::builder().content("{}").build())
                .build(),
        )
        .send()
        .await
        .expect("CreateDeployment");
    let deployment_id = deployment.deployment_id().expect("a deployment ID");
    create_stack(&config, "svc-dev", &[(APPLICATION_ID, "svc-dev-app-X1Y2")]).await;

    let mut checks = request("svc-dev");
    checks.deployment_groups = vec![
        named("functions.busy", "svc-dev-BusyDeploymentGroup"),
        named("functions.idle", "svc-dev-IdleDeploymentGroup"),
        named("functions.added", "svc-dev-AddedDeploymentGroup"),
    ];
    let diagnostics = preflight_with(&checks, loader_for(&moto.endpoint)).await.0;
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["deployment-in-progress functions.busy"],
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0].message.contains(deployment_id),
        "{}",
        diagnostics[0]
    );
    assert!(diagnostics[0]
        .message
        .contains("a conflicting deployment is in progress"));

    checks.stack_name = "svc-never-deployed".into();
    let diagnostics = preflight_with(&checks, loader_for(&moto.endpoint)).await.0;
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

/// moto has no GetDeploymentConfig: a scripted endpoint answers as CodeDeploy does.
fn deployment_configs(operation: &str, request: &Value) -> (u16, Value) {
    let name = request["deploymentConfigName"].as_str().unwrap_or_default();
    let error = |kind: &str| {
        (
            400,
            json!({"__type": kind, "message": format!("{kind} ({name})")}),
        )
    };
    match (operation, name) {
        ("GetDeploymentConfig", "team-canary") => (
            200,
            json!({"deploymentConfigInfo": {"deploymentConfigName": name, "computePlatform": "Lambda"}}),
        ),
        ("GetDeploymentConfig", name) if name.starts_with("forbidden") => {
            error("AccessDeniedException")
        }
        ("GetDeploymentConfig", "busy-config") => error("ThrottlingException"),
        ("GetDeploymentConfig", "late-config") => error("ExpiredTokenException"),
        ("GetDeploymentConfig", "crashing-config") => {
            (500, json!("<html>Internal Server Error</html>"))
        }
        ("GetDeploymentConfig", _) => error("DeploymentConfigDoesNotExistException"),
        _ => error("UnknownOperationException"),
    }
}

#[tokio::test]
async fn deployment_configs_missing_present_and_unreadable() {
    let codedeploy = ScriptedCodeDeploy::start(deployment_configs).await;
    let mut checks = request("svc-dev");
    checks.deployment_configs = vec![
        named("functions.a.deploymentSettings.type", "team-canary"),
        named("functions.b.deploymentSettings.type", "team-canray"),
        named("functions.c.deploymentSettings.type", "team-canray"),
        named("functions.d.deploymentSettings.type", "forbidden-1"),
        named("functions.e.deploymentSettings.type", "forbidden-2"),
        named("functions.f.deploymentSettings.type", "busy-config"),
        named("functions.g.deploymentSettings.type", "late-config"),
        named("functions.h.deploymentSettings.type", "crashing-config"),
    ];
    let diagnostics = preflight_with(&checks, loader_for(&codedeploy.endpoint))
        .await
        .0;
    assert_eq!(
        codes_and_paths(&diagnostics),
        [
            "aws-unavailable provider",
            "aws-unavailable provider",
            "aws-unavailable provider",
            "aws-unavailable provider",
            "deployment-config-not-found functions.b.deploymentSettings.type",
            "deployment-config-not-found functions.c.deploymentSettings.type",
        ],
        "{diagnostics:#?}"
    );
    let messages: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("may not call codedeploy:GetDeploymentConfig")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("throttling")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("rejected the credentials (ExpiredTokenException)")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("HTTP status 500")),
        "{messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains('{')),
        "no debug dump: {messages:#?}"
    );
    // One call per distinct name, however many functions use it.
    let asked_for_misspelt = codedeploy
        .calls_of("GetDeploymentConfig")
        .iter()
        .filter(|call| call.contains("\"team-canray\""))
        .count();
    assert_eq!(asked_for_misspelt, 1);
}

/// AWS answers ListDeployments for a group that does not exist yet with an error, where moto
/// answers with an empty list.
fn no_such_group(operation: &str, _request: &Value) -> (u16, Value) {
    match operation {
        "ListDeployments" => (
            400,
            json!({"__type": "DeploymentGroupDoesNotExistException", "message": "No such group"}),
        ),
        _ => (400, json!({"__type": "UnknownOperationException"})),
    }
}

#[tokio::test]
async fn a_deployment_group_that_does_not_exist_has_nothing_in_progress() {
    let moto = Moto::start();
    let codedeploy = ScriptedCodeDeploy::start(no_such_group).await;
    let config = setup_config(&moto.endpoint).await;
    create_stack(&config, "svc-dev", &[(APPLICATION_ID, "svc-dev-app-X1Y2")]).await;

    let mut checks = request("svc-dev");
    checks.deployment_groups = vec![named("functions.added", "svc-dev-AddedDeploymentGroup")];
    // CloudFormation at moto, CodeDeploy at the scripted endpoint: the per-service variable
    // wins over AWS_ENDPOINT_URL, as the AWS CLI's does.
    let loader = loader(&[
        ("AWS_ENDPOINT_URL", &moto.endpoint),
        ("AWS_ENDPOINT_URL_CODEDEPLOY", &codedeploy.endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ]);
    let diagnostics = preflight_with(&checks, loader).await.0;
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let calls = codedeploy.calls_of("ListDeployments");
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert!(
        calls[0].contains("\"applicationName\":\"svc-dev-app-X1Y2\""),
        "{calls:#?}"
    );
}

/// Every kind of check, so that every service is asked.
fn every_check() -> PreflightRequest {
    let mut checks = request("svc-dev");
    checks.alarms = (0..10)
        .map(|i| {
            by_name(
                &format!("functions.f{i}.deploymentSettings.alarms[0]"),
                &format!("alarm-{i}"),
            )
        })
        .collect();
    checks.alarms.push(by_logical_id(
        "functions.g.deploymentSettings.alarms[0]",
        "GErrors",
    ));
    checks.deployment_configs = vec![named("functions.f0.deploymentSettings.type", "team-canary")];
    checks.deployment_groups = vec![named("functions.f0", "svc-dev-F0DeploymentGroup")];
    checks
}

#[tokio::test]
async fn an_unreachable_endpoint_gives_one_line_in_bounded_time() {
    let started = Instant::now();
    let diagnostics = preflight_with(&every_check(), loader_for(&closed_port_endpoint()))
        .await
        .0;
    let elapsed = started.elapsed();
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["aws-unavailable provider"],
        "{diagnostics:#?}"
    );
    let line = diagnostics[0].to_string();
    assert!(line.contains("cannot reach AWS"), "{line}");
    assert!(
        line.contains("CloudWatch")
            && line.contains("CodeDeploy")
            && line.contains("CloudFormation"),
        "{line}"
    );
    assert!(
        !line.contains("DispatchFailure") && !line.contains('{'),
        "no debug dump: {line}"
    );
    assert!(
        elapsed < OPERATION_TIMEOUT + Duration::from_secs(3),
        "took {elapsed:?}"
    );
}

#[tokio::test]
async fn a_silent_endpoint_gives_one_line_in_bounded_time() {
    let endpoint = silent_endpoint().await;
    let started = Instant::now();
    let diagnostics = preflight_with(&every_check(), loader_for(&endpoint))
        .await
        .0;
    let elapsed = started.elapsed();
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["aws-unavailable provider"],
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0].message.contains("no answer within"),
        "{}",
        diagnostics[0]
    );
    assert!(
        elapsed < OPERATION_TIMEOUT + Duration::from_secs(3),
        "took {elapsed:?}"
    );
}

/// Accepts connections and never answers, as a black-holed endpoint behaves.
async fn silent_endpoint() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    endpoint
}

#[tokio::test]
async fn missing_credentials_give_one_line() {
    let endpoint = closed_port_endpoint();
    let started = Instant::now();
    let diagnostics = preflight_with(&every_check(), loader(&[("AWS_ENDPOINT_URL", &endpoint)]))
        .await
        .0;
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["aws-unavailable provider"],
        "{diagnostics:#?}"
    );
    let line = diagnostics[0].to_string();
    assert!(
        line.contains("no credentials found in the environment"),
        "{line}"
    );
    assert!(
        started.elapsed() < OPERATION_TIMEOUT,
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn no_region_says_so_and_asks_nothing() {
    let mut checks = every_check();
    checks.region = None;
    let diagnostics = preflight_with(&checks, loader_for(&closed_port_endpoint()))
        .await
        .0;
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["aws-unavailable provider.region"],
        "{diagnostics:#?}"
    );
}

#[tokio::test]
async fn a_malformed_region_is_named_before_any_call() {
    let mut checks = every_check();
    checks.region = Some("us east 1".into());
    let diagnostics = preflight_with(&checks, loader_for(&closed_port_endpoint()))
        .await
        .0;
    assert_eq!(
        codes_and_paths(&diagnostics),
        ["aws-unavailable provider.region"],
        "{diagnostics:#?}"
    );
    assert!(diagnostics[0].message.contains("`us east 1`"));
}

#[test]
fn the_request_reads_the_plugins_json() {
    let request: PreflightRequest = serde_json::from_value(json!({
        "region": "eu-west-1",
        "stackName": "svc-dev",
        "applicationLogicalId": APPLICATION_ID,
        "alarms": [{"path": "functions.a.deploymentSettings.alarms[0]", "logicalId": "AErrors"}],
        "deploymentGroups": [{"path": "functions.a", "name": "svc-dev-ALambdaFunctionDeploymentGroup"}]
    }))
    .expect("a valid request");
    assert_eq!(request.profile, None);
    assert_eq!(request.alarms[0].logical_id.as_deref(), Some("AErrors"));
    assert!(request.deployment_configs.is_empty());
}

/// napi runs an async export's future on its tokio runtime, which needs it to be Send.
#[test]
fn the_preflight_future_can_run_on_a_multi_threaded_runtime() {
    fn assert_send<T: Send>(_: &T) {}
    let input = PreflightInput {
        request: request("svc-dev"),
        source: None,
    };
    assert_send(&preflight_report(&input));
}
