//! Template integrity, over generated services: whatever the functions, events and resources,
//! the plan keeps every input resource, changes an existing one only where it called a
//! canaried function (now its alias), and refuses a logical ID that is already taken. Whether
//! the answer the plugin receives (created resources and patches) rebuilds exactly that template
//! is tested with the plugin's own applier, on a fixed sample of these services
//! (`fixtures/plan-cases.json`, __test__/template-patch.test.js).

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::naming::{alias_logical_id, function_logical_id};
use crate::plan::{plan, PlanAnswer, PlanInput};

#[derive(Debug, Clone)]
struct Function {
    name: String,
    /// `(type, alias)` when canaried.
    canary: Option<(&'static str, &'static str)>,
    http: bool,
    sqs: bool,
    schedule: bool,
}

fn function(index: usize) -> impl Strategy<Value = Function> {
    let canary = prop_oneof![
        Just(None),
        (
            prop::sample::select(vec![
                "AllAtOnce",
                "Canary10Percent5Minutes",
                "Linear10PercentEvery1Minute",
                "Canary20Percent7Minutes",
            ]),
            prop::sample::select(vec!["Live", "Prod", "blue_green"]),
        )
            .prop_map(Some),
    ];
    (canary, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        move |(canary, http, sqs, schedule)| Function {
            name: format!("fn{index}"),
            canary,
            http,
            sqs,
            schedule,
        },
    )
}

/// Up to five functions, a few resources that call nothing, and maybe a resource sitting on
/// the logical ID the first canary's alias needs.
fn service() -> impl Strategy<Value = (Vec<Function>, Vec<(String, String)>, bool)> {
    let functions = (1..=5usize).prop_flat_map(|n| (0..n).map(function).collect::<Vec<_>>());
    let unrelated = prop::collection::vec(("[A-Z][a-z]{1,8}", "[a-z0-9:/-]{0,20}"), 0..5);
    (functions, unrelated, any::<bool>())
}

/// What the Framework compiles for these functions, trimmed to what matters here.
fn template(functions: &[Function], unrelated: &[(String, String)]) -> Map<String, Value> {
    let mut resources = Map::new();
    for f in functions {
        let id = function_logical_id(&f.name);
        let arn = json!({"Fn::GetAtt": [id, "Arn"]});
        resources.insert(id.clone(), json!({"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": format!("svc-dev-{}", f.name)}}));
        resources.insert(
            format!("{id}VersionX1"),
            json!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
        if f.http {
            resources.insert(format!("ApiGatewayMethod{}Get", f.name), json!({"Type": "AWS::ApiGateway::Method", "Properties": {
                "HttpMethod": "GET",
                "Integration": {"Type": "AWS_PROXY", "Uri": {"Fn::Join": ["", ["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/", arn, "/invocations"]]}}}}));
            resources.insert(format!("{id}PermissionApiGateway"), json!({"Type": "AWS::Lambda::Permission", "Properties": {
                "FunctionName": arn, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
                "SourceArn": {"Fn::Join": ["", ["arn:aws:execute-api:us-east-1:", {"Ref": "AWS::AccountId"}, ":", {"Ref": "ApiGatewayRestApi"}, "/*/*"]]}}}));
        }
        if f.sqs {
            resources.insert(format!("{id}EventSourceMappingSQS"), json!({"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:queue", "FunctionName": arn}}));
        }
        if f.schedule {
            let rule = format!("{id}EventsRuleSchedule1");
            resources.insert(
                rule.clone(),
                json!({"Type": "AWS::Events::Rule", "Properties": {
                "ScheduleExpression": "rate(1 hour)", "Targets": [{"Id": "t", "Arn": arn}]}}),
            );
            resources.insert(format!("{id}PermissionEventsRuleSchedule1"), json!({"Type": "AWS::Lambda::Permission", "Properties": {
                "FunctionName": arn, "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": [rule, "Arn"]}}}));
        }
    }
    for (name, value) in unrelated {
        resources.entry(format!("Unrelated{name}")).or_insert_with(
            || json!({"Type": "AWS::SQS::Queue", "Properties": {"QueueName": value}}),
        );
    }
    resources
}

/// The plan input as the plugin sends it, for these functions over `resources`.
fn input_json(functions: &[Function], resources: Map<String, Value>) -> Value {
    let settings: Map<String, Value> = functions
        .iter()
        .map(|f| {
            let mut config = json!({"handler": "h.h"});
            if let Some((kind, alias)) = f.canary {
                config["deploymentSettings"] = json!({"type": kind, "alias": alias});
            }
            (f.name.clone(), config)
        })
        .collect();
    json!({
        "service": "svc",
        "stage": "dev",
        "stackName": "svc-dev",
        "functions": settings,
        "template": { "Resources": resources },
    })
}

fn input(functions: &[Function], resources: Map<String, Value>) -> PlanInput<'static> {
    crate::plan::test_support::input_from(input_json(functions, resources))
}

/// The template the plan makes: the input's resources less those removed, with those it
/// creates or rewires.
fn planned(resources: &Map<String, Value>, plan: &crate::plan::Plan) -> Map<String, Value> {
    let mut output = resources.clone();
    for id in &plan.removed {
        output.shift_remove(id);
    }
    for (id, resource) in &plan.resources {
        output.insert(id.to_owned(), resource.to_value());
    }
    output
}

/// Where `before` and `after` differ, `before` is a call of a canaried function (its ARN or
/// its name) and `after` is exactly that function's alias: `(function ID, alias ID)` pairs.
fn changes_only_calls(before: &Value, after: &Value, canaries: &[(String, String)]) -> bool {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) if b.len() == a.len() && b.keys().eq(a.keys()) => b
            .iter()
            .all(|(k, v)| changes_only_calls(v, &a[k], canaries)),
        (Value::Array(b), Value::Array(a)) if b.len() == a.len() => b
            .iter()
            .zip(a)
            .all(|(v, w)| changes_only_calls(v, w, canaries)),
        _ if before == after => true,
        _ => canaries.iter().any(|(function, alias)| {
            let calls = [
                json!({"Fn::GetAtt": [function, "Arn"]}),
                json!({"Ref": function}),
            ];
            calls.contains(before) && *after == json!({"Ref": alias})
        }),
    }
}

/// The canaried functions: `(function ID, alias ID)`.
fn canaries_of(functions: &[Function]) -> Vec<(String, String)> {
    functions
        .iter()
        .filter_map(|f| {
            let (_, alias) = f.canary?;
            let id = function_logical_id(&f.name);
            Some((id.clone(), alias_logical_id(&id, alias)))
        })
        .collect()
}

/// A fixed sample of the generated services, each with the template the plan makes of it:
/// __test__/template-patch.test.js gives each to the addon and rebuilds that template from the
/// answer with lib/template-patch.js, the applier the plugin uses.
const CASES_FILE: &str = "fixtures/plan-cases.json";
const CASES: usize = 60;

fn generated_cases() -> Value {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng);
    let cases: Vec<Value> = (0..CASES)
        .map(|_| {
            let (functions, unrelated, _) =
                service().new_tree(&mut runner).expect("a case").current();
            let resources = template(&functions, &unrelated);
            let input = input_json(&functions, resources.clone());
            let plan = crate::plan::test_support::plan_leaked(
                crate::plan::test_support::input_from(input.clone()),
            );
            json!({ "input": input, "planned": planned(&resources, &plan) })
        })
        .collect();
    Value::Array(cases)
}

#[test]
fn the_cases_for_the_javascript_applier_are_current() {
    let path = crate::repo_path(CASES_FILE);
    let text = format!(
        "{}\n",
        serde_json::to_string(&generated_cases()).expect("JSON")
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &text).expect("write the cases");
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == text,
        "{CASES_FILE} is stale: UPDATE_DOCS=1 cargo test -p serverless-canary-core rewrites it"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_plan_keeps_every_resource_and_rewires_only_calls((functions, unrelated, collide) in service()) {
        let mut resources = template(&functions, &unrelated);
        let canaries = canaries_of(&functions);
        // A resource of the user's, on the logical ID the first canary's alias needs.
        let taken = canaries.first().filter(|_| collide).map(|(_, alias)| alias.clone());
        if let Some(id) = &taken {
            resources.insert(id.clone(), json!({"Type": "AWS::SNS::Topic", "Properties": {}}));
        }
        let input = input(&functions, resources.clone());
        let plan = plan(&input);
        serde_json::to_string(&PlanAnswer::new(&input, &plan)).expect("the answer serialises");

        if let Some(id) = &taken {
            prop_assert!(plan.diagnostics.iter().any(|d| d.code.as_str() == "logical-id-taken" && d.path.ends_with(id.as_str())));
            prop_assert!(!plan.resources.contains_key(id), "a taken logical ID is never overwritten");
            return Ok(());
        }
        prop_assert!(plan.error_report.is_none(), "{:?}", plan.error_report);
        for id in &plan.removed {
            prop_assert_eq!(&resources[id]["Type"], "AWS::Lambda::Alias", "only Framework aliases are removed");
        }
        for (id, resource) in &plan.resources {
            if let Some(original) = resources.get(id) {
                prop_assert_eq!(&original["Type"], &resource["Type"], "{} changed type", id);
                let resource = resource.to_value();
                prop_assert!(changes_only_calls(original, &resource, &canaries), "{id} changed more than its calls:\n{original}\n{resource}");
            }
        }
        let output = planned(&resources, &plan);
        for id in resources.keys() {
            prop_assert!(output.contains_key(id) || plan.removed.contains(id), "{} was lost", id);
        }
        // Nothing still calls a canaried function's bare ARN where the Framework put a call.
        for (id, resource) in &output {
            let is_call = ["AWS::ApiGateway::Method", "AWS::Lambda::EventSourceMapping", "AWS::Events::Rule"]
                .contains(&resource["Type"].as_str().unwrap_or_default());
            if is_call {
                for (function, _) in &canaries {
                    let arn = json!({"Fn::GetAtt": [function, "Arn"]}).to_string();
                    prop_assert!(!resource.to_string().contains(&arn), "{id} still calls {function}");
                }
            }
        }
    }
}
