//! Permissions follow their invokers: an `AWS::Lambda::Permission` moves to the alias when it
//! grants a caller that now calls the alias, and stays when its caller still calls the
//! function, so no call is ever denied by a permission moved too early.

use serde_json::json;

use super::candidates::Candidates;
use super::moved::{BareCall, Moved, PUBLIC};
use super::reference::Target;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::template::index::names_resource;
use crate::template::tree::Node;
use crate::template::Changes;

/// How far a source's name is trusted. A name alone is ambiguous across accounts: an ARN
/// spelling out an account number may be another account's source that shares the name.
#[derive(Clone, Copy, PartialEq)]
enum Names {
    /// Only in ARNs that leave the account to CloudFormation (`${AWS::AccountId}`).
    ThisAccount,
    /// Also in ARNs that spell out an account.
    AnyAccount,
}

/// Which callers a permission's conditions let in.
enum Scope<'p> {
    /// The caller whose ARN is, or matches, this `SourceArn`.
    Source(&'p Node<'p>),
    /// Every caller of the service in this account: no `SourceArn` and nothing narrowing it.
    Service,
    /// Callers narrowed to another account, an organisation or an Alexa skill: none of them
    /// is in this stack.
    Elsewhere,
}

impl<'p> Scope<'p> {
    fn of(permission: &'p Node<'p>) -> Self {
        let source = &permission["SourceArn"];
        if !source.is_null() {
            return Scope::Source(source);
        }
        // `SourceAccount` of this account narrows nothing.
        let account = &permission["SourceAccount"];
        let other_account = !account.is_null() && !is_this_account(account);
        let narrowed = other_account
            || ["PrincipalOrgID", "EventSourceToken"]
                .iter()
                .any(|condition| !permission[*condition].is_null());
        if narrowed {
            Scope::Elsewhere
        } else {
            Scope::Service
        }
    }
}

impl Moved<'_> {
    /// `permission` (with `scope`) lets this invoker call: its service, an invoke action, and
    /// a source that is this invoker or every caller of the service.
    fn is_granted_by(&self, permission: &Node, scope: &Scope, names: Names) -> bool {
        let action = &permission["Action"];
        let invokes = grants_invoke(permission)
            || (self.service == Some(PUBLIC) && action == "lambda:InvokeFunctionUrl");
        invokes
            && grants_caller(
                permission,
                scope,
                names,
                self.id,
                self.service,
                &self.identity,
            )
    }
}

impl BareCall<'_> {
    /// `permission` (with `scope`) lets this resource call: as an invoker of a known type, or,
    /// for a type the plugin does not know, by a `SourceArn` naming it.
    fn is_granted_by(&self, permission: &Node, scope: &Scope) -> bool {
        let names_it = match self.service {
            Some(_) => grants_caller(
                permission,
                scope,
                Names::ThisAccount,
                self.id,
                self.service,
                &self.identity,
            ),
            None => matches!(scope, Scope::Source(source) if names_resource(source, self.id)),
        };
        grants_invoke(permission) && names_it
    }
}

/// `permission`, with `scope`, lets caller `id` of `service` call, the source named by its
/// logical ID or by one of its `identity` values, or not named at all (every caller of the
/// service).
fn grants_caller(
    permission: &Node,
    scope: &Scope,
    names: Names,
    id: &str,
    service: Option<&str>,
    identity: &[&Node],
) -> bool {
    let names_source = match scope {
        Scope::Source(source) => {
            let by_name = names == Names::AnyAccount || !names_an_account(source);
            names_resource(source, id)
                || identity.iter().any(|value| {
                    *value == *source
                        || value
                            .get("Ref")
                            .and_then(Node::as_str)
                            .is_some_and(|id| names_resource(source, id))
                        || (by_name && source_names(source, value))
                })
        }
        Scope::Service => true,
        Scope::Elsewhere => false,
    };
    service.is_some() && service == principal_service(&permission["Principal"]) && names_source
}

/// Moves each permission whose invoker now calls the alias, and reports what cannot follow:
/// a permission no invoker here uses, an invoker no permission grants. A permission naming its
/// source moves with that source; a service-wide one only for invokers that no such permission
/// grants or that depend on it, since its other callers may be outside the stack and still
/// call the function.
pub(crate) fn follow_invokers(
    moved: &[Moved],
    permissions: &[(&str, &Node)],
    bare_calls: &[BareCall],
    target: &Target,
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) {
    let path = format!("functions.{}", target.function);
    let mut readable = Vec::with_capacity(permissions.len());
    for (id, permission) in permissions {
        let properties = &permission["Properties"];
        if target.is_whole_function(&properties["FunctionName"]) {
            readable.push((*id, properties, Scope::of(properties)));
        } else if let Some(at) = target.find_reference(properties) {
            // It names the function somewhere else, or in a shape the plugin does not read.
            diagnostics.push(diag::reference_not_routed(
                &path,
                target.function,
                id,
                "AWS::Lambda::Permission",
                &format!("Properties{at}"),
                target.alias_id,
            ));
        }
    }
    let mut granted = vec![Granted::default(); moved.len()];
    let mut matched = vec![false; readable.len()];
    let candidates = Candidates::new(moved);
    let sourced = || {
        readable
            .iter()
            .enumerate()
            .filter_map(|(p, (_, properties, scope))| match scope {
                Scope::Source(source) => Some((p, *properties, scope, *source)),
                _ => None,
            })
    };
    // Permissions naming their source first.
    for (p, properties, scope, source) in sourced() {
        for i in candidates.of(source) {
            if moved[i].is_granted_by(properties, scope, Names::ThisAccount) {
                granted[i].add(properties);
                matched[p] = true;
            }
        }
    }
    // Then service-wide ones, for the invokers left and those that depend on them.
    let granted_before = granted.clone();
    for (p, (id, properties, scope)) in readable.iter().enumerate() {
        if !matches!(scope, Scope::Service) {
            continue;
        }
        for (i, invoker) in moved.iter().enumerate() {
            let needed = !granted_before[i].any || invoker.depends_on.contains(id);
            if needed && invoker.is_granted_by(properties, scope, Names::ThisAccount) {
                granted[i].add(properties);
                matched[p] = true;
            }
        }
    }
    // Last, a name in an ARN that spells out an account, for the invokers nothing else grants:
    // most often this account's number written by hand, but it may be another account's.
    let granted_before = granted.clone();
    for (p, properties, scope, source) in sourced() {
        for i in candidates.of(source) {
            if !granted_before[i].any
                && moved[i].is_granted_by(properties, scope, Names::AnyAccount)
            {
                granted[i].add(properties);
                matched[p] = true;
            }
        }
    }
    // The Framework alias is removed, so what it granted moves with it, used or not.
    let moves: Vec<bool> = readable
        .iter()
        .zip(&matched)
        .map(|((_, properties, _), matched)| {
            *matched || target.is_framework_alias(&properties["FunctionName"])
        })
        .collect();
    report_bare_calls(bare_calls, &readable, &moves, target, diagnostics);
    for (((id, properties, _), matched), moves) in readable.iter().zip(matched).zip(moves) {
        if !matched {
            let on_framework_alias = target.is_framework_alias(&properties["FunctionName"]);
            diagnostics.push(diag::caller_outside_stack(
                &path,
                target.function,
                id,
                &principal_text(&properties["Principal"]),
                on_framework_alias.then_some(target.alias_name),
            ));
        }
        if moves {
            if let Some(mut rewired) = changes.current(id).cloned() {
                rewired["Properties"]["FunctionName"] =
                    Node::from(json!({ "Ref": target.alias_id }));
                changes.rewire(id, rewired);
            }
        }
    }
    for (invoker, granted) in moved.iter().zip(&granted) {
        let Some(service) = invoker.service else {
            continue;
        };
        // A public URL is reached with `lambda:InvokeFunctionUrl`; the plugin adds the
        // `lambda:InvokeFunction` it also needs.
        let public = service == PUBLIC;
        if !(if public { granted.url } else { granted.any }) {
            diagnostics.push(diag::permission_missing(
                &path,
                target.function,
                invoker.id,
                service,
            ));
        } else if public && !granted.invoke {
            grant_url_invoke(target, changes, diagnostics);
        }
    }
}

/// Reports each resource still calling the bare function. One that a permission moving to the
/// alias grants would be denied: Lambda authorizes a call against the policy of the ARN it
/// names, and an alias's policy does not cover the function ARN (see
/// [`diag::bare_caller_denied`]). That is an error rather than a second permission the plugin
/// keeps on the function for it: such a caller takes the new version at once, outside the
/// canary, and the plugin never adds a grant or edits a caller the user wrote; pointing the
/// caller at the alias fixes both. Otherwise the call keeps working, unshifted: a warning.
fn report_bare_calls(
    bare_calls: &[BareCall],
    readable: &[(&str, &Node, Scope)],
    moves: &[bool],
    target: &Target,
    diagnostics: &mut Diagnostics,
) {
    for call in bare_calls {
        let moved_permission = readable
            .iter()
            .zip(moves)
            // One on the removed Framework alias never let a bare call through.
            .find(|((_, properties, scope), moves)| {
                **moves
                    && !target.is_framework_alias(&properties["FunctionName"])
                    && call.is_granted_by(properties, scope)
            });
        diagnostics.push(match moved_permission {
            Some(((permission, ..), _)) => diag::bare_caller_denied(
                &format!("resources.Resources.{}.{}", call.id, call.property),
                target.function,
                call.id,
                call.resource_type,
                &call.property,
                permission,
                target.alias_id,
            ),
            None => diag::reference_not_routed(
                &format!("functions.{}", target.function),
                target.function,
                call.id,
                call.resource_type,
                &call.property,
                target.alias_id,
            ),
        });
    }
}

/// What the permissions moved with an invoker let it do.
#[derive(Clone, Default)]
struct Granted {
    any: bool,
    /// `lambda:InvokeFunction` itself.
    invoke: bool,
    /// `lambda:InvokeFunctionUrl`.
    url: bool,
}

impl Granted {
    fn add(&mut self, permission: &Node) {
        let action = &permission["Action"];
        self.any = true;
        self.invoke |= grants_invoke(permission);
        self.url |= action == "lambda:InvokeFunctionUrl" || action == "lambda:*";
    }
}

fn grants_invoke(permission: &Node) -> bool {
    let action = &permission["Action"];
    action == "lambda:InvokeFunction" || action == "lambda:*"
}

/// Lambda requires `lambda:InvokeFunction` besides `lambda:InvokeFunctionUrl` for calls through
/// a function URL created since October 2025, and the alias URL is new; serverless@3 writes only
/// the second (osls writes both, and its first then moves like any other).
fn grant_url_invoke(target: &Target, changes: &mut Changes, diagnostics: &mut Diagnostics) {
    let id = naming::url_invoke_permission_logical_id(target.function);
    // Already added for another URL, or the user's own under that name (read or not).
    if changes.current(&id).is_some() {
        return;
    }
    changes.create(
        id,
        &format!("functions.{}", target.function),
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Ref": target.alias_id},
            "Action": "lambda:InvokeFunction",
            "Principal": PUBLIC,
            "InvokedViaFunctionUrl": true,
        }}),
        diagnostics,
    );
}

/// `!Ref AWS::AccountId`, or a `Fn::Sub` of nothing else.
fn is_this_account(account: &Node) -> bool {
    account.get("Ref").is_some_and(|r| r == "AWS::AccountId")
        || account
            .get("Fn::Sub")
            .is_some_and(|s| s == "${AWS::AccountId}")
}

/// `source` spells out an account number (12 digits as an ARN field, or a whole part of a
/// `Fn::Join`).
fn names_an_account(source: &Node) -> bool {
    let is_account = |field: &str| field.len() == 12 && field.bytes().all(|b| b.is_ascii_digit());
    match source {
        Node::String(text) => text.split(':').any(is_account),
        Node::Array(items) => items.iter().any(names_an_account),
        Node::Object(map) => map.values().any(names_an_account),
        _ => false,
    }
}

fn principal_text(principal: &Node) -> String {
    match principal {
        Node::String(text) => text.to_string(),
        other => other.to_string(),
    }
}

/// First label of a service principal (`logs` for `logs.${AWS::Region}.amazonaws.com` written
/// as a `Fn::Join`), so permissions compare by service whatever the spelling.
fn principal_service<'v>(principal: &'v Node) -> Option<&'v str> {
    let text = match principal {
        Node::String(text) => text.as_ref(),
        Node::Object(map) => map.get("Fn::Join")?.get(1)?.as_array()?.first()?.as_str()?,
        _ => return None,
    };
    text.split('.').next()
}

/// A permission's `SourceArn` (`haystack`) is or contains an invoker's identity (`needle`); a string needle may also end an ARN segment
/// (`":s3:::bucket"` names the bucket `bucket`).
fn source_names(haystack: &Node, needle: &Node) -> bool {
    if haystack == needle {
        return true;
    }
    match haystack {
        Node::Array(items) => items.iter().any(|item| source_names(item, needle)),
        Node::Object(map) => map.values().any(|item| source_names(item, needle)),
        Node::String(text) => needle.as_str().is_some_and(|name| {
            // A log group's ARN ends in `:*`, after the name.
            let text = text.strip_suffix(":*").unwrap_or(text);
            !name.is_empty()
                && (text
                    .strip_suffix(name)
                    .is_some_and(|before| before.ends_with([':', '/']))
                    || matches_wildcard(text, name)
                    || text
                        .match_indices(':')
                        .any(|(at, _)| matches_wildcard(&text[at + 1..], name)))
        }),
        _ => false,
    }
}

/// `prefix*` covers `name`: the Framework grants several log groups of one function with one
/// permission on their common prefix (`/aws/lambda/*`).
fn matches_wildcard(pattern: &str, name: &str) -> bool {
    pattern
        .strip_suffix('*')
        .is_some_and(|prefix| !prefix.contains('*') && name.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    #[test]
    fn a_name_may_end_an_arn_segment() {
        let source =
            node!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::uploads"]]});
        assert!(source_names(&source, &node!("uploads")));
        assert!(
            !source_names(&source, &node!("loads")),
            "only a whole segment"
        );
        let logs = node!({"Fn::Join": ["", [":log-group:", "/aws/lambda/*", ":*"]]});
        assert!(source_names(&logs, &node!("/aws/lambda/a-group")));
        assert!(!source_names(&logs, &node!("/other/a-group")));
    }

    #[test]
    fn reads_the_service_of_a_principal() {
        assert_eq!(principal_service(&node!("sns.amazonaws.com")), Some("sns"));
        let logs = node!({"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]});
        assert_eq!(principal_service(&logs), Some("logs"));
        assert_eq!(principal_service(&node!("*")), Some("*"));
    }
}
