//! `sls canary:status`: the application and the stack's alarms are found through the stack and
//! alarm states read from CloudWatch (moto); deployments, their Lambda targets and configs come
//! from a scripted CodeDeploy endpoint, since moto neither plays a deployment nor has targets.

use serde_json::{json, Value};

use crate::request::AlarmCheck;
use crate::status::{deployment_status_with, CanaryTarget, Checks, StatusRequest};
use crate::status_view::{self, Outcome};
use crate::test_support::{
    create_stack, loader, put_alarm, put_lambda_metric, setup_config, Moto, ScriptedCodeDeploy,
    REGION,
};

const APPLICATION_ID: &str = "SvcdevDeploymentApplication";
/// The tests' clock: 2027-01-15T08:00:00Z.
const NOW: i64 = 1_800_000_000;

fn group(function: &str) -> String {
    format!("svc-dev-{function}Group")
}

fn request() -> StatusRequest {
    let target = |function: &str, alarms: Vec<AlarmCheck>| CanaryTarget {
        function: function.into(),
        deployment_group: group(function),
        alarms,
        auto_rollback: false,
        alias: "Live".into(),
        alias_logical_id: format!("{function}AliasLive"),
        checks: Checks {
            smoke_test: function == "hello",
            traffic_guard: false,
        },
    };
    let by_name = |function: &str, name: &str| AlarmCheck {
        path: format!("functions.{function}.deploymentSettings.alarms[0]"),
        name: Some(name.into()),
        logical_id: None,
    };
    StatusRequest {
        region: Some(REGION.into()),
        profile: None,
        stack_name: "svc-dev".into(),
        application_logical_id: APPLICATION_ID.into(),
        functions: vec![
            target(
                "hello",
                vec![
                    by_name("hello", "hello-errors"),
                    AlarmCheck {
                        path: "functions.hello.deploymentSettings.alarms[1]".into(),
                        name: None,
                        logical_id: Some("HelloLatencyAlarm".into()),
                    },
                ],
            ),
            target("other", vec![by_name("other", "other-errors")]),
            target("halted", vec![]),
            target("fresh", vec![]),
        ],
        now: NOW,
        settled: Default::default(),
        first_look: false,
    }
}

/// `hello` shifts (10% since AllowTraffic began 48 s ago, of its 5 minutes), `other` was
/// stopped by its alarm and rolled back, `halted` was stopped without a rollback, `fresh` has
/// never deployed.
fn play(operation: &str, request: &Value) -> (u16, Value) {
    match operation {
        // `hello`'s deployment is in progress; CodeDeploy rolled `other` back with a
        // deployment of its own, now the group's last.
        "BatchGetDeploymentGroups" => {
            let last = |name: &str| match name {
                n if n == group("hello") => Some(("d-HELLO", "InProgress")),
                n if n == group("other") => Some(("d-OTHERR", "Succeeded")),
                n if n == group("halted") => Some(("d-HALTED", "Stopped")),
                _ => None,
            };
            let infos: Vec<Value> = request["deploymentGroupNames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|name| match last(name) {
                    Some((id, status)) => json!({"deploymentGroupName": name,
                        "lastAttemptedDeployment": {"deploymentId": id, "status": status}}),
                    None => json!({"deploymentGroupName": name}),
                })
                .collect();
            (200, json!({ "deploymentGroupsInfo": infos }))
        }
        "BatchGetDeployments" => {
            let all = [
                json!({"deploymentId": "d-HELLO", "status": "InProgress", "createTime": NOW - 70,
                 "deploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes"}),
                json!({"deploymentId": "d-OTHER", "status": "Stopped", "createTime": NOW - 900,
                 "completeTime": NOW - 600, "deploymentConfigName": "svc-dev-linear",
                 "errorInformation": {"code": "ALARM_ACTIVE", "message": "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <other-errors>"},
                 "rollbackInfo": {"rollbackDeploymentId": "d-OTHERR"}}),
                json!({"deploymentId": "d-OTHERR", "status": "Succeeded", "createTime": NOW - 600,
                 "deploymentConfigName": "svc-dev-linear",
                 "rollbackInfo": {"rollbackTriggeringDeploymentId": "d-OTHER"}}),
                json!({"deploymentId": "d-HALTED", "status": "Stopped", "createTime": NOW - 900,
                 "deploymentConfigName": "svc-dev-linear",
                 "errorInformation": {"code": "MANUAL_STOP", "message": "Stopped by a user"}}),
            ];
            let asked = request["deploymentIds"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let found: Vec<&Value> = all
                .iter()
                .filter(|info| asked.contains(&info["deploymentId"]))
                .collect();
            (200, json!({ "deploymentsInfo": found }))
        }
        "ListDeploymentTargets" => (200, json!({"targetIds": ["target-1"]})),
        "BatchGetDeploymentTargets" => {
            let (weight, current, target, allow) = match request["deploymentId"].as_str() {
                Some("d-HELLO") => (0.1, "6", "7", "InProgress"),
                Some("d-HALTED") => (0.4, "3", "4", "Failed"),
                _ => (0.0, "3", "4", "Failed"),
            };
            (
                200,
                json!({"deploymentTargets": [{"deploymentTargetType": "LambdaFunction", "lambdaTarget": {
                    "status": "InProgress", "lastUpdatedAt": NOW - 5,
                    "lifecycleEvents": [
                        {"lifecycleEventName": "BeforeAllowTraffic", "status": "Succeeded"},
                        {"lifecycleEventName": "AllowTraffic", "status": allow, "startTime": NOW - 48},
                        {"lifecycleEventName": "AfterAllowTraffic", "status": "Pending"}
                    ],
                    "lambdaFunctionInfo": {"functionName": "svc-dev-fn", "functionAlias": "Live",
                        "currentVersion": current, "targetVersion": target, "targetVersionWeight": weight}
                }}]}),
            )
        }
        "GetDeploymentConfig" => {
            let linear = request["deploymentConfigName"] == "svc-dev-linear";
            let routing = if linear {
                json!({"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 20, "linearInterval": 2}})
            } else {
                json!({"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}})
            };
            (
                200,
                json!({"deploymentConfigInfo": {"computePlatform": "Lambda", "trafficRoutingConfig": routing}}),
            )
        }
        _ => (400, json!({"__type": "UnknownOperationException"})),
    }
}

async fn stack_with_alarms(moto: &Moto) {
    let config = setup_config(&moto.endpoint).await;
    create_stack(
        &config,
        "svc-dev",
        &[
            (APPLICATION_ID, "svc-dev-application"),
            ("HelloLatencyAlarm", "svc-dev-hello-latency"),
            // `fresh` was canaried since the last deploy: its alias is not in the stack yet.
            ("helloAliasLive", "svc-dev-hello-live"),
            ("otherAliasLive", "svc-dev-other-live"),
            ("haltedAliasLive", "svc-dev-halted-live"),
        ],
    )
    .await;
    // While `hello` shifts: 40 calls of version 7 with 3 errors, 400 with 7 through the alias.
    let alias = [
        ("FunctionName", "svc-dev-fn"),
        ("Resource", "svc-dev-fn:Live"),
    ];
    let new = [alias[0], alias[1], ("ExecutedVersion", "7")];
    for (metric, dimensions, value) in [
        ("Invocations", &new[..], 40.0),
        ("Errors", &new[..], 3.0),
        ("Invocations", &alias[..], 400.0),
        ("Errors", &alias[..], 7.0),
    ] {
        put_lambda_metric(&config, metric, dimensions, value, NOW - 30).await;
    }
    put_alarm(&config, "hello-errors", false).await;
    put_alarm(&config, "svc-dev-hello-latency", false).await;
    put_alarm(&config, "other-errors", true).await;
}

fn endpoints<'a>(moto: &'a Moto, codedeploy: &'a ScriptedCodeDeploy) -> [(&'a str, &'a str); 4] {
    [
        ("AWS_ENDPOINT_URL", moto.endpoint.as_str()),
        ("AWS_ENDPOINT_URL_CODEDEPLOY", codedeploy.endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ]
}

#[tokio::test]
async fn reports_each_function_s_deployment_traffic_hooks_and_alarms() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let facts = deployment_status_with(&request(), loader(&endpoints(&moto, &codedeploy))).await;
    let report = status_view::report(facts, NOW);
    assert!(report.diagnostics.is_empty(), "{report:#?}");

    let summaries: Vec<&str> = report
        .functions
        .iter()
        .map(|f| f.summary.as_str())
        .collect();
    assert_eq!(
        summaries,
        [
            "hello: 10% on version 7, 90% on version 6, 4m 12s left · version 7 served 40 (3 errors, 7.5%), version 6 served 360 (4 errors, 1.1%) · no alarm firing",
            "other: rolled back to version 3 because alarm other-errors fired (deployment d-OTHER stopped)",
            "halted: stopped on request: traffic stays 40% on version 4, 60% on version 3 (deployment d-HALTED stopped, no rollback)",
            "fresh: no deployment yet",
        ]
    );
    let first: Vec<&str> = report
        .first_releases
        .iter()
        .map(|f| f.line.as_str())
        .collect();
    assert_eq!(
        first,
        ["fresh: first release through alias `Live`: gradual shifting starts with the next deploy (CloudFormation creates the alias on the new version, so there is no older one to shift from)"]
    );
    let outcomes: Vec<Outcome> = report.functions.iter().map(|f| f.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::InProgress,
            Outcome::RolledBack,
            Outcome::Stopped,
            Outcome::None
        ]
    );

    let hello = &report.functions[0];
    let state = |i: usize| (hello.alarms[i].name.as_str(), hello.alarms[i].state);
    // The stack's alarm is reported by the name CloudFormation gave it.
    assert_eq!(state(1).0, "svc-dev-hello-latency");
    assert_ne!(state(0).1, "MISSING");
    assert_eq!(
        hello.details[..4],
        [
            "hello: deployment d-HELLO InProgress (Canary10Percent5Minutes), created 2027-01-15T07:58:50Z",
            "  traffic  10% on version 7, 90% on version 6 through alias Live, 4m 12s left",
            "  served   version 7 served 40 (3 errors, 7.5%), version 6 served 360 (4 errors, 1.1%)",
            "  hooks    smoke test Succeeded · AllowTraffic InProgress · AfterAllowTraffic Pending",
        ]
    );
    assert_eq!(
        hello.details[4],
        format!(
            "  alarms   hello-errors {} · svc-dev-hello-latency {}",
            state(0).1,
            state(1).1
        )
    );
    let other = &report.functions[1];
    assert_eq!(
        other.details.last().map(String::as_str),
        Some("  result   rolled back to version 3 because alarm other-errors fired (deployment d-OTHER stopped)")
    );
    assert_eq!(other.alarms[0].state, "ALARM");

    let json = serde_json::to_value(&report).expect("serialise");
    let deployment = &json["functions"][0]["deployment"];
    assert_eq!(deployment["secondsLeft"], 252);
    assert_eq!(deployment["traffic"]["newPercent"], 10.0);
    assert_eq!(
        json["functions"][0]["versions"],
        json!({"new": {"invocations": 40.0, "errors": 3.0}, "old": {"invocations": 360.0, "errors": 4.0}})
    );
    assert_eq!(
        deployment["routing"],
        json!({"type": "canary", "percent": 10, "minutes": 5})
    );
    assert_eq!(
        json["functions"][1]["deployment"]["error"]["code"],
        "ALARM_ACTIVE"
    );
    assert_eq!(
        json["functions"][1]["rollback"],
        json!({"id": "d-OTHERR", "status": "Succeeded"})
    );
    assert_eq!(json["functions"][3]["deployment"], Value::Null);
}

/// The deployments a poll found ended come back with the next poll of the watch: that poll
/// asks CodeDeploy only about the one in progress, and reports the same.
#[tokio::test]
async fn a_watch_reads_an_ended_deployment_once() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let poll = |settled| {
        let request = StatusRequest {
            settled,
            ..request()
        };
        let loader = loader(&endpoints(&moto, &codedeploy));
        async move { deployment_status_with(&request, loader).await }
    };
    let first_report = status_view::report(poll(Default::default()).await, NOW);
    let mut settled: Vec<&String> = first_report.settled.0.keys().collect();
    settled.sort();
    // `other`'s release, the rollback that ended it, and `halted`'s; not `hello`'s.
    assert_eq!(settled, ["d-HALTED", "d-OTHER", "d-OTHERR"]);
    let first_calls = codedeploy.calls_of("").len();

    let second = poll(first_report.settled.clone()).await;
    let calls = codedeploy.calls_of("")[first_calls..].to_vec();
    let of = |operation: &str| calls.iter().filter(|c| c.starts_with(operation)).count();
    assert_eq!(of("ListDeploymentTargets"), 1, "{calls:#?}");
    assert_eq!(of("BatchGetDeploymentTargets"), 1, "{calls:#?}");
    assert!(
        calls
            .iter()
            .filter(|c| c.starts_with("BatchGetDeployments"))
            .all(|c| !c.contains("d-OTHER") && !c.contains("d-HALTED")),
        "{calls:#?}"
    );
    let summaries = |report: &status_view::StatusReport| -> Vec<String> {
        report.functions.iter().map(|f| f.summary.clone()).collect()
    };
    let second_report = status_view::report(second, NOW);
    assert_eq!(summaries(&second_report), summaries(&first_report));
    assert_eq!(second_report.settled, first_report.settled);
}

/// The deploy's look before the stack update reads no target of a deployment that has ended:
/// it only notes which deployment each group is on, and its later polls do not read them
/// either.
#[tokio::test]
async fn the_deploy_s_first_look_reads_no_ended_deployment_s_target() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let poll = |settled, first_look| {
        let request = StatusRequest {
            settled,
            first_look,
            ..request()
        };
        let loader = loader(&endpoints(&moto, &codedeploy));
        async move { status_view::report(deployment_status_with(&request, loader).await, NOW) }
    };
    let targets_read = |from: usize| -> Vec<String> {
        codedeploy.calls_of("ListDeploymentTargets")[from..].to_vec()
    };
    let first = poll(Default::default(), true).await;
    let read = targets_read(0);
    assert_eq!(read.len(), 1, "{read:#?}");
    assert!(read[0].contains("d-HELLO"), "{read:#?}");
    let ids = |report: &status_view::StatusReport| -> Vec<Option<String>> {
        let id = |f: &status_view::FunctionStatus| f.deployment.as_ref().map(|d| d.id.clone());
        report.functions.iter().map(id).collect()
    };
    let expected = [Some("d-HELLO"), Some("d-OTHER"), Some("d-HALTED"), None];
    assert_eq!(ids(&first), expected.map(|id| id.map(String::from)));

    let second = poll(first.settled.clone(), false).await;
    let read = targets_read(1);
    assert_eq!(read.len(), 1, "{read:#?}");
    assert!(read[0].contains("d-HELLO"), "{read:#?}");
    assert_eq!(ids(&second), ids(&first));
}

/// Every CodeDeploy call is throttled: one line names it, and nothing is reported as
/// "no deployment".
fn throttled(_: &str, _: &Value) -> (u16, Value) {
    (
        400,
        json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
    )
}

#[tokio::test]
async fn an_outage_is_one_line_not_a_missing_deployment() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(throttled).await;
    let report = deployment_status_with(&request(), loader(&endpoints(&moto, &codedeploy))).await;
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["aws-unavailable"], "{report:#?}");
    assert!(report.functions.is_empty(), "{report:#?}");
    assert!(
        report.diagnostics[0].message.contains("CodeDeploy"),
        "{report:#?}"
    );
}

#[tokio::test]
async fn a_stack_that_is_not_deployed_is_named() {
    let moto = Moto::start();
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let report = deployment_status_with(&request(), loader(&endpoints(&moto, &codedeploy))).await;
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["stack-not-deployed"]);
    assert!(report.functions.is_empty());
    let first: Vec<&str> = report
        .first_releases
        .iter()
        .map(|f| f.function.as_str())
        .collect();
    assert_eq!(
        first,
        ["hello", "other", "halted", "fresh"],
        "a stack not deployed has no alias yet"
    );
    assert!(
        codedeploy.calls_of("").is_empty(),
        "CodeDeploy was not asked"
    );
}
