//! The CodeDeploy service role the plugin generates for the functions without a
//! `codeDeployRole` of their own.

use serde_json::{json, Value};

use crate::deployment::{traffic_hooks, HookRunner};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::template::references;
use crate::template::role::{self, RoleSpec};
use crate::template::Changes;

use super::checks::Canary;
use super::generate::Generator;

const BOUNDARY_PATH: &str = "custom.deploymentSettings.codeDeployRolePermissionsBoundary";

impl<'t> Generator<'_, 't> {
    /// The role, when a function needs it; a permissions boundary no function's role would
    /// carry is warned about.
    pub(super) fn create_service_role(
        &self,
        canaries: &[Canary],
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) {
        let boundary = self.settings.permissions_boundary.as_ref();
        if canaries
            .iter()
            .all(|c| c.settings.code_deploy_role.is_some())
        {
            if boundary.is_some() {
                diagnostics.push(diag::boundary_unused(BOUNDARY_PATH));
            }
            return;
        }
        if let Some(boundary) = boundary {
            let within = (self.index, self.input.template["Parameters"].as_object());
            references::check(
                boundary,
                BOUNDARY_PATH,
                &references::POLICY_ARN,
                within,
                diagnostics,
            );
        }
        let role = role::service_role(self.role_spec(canaries));
        changes.create(
            naming::SERVICE_ROLE_LOGICAL_ID.to_owned(),
            "custom.deploymentSettings",
            role,
            diagnostics,
        );
    }

    /// Least privilege: invoke only this service's hooks, publish only to its trigger topics.
    /// Hooks by ARN built from their names where known, so the role adds no dependency on
    /// them. Every hook the settings name, whether or not this deploy runs it: the role stays
    /// the same across a bypass.
    fn role_spec(&self, canaries: &[Canary]) -> RoleSpec {
        let mut hook_function_arns: Vec<Value> = Vec::new();
        let mut trigger_topic_arns: Vec<Value> = Vec::new();
        // Each once, in the order first named; looked up by text so the pass stays linear.
        let mut hooks_seen = rustc_hash::FxHashSet::default();
        let mut topics_seen = rustc_hash::FxHashSet::default();
        let served = canaries
            .iter()
            .filter(|c| c.settings.code_deploy_role.is_none());
        for function in served.map(|c| c.settings) {
            // The service's own hooks first, then the generated ones, as the role always had.
            let is_user_hook = |runner: &HookRunner| matches!(runner, HookRunner::Function(_));
            let runners = traffic_hooks(function, None).map(|hook| hook.runner);
            let (mut runners, generated): (Vec<_>, Vec<_>) = runners.partition(is_user_hook);
            runners.extend(generated);
            for runner in runners {
                let hook_id = runner.logical_id();
                let name = match runner {
                    HookRunner::Function(_) => {
                        self.index.deployed_name(&hook_id).map(str::to_owned)
                    }
                    HookRunner::Generated(generated) => {
                        Some(generated.function_name(&self.input.stack_name))
                    }
                };
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
            permissions_boundary: self.settings.permissions_boundary.clone(),
            hook_function_arns,
            trigger_topic_arns,
        }
    }
}
