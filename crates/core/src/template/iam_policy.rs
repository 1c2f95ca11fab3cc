//! Reading the IAM policies a template gives a role, far enough to tell whether a statement
//! allows an action on a resource: by `Ref`/`Fn::GetAtt`/`${...}` of the resource, or by an
//! ARN pattern with IAM's wildcards.

use super::index::{get_att_target, names_resource, one_or_many, type_of, TemplateIndex};
use crate::template::tree::Node;

/// What a role is: its policy statements, and the AWS managed policies attached by ARN.
pub(crate) struct RolePolicies<'t> {
    pub statements: Vec<&'t Node<'t>>,
    pub managed_arns: Vec<&'t Node<'t>>,
}

/// A resource a statement may name: its logical ID, and the ARN service and resource part it
/// has (`lambda`, `function:svc-dev-hook`), when its name is known before deploy.
pub(crate) struct Target<'a> {
    pub logical_id: Option<&'a str>,
    pub arn: Option<(&'a str, String)>,
}

/// The policies of a role this template defines (`Fn::GetAtt [Role, Arn]`): its own
/// `Policies`, the policies and managed policies of the template naming it in `Roles`, and those
/// in its `ManagedPolicyArns`. `None` for a role outside the template.
pub(crate) fn role_policies<'t>(
    role_arn: &Node,
    index: &TemplateIndex<'t>,
) -> Option<RolePolicies<'t>> {
    let role_id = role_arn.get("Fn::GetAtt").and_then(get_att_target)?;
    let role = index
        .get(role_id)
        .filter(|r| type_of(r) == Some("AWS::IAM::Role"))?;
    let properties = &role["Properties"];
    let mut documents: Vec<&Node> = properties["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|policy| &policy["PolicyDocument"])
        .collect();
    let mut managed_arns = Vec::new();
    for arn in one_or_many(&properties["ManagedPolicyArns"]) {
        let in_template = arn
            .get("Ref")
            .and_then(Node::as_str)
            .and_then(|id| index.get(id))
            .filter(|policy| type_of(policy) == Some("AWS::IAM::ManagedPolicy"));
        match in_template {
            Some(policy) => documents.push(&policy["Properties"]["PolicyDocument"]),
            None => managed_arns.push(arn),
        }
    }
    documents.extend(
        index
            .referrers_of(role_id)
            .filter(|(_, policy)| {
                matches!(
                    type_of(policy),
                    Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy")
                ) && one_or_many(&policy["Properties"]["Roles"]).any(|r| r["Ref"] == role_id)
            })
            .map(|(_, policy)| &policy["Properties"]["PolicyDocument"]),
    );
    let statements = documents
        .into_iter()
        .flat_map(|document| one_or_many(&document["Statement"]))
        .collect();
    Some(RolePolicies {
        statements,
        managed_arns,
    })
}

/// A statement allows `action` on `target`, or on every resource.
pub(crate) fn allows(statement: &Node, action: &str, target: &Target) -> bool {
    statement["Effect"] == "Allow"
        && one_or_many(&statement["Action"]).any(|given| {
            // IAM compares actions without regard to case.
            given.as_str().is_some_and(|given| {
                wildcard_match(&given.to_ascii_lowercase(), &action.to_ascii_lowercase())
            })
        })
        && one_or_many(&statement["Resource"]).any(|resource| names(resource, target))
}

fn names(resource: &Node, target: &Target) -> bool {
    resource == "*"
        || target
            .logical_id
            .is_some_and(|id| names_resource(resource, id))
        || target.arn.as_ref().is_some_and(|(service, name)| {
            arn_pattern(resource).is_some_and(|pattern| arn_covers(&pattern, service, name))
        })
}

/// An ARN written as text, with every `${...}` of a `Fn::Sub` standing for anything.
fn arn_pattern(resource: &Node) -> Option<String> {
    let text = match resource {
        Node::String(text) => text.as_ref(),
        other => match other.get("Fn::Sub")? {
            Node::String(text) => text.as_ref(),
            Node::Array(parts) => parts.first()?.as_str()?,
            _ => return None,
        },
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = rest[start..].split_once('}').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    Some(out)
}

/// `arn:<partition>:<service>:<region>:<account>:<resource>` covers the named resource of that
/// service; partition, region and account are the stack's own and not compared.
fn arn_covers(pattern: &str, service: &str, resource: &str) -> bool {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    parts.len() == 6 && wildcard_match(parts[2], service) && wildcard_match(parts[5], resource)
}

/// IAM's wildcards: `*` any run of characters, `?` any one. One pass with one backtrack
/// point, so no pattern makes it slow.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t) = (0, 0);
    // The last `*` seen, and where in `text` its run currently ends.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, t));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    #[test]
    fn iam_wildcards() {
        assert!(wildcard_match("lambda:invoke*", "lambda:invokefunction"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("*a*b", "xxaxxb"));
        assert!(!wildcard_match("*a*b", "xxaxxbx"));
        assert!(!wildcard_match("lambda:get*", "lambda:invokefunction"));
        assert!(wildcard_match(
            "function:svc-dev-?ook",
            "function:svc-dev-hook"
        ));
        // Many stars against a long text that does not match answer at once.
        let pattern = format!("{}b", "*a".repeat(12));
        assert!(!wildcard_match(&pattern, &"a".repeat(200)));
    }

    #[test]
    fn arn_patterns_from_text_and_fn_sub() {
        let sub = node!({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-*"});
        let pattern = arn_pattern(&sub).unwrap();
        assert_eq!(pattern, "arn:*:lambda:*:*:function:svc-dev-*");
        assert!(arn_covers(&pattern, "lambda", "function:svc-dev-preHook"));
        assert!(!arn_covers(&pattern, "lambda", "function:other-preHook"));
        assert!(!arn_covers("arn:aws:sns:us-east-1:1:t", "lambda", "t"));
    }

    #[test]
    fn a_statement_allows_an_action_on_its_resources_only() {
        let hook = |name: &str| Target {
            logical_id: Some("HookLambdaFunction"),
            arn: Some(("lambda", format!("function:{name}"))),
        };
        let by_arn = node!({"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": "arn:aws:lambda:*:*:function:a"});
        assert!(allows(&by_arn, "lambda:InvokeFunction", &hook("a")));
        assert!(!allows(&by_arn, "lambda:InvokeFunction", &hook("b")));
        assert!(!allows(&by_arn, "sns:Publish", &hook("a")));
        for reference in [
            node!({"Fn::GetAtt": "HookLambdaFunction.Arn"}),
            node!({"Fn::Sub": "${HookLambdaFunction.Arn}"}),
        ] {
            let statement =
                node!({"Effect": "Allow", "Action": "lambda:Invoke*", "Resource": [reference]});
            assert!(allows(&statement, "lambda:InvokeFunction", &hook("b")));
        }
        let deny = node!({"Effect": "Deny", "Action": "*", "Resource": "*"});
        assert!(!allows(&deny, "sns:Publish", &hook("a")));
        let service_wide = node!({"Effect": "Allow", "Action": "sns:*", "Resource": "*"});
        let nothing = Target {
            logical_id: None,
            arn: None,
        };
        assert!(allows(&service_wide, "sns:Publish", &nothing));
    }
}
