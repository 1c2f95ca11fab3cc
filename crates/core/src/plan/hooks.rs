//! The hooks' side of the stack: the policy that lets each user hook's role report to
//! CodeDeploy, and the smoke-test and traffic-guard functions with their role.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::deployment::{hook_functions, GeneratedHook};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use crate::naming;
use crate::settings::FunctionSettings;
use crate::template::hooks::{self, HookPolicySpec};
use crate::template::verification_hooks::{self, Checked};
use crate::template::Changes;

use super::checks::Canary;
use super::generate::Generator;

/// The hook policy each hook's role got, in the order created.
pub(super) struct HookPolicies {
    policy_ids: Vec<String>,
    by_hook: HashMap<String, usize>,
}

impl HookPolicies {
    /// The policies a function's alias waits for: those of the roles its hooks run with.
    pub(super) fn depends_on(&self, function: &FunctionSettings) -> Vec<String> {
        let mut at: Vec<usize> = hook_functions(function)
            .filter_map(|hook| self.by_hook.get(hook).copied())
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| self.policy_ids[i].clone()).collect()
    }
}

impl<'t> Generator<'_, 't> {
    /// One policy per role that hooks run with, named after the role: its size stays the same
    /// however many functions and hooks share the role.
    pub(super) fn create_hook_policies(
        &self,
        canaries: &[Canary],
        changes: &mut Changes<'_, 't>,
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
        let hooks = canaries.iter().flat_map(|c| hook_functions(c.settings));
        for hook in hooks {
            if !seen.insert(hook) {
                continue;
            }
            let role_path = format!("functions.{hook}.role");
            let Some(role) = hooks::role_of(&naming::function_logical_id(hook), self.index) else {
                diagnostics.push(diag::hook_role_unknown(&role_path, hook));
                continue;
            };
            let policy_id = naming::hook_policy_logical_id(role.name);
            let at = match policy_at.get(&policy_id) {
                Some(at) => *at,
                None => {
                    let policy = hooks::hook_policy(HookPolicySpec {
                        stack_name: &self.input.stack_name,
                        role: role.entry,
                        application_id: &self.application_id,
                    });
                    changes.create(policy_id.clone(), &role_path, policy, diagnostics);
                    policy_at.insert(policy_id.clone(), policies.policy_ids.len());
                    policies.policy_ids.push(policy_id);
                    policies.policy_ids.len() - 1
                }
            };
            policies.by_hook.insert(hook.to_owned(), at);
        }
        policies
    }

    /// The stack's smoke-test and traffic-guard hooks and their role, for the functions that
    /// use them.
    pub(super) fn create_verification_hooks(
        &self,
        canaries: &[Canary],
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) {
        let uses_one = |c: &&Canary| GeneratedHook::ALL.iter().any(|h| h.used_by(c.settings));
        let checked: Vec<Checked> = canaries
            .iter()
            .filter(uses_one)
            .map(|c| Checked {
                settings: c.settings,
                function_id: &c.function_id,
                deployed_name: self.index.deployed_name(&c.function_id),
                group_name: &c.group_name,
            })
            .collect();
        let Some(first) = checked.first() else {
            return;
        };
        let origin = format!("functions.{}.deploymentSettings", first.settings.name());
        for hook in GeneratedHook::ALL {
            if checked.iter().any(|c| hook.used_by(c.settings)) {
                let function =
                    verification_hooks::hook_function(&self.input.stack_name, hook, &checked);
                if hook == GeneratedHook::SmokeTest {
                    verification_hooks::check_smoke_test_hook_size(
                        &function,
                        &checked,
                        diagnostics,
                    );
                }
                changes.create(hook.logical_id().to_owned(), &origin, function, diagnostics);
            }
        }
        let role = verification_hooks::role(&self.application_id, &checked);
        let names = |id: &str| self.index.deployed_name(id).map(str::len);
        let characters = verification_hooks::resolved_policy_characters(&role, &names);
        let limit = limits::VERIFICATION_ROLE_POLICY_CHARACTERS.value as usize;
        if characters > limit {
            diagnostics.push(diag::verification_policy_too_large(
                &origin, characters, limit,
            ));
        }
        changes.create(
            naming::VERIFICATION_ROLE_LOGICAL_ID.to_owned(),
            &origin,
            role,
            diagnostics,
        );
    }
}
