//! How a template value names a canaried function, and how to name its alias instead. This
//! file recognises the function and its Framework alias in a value; rewriting them to the alias
//! (`rewrite`), finding where they are still named (`search`) and the IAM grants that cover the
//! alias (`grants`) each have a module.

mod grants;
mod rewrite;
mod search;

use crate::template::index::{get_att_target, is_name_char};
use crate::template::tree::Node;

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
    fn is_function_arn(&self, value: &Node) -> bool {
        value
            .get("Fn::GetAtt")
            .is_some_and(|get_att| match get_att {
                Node::Array(parts) => {
                    parts.len() == 2 && parts[0] == self.function_id && parts[1] == "Arn"
                }
                Node::String(dotted) => {
                    get_att_target(get_att) == Some(self.function_id) && dotted.ends_with(".Arn")
                }
                _ => false,
            })
    }

    /// `Ref` of the function: its name.
    fn is_function_name(&self, value: &Node) -> bool {
        value.get("Ref").is_some_and(|r| r == self.function_id)
    }

    /// The Framework alias's ARN, as the Framework writes it (`Fn::Join [":", [Arn, name]]`),
    /// joined with `":name"`, or as a `Ref`.
    pub(crate) fn is_framework_alias(&self, value: &Node) -> bool {
        let Some(framework) = &self.framework_alias else {
            return false;
        };
        value
            .get("Ref")
            .and_then(Node::as_str)
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
    fn qualifier_of<'v>(&self, value: &'v Node<'v>) -> Option<Qualifier<'v>> {
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
    pub(crate) fn is_function(&self, value: &Node) -> bool {
        self.is_function_arn(value)
            || self.is_function_name(value)
            || self.is_framework_alias(value)
    }

    /// [`Self::is_function`], or a `Fn::Sub` that is nothing but `${Function.Arn}` or
    /// `${Function}`.
    pub(crate) fn is_whole_function(&self, value: &Node) -> bool {
        self.is_function(value)
            || value
                .get("Fn::Sub")
                .and_then(Node::as_str)
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
}

/// The text of a `Fn::Sub`, in either form.
fn sub_text<'v>(value: &'v Node) -> Option<&'v str> {
    match value.get("Fn::Sub")? {
        Node::String(text) => Some(text),
        Node::Array(parts) => parts.first()?.as_str(),
        _ => None,
    }
}

/// `hello`, canaried through its alias `Live`: the target of every module's tests.
#[cfg(test)]
fn hello_target(framework_alias: Option<FrameworkAlias>) -> Target<'static> {
    Target {
        function: "hello",
        function_id: "HelloLambdaFunction",
        deployed_name: Some("svc-dev-hello"),
        alias_id: "HelloLambdaFunctionAliasLive",
        alias_name: "Live",
        framework_alias,
    }
}
