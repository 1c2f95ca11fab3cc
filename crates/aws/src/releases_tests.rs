//! What a status poll asks CodeDeploy, call by call, for a service of 30 canaried functions
//! that have all deployed before, 3 of them shifting now: moto holds the stack, a scripted
//! CodeDeploy endpoint answers and records every call.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{json, Value};

use crate::poll_memory::PollMemory;
use crate::status::{deployment_status_with, CanaryTarget, StatusRequest};
use crate::status_view::{self, StatusReport};
use crate::test_support::{create_stack, loader, setup_config, Moto, ScriptedCodeDeploy, REGION};

const FUNCTIONS: usize = 30;
const SHIFTING: usize = 3;
/// A later poll's calls: the groups not in progress, the deployments in progress in one call,
/// and two target reads for each of them.
const FOLLOWING_THE_SHIFTS: &[(&str, usize)] = &[
    ("BatchGetDeploymentGroups", 1),
    ("BatchGetDeploymentTargets", SHIFTING),
    ("BatchGetDeployments", 1),
    ("ListDeploymentTargets", SHIFTING),
];
const NOW: i64 = 1_800_000_000;
const CONFIG: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";

fn group(i: usize) -> String {
    format!("svc-dev-f{i}Group")
}

/// `d-<i>` is the group's last deployment, in progress for the first SHIFTING groups (unless
/// `ended`: then it has succeeded too), succeeded for the others.
fn answer(operation: &str, request: &Value, ended: bool) -> (u16, Value) {
    let index = |id: &str| -> Option<usize> { id.strip_prefix("d-")?.parse().ok() };
    let status = |i: usize| {
        if i < SHIFTING && !ended {
            "InProgress"
        } else {
            "Succeeded"
        }
    };
    let ids = |key: &str| -> Vec<String> {
        let listed = request[key].as_array().cloned().unwrap_or_default();
        listed
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    match operation {
        "BatchGetDeploymentGroups" => {
            let infos: Vec<Value> = ids("deploymentGroupNames")
                .iter()
                .map(|name| {
                    let i = (0..FUNCTIONS).find(|i| group(*i) == *name);
                    json!({"deploymentGroupName": name, "lastAttemptedDeployment":
                        i.map(|i| json!({"deploymentId": format!("d-{i}"), "status": status(i)}))})
                })
                .collect();
            (200, json!({ "deploymentGroupsInfo": infos }))
        }
        "BatchGetDeployments" => {
            let infos: Vec<Value> = ids("deploymentIds")
                .iter()
                .filter_map(|id| {
                    let i = index(id)?;
                    let mut info = json!({"deploymentId": id, "status": status(i),
                        "deploymentConfigName": CONFIG, "createTime": NOW - 600});
                    if status(i) == "Succeeded" {
                        info["completeTime"] = json!(NOW - 60);
                    }
                    Some(info)
                })
                .collect();
            (200, json!({ "deploymentsInfo": infos }))
        }
        "ListDeploymentTargets" => (200, json!({"targetIds": ["alias-target"]})),
        "BatchGetDeploymentTargets" => {
            let done = request["deploymentId"]
                .as_str()
                .and_then(index)
                .is_some_and(|i| status(i) == "Succeeded");
            let (weight, allow) = if done {
                (1.0, "Succeeded")
            } else {
                (0.1, "InProgress")
            };
            (
                200,
                json!({"deploymentTargets": [{"deploymentTargetType": "LambdaFunction", "lambdaTarget": {
                    "lifecycleEvents": [{"lifecycleEventName": "AllowTraffic", "status": allow, "startTime": NOW - 60}],
                    "lambdaFunctionInfo": {"functionAlias": "Live", "currentVersion": "6",
                        "targetVersion": "7", "targetVersionWeight": weight}
                }}]}),
            )
        }
        _ => (400, json!({"__type": "UnknownOperationException"})),
    }
}

fn service(operation: &str, request: &Value) -> (u16, Value) {
    answer(operation, request, false)
}

/// The shifting deployments end when the test says so.
static SHIFTS_ENDED: AtomicBool = AtomicBool::new(false);

fn service_that_ships(operation: &str, request: &Value) -> (u16, Value) {
    answer(operation, request, SHIFTS_ENDED.load(Ordering::SeqCst))
}

fn request(memory: PollMemory) -> StatusRequest {
    StatusRequest {
        region: Some(REGION.into()),
        stack_name: "svc-dev".into(),
        application_logical_id: "SvcdevDeploymentApplication".into(),
        functions: (0..FUNCTIONS)
            .map(|i| CanaryTarget {
                function: format!("f{i}"),
                deployment_group: group(i),
                alias: "Live".into(),
                alias_logical_id: format!("F{i}AliasLive"),
                ..CanaryTarget::default()
            })
            .collect(),
        now: NOW,
        memory,
        ..StatusRequest::default()
    }
}

struct Service {
    moto: Moto,
    codedeploy: ScriptedCodeDeploy,
}

impl Service {
    async fn start(script: crate::test_support::Script) -> Self {
        let moto = Moto::start();
        let aliases: Vec<(String, String)> = (0..FUNCTIONS)
            .map(|i| (format!("F{i}AliasLive"), format!("svc-dev-f{i}-live")))
            .collect();
        let mut resources: Vec<(&str, &str)> =
            vec![("SvcdevDeploymentApplication", "svc-dev-application")];
        resources.extend(aliases.iter().map(|(l, p)| (l.as_str(), p.as_str())));
        create_stack(&setup_config(&moto.endpoint).await, "svc-dev", &resources).await;
        let codedeploy = ScriptedCodeDeploy::start(script).await;
        Service { moto, codedeploy }
    }

    /// The report, and the calls it took, by operation (`ListDeploymentTargets d-1`, ...).
    async fn poll(&self, memory: PollMemory) -> (StatusReport, Vec<String>) {
        let before = self.codedeploy.calls_of("").len();
        let vars = [
            ("AWS_ENDPOINT_URL", self.moto.endpoint.as_str()),
            (
                "AWS_ENDPOINT_URL_CODEDEPLOY",
                self.codedeploy.endpoint.as_str(),
            ),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ];
        let facts = deployment_status_with(&request(memory), loader(&vars)).await;
        let report = status_view::report(facts, NOW);
        assert!(report.diagnostics.is_empty(), "{report:#?}");
        let calls = self.codedeploy.calls_of("")[before..].to_vec();
        (report, calls)
    }
}

/// How many calls of each operation, in name order.
fn counts(calls: &[String]) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for call in calls {
        let operation = call.split_once(' ').map_or(call.as_str(), |(op, _)| op);
        *counts.entry(operation.to_owned()).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

fn expect(pairs: &[(&str, usize)]) -> Vec<(String, usize)> {
    pairs.iter().map(|(op, n)| (op.to_string(), *n)).collect()
}

#[tokio::test]
async fn a_poll_reads_targets_only_of_the_deployments_in_progress() {
    let service = Service::start(service).await;
    let (first, calls) = service.poll(PollMemory::default()).await;
    // 30 groups in one call, 30 deployments 25 to a call, two target reads for each of the 3
    // in progress; the config is predefined: no call.
    assert_eq!(
        counts(&calls),
        expect(&[
            ("BatchGetDeploymentGroups", 1),
            ("BatchGetDeploymentTargets", SHIFTING),
            ("BatchGetDeployments", 2),
            ("ListDeploymentTargets", SHIFTING),
        ]),
        "{calls:#?}"
    );
    let summaries: Vec<&str> = first.functions.iter().map(|f| f.summary.as_str()).collect();
    assert_eq!(
        summaries[SHIFTING],
        "f3: shifted to the new version (Canary10Percent5Minutes, deployment d-3 succeeded)"
    );
    assert!(
        summaries[0].starts_with("f0: 10% on version 7, 90% on version 6, 4m 00s left"),
        "{summaries:#?}"
    );

    // A later poll of the watch asks nothing about what has ended, nor which deployment the
    // groups in progress are on.
    let (later, calls) = service.poll(first.memory.clone()).await;
    assert_eq!(counts(&calls), expect(FOLLOWING_THE_SHIFTS), "{calls:#?}");
    let groups_asked = &calls[0];
    assert!(groups_asked.starts_with("BatchGetDeploymentGroups"));
    assert!((0..SHIFTING).all(|i| !groups_asked.contains(&format!("\"{}\"", group(i)))));
    assert!((SHIFTING..FUNCTIONS).all(|i| groups_asked.contains(&format!("\"{}\"", group(i)))));
    let summary = |report: &StatusReport| -> Vec<String> {
        report.functions.iter().map(|f| f.summary.clone()).collect()
    };
    assert_eq!(summary(&later), summary(&first));
}

/// A deployment the watch saw in progress has its target read once more when it ends, so its
/// last line names the version it shipped; then never again. A poll that never saw it in
/// progress does without.
#[tokio::test]
async fn a_deployment_followed_to_its_end_is_read_once_more() {
    let service = Service::start(service_that_ships).await;
    let (first, _) = service.poll(PollMemory::default()).await;
    SHIFTS_ENDED.store(true, Ordering::SeqCst);

    let (ended, calls) = service.poll(first.memory.clone()).await;
    assert_eq!(counts(&calls), expect(FOLLOWING_THE_SHIFTS), "{calls:#?}");
    assert_eq!(
        ended.functions[0].summary,
        "f0: shifted to version 7 (Canary10Percent5Minutes, deployment d-0 succeeded)"
    );
    assert!(ended.memory.in_progress.is_empty(), "{:#?}", ended.memory);

    let (after, calls) = service.poll(ended.memory.clone()).await;
    assert_eq!(
        counts(&calls),
        expect(&[("BatchGetDeploymentGroups", 1)]),
        "{calls:#?}"
    );
    assert_eq!(after.functions[0].summary, ended.functions[0].summary);

    let (fresh, calls) = service.poll(PollMemory::default()).await;
    assert_eq!(
        counts(&calls),
        expect(&[("BatchGetDeploymentGroups", 1), ("BatchGetDeployments", 2)]),
        "{calls:#?}"
    );
    assert_eq!(
        fresh.functions[0].summary,
        "f0: shifted to the new version (Canary10Percent5Minutes, deployment d-0 succeeded)"
    );
}
