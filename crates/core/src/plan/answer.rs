//! What `plan` sends back to the plugin: the resources it creates whole, and each rewired one as
//! patches against the template the plugin already holds. At 800 functions the rewired API
//! methods and permissions alone were 0.7 MB of JSON to write and parse again.

use serde::ser::{Serialize, Serializer};

use super::{Plan, PlanInput};
use crate::diagnostics::Diagnostic;
use crate::preflight_request::PreflightRequest;
use crate::release::{self, Described};
use crate::template::patch::{self, Patch};
use crate::template::tree::Node;
use crate::template::FinalTemplate;

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanAnswer<'p> {
    /// New resources by logical ID, in the order they were created.
    created: Created<'p>,
    /// Edits to existing resources, applied in order after `removed` is deleted.
    patches: Vec<Patch<'p>>,
    /// Framework resources to delete, first.
    removed: &'p [String],
    diagnostics: &'p [Diagnostic],
    /// Lines to log by default.
    notices: &'p [String],
    /// Lines to log with `--verbose`: each function's, when `notices` groups them.
    details: &'p [String],
    error_report: Option<&'p str>,
    warnings: &'p [String],
    preflight: &'p PreflightRequest,
    /// `canary:plan`: what the release will do, and its lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    release: Option<Described<'p>>,
}

impl<'p> PlanAnswer<'p> {
    pub fn new(input: &'p PlanInput, plan: &'p Plan) -> Self {
        let stack = FinalTemplate::new(&input.template, &plan.resources, &plan.removed);
        let mut created = Vec::new();
        let mut patches = Vec::new();
        for (id, resource) in &plan.resources {
            // the plugin deletes `removed` first: a resource set again after that comes whole.
            match stack.kept(id) {
                Some(before) => patches.extend(patch::diff(id, before, resource)),
                None => created.push((id, resource)),
            }
        }
        Self {
            created: Created(created),
            patches,
            removed: &plan.removed,
            diagnostics: &plan.diagnostics,
            notices: plan
                .summary
                .grouped
                .as_deref()
                .unwrap_or(&plan.summary.lines),
            details: match plan.summary.grouped {
                Some(_) => &plan.summary.lines,
                None => &[],
            },
            error_report: plan.error_report.as_deref(),
            warnings: &plan.warnings,
            preflight: &plan.preflight,
            release: plan.release.as_ref().map(|release| Described {
                lines: release::render(release),
                aws_errors: match &input.account_facts {
                    Some(facts) if release.asked_aws => facts.errors,
                    _ => 0,
                },
                plan: release,
            }),
        }
    }
}

/// Plans `input` and writes its answer, as the addon does (which keeps the two steps apart, to
/// forget what the arena gives back whole, and reads the settings before the template).
pub fn answer_json(input: &PlanInput) -> serde_json::Result<String> {
    let plan = super::plan(input);
    serde_json::to_string(&PlanAnswer::new(input, &plan))
}

struct Created<'p>(Vec<(&'p str, &'p Node<'p>)>);

impl Serialize for Created<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}
