//! The words and numbers of a deployment's status, from AWS answers built by hand.

use crate::aws::{Deployment, DeploymentError, Hook, Outcome, Routing, Traffic};
use crate::status_view::{describe, seconds_left};

const NOW: i64 = 1_800_000_000;

fn shifting(routing: Routing, new_percent: f64, shifted_ago: i64) -> Deployment {
    Deployment {
        id: "d-1".into(),
        status: "InProgress".into(),
        config: Some("svc-linear".into()),
        routing: Some(routing),
        created_at: None,
        completed_at: None,
        traffic: Some(Traffic {
            alias: Some("Live".into()),
            old_version: Some("1".into()),
            new_version: Some("2".into()),
            new_percent,
            shifted_at: Some(NOW - shifted_ago),
        }),
        seconds_left: None,
        hooks: vec![Hook {
            name: "AllowTraffic".into(),
            status: "InProgress".into(),
        }],
        error: None,
        rollback_message: None,
    }
}

#[test]
fn linear_time_left_counts_the_steps_still_to_come() {
    let linear = Routing::Linear {
        percent: 10,
        minutes: 1,
    };
    // 30% now, 7 more steps of a minute, the current one 20 s old.
    assert_eq!(
        seconds_left(&shifting(linear, 30.0, 20), NOW),
        Some(7 * 60 - 20)
    );
    let canary = Routing::Canary {
        percent: 10,
        minutes: 5,
    };
    assert_eq!(seconds_left(&shifting(canary, 10.0, 60), NOW), Some(240));
    // Past its time (clock skew, a slow step): nothing left, never negative.
    assert_eq!(seconds_left(&shifting(canary, 10.0, 900), NOW), Some(0));
    assert_eq!(
        seconds_left(&shifting(Routing::AllAtOnce, 0.0, 1), NOW),
        None
    );
}

#[test]
fn time_left_only_while_traffic_shifts() {
    let canary = Routing::Canary {
        percent: 10,
        minutes: 5,
    };
    let mut waiting = shifting(canary, 0.0, 1);
    waiting.hooks[0].status = "Pending".into();
    assert_eq!(seconds_left(&waiting, NOW), None);
    let mut done = shifting(canary, 100.0, 1);
    done.status = "Succeeded".into();
    assert_eq!(seconds_left(&done, NOW), None);
}

#[test]
fn a_running_hook_is_named_and_long_waits_read_in_hours() {
    let linear = Routing::Linear {
        percent: 10,
        minutes: 30,
    };
    let mut deployment = shifting(linear, 10.0, 0);
    deployment.seconds_left = seconds_left(&deployment, NOW);
    let status = describe("api", "g", Some(deployment), vec![]);
    assert_eq!(
        status.summary,
        "api: 10% on version 2, 90% on version 1, 4h 30m left · no alarms attached"
    );

    let mut before = shifting(linear, 0.0, 0);
    before.hooks.insert(
        0,
        Hook {
            name: "BeforeAllowTraffic".into(),
            status: "InProgress".into(),
        },
    );
    before.hooks[1].status = "Pending".into();
    let status = describe("api", "g", Some(before), vec![]);
    assert_eq!(
        status.summary,
        "api: deployment d-1 running BeforeAllowTraffic hook · no alarms attached"
    );
}

#[test]
fn every_way_a_deployment_ends_is_said_plainly() {
    let ended = |status: &str, code: &str, message: &str| {
        let mut deployment = shifting(Routing::AllAtOnce, 0.0, 0);
        deployment.status = status.into();
        deployment.error = (!code.is_empty()).then(|| DeploymentError {
            code: code.into(),
            message: message.into(),
        });
        describe("api", "g", Some(deployment), vec![])
    };
    let stopped = ended("Stopped", "MANUAL_STOP", "");
    assert_eq!(stopped.outcome, Outcome::RolledBack);
    assert_eq!(
        stopped.summary,
        "api: rolled back to version 1 because it was stopped on request (deployment d-1 stopped)"
    );
    let two_alarms = ended(
        "Stopped",
        "ALARM_ACTIVE",
        "The affected deployments have been stopped. Activated alarms: <api-errors> <api-latency>",
    );
    assert_eq!(
        two_alarms.summary,
        "api: rolled back to version 1 because alarms api-errors, api-latency fired (deployment d-1 stopped)"
    );
    let hook = ended(
        "Failed",
        "HOOK_EXECUTION_FAILURE",
        "The PreTraffic hook returned Failed.",
    );
    assert_eq!(
        hook.summary,
        "api: rolled back to version 1 after HOOK_EXECUTION_FAILURE: The PreTraffic hook returned Failed (deployment d-1 failed)"
    );
    let succeeded = ended("Succeeded", "", "");
    assert_eq!(succeeded.outcome, Outcome::Succeeded);
    assert_eq!(
        succeeded.summary,
        "api: shifted to version 2 (svc-linear, deployment d-1 succeeded)"
    );
}
