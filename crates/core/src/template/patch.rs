//! A rewired resource as the edits that turn the template's copy into it. Sent instead of the
//! whole resource, they keep the answer to the plugin small (an API method is a kilobyte; its
//! edit, the integration URI) and leave the rest of the user's resource untouched in place.

use serde::Serialize;

use super::tree::Node;

/// One step into a resource: an object key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// Set `path` (from the resource's top) to `value`, or delete that key when there is none.
#[derive(Debug, PartialEq, Serialize)]
pub(crate) struct Patch<'v> {
    pub resource: &'v str,
    pub path: Vec<Step<'v>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'v Node<'v>>,
}

/// The edits from `before` to `after`. Objects with a key in common and lists of the same
/// length are compared item by item; anything else that changed is set whole, so
/// `{"Fn::GetAtt": ...}` becoming `{"Ref": ...}` is one edit, not a key added and one deleted.
/// An intrinsic function that changed is set whole too: it is one value to CloudFormation, and
/// each object on a patch's path is one the plugin copies (an API method's `Fn::Join` URI
/// edited inside made three more copies, 3 us each in the Framework, than the URI sent whole).
pub(crate) fn diff<'v>(
    resource: &'v str,
    before: &'v Node<'v>,
    after: &'v Node<'v>,
) -> Vec<Patch<'v>> {
    let mut patches = Vec::new();
    walk(resource, before, after, &mut Vec::new(), &mut patches);
    patches
}

fn walk<'v>(
    resource: &'v str,
    before: &'v Node<'v>,
    after: &'v Node<'v>,
    path: &mut Vec<Step<'v>>,
    out: &mut Vec<Patch<'v>>,
) {
    let patch = |path: &[Step<'v>], value| Patch {
        resource,
        path: path.to_vec(),
        value,
    };
    match (before, after) {
        _ if before.is_intrinsic() => {
            if before != after {
                out.push(patch(path, Some(after)));
            }
        }
        (Node::Object(old), Node::Object(new)) if new.keys().any(|key| old.contains_key(key)) => {
            // An edit keeps the keys where they were: look each up only once they differ.
            let mut in_step = old.len() == new.len();
            let mut old_entries = old.iter();
            for (key, new_value) in new {
                path.push(Step::Key(key));
                let old_value = match old_entries.next() {
                    Some((old_key, old_value)) if in_step && old_key == key => Some(old_value),
                    _ => {
                        in_step = false;
                        old.get(key)
                    }
                };
                match old_value {
                    Some(old_value) => walk(resource, old_value, new_value, path, out),
                    None => out.push(patch(path, Some(new_value))),
                }
                path.pop();
            }
            let removed = old.keys().filter(|key| !in_step && !new.contains_key(key));
            for key in removed {
                path.push(Step::Key(key));
                out.push(patch(path, None));
                path.pop();
            }
        }
        (Node::Array(old), Node::Array(new)) if old.len() == new.len() => {
            for (i, (old_item, new_item)) in old.iter().zip(new).enumerate() {
                path.push(Step::Index(i));
                walk(resource, old_item, new_item, path, out);
                path.pop();
            }
        }
        _ if before == after => {}
        _ => out.push(patch(path, Some(after))),
    }
}

/// What lib/template-patch.js does with the patches, as JSON, for the tests.
#[cfg(test)]
pub(crate) fn apply(
    resources: &mut serde_json::Map<String, serde_json::Value>,
    patches: &serde_json::Value,
) {
    for patch in patches.as_array().expect("a list of patches") {
        let mut node = &mut resources[patch["resource"].as_str().expect("a logical ID")];
        let path = patch["path"].as_array().expect("a path");
        let Some((last, parents)) = path.split_last() else {
            *node = patch["value"].clone();
            continue;
        };
        for step in parents {
            node = match step {
                serde_json::Value::String(key) => &mut node[key.as_str()],
                index => &mut node[index.as_u64().expect("an index") as usize],
            };
        }
        match (last, patch.get("value")) {
            (serde_json::Value::String(key), None) => {
                node.as_object_mut().expect("an object").shift_remove(key);
            }
            (serde_json::Value::String(key), Some(value)) => node[key.as_str()] = value.clone(),
            (index, value) => {
                node[index.as_u64().expect("an index") as usize] = value.expect("a value").clone()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    /// `before` with `patches` applied as the plugin applies them.
    fn applied(before: &Node, patches: &[Patch]) -> serde_json::Value {
        let id = patches.first().map_or("R", |patch| patch.resource);
        let mut resources = serde_json::Map::new();
        resources.insert(id.to_owned(), before.to_value());
        apply(&mut resources, &serde_json::to_value(patches).unwrap());
        resources.remove(id).unwrap()
    }

    #[test]
    fn edits_only_what_changed() {
        let before = node!({
            "Type": "AWS::ApiGateway::Method",
            "DependsOn": ["HelloProvConcLambdaAlias", "Other"],
            "Properties": {"HttpMethod": "GET", "Integration": {"Uri": {"Fn::Join": ["", [
                "arn:", {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "/invocations"
            ]]}}}
        });
        let after = node!({
            "Type": "AWS::ApiGateway::Method",
            "DependsOn": ["Other"],
            "Properties": {"HttpMethod": "GET", "Integration": {"Uri": {"Fn::Join": ["", [
                "arn:", {"Ref": "HelloLambdaFunctionAliasLive"}, "/invocations"
            ]]}}}
        });
        let patches = diff("Method", &before, &after);
        assert_eq!(
            serde_json::to_value(&patches).unwrap(),
            node!([
                {"resource": "Method", "path": ["DependsOn"], "value": ["Other"]},
                {"resource": "Method", "path": ["Properties", "Integration", "Uri"],
                 "value": {"Fn::Join": ["", [
                    "arn:", {"Ref": "HelloLambdaFunctionAliasLive"}, "/invocations"
                 ]]}}
            ])
        );
        assert_eq!(applied(&before, &patches), after);
    }

    #[test]
    fn deletes_removed_keys_and_adds_new_ones() {
        let before =
            node!({"Type": "T", "DependsOn": "HelloProvConcLambdaAlias", "Properties": {"A": 1}});
        let after = node!({"Type": "T", "Properties": {"A": 1, "Qualifier": "Live"}});
        let patches = diff("R", &before, &after);
        assert_eq!(
            serde_json::to_value(&patches).unwrap(),
            node!([
                {"resource": "R", "path": ["Properties", "Qualifier"], "value": "Live"},
                {"resource": "R", "path": ["DependsOn"]}
            ])
        );
        assert_eq!(applied(&before, &patches), after);
    }

    #[test]
    fn an_unchanged_resource_has_no_patches() {
        let resource = node!({"Type": "T", "Properties": {"A": [1, {"B": null}]}});
        assert!(diff("R", &resource, &resource.clone()).is_empty());
    }
}
