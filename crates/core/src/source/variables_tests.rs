use serde_json::json;

use super::*;

fn options(cli: &[(&str, &str)], env: &[(&str, &str)]) -> Options {
    let owned = |(name, value): &(&str, &str)| ((*name).to_owned(), (*value).to_owned());
    Options {
        cli: cli.iter().map(owned).collect(),
        env: env.iter().map(owned).collect(),
    }
}

fn resolved(config: Value, options: &Options) -> Value {
    let resolution = resolve(config, options);
    assert_eq!(resolution.unresolved, []);
    resolution.config
}

fn unresolved(path: &str, expression: &str) -> Unresolved {
    Unresolved {
        path: path.to_owned(),
        expression: expression.to_owned(),
    }
}

#[test]
fn each_source_resolves() {
    let config = json!({
        "provider": {"stage": "qa", "region": "eu-west-1"},
        "custom": {"alias": "Live"},
        "a": "${self:custom.alias}",
        "b": "${opt:region}",
        "c": "${opt:color}",
        "d": "${sls:stage}",
        "e": "${env:ALARM_TOPIC}",
    });
    let options = options(
        &[("region", "us-east-2"), ("color", "blue")],
        &[("ALARM_TOPIC", "ops")],
    );
    let config = resolved(config, &options);
    assert_eq!(
        [
            &config["a"],
            &config["b"],
            &config["c"],
            &config["d"],
            &config["e"]
        ],
        [
            &json!("Live"),
            &json!("us-east-2"),
            &json!("blue"),
            &json!("qa"),
            &json!("ops")
        ]
    );
}

#[test]
fn sls_stage_prefers_the_option_then_the_provider_then_dev() {
    let config = json!({"provider": {"stage": "${opt:stage, 'qa'}"}, "s": "${sls:stage}"});
    let with_option = options(&[("stage", "prod")], &[]);
    assert_eq!(resolved(config.clone(), &with_option)["s"], json!("prod"));
    assert_eq!(resolved(config, &Options::default())["s"], json!("qa"));
    let bare = json!({"s": "${sls:stage}"});
    assert_eq!(resolved(bare, &Options::default())["s"], json!("dev"));
}

#[test]
fn fallbacks_of_each_kind() {
    let config = json!({
        "custom": {"b": "from-self"},
        "single": "${opt:stage, 'dev'}",
        "double": "${env:X, \"a, \\\"quoted\\\" default\"}",
        "number": "${env:X, 10}",
        "negative": "${env:X, -1.5}",
        "boolean": "${env:X, false}",
        "nested": "${self:custom.a, ${opt:b}}",
        "bare": "${opt:missing, self:custom.b}",
        "chain": "${env:X, env:Y, null, 'last'}",
        "unused": "${opt:b, 'ignored'}",
    });
    let config = resolved(config, &options(&[("b", "from-option")], &[]));
    assert_eq!(config["single"], json!("dev"));
    assert_eq!(config["double"], json!("a, \"quoted\" default"));
    assert_eq!(config["number"], json!(10));
    assert_eq!(config["negative"], json!(-1.5));
    assert_eq!(config["boolean"], json!(false));
    assert_eq!(config["nested"], json!("from-option"));
    assert_eq!(config["bare"], json!("from-self"));
    assert_eq!(config["chain"], json!("last"));
    assert_eq!(config["unused"], json!("from-option"));
}

#[test]
fn a_whole_value_variable_keeps_the_type_it_points_at() {
    let config = json!({
        "custom": {
            "threshold": 5,
            "enabled": true,
            "settings": {"type": "AllAtOnce", "alias": "${opt:alias}"},
            "alarms": ["A", "B"],
        },
        "threshold": "${self:custom.threshold}",
        "enabled": "${self:custom.enabled}",
        "settings": "${self:custom.settings}",
        "first": "${self:custom.alarms.0}",
    });
    let config = resolved(config, &options(&[("alias", "Live")], &[]));
    assert_eq!(config["threshold"], json!(5));
    assert_eq!(config["enabled"], json!(true));
    assert_eq!(
        config["settings"],
        json!({"type": "AllAtOnce", "alias": "Live"})
    );
    assert_eq!(config["first"], json!("A"));
}

#[test]
fn a_variable_inside_a_longer_string_is_interpolated_as_text() {
    let config = json!({
        "custom": {"percent": 10},
        "name": "${self:service}-${sls:stage}-errors",
        "service": "orders",
        "type": "Canary${self:custom.percent}Percent5Minutes",
    });
    let config = resolved(config, &Options::default());
    assert_eq!(config["name"], json!("orders-dev-errors"));
    assert_eq!(config["type"], json!("Canary10Percent5Minutes"));
}

#[test]
fn variables_nest_inside_self_addresses() {
    let config = json!({
        "provider": {"stage": "${opt:stage, 'dev'}"},
        "custom": {"prod": {"alias": "Live"}, "dev": {"alias": "Dev"}},
        "alias": "${self:custom.${opt:stage}.alias}",
        "twice": "${self:custom.${self:provider.stage}.alias}",
    });
    let config = resolved(config, &options(&[("stage", "prod")], &[]));
    assert_eq!(config["alias"], json!("Live"));
    assert_eq!(config["twice"], json!("Live"));
}

#[test]
fn self_references_through_other_variables() {
    let config = json!({
        "custom": {"defaults": "${self:custom.shared}", "shared": {"alias": "${env:ALIAS}"}},
        "alias": "${self:custom.defaults.alias}",
    });
    let config = resolved(config, &options(&[], &[("ALIAS", "Live")]));
    assert_eq!(config["alias"], json!("Live"));
    assert_eq!(config["custom"]["defaults"], json!({"alias": "Live"}));
}

#[test]
fn a_cycle_is_reported_without_hanging() {
    let config = json!({
        "a": "${self:b}",
        "b": "${self:c}",
        "c": "x-${self:a}",
        "loop": {"inner": "${self:loop}"},
    });
    let resolution = resolve(config.clone(), &Options::default());
    assert_eq!(resolution.config, config);
    assert_eq!(
        resolution.unresolved,
        [
            unresolved("a", "${self:b}"),
            unresolved("b", "${self:c}"),
            unresolved("c", "${self:a}"),
            unresolved("loop.inner", "${self:loop}"),
        ]
    );
}

#[test]
fn a_long_chain_stops_at_the_depth_limit() {
    let mut config = serde_json::Map::new();
    for link in 0..200 {
        config.insert(
            format!("k{link}"),
            json!(format!("${{self:k{}}}", link + 1)),
        );
    }
    config.insert("k200".to_owned(), json!("end"));
    let resolution = resolve(Value::Object(config), &Options::default());
    assert_eq!(resolution.config["k199"], json!("end"));
    assert_eq!(resolution.unresolved[0], unresolved("k0", "${self:k1}"));
}

#[test]
fn unknown_sources_are_reported_with_their_path_and_left_untouched() {
    let config = json!({
        "functions": {"hello": {"deploymentSettings": {
            "alias": "${ssm:/canary/alias}",
            "alarms": ["${cf:monitoring.ErrorsAlarm}", "Plain"],
            "type": "${file(./canary.yml):type, 'AllAtOnce'}",
            "hooks": "${aws:accountId}-${opt:stage}",
            "role": "${self:custom.${ssm:/role}}",
        }}},
    });
    let resolution = resolve(config.clone(), &options(&[("stage", "prod")], &[]));
    assert_eq!(resolution.config, config);
    let settings = "functions.hello.deploymentSettings";
    assert_eq!(
        resolution.unresolved,
        [
            unresolved(&format!("{settings}.alias"), "${ssm:/canary/alias}"),
            unresolved(
                &format!("{settings}.alarms[0]"),
                "${cf:monitoring.ErrorsAlarm}"
            ),
            unresolved(
                &format!("{settings}.type"),
                "${file(./canary.yml):type, 'AllAtOnce'}"
            ),
            unresolved(&format!("{settings}.hooks"), "${aws:accountId}"),
            unresolved(&format!("{settings}.role"), "${self:custom.${ssm:/role}}"),
        ]
    );
}

#[test]
fn missing_values_without_a_fallback_are_reported() {
    let config = json!({
        "a": "${env:NOT_SET}",
        "b": "${opt:stage}",
        "c": "${self:custom.nothing}",
        "d": "prefix-${self:custom}",
        "custom": {"x": 1},
    });
    let resolution = resolve(config.clone(), &Options::default());
    assert_eq!(resolution.config, config);
    let paths: Vec<&str> = resolution
        .unresolved
        .iter()
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(paths, ["a", "b", "c", "d"]);
}

#[test]
fn cloudformation_substitutions_and_malformed_variables() {
    let config = json!({
        "sub": {"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${Topic}"},
        "escaped": "\\${opt:stage}",
        "unterminated": "${opt:stage",
    });
    let resolution = resolve(config.clone(), &options(&[("stage", "prod")], &[]));
    assert_eq!(resolution.config, config);
    assert_eq!(
        resolution.unresolved,
        [unresolved("unterminated", "${opt:stage")]
    );
}
