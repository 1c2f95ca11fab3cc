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
                path: "s[0]".into(),
                event: json!({"httpMethod": "GET", "path": "/hello"}),
                status_code: Some(200)
            },
            SmokeTest {
                name: "ping".into(),
                path: "s[1]".into(),
                event: json!("ping"),
                status_code: None
            }
        ]
    );
}

#[test]
fn an_unnamed_smoke_test_is_named_by_its_position() {
    let mut diagnostics = Diagnostics::default();
    let tests = read_smoke_tests(
        &json!([{"name": "home", "event": 1}, {"event": 2}]),
        "functions.hello.deploymentSettings.smokeTest",
        &mut diagnostics,
    );
    assert_eq!(codes(&diagnostics), Vec::<String>::new());
    let names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["home", "smokeTest[1]"]);

    // A name written like a default still meets the default it repeats.
    let mut diagnostics = Diagnostics::default();
    read_smoke_tests(
        &json!([{"event": 1}, {"name": "smokeTest[0]", "event": 2}]),
        "s",
        &mut diagnostics,
    );
    assert_eq!(codes(&diagnostics), ["duplicate-smoke-test s[1].name"]);
    assert_eq!(
        diagnostics.iter().next().unwrap().message,
        "another smoke test of this function is named `smokeTest[0]` too: `s[0]`"
    );
}

#[test]
fn a_name_that_would_break_its_log_line_is_refused() {
    let mut diagnostics = Diagnostics::default();
    let tests = read_smoke_tests(
        &json!([
            {"name": "home\npage", "event": 1},
            {"name": "tab\there", "event": 1},
            {"name": "line\u{2028}separator", "event": 1},
            {"name": "café ✓", "event": 1}
        ]),
        "s",
        &mut diagnostics,
    );
    assert_eq!(
        codes(&diagnostics),
        [
            "invalid-smoke-test-name s[0].name",
            "invalid-smoke-test-name s[1].name",
            "invalid-smoke-test-name s[2].name"
        ]
    );
    assert_eq!(
        diagnostics.iter().next().unwrap().message,
        "\"home\\npage\" has a line break or another control character, and a smoke test's name labels one line of the package log and of the hook's log"
    );
    assert_eq!(
        tests.len(),
        1,
        "unicode that prints is a name like any other"
    );
}

#[test]
fn an_event_lambda_cannot_be_invoked_with_is_refused() {
    let limit = crate::limits::SMOKE_TEST_EVENT_BYTES.value as usize;
    // `"` + text + `"`: the event as JSON.
    let at_limit = json!("x".repeat(limit - 2));
    let over = json!("x".repeat(limit - 1));
    let mut diagnostics = Diagnostics::default();
    let tests = read_smoke_tests(
        &json!([{"name": "fits", "event": at_limit}, {"name": "over", "event": over}]),
        "s",
        &mut diagnostics,
    );
    assert_eq!(
        codes(&diagnostics),
        ["smoke-test-event-too-large s[1].event"]
    );
    assert_eq!(
        diagnostics.iter().next().unwrap().message,
        "the event is 6,291,457 bytes as JSON, and Lambda's synchronous Invoke takes a payload of at most 6,291,456 bytes (6 MB), so the smoke test could never run"
    );
    assert_eq!(tests.len(), 1);
}

#[test]
fn every_broken_smoke_test_is_reported() {
    let mut diagnostics = Diagnostics::default();
    let tests = read_smoke_tests(
        &json!([
            {"name": 7, "event": {}},
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
            "wrong-type s[0].name",
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
