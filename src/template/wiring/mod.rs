//! Points a canaried function's invokers, and the permissions that let them call it, at its
//! alias. One file per event-source family; this file holds what they share.
//!
//! A permission follows its invokers: it moves to the alias only when it grants the API whose
//! invokers moved, so an invoker still calling the bare function keeps its permission.

mod api_gateway;
mod unrouted;

pub use unrouted::report_unrouted_events;

use serde_json::{json, Value};

use super::index::{get_att_target, TemplateIndex};
use super::Changes;
use crate::diagnostics::{self as diag, Diagnostic};

/// A resource type that invokes a Lambda function, and where it names the function.
struct Invoker {
    resource_type: &'static str,
    /// Property path of the value holding the function's ARN.
    target: &'static [&'static str],
    /// Property naming the API the invoker belongs to, which its permission's SourceArn names too.
    api: &'static str,
}

struct Family {
    /// How messages name the caller, e.g. "API Gateway".
    caller: &'static str,
    /// The service principal its permissions grant.
    principal: &'static str,
    invokers: &'static [Invoker],
}

const FAMILIES: [&Family; 1] = [&api_gateway::API_GATEWAY];

pub struct Target<'a> {
    pub function: &'a str,
    pub function_id: &'a str,
    pub alias_id: &'a str,
}

/// Rewires every invoker of `target.function_id` the families know, then the permissions that
/// let those invokers call it.
pub fn wire_to_alias(
    target: &Target,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for family in FAMILIES {
        let apis = rewire_invokers(family, target, index, changes);
        rewire_permissions(family, &apis, target, index, changes, diagnostics);
    }
}

/// Returns the APIs (as the template names them) whose invokers now call the alias.
fn rewire_invokers<'t>(
    family: &Family,
    target: &Target,
    index: &TemplateIndex<'t>,
    changes: &mut Changes,
) -> Vec<&'t Value> {
    let mut apis = Vec::new();
    for (id, resource) in index.referrers_of(target.function_id) {
        let resource_type = super::index::type_of(resource);
        let Some(invoker) = family
            .invokers
            .iter()
            .find(|invoker| Some(invoker.resource_type) == resource_type)
        else {
            continue;
        };
        let Some(mut rewired) = changes.current(id).cloned() else {
            continue;
        };
        let Some(slot) = property_mut(&mut rewired["Properties"], invoker.target) else {
            continue;
        };
        if replace_function_arn(slot, target) {
            changes.rewire(id, rewired);
            let api = &resource["Properties"][invoker.api];
            if !apis.contains(&api) {
                apis.push(api);
            }
        }
    }
    apis
}

fn rewire_permissions(
    family: &Family,
    apis: &[&Value],
    target: &Target,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut granted = vec![false; apis.len()];
    for (id, resource) in index.referrers_of(target.function_id) {
        if super::index::type_of(resource) != Some("AWS::Lambda::Permission") {
            continue;
        }
        let properties = &resource["Properties"];
        if !names_function(&properties["FunctionName"], target.function_id) {
            continue;
        }
        let source = &properties["SourceArn"];
        if source.is_null() {
            // Grants every API of this caller (the Framework's WebSocket permissions): it
            // follows the invokers when they moved, since the family moves all of them.
            if apis.is_empty() || properties["Principal"] != family.principal {
                continue;
            }
            granted.iter_mut().for_each(|g| *g = true);
        } else {
            let Some(api) = apis.iter().position(|api| contains_value(source, api)) else {
                continue;
            };
            granted[api] = true;
        }
        if let Some(mut rewired) = changes.current(id).cloned() {
            rewired["Properties"]["FunctionName"] = json!({ "Ref": target.alias_id });
            changes.rewire(id, rewired);
        }
    }
    if granted.contains(&false) {
        diagnostics.push(diag::permission_missing(
            &format!("functions.{}", target.function),
            target.function,
            family.caller,
        ));
    }
}

fn property_mut<'v>(value: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(value, |value, key| value.get_mut(*key))
}

/// `Fn::GetAtt [function, Arn]` (either spelling) is the function's ARN.
fn is_function_arn(value: &Value, function_id: &str) -> bool {
    value
        .get("Fn::GetAtt")
        .is_some_and(|get_att| match get_att {
            Value::Array(parts) => parts.len() == 2 && parts[0] == function_id && parts[1] == "Arn",
            Value::String(dotted) => {
                get_att_target(get_att) == Some(function_id) && dotted.ends_with(".Arn")
            }
            _ => false,
        })
}

/// A permission's `FunctionName`: the function's ARN or its `Ref` (its name).
fn names_function(value: &Value, function_id: &str) -> bool {
    is_function_arn(value, function_id) || value.get("Ref").is_some_and(|r| r == function_id)
}

/// Replaces each use of the function's ARN inside `value` with the alias ARN (`Ref` of an
/// alias is its ARN), including `${Function.Arn}` inside `Fn::Sub` strings.
fn replace_function_arn(value: &mut Value, target: &Target) -> bool {
    if is_function_arn(value, target.function_id) {
        *value = json!({ "Ref": target.alias_id });
        return true;
    }
    if let Some(Value::String(text)) = value.get_mut("Fn::Sub") {
        let placeholder = format!("${{{}.Arn}}", target.function_id);
        if text.contains(&placeholder) {
            *text = text.replace(&placeholder, &format!("${{{}}}", target.alias_id));
            return true;
        }
        return false;
    }
    // Every occurrence must change, so no short-circuiting `any`.
    let mut changed = false;
    match value {
        Value::Array(items) => {
            for item in items {
                changed |= replace_function_arn(item, target);
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                changed |= replace_function_arn(item, target);
            }
        }
        _ => {}
    }
    changed
}

fn contains_value(haystack: &Value, needle: &Value) -> bool {
    haystack == needle
        || match haystack {
            Value::Array(items) => items.iter().any(|item| contains_value(item, needle)),
            Value::Object(map) => map.values().any(|item| contains_value(item, needle)),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_every_occurrence_of_the_function_arn() {
        let target = Target {
            function: "hello",
            function_id: "HelloLambdaFunction",
            alias_id: "HelloLambdaFunctionAliasLive",
        };
        let mut value = json!({"Fn::Join": ["", [
            {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
            {"Fn::GetAtt": "HelloLambdaFunction.Arn"},
            {"Fn::GetAtt": ["HelloLambdaFunction", "Version"]},
            {"Fn::GetAtt": ["OtherLambdaFunction", "Arn"]}
        ]]});
        assert!(replace_function_arn(&mut value, &target));
        let alias = json!({"Ref": "HelloLambdaFunctionAliasLive"});
        let parts = &value["Fn::Join"][1];
        assert_eq!((&parts[0], &parts[1]), (&alias, &alias));
        assert_eq!(
            parts[2]["Fn::GetAtt"][1], "Version",
            "only the Arn attribute is the function"
        );
        assert_eq!(parts[3]["Fn::GetAtt"][0], "OtherLambdaFunction");
    }

    #[test]
    fn rewrites_the_function_arn_inside_fn_sub() {
        let target = Target {
            function: "hello",
            function_id: "HelloLambdaFunction",
            alias_id: "HelloLambdaFunctionAliasLive",
        };
        let mut value = json!({"Fn::Sub": "arn:${AWS::Partition}:x/functions/${HelloLambdaFunction.Arn}/invocations"});
        assert!(replace_function_arn(&mut value, &target));
        assert_eq!(
            value,
            json!({"Fn::Sub": "arn:${AWS::Partition}:x/functions/${HelloLambdaFunctionAliasLive}/invocations"})
        );
        let mut other = json!({"Fn::Sub": "${HelloLambdaFunction}"});
        assert!(
            !replace_function_arn(&mut other, &target),
            "a Ref (the name) is not the ARN"
        );
    }
}
