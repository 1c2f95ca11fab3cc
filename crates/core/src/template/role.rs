//! The CodeDeploy service role: the limited managed policy, plus only what this service needs,
//! invoking its own hook functions and publishing to its own trigger topics.

use serde_json::{json, Value};

pub(crate) struct RoleSpec {
    pub permissions_boundary: Option<Value>,
    /// ARNs of the hook functions CodeDeploy must invoke.
    pub hook_function_arns: Vec<Value>,
    /// `TriggerTargetArn` of every trigger, as written.
    pub trigger_topic_arns: Vec<Value>,
}

pub(crate) fn service_role(spec: RoleSpec) -> Value {
    let mut properties = json!({
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Service": ["codedeploy.amazonaws.com"] },
                "Action": ["sts:AssumeRole"]
            }]
        },
        "ManagedPolicyArns": [{
            "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"
        }]
    });
    if let Some(boundary) = spec.permissions_boundary {
        properties["PermissionsBoundary"] = boundary;
    }
    let mut statements = Vec::new();
    if !spec.hook_function_arns.is_empty() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": spec.hook_function_arns
        }));
    }
    if !spec.trigger_topic_arns.is_empty() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["sns:Publish"],
            "Resource": spec.trigger_topic_arns
        }));
    }
    if !statements.is_empty() {
        properties["Policies"] = json!([{
            "PolicyName": "codedeploy-hooks-and-triggers",
            "PolicyDocument": { "Version": "2012-10-17", "Statement": statements }
        }]);
    }
    json!({ "Type": "AWS::IAM::Role", "Properties": properties })
}
