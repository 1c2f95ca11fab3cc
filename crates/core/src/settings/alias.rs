//! `alias`: the Lambda alias traffic goes through, and the logical ID of the resource that is
//! that alias in the stack.

use serde_json::Value;

use super::fields::MAX_ALIAS_LENGTH;
use super::layers::Layers;
use super::strings::read_string;
use super::{FrameworkAlias, Sourced};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;

pub(super) fn read_alias(
    layers: &Layers,
    diagnostics: &mut Diagnostics,
) -> Option<Sourced<String>> {
    let Some((value, path)) = layers.get("alias") else {
        diagnostics.push(diag::missing_setting(&layers.own_path, "alias", "Live"));
        return None;
    };
    let alias = read_string(value, &path, diagnostics)?;
    let problem = if alias.len() > MAX_ALIAS_LENGTH {
        Some("it is longer than 128 characters")
    } else if !alias
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Some("it may only contain letters, digits, `-` and `_`")
    } else if alias.bytes().all(|b| b.is_ascii_digit()) {
        Some("all-digit names are reserved for versions")
    } else {
        None
    };
    match problem {
        Some(reason) => {
            diagnostics.push(diag::invalid_alias(&path, &alias, reason));
            None
        }
        None => Some(Sourced { value: alias, path }),
    }
}

/// The canary alias's logical ID. With `frameworkAlias: reuse` a function the Framework gives
/// an alias of its own keeps that alias's ID; the plan confirms it against the template.
pub(super) fn alias_logical_id(
    name: &str,
    config: &Value,
    alias: &str,
    framework_alias: Option<FrameworkAlias>,
) -> String {
    let [provisioned, snap_start] = naming::framework_aliases(name);
    let has_provisioned = config
        .get("provisionedConcurrency")
        .is_some_and(|value| !matches!(value, Value::Null | Value::Bool(false)) && *value != 0);
    let has_snap_start = config.get("snapStart") == Some(&Value::Bool(true));
    match framework_alias {
        Some(FrameworkAlias::Reuse) if has_provisioned => provisioned.0,
        Some(FrameworkAlias::Reuse) if has_snap_start => snap_start.0,
        _ => naming::alias_logical_id(&naming::function_logical_id(name), alias),
    }
}
