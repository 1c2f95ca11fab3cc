//! `rollbackOn`: which of CodeDeploy's auto-rollback events turn a deployment back.

use serde_json::Value;

use super::fields::ROLLBACK_EVENTS;
use super::json::mistyped;
use super::layers::Layers;
use super::strings::read_string;
use crate::diagnostics::{self as diag, Diagnostics};

/// `rollbackOn: [failure, alarm, stopRequest]`, all three when absent.
pub(super) fn read_rollback_events(
    layers: &Layers,
    diagnostics: &mut Diagnostics,
) -> Vec<&'static str> {
    let all = || ROLLBACK_EVENTS.iter().map(|(_, event)| *event).collect();
    let Some((value, path)) = layers.get("rollbackOn") else {
        return all();
    };
    let Value::Array(items) = value else {
        diagnostics.push(mistyped(&path, "a list of rollback triggers", value));
        return all();
    };
    let accepted: Vec<&str> = ROLLBACK_EVENTS.iter().map(|(name, _)| *name).collect();
    let mut chosen = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let Some(name) = read_string(item, &item_path, diagnostics) else {
            continue;
        };
        if !accepted.contains(&name.as_str()) {
            diagnostics.push(diag::not_one_of(&item_path, &name, &accepted));
        }
        chosen.push(name);
    }
    ROLLBACK_EVENTS
        .iter()
        .filter(|(name, _)| chosen.iter().any(|c| c == name))
        .map(|(_, event)| *event)
        .collect()
}
