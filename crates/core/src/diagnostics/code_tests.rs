//! docs/codes.md is rendered from the codes, with one example of each made by its own
//! constructor; and every code is produced by a fixture or a test somewhere in the repository.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::diagnostics::{self as diag, Diagnostic};
use crate::settings::fields::TRIGGER_EVENTS;
use crate::settings::statistic;

const DOCS: &str = "docs/codes.md";
const START: &str = "<!-- codes: rendered from crates/core/src/diagnostics/code.rs -->\n";
const END: &str = "<!-- end of codes -->";

const F: &str = "functions.hello";
const DS: &str = "functions.hello.deploymentSettings";

/// One diagnostic of `code`, as a user would meet it. The match is exhaustive, so a new code
/// cannot be added without its example.
fn example(code: Code) -> Diagnostic {
    let at = |key: &str| format!("{DS}.{key}");
    let alarm = |key: &str| format!("{DS}.alarms[0].{key}");
    let types = crate::traffic::PREDEFINED_TYPES;
    match code {
        Code::UnknownKey => diag::unknown_key(&at("tpye"), "tpye", &["type", "alias"]),
        Code::WrongType => diag::wrong_type(&alarm("threshold"), "a number", "a string"),
        Code::IntrinsicNotAllowed => diag::intrinsic_not_allowed(&at("alias"), "Fn::If"),
        Code::NumberOutOfRange => diag::number_out_of_range(
            "custom.deploymentSettings.maxConcurrentDeployments",
            "2.5",
            "it must be a whole number",
        ),
        Code::YamlDate => diag::yaml_date(&at("alias"), "2024-01-01"),
        Code::EmptyValue => diag::empty_value(&at("alias")),
        Code::MissingKey => diag::missing_setting(DS, "alias", "Live"),
        Code::UnknownDeploymentType => {
            diag::unknown_deployment_type(&at("type"), "Canary10Percent5Minutez", &types)
        }
        Code::NotALambdaConfig => {
            diag::not_lambda_config(&at("type"), "CodeDeployDefault.OneAtATime", &types)
        }
        Code::TypeOutOfRange => {
            diag::percent_out_of_range(&at("type"), "Canary0Percent5Minutes", "0")
        }
        Code::InvalidConfigName => diag::invalid_config_name(&at("type.name"), "bad name!"),
        Code::NotAccepted => diag::not_one_of(
            &alarm("treatMissingData"),
            "notbreaching",
            &["breaching", "notBreaching", "ignore", "missing"],
        ),
        Code::InvalidStatistic => {
            let refusal = statistic::parse("TM99").unwrap_err();
            diag::invalid_statistic(&alarm("statistic"), "TM99", &refusal)
        }
        Code::InvalidPeriod => diag::invalid_period(&alarm("period"), 45),
        Code::DatapointsExceedPeriods => {
            diag::datapoints_exceed_periods(&alarm("datapointsToAlarm"), 3, 2)
        }
        Code::ErrorRateConflict => diag::error_rate_conflict(&alarm("statistic"), "statistic"),
        Code::ErrorRateThreshold => diag::error_rate_threshold(&alarm("threshold")),
        Code::LambdaPeriodTooShort => diag::lambda_period_too_short(&alarm("period"), 10),
        Code::AlarmWindowTooLong => {
            diag::alarm_window_too_long(&alarm("evaluationPeriods"), 120_000, 86_400)
        }
        Code::ScopeNotApplicable => {
            diag::scope_not_applicable(&alarm("scope"), "the metric is not in AWS/Lambda")
        }
        Code::UnknownLambdaMetric => {
            diag::unknown_lambda_metric(&alarm("metric"), "Error", &["Errors", "Throttles"])
        }
        Code::ScopeNotPublished => {
            diag::scope_not_published(&alarm("scope"), "IteratorAge", "canary", "alias")
        }
        Code::MetricOnlyPerRegion => {
            diag::metric_only_per_region(&alarm("metric"), "UnreservedConcurrentExecutions", false)
        }
        Code::AlarmAlwaysFires => diag::alarm_always_fires(
            &alarm("threshold"),
            "Errors",
            "GreaterThanOrEqualToThreshold",
            0.0,
        ),
        Code::AlarmNeverFires => {
            diag::alarm_never_fires(&alarm("threshold"), "Duration", "LessThanThreshold", 0.0)
        }
        Code::DuplicateAlarmName => {
            diag::duplicate_alarm_name(
                &format!("{DS}.alarms[1].name"),
                "Check",
                &format!("{DS}.alarms[0].name"),
            )
        }
        Code::DuplicateAlarm => diag::duplicate_alarm(
            &at("alarms[2]"),
            "HelloErrorsAlarm",
            &at("alarms[0]"),
        ),
        Code::InvalidDimension => {
            diag::invalid_dimension(&alarm("dimensions[0].Value"), "its value is empty")
        }
        Code::AlarmDescriptionTooLong => {
            diag::alarm_description_too_long(&alarm("description"), 1100, 1024)
        }
        Code::DuplicateCanaryAlarm => {
            diag::duplicate_canary_alarm(&at("canaryAlarms[1]"), &at("canaryAlarms[0]"), "errors")
        }
        Code::InvalidMetricId => diag::invalid_metric_id(
            &at("canaryAlarms[0].metrics[0].id"),
            "Errors",
            "CloudWatch wants a lowercase letter first, then letters, digits or `_`",
        ),
        Code::CanaryMetricNotPerVersion => {
            diag::canary_metric_not_per_version(&at("canaryAlarms[0].metric"), "IteratorAge")
        }
        Code::CanaryAlarmForeignNamespace => {
            diag::canary_alarm_foreign_namespace(&at("canaryAlarms[0].namespace"), "My/App")
        }
        Code::DuplicateSmokeTest => {
            diag::duplicate_smoke_test(&at("smokeTest[1].name"), "home", &at("smokeTest[0]"))
        }
        Code::InvalidSmokeTestName => {
            diag::invalid_smoke_test_name(&at("smokeTest[0].name"), "home\npage")
        }
        Code::SmokeTestEventTooLarge => {
            diag::smoke_test_event_too_large(&at("smokeTest[2].event"), 7_340_045, 6_291_456)
        }
        Code::BaselineOutOfRange => diag::baseline_out_of_range(
            &at("compareToBaseline.p99Ratio"),
            0.9,
            "a ratio above 1: at 1 or below, the new version fails for being no faster than the old",
        ),
        Code::BaselineWithoutShift => diag::baseline_without_shift(&at("compareToBaseline")),
        Code::HookConflict => diag::hook_conflict(
            &at("smokeTest"),
            "smokeTest",
            "preTrafficHook",
            "BeforeAllowTraffic",
        ),
        Code::InvalidAlias => diag::invalid_alias(
            &at("alias"),
            "Live!",
            "it may only contain letters, digits, `-` and `_`",
        ),
        Code::UnknownHookFunction => {
            diag::unknown_hook_function(&at("preTrafficHook"), "preHok", &["preHook"])
        }
        Code::HookIsCanaried => diag::hook_is_canaried(&at("preTrafficHook"), "preHook"),
        Code::InvalidAlarmReference => diag::invalid_alarm_reference(&format!("{DS}.alarms[0]")),
        Code::TooMany => diag::too_many(&at("alarms"), "alarms", 11, 10),
        Code::InvalidRoleArn => diag::invalid_role_arn(&at("codeDeployRole"), "my-role"),
        Code::InvalidPolicyArn => diag::invalid_policy_arn(
            "custom.deploymentSettings.codeDeployRolePermissionsBoundary",
            "boundary",
        ),
        Code::InvalidTriggerEvent => diag::invalid_trigger_event(
            &format!("{DS}.triggerConfigurations[0].events[0]"),
            "DeploymentFailed",
            &TRIGGER_EVENTS,
        ),
        Code::InvalidTriggerTarget => diag::invalid_trigger_target(
            &format!("{DS}.triggerConfigurations[0].TriggerTargetArn"),
            "deploys",
        ),
        Code::DuplicateTriggerName => diag::duplicate_trigger_name(
            &format!("{DS}.triggerConfigurations[1].TriggerName"),
            "deploys",
            &format!("{DS}.triggerConfigurations[0].TriggerName"),
        ),
        Code::DuplicateTriggerEvent => diag::duplicate_trigger_event(
            &format!("{DS}.triggerConfigurations[0].TriggerEvents[1]"),
            "DeploymentFailure",
            &format!("{DS}.triggerConfigurations[0].TriggerEvents[0]"),
        ),
        Code::GeneratedIdRepeated => diag::generated_id_repeated(
            &alarm("name").replace("[0]", "[1]"),
            "HelloCheck1Alarm",
            &alarm("name"),
        ),
        Code::LogicalIdTooLong => {
            diag::logical_id_too_long(&at("alias"), &format!("Hello{}", "A".repeat(252)), 257, 255)
        }
        Code::UnreadableService => {
            let report = crate::validate::validate(&crate::validate::ValidateInput {
                file: "serverless.yml".into(),
                text: "functions:\n  hello: [unclosed\n".into(),
                options: Default::default(),
                env: Default::default(),
                read_error: None,
            });
            Diagnostic {
                location: None,
                ..report.unreadable.expect("unreadable")
            }
        }
        Code::NotChecked => diag::not_checked(&at("type"), "${ssm:/canary/type}"),
        Code::UnknownAlarm => diag::unknown_alarm(
            &format!("{DS}.alarms[0]"),
            "HelloErrorAlarm",
            &["HelloErrorsAlarm"],
        ),
        Code::NotAnAlarm => {
            diag::not_an_alarm(&format!("{DS}.alarms[0]"), "AlertsTopic", "AWS::SNS::Topic")
        }
        Code::FunctionNotVersioned => {
            diag::function_not_versioned("provider.versionFunctions", "hello")
        }
        Code::FunctionNotInTemplate => diag::function_not_in_template(F, "HelloLambdaFunction"),
        Code::LogicalIdTaken => diag::logical_id_taken(
            "resources.Resources.HelloLambdaFunctionAliasLive",
            "HelloLambdaFunctionAliasLive",
            "AWS::Lambda::Alias",
        ),
        Code::ManyConcurrentDeployments => diag::many_concurrent_deployments(30),
        Code::TooManyResources => diag::too_many_resources(567, 425, 500),
        Code::TemplateTooLarge => diag::template_too_large(1_048_576, false),
        Code::StackQuotaExceeded => {
            diag::stack_quota_exceeded("ANestedStack", 231, &crate::limits::PARAMETERS_PER_STACK)
        }
        Code::WarmerWarmsLatest => diag::warmer_warms_latest(
            &crate::companions::Warmed {
                function: "hello".into(),
                warmer: "default".into(),
                alias: None,
                path: "custom.warmup.default".into(),
            },
            "Live",
        ),
        Code::WarmupCountsAsTraffic => diag::warmup_counts_as_traffic(
            &crate::companions::Warmed {
                function: "hello".into(),
                warmer: "default".into(),
                alias: Some("Live".into()),
                path: "custom.warmup.default.alias".into(),
            },
            "Live",
        ),
        Code::PruneDeletesCanaryVersions => {
            diag::prune_deletes_canary_versions("custom.prune.number")
        }
        Code::DependencyCycle => diag::dependency_cycle(
            F,
            None,
            &[
                "HelloLambdaFunction",
                "WorldLambdaFunctionAliasLive",
                "WorldLambdaVersionAbc",
                "WorldLambdaFunction",
                "HelloLambdaFunctionAliasLive",
                "HelloLambdaVersionXyz",
            ],
        ),
        Code::UnknownReference => diag::unknown_reference(&at("codeDeployRole"), "DeployRol"),
        Code::WrongResourceType => diag::wrong_resource_type(
            &format!("{DS}.triggerConfigurations[0].TriggerTargetArn"),
            "Ref: DeployQueue",
            "AWS::SQS::Queue",
            "an SNS topic ARN: `Ref` of an AWS::SNS::Topic or `Fn::GetAtt: [<id>, TopicArn]` of an AWS::SNS::Topic",
        ),
        Code::RoleRefIsAName => diag::role_ref_is_a_name(&at("codeDeployRole"), "DeployRole"),
        Code::GroupNameCollision => {
            let first = "settleEveryOpenInvoiceOfTheMonthForAllCustomersInTheEuropeanUnion";
            let cut = crate::naming::function_deployment_group_name("billing-production", first);
            diag::group_name_collision(&format!("functions.{first}Retry"), &cut, first)
        }
        Code::BoundaryUnused => {
            diag::boundary_unused("custom.deploymentSettings.codeDeployRolePermissionsBoundary")
        }
        Code::GivenRoleCannotInvokeHook => diag::given_role_cannot_invoke_hook(
            &at("codeDeployRole"),
            "preHook",
            "arn:aws:lambda:us-east-1:123456789012:function:svc-dev-preHook",
        ),
        Code::GivenRoleCannotPublish => {
            diag::given_role_cannot_publish(&at("codeDeployRole"), "!Ref DeployTopic")
        }
        Code::HookRoleUnknown => diag::hook_role_unknown(&at("preTrafficHook"), "preHook"),
        Code::PermissionMissing => diag::permission_missing(
            &format!("{F}.events"),
            "hello",
            "HelloEventsRuleSchedule1",
            "events.amazonaws.com",
        ),
        Code::ReferenceNotRouted => diag::reference_not_routed(
            F,
            "hello",
            "OrdersPipe",
            "AWS::Pipes::Pipe",
            "Properties.Target",
            "HelloLambdaFunctionAliasLive",
        ),
        Code::BareCallerDenied => diag::bare_caller_denied(
            "resources.Resources.NightlyRule.Properties.Targets[1].Arn",
            "hello",
            "NightlyRule",
            "AWS::Events::Rule",
            "Properties.Targets[1].Arn",
            "NightlyPermission",
            "HelloLambdaFunctionAliasLive",
        ),
        Code::EventNotRouted => diag::event_not_routed(
            &format!("{F}.events"),
            "hello",
            "s3 (existing bucket)",
            "HelloCustomS31",
            &serde_json::json!("uploads"),
        ),
        Code::RoleMayDenyAlias => {
            diag::role_may_deny_alias(F, "hello", "Dispatcher", "HelloLambdaFunctionAliasLive")
        }
        Code::UrlCallersNeedAlias => diag::url_callers_need_alias(
            &format!("{F}.url"),
            "hello",
            "HelloLambdaFunctionUrl",
            "Live",
        ),
        Code::NamesRemovedAlias => diag::names_removed_alias(
            F,
            "Consumer",
            "AWS::Lambda::Permission",
            "Properties.FunctionName",
            "HelloLambdaFunctionAliasprovisioned",
            "HelloLambdaFunctionAliasLive",
        ),
        Code::CompositeAlarmTooLarge => {
            diag::composite_alarm_too_large(&at("canaryAlarms"), "joins 101 alarms", "100")
        }
        Code::AlarmNameTooLong => diag::alarm_name_too_long(
            &at("canaryAlarms[0]"),
            "my-service-prod-hello-canary-errors-v${HelloLambdaVersionAbc.Version}",
            262,
            255,
        ),
        Code::SmokeTestHookTooLarge => diag::smoke_test_hook_too_large(
            &at("smokeTest[2].event"),
            1_032_210,
            1_057_113,
            1_048_576,
        ),
        Code::VerificationPolicyTooLarge => {
            diag::verification_policy_too_large(&at("smokeTest"), 10_950, 10_240)
        }
        Code::FrameworkAliasAmbiguous => diag::framework_alias_ambiguous(
            "custom.deploymentSettings.frameworkAlias",
            "hello",
            "HelloProvConcLambdaAlias",
            "HelloLambdaFunctionAliasLive",
            "Live",
        ),
        Code::OutputNamesRemovedAlias => diag::output_names_removed_alias(
            "resources.Outputs.HelloAlias",
            "HelloLambdaFunctionAliasprovisioned",
            "HelloLambdaFunctionAliasLive",
        ),
        Code::CanaryBypassed => diag::canary_bypassed(
            &format!("{F}.deploymentSettings"),
            "hello",
            "Canary10Percent5Minutes",
            &["CanaryCheck".to_owned()],
            "its hooks run (preHook)",
        ),
        Code::SkipHooksWithoutBypass => diag::skip_hooks_without_bypass(),
        Code::BypassNotPackaged => diag::bypass_not_packaged(),
        Code::CallerOutsideStack => diag::caller_outside_stack(
            F,
            "hello",
            "HelloAlexaSkillPermission",
            "alexa-appkit.amazon.com",
            None,
        ),
        Code::AlarmNotFound => {
            diag::alarm_not_found(&format!("{DS}.alarms[0]"), "team-errors", "us-east-1")
        }
        Code::AlarmNotDeployed => {
            diag::alarm_not_deployed(&format!("{DS}.alarms[0]"), "HelloCheckAlarm", "svc-dev")
        }
        Code::AlarmInAlarm => diag::alarm_in_alarm(&format!("{DS}.alarms[0]"), "team-errors"),
        Code::DeploymentConfigNotFound => {
            diag::deployment_config_not_found(&at("type.name"), "team-canary", "us-east-1")
        }
        Code::DeploymentInProgress => {
            diag::deployment_in_progress(F, "svc-dev-hello", &["d-ABCDEF123"])
        }
        Code::NoDeploymentInProgress => diag::no_deployment_in_progress("svc-dev"),
        Code::StackNotDeployed => diag::stack_not_deployed("svc-dev", "us-east-1"),
        Code::NotCanaried => diag::not_canaried("other"),
        Code::DeployFunctionBypass => diag::deploy_function_bypass("hello", "Live", false),
        Code::DeployFunctionForced => diag::deploy_function_bypass("hello", "Live", true),
        Code::UnknownAlarmState => diag::unknown_alarm_state("ALARMED"),
        Code::AwsUnavailable => diag::aws_no_region(),
    }
}

/// The page's body: a table per phase, each code with its anchor.
fn markdown() -> String {
    let mut page = String::new();
    for (phase, title) in [
        (Phase::Settings, "Found in the settings as written"),
        (Phase::Template, "Found against the compiled template"),
        (
            Phase::Aws,
            "Found against the live account (`--aws`) and by the commands on a deployed stage",
        ),
    ] {
        page.push_str(&format!(
            "## {title}\n\n| code | severity | what it means | example |\n|---|---|---|---|\n"
        ));
        for code in Code::ALL.iter().filter(|code| code.phase() == phase) {
            page.push_str(&format!(
                "| <a id=\"{code}\"></a>`{code}` | {} | {} | {} |\n",
                code.severity(),
                cell(code.meaning()),
                cell(&format!("`` {} ``", example(*code)))
            ));
        }
        page.push('\n');
    }
    page
}

/// Text that stays inside its table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[test]
fn every_example_has_its_code() {
    for code in Code::ALL {
        let example = example(*code);
        assert_eq!(example.code, *code);
        assert_eq!(example.severity, code.severity());
    }
}

#[test]
fn docs_list_every_code_as_it_is() {
    let file = crate::repo_path(DOCS);
    let page = std::fs::read_to_string(&file).expect("docs/codes.md exists");
    let (before, rest) = page.split_once(START).expect("the page marks the start");
    let (shown, after) = rest.split_once(END).expect("the page marks the end");
    let rendered = markdown();
    if shown != rendered && std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&file, format!("{before}{START}{rendered}{END}{after}")).unwrap();
        return;
    }
    assert_eq!(
        shown, rendered,
        "docs/codes.md is stale: run `UPDATE_DOCS=1 cargo test -p serverless-canary-core`"
    );
}

/// A code no fixture or test produces could change or vanish unseen. Produced means: an
/// expected line of a fixture of fixtures/invalid/ carries it, a Rust test of the product
/// asserts it (by its text, alone or before the path, or by its variant), or a Node test
/// matches it in the output. The constructors' own tests (in diagnostics/) and the Node
/// tests' helpers do not count: they prove a message, not that the product emits it.
#[test]
fn every_code_is_produced_by_a_fixture_or_a_test() {
    let mut evidence = String::new();
    for fixture in crate::files_under(&crate::repo_path("fixtures/invalid"), "yml") {
        let text = std::fs::read_to_string(fixture).unwrap();
        for line in text.lines().filter(|l| l.starts_with("# expect: ")) {
            evidence.push_str(line);
            evidence.push('\n');
        }
    }
    for source in crate::files_under(&crate::repo_path("crates"), "rs") {
        if !source.components().any(|c| c.as_os_str() == "diagnostics") {
            evidence.push_str(&test_code(&source));
        }
    }
    for test in crate::files_under(&crate::repo_path("__test__"), "js") {
        if !source_is_support(&test) {
            evidence.push_str(&std::fs::read_to_string(test).unwrap());
        }
    }
    let unproduced: BTreeSet<&str> = Code::ALL
        .iter()
        .filter(|code| !is_asserted(&evidence, **code))
        .map(|code| code.as_str())
        .collect();
    assert!(
        unproduced.is_empty(),
        "no fixture or test produces {unproduced:?}"
    );
}

/// `code` as a test writes it: `[code]` in an expected line (escaped in a regular
/// expression), the code quoted alone or before its path, or its variant.
fn is_asserted(evidence: &str, code: Code) -> bool {
    let written = [
        format!("[{code}]"),
        format!("\\[{code}\\]"),
        format!("\"{code}\""),
        format!("'{code}'"),
        format!("\"{code} "),
    ];
    // `Code::TooMany` must not be found inside `Code::TooManyResources`.
    let variant = format!("Code::{code:?}");
    let variant_alone = evidence.match_indices(&variant).any(|(at, _)| {
        !evidence[at + variant.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    });
    variant_alone || written.iter().any(|text| evidence.contains(text))
}

fn source_is_support(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "support")
}

/// The tests of a Rust file: all of a file of tests (`*_tests.rs`, `tests.rs`, the plan's
/// properties), and the
/// inline `mod tests` of any other.
fn test_code(source: &Path) -> String {
    let text = std::fs::read_to_string(source).unwrap();
    let name = source.file_name().unwrap().to_string_lossy();
    if name.ends_with("_tests.rs") || name == "tests.rs" || name == "properties.rs" {
        return text;
    }
    match text.split_once("mod tests {") {
        Some((_, tests)) => tests.to_owned(),
        None => String::new(),
    }
}
