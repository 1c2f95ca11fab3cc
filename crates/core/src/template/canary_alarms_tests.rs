use serde_json::{json, Value};

use super::*;
use crate::plan::test_support::{canary, error_codes, input, run};
use crate::plan::{plan, Plan};
use crate::template::tree::node;

/// `hello` and `other` canaried, with `canaryAlarms` as given for each.
fn planned(hello: Value, other: Value) -> Plan<'static> {
    run(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live", "alarms": ["HelloErrorsAlarm"], "canaryAlarms": hello})),
            "other": canary(json!({"type": "Canary10Percent5Minutes", "alias": "Live", "canaryAlarms": other}))
        }),
        Value::Null,
    )
}

#[test]
fn each_entry_is_an_alarm_on_the_new_version_shaped_as_the_fork_shapes_it() {
    let plan = planned(
        json!([{"preset": "errors", "threshold": 5},
               {"name": "rate", "threshold": 0.05, "expression": "e / i",
                "metrics": [{"id": "e", "metric": "Errors", "statistic": "Sum"},
                            {"id": "i", "metric": "Invocations", "statistic": "Sum"}]}]),
        json!([{"metric": "Duration", "threshold": 800, "statistic": "p99"}]),
    );
    assert_eq!(error_codes(&plan), []);
    let dimensions = json!([
        {"Name": "FunctionName", "Value": {"Ref": "HelloLambdaFunction"}},
        {"Name": "Resource", "Value": {"Fn::Join": [":", [{"Ref": "HelloLambdaFunction"}, "Live"]]}},
        {"Name": "ExecutedVersion", "Value": {"Fn::GetAtt": ["HelloLambdaVersionAbc", "Version"]}}
    ]);
    assert_eq!(
        plan.resources["HelloLambdaFunctionCanaryErrorsAlarm"],
        json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmName": {"Fn::Sub": "svc-dev-hello-canary-errors-v${HelloLambdaVersionAbc.Version}"},
            "AlarmDescription": "Canary alarm for HelloLambdaFunction function",
            "MetricName": "Errors", "Namespace": "AWS/Lambda", "Dimensions": dimensions,
            "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
            "Threshold": 5, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"
        }})
    );
    let math = &plan.resources["HelloLambdaFunctionCanaryRateAlarm"]["Properties"];
    assert_eq!(
        math["Metrics"],
        json!([
            {"Id": "e", "MetricStat": {"Metric": {"MetricName": "Errors", "Namespace": "AWS/Lambda", "Dimensions": dimensions}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "i", "MetricStat": {"Metric": {"MetricName": "Invocations", "Namespace": "AWS/Lambda", "Dimensions": dimensions}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "expr", "Expression": "e / i", "ReturnData": true}
        ])
    );
    crate::plan::test_support::assert_metric_math_only(math);
    let slow = &plan.resources["OtherLambdaFunctionCanaryDurationAlarm"]["Properties"];
    assert_eq!(slow["ExtendedStatistic"], "p99");
    assert!(
        slow.get("Statistic").is_none(),
        "a percentile is not a Statistic"
    );
}

#[test]
fn one_composite_alarm_joins_them_all_and_every_group_with_canary_alarms_watches_it() {
    let plan = planned(json!([{"preset": "errors"}]), json!([{"preset": "errors"}]));
    assert_eq!(
        plan.resources["CanaryDeploymentCompositeAlarm"],
        json!({"Type": "AWS::CloudWatch::CompositeAlarm", "Properties": {
            "AlarmName": {"Fn::Sub": "svc-dev-canary-composite"},
            "AlarmDescription": "Stack composite alarm for canary deployments",
            "AlarmRule": {"Fn::Sub": "ALARM(${HelloLambdaFunctionCanaryErrorsAlarm}) OR ALARM(${OtherLambdaFunctionCanaryErrorsAlarm})"}
        }})
    );
    let alarms_of = |group: &str| plan.resources[group]["Properties"]["AlarmConfiguration"].clone();
    assert_eq!(
        alarms_of("HelloLambdaFunctionDeploymentGroup"),
        json!({"Enabled": true, "Alarms": [{"Name": {"Ref": "HelloErrorsAlarm"}}, {"Name": {"Ref": "CanaryDeploymentCompositeAlarm"}}]})
    );
    assert_eq!(
        alarms_of("OtherLambdaFunctionDeploymentGroup"),
        json!({"Enabled": true, "Alarms": [{"Name": {"Ref": "CanaryDeploymentCompositeAlarm"}}]})
    );

    assert_eq!(
        plan.summary.lines,
        [
            "hello: AllAtOnce through alias `Live` (HelloLambdaFunctionDeploymentGroup, 1 alarm, 1 canary alarm in the stack's composite)",
            "other: Canary10Percent5Minutes through alias `Live` (OtherLambdaFunctionDeploymentGroup, 1 canary alarm in the stack's composite)"
        ],
        "the log says what each group watches"
    );

    let plan = planned(json!([]), Value::Null);
    assert!(!plan
        .resources
        .contains_key("CanaryDeploymentCompositeAlarm"));
    assert_eq!(
        plan.resources["OtherLambdaFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"],
        json!({"Enabled": false}),
        "no entries, no composite"
    );
}

#[test]
fn custom_level_canary_alarms_apply_to_functions_without_their_own() {
    let plan = run(
        json!({
            "hello": canary(json!({"type": "AllAtOnce", "alias": "Live"})),
            "other": canary(json!({"type": "AllAtOnce", "alias": "Live", "canaryAlarms": [{"metric": "Throttles", "threshold": 0}]}))
        }),
        json!({"canaryAlarms": [{"preset": "errors"}]}),
    );
    assert_eq!(error_codes(&plan), []);
    assert!(plan
        .resources
        .contains_key("HelloLambdaFunctionCanaryErrorsAlarm"));
    assert!(plan
        .resources
        .contains_key("OtherLambdaFunctionCanaryThrottlesAlarm"));
    assert!(
        !plan
            .resources
            .contains_key("OtherLambdaFunctionCanaryErrorsAlarm"),
        "a function's own list replaces the default, as in the fork"
    );
}

#[test]
fn the_composite_stays_within_cloudwatch() {
    let many: Vec<(String, String)> = (0..101)
        .map(|i| {
            (
                format!("A{i}Alarm"),
                format!("s-d-f-canary-m{i}-v${{V.Version}}"),
            )
        })
        .collect();
    let mut diagnostics = Diagnostics::default();
    composite(&many, "s-d-canary-composite", "c", &mut diagnostics);
    let codes: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(codes, ["error[composite-alarm-too-large] c: the stack's canary composite alarm (CanaryDeploymentCompositeAlarm) joins 101 alarms; CloudWatch allows 100 (use fewer `canaryAlarms` entries across the service's functions)"]);

    let long_name = format!("{}-v${{V.Version}}", "n".repeat(200));
    let long: Vec<(String, String)> = (0..50)
        .map(|i| (format!("A{i}"), long_name.clone()))
        .collect();
    let mut diagnostics = Diagnostics::default();
    composite(&long, "s-d-canary-composite", "c", &mut diagnostics);
    assert_eq!(
        diagnostics.iter().map(|d| d.message.clone()).collect::<Vec<_>>(),
        ["the stack's canary composite alarm (CanaryDeploymentCompositeAlarm) has a rule of about 10896 characters; CloudWatch allows 10240 characters"],
        "50 x (ALARM() + 202 + 5 digits) + 49 x OR"
    );
    let fits: Vec<(String, String)> = long.into_iter().take(46).collect();
    let mut diagnostics = Diagnostics::default();
    composite(&fits, "s-d-canary-composite", "c", &mut diagnostics);
    assert!(diagnostics.is_empty(), "46 of them fit: 10,028 characters");
}

#[test]
fn alarm_names_stay_within_cloudwatch() {
    let function = "f".repeat(200);
    let mut input = input(
        json!({ &function: canary(json!({"type": "AllAtOnce", "alias": "Live", "canaryAlarms": [{"preset": "errors"}]})) }),
        Value::Null,
    );
    let resources = input.template["Resources"].as_object_mut().unwrap();
    let function_id = crate::naming::function_logical_id(&function);
    resources.insert(
        function_id.clone(),
        node!({"Type": "AWS::Lambda::Function", "Properties": {}}),
    );
    resources.insert("FVersion", node!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": function_id}}}));
    input.service = "s".repeat(40);
    let planned = plan(&input);
    assert_eq!(
        error_codes(&planned),
        [(
            format!("functions.{function}.deploymentSettings.canaryAlarms[0]").as_str(),
            "alarm-name-too-long"
        )]
    );
    input.service = "s".repeat(29);
    assert_eq!(
        error_codes(&plan(&input)),
        [],
        "`<29>-dev-<200>-canary-errors-v` and 5 digits: 255 fits"
    );
}
