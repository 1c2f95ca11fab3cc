//! Lets each hook function report its verdict to CodeDeploy, through one policy on each role the
//! hooks actually run with.

use serde_json::{json, Value};

use super::index::{get_att_target, TemplateIndex};
use crate::naming;

/// The role a function runs with, read from its compiled `Role`.
pub(crate) struct HookRole<'t> {
    /// Its entry in a policy's `Roles`: `Ref` of a role in the template, or a name.
    pub entry: Value,
    /// Its logical ID, or the name its ARN ends in: what its hook policy is named after.
    pub name: &'t str,
}

/// None when the role is an expression whose name cannot be known before deploy.
pub(crate) fn role_of<'t>(
    function_logical_id: &str,
    index: &TemplateIndex<'t>,
) -> Option<HookRole<'t>> {
    let role = &index.get(function_logical_id)?["Properties"]["Role"];
    if let Some(target) = role.get("Fn::GetAtt").and_then(get_att_target) {
        // Ref of an AWS::IAM::Role is its name.
        return (index.type_of(target) == Some("AWS::IAM::Role")).then(|| HookRole {
            entry: json!({ "Ref": target }),
            name: target,
        });
    }
    // A literal ARN: arn:<partition>:iam::<account>:role/<path/>name
    let arn = role.as_str()?;
    let (_, path_and_name) = arn.split_once(":role/")?;
    let name = path_and_name.rsplit('/').next()?;
    Some(HookRole {
        entry: json!(name),
        name,
    })
}

pub(crate) struct HookPolicySpec<'a> {
    pub stack_name: &'a str,
    /// The role's entry in `Roles`.
    pub role: Value,
    pub application_id: &'a str,
}

/// One statement for every hook that runs with the role, on every group of this stack's
/// application: the application belongs to the stack, and a statement that named each group
/// would outgrow IAM's 10,240 characters of inline policy per role at a few dozen functions.
pub(crate) fn hook_policy(spec: HookPolicySpec) -> Value {
    json!({
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": naming::hook_policy_name(spec.stack_name),
            "Roles": [spec.role],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["codedeploy:PutLifecycleEventHookExecutionStatus"],
                    "Resource": { "Fn::Sub": format!(
                        "arn:${{AWS::Partition}}:codedeploy:${{AWS::Region}}:${{AWS::AccountId}}:deploymentgroup:${{{}}}/*",
                        spec.application_id
                    )}
                }]
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_role(role: Value) -> Value {
        json!({
            "HookLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Role": role}},
            "SharedRole": {"Type": "AWS::IAM::Role", "Properties": {}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}
        })
    }

    fn role_for(role: Value) -> Option<(Value, String)> {
        let template = crate::template::tree::Node::from(index_role(role));
        let index = TemplateIndex::new(template.as_object().unwrap());
        role_of("HookLambdaFunction", &index).map(|role| (role.entry, role.name.to_owned()))
    }

    #[test]
    fn finds_the_role_a_hook_runs_with() {
        assert_eq!(
            role_for(json!({"Fn::GetAtt": ["SharedRole", "Arn"]})),
            Some((json!({"Ref": "SharedRole"}), "SharedRole".into()))
        );
        assert_eq!(
            role_for(json!("arn:aws:iam::123456789012:role/team/hooks-role")),
            Some((json!("hooks-role"), "hooks-role".into()))
        );
        assert_eq!(role_for(json!({"Fn::ImportValue": "role-arn"})), None);
        assert_eq!(role_for(json!({"Fn::GetAtt": ["Topic", "Arn"]})), None);
    }
}
