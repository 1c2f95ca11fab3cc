//! `sls canary:status`: the application and the stack's alarms are found through the stack and
//! alarm states read from CloudWatch (moto); deployments, their Lambda targets and configs come
//! from a scripted CodeDeploy endpoint, since moto neither plays a deployment nor has targets.

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::request::AlarmCheck;
use crate::status::{deployment_status_with, CanaryTarget, Checks, StatusRequest};
use crate::status_view::{self, Outcome};
use crate::test_support::{
    closed_port_endpoint, create_stack, loader, put_alarm, put_lambda_metric, setup_config, Moto,
    ScriptedCodeDeploy, REGION,
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
        memory: Default::default(),
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
            // Its rollback brought all traffic back and its error names the alarm: its
            // target, which alone numbers the versions, is not read.
            "other: rolled back to the previous version because alarm other-errors fired (deployment d-OTHER stopped)",
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
        Some("  result   rolled back to the previous version because alarm other-errors fired (deployment d-OTHER stopped)")
    );
    // Targets: the deployment in progress, and the stop whose traffic stays split.
    let mut read: Vec<String> = codedeploy
        .calls_of("ListDeploymentTargets")
        .iter()
        .map(|call| deployment_id(call))
        .collect();
    read.sort();
    assert_eq!(read, ["d-HALTED", "d-HELLO"]);
    // The predefined config is known by name; the custom one is asked about once.
    let configs = codedeploy.calls_of("GetDeploymentConfig");
    assert_eq!(configs.len(), 1, "{configs:#?}");
    assert!(configs[0].contains("svc-dev-linear"), "{configs:#?}");
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

/// The `deploymentId` of a recorded call, `<Operation> <request JSON>`.
fn deployment_id(call: &str) -> String {
    let (_, request) = call.split_once(' ').expect("an operation and its request");
    let request: Value = serde_json::from_str(request).expect("its JSON");
    request["deploymentId"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// What a poll hands on comes back with the next poll of the watch: that poll asks CodeDeploy
/// only about the deployment in progress (not even which deployment its group is on), reads
/// no config again, and reports the same.
#[tokio::test]
async fn a_watch_reads_what_cannot_change_once() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let poll = |memory| {
        let request = StatusRequest {
            memory,
            ..request()
        };
        let loader = loader(&endpoints(&moto, &codedeploy));
        async move { deployment_status_with(&request, loader).await }
    };
    let first_report = status_view::report(poll(Default::default()).await, NOW);
    let memory = &first_report.memory;
    let mut settled: Vec<&String> = memory.settled.0.keys().collect();
    settled.sort();
    // `other`'s release, the rollback that ended it, and `halted`'s; not `hello`'s.
    assert_eq!(settled, ["d-HALTED", "d-OTHER", "d-OTHERR"]);
    assert_eq!(
        memory.in_progress,
        [(group("hello"), "d-HELLO".to_owned())].into()
    );
    let first_calls = codedeploy.calls_of("").len();

    let second = poll(memory.clone()).await;
    let calls = codedeploy.calls_of("")[first_calls..].to_vec();
    let of = |operation: &str| -> Vec<&String> {
        calls
            .iter()
            .filter(|c| c.starts_with(&format!("{operation} ")))
            .collect()
    };
    assert_eq!(of("ListDeploymentTargets").len(), 1, "{calls:#?}");
    assert_eq!(of("BatchGetDeploymentTargets").len(), 1, "{calls:#?}");
    assert_eq!(of("BatchGetDeployments").len(), 1, "{calls:#?}");
    assert!(
        of("BatchGetDeployments")[0].contains("d-HELLO"),
        "{calls:#?}"
    );
    assert!(of("GetDeploymentConfig").is_empty(), "{calls:#?}");
    let asked_groups = of("BatchGetDeploymentGroups");
    assert!(
        asked_groups.iter().all(|c| !c.contains(&group("hello"))),
        "{calls:#?}"
    );
    let summaries = |report: &status_view::StatusReport| -> Vec<String> {
        report.functions.iter().map(|f| f.summary.clone()).collect()
    };
    let second_report = status_view::report(second, NOW);
    assert_eq!(summaries(&second_report), summaries(&first_report));
    assert_eq!(second_report.memory.settled, first_report.memory.settled);
}

/// The deploy's look before the stack update reads no target: it only notes which deployment
/// each group is on. Its later polls read the target of the deployment in progress alone.
#[tokio::test]
async fn the_deploy_s_first_look_reads_no_target() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let poll = |memory, first_look| {
        let request = StatusRequest {
            memory,
            first_look,
            ..request()
        };
        let loader = loader(&endpoints(&moto, &codedeploy));
        async move { status_view::report(deployment_status_with(&request, loader).await, NOW) }
    };
    let targets_read = || -> Vec<String> {
        let calls = codedeploy.calls_of("ListDeploymentTargets");
        calls.iter().map(|call| deployment_id(call)).collect()
    };
    let first = poll(Default::default(), true).await;
    assert_eq!(targets_read(), Vec::<String>::new());
    let ids = |report: &status_view::StatusReport| -> Vec<Option<String>> {
        let id = |f: &status_view::FunctionStatus| f.deployment.as_ref().map(|d| d.id.clone());
        report.functions.iter().map(id).collect()
    };
    let expected = [Some("d-HELLO"), Some("d-OTHER"), Some("d-HALTED"), None];
    assert_eq!(ids(&first), expected.map(|id| id.map(String::from)));

    let second = poll(first.memory.clone(), false).await;
    assert_eq!(targets_read(), ["d-HELLO"]);
    assert_eq!(ids(&second), ids(&first));
}

/// The stack's resources are listed once all are found, and carried: a later poll whose
/// CloudFormation cannot be reached still reports. One not found yet (`fresh`'s alias, which
/// the next deploy creates) is looked for again.
#[tokio::test]
async fn the_stack_is_listed_again_only_while_something_is_missing() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(play).await;
    let unreachable = closed_port_endpoint();
    let poll = |functions: Vec<CanaryTarget>, memory, cloudformation: Option<&str>| {
        let request = StatusRequest {
            functions,
            memory,
            ..request()
        };
        let mut vars = endpoints(&moto, &codedeploy).to_vec();
        if let Some(cloudformation) = cloudformation {
            vars.push(("AWS_ENDPOINT_URL_CLOUDFORMATION", cloudformation));
        }
        let loader = loader(&vars);
        async move { status_view::report(deployment_status_with(&request, loader).await, NOW) }
    };
    let deployed: Vec<CanaryTarget> = request()
        .functions
        .into_iter()
        .filter(|f| f.function != "fresh")
        .collect();
    let first = poll(deployed.clone(), Default::default(), None).await;
    assert!(first.memory.stack.is_some(), "{first:#?}");
    let second = poll(deployed, first.memory.clone(), Some(&unreachable)).await;
    assert!(second.diagnostics.is_empty(), "{second:#?}");
    let summary = |report: &status_view::StatusReport| report.functions[1].summary.clone();
    assert_eq!(summary(&second), summary(&first));

    let with_fresh = poll(request().functions, Default::default(), None).await;
    assert_eq!(with_fresh.memory.stack, None);
    let again = poll(request().functions, with_fresh.memory, Some(&unreachable)).await;
    let codes: Vec<&str> = again.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["aws-unavailable"], "{again:#?}");
}

/// Throttling answers each call's first attempt, as CodeDeploy does when the account's request
/// rate is spent: the SDK backs off and tries again, and the poll reports as if nothing had
/// happened.
fn throttled_once(operation: &str, request: &Value) -> (u16, Value) {
    static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let first_attempt = SEEN
        .lock()
        .expect("requests seen")
        .insert(format!("{operation} {request}"));
    if first_attempt {
        return throttled(operation, request);
    }
    play(operation, request)
}

#[tokio::test]
async fn throttling_is_waited_out() {
    let moto = Moto::start();
    stack_with_alarms(&moto).await;
    let codedeploy = ScriptedCodeDeploy::start(throttled_once).await;
    let facts = deployment_status_with(&request(), loader(&endpoints(&moto, &codedeploy))).await;
    let report = status_view::report(facts, NOW);
    assert!(report.diagnostics.is_empty(), "{report:#?}");
    assert_eq!(
        report.functions[2].summary,
        "halted: stopped on request: traffic stays 40% on version 4, 60% on version 3 (deployment d-HALTED stopped, no rollback)"
    );
    // Every call was sent twice: throttled, then answered.
    let calls = codedeploy.calls_of("");
    let distinct: BTreeSet<&String> = calls.iter().collect();
    assert_eq!(calls.len(), 2 * distinct.len(), "{calls:#?}");
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
