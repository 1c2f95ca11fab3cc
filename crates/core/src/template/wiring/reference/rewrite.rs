//! Rewriting a value so it calls the alias: the function's ARN (and, where a name is accepted,
//! its name) and the removed Framework alias become the alias, in `Fn::Sub` text too.

use std::borrow::Cow;

use serde_json::json;

use super::Target;
use crate::template::tree::Node;

/// Which spellings of the function a rewrite replaces with the alias; the Framework alias is
/// always replaced, as it is removed.
struct Replaced {
    function_arn: bool,
    function_name: bool,
}

impl Target<'_> {
    fn alias_ref(&self) -> Node<'static> {
        Node::from(json!({ "Ref": self.alias_id }))
    }

    /// Replaces each way `value` calls the function (its ARN, the Framework alias, and with
    /// `accepts_name` its name) with the alias ARN, including inside `Fn::Sub` strings.
    pub(crate) fn point_at_alias(&self, value: &mut Node, accepts_name: bool) -> bool {
        let replaced = Replaced {
            function_arn: true,
            function_name: accepts_name,
        };
        self.replace(value, &replaced)
    }

    /// Replaces only the Framework alias, which the canary alias takes the place of: whatever
    /// named it (an IAM statement, a state machine) would otherwise name a removed resource.
    pub(crate) fn replace_framework_alias(&self, value: &mut Node) -> bool {
        let replaced = Replaced {
            function_arn: false,
            function_name: false,
        };
        self.framework_alias.is_some() && self.replace(value, &replaced)
    }

    fn replace(&self, value: &mut Node, replaced: &Replaced) -> bool {
        if self.is_framework_alias(value)
            || (replaced.function_arn && self.is_function_arn(value))
            || (replaced.function_name && self.is_function_name(value))
        {
            *value = self.alias_ref();
            return true;
        }
        if self.qualifier_of(value).is_some() {
            // Already a version or alias the user chose.
            return false;
        }
        match value.get_mut("Fn::Sub") {
            Some(Node::String(text)) => return self.replace_in_sub(text, replaced),
            // `[text, variables]`: the text, then the variables like any other value.
            Some(Node::Array(parts)) => {
                let mut changed = false;
                if let Some(Node::String(text)) = parts.first_mut() {
                    changed |= self.replace_in_sub(text, replaced);
                }
                for variables in parts.iter_mut().skip(1) {
                    changed |= self.replace(variables, replaced);
                }
                return changed;
            }
            _ => {}
        }
        // Every occurrence must change, so no short-circuiting `any`.
        let mut changed = false;
        match value {
            Node::Array(items) => {
                changed |= self.drop_framework_qualifier(items);
                for item in items {
                    changed |= self.replace(item, replaced);
                }
            }
            Node::Object(map) => {
                for item in map.values_mut() {
                    changed |= self.replace(item, replaced);
                }
            }
            _ => {}
        }
        changed
    }

    /// The parts of a `Fn::Join ""` that spell the Framework alias's ARN as the function ARN,
    /// `":"` and its name (API Gateway's integration URI) become the alias ARN alone.
    fn drop_framework_qualifier(&self, parts: &mut Vec<Node>) -> bool {
        let Some(framework) = &self.framework_alias else {
            return false;
        };
        let Some(at) = parts.windows(3).position(|window| {
            self.is_function_arn(&window[0]) && window[1] == ":" && window[2] == framework.name
        }) else {
            return false;
        };
        parts[at] = self.alias_ref();
        parts.drain(at + 1..at + 3);
        true
    }

    /// `${Function.Arn}:<Framework alias>` and `${FrameworkAlias}` become `${Alias}`, and so
    /// does a bare `${Function.Arn}` when the function ARN is replaced;
    /// `${Function.Arn}:qualifier` names a version or alias the user chose and stays.
    fn replace_in_sub(&self, text: &mut Cow<'_, str>, replaced: &Replaced) -> bool {
        let mut placeholders = vec![format!("${{{}.Arn}}", self.function_id)];
        if let Some(framework) = &self.framework_alias {
            placeholders.push(format!("${{{}}}", framework.logical_id));
        }
        let alias = format!("${{{}}}", self.alias_id);
        let mut changed = false;
        for (i, placeholder) in placeholders.iter().enumerate() {
            let is_framework_alias = i == 1;
            let mut rewritten = String::with_capacity(text.len());
            let mut rest: &str = text;
            while let Some(at) = rest.find(placeholder.as_str()) {
                let mut after = &rest[at + placeholder.len()..];
                rewritten.push_str(&rest[..at]);
                if self.names_framework_alias(after) {
                    let framework = self.framework_alias.as_ref().map_or("", |f| f.name);
                    after = &after[1 + framework.len()..];
                    rewritten.push_str(&alias);
                    changed = true;
                } else if !is_framework_alias && (after.starts_with(':') || !replaced.function_arn)
                {
                    rewritten.push_str(placeholder);
                } else {
                    rewritten.push_str(&alias);
                    changed = true;
                }
                rest = after;
            }
            rewritten.push_str(rest);
            // Only a text that changes is copied: most name something else.
            if rewritten != **text {
                *text = Cow::Owned(rewritten);
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use crate::template::tree::node;

    use super::super::{hello_target as target, FrameworkAlias};

    #[test]
    fn replaces_every_occurrence_of_the_function_arn() {
        let target = target(None);
        let mut value = node!({"Fn::Join": ["", [
            {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
            {"Fn::GetAtt": "HelloLambdaFunction.Arn"},
            {"Fn::GetAtt": ["HelloLambdaFunction", "Version"]},
            {"Fn::GetAtt": ["OtherLambdaFunction", "Arn"]},
            {"Ref": "HelloLambdaFunction"}
        ]]});
        assert!(target.point_at_alias(&mut value, false));
        let alias = node!({"Ref": "HelloLambdaFunctionAliasLive"});
        let parts = &value["Fn::Join"][1];
        assert_eq!((&parts[0], &parts[1]), (&alias, &alias));
        assert_eq!(
            parts[2]["Fn::GetAtt"][1], "Version",
            "only the Arn attribute is the function"
        );
        assert_eq!(parts[3]["Fn::GetAtt"][0], "OtherLambdaFunction");
        assert_eq!(
            parts[4],
            node!({"Ref": "HelloLambdaFunction"}),
            "a name only where accepted"
        );
        assert!(target.point_at_alias(&mut value, true));
        assert_eq!(value["Fn::Join"][1][4], alias);
    }

    #[test]
    fn rewrites_the_function_arn_inside_fn_sub() {
        let target = target(None);
        let mut value = node!({"Fn::Sub": "arn:${AWS::Partition}:x/functions/${HelloLambdaFunction.Arn}/invocations"});
        assert!(target.point_at_alias(&mut value, false));
        assert_eq!(
            value,
            node!({"Fn::Sub": "arn:${AWS::Partition}:x/functions/${HelloLambdaFunctionAliasLive}/invocations"})
        );
        let mut other = node!({"Fn::Sub": "${HelloLambdaFunction}"});
        assert!(
            !target.point_at_alias(&mut other, false),
            "a Ref (the name) is not the ARN"
        );
    }

    #[test]
    fn the_framework_alias_becomes_the_canary_alias() {
        let target = target(Some(FrameworkAlias {
            logical_id: "HelloProvConcLambdaAlias".into(),
            name: "provisioned",
        }));
        let mut joined = node!({"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "provisioned"]]});
        assert!(target.point_at_alias(&mut joined, false));
        assert_eq!(joined, node!({"Ref": "HelloLambdaFunctionAliasLive"}));
        let mut other_alias =
            node!({"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Live"]]});
        assert!(
            !target.point_at_alias(&mut other_alias, false),
            "already the alias"
        );
        let mut pinned =
            node!({"Fn::Join": ["", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, ":7"]]});
        assert!(
            !target.point_at_alias(&mut pinned, false),
            "a version the user pinned, joined without a separator"
        );
        let mut joined = node!({"Fn::Join": ["", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, ":provisioned"]]});
        assert!(target.point_at_alias(&mut joined, false));
        assert_eq!(joined, node!({"Ref": "HelloLambdaFunctionAliasLive"}));
    }

    #[test]
    fn outside_invokers_only_the_framework_alias_is_replaced() {
        let target = target(Some(FrameworkAlias {
            logical_id: "HelloProvConcLambdaAlias".into(),
            name: "provisioned",
        }));
        let mut statement = node!({"Resource": [
            {"Ref": "HelloProvConcLambdaAlias"},
            {"Fn::Sub": "${HelloLambdaFunction.Arn}:provisioned"},
            {"Fn::Sub": "${HelloProvConcLambdaAlias}"},
            {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
            {"Fn::Sub": "${HelloLambdaFunction.Arn}"}
        ]});
        for (i, resource) in statement["Resource"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                target.find_removed_alias(resource).is_some(),
                i < 3,
                "{resource}"
            );
        }
        assert!(target.replace_framework_alias(&mut statement));
        assert_eq!(
            statement,
            node!({"Resource": [
                {"Ref": "HelloLambdaFunctionAliasLive"},
                {"Fn::Sub": "${HelloLambdaFunctionAliasLive}"},
                {"Fn::Sub": "${HelloLambdaFunctionAliasLive}"},
                {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
                {"Fn::Sub": "${HelloLambdaFunction.Arn}"}
            ]})
        );
    }
}
