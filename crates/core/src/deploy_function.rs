//! `sls deploy function` updates a function's `$LATEST` directly: no version is published, the
//! canary alias keeps serving the old one and no CodeDeploy deployment runs. The plugin asks
//! here whether the function is canaried, to refuse or warn before that happens.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::settings::read_settings;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployFunctionInput {
    pub stage: String,
    #[serde(default)]
    pub custom: Option<Value>,
    #[serde(default)]
    pub functions: Map<String, Value>,
    /// The function `sls deploy function -f` names.
    pub function: String,
}

/// The alias a direct update would bypass, when `function` is canaried in this stage (empty
/// when its settings are too broken to name one); `None` when it deploys all at once anyway.
pub fn bypassed_alias(input: &DeployFunctionInput) -> Option<String> {
    // Problems in the settings are `sls package`'s to report; here only participation counts.
    let mut ignored = crate::diagnostics::Diagnostics::default();
    let settings = read_settings(input.custom.as_ref(), &input.functions, &mut ignored);
    if !settings.enabled_for(&input.stage) {
        return None;
    }
    let complete = settings
        .functions
        .iter()
        .find(|f| f.name() == input.function)
        .map(|f| f.alias.clone());
    complete.or_else(|| {
        settings
            .incomplete
            .iter()
            .any(|needs| needs.function == input.function)
            .then(String::new)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(stage: &str, function: &str) -> DeployFunctionInput {
        DeployFunctionInput {
            stage: stage.into(),
            custom: Some(json!({"stages": ["prod"], "type": "AllAtOnce"})),
            functions: json!({
                "canaried": {"handler": "h.c", "deploymentSettings": {"alias": "Live"}},
                "broken": {"handler": "h.b", "deploymentSettings": {"alias": 7}},
                "plain": {"handler": "h.p"}
            })
            .as_object()
            .unwrap()
            .clone(),
            function: function.into(),
        }
    }

    #[test]
    fn names_the_alias_only_where_the_function_is_canaried() {
        assert_eq!(
            bypassed_alias(&input("prod", "canaried")).as_deref(),
            Some("Live")
        );
        assert_eq!(
            bypassed_alias(&input("prod", "broken")).as_deref(),
            Some("")
        );
        assert_eq!(bypassed_alias(&input("prod", "plain")), None);
        assert_eq!(
            bypassed_alias(&input("dev", "canaried")),
            None,
            "stage not canaried"
        );
    }
}
