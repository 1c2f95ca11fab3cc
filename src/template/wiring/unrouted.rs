//! Events whose traffic does not go through the alias yet: the user must know that part of
//! the traffic is not shifted gradually.

use serde_json::Value;

use crate::diagnostics::{self as diag, Diagnostic};

/// Event kinds whose invokers `wire_to_alias` points at the alias.
const ROUTED_EVENTS: [&str; 3] = ["http", "httpApi", "websocket"];

pub fn report_unrouted_events(function: &str, config: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let Some(events) = config.get("events").and_then(Value::as_array) else {
        return;
    };
    for (i, event) in events.iter().enumerate() {
        let Some(kind) = event.as_object().and_then(|e| e.keys().next()) else {
            continue;
        };
        if !ROUTED_EVENTS.contains(&kind.as_str()) {
            diagnostics.push(diag::unrouted_event(
                &format!("functions.{function}.events[{i}].{kind}"),
                function,
                kind,
            ));
        }
    }
}
