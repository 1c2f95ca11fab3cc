//! The one entry point: resolved service config and compiled template in, the resources to
//! write back plus every diagnostic out. Pure: no I/O, no globals. The pipeline reads the
//! settings, indexes the template once, checks the settings against it, generates, checks the
//! quotas and the dependency graph of the result, places each problem in the source, and, for
//! `canary:plan`, describes the release.

mod alarms;
mod aliases;
pub(crate) mod answer;
mod checks;
mod generate;
mod hooks;
mod input;
mod service_role;

pub use answer::{answer_json, PlanAnswer};
pub use input::{PlanInput, ReadSettings};

use crate::diagnostics::{self as diag, Code, Diagnostic, Diagnostics, Severity};
use crate::preflight_request::{preflight_targets, PreflightRequest};
use crate::release::ReleasePlan;
use crate::settings::refuse_unusable_ids;
use crate::source;
use crate::summary::Summary;
use crate::template::index::TemplateIndex;
use crate::template::tree::{Object, EMPTY_OBJECT};
use crate::template::{graph, quotas, Changes, FinalTemplate};

#[derive(Debug)]
pub struct Plan<'a> {
    /// Resources to set on the template by logical ID: new ones and rewired invokers.
    pub(crate) resources: Object<'a>,
    /// Logical IDs to delete: Framework aliases the canary alias replaces.
    pub(crate) removed: Vec<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// What to log about the canaries.
    pub(crate) summary: Summary,
    /// Every error in one message, when there is any: packaging must stop with it.
    pub(crate) error_report: Option<String>,
    /// Rendered warnings, for the log; packaging goes on.
    pub(crate) warnings: Vec<String>,
    /// What `canary:validate --aws` looks up; empty when nothing is canaried in this stage, or
    /// when the input did not ask.
    pub(crate) preflight: PreflightRequest,
    /// What the release will do, when `describe_release` asked.
    pub(crate) release: Option<ReleasePlan>,
}

pub fn plan<'a>(input: &'a PlanInput<'a>) -> Plan<'a> {
    plan_with(input, input.read_settings())
}

/// [`plan`], with the settings [`PlanInput::read_settings`] read from this same `input` ahead.
pub fn plan_with<'a>(input: &'a PlanInput<'a>, settings: ReadSettings) -> Plan<'a> {
    let ReadSettings {
        mut settings,
        mut diagnostics,
    } = settings;
    let index = TemplateIndex::new(input.resources().unwrap_or(&EMPTY_OBJECT));
    let mut changes = Changes::new(&index);
    let mut preflight = PreflightRequest::default();
    let mut generated = generate::Generated::default();
    if input.switches.canary_skip_hooks && !input.switches.canary_bypass {
        diagnostics.push(diag::skip_hooks_without_bypass());
    }
    let bypass = input.switches.bypass();

    if settings.functions.is_empty() && settings.incomplete.is_empty() {
        // Nothing to generate.
    } else if !settings.enabled_for(&input.stage) {
        generated.summary = Summary::stage_off(&input.stage, &settings.stages);
    } else {
        refuse_unusable_ids(&mut settings, &mut diagnostics);
        let generator = generate::Generator::new(input, (&settings, bypass), &index);
        generated = generator.generate(&mut changes, &mut diagnostics);
        if input.preflight {
            preflight = preflight_targets(&settings, &input.stack_name);
        }
    }
    let (resources, removed) = changes.into_parts();
    if !resources.is_empty() {
        check_final_template(input, (&resources, &removed), &mut diagnostics);
    }
    diagnostics.dedup();
    let mut diagnostics = diagnostics.into_vec();
    if let Some(source) = &input.source {
        source::locate(&mut diagnostics, &source.file, &source.text);
    }
    let release = input.describe_release.then(|| {
        let names = (input.service.as_str(), input.stage.as_str());
        let mut release = ReleasePlan::new(names, generated.releases, generated.chains, bypass);
        release.take_warnings(&diagnostics);
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        if let Some(facts) = input.account_facts.as_ref().filter(|_| !has_errors) {
            release.add_facts(facts);
        }
        release
    });
    Plan {
        error_report: diag::error_report(&diagnostics),
        warnings: rendered(&diagnostics, Severity::Warning),
        resources,
        removed,
        diagnostics,
        summary: generated.summary,
        preflight,
        release,
    }
}

/// The template as it will be deployed, against CloudFormation's quotas and for dependency
/// cycles. Under serverless-plugin-split-stacks the quotas wait for its split
/// (`nested_stacks::check`).
fn check_final_template(
    input: &PlanInput,
    (resources, removed): (&Object, &[String]),
    diagnostics: &mut Diagnostics,
) {
    let stack = FinalTemplate::new(&input.template, resources, removed);
    if input.split_stacks.is_none() {
        quotas::check(&stack, input.minify_template, diagnostics);
        // A smoke-test hook no template can hold is already an error naming its event;
        // the template's size warning would only repeat it, with a hint that cannot help.
        if diagnostics.has(Code::SmokeTestHookTooLarge) {
            diagnostics.retain(|d| d.code != Code::TemplateTooLarge);
        }
    }
    let paths = graph::FunctionPaths::new(&input.functions);
    graph::check(stack.resources(), None, &|id| paths.of(id), diagnostics);
}

fn rendered(diagnostics: &[Diagnostic], severity: Severity) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(ToString::to_string)
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;

#[cfg(test)]
mod bypass_tests;
