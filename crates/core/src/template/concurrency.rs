//! `maxConcurrentDeployments`. CloudFormation updates every alias of a release at once, and
//! each alias update is a CodeDeploy deployment: a service with many canaried functions starts
//! them all together and runs into CodeDeploy's and Lambda's request rates (old plugin issue
//! #159; aws-cdk issue #21516, from 15 Lambda deployment groups in one stack). The aliases are
//! put in N chains, each alias waiting (`DependsOn`) for the one before it in its chain, so at
//! most N deployments run at a time. Chains rather than waves: an alias starts as soon as its
//! predecessor is done, never waiting for the slowest of a wave, and needs one dependency.

use super::graph::DependencyGraph;
use super::index::edit_depends_on;
use super::placement::Placement;
use super::{Changes, FinalTemplate};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::summary;
use crate::template::tree::Node;

/// From this many canaried functions, a release without `maxConcurrentDeployments` is warned
/// about: aws-cdk issue #21516 meets CodeDeploy's request rate with 15 Lambda deployment groups.
const ADVISE_LIMIT_FROM: usize = 15;

/// Puts the aliases of `deploying` in chains of at most `max` deployments at once, each alias
/// waiting for the one before it in its chain: the chains, and what they cost in the log. For
/// a release large enough to meet CodeDeploy's rates without `max`, the advice to set it.
pub(crate) fn limit_concurrency(
    max: Option<u64>,
    deploying: &[Deploying],
    (template, placement): (&Node, Option<&Placement>),
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) -> Option<(String, Vec<Vec<usize>>)> {
    let Some(max) = max else {
        if deploying.len() >= ADVISE_LIMIT_FROM {
            diagnostics.push(diag::many_concurrent_deployments(deploying.len()));
        }
        return None;
    };
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    if deploying.len() <= limit {
        return None;
    }
    let mut chains = chains(deploying, limit);
    // A template with a cycle of its own gets no chains: the final check names that cycle,
    // not one that a chain would run through.
    let stack = changes.final_template(template);
    if !follow_dependencies(&stack, placement, &mut chains, deploying) {
        return None;
    }
    for chain in &chains {
        for pair in chain.windows(2) {
            if let Some(alias) = changes.rewired_mut(deploying[pair[1]].alias_id) {
                wait_for(alias, deploying[pair[0]].alias_id);
            }
        }
    }
    let all_at_once = deploying
        .iter()
        .filter_map(|d| d.minutes)
        .max()
        .unwrap_or(0);
    let line = summary::chains_line(
        limit,
        (deploying.len(), chains.len()),
        (longest_chain_minutes(deploying, &chains), all_at_once),
    );
    Some((line, chains))
}

/// A canaried function's alias and how long its traffic takes to shift.
pub(crate) struct Deploying<'a> {
    pub alias_id: &'a str,
    /// `None` for a deployment config outside the stack.
    pub minutes: Option<u32>,
}

/// The chains, as indexes into `aliases`, each in the order its deployments run. Longest
/// first, each to the chain that ends soonest (LPT scheduling): the release ends within 4/3 of
/// the shortest possible. A config whose length is not known counts as the longest known.
pub(crate) fn chains(aliases: &[Deploying], max: usize) -> Vec<Vec<usize>> {
    let longest = aliases.iter().filter_map(|a| a.minutes).max().unwrap_or(0);
    let minutes = |i: usize| aliases[i].minutes.unwrap_or(longest);
    let mut order: Vec<usize> = (0..aliases.len()).collect();
    // Stable: equal lengths keep the service's order.
    order.sort_by_key(|&i| std::cmp::Reverse(minutes(i)));
    let count = max.clamp(1, aliases.len().max(1));
    let mut chains: Vec<(u32, Vec<usize>)> = vec![(0, Vec::new()); count];
    for i in order {
        // Ties go to the shorter chain: deployments of 0 minutes (AllAtOnce) still take turns.
        let (total, chain) = chains
            .iter_mut()
            .min_by_key(|(total, chain)| (*total, chain.len()))
            .expect("at least one chain");
        *total += minutes(i);
        chain.push(i);
    }
    chains.into_iter().map(|(_, chain)| chain).collect()
}

/// Orders each chain as the template already orders its aliases, so that no `DependsOn` added
/// closes a cycle (an alias waits, through its function, for an alias its function names); with
/// serverless-plugin-split-stacks to come (`placement`), first in the order its nested stacks
/// will have, so that no two of them wait for each other. `false` when the template has a cycle
/// of its own, which no order can follow.
pub(crate) fn follow_dependencies(
    stack: &FinalTemplate,
    placement: Option<&Placement>,
    chains: &mut [Vec<usize>],
    deploying: &[Deploying],
) -> bool {
    let graph = DependencyGraph::new(stack.resources());
    let Ok(order) = graph.order() else {
        return false;
    };
    let stack_of = |id: &str| placement.and_then(|p| p.stack_of(id));
    let stack_order = placement.and_then(|_| graph.grouped(&stack_of).order().ok());
    follow_order(chains, |i| {
        let alias = deploying[i].alias_id;
        let unit = stack_of(alias).unwrap_or(alias);
        let stack_rank = stack_order.as_ref().and_then(|o| o.get(unit).copied());
        (
            stack_rank.unwrap_or(0),
            order.get(alias).copied().unwrap_or(usize::MAX),
        )
    });
    true
}

/// Puts each chain's aliases in `position` order (the order the template's own dependencies
/// give them), so that every `DependsOn` the chains add agrees with it and cannot close a
/// cycle. Which chain an alias is in does not change, so neither does any chain's length.
fn follow_order<K: Ord>(chains: &mut [Vec<usize>], position: impl Fn(usize) -> K) {
    for chain in chains {
        chain.sort_by_key(|&i| position(i));
    }
}

/// Makes `resource` wait for `id`.
pub(crate) fn wait_for(resource: &mut Node, id: &str) {
    edit_depends_on(resource, |ids| {
        if !ids.iter().any(|existing| existing == id) {
            ids.push(Node::String(id.to_owned().into()));
        }
    });
}

/// The minutes of shifting the longest chain adds up to.
pub(crate) fn longest_chain_minutes(aliases: &[Deploying], chains: &[Vec<usize>]) -> u32 {
    chain_minutes(aliases, chains)
        .into_iter()
        .max()
        .unwrap_or(0)
}

/// The minutes of shifting each chain adds up to; a config whose length is not known counts
/// as the longest known, as in [`chains`].
pub(crate) fn chain_minutes(aliases: &[Deploying], chains: &[Vec<usize>]) -> Vec<u32> {
    let longest = aliases.iter().filter_map(|a| a.minutes).max().unwrap_or(0);
    chains
        .iter()
        .map(|chain| {
            chain
                .iter()
                .map(|&i| aliases[i].minutes.unwrap_or(longest))
                .sum()
        })
        .collect()
}

#[cfg(test)]
#[path = "concurrency_tests.rs"]
mod plan_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn deploying(minutes: &[u32]) -> Vec<Deploying<'static>> {
        minutes
            .iter()
            .map(|&m| Deploying {
                alias_id: "A",
                minutes: Some(m),
            })
            .collect()
    }

    #[test]
    fn longest_first_to_the_chain_that_ends_soonest() {
        let aliases = deploying(&[5, 30, 5, 10, 9, 5]);
        let chains = chains(&aliases, 2);
        assert_eq!(chains, [vec![1], vec![3, 4, 0, 2, 5]]);
        assert_eq!(longest_chain_minutes(&aliases, &chains), 34);
    }

    #[test]
    fn deployments_of_no_minutes_still_spread_over_the_chains() {
        let all_at_once = deploying(&[0; 12]);
        let chains = chains(&all_at_once, 4);
        assert!(chains.iter().all(|chain| chain.len() == 3), "{chains:?}");
    }

    #[test]
    fn no_more_chains_than_aliases_and_at_least_one() {
        assert_eq!(chains(&deploying(&[5, 5]), 10).len(), 2);
        assert_eq!(chains(&deploying(&[5, 5, 5]), 0).len(), 1);
        let thirty = deploying(&[5; 30]);
        let ten = chains(&thirty, 10);
        assert!(ten.iter().all(|chain| chain.len() == 3), "{ten:?}");
        assert_eq!(longest_chain_minutes(&thirty, &ten), 15);
    }
}
