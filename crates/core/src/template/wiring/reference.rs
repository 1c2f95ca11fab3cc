//! How a template value names a canaried function, and how to name its alias instead.

use serde_json::{json, Value};
use std::fmt::Write;

use crate::template::index::{
    arn_function_names, get_att_target, is_name_char, names_resource, sub_placeholders,
};

/// A canaried function and the alias its traffic must go through.
pub(crate) struct Target<'a> {
    pub function: &'a str,
    pub function_id: &'a str,
    /// The deployed name, when the template spells it out (`FunctionName`).
    pub deployed_name: Option<&'a str>,
    pub alias_id: &'a str,
    pub alias_name: &'a str,
    /// The Framework's own alias (provisioned concurrency, SnapStart) the canary alias replaces.
    pub framework_alias: Option<FrameworkAlias>,
}

pub(crate) struct FrameworkAlias {
    pub logical_id: String,
    pub name: &'static str,
}

/// A version or alias named after a function ARN.
#[derive(PartialEq)]
enum Qualifier<'v> {
    Literal(&'v str),
    /// A version number from `Fn::GetAtt`, say.
    Computed,
}

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

/// Which spellings of the function a rewrite replaces with the alias; the Framework alias is
/// always replaced, as it is removed.
struct Replaced {
    function_arn: bool,
    function_name: bool,
}

impl Target<'_> {
    /// The logical IDs through which resources name the function: its own, and the
    /// Framework alias's.
    pub(crate) fn logical_ids(&self) -> Vec<&str> {
        let framework = self.framework_alias.as_ref();
        std::iter::once(self.function_id)
            .chain(framework.map(|framework| framework.logical_id.as_str()))
            .collect()
    }

    /// `Fn::GetAtt [function, Arn]` (either spelling).
    fn is_function_arn(&self, value: &Value) -> bool {
        value
            .get("Fn::GetAtt")
            .is_some_and(|get_att| match get_att {
                Value::Array(parts) => {
                    parts.len() == 2 && parts[0] == self.function_id && parts[1] == "Arn"
                }
                Value::String(dotted) => {
                    get_att_target(get_att) == Some(self.function_id) && dotted.ends_with(".Arn")
                }
                _ => false,
            })
    }

    /// `Ref` of the function: its name.
    fn is_function_name(&self, value: &Value) -> bool {
        value.get("Ref").is_some_and(|r| r == self.function_id)
    }

    /// The Framework alias's ARN, as the Framework writes it (`Fn::Join [":", [Arn, name]]`),
    /// joined with `":name"`, or as a `Ref`.
    pub(crate) fn is_framework_alias(&self, value: &Value) -> bool {
        let Some(framework) = &self.framework_alias else {
            return false;
        };
        value
            .get("Ref")
            .and_then(Value::as_str)
            .is_some_and(|r| Some(r) == self.removed_framework_id())
            || self.qualifier_of(value) == Some(Qualifier::Literal(framework.name))
    }

    /// The Framework alias's logical ID when it is removed; one the canary alias took over
    /// (`frameworkAlias: reuse`) is the canary alias, only its old name is gone.
    fn removed_framework_id(&self) -> Option<&str> {
        self.framework_alias
            .as_ref()
            .map(|framework| framework.logical_id.as_str())
            .filter(|id| *id != self.alias_id)
    }

    /// The qualifier of a version or alias ARN: `Fn::Join [":", [function ARN, qualifier]]` or
    /// `Fn::Join ["", [function ARN, ":qualifier"]]`.
    fn qualifier_of<'v>(&self, value: &'v Value) -> Option<Qualifier<'v>> {
        let join = value.get("Fn::Join")?.as_array()?;
        let parts = join.get(1)?.as_array()?;
        if join.len() != 2 || parts.len() != 2 || !self.is_function_arn(&parts[0]) {
            return None;
        }
        let qualifier = &parts[1];
        if join[0] == ":" {
            Some(
                qualifier
                    .as_str()
                    .map_or(Qualifier::Computed, Qualifier::Literal),
            )
        } else if join[0] == "" {
            qualifier
                .as_str()?
                .strip_prefix(':')
                .map(Qualifier::Literal)
        } else {
            None
        }
    }

    /// What a permission's `FunctionName` may be: the function by ARN or name, or the
    /// Framework alias.
    pub(crate) fn is_function(&self, value: &Value) -> bool {
        self.is_function_arn(value)
            || self.is_function_name(value)
            || self.is_framework_alias(value)
    }

    /// [`Self::is_function`], or a `Fn::Sub` that is nothing but `${Function.Arn}` or
    /// `${Function}`.
    pub(crate) fn is_whole_function(&self, value: &Value) -> bool {
        self.is_function(value)
            || value
                .get("Fn::Sub")
                .and_then(Value::as_str)
                .is_some_and(|text| {
                    text == format!("${{{}.Arn}}", self.function_id)
                        || text == format!("${{{}}}", self.function_id)
                })
    }

    /// The Framework alias's name right after a name or ARN (`:provisioned`, then nothing
    /// that continues a name): it names the alias the canary alias replaces.
    fn names_framework_alias(&self, after: &str) -> bool {
        self.framework_alias.as_ref().is_some_and(|framework| {
            after
                .strip_prefix(':')
                .and_then(|rest| rest.strip_prefix(framework.name))
                .is_some_and(|rest| !rest.starts_with(is_name_char))
        })
    }

    fn alias_ref(&self) -> Value {
        json!({ "Ref": self.alias_id })
    }

    /// Replaces each way `value` calls the function (its ARN, the Framework alias, and with
    /// `accepts_name` its name) with the alias ARN, including inside `Fn::Sub` strings.
    pub(crate) fn point_at_alias(&self, value: &mut Value, accepts_name: bool) -> bool {
        let replaced = Replaced {
            function_arn: true,
            function_name: accepts_name,
        };
        self.replace(value, &replaced)
    }

    /// Replaces only the Framework alias, which the canary alias takes the place of: whatever
    /// named it (an IAM statement, a state machine) would otherwise name a removed resource.
    pub(crate) fn replace_framework_alias(&self, value: &mut Value) -> bool {
        let replaced = Replaced {
            function_arn: false,
            function_name: false,
        };
        self.framework_alias.is_some() && self.replace(value, &replaced)
    }

    fn replace(&self, value: &mut Value, replaced: &Replaced) -> bool {
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
            Some(Value::String(text)) => return self.replace_in_sub(text, replaced),
            // `[text, variables]`: the text, then the variables like any other value.
            Some(Value::Array(parts)) => {
                let mut changed = false;
                if let Some(Value::String(text)) = parts.first_mut() {
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
            Value::Array(items) => {
                changed |= self.drop_framework_qualifier(items);
                for item in items {
                    changed |= self.replace(item, replaced);
                }
            }
            Value::Object(map) => {
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
    fn drop_framework_qualifier(&self, parts: &mut Vec<Value>) -> bool {
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
    fn replace_in_sub(&self, text: &mut String, replaced: &Replaced) -> bool {
        let mut placeholders = vec![format!("${{{}.Arn}}", self.function_id)];
        if let Some(framework) = &self.framework_alias {
            placeholders.push(format!("${{{}}}", framework.logical_id));
        }
        let alias = format!("${{{}}}", self.alias_id);
        let mut changed = false;
        for (i, placeholder) in placeholders.iter().enumerate() {
            let is_framework_alias = i == 1;
            let mut rewritten = String::with_capacity(text.len());
            let mut rest = text.as_str();
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
            *text = rewritten;
        }
        changed
    }

    /// An IAM role or policy that lets its holder invoke the alias: it names the alias, or an
    /// ARN pattern covering it (`function:<name>:*`, `function:<name>:<alias>`, `function:*`,
    /// `*`).
    pub(crate) fn grants_alias(&self, role: &Value) -> bool {
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
    fn sub_covers_alias(&self, value: &Value) -> bool {
        let text = sub_text(value).unwrap_or_default();
        // `[text, variables]`: `get(1)` of the text form is `None`.
        let variables = value
            .get("Fn::Sub")
            .and_then(|sub| sub.get(1))
            .and_then(Value::as_object);
        let names_function_arn = |name: &str| {
            name.strip_suffix(".Arn") == Some(self.function_id)
                || variables
                    .and_then(|bound| bound.get(name))
                    .is_some_and(|bound| self.is_function_arn(bound))
        };
        sub_placeholders(text)
            .any(|(name, after)| names_function_arn(name) && self.covers_alias(after))
            || match value {
                Value::Array(items) => items.iter().any(|item| self.sub_covers_alias(item)),
                Value::Object(map) => map.values().any(|item| self.sub_covers_alias(item)),
                _ => false,
            }
    }

    /// The path (`Targets[0].Arn`) of the first place `value` still names the bare function or
    /// the Framework alias: by ARN, `Ref`, `${...}` or its literal deployed name.
    pub(crate) fn find_reference(&self, value: &Value) -> Option<String> {
        self.find(value, &|value| {
            self.is_function(value) || self.names_in_text(value, Mention::Any)
        })
    }

    /// The path of the first place `value` names the Framework alias, which is removed, in any
    /// spelling: by `Ref`, its ARN, or a name or ARN followed by `:<alias name>`.
    pub(crate) fn find_removed_alias(&self, value: &Value) -> Option<String> {
        self.find(value, &|value| {
            self.is_framework_alias(value) || self.names_in_text(value, Mention::RemovedAlias)
        })
    }

    /// The path (`Properties.Environment.Variables.WORKER`) of the first place under
    /// `property` that may call the bare function, in a resource whose calls the plugin does
    /// not know: a reference (`Ref`, `Fn::GetAtt`, `${...}`) or an ARN anywhere, its name
    /// written alone only where a name can make a call (see [`name_can_call`]). A `Description`
    /// or a tag that reads like the name calls nothing.
    pub(crate) fn find_call(&self, value: &Value, property: &str) -> Option<String> {
        let mut at = property.to_owned();
        let calls = |value: &Value, at: &str| {
            self.is_function(value)
                || self.names_in_text(value, Mention::Arn)
                || (name_can_call(at) && self.names_in_text(value, Mention::Any))
        };
        self.find_at(value, &mut at, &calls).then_some(at)
    }

    fn find(&self, value: &Value, names: &impl Fn(&Value) -> bool) -> Option<String> {
        let mut at = String::new();
        self.find_at(value, &mut at, &|value, _| names(value))
            .then_some(at)
    }

    /// Whether `value`, at path `at`, holds a place `names` accepts; `at` is left as its path.
    fn find_at(
        &self,
        value: &Value,
        at: &mut String,
        names: &impl Fn(&Value, &str) -> bool,
    ) -> bool {
        if names(value, at) {
            return true;
        }
        if self.qualifier_of(value).is_some() {
            return false;
        }
        let length = at.len();
        let mut visit = |step: std::fmt::Arguments, item: &Value| {
            // Writing to a String cannot fail.
            let _ = at.write_fmt(step);
            if self.find_at(item, at, names) {
                return true;
            }
            at.truncate(length);
            false
        };
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .any(|(i, item)| visit(format_args!("[{i}]"), item)),
            Value::Object(map) => map
                .iter()
                .any(|(key, item)| visit(format_args!(".{key}"), item)),
            _ => false,
        }
    }

    fn names_in_text(&self, value: &Value, mention: Mention) -> bool {
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
        let by_placeholder = matches!(value, Value::Object(_))
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

/// The text of a `Fn::Sub`, in either form.
fn sub_text(value: &Value) -> Option<&str> {
    match value.get("Fn::Sub")? {
        Value::String(text) => Some(text),
        Value::Array(parts) => parts.first()?.as_str(),
        _ => None,
    }
}

/// `test` holds for a string in `value`, or the text of a `Fn::Sub` in it.
fn any_text(value: &Value, test: &impl Fn(&str) -> bool) -> bool {
    match value {
        Value::String(text) => test(text),
        Value::Array(items) => items.iter().any(|item| any_text(item, test)),
        Value::Object(map) => map.values().any(|item| any_text(item, test)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(framework_alias: Option<FrameworkAlias>) -> Target<'static> {
        Target {
            function: "hello",
            function_id: "HelloLambdaFunction",
            deployed_name: Some("svc-dev-hello"),
            alias_id: "HelloLambdaFunctionAliasLive",
            alias_name: "Live",
            framework_alias,
        }
    }

    #[test]
    fn replaces_every_occurrence_of_the_function_arn() {
        let target = target(None);
        let mut value = json!({"Fn::Join": ["", [
            {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
            {"Fn::GetAtt": "HelloLambdaFunction.Arn"},
            {"Fn::GetAtt": ["HelloLambdaFunction", "Version"]},
            {"Fn::GetAtt": ["OtherLambdaFunction", "Arn"]},
            {"Ref": "HelloLambdaFunction"}
        ]]});
        assert!(target.point_at_alias(&mut value, false));
        let alias = json!({"Ref": "HelloLambdaFunctionAliasLive"});
        let parts = &value["Fn::Join"][1];
        assert_eq!((&parts[0], &parts[1]), (&alias, &alias));
        assert_eq!(
            parts[2]["Fn::GetAtt"][1], "Version",
            "only the Arn attribute is the function"
        );
        assert_eq!(parts[3]["Fn::GetAtt"][0], "OtherLambdaFunction");
        assert_eq!(
            parts[4],
            json!({"Ref": "HelloLambdaFunction"}),
            "a name only where accepted"
        );
        assert!(target.point_at_alias(&mut value, true));
        assert_eq!(value["Fn::Join"][1][4], alias);
    }

    #[test]
    fn rewrites_the_function_arn_inside_fn_sub() {
        let target = target(None);
        let mut value = json!({"Fn::Sub": "arn:${AWS::Partition}:x/functions/${HelloLambdaFunction.Arn}/invocations"});
        assert!(target.point_at_alias(&mut value, false));
        assert_eq!(
            value,
            json!({"Fn::Sub": "arn:${AWS::Partition}:x/functions/${HelloLambdaFunctionAliasLive}/invocations"})
        );
        let mut other = json!({"Fn::Sub": "${HelloLambdaFunction}"});
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
        let mut joined = json!({"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "provisioned"]]});
        assert!(target.point_at_alias(&mut joined, false));
        assert_eq!(joined, json!({"Ref": "HelloLambdaFunctionAliasLive"}));
        let mut other_alias =
            json!({"Fn::Join": [":", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, "Live"]]});
        assert!(
            !target.point_at_alias(&mut other_alias, false),
            "already the alias"
        );
        let mut pinned =
            json!({"Fn::Join": ["", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, ":7"]]});
        assert!(
            !target.point_at_alias(&mut pinned, false),
            "a version the user pinned, joined without a separator"
        );
        let mut joined = json!({"Fn::Join": ["", [{"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, ":provisioned"]]});
        assert!(target.point_at_alias(&mut joined, false));
        assert_eq!(joined, json!({"Ref": "HelloLambdaFunctionAliasLive"}));
    }

    #[test]
    fn outside_invokers_only_the_framework_alias_is_replaced() {
        let target = target(Some(FrameworkAlias {
            logical_id: "HelloProvConcLambdaAlias".into(),
            name: "provisioned",
        }));
        let mut statement = json!({"Resource": [
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
            json!({"Resource": [
                {"Ref": "HelloLambdaFunctionAliasLive"},
                {"Fn::Sub": "${HelloLambdaFunctionAliasLive}"},
                {"Fn::Sub": "${HelloLambdaFunctionAliasLive}"},
                {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
                {"Fn::Sub": "${HelloLambdaFunction.Arn}"}
            ]})
        );
    }

    #[test]
    fn finds_references_by_arn_name_and_literal_name() {
        let target = target(None);
        let value = json!({"A": [1, {"B": {"Ref": "HelloLambdaFunction"}}]});
        assert_eq!(target.find_reference(&value).as_deref(), Some(".A[1].B"));
        let literal = json!({"Env": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:svc-dev-hello"}});
        assert_eq!(target.find_reference(&literal).as_deref(), Some(".Env"));
        let longer = json!({"Env": "arn:aws:lambda:us-east-1:1:function:svc-dev-hello-two"});
        assert_eq!(
            target.find_reference(&longer),
            None,
            "another function's name"
        );
    }

    #[test]
    fn a_role_allows_the_alias_through_a_qualified_sub_of_the_function_arn() {
        let target = target(None);
        let allows = |resource: Value| {
            target.grants_alias(&json!({"Policies": [{"PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resource}
            ]}}]}))
        };
        assert!(allows(json!({"Fn::Sub": "${HelloLambdaFunction.Arn}:*"})));
        assert!(allows(
            json!({"Fn::Sub": "${HelloLambdaFunction.Arn}:Live"})
        ));
        assert!(allows(
            json!({"Fn::Sub": ["${functionArn}:*", {"functionArn": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}}]})
        ));
        assert!(
            !allows(json!({"Fn::Sub": "${HelloLambdaFunction.Arn}"})),
            "the bare function only"
        );
        assert!(
            !allows(json!({"Fn::Sub": "${HelloLambdaFunction.Arn}:Live2"})),
            "another alias"
        );
        assert!(
            !allows(
                json!({"Fn::Sub": ["${functionArn}:*", {"functionArn": {"Fn::GetAtt": ["OtherLambdaFunction", "Arn"]}}]})
            ),
            "another function"
        );
    }
}
