//! Each function's canary alias, whose update is the CodeDeploy deployment, and every invoker
//! of the function moved onto it.

use rustc_hash::FxHashMap as HashMap;

use crate::deployment::{traffic_hooks, LifecycleEvent};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::release::Route;
use crate::settings::FrameworkAlias;
use crate::template::alias::{self, AliasSpec};
use crate::template::wiring::{self, Target};
use crate::template::Changes;

use super::checks::Canary;
use super::generate::Generator;

/// What routing the functions to their aliases has found so far, across functions.
#[derive(Default)]
pub(super) struct Routing<'t> {
    pub call_sites: wiring::CallSites<'t>,
    /// Framework alias -> the canary alias replacing it.
    pub removed_aliases: HashMap<String, String>,
}

impl<'a, 't> Generator<'a, 't> {
    /// The function's canary alias, waiting for `depends_on`, and its invokers rewired to it:
    /// the alias's logical ID, and the routes when `describe_release` asked.
    pub(super) fn create_alias(
        &self,
        canary: &Canary,
        depends_on: Vec<String>,
        routing: &mut Routing<'t>,
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) -> (String, Vec<Route>) {
        let function = canary.settings;
        let index = self.index;
        let framework_alias =
            wiring::find_framework_alias(function.name(), &canary.function_id, index);
        let reuse = self.settings.framework_alias == Some(FrameworkAlias::Reuse);
        let reused = framework_alias.as_ref().filter(|_| reuse);
        let alias_id = match reused {
            Some(found) => found.alias.logical_id.clone(),
            None => naming::alias_logical_id(&canary.function_id, &function.alias),
        };
        if let Some(found) = &framework_alias {
            if self.settings.framework_alias.is_none() && self.settings.uses_canary_alarms() {
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
                let removed = found.alias.logical_id.clone();
                routing.removed_aliases.insert(removed, alias_id.clone());
            }
        }
        let hook_at = |event| {
            traffic_hooks(function, self.bypass)
                .find(|hook| hook.event == event && hook.runs)
                .map(|hook| hook.runner.logical_id())
        };
        let spec = AliasSpec {
            alias: &function.alias,
            function_id: &canary.function_id,
            version_id: canary.version_id,
            application_id: &self.application_id,
            group_id: &canary.group_id,
            before_traffic_hook: hook_at(LifecycleEvent::BeforeAllowTraffic),
            after_traffic_hook: hook_at(LifecycleEvent::AfterAllowTraffic),
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
        let call_sites = &mut routing.call_sites;
        let routed = wiring::wire_to_alias(&target, index, call_sites, changes, diagnostics);
        let routes = match self.input.describe_release {
            true => routed
                .into_iter()
                .map(|id| Route {
                    logical_id: id.to_owned(),
                    resource_type: index.type_of(id).unwrap_or("resource").to_owned(),
                })
                .collect(),
            false => Vec::new(),
        };
        (alias_id, routes)
    }
}
