//! `preTrafficHook` and `postTrafficHook`: the functions CodeDeploy runs around the shift, and
//! the lifecycle events the plugin's own checks claim.

use rustc_hash::FxHashSet as HashSet;
use serde_json::{Map, Value};

use super::layers::Layers;
use super::strings::read_string;
use crate::diagnostics::{self as diag, Diagnostics};

/// The functions a hook may name: any of the service's, except those deployed through
/// CodeDeploy themselves.
pub(super) struct HookTargets<'a> {
    functions: &'a Map<String, Value>,
    canaried: HashSet<&'a str>,
}

impl<'a> HookTargets<'a> {
    pub(super) fn new(functions: &'a Map<String, Value>) -> Self {
        let canaried = functions
            .iter()
            .filter(|(_, config)| is_canaried(config))
            .map(|(name, _)| name.as_str())
            .collect();
        Self {
            functions,
            canaried,
        }
    }

    /// The function `key` names, when it can be a hook.
    pub(super) fn read_hook(
        &self,
        layers: &Layers,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<String> {
        let (value, path) = layers.get(key)?;
        let hook = read_string(value, &path, diagnostics)?;
        if !self.functions.contains_key(&hook) {
            // Names in service order, only on this error path, for "did you mean".
            let names: Vec<&str> = self.functions.keys().map(String::as_str).collect();
            diagnostics.push(diag::unknown_hook_function(&path, &hook, &names));
            return None;
        }
        if self.canaried.contains(&hook.as_str()) {
            diagnostics.push(diag::hook_is_canaried(&path, &hook));
            return None;
        }
        Some(hook)
    }
}

/// Whether a function's config asks for a canary: it has `deploymentSettings`, and they are
/// not `false`. Settings of the wrong kind count, so a hook naming it is still refused.
fn is_canaried(config: &Value) -> bool {
    config
        .get("deploymentSettings")
        .is_some_and(|settings| *settings != Value::Bool(false))
}

/// CodeDeploy runs one hook per lifecycle event: the generated smoke test is the
/// BeforeAllowTraffic hook and the traffic guard the AfterAllowTraffic one. Judged on what is
/// written, so the conflict is reported beside any problem inside the keys.
pub(super) fn check_hook_conflicts(layers: &Layers, diagnostics: &mut Diagnostics) {
    let claims = [
        ("smokeTest", "preTrafficHook", "BeforeAllowTraffic"),
        ("minTraffic", "postTrafficHook", "AfterAllowTraffic"),
    ];
    for (ours, theirs, event) in claims {
        let Some((value, ours_path)) = layers.get(ours) else {
            continue;
        };
        let used = match value {
            Value::Null => false,
            Value::Array(items) => !items.is_empty(),
            _ => true,
        };
        if used && layers.get(theirs).is_some() {
            diagnostics.push(diag::hook_conflict(&ours_path, ours, theirs, event));
        }
    }
}
