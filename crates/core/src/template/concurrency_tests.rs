//! `maxConcurrentDeployments` through the whole plan.

use serde_json::{json, Map, Value};

use crate::plan::test_support::{canary, error_codes, input};
use crate::plan::Plan;
use crate::template::tree::{node, Node};

/// `count` canaried functions `f0`... of `type`, in a template that has them.
fn release(count: usize, deployment_type: &str, custom: Value) -> Plan<'static> {
    release_with(count, deployment_type, custom, |_| json!({}))
}

/// [`release`], with each function's `Properties` from `properties(i)`.
fn release_with(
    count: usize,
    deployment_type: &str,
    custom: Value,
    properties: impl Fn(usize) -> Value,
) -> Plan<'static> {
    let functions: Map<String, Value> = (0..count)
        .map(|i| {
            let settings = json!({"type": deployment_type, "alias": "Live"});
            (format!("f{i}"), canary(settings))
        })
        .collect();
    let mut input = input(Value::Object(functions), custom);
    let resources = input.template["Resources"].as_object_mut().unwrap();
    for i in 0..count {
        let id = crate::naming::function_logical_id(&format!("f{i}"));
        resources.insert(
            id.clone(),
            node!({"Type": "AWS::Lambda::Function", "Properties": properties(i)}),
        );
        resources.insert(
            format!("{id}Version"),
            node!({"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": id}}}),
        );
    }
    crate::plan::test_support::plan_leaked(input)
}

/// The alias of `f<i>`.
fn alias_of(i: usize) -> String {
    format!(
        "{}AliasLive",
        crate::naming::function_logical_id(&format!("f{i}"))
    )
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
                .filter_map(Node::as_str)
                .filter(|d| d.contains("LambdaFunctionAlias"))
                .map(str::to_owned)
                .collect();
            (id.to_owned(), waits)
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
            "number-out-of-range"
        )]
    );
}

/// Each function `f<i>` names the alias of `f<i+1>` (an environment variable, say), so each
/// alias already waits for the next one's through its function and version: the chains must
/// run the last first, or a `DependsOn` closes a cycle.
#[test]
fn chains_follow_the_dependencies_the_template_already_has() {
    let count = 6;
    let plan = release_with(
        count,
        "Canary10Percent5Minutes",
        json!({"maxConcurrentDeployments": 2}),
        |i| match i + 1 < count {
            true => json!({"Environment": {"Variables": {"NEXT": {"Ref": alias_of(i + 1)}}}}),
            false => json!({}),
        },
    );
    assert_eq!(error_codes(&plan), [], "no dependency-cycle");
    let position = |alias: &str| {
        alias[1..alias.find("Lambda").unwrap()]
            .parse::<usize>()
            .unwrap()
    };
    let mut chained = 0;
    for (alias, waits) in alias_waits(&plan) {
        for waited in waits {
            chained += 1;
            assert!(
                position(&waited) > position(&alias),
                "{alias} waits for {waited}, which already waits for it"
            );
        }
    }
    assert_eq!(chained, count - 2, "two chains of three");
}

/// The chains' lengths are the same whatever order the template imposes inside them.
#[test]
fn ordering_inside_a_chain_leaves_its_length() {
    let mut chains = vec![vec![0, 1, 2], vec![3, 4]];
    super::follow_order(&mut chains, |i| 10 - i);
    assert_eq!(chains, [vec![2, 1, 0], vec![4, 3]]);
    super::follow_order(&mut chains, |i| (i % 2, i));
    assert_eq!(chains, [vec![0, 2, 1], vec![4, 3]]);
}

/// A cycle the template has without the chains is the one reported: no chain is added that the
/// report would run through instead.
#[test]
fn a_template_with_a_cycle_of_its_own_gets_no_chains() {
    // f0 names its own alias.
    let plan = release_with(
        3,
        "Canary10Percent5Minutes",
        json!({"maxConcurrentDeployments": 1}),
        |i| match i {
            0 => json!({"Environment": {"Variables": {"SELF": {"Ref": alias_of(0)}}}}),
            _ => json!({}),
        },
    );
    let cycle: Vec<&str> = plan
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "dependency-cycle")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(cycle.len(), 1);
    assert!(
        cycle[0].starts_with(
            "`F0LambdaFunction` -> `F0LambdaFunctionAliasLive` -> `F0LambdaFunction`:"
        ),
        "{}",
        cycle[0]
    );
    assert!(alias_waits(&plan).iter().all(|(_, w)| w.is_empty()));
}
