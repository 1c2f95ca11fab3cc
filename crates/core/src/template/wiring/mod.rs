//! Points a canaried function's invokers, and the permissions that let them call it, at its
//! alias, following the table in `routing`. Whatever names the function and cannot be pointed
//! at the alias is reported with the resource and property, so no traffic bypasses the canary
//! unannounced.

mod call_sites;
mod candidates;
mod framework_alias;
mod moved;
mod permissions;
mod reference;
mod routing;

pub(crate) use call_sites::CallSites;
pub(crate) use framework_alias::find_framework_alias;
pub(crate) use reference::Target;

use rustc_hash::FxHashSet as HashSet;
use serde_json::json;

use super::index::{depends_on, edit_depends_on, get_att_target, type_of, TemplateIndex};
use super::Changes;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::template::tree::Node;
use call_sites::CallSite;
use moved::{BareCall, Moved};
use routing::{names_of, routing_of, Invoker, Routing};

/// Rewires every resource that names `target`'s function: invokers to the alias ARN,
/// qualified resources to the alias name, permissions after their invokers; dependencies on
/// the Framework alias are dropped with it. A resource is copied once, when it first changes,
/// and edited in place after that, so one shared by many canaried functions (a topic, a
/// bucket) costs its size once, not once per function. Returns the logical IDs of the
/// resources that now call or name the alias, in template order.
pub(crate) fn wire_to_alias<'t>(
    target: &Target,
    index: &TemplateIndex<'t>,
    call_sites: &mut CallSites<'t>,
    changes: &mut Changes<'_, 't>,
    diagnostics: &mut Diagnostics,
) -> Vec<&'t str> {
    let mut wiring = Wiring {
        target,
        index,
        diagnostics,
        bare_calls: Vec::new(),
    };
    let mut moved = Vec::new();
    let mut permissions = Vec::new();
    let names = target.logical_ids();
    for (id, resource) in referrers(target, index) {
        let referrer = Referrer::new(id, resource);
        let resource_type = referrer.resource_type;
        let routing = routing_of(resource_type);
        let Some(current) = changes.current(id) else {
            continue;
        };
        let waits_for_framework_alias = names_framework_dependency(current, target);
        match &routing {
            Some(Routing::Invoker(invoker)) => {
                let sites = call_sites.of(id, resource, invoker.targets, index);
                edit_resource(changes, id, resource, |working| {
                    let dropped = drop_framework_dependency(working, target);
                    let routed =
                        wiring.route_invoker(referrer, working, invoker, &sites.naming(&names));
                    let changed = routed.is_some();
                    moved.extend(routed);
                    dropped || changed
                });
            }
            Some(Routing::Qualified {
                function_property,
                public_service,
            }) => edit_resource(changes, id, resource, |working| {
                let dropped = drop_framework_dependency(working, target);
                let routed =
                    wiring.route_qualified(referrer, working, function_property, *public_service);
                let changed = routed.is_some();
                moved.extend(routed);
                dropped || changed
            }),
            _ => {
                match &routing {
                    Some(Routing::Permission) => permissions.push((id, resource)),
                    Some(Routing::CustomResource { event, source }) => {
                        wiring.diagnostics.push(diag::event_not_routed(
                            &format!("functions.{}.events", target.function),
                            target.function,
                            event,
                            id,
                            &source
                                .iter()
                                .fold(&resource["Properties"], |value: &Node, key| &value[*key])
                                .to_value(),
                        ))
                    }
                    _ => {}
                }
                if waits_for_framework_alias {
                    edit_resource(changes, id, resource, |working| {
                        drop_framework_dependency(working, target)
                    });
                }
            }
        }
        // Whatever else names the removed Framework alias now names the canary alias standing
        // in for it: an event pattern, an IAM statement. A resource whose calls are unknown is
        // also checked for the bare function.
        let calls_unknown = routing.is_none();
        let routes = !matches!(
            routing,
            Some(Routing::Permission | Routing::CustomResource { .. })
        );
        if calls_unknown || (routes && target.framework_alias.is_some()) {
            // Only the places naming this function are visited, so a resource naming many
            // canaried functions (a state machine) is walked once, not once per function.
            let sites = call_sites.everywhere(id, resource, index).naming(&names);
            let leftovers = Leftovers {
                referrer,
                calls_unknown,
            };
            leftovers.stand_in(&sites, target, changes);
            leftovers.report(changes.current(id).unwrap_or(resource), &sites, &mut wiring);
        }
    }
    permissions::follow_invokers(
        &moved,
        &permissions,
        &wiring.bare_calls,
        target,
        changes,
        wiring.diagnostics,
    );
    moved.into_iter().map(|invoker| invoker.id).collect()
}

/// What every step of routing one canaried function reads, and where its problems go.
struct Wiring<'w, 't> {
    target: &'w Target<'w>,
    index: &'w TemplateIndex<'t>,
    diagnostics: &'w mut Diagnostics,
    /// What still calls the bare function; reported once the permissions have moved.
    bare_calls: Vec<BareCall<'t>>,
}

impl<'t> Wiring<'_, 't> {
    fn route_invoker(
        &mut self,
        referrer: Referrer<'t>,
        working: &mut Node,
        invoker: &Invoker,
        sites: &[&CallSite],
    ) -> Option<Moved<'t>> {
        let target = self.target;
        let Referrer { id, resource, .. } = referrer;
        let mut changed = false;
        let mut leftover = None;
        for site in sites {
            let Some(value) = site.get_mut(working) else {
                continue;
            };
            changed |= target.point_at_alias(value, invoker.accepts_name);
            if leftover.is_none() {
                leftover = target
                    .find_reference(value)
                    .map(|rest| format!("{}{rest}", site.property()));
            }
        }
        if let Some(property) = leftover {
            self.bare_calls.push(BareCall {
                id,
                resource_type: referrer.resource_type,
                property,
                service: invoker.service,
                identity: identity(resource, invoker.identity, self.index),
            });
        }
        let routed = changed.then(|| Moved {
            id,
            service: invoker.service,
            identity: identity(resource, invoker.identity, self.index),
            depends_on: depends_on(resource).collect(),
        });
        if let (Some(role), Some(_)) = (invoker.role, &routed) {
            self.check_role(id, working, role);
        }
        routed
    }

    fn route_qualified(
        &mut self,
        referrer: Referrer<'t>,
        working: &mut Node,
        function_property: &str,
        public_service: Option<&'static str>,
    ) -> Option<Moved<'t>> {
        let target = self.target;
        let id = referrer.id;
        match qualify(working, function_property, target) {
            Some(true) => {
                let public = working["Properties"]["AuthType"] == "NONE";
                // A URL that is not public: its IAM callers are now authorized against the alias.
                if public_service.is_some() && !public {
                    self.diagnostics.push(diag::url_callers_need_alias(
                        &format!("functions.{}", target.function),
                        target.function,
                        id,
                        target.alias_name,
                    ));
                }
                Some(Moved {
                    id,
                    service: public_service.filter(|_| public),
                    identity: Vec::new(),
                    depends_on: Vec::new(),
                })
            }
            // A version or alias the user chose for it.
            Some(false) => None,
            // Another function's config naming this one (a destination).
            None => {
                self.report_all_leftovers(referrer, working);
                None
            }
        }
    }

    /// A role-based invoker calls the alias with its role, which must allow the alias ARN (the
    /// Framework's execution role grants `function:<name>:*` for scheduler events). A role that
    /// is not in the template, or does not name the alias that way, is reported.
    fn check_role(&mut self, id: &str, resource: &Node, role_path: &[&str]) {
        let target = self.target;
        let role_arn = role_path
            .iter()
            .fold(&resource["Properties"], |value, key| &value[*key]);
        let role = role_arn
            .get("Fn::GetAtt")
            .and_then(get_att_target)
            .and_then(|role_id| self.index.get(role_id));
        if !role.is_some_and(|role| target.grants_alias(role)) {
            self.diagnostics.push(diag::role_may_deny_alias(
                &format!("functions.{}", target.function),
                target.function,
                id,
                target.alias_id,
            ));
        }
    }

    /// Whatever still names the bare function after routing, at `property`, in a resource whose
    /// calls the plugin does not know: reported with the permissions, which may deny it.
    fn report_reference(&mut self, referrer: Referrer<'t>, property: String) {
        self.bare_calls.push(BareCall {
            id: referrer.id,
            resource_type: referrer.resource_type,
            property,
            service: None,
            identity: Vec::new(),
        });
    }

    /// [`Wiring::report_reference`] for the first place anywhere in the properties of a
    /// resource whose calls the plugin does not know that may call the function.
    fn report_all_leftovers(&mut self, referrer: Referrer<'t>, resource: &Node) {
        if let Some(property) = self.target.find_call(&resource["Properties"], "Properties") {
            self.report_reference(referrer, property);
        }
    }
}

/// A resource that names the canaried function or its Framework alias, as the template has it.
#[derive(Clone, Copy)]
struct Referrer<'t> {
    id: &'t str,
    resource: &'t Node<'t>,
    /// Its `Type`, or the word `resource` when it has none.
    resource_type: &'t str,
}

impl<'t> Referrer<'t> {
    fn new(id: &'t str, resource: &'t Node<'t>) -> Self {
        Referrer {
            id,
            resource,
            resource_type: type_of(resource).unwrap_or("resource"),
        }
    }
}

/// Edits resource `id` in place once it has been copied; before that, edits a copy and keeps it
/// only if `edit` changed it.
fn edit_resource<'t>(
    changes: &mut Changes<'_, 't>,
    id: &str,
    resource: &Node<'t>,
    edit: impl FnOnce(&mut Node<'t>) -> bool,
) {
    if let Some(working) = changes.rewired_mut(id) {
        edit(working);
    } else {
        let mut copy = resource.clone();
        if edit(&mut copy) {
            changes.rewire(id, copy);
        }
    }
}

/// Resources naming the function or the Framework alias, each once: the function's referrers
/// in template order, then the Framework alias's.
fn referrers<'t>(target: &Target, index: &TemplateIndex<'t>) -> Vec<(&'t str, &'t Node<'t>)> {
    let mut found: Vec<(&str, &Node)> = index.referrers_of(target.function_id).collect();
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
/// One that `Ref`s a source in the template (a subscription's topic, a filter's log group)
/// also counts by that source's name: the Framework writes a topic's name, not its `Ref`, into
/// `SourceArn`.
fn identity<'t>(
    resource: &'t Node<'t>,
    properties: &[&str],
    index: &TemplateIndex<'t>,
) -> Vec<&'t Node<'t>> {
    let set = |properties: &[&str], resource: &'t Node<'t>| -> Vec<&'t Node<'t>> {
        properties
            .iter()
            .map(|property| &resource["Properties"][*property])
            .filter(|value| !value.is_null() && *value != "")
            .collect()
    };
    let mut found = set(properties, resource);
    let sources = found
        .iter()
        .filter_map(|value| value.get("Ref")?.as_str())
        .filter_map(|id| index.get(id))
        .collect::<Vec<_>>();
    for source in sources {
        found.extend(set(type_of(source).map_or(&[], names_of), source));
    }
    found
}

/// A function URL or async invoke config of the function itself: the alias serves the URL and
/// receives the async invocations, so it takes the alias as `Qualifier` (the Framework writes
/// `$LATEST` or its own alias). `None` when it is not this function's; `Some(false)` when the
/// user chose another qualifier, which stays.
fn qualify(resource: &mut Node, function_property: &str, target: &Target) -> Option<bool> {
    let properties = &mut resource["Properties"];
    let function = &properties[function_property];
    if !target.is_function(function) {
        return None;
    }
    let qualifier = &properties["Qualifier"];
    let replaceable = qualifier.is_null()
        || qualifier == "$LATEST"
        || target
            .framework_alias
            .as_ref()
            .is_some_and(|framework| qualifier == framework.name)
        || target.is_framework_alias(function);
    if !replaceable {
        return Some(false);
    }
    if target.is_framework_alias(function) {
        properties[function_property] =
            Node::from(json!({ "Fn::GetAtt": [target.function_id, "Arn"] }));
    }
    properties["Qualifier"] = Node::String(target.alias_name.to_owned().into());
    // A literal `Qualifier` does not tell CloudFormation to create the alias first.
    edit_depends_on(resource, |ids| {
        if !ids.iter().any(|id| id == target.alias_id) {
            ids.push(Node::String(target.alias_id.to_owned().into()));
        }
    });
    Some(true)
}

/// The Framework alias is removed. Whatever waited for it named it through the literal
/// `Fn::Join` the Framework writes; once routed it `Ref`s the canary alias, which orders it.
fn drop_framework_dependency(resource: &mut Node, target: &Target) -> bool {
    let Some(framework) = &target.framework_alias else {
        return false;
    };
    if !names_framework_dependency(resource, target) {
        return false;
    }
    edit_depends_on(resource, |ids| ids.retain(|id| *id != framework.logical_id));
    true
}

/// Only a removed Framework alias: one the canary alias took over (`frameworkAlias: reuse`)
/// stays, and so does what waits for it.
fn names_framework_dependency(resource: &Node, target: &Target) -> bool {
    target.framework_alias.as_ref().is_some_and(|framework| {
        framework.logical_id != target.alias_id
            && depends_on(resource).any(|id| id == framework.logical_id)
    })
}

/// What names a canaried function outside the properties it is called through.
struct Leftovers<'r> {
    referrer: Referrer<'r>,
    /// Its type is not in the routing table: it may call the function in ways the plugin does
    /// not know, so a bare reference is reported too.
    calls_unknown: bool,
}

impl<'r> Leftovers<'r> {
    /// Points what names the removed Framework alias at the canary alias.
    fn stand_in(&self, sites: &[&CallSite], target: &Target, changes: &mut Changes<'_, 'r>) {
        let Referrer { id, resource, .. } = self.referrer;
        let current = changes.current(id).unwrap_or(resource);
        let names_removed_alias = sites.iter().any(|site| {
            site.get(current)
                .is_some_and(|value| target.find_removed_alias(value).is_some())
        });
        if names_removed_alias {
            edit_resource(changes, id, resource, |working| {
                let mut changed = false;
                for site in sites {
                    if let Some(value) = site.get_mut(working) {
                        changed |= target.replace_framework_alias(value);
                    }
                }
                changed
            });
        }
    }

    /// The first place still naming the removed Framework alias (in text the plugin does not
    /// rewrite, `function:<name>:provisioned`), and the first naming the bare function.
    fn report(&self, resource: &Node, sites: &[&CallSite], wiring: &mut Wiring<'_, 'r>) {
        let target = wiring.target;
        let mut removed_alias = None;
        let mut bare = None;
        for site in sites {
            let Some(value) = site.get(resource) else {
                continue;
            };
            let at = |rest: String| format!("{}{rest}", site.property());
            if let Some(rest) = target.find_removed_alias(value) {
                removed_alias = removed_alias.or(Some(at(rest)));
            } else if self.calls_unknown && bare.is_none() {
                bare = target.find_call(value, &site.property());
            }
        }
        if let (Some(property), Some(framework)) = (removed_alias, &target.framework_alias) {
            wiring.diagnostics.push(diag::names_removed_alias(
                &format!("functions.{}", target.function),
                self.referrer.id,
                self.referrer.resource_type,
                &property,
                framework.name,
                target.alias_id,
            ));
        }
        if let Some(property) = bare {
            wiring.report_reference(self.referrer, property);
        }
    }
}

#[cfg(test)]
#[path = "wiring_tests.rs"]
mod tests;
