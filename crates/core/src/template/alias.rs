//! The alias CodeDeploy shifts: it points at the Framework's new Version, and its UpdatePolicy
//! hands every update to the function's deployment group.

use serde_json::Value;

use super::index::edit_depends_on;
use super::tree::{node, Node, Object};

pub(crate) struct AliasSpec<'a> {
    pub alias: &'a str,
    pub function_id: &'a str,
    pub version_id: &'a str,
    pub application_id: &'a str,
    pub group_id: &'a str,
    /// Logical IDs of the hook functions: the user's, or the plugin's smoke test and guard.
    pub before_traffic_hook: Option<String>,
    pub after_traffic_hook: Option<String>,
    /// Hook permission policies that must exist before CodeDeploy runs a hook.
    pub depends_on: Vec<String>,
    /// Taken over from the Framework's provisioned-concurrency alias, which this one replaces.
    pub provisioned_concurrency: Option<Value>,
}

pub(crate) fn alias(spec: AliasSpec) -> Node<'static> {
    let mut update = Object::new();
    update.insert("ApplicationName", node!({ "Ref": spec.application_id }));
    update.insert("DeploymentGroupName", node!({ "Ref": spec.group_id }));
    if let Some(hook) = spec.before_traffic_hook {
        update.insert("BeforeAllowTrafficHook", node!({ "Ref": hook }));
    }
    if let Some(hook) = spec.after_traffic_hook {
        update.insert("AfterAllowTrafficHook", node!({ "Ref": hook }));
    }
    let mut resource = node!({
        "Type": "AWS::Lambda::Alias",
        "Properties": {
            "FunctionName": { "Ref": spec.function_id },
            "FunctionVersion": { "Fn::GetAtt": [spec.version_id, "Version"] },
            "Name": spec.alias
        },
        "UpdatePolicy": { "CodeDeployLambdaAliasUpdate": update }
    });
    if let Some(config) = spec.provisioned_concurrency {
        resource["Properties"]["ProvisionedConcurrencyConfig"] = Node::from(config);
    }
    if !spec.depends_on.is_empty() {
        resource["DependsOn"] = Node::from(spec.depends_on);
    }
    resource
}

/// With `frameworkAlias: reuse`, as the Flagsmith fork does it: the Framework's alias becomes
/// the canary alias, keeping its logical ID, properties and dependencies, with the canary
/// alias's name and version and its updates handed to CodeDeploy.
pub(crate) fn take_over<'t>(framework_alias: &Node<'t>, mut spec: AliasSpec) -> Node<'t> {
    let depends_on = std::mem::take(&mut spec.depends_on);
    let generated = alias(spec);
    let mut resource = framework_alias.clone();
    if let Some(object) = resource.as_object_mut() {
        if !object.get("Properties").is_some_and(Node::is_object) {
            object.insert("Properties", Node::Object(Object::new()));
        }
        if let Some(properties) = object.get_mut("Properties").and_then(Node::as_object_mut) {
            for key in ["FunctionName", "FunctionVersion", "Name"] {
                properties.insert(key, generated["Properties"][key].clone());
            }
        }
        object.insert("UpdatePolicy", generated["UpdatePolicy"].clone());
    }
    // Left as the Framework wrote it (a string) when nothing is added.
    if !depends_on.is_empty() {
        edit_depends_on(&mut resource, |ids| {
            ids.extend(depends_on.into_iter().map(|id| Node::String(id.into())));
        });
    }
    resource
}
