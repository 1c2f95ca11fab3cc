//! `maxConcurrentDeployments` through the whole plan.

use serde_json::{json, Map, Value};

use crate::plan::test_support::{canary, error_codes, input};
use crate::plan::{plan, Plan};

/// `count` canaried functions `f0`... of `type`, in a template that has them.
fn release(count: usize, deployment_type: &str, custom: Value) -> Plan {
    let functions: Map<String, Value> = (0..count)
        .map(|i| {
            let settings = json!({"type": deployment_type, "alias": "Live"});
            (format!("f{i}"), canary(settings))
        })
        .collect();
    let mut input = input(Value::Object(functions.clone()), custom);
    let resources = input.template["Resources"].as_object_mut().unwrap();
    for name in functions.keys() {
        let id = crate::naming::function_logical_id(name);
        resources.insert(
            id.clone(),
            json!({"Type": "AWS::Lambda::Function", "Properties": {}}),
        );
        resources.insert(
            format!("{id}Version"),
            json!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
    }
    plan(&input)
}

/// Each alias and the aliases it waits for.
fn alias_waits(plan: &Plan) -> Vec<(String, Vec<String>)> {
    plan.resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Lambda::Alias")
        .map(|(id, r)| {
            let waits = r["DependsOn"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|d| d.contains("LambdaFunctionAlias"))
                .map(str::to_owned)
                .collect();
            (id.clone(), waits)
        })
        .collect()
}

#[test]
fn thirty_aliases_in_ten_chains_of_three() {
    let plan = release(
        30,
        "Canary10Percent5Minutes",
        json!({"maxConcurrentDeployments": 10}),
    );
    assert_eq!(error_codes(&plan), []);
    let waits = alias_waits(&plan);
    let heads = waits.iter().filter(|(_, w)| w.is_empty()).count();
    assert_eq!(heads, 10, "ten aliases start at once");
    assert!(
        waits.iter().all(|(_, w)| w.len() <= 1),
        "one predecessor each"
    );
    assert_eq!(
        plan.summary.lines.last().map(String::as_str),
        Some("maxConcurrentDeployments 10: 30 canaried functions deploy in 10 chains, one deployment at a time in each; traffic shifts for up to 15 minutes in all, instead of 5 with every deployment at once")
    );
    assert_eq!(
        plan.summary.grouped.as_ref().and_then(|g| g.last()),
        plan.summary.lines.last(),
        "shown at the default level too"
    );
}

#[test]
fn without_the_setting_nothing_waits_and_a_large_release_is_advised_to_set_it() {
    let plan = release(30, "Canary10Percent5Minutes", Value::Null);
    assert!(alias_waits(&plan).iter().all(|(_, w)| w.is_empty()));
    assert_eq!(
        error_codes(&plan),
        [("custom.deploymentSettings", "many-concurrent-deployments")]
    );
    assert_eq!(error_codes(&release(14, "AllAtOnce", Value::Null)), []);
    let within = release(5, "AllAtOnce", json!({"maxConcurrentDeployments": 10}));
    assert!(
        alias_waits(&within).iter().all(|(_, w)| w.is_empty()),
        "5 of 10 need no chain"
    );
    let bad = release(2, "AllAtOnce", json!({"maxConcurrentDeployments": 0}));
    assert_eq!(
        error_codes(&bad),
        [(
            "custom.deploymentSettings.maxConcurrentDeployments",
            "wrong-type"
        )]
    );
}
