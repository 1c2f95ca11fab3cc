//! `sls deploy function` updates a function's `$LATEST` directly: no version is published, the
//! canary alias keeps serving the old one and no CodeDeploy deployment runs. The plugin asks
//! here whether the function is canaried, to refuse or warn before that happens.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diagnostics::{self as diag, Diagnostic};
use crate::settings::read_settings;
use crate::source::{self, SourceText};

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
    /// The command's own `--force`: update `$LATEST` anyway.
    #[serde(default)]
    pub force: bool,
    /// The service file, when it is YAML, so the refusal points at the function.
    #[serde(default)]
    pub source: Option<SourceText>,
}

/// Why a direct update of a function canaried in this stage is refused, or with `--force`
/// what it leaves out (a warning then); `None` when the function deploys
/// all at once anyway.
pub fn refusal(input: &DeployFunctionInput) -> Option<Diagnostic> {
    let alias = bypassed_alias(input)?;
    let mut refusal = [diag::deploy_function_bypass(
        &input.function,
        &alias,
        input.force,
    )];
    if let Some(source) = &input.source {
        source::locate(&mut refusal, &source.file, &source.text);
    }
    let [refusal] = refusal;
    Some(refusal)
}

/// The alias a direct update would bypass, when `function` is canaried in this stage (empty
/// when its settings are too broken to name one); `None` when it deploys all at once anyway.
fn bypassed_alias(input: &DeployFunctionInput) -> Option<String> {
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
            force: false,
            source: None,
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

    #[test]
    fn the_refusal_names_the_alias_and_both_ways_out_or_with_force_that_it_goes_on() {
        let refused = refusal(&input("prod", "canaried")).expect("canaried");
        assert_eq!(refused.code, crate::diagnostics::Code::DeployFunctionBypass);
        assert_eq!(
            refused.to_string(),
            "error[deploy-function-bypass] functions.canaried: `deploy function` updates only $LATEST of `canaried`: traffic through its alias `Live` keeps the current version, and no CodeDeploy deployment runs (no gradual shift, no alarms, no rollback) (run `serverless deploy` to release it gradually, or add --force to update $LATEST anyway)"
        );
        let forced = refusal(&DeployFunctionInput {
            force: true,
            ..input("prod", "broken")
        })
        .expect("canaried, with broken settings");
        assert_eq!(forced.code, crate::diagnostics::Code::DeployFunctionForced);
        assert!(
            forced.to_string().ends_with("traffic through its canary alias keeps the current version, and no CodeDeploy deployment runs (no gradual shift, no alarms, no rollback) (--force: $LATEST is updated anyway)"),
            "{forced}"
        );
        assert_eq!(refusal(&input("prod", "plain")), None);
    }
}
