//! The words and numbers of a deployment's status, from AWS answers built by hand.

use super::{describe, seconds_left, FunctionStatus, Outcome};
use crate::deployment_configs::Routing;
use crate::status::{Checks, Deployment, DeploymentError, FunctionFacts, Hook, Rollback, Traffic};

const NOW: i64 = 1_800_000_000;

/// Traffic moving since AllowTraffic began `started_ago` seconds ago.
fn shifting(routing: Routing, new_percent: f64, started_ago: i64) -> Deployment {
    Deployment {
        id: "d-1".into(),
        status: "InProgress".into(),
        config: Some("svc-linear".into()),
        routing: Some(routing),
        created_at: None,
        completed_at: None,
        traffic: Some(Traffic {
            function_name: Some("svc-dev-api".into()),
            alias: Some("Live".into()),
            old_version: Some("1".into()),
            new_version: Some("2".into()),
            new_percent,
        }),
        seconds_left: None,
        hooks: vec![Hook {
            name: "AllowTraffic".into(),
            status: "InProgress".into(),
        }],
        error: None,
        shift_started: Some(NOW - started_ago),
        ended: None,
    }
}

fn facts(deployment: Deployment, rollback: Option<(&str, &str)>) -> FunctionFacts {
    FunctionFacts {
        function: "api".into(),
        deployment_group: "g".into(),
        deployment: Some(deployment),
        rollback: rollback.map(|(id, status)| Rollback {
            id: id.into(),
            status: status.into(),
        }),
        alarms: vec![],
        auto_rollback: false,
        checks: Checks::default(),
        versions: None,
    }
}

#[test]
fn time_left_counts_the_intervals_from_when_traffic_began_to_move() {
    let linear = Routing::Linear {
        percent: 10,
        minutes: 1,
    };
    // Ten steps, the first at the start: the last one 9 minutes in.
    assert_eq!(
        seconds_left(&shifting(linear, 30.0, 200), NOW),
        Some(540 - 200)
    );
    let thirds = Routing::Linear {
        percent: 33,
        minutes: 2,
    };
    // 33, 66, 99, 100: the last step 3 intervals in.
    assert_eq!(seconds_left(&shifting(thirds, 0.0, 0), NOW), Some(360));
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
    let status = describe(facts(shifting(linear, 10.0, 0), None), NOW);
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
    let status = describe(facts(before, None), NOW);
    assert_eq!(
        status.summary,
        "api: deployment d-1 running BeforeAllowTraffic hook · no alarms attached"
    );
}

fn ended(
    status: &str,
    code: &str,
    message: &str,
    rollback: Option<(&str, &str)>,
) -> FunctionStatus {
    let mut deployment = shifting(Routing::AllAtOnce, 10.0, 0);
    deployment.status = status.into();
    deployment.error = (!code.is_empty()).then(|| DeploymentError {
        code: code.into(),
        message: message.into(),
    });
    describe(facts(deployment, rollback), NOW)
}

#[test]
fn only_a_rollback_deployment_that_succeeded_is_a_rollback() {
    let rolling = ended("Stopped", "MANUAL_STOP", "", Some(("d-2", "InProgress")));
    assert_eq!(rolling.outcome, Outcome::RollingBack);
    assert_eq!(
        rolling.summary,
        "api: rolling back to version 1 because it was stopped on request (deployment d-1 stopped, rollback d-2 in progress)"
    );
    let done = ended("Stopped", "MANUAL_STOP", "", Some(("d-2", "Succeeded")));
    assert_eq!(done.outcome, Outcome::RolledBack);
    assert_eq!(
        done.summary,
        "api: rolled back to version 1 because it was stopped on request (deployment d-1 stopped)"
    );
    let no_rollback = ended("Stopped", "MANUAL_STOP", "", None);
    assert_eq!(no_rollback.outcome, Outcome::Stopped);
    assert_eq!(
        no_rollback.summary,
        "api: stopped on request: traffic stays 10% on version 2, 90% on version 1 (deployment d-1 stopped, no rollback)"
    );
    let failed_rollback = ended("Failed", "", "", Some(("d-2", "Failed")));
    assert_eq!(failed_rollback.outcome, Outcome::Stopped);
    assert!(
        failed_rollback
            .summary
            .ends_with("(deployment d-1 failed, rollback d-2 failed)"),
        "{}",
        failed_rollback.summary
    );
}

#[test]
fn the_plugin_s_checks_are_named_where_they_run_and_where_they_fail() {
    let smoke = Checks {
        smoke_test: true,
        traffic_guard: true,
    };
    let mut before = shifting(Routing::AllAtOnce, 0.0, 0);
    before.hooks = vec![
        Hook {
            name: "BeforeAllowTraffic".into(),
            status: "InProgress".into(),
        },
        Hook {
            name: "AllowTraffic".into(),
            status: "Pending".into(),
        },
    ];
    let mut running = facts(before, None);
    running.checks = smoke;
    assert_eq!(
        describe(running, NOW).summary,
        "api: deployment d-1 running the smoke test · no alarms attached"
    );

    let mut failed = shifting(Routing::AllAtOnce, 0.0, 0);
    failed.status = "Failed".into();
    failed.hooks = vec![Hook {
        name: "BeforeAllowTraffic".into(),
        status: "Failed".into(),
    }];
    failed.error = Some(DeploymentError {
        code: "HOOK_EXECUTION_FAILURE".into(),
        message: "The PreTraffic hook returned Failed.".into(),
    });
    let mut stopped = facts(failed, Some(("d-2", "Succeeded")));
    stopped.checks = smoke;
    let status = describe(stopped, NOW);
    assert_eq!(
        status.summary,
        "api: rolled back to version 1 because the smoke test failed (deployment d-1 failed)"
    );
    assert!(
        status
            .details
            .contains(&"  hooks    smoke test Failed".to_owned()),
        "{:?}",
        status.details
    );
}

#[test]
fn why_a_deployment_ended_is_said_plainly() {
    let two_alarms = ended(
        "Stopped",
        "ALARM_ACTIVE",
        "The affected deployments have been stopped. Activated alarms: <api-errors> <api-latency>",
        Some(("d-2", "Succeeded")),
    );
    assert_eq!(
        two_alarms.summary,
        "api: rolled back to version 1 because alarms api-errors, api-latency fired (deployment d-1 stopped)"
    );
    let hook = ended(
        "Failed",
        "HOOK_EXECUTION_FAILURE",
        "The PreTraffic hook returned Failed.",
        Some(("d-2", "Succeeded")),
    );
    assert_eq!(
        hook.summary,
        "api: rolled back to version 1 after HOOK_EXECUTION_FAILURE: The PreTraffic hook returned Failed (deployment d-1 failed)"
    );
    let succeeded = ended("Succeeded", "", "", None);
    assert_eq!(succeeded.outcome, Outcome::Succeeded);
    assert_eq!(
        succeeded.summary,
        "api: shifted to version 2 (svc-linear, deployment d-1 succeeded)"
    );
}

#[test]
fn a_stop_waits_a_while_for_the_rollback_the_group_is_set_up_for() {
    let stopped = |ended_ago: i64| {
        let mut deployment = shifting(Routing::AllAtOnce, 10.0, 0);
        deployment.status = "Stopped".into();
        deployment.ended = Some(NOW - ended_ago);
        let mut facts = facts(deployment, None);
        facts.auto_rollback = true;
        describe(facts, NOW)
    };
    let just_now = stopped(5);
    assert_eq!(just_now.outcome, Outcome::RollingBack);
    assert!(
        just_now
            .summary
            .ends_with("(deployment d-1 stopped, rollback starting)"),
        "{}",
        just_now.summary
    );
    assert_eq!(stopped(600).outcome, Outcome::Stopped);
}

/// A release that ended is told from CodeDeploy's description alone when its target adds
/// nothing the user needs: no versions by number, no traffic or hooks line.
#[test]
fn a_release_told_without_its_target_says_what_it_knows() {
    let without_target = |status: &str, code: &str, message: &str, rollback| {
        let mut deployment = shifting(Routing::AllAtOnce, 10.0, 0);
        deployment.status = status.into();
        deployment.traffic = None;
        deployment.hooks.clear();
        deployment.error = (!code.is_empty()).then(|| DeploymentError {
            code: code.into(),
            message: message.into(),
        });
        describe(facts(deployment, rollback), NOW)
    };
    let shipped = without_target("Succeeded", "", "", None);
    assert_eq!(
        shipped.summary,
        "api: shifted to the new version (svc-linear, deployment d-1 succeeded)"
    );
    assert_eq!(
        shipped.details[1..],
        ["  result   shifted to the new version (svc-linear, deployment d-1 succeeded)"]
    );
    let alarmed = without_target(
        "Stopped",
        "ALARM_ACTIVE",
        "Activated alarms: <api-errors>",
        Some(("d-2", "Succeeded")),
    );
    assert_eq!(
        alarmed.summary,
        "api: rolled back to the previous version because alarm api-errors fired (deployment d-1 stopped)"
    );
}
