//! The stack's dependency graph, as CloudFormation builds it: a resource waits for every
//! resource it names by `Ref`, `Fn::GetAtt` or `${...}` in `Fn::Sub` (anywhere in it,
//! `UpdatePolicy` included), and for those in its `DependsOn`. CloudFormation refuses a stack
//! whose graph has a cycle ("Circular dependency between resources"), so every ordering the
//! plugin adds follows [`DependencyGraph::order`], and the final template is checked with
//! [`check`] before packaging ends.

use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Value};

use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::template::tree::Node;

use super::index::{depends_on, resources_named};

pub(crate) struct DependencyGraph<'a> {
    ids: Vec<&'a str>,
    /// For each resource, the resources it waits for, as indexes into `ids`, each once.
    waits_for: Vec<Vec<usize>>,
}

/// Resources that wait for each other in a circle, each waiting for the next and the last
/// for the first.
#[derive(Debug, PartialEq)]
pub(crate) struct Cycle<'a>(pub Vec<&'a str>);

impl<'a> DependencyGraph<'a> {
    /// One walk over each resource. Names that are not resources of this stack (parameters,
    /// pseudo parameters, `Fn::Sub` variables) are no edges.
    pub(crate) fn new(resources: impl IntoIterator<Item = (&'a str, &'a Node<'a>)>) -> Self {
        let resources: Vec<(&str, &Node)> = resources.into_iter().collect();
        let at: HashMap<&str, usize> = resources
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let waits_for = resources
            .iter()
            .map(|(_, resource)| {
                let mut targets: Vec<usize> = resources_named(resource)
                    .into_iter()
                    .chain(depends_on(resource))
                    .filter_map(|id| at.get(id).copied())
                    .collect();
                targets.sort_unstable();
                targets.dedup();
                targets
            })
            .collect();
        Self {
            ids: resources.into_iter().map(|(id, _)| id).collect(),
            waits_for,
        }
    }

    /// The graph of `units`: resources that `unit_of` puts in one unit (a nested stack that
    /// serverless-plugin-split-stacks will make) become one node, named by the unit, waiting for
    /// everything its members wait for outside it; the others stay nodes of their own.
    pub(crate) fn grouped(&self, unit_of: &dyn Fn(&str) -> Option<&'a str>) -> Self {
        let names: Vec<&'a str> = self
            .ids
            .iter()
            .map(|id| unit_of(id).unwrap_or(id))
            .collect();
        let mut at: HashMap<&str, usize> = HashMap::default();
        let mut ids = Vec::new();
        let node_of: Vec<usize> = names
            .iter()
            .map(|name| {
                *at.entry(name).or_insert_with(|| {
                    ids.push(*name);
                    ids.len() - 1
                })
            })
            .collect();
        let mut waits_for = vec![Vec::new(); ids.len()];
        for (i, targets) in self.waits_for.iter().enumerate() {
            let node = node_of[i];
            waits_for[node].extend(targets.iter().map(|&t| node_of[t]).filter(|&t| t != node));
        }
        for targets in &mut waits_for {
            targets.sort_unstable();
            targets.dedup();
        }
        Self { ids, waits_for }
    }

    /// Each resource's place in an order CloudFormation could create them in (every resource
    /// after those it waits for); the first cycle found when there is none.
    pub(crate) fn order(&self) -> Result<HashMap<&'a str, usize>, Cycle<'a>> {
        let count = self.ids.len();
        let mut waiting = vec![0usize; count];
        let mut waited_on_by: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, targets) in self.waits_for.iter().enumerate() {
            waiting[i] = targets.len();
            for &target in targets {
                waited_on_by[target].push(i);
            }
        }
        // Kahn's algorithm; ready resources are taken in template order, so the order is stable.
        let mut ready: Vec<usize> = (0..count).rev().filter(|&i| waiting[i] == 0).collect();
        let mut position = HashMap::default();
        while let Some(i) = ready.pop() {
            position.insert(self.ids[i], position.len());
            for &dependent in waited_on_by[i].iter().rev() {
                waiting[dependent] -= 1;
                if waiting[dependent] == 0 {
                    ready.push(dependent);
                }
            }
        }
        if position.len() == count {
            return Ok(position);
        }
        Err(self.cycle_among(|i| waiting[i] > 0))
    }

    /// Every resource left unordered waits for another one left: following those edges from
    /// any of them must come back to a resource already seen.
    fn cycle_among(&self, left: impl Fn(usize) -> bool) -> Cycle<'a> {
        let Some(start) = (0..self.ids.len()).find(|&i| left(i)) else {
            return Cycle(Vec::new());
        };
        let mut seen_at: HashMap<usize, usize> = HashMap::default();
        let mut path = Vec::new();
        let mut current = start;
        while !seen_at.contains_key(&current) {
            seen_at.insert(current, path.len());
            path.push(current);
            match self.waits_for[current].iter().copied().find(|&t| left(t)) {
                Some(next) => current = next,
                None => return Cycle(Vec::new()),
            }
        }
        Cycle(
            path[seen_at[&current]..]
                .iter()
                .map(|&i| self.ids[i])
                .collect(),
        )
    }
}

/// Where a cycle through a function points: `functions.<name>`, by the function's logical ID.
pub(crate) struct FunctionPaths<'a>(HashMap<String, &'a str>);

impl<'a> FunctionPaths<'a> {
    /// `functions`: the service's, as resolved.
    pub(crate) fn new(functions: &'a Map<String, Value>) -> Self {
        Self(
            functions
                .keys()
                .map(|name| (naming::function_logical_id(name), name.as_str()))
                .collect(),
        )
    }

    pub(crate) fn of(&self, logical_id: &str) -> Option<String> {
        Some(format!("functions.{}", self.0.get(logical_id)?))
    }
}

/// The final template's graph has no cycle; a cycle is an error naming it. `origin` gives the
/// config path of a resource in it, where the error points; `stack` names a nested stack.
pub(crate) fn check<'a>(
    resources: impl IntoIterator<Item = (&'a str, &'a Node<'a>)>,
    stack: Option<&str>,
    origin: &dyn Fn(&str) -> Option<String>,
    diagnostics: &mut Diagnostics,
) {
    if let Err(Cycle(ids)) = DependencyGraph::new(resources).order() {
        let path = ids
            .iter()
            .find_map(|id| origin(id))
            .unwrap_or_else(|| format!("resources.Resources.{}", ids[0]));
        diagnostics.push(diag::dependency_cycle(&path, stack, &ids));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    fn graph<'a>(resources: &'a Node<'a>) -> DependencyGraph<'a> {
        DependencyGraph::new(resources.as_object().unwrap().iter())
    }

    #[test]
    fn every_resource_comes_after_what_it_names_however_it_names_it() {
        let resources = node!({
            "Alias": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionVersion": {"Fn::GetAtt": ["Version", "Version"]}},
                      "UpdatePolicy": {"CodeDeployLambdaAliasUpdate": {"DeploymentGroupName": {"Ref": "Group"}}}},
            "Version": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
            "Group": {"Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": {"ServiceRoleArn": {"Fn::GetAtt": "Role.Arn"}}},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::Sub": "${Role.Arn}"}, "Env": {"Ref": "AWS::Region"}}},
            "Role": {"Type": "AWS::IAM::Role"},
            "Later": {"Type": "AWS::SNS::Topic", "DependsOn": "Alias"}
        });
        let order = graph(&resources).order().unwrap();
        for (waits, first) in [
            ("Alias", "Version"),
            ("Alias", "Group"),
            ("Version", "Fn"),
            ("Group", "Role"),
            ("Fn", "Role"),
            ("Later", "Alias"),
        ] {
            assert!(
                order[first] < order[waits],
                "{first} before {waits}: {order:?}"
            );
        }
    }

    #[test]
    fn a_cycle_is_named_in_the_order_its_resources_wait() {
        let resources = node!({
            "Unrelated": {"Type": "AWS::SNS::Topic"},
            "A": {"Type": "T", "Properties": {"X": {"Ref": "B"}}},
            "B": {"Type": "T", "DependsOn": ["C"]},
            "C": {"Type": "T", "Properties": {"X": {"Fn::Sub": ["${A.Arn}-${Var}", {"Var": "v"}]}}}
        });
        assert_eq!(graph(&resources).order(), Err(Cycle(vec!["A", "B", "C"])));
        let mut diagnostics = Diagnostics::default();
        let origin = |id: &str| (id == "B").then(|| "functions.b".to_owned());
        check(
            resources.as_object().unwrap().iter(),
            None,
            &origin,
            &mut diagnostics,
        );
        let diagnostics = diagnostics.into_vec();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code.as_str(), "dependency-cycle");
        assert_eq!(diagnostics[0].path, "functions.b");
        assert!(
            diagnostics[0].message.contains("`A` -> `B` -> `C` -> `A`"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn a_resource_naming_itself_is_a_cycle_a_literal_placeholder_is_not() {
        let itself = node!({"A": {"Type": "T", "Properties": {"X": {"Fn::GetAtt": ["A", "Arn"]}}}});
        assert_eq!(graph(&itself).order(), Err(Cycle(vec!["A"])));
        let literal = node!({"A": {"Type": "T", "Properties": {"X": {"Fn::Sub": "${!A}"}}}});
        assert!(graph(&literal).order().is_ok());
    }
}
