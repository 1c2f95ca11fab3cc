//! Permissions follow their invokers: an `AWS::Lambda::Permission` moves to the alias when it
//! grants a caller that now calls the alias, and stays when its caller still calls the
//! function, so no call is ever denied by a permission moved too early.

use serde_json::{json, Value};

use super::reference::{contains_value, principal_service, references, Target};
use crate::diagnostics::{self as diag, Diagnostic};
use crate::template::index::TemplateIndex;
use crate::template::Changes;

/// An invoker now calling the alias.
pub struct Moved<'t> {
    pub id: &'t str,
    /// The service its permission grants, or `None` when it needs no resource policy.
    pub service: Option<&'static str>,
    /// Values its permission's `SourceArn` may contain to name it (API, topic, bucket...).
    pub identity: Vec<&'t Value>,
}

impl Moved<'_> {
    fn is_granted_by(&self, service: Option<&str>, source: &Value) -> bool {
        self.service.is_some()
            && self.service == service
            && (source.is_null()
                || references(source, self.id)
                || self
                    .identity
                    .iter()
                    .any(|value| contains_value(source, value)))
    }
}

pub fn follow_invokers(
    moved: &[Moved],
    permission_ids: &[&str],
    target: &Target,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let path = format!("functions.{}", target.function);
    let mut granted = vec![false; moved.len()];
    for id in permission_ids {
        let Some(properties) = index.get(id).map(|resource| &resource["Properties"]) else {
            continue;
        };
        let function = &properties["FunctionName"];
        if !target.is_function(function) {
            continue;
        }
        let principal = &properties["Principal"];
        let service = principal_service(principal);
        let mut matched = false;
        for (invoker, granted) in moved.iter().zip(granted.iter_mut()) {
            if invoker.is_granted_by(service, &properties["SourceArn"]) {
                *granted = true;
                matched = true;
            }
        }
        // The Framework alias is removed, so what it granted must move with it.
        let on_framework_alias = target.is_framework_alias(function);
        if !matched {
            diagnostics.push(diag::caller_outside_stack(
                &path,
                target.function,
                id,
                &principal_text(principal),
                on_framework_alias.then_some(target.alias_name),
            ));
        }
        if matched || on_framework_alias {
            if let Some(mut rewired) = changes.current(id).cloned() {
                rewired["Properties"]["FunctionName"] = json!({ "Ref": target.alias_id });
                changes.rewire(id, rewired);
            }
        }
    }
    for (invoker, granted) in moved.iter().zip(granted) {
        if let (Some(service), false) = (invoker.service, granted) {
            diagnostics.push(diag::permission_missing(
                &path,
                target.function,
                invoker.id,
                service,
            ));
        }
    }
}

fn principal_text(principal: &Value) -> String {
    match principal {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
