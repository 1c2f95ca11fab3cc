//! Points a canaried function's invokers, and the permissions that let them call it, at its
//! alias, following the table in `routing`. Whatever names the function and cannot be pointed
//! at the alias is reported with the resource and property, so no traffic bypasses the canary
//! unannounced.

mod framework_alias;
mod permissions;
mod reference;
mod routing;

pub use framework_alias::{find_framework_alias, FrameworkAliasFound};
pub use reference::{FrameworkAlias, Target};

use serde_json::{json, Value};

use super::index::{type_of, TemplateIndex};
use super::Changes;
use crate::diagnostics::{self as diag, Diagnostic};
use permissions::Moved;
use routing::{routing_of, Invoker, Routing};

/// Rewires every resource that names `target`'s function: invokers to the alias ARN,
/// qualified resources to the alias name, permissions after their invokers; dependencies on
/// the Framework alias are dropped with it.
pub fn wire_to_alias(
    target: &Target,
    index: &TemplateIndex,
    changes: &mut Changes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut moved = Vec::new();
    let mut permission_ids = Vec::new();
    for (id, resource) in referrers(target, index) {
        if let Some(framework) = &target.framework_alias {
            drop_framework_dependency(id, &framework.logical_id, changes);
        }
        let resource_type = type_of(resource).unwrap_or("resource");
        match routing_of(resource_type) {
            Some(Routing::Invoker(invoker)) => {
                if let Some(invoker) = point_invoker(id, resource, &invoker, target, changes) {
                    moved.push(invoker);
                }
                report_leftover(id, resource_type, target, changes, diagnostics);
            }
            Some(Routing::Qualified) => match qualify(id, resource_type, target, changes) {
                Some(invoker) => moved.push(invoker),
                None => report_leftover(id, resource_type, target, changes, diagnostics),
            },
            Some(Routing::Permission) => permission_ids.push(id),
            Some(Routing::Bystander) => {}
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
            }
            None => report_leftover(id, resource_type, target, changes, diagnostics),
        }
    }
    permissions::follow_invokers(&moved, &permission_ids, target, index, changes, diagnostics);
}

/// Resources naming the function or the Framework alias, each once, in template order.
fn referrers<'t>(target: &Target, index: &TemplateIndex<'t>) -> Vec<(&'t str, &'t Value)> {
    let mut found: Vec<(&str, &Value)> = index.referrers_of(target.function_id).collect();
    if let Some(framework) = &target.framework_alias {
        for (id, resource) in index.referrers_of(&framework.logical_id) {
            if id != target.function_id && !found.iter().any(|(seen, _)| *seen == id) {
                found.push((id, resource));
            }
        }
        found.retain(|(id, _)| *id != framework.logical_id);
    }
    found
}

fn point_invoker<'t>(
    id: &'t str,
    resource: &'t Value,
    invoker: &Invoker,
    target: &Target,
    changes: &mut Changes,
) -> Option<Moved<'t>> {
    let mut rewired = changes.current(id)?.clone();
    if !target.point_at_alias(&mut rewired["Properties"], invoker.accepts_name) {
        return None;
    }
    changes.rewire(id, rewired);
    Some(Moved {
        id,
        service: invoker.service,
        identity: invoker
            .identity
            .iter()
            .map(|property| &resource["Properties"][*property])
            .filter(|value| !value.is_null() && *value != "")
            .collect(),
    })
}

/// A function URL or async invoke config of the function itself: the alias serves the URL and
/// receives the async invocations, so it takes the alias as `Qualifier` (the Framework writes
/// `$LATEST` or its own alias).
fn qualify<'t>(
    id: &'t str,
    resource_type: &str,
    target: &Target,
    changes: &mut Changes,
) -> Option<Moved<'t>> {
    let mut rewired = changes.current(id)?.clone();
    let properties = &mut rewired["Properties"];
    let (function_property, service) = if resource_type == "AWS::Lambda::Url" {
        // Only a public URL has a permission (principal `*`); an IAM-authorised one has none.
        let public = properties["AuthType"] == "NONE";
        ("TargetFunctionArn", public.then_some("*"))
    } else {
        ("FunctionName", None)
    };
    let function = &properties[function_property];
    if !target.is_function(function) {
        return None;
    }
    if target.is_framework_alias(function) {
        properties[function_property] = json!({ "Fn::GetAtt": [target.function_id, "Arn"] });
    }
    properties["Qualifier"] = json!(target.alias_name);
    add_dependency(&mut rewired, target.alias_id);
    changes.rewire(id, rewired);
    Some(Moved {
        id,
        service,
        identity: Vec::new(),
    })
}

/// A literal `Qualifier` does not tell CloudFormation to create the alias first.
fn add_dependency(resource: &mut Value, logical_id: &str) {
    let depends_on = match resource.get_mut("DependsOn") {
        Some(Value::Array(items)) => items,
        Some(single) => {
            *single = json!([single.take()]);
            single.as_array_mut().expect("just made an array")
        }
        None => {
            resource["DependsOn"] = json!([]);
            resource["DependsOn"]
                .as_array_mut()
                .expect("just made an array")
        }
    };
    if !depends_on.iter().any(|item| item == logical_id) {
        depends_on.push(json!(logical_id));
    }
}

/// The Framework alias is removed. Whatever waited for it named it through the literal
/// `Fn::Join` the Framework writes; once routed it `Ref`s the canary alias, which orders it.
fn drop_framework_dependency(id: &str, framework_id: &str, changes: &mut Changes) {
    let Some(resource) = changes.current(id) else {
        return;
    };
    let remaining = match &resource["DependsOn"] {
        Value::String(single) if single == framework_id => Value::Null,
        Value::Array(items) if items.iter().any(|item| item == framework_id) => Value::Array(
            items
                .iter()
                .filter(|item| *item != framework_id)
                .cloned()
                .collect(),
        ),
        _ => return,
    };
    let mut rewired = resource.clone();
    let object = rewired.as_object_mut().expect("a resource is an object");
    if remaining.is_null() || remaining.as_array().is_some_and(Vec::is_empty) {
        object.remove("DependsOn");
    } else {
        object.insert("DependsOn".into(), remaining);
    }
    changes.rewire(id, rewired);
}

/// Whatever still names the bare function after routing: the plugin cannot tell whether or
/// how it calls the function, so the user must hear which property it is.
fn report_leftover(
    id: &str,
    resource_type: &str,
    target: &Target,
    changes: &Changes,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(resource) = changes.current(id) else {
        return;
    };
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
