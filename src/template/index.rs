//! The one-pass index of the compiled template: every lookup generation needs, built by a
//! single walk so the work stays linear in the number of resources.

use serde_json::{Map, Value};
use std::collections::HashMap;

pub struct TemplateIndex<'t> {
    resources: &'t Map<String, Value>,
    /// Function logical ID -> its `AWS::Lambda::Version` logical ID.
    versions: HashMap<&'t str, &'t str>,
    /// Logical ID -> resources whose properties `Ref` or `Fn::GetAtt` it, in template order.
    referrers: HashMap<&'t str, Vec<&'t str>>,
}

impl<'t> TemplateIndex<'t> {
    pub fn new(resources: &'t Map<String, Value>) -> Self {
        let mut versions = HashMap::new();
        let mut referrers: HashMap<&str, Vec<&str>> = HashMap::new();
        for (id, resource) in resources {
            let Some(properties) = resource.get("Properties") else {
                continue;
            };
            if type_of(resource) == Some("AWS::Lambda::Version") {
                if let Some(function) = properties["FunctionName"]["Ref"].as_str() {
                    versions.insert(function, id.as_str());
                }
            }
            let mut targets = Vec::new();
            collect_references(properties, &mut targets);
            targets.sort_unstable();
            targets.dedup();
            for target in targets {
                referrers.entry(target).or_default().push(id.as_str());
            }
        }
        Self {
            resources,
            versions,
            referrers,
        }
    }

    pub fn get(&self, logical_id: &str) -> Option<&'t Value> {
        self.resources.get(logical_id)
    }

    pub fn type_of(&self, logical_id: &str) -> Option<&'t str> {
        self.get(logical_id).and_then(type_of)
    }

    pub fn version_of(&self, function_logical_id: &str) -> Option<&'t str> {
        self.versions.get(function_logical_id).copied()
    }

    /// Resources that reference `logical_id`, with their types.
    pub fn referrers_of(
        &self,
        logical_id: &str,
    ) -> impl Iterator<Item = (&'t str, &'t Value)> + '_ {
        self.referrers
            .get(logical_id)
            .into_iter()
            .flatten()
            .map(|id| (*id, &self.resources[*id]))
    }

    /// Logical IDs of resources of one type, in template order (used for suggestions only).
    pub fn ids_of_type(&self, resource_type: &str) -> Vec<&'t str> {
        self.resources
            .iter()
            .filter(|(_, resource)| type_of(resource) == Some(resource_type))
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

pub fn type_of(resource: &Value) -> Option<&str> {
    resource.get("Type").and_then(Value::as_str)
}

/// `{Ref: X}`, `{Fn::GetAtt: [X, attr]}`, `{Fn::GetAtt: "X.attr"}` and `${X}` / `${X.attr}`
/// inside `Fn::Sub` strings, anywhere in `value`.
fn collect_references<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            if let Some(sub) = map.get("Fn::Sub").filter(|_| map.len() == 1) {
                let (text, variables) = match sub {
                    Value::Array(parts) => (parts.first(), parts.get(1)),
                    text => (Some(text), None),
                };
                if let Some(text) = text.and_then(Value::as_str) {
                    out.extend(
                        sub_placeholders(text).map(|name| name.split('.').next().unwrap_or(name)),
                    );
                }
                if let Some(variables) = variables {
                    collect_references(variables, out);
                }
                return;
            }
            if map.len() == 1 {
                if let Some(target) = map.get("Ref").and_then(Value::as_str) {
                    out.push(target);
                    return;
                }
                if let Some(target) = map.get("Fn::GetAtt").and_then(get_att_target) {
                    out.push(target);
                    return;
                }
            }
            for item in map.values() {
                collect_references(item, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_references(item, out);
            }
        }
        _ => {}
    }
}

/// The `X` or `X.attr` of every `${...}` in a `Fn::Sub` string; `${!literal}` is not one.
pub fn sub_placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.starts_with('!'))
}

pub fn get_att_target(get_att: &Value) -> Option<&str> {
    match get_att {
        Value::Array(parts) => parts.first().and_then(Value::as_str),
        Value::String(dotted) => dotted.split('.').next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indexes_versions_and_referrers_in_one_pass() {
        let template = json!({
            "HelloLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
            "HelloLambdaVersionAbc": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "HelloLambdaFunction"}}},
            "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Fn::GetAtt": "HelloLambdaFunction.Arn"}}},
            "Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Uri": {"Fn::Join": ["", [
                {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}
            ]]}}}}
        });
        let index = TemplateIndex::new(template.as_object().unwrap());
        assert_eq!(
            index.version_of("HelloLambdaFunction"),
            Some("HelloLambdaVersionAbc")
        );
        let referrers: Vec<&str> = index
            .referrers_of("HelloLambdaFunction")
            .map(|(id, _)| id)
            .collect();
        assert_eq!(referrers, ["HelloLambdaVersionAbc", "Perm", "Method"]);
        assert_eq!(index.type_of("Perm"), Some("AWS::Lambda::Permission"));
        assert_eq!(index.referrers_of("Nothing").count(), 0);
    }

    #[test]
    fn sees_references_inside_fn_sub() {
        let template = json!({
            "Legacy": {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Uri": {"Fn::Sub":
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${HelloLambdaFunction.Arn}/invocations ${!Literal}"
            }}}},
            "WithVariables": {"Type": "X", "Properties": {"V": {"Fn::Sub": ["${Fn}", {"Fn": {"Ref": "OtherLambdaFunction"}}]}}}
        });
        let index = TemplateIndex::new(template.as_object().unwrap());
        assert_eq!(index.referrers_of("HelloLambdaFunction").count(), 1);
        assert_eq!(index.referrers_of("OtherLambdaFunction").count(), 1);
        assert_eq!(index.referrers_of("Literal").count(), 0);
    }
}
