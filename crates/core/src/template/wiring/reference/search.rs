//! Finding where a value still names the bare function or the removed Framework alias, by
//! path, for the errors and warnings that say where traffic would bypass the canary.

use std::fmt::Write;

use super::{sub_text, Target};
use crate::template::index::{arn_function_names, sub_placeholders};
use crate::template::tree::Node;

/// What a search for the function in text counts.
#[derive(Clone, Copy, PartialEq)]
enum Mention {
    /// The bare function or the Framework alias, its name written alone included.
    Any,
    /// The bare function or the Framework alias by ARN or `${...}`, not its name alone.
    Arn,
    /// The Framework alias only.
    RemovedAlias,
}

impl Target<'_> {
    /// The path (`Targets[0].Arn`) of the first place `value` still names the bare function or
    /// the Framework alias: by ARN, `Ref`, `${...}` or its literal deployed name.
    pub(crate) fn find_reference(&self, value: &Node) -> Option<String> {
        self.find(value, &|value| {
            self.is_function(value) || self.names_in_text(value, Mention::Any)
        })
    }

    /// The path of the first place `value` names the Framework alias, which is removed, in any
    /// spelling: by `Ref`, its ARN, or a name or ARN followed by `:<alias name>`.
    pub(crate) fn find_removed_alias(&self, value: &Node) -> Option<String> {
        self.find(value, &|value| {
            self.is_framework_alias(value) || self.names_in_text(value, Mention::RemovedAlias)
        })
    }

    /// The path (`Properties.Environment.Variables.WORKER`) of the first place under
    /// `property` that may call the bare function, in a resource whose calls the plugin does
    /// not know: a reference (`Ref`, `Fn::GetAtt`, `${...}`) or an ARN anywhere, its name
    /// written alone only where a name can make a call (see [`name_can_call`]). A `Description`
    /// or a tag that reads like the name calls nothing.
    pub(crate) fn find_call(&self, value: &Node, property: &str) -> Option<String> {
        let mut at = property.to_owned();
        let calls = |value: &Node, at: &str| {
            self.is_function(value)
                || self.names_in_text(value, Mention::Arn)
                || (name_can_call(at) && self.names_in_text(value, Mention::Any))
        };
        self.find_at(value, &mut at, &calls).then_some(at)
    }

    fn find(&self, value: &Node, names: &impl Fn(&Node) -> bool) -> Option<String> {
        let mut at = String::new();
        self.find_at(value, &mut at, &|value, _| names(value))
            .then_some(at)
    }

    /// Whether `value`, at path `at`, holds a place `names` accepts; `at` is left as its path.
    fn find_at(&self, value: &Node, at: &mut String, names: &impl Fn(&Node, &str) -> bool) -> bool {
        if names(value, at) {
            return true;
        }
        if self.qualifier_of(value).is_some() {
            return false;
        }
        let length = at.len();
        let mut visit = |step: std::fmt::Arguments, item: &Node| {
            // Writing to a String cannot fail.
            let _ = at.write_fmt(step);
            if self.find_at(item, at, names) {
                return true;
            }
            at.truncate(length);
            false
        };
        match value {
            Node::Array(items) => items
                .iter()
                .enumerate()
                .any(|(i, item)| visit(format_args!("[{i}]"), item)),
            Node::Object(map) => map
                .iter()
                .any(|(key, item)| visit(format_args!(".{key}"), item)),
            _ => false,
        }
    }

    fn names_in_text(&self, value: &Node, mention: Mention) -> bool {
        let Some(text) = value.as_str().or_else(|| sub_text(value)) else {
            return false;
        };
        // A name or ARN followed by `:` is qualified: a version or alias, not the bare function,
        // unless that alias is the Framework's, which is removed.
        let names = |after: &str| {
            self.names_framework_alias(after)
                || (mention != Mention::RemovedAlias && !after.starts_with(':'))
        };
        let framework_id = self.removed_framework_id();
        let by_placeholder = matches!(value, Node::Object(_))
            && sub_placeholders(text).any(|(name, after)| {
                Some(name) == framework_id
                    || (name.split('.').next() == Some(self.function_id) && names(after))
            });
        let by_name = self.deployed_name.is_some_and(|name| {
            (mention == Mention::Any && text == name)
                || arn_function_names(text).any(|(found, after)| found == name && names(after))
        });
        by_placeholder || by_name
    }
}

/// Where a function's name written alone can make a call: a property that takes a function
/// (`FunctionName`, `FunctionArn`, `Function`...), or an environment variable, whose value
/// code passes to `Invoke`. Anywhere else (a `Description`, a tag, the name of another
/// resource) the same text is only words.
fn name_can_call(property: &str) -> bool {
    let keys = property
        .split(['.', '['])
        .filter(|key| !key.is_empty() && !key.ends_with(']'));
    let mut last = "";
    for key in keys {
        if key == "Environment" || key.ends_with("EnvironmentVariables") {
            return true;
        }
        last = key;
    }
    ["Function", "FunctionName", "FunctionArn"]
        .iter()
        .any(|suffix| last.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use crate::template::tree::node;

    use super::super::hello_target as target;

    #[test]
    fn finds_references_by_arn_name_and_literal_name() {
        let target = target(None);
        let value = node!({"A": [1, {"B": {"Ref": "HelloLambdaFunction"}}]});
        assert_eq!(target.find_reference(&value).as_deref(), Some(".A[1].B"));
        let literal = node!({"Env": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:svc-dev-hello"}});
        assert_eq!(target.find_reference(&literal).as_deref(), Some(".Env"));
        let longer = node!({"Env": "arn:aws:lambda:us-east-1:1:function:svc-dev-hello-two"});
        assert_eq!(
            target.find_reference(&longer),
            None,
            "another function's name"
        );
    }
}
