//! `--canary-bypass`: for one deploy, every canaried function shifts all at once and CodeDeploy
//! consults none of its alarms (AWS SAM #716, old plugin #58 and #82: a fix rolled back by the
//! alarm of the incident it fixes). Only the groups and aliases the plugin generates change,
//! and only in the template of this deploy: the next package without the switch writes them
//! back as they were, so there is nothing to undo.
//!
//! Order: the group must carry the new config before the alias update starts the deployment,
//! or CodeDeploy runs it with the canary config and alarms still on (and the next deploy, back
//! to normal, must likewise restore the group first). The alias names its group by `Ref` in
//! `UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName`, and CloudFormation orders
//! resources by every `Ref` between them, updating the referenced one first (AWS
//! CloudFormation User Guide, "DependsOn attribute"). cfn-lint reads it the same way: an added
//! `DependsOn: <group>` is W3005, "dependency already enforced by a 'Ref' at
//! .../UpdatePolicy/CodeDeployLambdaAliasUpdate/DeploymentGroupName". So nothing is added.

use serde::Deserialize;
use serde_json::Value;

use crate::deployment::{traffic_hooks, AttachedAlarm, GeneratedHook, HookRunner};
use crate::diagnostics::{self as diag, Diagnostic};
use crate::naming;
use crate::settings::FunctionSettings;
use crate::template::tree::{node, Node};

/// The config every bypassed group uses: CodeDeploy's predefined all-at-once shift.
pub(crate) const ALL_AT_ONCE_CONFIG: &str = "CodeDeployDefault.LambdaAllAtOnce";
/// The rollback event an alarm triggers: with the alarms off it can never happen.
const STOP_ON_ALARM: &str = "DEPLOYMENT_STOP_ON_ALARM";
/// The tag that records the bypass on each group, for whoever looks at it in CodeDeploy.
pub(crate) const TAG_KEY: &str = "serverless-canary:bypass";

/// The switches of this deploy, as the plugin reads them from the command line.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Switches {
    /// `--canary-bypass`.
    #[serde(default)]
    pub canary_bypass: bool,
    /// `--canary-skip-hooks`: with the bypass, the pre- and post-traffic hooks are left out too.
    #[serde(default)]
    pub canary_skip_hooks: bool,
}

impl Switches {
    /// The bypass they ask for; `--canary-skip-hooks` alone is refused by the plan.
    pub(crate) fn bypass(self) -> Option<Bypass> {
        self.canary_bypass.then_some(Bypass {
            skip_hooks: self.canary_skip_hooks,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bypass {
    pub skip_hooks: bool,
}

impl Bypass {
    /// What the group's tag says, in a few words (tag values hold 256 characters).
    pub(crate) fn tag_value(self) -> &'static str {
        if self.skip_hooks {
            "all at once, alarms off, hooks skipped"
        } else {
            "all at once, alarms off, hooks run"
        }
    }
}

/// The deployment group for a bypassed deploy: all at once; its alarms kept in the list but
/// disabled, so the next deploy enables the same list; no rollback on an alarm; and the tag.
pub(crate) fn group(mut group: Node<'static>, bypass: Bypass) -> Node<'static> {
    let properties = &mut group["Properties"];
    properties["DeploymentConfigName"] = node!(ALL_AT_ONCE_CONFIG);
    properties["AlarmConfiguration"]["Enabled"] = node!(false);
    let rollback = &mut properties["AutoRollbackConfiguration"];
    if let Some(events) = rollback.get_mut("Events").and_then(Node::as_array_mut) {
        events.retain(|event| *event != STOP_ON_ALARM);
        if events.is_empty() {
            *rollback = node!({ "Enabled": false });
        }
    }
    properties["Tags"] = node!([{ "Key": TAG_KEY, "Value": bypass.tag_value() }]);
    group
}

/// The loud warning of a bypassed function: what this deploy leaves out.
pub(crate) fn warning(
    function: &FunctionSettings,
    attached: &[AttachedAlarm],
    bypass: Bypass,
) -> Diagnostic {
    let alarms: Vec<String> = attached.iter().flat_map(AttachedAlarm::labels).collect();
    let mut user_hooks = Vec::new();
    let mut generated = Vec::new();
    for hook in traffic_hooks(function, Some(bypass)) {
        match hook.runner {
            HookRunner::Function(name) => user_hooks.push(name),
            HookRunner::Generated(GeneratedHook::SmokeTest) => generated.push(match hook.runs {
                true => "its smoke test runs",
                false => "its smoke test is skipped",
            }),
            HookRunner::Generated(GeneratedHook::TrafficGuard) => {
                generated.push("its traffic guard is off");
            }
        }
    }
    let said = match (user_hooks.is_empty(), bypass.skip_hooks) {
        (true, _) => "it has no hooks".to_owned(),
        (false, false) => format!("its hooks run ({})", user_hooks.join(", ")),
        (false, true) => format!("its hooks are skipped ({})", user_hooks.join(", ")),
    };
    let said = [said]
        .into_iter()
        .chain(generated.into_iter().map(str::to_owned));
    diag::canary_bypassed(
        &format!("functions.{}.deploymentSettings", function.name()),
        function.name(),
        &function.deployment_type.to_string(),
        &alarms,
        &said.collect::<Vec<_>>().join("; "),
    )
}

/// What `sls deploy` reads from the template it is about to deploy, which `--package` may have
/// made in another run: the Framework's functions, the template, and whether the switch was
/// given to this deploy.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployInput {
    #[serde(default)]
    pub functions: serde_json::Map<String, Value>,
    pub template: Value,
    #[serde(default)]
    pub switches: Switches,
}

/// The deploy's line about the bypass: a notice when the template bypasses the canary, an
/// error when the switch was given but the template (packaged without it) does not.
#[derive(Debug, Default, PartialEq, serde::Serialize)]
pub struct DeployBypass {
    pub notice: Option<String>,
    pub error: Option<Diagnostic>,
}

pub fn deploy_bypass(input: &DeployInput) -> DeployBypass {
    let resources = &input.template["Resources"];
    let mut bypassed = Vec::new();
    let mut hooks = "";
    for name in input.functions.keys() {
        let group_id = naming::deployment_group_logical_id(&naming::function_logical_id(name));
        let tags = resources[&group_id]["Properties"]["Tags"].as_array();
        let tag = tags.into_iter().flatten().find(|tag| tag["Key"] == TAG_KEY);
        if let Some(value) = tag.and_then(|tag| tag["Value"].as_str()) {
            bypassed.push(name.as_str());
            hooks = value.rsplit(", ").next().unwrap_or_default();
        }
    }
    if bypassed.is_empty() {
        return DeployBypass {
            notice: None,
            error: input.switches.canary_bypass.then(diag::bypass_not_packaged),
        };
    }
    DeployBypass {
        notice: Some(format!(
            "this deploy bypasses the canary (--canary-bypass): {} shift all at once, no alarm is consulted, {hooks}; CodeDeploy records it as the tag `{TAG_KEY}` on each deployment group",
            bypassed.join(", ")
        )),
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canary_group(events: &[&str]) -> Node<'static> {
        node!({
            "Type": "AWS::CodeDeploy::DeploymentGroup",
            "Properties": {
                "DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                "AlarmConfiguration": { "Enabled": true, "Alarms": [{ "Name": "Errors" }] },
                "AutoRollbackConfiguration": { "Enabled": true, "Events": events }
            }
        })
    }

    #[test]
    fn the_group_shifts_at_once_with_its_alarms_listed_but_off() {
        let bypass = Bypass { skip_hooks: false };
        let group = group(
            canary_group(&["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]),
            bypass,
        );
        let properties = &group["Properties"];
        assert_eq!(properties["DeploymentConfigName"], ALL_AT_ONCE_CONFIG);
        assert_eq!(
            properties["AlarmConfiguration"],
            json!({ "Enabled": false, "Alarms": [{ "Name": "Errors" }] })
        );
        assert_eq!(
            properties["AutoRollbackConfiguration"],
            json!({ "Enabled": true, "Events": ["DEPLOYMENT_FAILURE"] })
        );
        assert_eq!(
            properties["Tags"],
            json!([{ "Key": TAG_KEY, "Value": "all at once, alarms off, hooks run" }])
        );
    }

    #[test]
    fn rollback_only_on_alarm_becomes_no_rollback() {
        let group = group(
            canary_group(&["DEPLOYMENT_STOP_ON_ALARM"]),
            Bypass { skip_hooks: true },
        );
        assert_eq!(
            group["Properties"]["AutoRollbackConfiguration"],
            json!({ "Enabled": false })
        );
        assert_eq!(
            group["Properties"]["Tags"][0]["Value"],
            "all at once, alarms off, hooks skipped"
        );
    }
}
