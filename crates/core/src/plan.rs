//! The one entry point: resolved service config and compiled template in, the resources to
//! write back plus every diagnostic out. Pure: no I/O, no globals.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

use crate::companions::{self, Companions};
use crate::diagnostics::{self as diag, Code, Diagnostic, Diagnostics, Severity};
use crate::limits;
use crate::naming;
use crate::preflight_request::{preflight_targets, PreflightRequest};
use crate::release::{AccountFacts, FunctionRelease, Planned, ReleasePlan, Route};
use crate::settings::{
    read_settings, refuse_unusable_ids, yaml_dates, AlarmRef, FrameworkAlias, FunctionSettings,
    ServiceSettings, TemplateNeeds,
};
use crate::source::{self, SourceText};
use crate::summary::Summary;
use crate::template::alias::{self, AliasSpec};
use crate::template::bypass::{self, Bypass, Switches};
use crate::template::codedeploy::{self, GroupSpec};
use crate::template::composites::Composites;
use crate::template::concurrency::{self, Deploying};
use crate::template::given_role;
use crate::template::hooks::{self, HookPolicySpec};
use crate::template::index::{resources_named, TemplateIndex};
use crate::template::placement::{Placement, SplitStacks};
use crate::template::references;
use crate::template::{baseline_alarms, canary_alarms};

use crate::template::role::{self, RoleSpec};
use crate::template::verification_hooks::{self, Check, Checked};
use crate::template::wiring::{self, Target};
use crate::template::{alarms, graph, quotas, Changes, FinalTemplate};
use crate::traffic::DeploymentType;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanInput {
    /// The service's name (`service:`), which the `canaryAlarms` alarm names carry.
    #[serde(default)]
    pub service: String,
    pub stage: String,
    /// The Framework's `naming.getStackName()`: `<service>-<stage>` unless `provider.stackName`.
    pub stack_name: String,
    /// `custom.deploymentSettings`, as resolved.
    #[serde(default)]
    pub custom: Option<Value>,
    /// The service's `functions`, as resolved.
    #[serde(default)]
    pub functions: Map<String, Value>,
    /// The compiled CloudFormation template.
    pub template: Value,
    /// The service file, when it is YAML, so each problem is printed with its `file:line:col`.
    #[serde(default)]
    pub source: Option<SourceText>,
    /// `--minify-template`: the Framework uploads the template without indentation.
    #[serde(default)]
    pub minify_template: bool,
    /// `--canary-bypass` and `--canary-skip-hooks`.
    #[serde(default)]
    pub switches: Switches,
    /// serverless-plugin-split-stacks runs after the plan and moves resources into nested
    /// stacks: the stacks' quotas are checked once it has (`nested_stacks::check`), not here,
    /// and the chains follow where it will put each function.
    #[serde(default)]
    pub split_stacks: Option<SplitStacks>,
    /// What the companion plugins that invoke functions or delete versions will do.
    #[serde(default)]
    pub companions: Companions,
    /// `canary:plan`: describe the release as well.
    #[serde(default)]
    pub describe_release: bool,
    /// `canary:plan --aws`: what the account said, which the release says unless the plan has
    /// an error (as packaging stops there, nothing of AWS's is shown).
    #[serde(default)]
    pub account_facts: Option<AccountFacts>,
}

/// The settings with each date read as its text as written, and reported. The Framework hands
/// plugins its config through JSON, so a date arrives as ISO text; the source says which
/// values were dates. Only a service with dates pays for the copy.
fn as_written(
    input: &PlanInput,
    written: &yaml_dates::WrittenDates,
    diagnostics: &mut Diagnostics,
) -> (Option<Value>, Map<String, Value>) {
    let (mut custom, mut functions) = (input.custom.clone(), input.functions.clone());
    yaml_dates::read_as_written(written, (&mut custom, &mut functions), diagnostics);
    (custom, functions)
}

#[derive(Debug)]
pub struct Plan {
    /// Resources to set on the template by logical ID: new ones and rewired invokers.
    pub(crate) resources: Map<String, Value>,
    /// Logical IDs to delete: Framework aliases the canary alias replaces.
    pub(crate) removed: Vec<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// What to log about the canaries.
    pub(crate) summary: Summary,
    /// Every error in one message, when there is any: packaging must stop with it.
    pub(crate) error_report: Option<String>,
    /// Rendered warnings, for the log; packaging goes on.
    pub(crate) warnings: Vec<String>,
    /// What `canary:validate --aws` looks up; empty when nothing is canaried in this stage.
    pub(crate) preflight: PreflightRequest,
    /// What the release will do, when `describe_release` asked.
    pub(crate) release: Option<ReleasePlan>,
}

impl Plan {
    fn new(
        (resources, removed): (Map<String, Value>, Vec<String>),
        diagnostics: Vec<Diagnostic>,
        summary: Summary,
        preflight: PreflightRequest,
        release: Option<ReleasePlan>,
    ) -> Self {
        let rendered = |severity| {
            diagnostics
                .iter()
                .filter(move |d| d.severity == severity)
                .map(ToString::to_string)
        };
        let errors: Vec<String> = rendered(Severity::Error).collect();
        let error_report = (!errors.is_empty()).then(|| {
            let count = match errors.len() {
                1 => "1 problem".to_owned(),
                n => format!("{n} problems"),
            };
            format!(
                "serverless-canary found {count} in deploymentSettings:\n  {}",
                errors.join("\n  ")
            )
        });
        let warnings = rendered(Severity::Warning).collect();
        Self {
            resources,
            removed,
            diagnostics,
            summary,
            error_report,
            warnings,
            preflight,
            release,
        }
    }
}

pub fn plan(input: &PlanInput) -> Plan {
    let mut diagnostics = Diagnostics::default();
    let written = input
        .source
        .as_ref()
        .map(|source| source::written_dates(&source.text))
        .unwrap_or_default();
    let dated = (!written.is_empty()).then(|| as_written(input, &written, &mut diagnostics));
    let (custom, functions) = match &dated {
        Some((custom, functions)) => (custom.as_ref(), functions),
        None => (input.custom.as_ref(), &input.functions),
    };
    let mut settings = read_settings(custom, functions, &mut diagnostics);
    let empty = Map::new();
    let resources = input.template["Resources"].as_object().unwrap_or(&empty);
    let index = TemplateIndex::new(resources);
    let mut changes = Changes::new(&index);
    let mut preflight = PreflightRequest::default();
    let mut generated = Generated::default();
    if input.switches.canary_skip_hooks && !input.switches.canary_bypass {
        diagnostics.push(diag::skip_hooks_without_bypass());
    }
    let bypass = input.switches.bypass();

    if settings.functions.is_empty() && settings.incomplete.is_empty() {
        // Nothing to generate.
    } else if !settings.enabled_for(&input.stage) {
        generated.summary.lines.push(format!(
            "canary deployments are off for stage `{}` (custom.deploymentSettings.stages: {}); functions deploy all at once",
            input.stage,
            settings.stages.join(", ")
        ));
    } else {
        refuse_unusable_ids(&mut settings, &mut diagnostics);
        generated = generate(
            input,
            (&settings, bypass),
            &index,
            &mut changes,
            &mut diagnostics,
        );
        preflight = preflight_targets(&settings, &input.stack_name);
    }
    let (resources, removed) = changes.into_parts();
    if !resources.is_empty() {
        let stack = FinalTemplate::new(&input.template, &resources, &removed);
        if input.split_stacks.is_none() {
            quotas::check(&stack, input.minify_template, &mut diagnostics);
            // A smoke-test hook no template can hold is already an error naming its event;
            // the template's size warning would only repeat it, with a hint that cannot help.
            if diagnostics.has(Code::SmokeTestHookTooLarge) {
                diagnostics.retain(|d| d.code != Code::TemplateTooLarge);
            }
        }
        let paths = graph::FunctionPaths::new(&input.functions);
        graph::check(
            stack.resources(),
            None,
            &|id| paths.of(id),
            &mut diagnostics,
        );
    }
    let Generated {
        summary,
        releases,
        chains,
    } = generated;
    diagnostics.dedup();
    let mut diagnostics = diagnostics.into_vec();
    if let Some(source) = &input.source {
        source::locate(&mut diagnostics, &source.file, &source.text);
    }
    let release = input.describe_release.then(|| {
        let names = (input.service.as_str(), input.stage.as_str());
        let mut release = ReleasePlan::new(names, releases, chains, bypass);
        release.take_warnings(&diagnostics);
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        if let Some(facts) = input.account_facts.as_ref().filter(|_| !has_errors) {
            release.add_facts(facts);
        }
        release
    });
    Plan::new(
        (resources, removed),
        diagnostics,
        summary,
        preflight,
        release,
    )
}

/// From this many canaried functions, a release without `maxConcurrentDeployments` is warned
/// about: aws-cdk issue #21516 meets CodeDeploy's request rate with 15 Lambda deployment groups.
const ADVISE_LIMIT_FROM: usize = 15;

/// What [`generate`] made besides the resources.
#[derive(Default)]
struct Generated {
    summary: Summary,
    /// Each function's release, when `describe_release` asked for it.
    releases: Vec<FunctionRelease>,
    /// The `maxConcurrentDeployments` chains, as indexes into the canaried functions.
    chains: Option<Vec<Vec<usize>>>,
}

/// One canaried function, checked against the template and ready to generate.
struct Canary<'a> {
    settings: &'a FunctionSettings,
    function_id: String,
    version_id: &'a str,
    group_id: String,
    group_name: String,
}

/// The resources of the canaried functions, what to log, and each function's release when
/// `describe_release` asked for it.
fn generate(
    input: &PlanInput,
    (settings, bypass): (&ServiceSettings, Option<Bypass>),
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) -> Generated {
    let inline_alarms = inline_alarm_ids(settings);
    for needs in &settings.incomplete {
        check_template_needs(needs, index, &inline_alarms, diagnostics);
    }
    let canaries: Vec<Canary> = settings
        .functions
        .iter()
        .filter_map(|function| {
            check_against_template(input, function, (index, &inline_alarms), diagnostics)
        })
        .collect();
    check_group_names(&canaries, diagnostics);
    companions::check(
        &input.companions,
        canaries.iter().map(|c| c.settings),
        diagnostics,
    );
    if canaries.is_empty() {
        return Generated::default();
    }
    let application_id = naming::application_logical_id(&input.stack_name);
    changes.create(
        application_id.clone(),
        "service",
        codedeploy::application(),
        diagnostics,
    );
    create_deployment_configs(&canaries, changes, diagnostics);

    let hook_policies = create_hook_policies(
        input,
        &canaries,
        &application_id,
        index,
        changes,
        diagnostics,
    );
    create_verification_hooks(
        input,
        &canaries,
        &application_id,
        index,
        changes,
        diagnostics,
    );
    let mut call_sites = wiring::CallSites::default();
    // Framework alias -> the canary alias replacing it.
    let mut removed_aliases = HashMap::default();
    // The composite alarms the `canaryAlarms` alarms join.
    let placement = input.split_stacks.as_ref().map(Placement::new);
    let mut composites = Composites::new(
        canaries.iter().filter_map(|c| {
            Some((
                c.settings.name(),
                c.function_id.as_str(),
                c.settings.canary_alarms.first()?.path.as_str(),
            ))
        }),
        placement.as_ref(),
        (&input.service, &input.stage),
    );
    // Each canaried function's alias, in service order, for `maxConcurrentDeployments`.
    let mut alias_ids = Vec::with_capacity(canaries.len());
    let mut releases = Vec::new();
    let skip_hooks = bypass.is_some_and(|b| b.skip_hooks);
    let uses_canary_alarms = settings.uses_canary_alarms();
    for canary in &canaries {
        let function = canary.settings;
        let mut generated_alarms = create_baseline_alarms(canary, changes, diagnostics);
        if let Some(composite) = composites.logical_id_of(function.name()) {
            generated_alarms.push(composite.to_owned());
        }
        let mut group = codedeploy::deployment_group(GroupSpec {
            application_id: &application_id,
            group_name: &canary.group_name,
            settings: function,
            alarm_configuration: Some(alarms::configuration(
                function.name(),
                function.alarms(),
                &generated_alarms,
            )),
        });
        if let Some(bypass) = bypass {
            group = bypass::group(group, bypass);
            diagnostics.push(bypass::warning(function, bypass));
        }
        if let Some(role) = &function.code_deploy_role {
            given_role::check(function, role, index, diagnostics);
        }
        let function_path = format!("functions.{}", function.name());
        changes.create(canary.group_id.clone(), &function_path, group, diagnostics);
        create_inline_alarms(canary, changes, diagnostics);
        composites.join(
            function.name(),
            create_canary_alarms(input, canary, changes, diagnostics),
        );

        let framework_alias =
            wiring::find_framework_alias(function.name(), &canary.function_id, index);
        let reused = framework_alias
            .as_ref()
            .filter(|_| settings.framework_alias == Some(FrameworkAlias::Reuse));
        let alias_id = match reused {
            Some(found) => found.alias.logical_id.clone(),
            None => naming::alias_logical_id(&canary.function_id, &function.alias),
        };
        if let Some(found) = &framework_alias {
            if settings.framework_alias.is_none() && uses_canary_alarms {
                diagnostics.push(diag::framework_alias_ambiguous(
                    "custom.deploymentSettings.frameworkAlias",
                    function.name(),
                    &found.alias.logical_id,
                    &alias_id,
                    &function.alias,
                ));
            }
            if reused.is_none() {
                changes.remove(&found.alias.logical_id);
                removed_aliases.insert(found.alias.logical_id.clone(), alias_id.clone());
            }
        }
        let depends_on = hook_policies.depends_on(function);
        let spec = AliasSpec {
            alias: &function.alias,
            function_id: &canary.function_id,
            version_id: canary.version_id,
            application_id: &application_id,
            group_id: &canary.group_id,
            before_traffic_hook: function
                .pre_traffic_hook
                .as_deref()
                .map(naming::function_logical_id)
                .or_else(|| {
                    function
                        .has_smoke_test()
                        .then(|| verification_hooks::SMOKE_TEST_HOOK_ID.to_owned())
                })
                .filter(|_| !skip_hooks),
            after_traffic_hook: function
                .post_traffic_hook
                .as_deref()
                .map(naming::function_logical_id)
                .filter(|_| !skip_hooks)
                .or_else(|| {
                    // The guard counts the canary's traffic: a bypass has none to count.
                    function
                        .min_traffic
                        .filter(|_| bypass.is_none())
                        .map(|_| verification_hooks::TRAFFIC_GUARD_HOOK_ID.to_owned())
                }),
            depends_on,
            provisioned_concurrency: framework_alias
                .as_ref()
                .and_then(|found| found.provisioned_concurrency.clone()),
        };
        match reused.and_then(|found| index.get(&found.alias.logical_id)) {
            Some(taken_over) => changes.rewire(&alias_id, alias::take_over(taken_over, spec)),
            None => changes.create(
                alias_id.clone(),
                &function.alias_path,
                alias::alias(spec),
                diagnostics,
            ),
        }

        let target = Target {
            function: function.name(),
            function_id: &canary.function_id,
            deployed_name: index.deployed_name(&canary.function_id),
            alias_id: &alias_id,
            alias_name: &function.alias,
            framework_alias: framework_alias.map(|found| found.alias),
        };
        let routed = wiring::wire_to_alias(&target, index, &mut call_sites, changes, diagnostics);
        if input.describe_release {
            let routes = routed
                .into_iter()
                .map(|id| Route {
                    logical_id: id.to_owned(),
                    resource_type: index.type_of(id).unwrap_or("resource").to_owned(),
                })
                .collect();
            let planned = Planned {
                settings: function,
                routes,
            };
            releases.push(FunctionRelease::new(planned, bypass));
        }
        alias_ids.push(alias_id);
    }
    check_outputs(input, &removed_aliases, diagnostics);
    for composite in composites.into_list() {
        let alarm = canary_alarms::composite(
            &composite.alarms,
            &composite.name,
            &composite.origin,
            diagnostics,
        );
        changes.create(composite.logical_id, &composite.origin, alarm, diagnostics);
    }
    if canaries
        .iter()
        .any(|c| c.settings.code_deploy_role.is_none())
    {
        if let Some(boundary) = &settings.permissions_boundary {
            let within = (index, input.template["Parameters"].as_object());
            let path = "custom.deploymentSettings.codeDeployRolePermissionsBoundary";
            references::check(boundary, path, &references::POLICY_ARN, within, diagnostics);
        }
        let role = role::service_role(role_spec(input, settings, &canaries, index));
        changes.create(
            naming::SERVICE_ROLE_LOGICAL_ID.to_owned(),
            "custom.deploymentSettings",
            role,
            diagnostics,
        );
    } else if settings.permissions_boundary.is_some() {
        diagnostics.push(diag::boundary_unused(
            "custom.deploymentSettings.codeDeployRolePermissionsBoundary",
        ));
    }
    let mut summary = Summary::of_canaries(
        canaries.iter().map(|c| (c.settings, c.group_id.as_str())),
        bypass.is_some(),
    );
    if let Some(bypass) = bypass {
        summary.push_release_line(bypass::summary_line(canaries.len(), bypass));
    }
    let deploying = (&canaries[..], &alias_ids[..], bypass.is_some());
    let chains = limit_concurrency(
        (&input.template, placement.as_ref()),
        settings,
        deploying,
        changes,
        diagnostics,
    );
    if let Some((line, _)) = &chains {
        summary.push_release_line(line.clone());
    }
    Generated {
        summary,
        releases,
        chains: chains.map(|(_, chains)| chains),
    }
}

/// Aliases in chains of `maxConcurrentDeployments` (see `template::concurrency`): the chains,
/// and what they cost in the log; or, for a release large enough to meet CodeDeploy's rates,
/// the advice to set it.
fn limit_concurrency(
    (template, placement): (&Value, Option<&Placement>),
    settings: &ServiceSettings,
    (canaries, alias_ids, bypassed): (&[Canary], &[String], bool),
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) -> Option<(String, Vec<Vec<usize>>)> {
    let Some(max) = &settings.max_concurrent_deployments else {
        if canaries.len() >= ADVISE_LIMIT_FROM {
            diagnostics.push(diag::many_concurrent_deployments(canaries.len()));
        }
        return None;
    };
    let deploying: Vec<Deploying> = canaries
        .iter()
        .zip(alias_ids)
        .map(|(canary, alias_id)| Deploying {
            alias_id,
            // A bypassed deploy shifts every function at once.
            minutes: match bypassed {
                true => Some(0),
                false => canary.settings.deployment_type.shift_minutes(),
            },
        })
        .collect();
    let limit = usize::try_from(max.value).unwrap_or(usize::MAX);
    if deploying.len() <= limit {
        return None;
    }
    let mut chains = concurrency::chains(&deploying, limit);
    // A template with a cycle of its own gets no chains: the final check names that cycle,
    // not one that a chain would run through.
    let stack = changes.final_template(template);
    if !concurrency::follow_dependencies(&stack, placement, &mut chains, &deploying) {
        return None;
    }
    for chain in &chains {
        for pair in chain.windows(2) {
            if let Some(alias) = changes.rewired_mut(deploying[pair[1]].alias_id) {
                concurrency::wait_for(alias, deploying[pair[0]].alias_id);
            }
        }
    }
    let together = deploying
        .iter()
        .filter_map(|d| d.minutes)
        .max()
        .unwrap_or(0);
    let line = format!(
        "maxConcurrentDeployments {limit}: {} canaried functions deploy in {} chains, one deployment at a time in each; traffic shifts for up to {} minutes in all, instead of {together} with every deployment at once",
        deploying.len(),
        chains.len(),
        concurrency::longest_chain_minutes(&deploying, &chains),
    );
    Some((line, chains))
}

fn check_against_template<'a>(
    input: &PlanInput,
    function: &'a FunctionSettings,
    (index, inline_alarms): (&TemplateIndex<'a>, &BTreeSet<String>),
    diagnostics: &mut Diagnostics,
) -> Option<Canary<'a>> {
    let start = diagnostics.mark();
    let (function_id, version_id) =
        check_template_needs(&function.needs, index, inline_alarms, diagnostics);
    let within = (index, input.template["Parameters"].as_object());
    if let Some(role) = &function.code_deploy_role {
        references::check(
            &role.value,
            &role.path,
            &references::ROLE_ARN,
            within,
            diagnostics,
        );
    }
    if let Some(triggers) = &function.trigger_configurations {
        for (i, trigger) in function.triggers().enumerate() {
            let path = format!("{}[{i}].TriggerTargetArn", triggers.path);
            let target = &trigger["TriggerTargetArn"];
            references::check(target, &path, &references::TOPIC_ARN, within, diagnostics);
        }
    }
    if diagnostics.errors_since(start) {
        return None;
    }
    let group_id = naming::deployment_group_logical_id(&function_id);
    Some(Canary {
        settings: function,
        group_name: naming::deployment_group_name(&input.stack_name, &group_id),
        group_id,
        function_id,
        version_id: version_id?,
    })
}

/// The logical IDs of the inline alarms the plugin creates, for every function it canaries in
/// this stage (one with errors too, whose alarm exists once they are fixed): any function may
/// name another's in `alarms`.
fn inline_alarm_ids(settings: &ServiceSettings) -> BTreeSet<String> {
    let needs = settings
        .functions
        .iter()
        .map(|function| &function.needs)
        .chain(&settings.incomplete);
    needs
        .flat_map(|needs| {
            needs.alarms.iter().filter_map(|alarm| match &alarm.value {
                AlarmRef::Inline(definition) => {
                    Some(naming::alarm_logical_id(&needs.function, &definition.name))
                }
                _ => None,
            })
        })
        .collect()
}

/// The function, its version and its alarms exist. Returns the function's logical ID and its
/// version's, when there is one.
fn check_template_needs<'t>(
    needs: &TemplateNeeds,
    index: &TemplateIndex<'t>,
    inline_alarms: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) -> (String, Option<&'t str>) {
    let function_id = naming::function_logical_id(&needs.function);
    if index.type_of(&function_id) != Some("AWS::Lambda::Function") {
        diagnostics.push(diag::function_not_in_template(
            &format!("functions.{}", needs.function),
            &function_id,
        ));
        return (function_id, None);
    }
    let version_id = index.version_of(&function_id);
    if version_id.is_none() {
        diagnostics.push(diag::function_not_versioned(
            &needs.versioning_path,
            &needs.function,
        ));
    }
    alarms::check(&needs.alarms, index, inline_alarms, diagnostics);
    (function_id, version_id)
}

/// The plugin rewrites resources only: an output naming a Framework alias it removes would
/// fail the deploy, so it stops packaging with the fix. One pass over the outputs for all.
fn check_outputs(
    input: &PlanInput,
    removed_aliases: &HashMap<String, String>,
    diagnostics: &mut Diagnostics,
) {
    let Some(outputs) = input.template["Outputs"].as_object() else {
        return;
    };
    for (name, output) in outputs {
        for removed in resources_named(output) {
            if let Some((removed, alias_id)) = removed_aliases.get_key_value(removed) {
                diagnostics.push(diag::output_names_removed_alias(
                    &format!("resources.Outputs.{name}"),
                    removed,
                    alias_id,
                ));
            }
        }
    }
}

/// Names cut to 100 characters can meet; CodeDeploy would refuse the second group at deploy time.
fn check_group_names(canaries: &[Canary], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<&str, &str> = HashMap::default();
    for canary in canaries {
        let function = canary.settings.name();
        if let Some(other) = seen.insert(&canary.group_name, function) {
            diagnostics.push(diag::group_name_collision(
                &format!("functions.{function}"),
                &canary.group_name,
                other,
            ));
        }
    }
}

fn create_inline_alarms(canary: &Canary, changes: &mut Changes, diagnostics: &mut Diagnostics) {
    let function = canary.settings;
    let watched = alarms::Watched {
        function_id: &canary.function_id,
        version_id: canary.version_id,
        alias: &function.alias,
    };
    for alarm in function.alarms() {
        if let AlarmRef::Inline(definition) = &alarm.value {
            changes.create(
                naming::alarm_logical_id(function.name(), &definition.name),
                &format!("{}.name", alarm.path),
                alarms::alarm(definition, &watched),
                diagnostics,
            );
        }
    }
}

/// The stack's smoke-test and traffic-guard hooks and their role, for the functions that use
/// them.
fn create_verification_hooks(
    input: &PlanInput,
    canaries: &[Canary],
    application_id: &str,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) {
    let checked: Vec<Checked> = canaries
        .iter()
        .filter(|c| c.settings.has_smoke_test() || c.settings.has_traffic_guard())
        .map(|c| Checked {
            settings: c.settings,
            function_id: &c.function_id,
            deployed_name: index.deployed_name(&c.function_id),
            group_name: &c.group_name,
        })
        .collect();
    let Some(first) = checked.first() else {
        return;
    };
    let origin = format!("functions.{}.deploymentSettings", first.settings.name());
    let hooks = [
        (
            verification_hooks::SMOKE_TEST_HOOK_ID,
            "smoke-test",
            "beforeAllowTraffic",
            Check::SmokeTest,
        ),
        (
            verification_hooks::TRAFFIC_GUARD_HOOK_ID,
            "traffic-guard",
            "afterAllowTraffic",
            Check::TrafficGuard,
        ),
    ];
    for (id, suffix, handler, check) in hooks {
        if checked.iter().any(|c| check.runs_for(c.settings)) {
            let hook = verification_hooks::hook_function(
                &input.stack_name,
                suffix,
                handler,
                check,
                &checked,
            );
            if check == Check::SmokeTest {
                verification_hooks::check_smoke_test_hook_size(&hook, &checked, diagnostics);
            }
            changes.create(id.to_owned(), &origin, hook, diagnostics);
        }
    }
    let role = verification_hooks::role(application_id, &checked);
    let names = |id: &str| index.deployed_name(id).map(str::len);
    let characters = verification_hooks::resolved_policy_characters(&role, &names);
    let limit = limits::VERIFICATION_ROLE_POLICY_CHARACTERS.value as usize;
    if characters > limit {
        diagnostics.push(diag::verification_policy_too_large(
            &origin, characters, limit,
        ));
    }
    changes.create(
        verification_hooks::ROLE_ID.to_owned(),
        &origin,
        role,
        diagnostics,
    );
}

/// The `compareToBaseline` alarms of the function; returns their logical IDs.
fn create_baseline_alarms(
    canary: &Canary,
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let function = canary.settings;
    let Some(baseline) = &function.baseline else {
        return Vec::new();
    };
    let watched = alarms::Watched {
        function_id: &canary.function_id,
        version_id: canary.version_id,
        alias: &function.alias,
    };
    baseline_alarms::alarms(&baseline.value, &watched)
        .into_iter()
        .map(|(name, alarm)| {
            let id = naming::alarm_logical_id(function.name(), name);
            changes.create(id.clone(), &baseline.path, alarm, diagnostics);
            id
        })
        .collect()
}

/// The function's `canaryAlarms` alarms; returns each one's (logical ID, name).
fn create_canary_alarms(
    input: &PlanInput,
    canary: &Canary,
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, String)> {
    let function = canary.settings;
    let watched = alarms::Watched {
        function_id: &canary.function_id,
        version_id: canary.version_id,
        alias: &function.alias,
    };
    let mut created = Vec::new();
    for entry in &function.canary_alarms {
        let id = naming::canary_alarm_logical_id(&canary.function_id, &entry.value.base);
        let name = naming::canary_alarm_name(
            &input.service,
            &input.stage,
            function.name(),
            &entry.value.base,
            canary.version_id,
        );
        canary_alarms::check_name(&name, &entry.path, diagnostics);
        let alarm = canary_alarms::alarm(&entry.value, &watched, &name);
        changes.create(id.clone(), &entry.path, alarm, diagnostics);
        created.push((id, name));
    }
    created
}

/// One config per distinct custom type, in the order functions first use them.
fn create_deployment_configs(
    canaries: &[Canary],
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) {
    let mut created = HashSet::default();
    for canary in canaries {
        let deployment_type = &canary.settings.deployment_type;
        if let DeploymentType::Custom {
            shift,
            percent,
            minutes,
        } = *deployment_type
        {
            if created.insert(deployment_type) {
                changes.create(
                    naming::deployment_config_logical_id(deployment_type),
                    &format!(
                        "functions.{}.deploymentSettings.type",
                        canary.settings.name()
                    ),
                    codedeploy::deployment_config(shift, percent, minutes),
                    diagnostics,
                );
            }
        }
    }
}

/// The hook policy each hook's role got, in the order created.
struct HookPolicies {
    policy_ids: Vec<String>,
    by_hook: HashMap<String, usize>,
}

impl HookPolicies {
    /// The policies a function's alias waits for: those of the roles its hooks run with.
    fn depends_on(&self, function: &FunctionSettings) -> Vec<String> {
        let mut at: Vec<usize> = function
            .hooks()
            .filter_map(|hook| self.by_hook.get(hook).copied())
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| self.policy_ids[i].clone()).collect()
    }
}

/// One policy per role that hooks run with, named after the role: its size stays the same
/// however many functions and hooks share the role.
fn create_hook_policies(
    input: &PlanInput,
    canaries: &[Canary],
    application_id: &str,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) -> HookPolicies {
    let mut policies = HookPolicies {
        policy_ids: Vec::new(),
        by_hook: HashMap::default(),
    };
    // Policy logical ID -> its place in `policy_ids`.
    let mut policy_at: HashMap<String, usize> = HashMap::default();
    // Each hook once, whether its role is known or warned about.
    let mut seen = HashSet::default();
    for hook in canaries.iter().flat_map(|canary| canary.settings.hooks()) {
        if !seen.insert(hook) {
            continue;
        }
        let Some(role) = hooks::role_of(&naming::function_logical_id(hook), index) else {
            diagnostics.push(diag::hook_role_unknown(
                &format!("functions.{hook}.role"),
                hook,
            ));
            continue;
        };
        let policy_id = naming::hook_policy_logical_id(role.name);
        let at = match policy_at.get(&policy_id) {
            Some(at) => *at,
            None => {
                let policy = hooks::hook_policy(HookPolicySpec {
                    stack_name: &input.stack_name,
                    role: role.entry,
                    application_id,
                });
                changes.create(
                    policy_id.clone(),
                    &format!("functions.{hook}.role"),
                    policy,
                    diagnostics,
                );
                policy_at.insert(policy_id.clone(), policies.policy_ids.len());
                policies.policy_ids.push(policy_id);
                policies.policy_ids.len() - 1
            }
        };
        policies.by_hook.insert(hook.to_owned(), at);
    }
    policies
}

/// Least privilege: invoke only this service's hooks, publish only to its trigger topics.
/// Hooks by ARN built from their names where known, so the role adds no dependency on them.
fn role_spec(
    input: &PlanInput,
    settings: &ServiceSettings,
    canaries: &[Canary],
    index: &TemplateIndex,
) -> RoleSpec {
    let mut hook_function_arns: Vec<Value> = Vec::new();
    let mut trigger_topic_arns: Vec<Value> = Vec::new();
    // Each once, in the order first named; looked up by text so the pass stays linear.
    let mut hooks_seen = HashSet::default();
    let mut topics_seen = HashSet::default();
    for canary in canaries
        .iter()
        .filter(|c| c.settings.code_deploy_role.is_none())
    {
        let function = canary.settings;
        let generated = [
            function.has_smoke_test().then_some("smoke-test"),
            function.min_traffic.map(|_| "traffic-guard"),
        ];
        let user_hooks = function.hooks().map(|hook| {
            let id = naming::function_logical_id(hook);
            let name = index.deployed_name(&id).map(str::to_owned);
            (id, name)
        });
        let generated_hooks = generated.into_iter().flatten().map(|suffix| {
            let name = naming::verification_hook_name(&input.stack_name, suffix);
            (suffix.to_owned(), Some(name))
        });
        for (hook_id, name) in user_hooks.chain(generated_hooks) {
            if hooks_seen.insert(hook_id.clone()) {
                hook_function_arns.push(match name {
                    Some(name) => json!({ "Fn::Sub": naming::function_arn_sub(&name, "") }),
                    None => json!({ "Fn::GetAtt": [hook_id, "Arn"] }),
                });
            }
        }
        for trigger in function.triggers() {
            let arn = &trigger["TriggerTargetArn"];
            if topics_seen.insert(arn.to_string()) {
                trigger_topic_arns.push(arn.clone());
            }
        }
    }
    RoleSpec {
        permissions_boundary: settings.permissions_boundary.clone(),
        hook_function_arns,
        trigger_topic_arns,
    }
}

#[cfg(test)]
#[path = "plan_test_support.rs"]
pub(crate) mod test_support;

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "plan_properties.rs"]
mod properties;

#[cfg(test)]
#[path = "plan_bypass_tests.rs"]
mod bypass_tests;
