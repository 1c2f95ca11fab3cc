//! A CodeDeploy role the user gives (`codeDeployRole`) must let CodeDeploy invoke the group's
//! hooks and publish to its trigger topics when a deployment runs. AWS's managed policies for
//! such a role (AWSCodeDeployRoleForLambda and ...Limited, see the AWS Managed Policy reference)
//! allow `lambda:InvokeFunction` only on functions named `CodeDeployHook_*`, and the limited one
//! has no `sns:Publish` (CodeDeploy user guide, "Grant Amazon SNS permissions to a CodeDeploy
//! service role"). A role this template defines is read; any other is warned about.

use serde_json::Value;

use super::index::{get_att_target, type_of, TemplateIndex};
use crate::diagnostics::{self as diag, Diagnostic};
use crate::naming;
use crate::settings::{FunctionSettings, Sourced};

/// The prefix AWS's managed CodeDeploy policies let a role invoke.
const MANAGED_HOOK_PREFIX: &str = "CodeDeployHook_";

/// Warns about each hook and trigger topic of `function` that its given role may not reach.
pub fn check(
    function: &FunctionSettings,
    role: &Sourced<Value>,
    index: &TemplateIndex,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let statements = statements_of(&role.value, index);
    for hook in function.hooks() {
        let hook_id = naming::function_logical_id(hook);
        let deployed = index
            .get(&hook_id)
            .and_then(|f| f["Properties"]["FunctionName"].as_str());
        if deployed.is_some_and(|name| name.starts_with(MANAGED_HOOK_PREFIX)) {
            continue;
        }
        let get_att = serde_json::json!({ "Fn::GetAtt": [hook_id, "Arn"] });
        let allowed = statements.iter().any(|statement| {
            allows(statement, "lambda:InvokeFunction", |resource| {
                *resource == get_att
                    || deployed.is_some_and(|name| {
                        arn_text(resource).is_some_and(|arn| {
                            arn_covers(&arn, "lambda", &format!("function:{name}"))
                        })
                    })
            })
        });
        if !allowed {
            let arn = match deployed {
                Some(name) => format!(
                    "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}"
                ),
                None => format!("!GetAtt {hook_id}.Arn"),
            };
            diagnostics.push(diag::given_role_cannot_invoke_hook(&role.path, hook, &arn));
        }
    }
    for trigger in function.triggers() {
        let topic = &trigger["TriggerTargetArn"];
        let topic_name = topic.as_str().and_then(|arn| arn.rsplit(':').next());
        let allowed = statements.iter().any(|statement| {
            allows(statement, "sns:Publish", |resource| {
                resource == topic
                    || topic_name.is_some_and(|name| {
                        arn_text(resource).is_some_and(|arn| arn_covers(&arn, "sns", name))
                    })
            })
        });
        if !allowed {
            diagnostics.push(diag::given_role_cannot_publish(&role.path, &shown(topic)));
        }
    }
}

/// The statements of a role this template defines: its own policies, and the policies that name
/// it in `Roles`. None for a role outside the template.
fn statements_of<'t>(role: &Value, index: &TemplateIndex<'t>) -> Vec<&'t Value> {
    let Some(role_id) = role.get("Fn::GetAtt").and_then(get_att_target) else {
        return Vec::new();
    };
    let Some(resource) = index.get(role_id) else {
        return Vec::new();
    };
    let inline = resource["Properties"]["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|policy| &policy["PolicyDocument"]);
    let attached = index
        .referrers_of(role_id)
        .filter(|(_, policy)| {
            matches!(
                type_of(policy),
                Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy")
            ) && policy["Properties"]["Roles"]
                .as_array()
                .is_some_and(|roles| roles.iter().any(|r| r["Ref"] == role_id))
        })
        .map(|(_, policy)| &policy["Properties"]["PolicyDocument"]);
    inline
        .chain(attached)
        .flat_map(|document| one_or_many(&document["Statement"]))
        .collect()
}

/// The statement allows `action` on a resource that `names_target` accepts, or on `*`.
fn allows(statement: &Value, action: &str, names_target: impl Fn(&Value) -> bool) -> bool {
    statement["Effect"] == "Allow"
        && one_or_many(&statement["Action"]).any(|given| {
            // IAM compares actions without regard to case.
            given.as_str().is_some_and(|given| {
                glob(&given.to_ascii_lowercase(), &action.to_ascii_lowercase())
            })
        })
        && one_or_many(&statement["Resource"])
            .any(|resource| resource == "*" || names_target(resource))
}

fn one_or_many(value: &Value) -> impl Iterator<Item = &Value> {
    match value {
        Value::Array(items) => items.iter(),
        Value::Null => [].iter(),
        single => std::slice::from_ref(single).iter(),
    }
}

/// An ARN written as text, with every `${...}` of a `Fn::Sub` standing for anything.
fn arn_text(resource: &Value) -> Option<String> {
    let text = match resource {
        Value::String(text) => text.as_str(),
        other => match other.get("Fn::Sub")? {
            Value::String(text) => text.as_str(),
            Value::Array(parts) => parts.first()?.as_str()?,
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
fn arn_covers(arn: &str, service: &str, resource: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6 && glob(parts[2], service) && glob(parts[5], resource)
}

/// IAM's wildcards: `*` any run of characters, `?` any one.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.chars().next() {
        None => text.is_empty(),
        Some('*') => (0..=text.len())
            .filter(|at| text.is_char_boundary(*at))
            .any(|at| glob(&pattern[1..], &text[at..])),
        Some(first) => text.chars().next().is_some_and(|next| {
            (first == '?' || first == next)
                && glob(&pattern[first.len_utf8()..], &text[next.len_utf8()..])
        }),
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
                "triggerConfigurations": [{"TriggerName": "t", "TriggerTargetArn": {"Ref": "Topic"}}]
            }},
            "hook": {"handler": "h.h"}
        });
        let mut diagnostics = Vec::new();
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
        let index = TemplateIndex::new(template.as_object().unwrap());
        let function = &settings.functions[0];
        check(
            function,
            function.code_deploy_role.as_ref().unwrap(),
            &index,
            &mut diagnostics,
        );
        diagnostics.iter().map(|d| d.code).collect()
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
    fn iam_wildcards_and_arns() {
        assert!(glob("lambda:invoke*", "lambda:invokefunction"));
        assert!(glob("*", "lambda:invokefunction"));
        assert!(!glob("lambda:get*", "lambda:invokefunction"));
        assert!(glob("function:svc-dev-?ook", "function:svc-dev-hook"));
        let sub = json!({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-*"});
        let arn = arn_text(&sub).unwrap();
        assert_eq!(arn, "arn:*:lambda:*:*:function:svc-dev-*");
        assert!(arn_covers(&arn, "lambda", "function:svc-dev-preHook"));
        assert!(!arn_covers(&arn, "lambda", "function:other-preHook"));
        assert!(!arn_covers("arn:aws:sns:us-east-1:1:t", "lambda", "t"));
    }

    #[test]
    fn a_statement_allows_an_action_on_its_resources_only() {
        let statement = json!({"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": "arn:aws:lambda:*:*:function:a"});
        let arn = |name: &'static str| {
            move |resource: &Value| {
                arn_text(resource).is_some_and(|arn| arn_covers(&arn, "lambda", name))
            }
        };
        assert!(allows(
            &statement,
            "lambda:InvokeFunction",
            arn("function:a")
        ));
        assert!(!allows(
            &statement,
            "lambda:InvokeFunction",
            arn("function:b")
        ));
        assert!(!allows(&statement, "sns:Publish", arn("function:a")));
        let deny = json!({"Effect": "Deny", "Action": "*", "Resource": "*"});
        assert!(!allows(&deny, "sns:Publish", |_| true));
        let service_wide = json!({"Effect": "Allow", "Action": "sns:*", "Resource": "*"});
        assert!(allows(&service_wide, "sns:Publish", |_| false));
    }
}
