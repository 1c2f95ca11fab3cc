//! Whether an IAM role or policy lets its holder invoke the alias: an invoker that calls with a
//! role of its own (a scheduler, a state machine) keeps working once it calls the alias only if
//! its role allows the alias ARN; otherwise the wiring warns.

use super::{sub_text, Target};
use crate::template::index::{arn_function_names, is_name_char, names_resource, sub_placeholders};
use crate::template::tree::Node;

impl Target<'_> {
    /// An IAM role or policy that lets its holder invoke the alias: it names the alias, or an
    /// ARN pattern covering it (`function:<name>:*`, `function:<name>:<alias>`, `function:*`,
    /// `*`).
    pub(crate) fn grants_alias(&self, role: &Node) -> bool {
        if names_resource(role, self.alias_id) {
            return true;
        }
        let covers = |text: &str| {
            text == "*"
                || arn_function_names(text).any(|(name, after)| {
                    let wildcard = after.starts_with('*')
                        && self.deployed_name.is_some_and(|d| d.starts_with(name));
                    let qualified = Some(name) == self.deployed_name && self.covers_alias(after);
                    wildcard || qualified
                })
        };
        any_text(role, &covers) || self.sub_covers_alias(role)
    }

    /// `after`, what follows the function's ARN, qualifies it with every alias (`:*`) or this
    /// one (`:Live`).
    fn covers_alias(&self, after: &str) -> bool {
        after.strip_prefix(':').is_some_and(|qualifier| {
            qualifier.starts_with('*')
                || qualifier
                    .strip_prefix(self.alias_name)
                    .is_some_and(|rest| !rest.starts_with(is_name_char))
        })
    }

    /// A `Fn::Sub` in `value` that qualifies the function's ARN, written as
    /// `${<function>.Arn}:*` or as `${var}:*` with `var` bound to it (serverless-step-functions
    /// writes its roles that way).
    fn sub_covers_alias(&self, value: &Node) -> bool {
        let text = sub_text(value).unwrap_or_default();
        // `[text, variables]`: `get(1)` of the text form is `None`.
        let variables = value
            .get("Fn::Sub")
            .and_then(|sub| sub.get(1))
            .and_then(Node::as_object);
        let names_function_arn = |name: &str| {
            name.strip_suffix(".Arn") == Some(self.function_id)
                || variables
                    .and_then(|bound| bound.get(name))
                    .is_some_and(|bound| self.is_function_arn(bound))
        };
        sub_placeholders(text)
            .any(|(name, after)| names_function_arn(name) && self.covers_alias(after))
            || match value {
                Node::Array(items) => items.iter().any(|item| self.sub_covers_alias(item)),
                Node::Object(map) => map.values().any(|item| self.sub_covers_alias(item)),
                _ => false,
            }
    }
}

/// `test` holds for a string in `value`, or the text of a `Fn::Sub` in it.
fn any_text(value: &Node, test: &impl Fn(&str) -> bool) -> bool {
    match value {
        Node::String(text) => test(text),
        Node::Array(items) => items.iter().any(|item| any_text(item, test)),
        Node::Object(map) => map.values().any(|item| any_text(item, test)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::template::tree::node;
    use crate::template::tree::Node;

    use super::super::hello_target as target;

    #[test]
    fn a_role_allows_the_alias_through_a_qualified_sub_of_the_function_arn() {
        let target = target(None);
        let allows = |resource: Node| {
            target.grants_alias(&node!({"Policies": [{"PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resource}
            ]}}]}))
        };
        assert!(allows(node!({"Fn::Sub": "${HelloLambdaFunction.Arn}:*"})));
        assert!(allows(
            node!({"Fn::Sub": "${HelloLambdaFunction.Arn}:Live"})
        ));
        assert!(allows(
            node!({"Fn::Sub": ["${functionArn}:*", {"functionArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]})
        ));
        assert!(
            !allows(node!({"Fn::Sub": "${HelloLambdaFunction.Arn}"})),
            "the bare function only"
        );
        assert!(
            !allows(node!({"Fn::Sub": "${HelloLambdaFunction.Arn}:Live2"})),
            "another alias"
        );
        assert!(
            !allows(
                node!({"Fn::Sub": ["${functionArn}:*", {"functionArn": {"Fn::GetAtt": ["OtherLambdaFunction", "Arn"]}}]})
            ),
            "another function"
        );
    }
}
