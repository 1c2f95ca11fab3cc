use serde_json::{json, Value};

use super::*;

/// The entries read from `list`, and every problem as `code path`.
fn read(list: Value) -> (Vec<CanaryAlarm>, Vec<String>) {
    let mut diagnostics = Diagnostics::default();
    let alarms = read_canary_alarms(&list, "c", &mut diagnostics);
    (
        alarms.into_iter().map(|alarm| alarm.value).collect(),
        diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.path))
            .collect(),
    )
}

#[test]
fn each_kind_reads_with_the_fork_defaults_under_what_it_overrides() {
    let (alarms, problems) = read(json!([
        {"preset": "errors", "threshold": 5, "treatMissingData": "breaching", "evaluationPeriods": 2},
        {"metric": "Duration", "threshold": 5000, "statistic": "p99", "period": 120},
        {"name": "error-Rate_1", "threshold": 0.05, "expression": "errors / invocations",
         "metrics": [{"id": "errors", "metric": "Errors", "statistic": "Sum"},
                     {"id": "invocations", "metric": "Invocations", "statistic": "Sum"}]}
    ]));
    assert_eq!(problems, Vec::<String>::new());
    let [preset, metric, math] = &alarms[..] else {
        panic!("{alarms:?}")
    };
    assert_eq!(
        (
            preset.base.as_str(),
            &preset.threshold,
            preset.evaluation_periods
        ),
        ("errors", &json!(5), 2)
    );
    assert_eq!(
        preset.measure,
        Measure::Metric {
            metric: "Errors".into(),
            statistic: Statistic::Standard("Sum".into())
        }
    );
    assert_eq!(
        (
            preset.period,
            preset.datapoints_to_alarm,
            preset.comparison_operator.as_str()
        ),
        (60, 1, "GreaterThanThreshold")
    );
    assert_eq!(preset.treat_missing_data, "breaching");
    assert_eq!(metric.base, "duration");
    assert_eq!(
        metric.measure,
        Measure::Metric {
            metric: "Duration".into(),
            statistic: Statistic::Extended("p99".into())
        }
    );
    assert_eq!(
        (metric.period, metric.treat_missing_data.as_str()),
        (120, "notBreaching")
    );
    assert_eq!(math.base, "errorrate1");
    let Measure::Math {
        metrics,
        expression,
    } = &math.measure
    else {
        panic!("{math:?}")
    };
    assert_eq!(expression, "errors / invocations");
    assert_eq!(metrics[1].id, "invocations");
    assert_eq!(math.namespace, "AWS/Lambda");

    let (alarms, _) = read(json!([{"preset": "errors"}]));
    assert_eq!(alarms[0].threshold, json!(1000), "the preset's threshold");
    let (alarms, _) = read(
        json!([{"metrics": [{"id": "t", "metric": "Throttles", "statistic": "Maximum"}],
        "expression": "t * 2", "threshold": 3}]),
    );
    assert_eq!(alarms[0].base, "unknown", "metric math without a name");
}

#[test]
fn two_entries_of_one_name_are_an_error_not_a_silent_replacement() {
    let (alarms, problems) = read(json!([
        {"preset": "errors"},
        {"preset": "errors", "threshold": 2},
        {"metric": "Errors", "threshold": 1},
        {"name": "Slow", "metrics": [{"id": "d", "metric": "Duration", "statistic": "p90"}], "expression": "d", "threshold": 1},
        {"name": "slow!", "metrics": [{"id": "d", "metric": "Duration", "statistic": "p90"}], "expression": "d", "threshold": 2}
    ]));
    assert_eq!(
        problems,
        [
            "duplicate-canary-alarm c[1]",
            "duplicate-canary-alarm c[2]",
            "duplicate-canary-alarm c[4]"
        ]
    );
    assert_eq!(alarms.len(), 5, "each entry is valid on its own");
    let mut diagnostics = Diagnostics::default();
    read_canary_alarms(
        &json!([{"preset": "errors"}, {"preset": "errors"}, {"preset": "errors"}]),
        "c",
        &mut diagnostics,
    );
    let named: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(
        named
            .iter()
            .all(|m| m.ends_with("which would replace the one of `c[0]`")),
        "every repeat names the first: {named:?}"
    );
}

#[test]
fn an_entry_is_one_kind_with_its_own_keys() {
    let (alarms, problems) = read(json!([
        {"preset": "errors", "metric": "Throttles"},
        {"preset": "warnings"},
        {"metric": "Errors"},
        {"threshold": 1},
        {"metric": "Errors", "threshold": 1, "name": "Named"},
        "errors"
    ]));
    assert!(alarms.is_empty(), "{alarms:?}");
    assert_eq!(
        problems,
        [
            "unknown-key c[0].metric",
            "not-accepted c[1].preset",
            "missing-key c[2]",
            "missing-key c[3]",
            "unknown-key c[4].name",
            "wrong-type c[5]"
        ]
    );
}

#[test]
fn metric_math_follows_cloudwatch() {
    let metrics: Vec<Value> = (0..11)
        .map(|i| json!({"id": format!("m{i}"), "metric": "Errors", "statistic": "Sum"}))
        .collect();
    let (_, problems) =
        read(json!([{"name": "many", "metrics": metrics, "expression": "m0", "threshold": 1}]));
    assert_eq!(problems, ["too-many c[0].metrics"]);
    let (_, problems) = read(
        json!([{"name": "ids", "expression": "a", "threshold": 1, "metrics": [
            {"id": "Errors", "metric": "Errors", "statistic": "Sum"},
            {"id": "a", "metric": "Errors", "statistic": "Sum"},
            {"id": "a", "metric": "Invocations", "statistic": "Sum"},
            {"id": "expr", "metric": "Errors", "statistic": "Sum"},
            {"id": "b", "metric": "Errors", "statistic": "Total", "unit": "Count"},
            {"id": "c", "metric": "Errors"}
        ]}]),
    );
    assert_eq!(
        problems,
        [
            "invalid-metric-id c[0].metrics[0].id",
            "invalid-metric-id c[0].metrics[2].id",
            "invalid-metric-id c[0].metrics[3].id",
            "unknown-key c[0].metrics[4].unit",
            "invalid-statistic c[0].metrics[4].statistic",
            "missing-key c[0].metrics[5]"
        ]
    );
    let (_, problems) = read(
        json!([{"name": "none", "metrics": [], "expression": "x", "threshold": 1},
        {"name": "noexpr", "metrics": [{"id": "a", "metric": "Errors", "statistic": "Sum"}], "threshold": 1}]),
    );
    assert_eq!(problems, ["wrong-type c[0].metrics", "missing-key c[1]"]);
}

#[test]
fn an_alarm_on_the_new_version_must_be_able_to_get_data_and_to_fire() {
    let (alarms, problems) = read(json!([
        {"metric": "IteratorAge", "threshold": 1000},
        {"name": "m", "expression": "a", "threshold": 1,
         "metrics": [{"id": "a", "metric": "DeadLetterErrors", "statistic": "Sum"}]},
        {"metric": "Errors", "threshold": 0, "comparisonOperator": "GreaterThanOrEqualToThreshold"},
        {"metric": "Erors", "threshold": 1},
        {"metric": "Jobs", "namespace": "My/App", "threshold": 1, "period": 10}
    ]));
    assert_eq!(
        problems,
        [
            "canary-metric-not-per-version c[0].metric",
            "canary-metric-not-per-version c[1].metrics[0].metric",
            "alarm-always-fires c[2].threshold",
            "unknown-lambda-metric c[3].metric",
            "canary-alarm-foreign-namespace c[4].namespace"
        ]
    );
    assert_eq!(
        alarms.iter().map(|a| a.base.as_str()).collect::<Vec<_>>(),
        ["erors", "jobs"],
        "warnings keep the entry"
    );
    let (_, problems) = read(json!([
        {"preset": "errors", "period": 30},
        {"preset": "errors", "evaluationPeriods": 2, "datapointsToAlarm": 3}
    ]));
    assert_eq!(
        problems,
        [
            "lambda-period-too-short c[0].period",
            "datapoints-exceed-periods c[1].datapointsToAlarm"
        ],
        "entries with errors are left out, so they are not duplicates"
    );
}
