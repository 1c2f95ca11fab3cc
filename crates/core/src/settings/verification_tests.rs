use serde_json::json;

use super::*;

fn codes(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.path))
        .collect()
}

#[test]
fn smoke_tests_read_with_their_expectations() {
    let mut diagnostics = Diagnostics::default();
    let tests = read_smoke_tests(
        &json!([
            {"name": "home", "event": {"httpMethod": "GET", "path": "/hello"}, "expect": {"statusCode": 200}},
            {"name": "ping", "event": "ping"}
        ]),
        "s",
        &mut diagnostics,
    );
    assert_eq!(codes(&diagnostics), Vec::<String>::new());
    assert_eq!(
        tests,
        [
            SmokeTest {
                name: "home".into(),
                event: json!({"httpMethod": "GET", "path": "/hello"}),
                status_code: Some(200)
            },
            SmokeTest {
                name: "ping".into(),
                event: json!("ping"),
                status_code: None
            }
        ]
    );
}

#[test]
fn every_broken_smoke_test_is_reported() {
    let mut diagnostics = Diagnostics::default();
    let tests = read_smoke_tests(
        &json!([
            {"event": {}},
            {"name": "a"},
            {"name": "b", "event": {}, "expect": {"statusCode": 42, "body": "ok"}},
            {"name": "c", "event": {}},
            {"name": "c", "event": {}, "method": "GET"},
            "d"
        ]),
        "s",
        &mut diagnostics,
    );
    assert_eq!(
        codes(&diagnostics),
        [
            "missing-key s[0]",
            "missing-key s[1]",
            "unknown-key s[2].expect.body",
            "wrong-type s[2].expect.statusCode",
            "unknown-key s[4].method",
            "wrong-type s[5]"
        ]
    );
    assert_eq!(tests.len(), 1, "only `c` is whole");
    let mut diagnostics = Diagnostics::default();
    read_smoke_tests(
        &json!([{"name": "c", "event": {}}, {"name": "c", "event": 1}]),
        "s",
        &mut diagnostics,
    );
    assert_eq!(codes(&diagnostics), ["duplicate-smoke-test s[1].name"]);
}

#[test]
fn a_baseline_comparison_can_be_crossed_and_not_crossed() {
    let mut diagnostics = Diagnostics::default();
    let baseline = read_baseline(
        &json!({"errorRate": 2, "p99Ratio": 1.5}),
        "b",
        &mut diagnostics,
    );
    assert_eq!(
        baseline,
        Some(Baseline {
            error_rate: Some(2.0),
            p99_ratio: Some(1.5),
            min_invocations: DEFAULT_MIN_INVOCATIONS
        })
    );
    for (given, expected) in [
        (json!({"errorRate": 0}), "baseline-out-of-range b.errorRate"),
        (
            json!({"errorRate": 100}),
            "baseline-out-of-range b.errorRate",
        ),
        (json!({"p99Ratio": 1}), "baseline-out-of-range b.p99Ratio"),
        (json!({"p99Ratio": "2"}), "wrong-type b.p99Ratio"),
        (
            json!({"errorRate": 1, "minInvocations": 0}),
            "number-out-of-range b.minInvocations",
        ),
        (json!({"minInvocations": 5}), "missing-key b"),
        (
            json!({"errorRate": 1, "p50Ratio": 2}),
            "unknown-key b.p50Ratio",
        ),
        (json!(true), "wrong-type b"),
    ] {
        let mut diagnostics = Diagnostics::default();
        let baseline = read_baseline(&given, "b", &mut diagnostics);
        assert_eq!(codes(&diagnostics), [expected], "{given}");
        assert!(baseline.is_none(), "{given}");
    }
}

#[test]
fn min_traffic_is_a_positive_count() {
    let mut diagnostics = Diagnostics::default();
    assert_eq!(
        read_min_traffic(&json!(50), "m", &mut diagnostics),
        Some(50)
    );
    assert_eq!(read_min_traffic(&json!(0), "m", &mut diagnostics), None);
    assert_eq!(read_min_traffic(&json!(2.5), "m", &mut diagnostics), None);
    assert_eq!(
        read_min_traffic(&json!("many"), "m", &mut diagnostics),
        None
    );
    assert_eq!(
        codes(&diagnostics),
        [
            "number-out-of-range m",
            "number-out-of-range m",
            "wrong-type m"
        ]
    );
}
