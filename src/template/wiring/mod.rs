//! Points a canaried function's invokers, and the permissions that let them call it, at its
//! alias, following the table in `routing`. Whatever names the function and cannot be pointed
//! at the alias is reported with the resource and property, so no traffic bypasses the canary
//! unannounced.

mod framework_alias;
mod permissions;
mod reference;
mod routing;

pub use framework_alias::find_framework_alias;
pub use reference::{FrameworkAlias, Target};

use serde_json::{json, Value};
use std::collections::HashSet;

use super::index::{depends_on, type_of, TemplateIndex};
use super::Changes;
use crate::diagnostics::{self as diag, Diagnostic};
use permissions::Moved;
use routing::{routing_of, Routing};

/// Rewires every resource that names `target`'s function: invokers to the alias ARN,
/// qualified resources to the alias name, permissions after their invokers; dependencies on
/// the Framework alias are dropped with it. Each resource is copied and written back once.
pub fn wire_to_alias(
    target: &Target,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut moved = Vec::new();
    let mut permissions = Vec::new();
    for (id, resource) in referrers(target, index) {
        let Some(mut rewired) = changes.current(id).cloned() else {
            continue;
        };
        let mut changed = drop_framework_dependency(&mut rewired, target);
        let resource_type = type_of(resource).unwrap_or("resource");
        let routed = match routing_of(resource_type) {
            Some(Routing::Invoker(invoker)) => {
                let routed = target
                    .point_at_alias(&mut rewired["Properties"], invoker.accepts_name)
                    .then(|| Moved {
                        id,
                        service: invoker.service,
                        identity: identity(resource, invoker.identity),
                    });
                report_leftover(id, resource_type, &rewired, target, diagnostics);
                routed
            }
            Some(Routing::Qualified {
                function_property,
                public_service,
            }) => {
                let routed = qualify(&mut rewired, function_property, target).then(|| Moved {
                    id,
                    service: public_service
                        .filter(|_| resource["Properties"]["AuthType"] == "NONE"),
                    identity: Vec::new(),
                });
                if routed.is_none() {
                    report_leftover(id, resource_type, &rewired, target, diagnostics);
                }
                routed
            }
            Some(Routing::Permission) => {
                permissions.push((id, resource));
                None
            }
            Some(Routing::Bystander) => None,
            Some(Routing::CustomResource { event, source }) => {
                diagnostics.push(diag::event_not_routed(
                    &format!("functions.{}.events", target.function),
                    target.function,
                    event,
                    id,
                    source
                        .iter()
                        .fold(&resource["Properties"], |value, key| &value[*key]),
                ));
                None
            }
            None => {
                report_leftover(id, resource_type, &rewired, target, diagnostics);
                None
            }
        };
        if let Some(invoker) = routed {
            moved.push(invoker);
            changed = true;
        }
        if changed {
            changes.rewire(id, rewired);
        }
    }
    permissions::follow_invokers(&moved, &permissions, target, changes, diagnostics);
}

/// Resources naming the function or the Framework alias, each once: the function's referrers
/// in template order, then the Framework alias's.
fn referrers<'t>(target: &Target, index: &TemplateIndex<'t>) -> Vec<(&'t str, &'t Value)> {
    let mut found: Vec<(&str, &Value)> = index.referrers_of(target.function_id).collect();
    if let Some(framework) = &target.framework_alias {
        let mut seen: HashSet<&str> = found.iter().map(|(id, _)| *id).collect();
        seen.insert(target.function_id);
        found.extend(
            index
                .referrers_of(&framework.logical_id)
                .filter(|(id, _)| seen.insert(id)),
        );
        found.retain(|(id, _)| *id != framework.logical_id);
    }
    found
}

/// The invoker's identity properties that are set: what its permission's `SourceArn` names.
fn identity<'t>(resource: &'t Value, properties: &[&str]) -> Vec<&'t Value> {
    properties
        .iter()
        .map(|property| &resource["Properties"][*property])
        .filter(|value| !value.is_null() && *value != "")
        .collect()
}

/// A function URL or async invoke config of the function itself: the alias serves the URL and
/// receives the async invocations, so it takes the alias as `Qualifier` (the Framework writes
/// `$LATEST` or its own alias).
fn qualify(resource: &mut Value, function_property: &str, target: &Target) -> bool {
    let properties = &mut resource["Properties"];
    let function = &properties[function_property];
    if !target.is_function(function) {
        return false;
    }
    if target.is_framework_alias(function) {
        properties[function_property] = json!({ "Fn::GetAtt": [target.function_id, "Arn"] });
    }
    properties["Qualifier"] = json!(target.alias_name);
    // A literal `Qualifier` does not tell CloudFormation to create the alias first.
    edit_depends_on(resource, |ids| {
        if !ids.iter().any(|id| id == target.alias_id) {
            ids.push(json!(target.alias_id));
        }
    });
    true
}

/// The Framework alias is removed. Whatever waited for it named it through the literal
/// `Fn::Join` the Framework writes; once routed it `Ref`s the canary alias, which orders it.
fn drop_framework_dependency(resource: &mut Value, target: &Target) -> bool {
    let Some(framework) = &target.framework_alias else {
        return false;
    };
    if !depends_on(resource).any(|id| id == framework.logical_id) {
        return false;
    }
    edit_depends_on(resource, |ids| ids.retain(|id| *id != framework.logical_id));
    true
}

/// Edits `DependsOn` (a string or a list) as a list; an empty list removes it.
fn edit_depends_on(resource: &mut Value, edit: impl FnOnce(&mut Vec<Value>)) {
    let Some(object) = resource.as_object_mut() else {
        return;
    };
    let mut ids = match object.get_mut("DependsOn").map(Value::take) {
        Some(Value::Array(items)) => items,
        Some(single) => vec![single],
        None => Vec::new(),
    };
    edit(&mut ids);
    if ids.is_empty() {
        object.shift_remove("DependsOn");
    } else {
        object.insert("DependsOn".into(), Value::Array(ids));
    }
}

/// Whatever still names the bare function after routing: the plugin cannot tell whether or
/// how it calls the function, so the user must hear which property it is.
fn report_leftover(
    id: &str,
    resource_type: &str,
    resource: &Value,
    target: &Target,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(path) = target.find_reference(&resource["Properties"]) {
        diagnostics.push(diag::reference_not_routed(
            &format!("functions.{}", target.function),
            target.function,
            id,
            resource_type,
            &format!("Properties{path}"),
            target.alias_id,
        ));
    }
}
