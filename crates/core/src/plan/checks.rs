//! The settings against the compiled template: the functions, versions, alarms, roles and
//! topics they name exist and are what they must be; and what the generated resources would
//! break (outputs naming a removed alias, group names that meet once cut).

use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

use super::PlanInput;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::settings::{AlarmRef, FunctionSettings, ServiceSettings, TemplateNeeds};
use crate::template::alarms;
use crate::template::index::{resources_named, TemplateIndex};
use crate::template::references;

/// One canaried function, checked against the template and ready to generate.
pub(super) struct Canary<'a> {
    pub settings: &'a FunctionSettings,
    pub function_id: String,
    pub version_id: &'a str,
    pub group_id: String,
    pub group_name: String,
}

/// The canaried functions whose settings the template can hold, checked against it; the
/// problems of the others are reported.
pub(super) fn canaries<'a>(
    input: &PlanInput,
    settings: &'a ServiceSettings,
    index: &TemplateIndex<'a>,
    diagnostics: &mut Diagnostics,
) -> Vec<Canary<'a>> {
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
    canaries
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
pub(super) fn check_outputs(
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
