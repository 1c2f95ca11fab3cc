//! Over generated settings, good and bad, written as YAML: the standalone check and the
//! plugin's plan print the same settings lines, and every line points at the setting its path
//! names, as written (never an ancestor's line, never the top of the file).

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::diagnostics::Phase;
use crate::plan::PlanInput;
use crate::source::{self, Options};
use crate::validate::{validate, ValidateInput};

/// Values of each key, as YAML text: valid ones and each class of mistake.
const TYPES: &[&str] = &[
    "Canary10Percent5Minutes",
    "Canary4294967296Percent5Minutes",
    "Linear10PercentEvery99999999999Minutes",
    "{name: CodeDeployDefault.OneAtATime}",
    "[AllAtOnce]",
    "{Ref: DeployType}",
];
const ALIASES: &[&str] = &["Live", "''", "2024-01-01", "'123'", "bad alias"];
const MIN_TRAFFIC: &[&str] = &["10", "5.0", "0", "2.5", ".nan", "1e20", "-.inf"];
const BASELINES: &[&str] = &[
    "{errorRate: 2}",
    ".nan",
    "{ErrorRate: 2}",
    "{p99Ratio: 0.5}",
];
const ALARMS: &[&str] = &[
    "[HelloErrors]",
    "[{name: Check-1, namespace: AWS/Lambda, metric: Errors, threshold: 1}, {name: Check1, namespace: AWS/Lambda, metric: Errors, threshold: .inf}]",
    "[{Ref: SomeAlarm}]",
    "[.nan]",
    "notalist",
];
const TRIGGERS: &[&str] = &[
    "[{TriggerName: t, TriggerTargetArn: 'arn:aws:sns:us-east-1:123456789012:t', TriggerEvents: [DeploymentFailure, DeploymentFailure]}]",
    "[{TriggerName: t, TriggerTargetArn: nope, TriggerEvents: []}, {TriggerName: t, TriggerTargetArn: {Ref: Topic}}]",
];
const SMOKE_TESTS: &[&str] = &["[{event: {a: 1}}]", "[{name: \"a\\nb\", event: {}}]"];

/// Each key present or not, with one of its values.
fn settings() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    let key = |name: &'static str, values: &'static [&'static str]| {
        prop::option::of(prop::sample::select(values)).prop_map(move |v| v.map(|v| (name, v)))
    };
    // `Alias` in another case stands in for `alias` at times.
    let alias_key = prop::sample::select(vec!["alias", "Alias"]);
    (
        key("type", TYPES),
        (alias_key, prop::option::of(prop::sample::select(ALIASES))),
        key("minTraffic", MIN_TRAFFIC),
        key("alarms", ALARMS),
        key("triggerConfigurations", TRIGGERS),
        key("smokeTest", SMOKE_TESTS),
        key("compareToBaseline", BASELINES),
    )
        .prop_map(|(a, (alias_key, alias), c, d, e, f, g)| {
            let b = alias.map(|value| (alias_key, value));
            [a, b, c, d, e, f, g].into_iter().flatten().collect()
        })
}

/// A service of up to three functions, the last maybe without settings, with service defaults
/// maybe.
fn service_text() -> impl Strategy<Value = String> {
    let functions = prop::collection::vec(settings(), 1..=3);
    let defaults = prop::option::of(prop::sample::select(MIN_TRAFFIC));
    (functions, defaults).prop_map(|(functions, defaults)| {
        let mut text = String::from("service: svc\nprovider:\n  name: aws\n");
        if let Some(value) = defaults {
            text.push_str(&format!(
                "custom:\n  deploymentSettings:\n    maxConcurrentDeployments: {value}\n"
            ));
        }
        text.push_str("functions:\n");
        for (i, settings) in functions.iter().enumerate() {
            text.push_str(&format!("  fn{i}:\n    handler: h.h\n"));
            if settings.is_empty() {
                continue;
            }
            text.push_str("    deploymentSettings:\n");
            for (key, value) in settings {
                text.push_str(&format!("      {key}: {value}\n"));
            }
        }
        text
    })
}

/// `value` as the Framework hands it to plugins: js-yaml's numbers and dates through JSON. A
/// whole float is an integer, `.nan` and `.inf` are null, and a date is its ISO text.
fn framework_shaped(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.contains_key(source::NON_FINITE_KEY) => Value::Null,
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), framework_shaped(v)))
            .collect::<Map<String, Value>>()
            .into(),
        Value::Array(items) => items.iter().map(framework_shaped).collect(),
        Value::Number(n)
            if n.as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 1e15) =>
        {
            json!(n.as_f64().unwrap_or_default() as i64)
        }
        // Only unquoted dates are written by this generator.
        Value::String(text) if text.len() == 10 && text.as_bytes()[4] == b'-' => {
            json!(format!("{text}T00:00:00.000Z"))
        }
        other => other.clone(),
    }
}

/// The plan input as the plugin sends it for the service, with each function compiled and
/// versioned, so that only the settings can be wrong.
fn plan_input(config: &Value, text: &str) -> PlanInput<'static> {
    let config = framework_shaped(config);
    let functions = config["functions"].as_object().cloned().unwrap_or_default();
    let mut resources = Map::new();
    for name in functions.keys() {
        let id = crate::naming::function_logical_id(name);
        resources.insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": format!("svc-dev-{name}")}}));
        resources.insert(
            format!("{}VersionAbc", id.trim_end_matches("LambdaFunction")),
            json!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
    }
    crate::plan::test_support::input_from(json!({
        "service": "svc",
        "stage": "dev",
        "stackName": "svc-dev",
        "custom": config["custom"].get("deploymentSettings"),
        "functions": functions,
        "template": {"Resources": resources},
        "source": {"file": "serverless.yml", "text": text},
    }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn both_paths_print_the_same_lines_at_the_settings_they_name(text in service_text()) {
        let report = validate(&ValidateInput {
            file: "serverless.yml".into(),
            text: text.clone(),
            options: Default::default(),
            env: Default::default(),
            read_error: None,
        });
        prop_assert!(report.unreadable.is_none(), "{text}");
        let service = source::read_service(&text, &Options::default()).expect("readable");
        let planned = crate::plan::test_support::plan_leaked(plan_input(&service.config, &text));
        let settings_lines = |diagnostics: &[crate::diagnostics::Diagnostic]| {
            let mut lines: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.code.phase() == Phase::Settings)
                .map(ToString::to_string)
                .collect();
            lines.sort();
            lines
        };
        prop_assert_eq!(settings_lines(&report.diagnostics), settings_lines(&planned.diagnostics), "{}", text);
        for diagnostic in &report.diagnostics {
            prop_assert!(
                service.spans.value(&diagnostic.path).is_some(),
                "{} names a path that is not written:\n{}", diagnostic, text
            );
            let location = diagnostic.location.as_ref().expect("located");
            let at = service.spans.locate(&diagnostic.path).expect("written");
            prop_assert_eq!((location.line, location.column), (at.line, at.column));
        }
    }
}
