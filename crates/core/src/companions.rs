//! What the companion plugins that invoke a function or delete its versions do to a canary,
//! said with a code. serverless-plugin-warmup (8.4.1) invokes each warmed function with
//! `Qualifier: <its alias setting>`, or `$LATEST` without one; serverless-prune-plugin (2.1.0)
//! keeps the `number` newest versions besides those an alias's `FunctionVersion` names, which
//! leaves out the version a shift is moving to (it is in the alias's routing, not its
//! `FunctionVersion`) and, after a release, the version to roll back to.

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use crate::diagnostics::{self as diag, Diagnostics};
use crate::settings::FunctionSettings;

/// What the plugin read from the companions loaded beside this plugin, as they resolved it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Companions {
    /// serverless-plugin-warmup: each function a warmer pings in this stage.
    #[serde(default)]
    pub warmed: Vec<Warmed>,
    /// serverless-prune-plugin, when loaded: its `custom.prune`.
    #[serde(default)]
    pub prune: Option<Prune>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warmed {
    /// The function's key under `functions`.
    pub function: String,
    pub warmer: String,
    /// The alias the warmer invokes; `None` for `$LATEST`.
    #[serde(default)]
    pub alias: Option<String>,
    /// Where that alias is set, or would be: `custom.warmup.<warmer>` or the function's own.
    pub path: String,
}

#[derive(Debug, Deserialize)]
pub struct Prune {
    /// `custom.prune.number`: the versions kept besides the aliased ones.
    #[serde(default)]
    pub number: Option<i64>,
}

/// One pass over the warmed functions, one look at prune; only canaried functions count.
pub(crate) fn check<'a>(
    companions: &Companions,
    canaried: impl Iterator<Item = &'a FunctionSettings>,
    diagnostics: &mut Diagnostics,
) {
    let aliases: HashMap<&str, &str> = canaried
        .map(|function| (function.name(), function.alias.as_str()))
        .collect();
    for warmed in &companions.warmed {
        let Some(&alias) = aliases.get(warmed.function.as_str()) else {
            continue;
        };
        match warmed.alias.as_deref() {
            None => diagnostics.push(diag::warmer_warms_latest(warmed, alias)),
            Some(pinged) if pinged == alias => {
                diagnostics.push(diag::warmup_counts_as_traffic(warmed, alias))
            }
            Some(_) => {}
        }
    }
    let keeps_none = companions
        .prune
        .as_ref()
        .is_some_and(|prune| prune.number == Some(0));
    if keeps_none && !aliases.is_empty() {
        diagnostics.push(diag::prune_deletes_canary_versions("custom.prune.number"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::plan::test_support::{canary, input};

    fn warnings(companions: serde_json::Value) -> Vec<(String, &'static str)> {
        let mut input = input(
            json!({
                "hello": canary(json!({"type": "Canary10Percent5Minutes", "alias": "Live"})),
                "auth": {"handler": "h.auth"}
            }),
            serde_json::Value::Null,
        );
        input.companions = serde_json::from_value(companions).unwrap();
        crate::plan::plan(&input)
            .diagnostics
            .into_iter()
            .map(|d| (d.path, d.code.as_str()))
            .collect()
    }

    fn warmed(function: &str, alias: Option<&str>) -> serde_json::Value {
        json!({"function": function, "warmer": "default", "alias": alias, "path": "custom.warmup.default"})
    }

    #[test]
    fn a_warmer_on_the_canary_alias_counts_as_traffic_and_one_without_warms_latest() {
        assert_eq!(
            warnings(json!({"warmed": [warmed("hello", Some("Live"))]})),
            [(
                "custom.warmup.default".to_owned(),
                "warmup-counts-as-traffic"
            )]
        );
        assert_eq!(
            warnings(json!({"warmed": [warmed("hello", None)]})),
            [("custom.warmup.default".to_owned(), "warmer-warms-latest")]
        );
        assert_eq!(
            warnings(json!({"warmed": [warmed("hello", Some("Other")), warmed("auth", None)]})),
            [],
            "another alias is the user's; a function without a canary is not ours"
        );
    }

    #[test]
    fn prune_keeping_no_unaliased_version_is_said_once() {
        assert_eq!(
            warnings(json!({"prune": {"number": 0}})),
            [(
                "custom.prune.number".to_owned(),
                "prune-deletes-canary-versions"
            )]
        );
        assert_eq!(warnings(json!({"prune": {"number": 1}})), []);
        assert_eq!(
            warnings(json!({"prune": {}})),
            [],
            "without a number it never prunes"
        );
    }
}
