use super::*;

fn run(text: &str, options: &[(&str, &str)]) -> Report {
    run_file("serverless.yml", text, options)
}

fn run_file(file: &str, text: &str, options: &[(&str, &str)]) -> Report {
    validate(&ValidateInput {
        file: file.into(),
        text: text.into(),
        read_error: None,
        options: options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        env: HashMap::from([("ALIAS".to_owned(), "Live".to_owned())]),
    })
}

const SERVICE: &str = "\
service: svc
custom:
  aliases:
    dev: Dev!
    prod: Prod
functions:
  hello:
    handler: h.h
    deploymentSettings:
      type: Canary10Percent5Minutez
      alias: ${self:custom.aliases.${opt:stage, 'dev'}}
  other:
    handler: h.h
    deploymentSettings:
      type: ${ssm:/canary/type}
      alias: ${env:ALIAS}
";

/// Each diagnostic as the validator prints it.
fn lines(report: &Report) -> Vec<String> {
    report.diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn every_problem_is_a_line_at_its_position_after_variables_resolve() {
    let report = run(SERVICE, &[]);
    assert_eq!(report.unreadable, None);
    assert_eq!(
        lines(&report),
        [
            "serverless.yml:10:13: error[unknown-deployment-type] functions.hello.deploymentSettings.type: unknown deployment type `Canary10Percent5Minutez` (did you mean `Canary10Percent5Minutes`?)",
            "serverless.yml:11:14: error[invalid-alias] functions.hello.deploymentSettings.alias: alias `Dev!` is not a valid Lambda alias name: it may only contain letters, digits, `-` and `_` (e.g. `Live` or `prod-v2`)",
            "serverless.yml:15:13: warning[not-checked] functions.other.deploymentSettings.type: not checked: this standalone check cannot resolve `${ssm:/canary/type}` (run `serverless canary:validate`, which checks the value the Framework resolves)",
        ]
    );
    assert_eq!((report.errors, report.warnings), (2, 1));
}

#[test]
fn options_choose_what_variables_resolve_to() {
    let report = run(SERVICE, &[("stage", "prod")]);
    assert_eq!(report.errors, 1, "{:?}", lines(&report));
    assert!(lines(&report)[0].contains("unknown deployment type"));
}

#[test]
fn text_that_is_not_yaml_is_unreadable_with_its_position() {
    let report = run("functions:\n  hello: [unclosed\n", &[]);
    assert!(report.diagnostics.is_empty());
    let unreadable = report.unreadable.expect("unreadable").to_string();
    assert!(
        unreadable.starts_with(
            "serverless.yml:3:1: error[unreadable-service] service: while parsing a flow sequence"
        ),
        "{unreadable}"
    );
}

#[test]
fn only_unresolved_values_the_settings_read_are_reported() {
    let report = run(
        "service: svc\nprovider:\n  name: aws\n  deploymentBucket: ${ssm:/bucket}\nfunctions:\n  hello:\n    handler: h.h\n",
        &[],
    );
    assert!(lines(&report).is_empty(), "{:?}", lines(&report));
}

#[test]
fn the_online_checks_look_up_what_the_stack_will_name() {
    let text = "\
service: svc
provider:
  name: aws
  region: eu-west-1
custom:
  deploymentSettings:
    stages: [prod]
functions:
  hello:
    handler: h.h
    deploymentSettings:
      type: {name: team-config}
      alias: Live
      alarms:
        - {name: shared-errors}
        - HelloThrottles
        - name: Errors
          metric: Errors
          threshold: 1
";
    assert_eq!(run(text, &[]).preflight, None, "dev is not canaried");
    let targets = run(text, &[("stage", "prod")]).preflight.expect("prod is");
    let json = serde_json::to_value(&targets).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "region": "eu-west-1",
            "profile": null,
            "stackName": "svc-prod",
            "applicationLogicalId": "SvcprodDeploymentApplication",
            "alarms": [
                {"path": "functions.hello.deploymentSettings.alarms[0]", "name": "shared-errors", "logicalId": null},
                {"path": "functions.hello.deploymentSettings.alarms[1]", "name": null, "logicalId": "HelloThrottles"},
                {"path": "functions.hello.deploymentSettings.alarms[2]", "name": null, "logicalId": "HelloErrorsAlarm"}
            ],
            "deploymentConfigs": [{"path": "functions.hello.deploymentSettings.type", "name": "team-config"}],
            "deploymentGroups": [{"path": "functions.hello", "name": "svc-prod-HelloLambdaFunctionDeploymentGroup"}],
            "aliases": [{"path": "functions.hello", "name": "HelloLambdaFunctionAliasLive"}]
        })
    );
}

#[test]
fn nothing_is_concluded_from_a_value_that_is_not_resolved() {
    let text = "\
service: svc
custom:
  deploymentSettings: ${file(./defaults.yml)}
functions:
  hello:
    handler: h.h
    deploymentSettings:
      type: AllAtOnce
      alias: Live
      postTrafficHook: checker
      alarms:
        - {name: '${ssm:/alarm}'}
  checker:
    handler: h.h
    deploymentSettings: ${file(./checker.yml)}
";
    let report = run(text, &[]);
    // No `alias` is missing (the defaults may hold it), the hook is not known to be canaried.
    assert_eq!(report.errors, 0, "{:#?}", lines(&report));
    assert_eq!(report.warnings, 3, "{:#?}", lines(&report));
    let targets = report.preflight.expect("canaried");
    assert_eq!(targets.deployment_groups.len(), 1, "hello is checked");
    assert!(
        targets.alarms.is_empty(),
        "never ask AWS about `${{ssm:/alarm}}`"
    );
    assert_eq!(
        targets.region.as_deref(),
        Some("us-east-1"),
        "the Framework's default"
    );
}

#[test]
fn limits_and_alarm_semantics_need_no_template() {
    let alias = "a_b-".repeat(32);
    let text = format!(
        "service: svc\nfunctions:\n  hello:\n    handler: h.h\n    deploymentSettings:\n      type: AllAtOnce\n      alias: {alias}\n      alarms:\n        - {{name: Any, metric: Errors, threshold: 0}}\n"
    );
    let report = run(&text, &[]);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        ["alarm-always-fires", "logical-id-too-long"],
        "{:?}",
        lines(&report)
    );
    assert!(
        lines(&report)[1].starts_with("serverless.yml:7:14: error[logical-id-too-long] functions.hello.deploymentSettings.alias: this value makes the logical ID")
    );
}

/// The reason the file was not read, as printed.
fn unreadable(report: &Report) -> Vec<String> {
    report.unreadable.iter().map(ToString::to_string).collect()
}

#[test]
fn a_config_made_by_a_program_is_not_read_but_sent_to_canary_validate() {
    for file in ["serverless.js", "serverless.ts", "config/serverless.mjs"] {
        let report = run_file(file, "module.exports = { service: 'svc' };", &[]);
        assert_eq!(
            unreadable(&report),
            [format!("{file}:1:1: error[unreadable-service] service: `{file}` is a program that makes the config, which this standalone check does not run (it reads YAML and JSON) (run `serverless canary:validate`, which checks the config the Framework makes of it)")]
        );
    }
}

#[test]
fn a_file_that_cannot_be_opened_is_one_problem_of_the_report() {
    let report = validate(&ValidateInput {
        file: "missing.yml".into(),
        text: String::new(),
        options: BTreeMap::new(),
        env: HashMap::new(),
        read_error: Some("ENOENT".into()),
    });
    assert_eq!(
        unreadable(&report),
        ["missing.yml:1:1: error[unreadable-service] service: cannot read `missing.yml`: ENOENT (name the service file: `serverless-canary validate path/to/serverless.yml`)"]
    );
}

#[test]
fn serverless_json_is_read_with_its_positions() {
    let text = r#"{
  "service": "svc",
  "functions": {
    "hello": {"handler": "h.h", "deploymentSettings": {"type": "AllAtOnce", "alias": "Live!"}},
    "other": {"handler": "h.o", "deploymentSettings": false}
  }
}
"#;
    let report = run_file("serverless.json", text, &[]);
    assert_eq!(
        lines(&report),
        ["serverless.json:4:86: error[invalid-alias] functions.hello.deploymentSettings.alias: alias `Live!` is not a valid Lambda alias name: it may only contain letters, digits, `-` and `_` (e.g. `Live` or `prod-v2`)"]
    );
}

#[test]
fn false_means_no_canary_and_nothing_means_the_service_defaults() {
    let text = "\
service: svc
custom:
  deploymentSettings: {type: AllAtOnce}
functions:
  hello:
    handler: h.h
    deploymentSettings:
      alias: Live
      preTrafficHook: check
  check:
    handler: h.c
    deploymentSettings: false
  defaults:
    handler: h.d
    deploymentSettings:
";
    assert_eq!(
        lines(&run(text, &[])),
        ["serverless.yml:15:5: error[missing-key] functions.defaults.deploymentSettings: `alias` is required for a canary deployment (add `alias: Live` here or in custom.deploymentSettings)"]
    );
}
