use serde_json::json;

use super::*;
use crate::diagnostics::Diagnostics;
use crate::settings::{read_settings, FunctionSettings};
use crate::template::bypass::Bypass;

fn settings(function: serde_json::Value) -> FunctionSettings {
    let functions = json!({
        "hello": { "handler": "h.h", "deploymentSettings": function },
        "check": { "handler": "h.check" },
        "after": { "handler": "h.after" }
    });
    let mut diagnostics = Diagnostics::default();
    let settings = read_settings(None, functions.as_object().unwrap(), &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    settings.functions.into_iter().next().unwrap()
}

/// (event, logical ID, runs) of each hook, in order.
fn hooks(function: &FunctionSettings, bypass: Option<Bypass>) -> Vec<(&'static str, String, bool)> {
    traffic_hooks(function, bypass)
        .map(|h| (h.event.name(), h.runner.logical_id(), h.runs))
        .collect()
}

#[test]
fn a_user_hook_and_a_generated_one_fill_the_two_events() {
    let pre_and_guard = settings(json!({
        "type": "AllAtOnce", "alias": "Live", "preTrafficHook": "check", "minTraffic": 10
    }));
    let gradual = vec![
        ("beforeAllowTraffic", "CheckLambdaFunction".to_owned(), true),
        (
            "afterAllowTraffic",
            "ServerlessCanaryTrafficGuardHook".to_owned(),
            true,
        ),
    ];
    assert_eq!(hooks(&pre_and_guard, None), gradual);
    // A bypass runs the user's hooks unless told to skip them; the guard has nothing to count.
    let bypassed = |skip_hooks| hooks(&pre_and_guard, Some(Bypass { skip_hooks }));
    assert_eq!(
        bypassed(false),
        vec![
            ("beforeAllowTraffic", "CheckLambdaFunction".to_owned(), true),
            (
                "afterAllowTraffic",
                "ServerlessCanaryTrafficGuardHook".to_owned(),
                false
            ),
        ]
    );
    assert!(bypassed(true).iter().all(|(_, _, runs)| !runs));
    assert_eq!(
        hook_functions(&pre_and_guard).collect::<Vec<_>>(),
        ["check"]
    );
}

#[test]
fn the_smoke_test_runs_before_traffic_and_is_skipped_only_with_the_hooks() {
    let smoke_and_post = settings(json!({
        "type": "AllAtOnce", "alias": "Live", "postTrafficHook": "after",
        "smokeTest": [{ "name": "ping", "event": {} }]
    }));
    let runs = |bypass| {
        hooks(&smoke_and_post, bypass)
            .into_iter()
            .map(|(event, id, runs)| format!("{event} {id} {runs}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        runs(None),
        [
            "beforeAllowTraffic ServerlessCanarySmokeTestHook true",
            "afterAllowTraffic AfterLambdaFunction true"
        ]
    );
    assert_eq!(runs(Some(Bypass { skip_hooks: false })), runs(None));
    assert_eq!(
        runs(Some(Bypass { skip_hooks: true })),
        [
            "beforeAllowTraffic ServerlessCanarySmokeTestHook false",
            "afterAllowTraffic AfterLambdaFunction false"
        ]
    );
}

#[test]
fn attached_alarms_are_listed_then_compared_then_the_canary_composite() {
    let function = settings(json!({
        "type": "Canary10Percent5Minutes", "alias": "Live",
        "alarms": ["StackAlarm", { "name": "team-alarm" }],
        "compareToBaseline": { "p99Ratio": 1.5, "errorRate": 2 },
        "canaryAlarms": [{ "preset": "errors", "threshold": 1 }]
    }));
    let labels: Vec<String> = attached_alarms(&function, &[])
        .iter()
        .flat_map(AttachedAlarm::labels)
        .collect();
    assert_eq!(
        labels,
        [
            "StackAlarm",
            "team-alarm",
            "compareToBaseline.errorRate",
            "compareToBaseline.p99Ratio",
            "canaryAlarms errors"
        ]
    );
    let thresholds: Vec<f64> = attached_alarms(&function, &[])
        .iter()
        .filter_map(|alarm| match alarm {
            AttachedAlarm::Baseline { threshold, .. } => Some(*threshold),
            _ => None,
        })
        .collect();
    assert_eq!(thresholds, [2.0, 1.5]);
}

#[test]
fn a_function_without_alarms_attaches_none() {
    let function = settings(json!({ "type": "AllAtOnce", "alias": "Live" }));
    assert!(attached_alarms(&function, &[]).is_empty());
    assert_eq!(traffic_hooks(&function, None).count(), 0);
}

#[test]
fn a_canary_composite_shared_with_other_functions_names_them() {
    let function = settings(json!({
        "type": "Canary10Percent5Minutes", "alias": "Live",
        "canaryAlarms": [{ "preset": "errors", "threshold": 1 }]
    }));
    let labels = |sharing: &[&str]| {
        let sharing: Vec<String> = sharing.iter().map(|s| s.to_string()).collect();
        attached_alarms(&function, &sharing)
            .iter()
            .flat_map(AttachedAlarm::labels)
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&["hello"]), ["canaryAlarms errors"]);
    assert_eq!(
        labels(&["a", "hello", "b"]),
        ["canaryAlarms errors", "canaryAlarms of a and b"]
    );
    let many: Vec<String> = (0..8).map(|i| format!("f{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        labels(&many)[1],
        "canaryAlarms of f0, f1, f2, f3, f4 and 3 more"
    );
}
