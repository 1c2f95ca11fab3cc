use serde_json::json;

use super::*;

const SERVICE: &str = "\
# A service for the span tests.

service: demo
provider:
  name: aws

  # the stage comes from the CLI in real use
  stage: dev
functions:
  hello:
    handler: handler.hello
    deploymentSettings:
      type: Canary10Percent5Minutes
      alias:
      alarms:
        - name: HelloErrors
          threshold: 5
        - HelloThrottlesAlarm
  flow:
    deploymentSettings: {type: Linear10PercentEvery1Minute, alias: Live}
  described:
    description: |
      first line
      second line
";

fn document(text: &str) -> Document {
    match parse(text) {
        Ok(document) => document,
        Err(error) => panic!("{error}"),
    }
}

fn value_at(text: &str, path: &str) -> Option<(usize, usize)> {
    document(text)
        .spans
        .value(path)
        .map(|span| (span.line, span.column))
}

fn located(text: &str, path: &str) -> Option<(usize, usize)> {
    document(text)
        .spans
        .locate(path)
        .map(|span| (span.line, span.column))
}

fn error(text: &str) -> (usize, usize, String) {
    match parse(text) {
        Ok(document) => panic!("parsed: {:?}", document.config),
        Err(error) => (error.span.line, error.span.column, error.message),
    }
}

#[test]
fn builds_the_config_in_source_order() {
    let config = document(SERVICE).config;
    assert_eq!(config["service"], json!("demo"));
    assert_eq!(
        config["functions"]["hello"]["deploymentSettings"],
        json!({
            "type": "Canary10Percent5Minutes",
            "alias": null,
            "alarms": [{"name": "HelloErrors", "threshold": 5}, "HelloThrottlesAlarm"]
        })
    );
    let keys: Vec<&String> = config["functions"]
        .as_object()
        .map_or(Vec::new(), |f| f.keys().collect());
    assert_eq!(keys, ["hello", "flow", "described"]);
    assert_eq!(
        config["functions"]["described"]["description"],
        json!("first line\nsecond line\n")
    );
}

#[test]
fn top_level_value_after_a_comment_and_a_blank_line() {
    assert_eq!(value_at(SERVICE, "service"), Some((3, 10)));
    assert_eq!(
        document(SERVICE)
            .spans
            .key("service")
            .map(|s| (s.line, s.column)),
        Some((3, 1))
    );
}

#[test]
fn value_after_a_blank_line_and_a_comment_inside_a_mapping() {
    assert_eq!(value_at(SERVICE, "provider.stage"), Some((8, 10)));
}

#[test]
fn nested_deployment_settings_key() {
    assert_eq!(
        value_at(SERVICE, "functions.hello.deploymentSettings.type"),
        Some((13, 13))
    );
    // A block mapping starts at its first key.
    assert_eq!(
        value_at(SERVICE, "functions.hello.deploymentSettings"),
        Some((13, 7))
    );
}

#[test]
fn list_items_inside_alarms() {
    let alarms = "functions.hello.deploymentSettings.alarms";
    assert_eq!(value_at(SERVICE, &format!("{alarms}[0]")), Some((16, 11)));
    assert_eq!(
        value_at(SERVICE, &format!("{alarms}[0].threshold")),
        Some((17, 22))
    );
    assert_eq!(value_at(SERVICE, &format!("{alarms}[1]")), Some((18, 11)));
    assert_eq!(document(SERVICE).spans.key(&format!("{alarms}[1]")), None);
}

#[test]
fn values_in_flow_style() {
    let settings = "functions.flow.deploymentSettings";
    assert_eq!(value_at(SERVICE, settings), Some((20, 25)));
    assert_eq!(
        value_at(SERVICE, &format!("{settings}.type")),
        Some((20, 32))
    );
    assert_eq!(
        value_at(SERVICE, &format!("{settings}.alias")),
        Some((20, 68))
    );
}

#[test]
fn block_scalar_starts_at_its_first_line_of_content() {
    assert_eq!(
        value_at(SERVICE, "functions.described.description"),
        Some((23, 7))
    );
}

#[test]
fn a_key_without_a_value_points_at_the_key() {
    assert_eq!(
        value_at(SERVICE, "functions.hello.deploymentSettings.alias"),
        Some((14, 7))
    );
}

#[test]
fn a_missing_key_points_at_its_nearest_written_ancestor() {
    assert_eq!(
        located(
            SERVICE,
            "functions.flow.deploymentSettings.hooks.preTraffic"
        ),
        Some((20, 5))
    );
    assert_eq!(
        located(SERVICE, "functions.hello.deploymentSettings.alarms[7].name"),
        Some((15, 7))
    );
    assert_eq!(located(SERVICE, "custom.deploymentSettings"), Some((3, 1)));
}

#[test]
fn columns_count_characters_and_offsets_count_bytes() {
    let text = "description: \"héllo\"\nname: x\n";
    let span = document(text).spans.value("name");
    assert_eq!(span.map(|s| (s.line, s.column, s.offset)), Some((2, 7, 28)));
}

#[test]
fn cloudformation_short_forms_become_intrinsics() {
    let text = "\
resources:
  Resources:
    Alarm:
      Properties:
        Name: !Sub '${AWS::StackName}-errors'
        Topic: !Ref Topic
        Arn: !GetAtt Db.Endpoint.Address
        Joined: !Join [':', [a, !Ref B]]
        Picked: !Select [0, !GetAZs '']
        Cond: !If [IsProd, !Base64 x, !ImportValue y]
        Test: !Not [!Equals [!FindInMap [M, K, V], 'x']]
        Both: !And [!Or [!Condition A, !Condition B], !Condition C]
        Parts: !Split [',', !Cidr [10.0.0.0/16, 2, 8]]
";
    let config = document(text).config;
    assert_eq!(
        config["resources"]["Resources"]["Alarm"]["Properties"],
        json!({
            "Name": {"Fn::Sub": "${AWS::StackName}-errors"},
            "Topic": {"Ref": "Topic"},
            "Arn": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
            "Joined": {"Fn::Join": [":", ["a", {"Ref": "B"}]]},
            "Picked": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            "Cond": {"Fn::If": ["IsProd", {"Fn::Base64": "x"}, {"Fn::ImportValue": "y"}]},
            "Test": {"Fn::Not": [{"Fn::Equals": [{"Fn::FindInMap": ["M", "K", "V"]}, "x"]}]},
            "Both": {"Fn::And": [
                {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]},
                {"Condition": "C"}
            ]},
            "Parts": {"Fn::Split": [",", {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}]}
        })
    );
    // The tag is where the value starts.
    assert_eq!(
        value_at(text, "resources.Resources.Alarm.Properties.Topic"),
        Some((6, 16))
    );
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "\
custom:
  defaults: &defaults
    type: Linear10PercentEvery1Minute
    alias: Live
  extra: &extra {alarms: [A]}
functions:
  a:
    deploymentSettings: *defaults
  b:
    deploymentSettings:
      <<: [*defaults, *extra]
      type: AllAtOnce
";
    let parsed = document(text);
    let functions = &parsed.config["functions"];
    assert_eq!(
        functions["a"]["deploymentSettings"],
        parsed.config["custom"]["defaults"]
    );
    assert_eq!(
        functions["b"]["deploymentSettings"],
        json!({"type": "AllAtOnce", "alias": "Live", "alarms": ["A"]})
    );
    // Copied values have no spans of their own: they point at the alias.
    assert_eq!(
        located(text, "functions.a.deploymentSettings.type"),
        Some((8, 5))
    );
    assert_eq!(
        value_at(text, "functions.a.deploymentSettings"),
        Some((8, 25))
    );
}

#[test]
fn invalid_yaml_is_an_error_at_its_position() {
    let (line, column, message) = error("service: demo\nprovider: name: aws\n");
    assert_eq!((line, column), (2, 15));
    assert!(
        message.contains("mapping values are not allowed"),
        "{message}"
    );

    let (line, column, _) = error("functions:\n  hello: [a, b\n");
    assert_eq!((line, column), (3, 1));
}

#[test]
fn duplicate_keys_unknown_tags_and_second_documents_are_errors() {
    assert_eq!(
        error("a: 1\nb: 2\na: 3\n"),
        (3, 1, "duplicate key `a` in this mapping".to_owned())
    );
    assert_eq!(
        error("a: !Nope x\n"),
        (1, 4, "unknown tag `!Nope`".to_owned())
    );
    assert_eq!(error("a: 1\n---\nb: 2\n").0, 2);
    assert_eq!(
        error("a: &x {b: 1}\n<<: *x\n<<: 5\n"),
        (3, 5, MERGE_SHAPE.to_owned())
    );
    assert_eq!(error("? [a]\n: 1\n").0, 1);
}

#[test]
fn runaway_nesting_and_aliases_are_errors_not_crashes() {
    let deep = |levels| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(error(&deep(200)).2.contains("nested more than"));
    // The parser has a limit of its own further down.
    assert!(error(&deep(100_000)).2.contains("recursion limit"));
    // Aliases can stack depth the text does not show.
    let stacked = format!(
        "a: &a {}\nb: &b {}*a{}\n",
        deep(100),
        "[".repeat(100),
        "]".repeat(100)
    );
    assert!(error(&stacked).2.contains("nested more than"));

    let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 10].join(", ");
        laughs.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    assert!(error(&laughs).2.contains("aliases expand to more than"));
}

#[test]
fn empty_text_is_a_null_config() {
    assert_eq!(document("").config, Value::Null);
    assert_eq!(document("# only a comment\n").config, Value::Null);
}

#[test]
fn a_tab_after_a_colon_separates_like_a_space() {
    let document = parse("provider:\n  runtime:\tnodejs20.x\n").expect("the Framework reads it");
    assert_eq!(document.config["provider"]["runtime"], "nodejs20.x");
    let span = document.spans.value("provider.runtime").expect("located");
    assert_eq!((span.line, span.column), (2, 12));
}

/// Every YAML fixture, each path as `read_spans` finds it against the whole read: all paths
/// wanted, and each path wanted alone (with its ancestors, as `locate` asks).
#[test]
fn spans_of_finds_each_wanted_path_where_the_whole_read_does() {
    let mut compared = 0;
    for file in crate::files_under(&crate::repo_path("fixtures"), "yml") {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(whole) = crate::source::read_document(&text) else {
            continue;
        };
        let every_path = whole.spans.paths().collect();
        let all = crate::source::read_spans(&text, &every_path).unwrap();
        assert_eq!(all, whole.spans, "{}", file.display());
        for path in whole.spans.paths().step_by(5) {
            let ancestors =
                std::iter::successors(Some(path), |path| crate::source::span::parent(path));
            let some = crate::source::read_spans(&text, &ancestors.collect()).unwrap();
            assert_eq!(
                some.locate(path),
                whole.spans.locate(path),
                "{path} in {}",
                file.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 1_000, "only {compared} paths compared");
}
