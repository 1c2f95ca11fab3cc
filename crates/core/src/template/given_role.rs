//! A CodeDeploy role the user gives (`codeDeployRole`) must let CodeDeploy invoke the group's
//! hooks and publish to its trigger topics when a deployment runs. AWS's managed policies for
//! such a role allow `lambda:InvokeFunction` only on functions named `CodeDeployHook_*`, and
//! the limited one has no `sns:Publish` (AWS Managed Policy reference: AWSCodeDeployRoleForLambda,
//! AWSCodeDeployRoleForLambdaLimited; CodeDeploy user guide, "Grant Amazon SNS permissions to a
//! CodeDeploy service role"). A role this template defines is read; one outside it is taken to
//! be built on the limited policy, as the role the plugin generates is.

use serde_json::Value;

use super::iam_policy::{self, RolePolicies, Target};
use super::index::{resources_named, TemplateIndex};
use super::tree::Node;
use crate::deployment::hook_functions;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::settings::{FunctionSettings, Sourced};

/// The prefix AWS's managed CodeDeploy policies let a role invoke.
const MANAGED_HOOK_PREFIX: &str = "CodeDeployHook_";

/// Which of AWS's managed CodeDeploy policies for Lambda a role has.
#[derive(Clone, Copy, PartialEq)]
enum Managed {
    None,
    /// AWSCodeDeployRoleForLambdaLimited: hooks named `CodeDeployHook_*`, no SNS.
    Limited,
    /// AWSCodeDeployRoleForLambda: the same, and `sns:Publish` on every topic.
    Full,
}

impl Managed {
    fn of(policies: Option<&RolePolicies>) -> Self {
        let Some(policies) = policies else {
            return Managed::Limited;
        };
        let names = |name: &str| {
            policies.managed_arns.iter().any(|arn| {
                let text = arn
                    .as_str()
                    .or_else(|| arn.get("Fn::Sub").and_then(Node::as_str));
                text.is_some_and(|text| text.ends_with(name))
            })
        };
        if names("/AWSCodeDeployRoleForLambda") {
            Managed::Full
        } else if names("/AWSCodeDeployRoleForLambdaLimited") {
            Managed::Limited
        } else {
            Managed::None
        }
    }
}

/// Warns about each hook and trigger topic of `function` that its given role may not reach.
pub(crate) fn check(
    function: &FunctionSettings,
    role: &Sourced<Value>,
    index: &TemplateIndex,
    diagnostics: &mut Diagnostics,
) {
    let policies = iam_policy::role_policies(&Node::borrowed(&role.value), index);
    let managed = Managed::of(policies.as_ref());
    let allowed = |action: &str, target: &Target| {
        policies.as_ref().is_some_and(|policies| {
            policies
                .statements
                .iter()
                .any(|statement| iam_policy::allows(statement, action, target))
        })
    };
    for hook in hook_functions(function) {
        let hook_id = naming::function_logical_id(hook);
        let deployed = index.deployed_name(&hook_id);
        let named_for_managed = deployed.is_some_and(|name| name.starts_with(MANAGED_HOOK_PREFIX));
        let target = Target {
            logical_id: Some(&hook_id),
            arn: deployed.map(|name| ("lambda", format!("function:{name}"))),
        };
        if (managed != Managed::None && named_for_managed)
            || allowed("lambda:InvokeFunction", &target)
        {
            continue;
        }
        let arn = match deployed {
            Some(name) => naming::function_arn_sub(name, ""),
            None => format!("!GetAtt {hook_id}.Arn"),
        };
        diagnostics.push(diag::given_role_cannot_invoke_hook(&role.path, hook, &arn));
    }
    for trigger in function.triggers() {
        let topic = &trigger["TriggerTargetArn"];
        let written = Node::borrowed(topic);
        let target = topic_target(&written, index);
        if managed == Managed::Full || allowed("sns:Publish", &target) {
            continue;
        }
        diagnostics.push(diag::given_role_cannot_publish(&role.path, &shown(topic)));
    }
}

/// A trigger's topic: the template's topic it names, and its name when known before deploy.
fn topic_target<'t>(topic: &'t Node<'t>, index: &TemplateIndex) -> Target<'t> {
    let logical_id = resources_named(topic).first().copied();
    let name = match topic.as_str() {
        Some(arn) => arn.rsplit(':').next().map(str::to_owned),
        None => logical_id
            .and_then(|id| index.get(id))
            .and_then(|t| t["Properties"]["TopicName"].as_str())
            .map(str::to_owned),
    };
    Target {
        logical_id,
        arn: name.map(|name| ("sns", name)),
    }
}

/// How a topic was written, for a message.
fn shown(topic: &Value) -> String {
    match topic {
        Value::String(arn) => arn.clone(),
        other => match other.get("Ref").and_then(Value::as_str) {
            Some(id) => format!("!Ref {id}"),
            None => other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The codes raised for `hello` (hook `hook`, deployed as `hook_name`, and a trigger topic)
    /// deployed with `role`, in a template that also holds `resources`.
    fn codes(role: Value, hook_name: &str, resources: Value) -> Vec<&'static str> {
        let functions = json!({
            "hello": {"deploymentSettings": {
                "type": "AllAtOnce", "alias": "Live", "preTrafficHook": "hook", "codeDeployRole": role,
                "triggerConfigurations": [{"TriggerName": "t", "TriggerTargetArn": {"Ref": "Topic"}, "TriggerEvents": ["DeploymentFailure"]}]
            }},
            "hook": {"handler": "h.h"}
        });
        let mut diagnostics = Diagnostics::default();
        let settings =
            crate::settings::read_settings(None, functions.as_object().unwrap(), &mut diagnostics);
        let mut template = json!({
            "HookLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": hook_name}},
            "Topic": {"Type": "AWS::SNS::Topic"}
        });
        template
            .as_object_mut()
            .unwrap()
            .extend(resources.as_object().unwrap().clone());
        let template = Node::from(template);
        let index = TemplateIndex::new(template.as_object().unwrap());
        let function = &settings.functions[0];
        check(
            function,
            function.code_deploy_role.as_ref().unwrap(),
            &index,
            &mut diagnostics,
        );
        diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn a_role_outside_the_stack_is_warned_about_per_hook_and_topic() {
        let external = json!("arn:aws:iam::123456789012:role/deployer");
        assert_eq!(
            codes(external.clone(), "svc-dev-hook", json!({})),
            ["given-role-cannot-invoke-hook", "given-role-cannot-publish"]
        );
        assert_eq!(
            codes(external, "CodeDeployHook_svc", json!({})),
            ["given-role-cannot-publish"],
            "the managed policies invoke CodeDeployHook_* functions"
        );
    }

    #[test]
    fn a_role_in_the_template_that_allows_both_is_not_warned_about() {
        let role = json!({"Fn::GetAtt": ["Deployer", "Arn"]});
        let inline = json!({"Deployer": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{
            "PolicyName": "p",
            "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-*"}},
                {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [{"Ref": "Topic"}]}
            ]}
        }]}}});
        assert!(codes(role.clone(), "svc-dev-hook", inline).is_empty());
        let attached = json!({
            "Deployer": {"Type": "AWS::IAM::Role", "Properties": {}},
            "DeployerPolicy": {"Type": "AWS::IAM::Policy", "Properties": {
                "Roles": [{"Ref": "Deployer"}],
                "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": {"Fn::GetAtt": ["HookLambdaFunction", "Arn"]}}}
            }}
        });
        assert_eq!(
            codes(role, "svc-dev-hook", attached),
            ["given-role-cannot-publish"]
        );
    }

    #[test]
    fn a_role_in_the_template_is_judged_by_the_managed_policies_it_has() {
        let role = json!({"Fn::GetAtt": ["Deployer", "Arn"]});
        let with = |managed: Value| json!({"Deployer": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [managed]}}});
        let full = with(
            json!({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"}),
        );
        assert!(codes(role.clone(), "CodeDeployHook_svc", full.clone()).is_empty());
        assert_eq!(
            codes(role.clone(), "svc-dev-hook", full),
            ["given-role-cannot-invoke-hook"]
        );
        let limited = with(json!(
            "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"
        ));
        assert_eq!(
            codes(role.clone(), "CodeDeployHook_svc", limited),
            ["given-role-cannot-publish"]
        );
        let other = with(json!("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert_eq!(
            codes(role.clone(), "CodeDeployHook_svc", other),
            ["given-role-cannot-invoke-hook", "given-role-cannot-publish"],
            "the prefix counts only with a managed CodeDeploy policy"
        );
        let own_managed = json!({
            "Deployer": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Ref": "DeployerPolicy"}]}},
            "DeployerPolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": {"Fn::Sub": "${HookLambdaFunction.Arn}"}},
                {"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Fn::GetAtt": ["Topic", "TopicArn"]}}
            ]}}}
        });
        assert!(codes(role, "svc-dev-hook", own_managed).is_empty());
    }
}
