//! Settings that take an ARN may name a resource of the stack instead (`codeDeployRole`, a
//! trigger's `TriggerTargetArn`, `codeDeployRolePermissionsBoundary`). The name must be a
//! resource or parameter of this template, or CloudFormation refuses it ("Unresolved resource
//! dependencies"), and it must give the ARN the setting needs, or CodeDeploy or IAM refuse
//! the group or the role at deploy time.

use serde_json::Value;

use super::index::{get_att_target, TemplateIndex};
use super::tree::{Node, Object};
use crate::diagnostics::{self as diag, Diagnostics};

/// What a setting needs, and which intrinsics give it. From the CloudFormation template
/// reference, each resource's "Return values": `Ref` of an `AWS::SNS::Topic` or an
/// `AWS::IAM::ManagedPolicy` is its ARN, `Ref` of an `AWS::IAM::Role` its name.
pub(crate) struct Needed {
    /// "an IAM role ARN", for the message.
    pub what: &'static str,
    /// Resource types whose `Ref` gives it.
    pub by_ref: &'static [&'static str],
    /// (resource type, attribute) pairs whose `Fn::GetAtt` gives it.
    pub by_get_att: &'static [(&'static str, &'static str)],
}

impl Needed {
    /// "needs an SNS topic ARN: `Ref` or `Fn::GetAtt: [<id>, TopicArn]` of an AWS::SNS::Topic".
    fn how(&self) -> String {
        let ways: Vec<String> = self
            .by_ref
            .iter()
            .map(|kind| format!("`Ref` of an {kind}"))
            .chain(
                self.by_get_att
                    .iter()
                    .map(|(kind, attr)| format!("`Fn::GetAtt: [<id>, {attr}]` of an {kind}")),
            )
            .collect();
        format!("{}: {}", self.what, ways.join(" or "))
    }
}

pub(crate) const ROLE_ARN: Needed = Needed {
    what: "an IAM role ARN",
    by_ref: &[],
    by_get_att: &[("AWS::IAM::Role", "Arn")],
};

pub(crate) const TOPIC_ARN: Needed = Needed {
    what: "an SNS topic ARN",
    by_ref: &["AWS::SNS::Topic"],
    by_get_att: &[("AWS::SNS::Topic", "TopicArn")],
};

pub(crate) const POLICY_ARN: Needed = Needed {
    what: "an IAM managed policy ARN",
    by_ref: &["AWS::IAM::ManagedPolicy"],
    by_get_att: &[("AWS::IAM::ManagedPolicy", "PolicyArn")],
};

/// Checks a `Ref` or `Fn::GetAtt` at `path`; other values were checked with the settings, and
/// other intrinsics (`Fn::Sub`, `Fn::ImportValue`) are only known at deploy time.
pub(crate) fn check(
    value: &Value,
    path: &str,
    needed: &Needed,
    (index, parameters): (&TemplateIndex, Option<&Object>),
    diagnostics: &mut Diagnostics,
) {
    if let Some(id) = value.get("Ref").and_then(Value::as_str) {
        // Pseudo parameters (`AWS::AccountId`) and the template's parameters are the user's
        // to get right: their values are not known here.
        if id.starts_with("AWS::") || parameters.is_some_and(|p| p.contains_key(id)) {
            return;
        }
        match index.type_of(id) {
            None => diagnostics.push(diag::unknown_reference(path, id)),
            Some(found) if needed.by_ref.contains(&found) => {}
            // A role's `Ref` is its name: the mistake has its own code and fix.
            Some("AWS::IAM::Role") if needed.by_get_att == ROLE_ARN.by_get_att => {
                diagnostics.push(diag::role_ref_is_a_name(path, id));
            }
            Some(found) => {
                let written = format!("Ref: {id}");
                diagnostics.push(diag::wrong_resource_type(
                    path,
                    &written,
                    found,
                    &needed.how(),
                ));
            }
        }
        return;
    }
    let Some(get_att) = value.get("Fn::GetAtt") else {
        return;
    };
    let written = Node::borrowed(get_att);
    let Some(id) = get_att_target(&written) else {
        return;
    };
    let attribute = match get_att {
        Value::Array(parts) => parts.get(1).and_then(Value::as_str),
        Value::String(dotted) => dotted.split_once('.').map(|(_, attribute)| attribute),
        _ => None,
    };
    let Some(found) = index.type_of(id) else {
        diagnostics.push(diag::unknown_reference(path, id));
        return;
    };
    let gives = |(kind, attr): &(&str, &str)| *kind == found && Some(*attr) == attribute;
    if !needed.by_get_att.iter().any(gives) {
        let written = format!("Fn::GetAtt: [{id}, {}]", attribute.unwrap_or(""));
        diagnostics.push(diag::wrong_resource_type(
            path,
            &written,
            found,
            &needed.how(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use serde_json::json;

    fn codes(value: Value, needed: &Needed) -> Vec<(Code, String)> {
        let resources = json!({
            "DeployRole": {"Type": "AWS::IAM::Role"},
            "DeployTopic": {"Type": "AWS::SNS::Topic"},
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Boundary": {"Type": "AWS::IAM::ManagedPolicy"},
        });
        let parameters = Node::from(json!({"TopicArn": {"Type": "String"}}));
        let resources = Node::from(resources);
        let index = TemplateIndex::new(resources.as_object().unwrap());
        let mut diagnostics = Diagnostics::default();
        let within = (&index, parameters.as_object());
        check(&value, "p", needed, within, &mut diagnostics);
        diagnostics
            .into_vec()
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect()
    }

    #[test]
    fn what_gives_the_arn_passes() {
        for (value, needed) in [
            (json!({"Fn::GetAtt": ["DeployRole", "Arn"]}), &ROLE_ARN),
            (json!({"Fn::GetAtt": "DeployRole.Arn"}), &ROLE_ARN),
            (json!({"Ref": "DeployTopic"}), &TOPIC_ARN),
            (
                json!({"Fn::GetAtt": ["DeployTopic", "TopicArn"]}),
                &TOPIC_ARN,
            ),
            (json!({"Ref": "TopicArn"}), &TOPIC_ARN),
            (json!({"Ref": "Boundary"}), &POLICY_ARN),
            (
                json!({"Fn::Sub": "arn:aws:sns:${AWS::Region}:1:t"}),
                &TOPIC_ARN,
            ),
            (json!({"Fn::ImportValue": "shared-role"}), &ROLE_ARN),
        ] {
            assert_eq!(codes(value.clone(), needed), [], "{value}");
        }
    }

    #[test]
    fn a_missing_or_wrong_resource_is_named() {
        assert_eq!(
            codes(json!({"Fn::GetAtt": ["Queue", "Arn"]}), &ROLE_ARN),
            [(
                Code::WrongResourceType,
                "`Fn::GetAtt: [Queue, Arn]` names an AWS::SQS::Queue, but this needs an IAM role ARN: `Fn::GetAtt: [<id>, Arn]` of an AWS::IAM::Role".into()
            )]
        );
        assert_eq!(
            codes(json!({"Fn::GetAtt": ["DeployRole", "RoleId"]}), &ROLE_ARN)[0].0,
            Code::WrongResourceType
        );
        assert_eq!(
            codes(json!({"Ref": "Queue"}), &TOPIC_ARN)[0].0,
            Code::WrongResourceType
        );
        assert_eq!(
            codes(json!({"Fn::GetAtt": ["DeployRol", "Arn"]}), &ROLE_ARN)[0].0,
            Code::UnknownReference
        );
        assert_eq!(
            codes(json!({"Ref": "Topic"}), &TOPIC_ARN)[0].0,
            Code::UnknownReference
        );
        assert_eq!(
            codes(json!({"Ref": "DeployRole"}), &ROLE_ARN)[0].0,
            Code::RoleRefIsAName
        );
    }
}
