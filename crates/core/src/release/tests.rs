use serde_json::{json, Value};

use super::*;
use crate::plan::test_support::{canary, input};
use crate::traffic::{Shift, PREDEFINED_TYPES};

/// The minutes CodeDeploy's shifting takes, played step by step: the first step moves at
/// once, each later one an interval after the one before, until all traffic has moved.
fn played(shift: Shift, percent: u32, interval: u32) -> u32 {
    let (mut moved, mut minutes) = (percent, 0);
    while moved < 100 {
        minutes += interval;
        moved = match shift {
            Shift::Canary => 100,
            Shift::Linear => (moved + percent).min(100),
        };
    }
    minutes
}

fn release_of(type_name: impl Into<Value>) -> FunctionRelease {
    let mut input = input(
        json!({"hello": canary(json!({"type": type_name.into(), "alias": "Live"}))}),
        Value::Null,
    );
    input.describe_release = true;
    let plan = crate::plan::plan(&input);
    assert!(plan.error_report.is_none(), "{:?}", plan.error_report);
    plan.release.unwrap().functions.remove(0)
}

#[test]
fn a_canary_shifts_for_its_interval() {
    let mut names: Vec<String> = PREDEFINED_TYPES
        .iter()
        .filter(|name| name.starts_with("Canary"))
        .map(|name| name.to_string())
        .collect();
    names.extend(["Canary5Percent1Minute", "Canary50Percent2880Minutes"].map(String::from));
    for name in names {
        let (shift, percent, interval) = DeploymentType::parse(&name).unwrap().routing().unwrap();
        assert_eq!(shift, Shift::Canary);
        let release = release_of(name.as_str());
        assert_eq!(
            release.minutes,
            Some(played(shift, percent, interval)),
            "{name}"
        );
        assert_eq!(release.minutes, Some(interval), "{name}");
    }
    assert_eq!(
        release_of("Canary10Percent5Minutes").shift,
        "10% for 5 minutes, then the rest"
    );
    assert_eq!(
        release_of("Canary5Percent1Minute").shift,
        "5% for 1 minute, then the rest"
    );
}

#[test]
fn a_linear_shift_takes_its_steps_after_the_first() {
    let mut names: Vec<String> = PREDEFINED_TYPES
        .iter()
        .filter(|name| name.starts_with("Linear"))
        .map(|name| name.to_string())
        .collect();
    names.extend(
        [
            "Linear30PercentEvery2Minutes",
            "Linear33PercentEvery1Minute",
            "Linear50PercentEvery60Minutes",
        ]
        .map(String::from),
    );
    for name in names {
        let (shift, percent, interval) = DeploymentType::parse(&name).unwrap().routing().unwrap();
        assert_eq!(shift, Shift::Linear);
        assert_eq!(
            release_of(name.as_str()).minutes,
            Some(played(shift, percent, interval)),
            "{name}"
        );
    }
    assert_eq!(release_of("Linear10PercentEvery1Minute").minutes, Some(9));
    assert_eq!(
        release_of("Linear10PercentEvery10Minutes").minutes,
        Some(90)
    );
    // 30, 60, 90, 100: four steps, three waits of 2 minutes.
    let thirty = release_of("Linear30PercentEvery2Minutes");
    assert_eq!(thirty.minutes, Some(6));
    assert_eq!(thirty.shift, "30% more every 2 minutes, in 4 steps");
}

#[test]
fn all_at_once_takes_no_time() {
    let release = release_of("AllAtOnce");
    assert_eq!(release.minutes, Some(0));
    assert_eq!(release.shift, "all at once");
}

#[test]
fn a_config_outside_the_stack_has_no_known_length() {
    let release = release_of(json!({"name": "team-config"}));
    assert_eq!(release.minutes, None);
    assert_eq!(
        release.shift,
        "as deployment config `team-config` says (outside the stack)"
    );
}

fn function(name: &str, minutes: Option<u32>) -> FunctionRelease {
    FunctionRelease {
        function: name.into(),
        minutes,
        ..FunctionRelease::default()
    }
}

#[test]
fn the_release_lasts_its_longest_shift_or_its_longest_chain() {
    let functions = || {
        vec![
            function("a", Some(30)),
            function("b", Some(5)),
            function("c", Some(9)),
            function("d", Some(30)),
        ]
    };
    let together = ReleasePlan::new(("svc", "dev"), functions(), None, None);
    assert_eq!((together.minutes, together.chains), (30, None));
    assert_eq!(together.longest, ["a", "d"]);
    // Two chains: a then c (39), d then b (35).
    let chains = Some(vec![vec![0, 2], vec![3, 1]]);
    let chained = ReleasePlan::new(("svc", "dev"), functions(), chains, None);
    assert_eq!((chained.minutes, chained.chains), (39, Some(2)));
    assert_eq!(chained.longest, ["a", "c"]);
    let bypassed = ReleasePlan::new(
        ("svc", "dev"),
        vec![function("a", Some(0))],
        None,
        Some(Bypass { skip_hooks: false }),
    );
    assert_eq!(render(&bypassed)[..2], [
        "svc (dev): 1 canaried function; traffic shifts all at once",
        "--canary-bypass: every function shifts all at once in this deploy; no alarm is consulted; hooks run",
    ]);
    let unknown = ReleasePlan::new(
        ("svc", "dev"),
        vec![function("a", Some(5)), function("t", None)],
        None,
        None,
    );
    assert_eq!(
        render(&unknown)[0],
        "svc (dev): 2 canaried functions; traffic shifts for 5 minutes in all (longest: a), plus what the configs outside the stack take (t)"
    );
}

#[test]
fn aws_facts_land_on_their_functions() {
    let mut plan = ReleasePlan::new(
        ("svc", "dev"),
        vec![function("a", Some(5)), function("ab", Some(5))],
        None,
        None,
    );
    let facts = ReleaseFacts {
        first_releases: Some(vec!["ab".into()]),
        firing: vec![Firing {
            path: "functions.a.deploymentSettings.alarms[0]".into(),
            name: "a-errors".into(),
        }],
    };
    plan.add_facts(&AccountFacts::new(facts, &[]));
    assert_eq!(plan.functions[0].first_release, Some(false));
    assert_eq!(plan.functions[1].first_release, Some(true));
    assert_eq!(plan.functions[0].firing, ["a-errors"]);
    assert!(plan.functions[1].firing.is_empty(), "`ab` is not below `a`");
}

#[test]
fn the_packaging_says_the_account_s_facts_unless_it_has_an_error() {
    let account = AccountFacts {
        release: ReleaseFacts {
            first_releases: Some(vec!["hello".into()]),
            firing: Vec::new(),
        },
        problems: vec![AccountProblem {
            path: "functions.hello.deploymentSettings.type".into(),
            rendered:
                "error[deployment-config-not-found] functions.hello.deploymentSettings.type: …"
                    .into(),
        }],
        errors: 1,
    };
    let described = |settings: Value| {
        let mut input = input(json!({"hello": canary(settings)}), Value::Null);
        input.describe_release = true;
        input.account_facts = Some(account.clone());
        let plan = crate::plan::plan(&input);
        let answer = crate::plan::PlanAnswer::new(&input, &plan);
        serde_json::to_value(answer).unwrap()["release"].take()
    };

    let release = described(json!({"type": "AllAtOnce", "alias": "Live"}));
    assert_eq!(release["plan"]["askedAws"], true);
    assert_eq!(release["plan"]["functions"][0]["firstRelease"], true);
    assert_eq!(release["awsErrors"], 1);
    let lines: Vec<&str> = release["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    assert!(
        lines.contains(&"  AWS: first release: no alias is deployed yet, so CloudFormation creates it on the new version and nothing shifts"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.contains("deployment-config-not-found")),
        "{lines:?}"
    );

    // An error of the plan stops the packaging: nothing of AWS's is said.
    let broken = described(json!({"type": "AllAtOnce", "alias": "Live", "minTraffic": 0}));
    assert_eq!(broken["plan"]["askedAws"], false);
    assert_eq!(broken["awsErrors"], 0);
    assert!(!broken["lines"].to_string().contains("AWS:"), "{broken}");
}
