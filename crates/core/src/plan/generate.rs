//! Generation: for the canaried functions that passed the checks, the CodeDeploy application
//! and configs, each function's group, alarms and alias, the hooks and the roles, in one pass.
//! Each concern's resources are made by its own file's `impl Generator`.

use crate::companions;
use crate::diagnostics::Diagnostics;
use crate::naming;
use crate::release::{FunctionRelease, Planned};
use crate::settings::ServiceSettings;
use crate::summary::{self, Summary};
use crate::template::bypass::Bypass;
use crate::template::codedeploy;
use crate::template::concurrency::{self, Deploying};
use crate::template::index::TemplateIndex;
use crate::template::placement::Placement;
use crate::template::Changes;
use crate::traffic::DeploymentType;

use super::aliases::Routing;
use super::checks::{self, Canary};
use super::PlanInput;

/// What generation made besides the resources.
#[derive(Default)]
pub(super) struct Generated {
    pub summary: Summary,
    /// Each function's release, when `describe_release` asked for it.
    pub releases: Vec<FunctionRelease>,
    /// The `maxConcurrentDeployments` chains, as indexes into the canaried functions.
    pub chains: Option<Vec<Vec<usize>>>,
}

/// What every part of generation reads: the service, this deploy's switches, the template.
pub(super) struct Generator<'a, 't> {
    pub input: &'a PlanInput<'t>,
    pub settings: &'a ServiceSettings,
    /// `--canary-bypass`, when given.
    pub bypass: Option<Bypass>,
    pub index: &'a TemplateIndex<'t>,
    /// Where serverless-plugin-split-stacks will move each resource, when it is in the service.
    pub placement: Option<Placement<'a>>,
    pub application_id: String,
}

impl<'a, 't> Generator<'a, 't> {
    pub(super) fn new(
        input: &'a PlanInput<'t>,
        (settings, bypass): (&'a ServiceSettings, Option<Bypass>),
        index: &'a TemplateIndex<'t>,
    ) -> Self {
        Self {
            input,
            settings,
            bypass,
            index,
            placement: input.split_stacks.as_ref().map(Placement::new),
            application_id: naming::application_logical_id(&input.stack_name),
        }
    }

    /// The resources of the canaried functions, what to log, and each function's release
    /// when `describe_release` asked for it.
    pub(super) fn generate(
        &self,
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) -> Generated {
        let input = self.input;
        let canaries = checks::canaries(input, self.settings, self.index, diagnostics);
        let canaried = canaries.iter().map(|c| c.settings);
        companions::check(&input.companions, canaried, diagnostics);
        if canaries.is_empty() {
            return Generated::default();
        }
        let application = codedeploy::application();
        changes.create(
            self.application_id.clone(),
            "service",
            application,
            diagnostics,
        );
        self.create_deployment_configs(&canaries, changes, diagnostics);
        let hook_policies = self.create_hook_policies(&canaries, changes, diagnostics);
        self.create_verification_hooks(&canaries, changes, diagnostics);
        let mut composites = self.composites(&canaries);
        let mut routing = Routing::default();
        // Each canaried function's alias, in service order, for `maxConcurrentDeployments`.
        let mut alias_ids = Vec::with_capacity(canaries.len());
        let mut releases = Vec::new();
        // The canary alarms each function made, joined to the composites once all are made.
        let mut joining = Vec::new();
        for canary in &canaries {
            let created = self.create_group_and_alarms(canary, &composites, changes, diagnostics);
            joining.push((canary.settings.name(), created));
            let depends_on = hook_policies.depends_on(canary.settings);
            let (alias_id, routes) =
                self.create_alias(canary, depends_on, &mut routing, changes, diagnostics);
            if input.describe_release {
                let planned = Planned {
                    settings: canary.settings,
                    functions_sharing: composites.functions_sharing(canary.settings.name()),
                    routes,
                };
                releases.push(FunctionRelease::new(planned, self.bypass));
            }
            alias_ids.push(alias_id);
        }
        checks::check_outputs(input, &routing.removed_aliases, diagnostics);
        for (function, created) in joining {
            composites.join(function, created);
        }
        self.create_composites(composites, changes, diagnostics);
        self.create_service_role(&canaries, changes, diagnostics);
        let mut summary = Summary::of_canaries(
            canaries.iter().map(|c| (c.settings, c.group_id.as_str())),
            self.bypass.is_some(),
        );
        if let Some(bypass) = self.bypass {
            summary.push_release_line(summary::bypass_line(canaries.len(), bypass));
        }
        let chains = self.limit_concurrency(&canaries, &alias_ids, changes, diagnostics);
        if let Some((line, _)) = &chains {
            summary.push_release_line(line.clone());
        }
        Generated {
            summary,
            releases,
            chains: chains.map(|(_, chains)| chains),
        }
    }

    /// One config per distinct custom type, in the order functions first use them.
    fn create_deployment_configs(
        &self,
        canaries: &[Canary],
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) {
        let mut created = rustc_hash::FxHashSet::default();
        for canary in canaries {
            let deployment_type = &canary.settings.deployment_type;
            let DeploymentType::Custom {
                shift,
                percent,
                minutes,
            } = *deployment_type
            else {
                continue;
            };
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

    /// The aliases in chains of `maxConcurrentDeployments` (see `template::concurrency`).
    fn limit_concurrency(
        &self,
        canaries: &[Canary],
        alias_ids: &[String],
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) -> Option<(String, Vec<Vec<usize>>)> {
        let deploying: Vec<Deploying> = canaries
            .iter()
            .zip(alias_ids)
            .map(|(canary, alias_id)| Deploying {
                alias_id,
                // A bypassed deploy shifts every function at once.
                minutes: match self.bypass {
                    Some(_) => Some(0),
                    None => canary.settings.deployment_type.shift_minutes(),
                },
            })
            .collect();
        let max = self.settings.max_concurrent_deployments.as_ref();
        concurrency::limit_concurrency(
            max.map(|max| max.value),
            &deploying,
            (&self.input.template, self.placement.as_ref()),
            changes,
            diagnostics,
        )
    }
}
