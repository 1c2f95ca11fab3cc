//! Provisioned concurrency and SnapStart make the Framework create an alias of its own and
//! point every event at it. CodeDeploy shifts only the canary alias, so that alias takes the
//! Framework alias's place: its provisioned concurrency moves over and the Framework alias is
//! removed, leaving no second alias that keeps serving an old version.

use super::reference::FrameworkAlias;
use crate::naming;
use crate::template::index::{type_of, TemplateIndex};
use crate::template::tree::Node;

pub(crate) struct FrameworkAliasFound {
    pub alias: FrameworkAlias,
    /// Its `ProvisionedConcurrencyConfig`, for the canary alias.
    pub provisioned_concurrency: Option<serde_json::Value>,
}

pub(crate) fn find_framework_alias(
    function: &str,
    function_id: &str,
    index: &TemplateIndex,
) -> Option<FrameworkAliasFound> {
    naming::framework_aliases(function)
        .into_iter()
        .find_map(|(logical_id, name)| {
            let resource = index.get(&logical_id)?;
            let properties = &resource["Properties"];
            let is_framework_alias = type_of(resource) == Some("AWS::Lambda::Alias")
                && properties["FunctionName"]["Ref"] == function_id
                && properties["Name"] == name;
            is_framework_alias.then(|| FrameworkAliasFound {
                provisioned_concurrency: properties
                    .get("ProvisionedConcurrencyConfig")
                    .map(Node::to_value),
                alias: FrameworkAlias { logical_id, name },
            })
        })
}
