//! The CodeDeploy side of a status poll: for each group, the deployment of its release and the
//! one rolling it back, with what says how traffic moves. A poll costs calls in proportion to
//! the deployments in progress, not to the groups: those are asked about 100 to a call and
//! described 25 to a call, and only a deployment in progress, or one whose failure's message
//! needs it, has its Lambda target read (two calls each).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures_util::join;

use super::bounded::InFlight;
use super::deployment_configs::{self, Routing};
use super::deployment_facts::{DeploymentFacts, Settled, SettledDeployment, TargetFacts};
use super::deployments;
use super::failure::Failures;
use super::poll_memory::PollMemory;
use super::status::{Checks, Rollback};

/// Per group: the deployment of its release and the one rolling it back, with the Lambda
/// targets and configs that say how traffic moves; and what the next poll of a watch needs.
#[derive(Default)]
pub(crate) struct Releases {
    pub subjects: HashMap<String, DeploymentFacts>,
    pub rollbacks: HashMap<String, Rollback>,
    pub targets: HashMap<String, TargetFacts>,
    pub routings: BTreeMap<String, Routing>,
    /// Everything but the stack, which the caller reads.
    pub memory: PollMemory,
}

/// Where the poll stands: what an earlier poll of the same watch read, and whether it is the
/// deploy's look before its stack update, which only needs to know which deployment each
/// group is on: it reads no target.
pub(crate) struct Known<'a> {
    pub memory: &'a PollMemory,
    pub first_look: bool,
}

/// Four rounds of calls, each sent together within the poll's `limit`: which deployment each
/// group is on (only the groups not known to be on one in progress); those deployments, but
/// the ones `known` has read to their end; the deployments they roll back or that roll them
/// back; then, side by side, the targets that are needed and the custom configs not read yet.
pub(crate) async fn releases(
    client: &aws_sdk_codedeploy::Client,
    limit: &InFlight,
    application: &str,
    groups: &BTreeMap<&str, Checks>,
    known: Known<'_>,
    failures: &mut Failures,
) -> Releases {
    let memory = known.memory;
    let settled = &memory.settled;
    let to_ask: BTreeSet<&str> = groups
        .keys()
        .filter(|group| !memory.in_progress.contains_key(**group))
        .copied()
        .collect();
    // The last attempted deployment is the one in progress while there is one.
    let (last, last_failures) =
        deployments::last_attempted(client, limit, application, &to_ask).await;
    let current: HashMap<&str, &str> = groups
        .keys()
        .filter_map(|group| {
            let id = last
                .get(*group)
                .or_else(|| memory.in_progress.get(*group))?;
            Some((*group, id.as_str()))
        })
        .collect();
    let ids = not_settled(settled, current.values().copied());
    let (mut infos, info_failures) = deployments::describe(client, limit, &ids).await;
    for (id, read) in &settled.0 {
        infos.insert(id.clone(), read.info.clone());
    }
    let (subject_ids, rollback_ids) = subjects_and_rollbacks(&current, &infos);
    let missing: BTreeSet<&str> = subject_ids
        .values()
        .chain(rollback_ids.values())
        .map(String::as_str)
        .filter(|id| !infos.contains_key(*id))
        .collect();
    let (more, more_failures) = deployments::describe(client, limit, &missing).await;
    infos.extend(more);

    let needs_target = |group: &str, id: &str| -> bool {
        let Some(info) = infos.get(id) else {
            return false;
        };
        if known.first_look {
            return false;
        }
        if !info.has_ended() || memory.was_in_progress(id) {
            // In progress, or just ended under this watch's eyes: its last line says where
            // the traffic went and which hooks ran.
            return true;
        }
        let rollback = rollback_ids.get(group).and_then(|id| infos.get(id));
        let checks = groups.get(group).copied().unwrap_or_default();
        told_only_by_its_target(info, rollback, checks)
    };
    let unread: BTreeSet<&str> = subject_ids
        .iter()
        .filter(|(group, id)| !settled.0.contains_key(*id) && needs_target(group, id))
        .map(|(_, id)| id.as_str())
        .collect();
    let config_names: BTreeSet<&str> = subject_ids
        .values()
        .filter_map(|id| infos.get(id)?.config.as_deref())
        .collect();
    let ((mut targets, target_failures), (routings, routing_failures)) = join!(
        deployments::lambda_targets(client, limit, &unread),
        deployment_configs::routings(client, limit, &config_names, &memory.routings),
    );
    for failure in [
        last_failures,
        info_failures,
        more_failures,
        target_failures,
        routing_failures,
    ]
    .into_iter()
    .flatten()
    {
        failures.add(failure);
    }

    let mut out = Releases::default();
    let ended = |id: &String| infos.get(id).filter(|info| info.has_ended()).cloned();
    for (group, id) in &subject_ids {
        if let Some(read) = settled.0.get(id) {
            out.memory.settled.0.insert(id.clone(), read.clone());
            if let Some(target) = &read.target {
                targets.insert(id.clone(), target.clone());
            }
            continue;
        }
        // A target that was needed and could not be read is asked for again next time.
        let target = targets.get(id).cloned();
        let complete = target.is_some() || !needs_target(group, id);
        if let Some(info) = ended(id).filter(|_| complete) {
            let read = SettledDeployment { info, target };
            out.memory.settled.0.insert(id.clone(), read);
        }
    }
    // A rollback's own target is never read: the release it rolls back is what is shown.
    for id in rollback_ids.values() {
        if let Some(info) = ended(id) {
            let read = SettledDeployment { info, target: None };
            out.memory.settled.0.insert(id.clone(), read);
        }
    }
    for (group, id) in &current {
        if infos.get(*id).is_some_and(|info| !info.has_ended()) {
            out.memory
                .in_progress
                .insert(group.to_string(), id.to_string());
        }
    }
    out.memory.routings = deployment_configs::custom(&routings);
    for (group, id) in subject_ids {
        if let Some(info) = infos.get(&id) {
            out.subjects.insert(group.to_owned(), info.clone());
        }
    }
    for (group, id) in rollback_ids {
        let status = infos
            .get(&id)
            .map_or_else(String::new, |info| info.status.clone());
        out.rollbacks
            .insert(group.to_owned(), Rollback { id, status });
    }
    out.targets = targets;
    out.routings = routings;
    out
}

/// Group -> the deployment of its release, and group -> the one rolling it back: a rollback
/// deployment stands for the release it rolled back; a rolled back release names its rollback.
fn subjects_and_rollbacks<'g>(
    current: &HashMap<&'g str, &str>,
    infos: &HashMap<String, DeploymentFacts>,
) -> (HashMap<&'g str, String>, HashMap<&'g str, String>) {
    let mut subject_ids = HashMap::new();
    let mut rollback_ids = HashMap::new();
    for (group, id) in current {
        let info = infos.get(*id);
        match info.and_then(|info| info.rolls_back.clone()) {
            Some(triggering) => {
                subject_ids.insert(*group, triggering);
                rollback_ids.insert(*group, id.to_string());
            }
            None => {
                subject_ids.insert(*group, id.to_string());
                if let Some(rollback) = info.and_then(|info| info.rolled_back_by.clone()) {
                    rollback_ids.insert(*group, rollback);
                }
            }
        }
    }
    (subject_ids, rollback_ids)
}

/// Whether a release that has ended needs its Lambda target to be told: one that succeeded
/// does not (all traffic is on the new version). One that did not does where traffic may
/// still be split (no rollback has brought it all back), and where a check of the plugin's,
/// run in a hook, may be why it stopped (CodeDeploy's error names an alarm or a stop on
/// request itself).
fn told_only_by_its_target(
    info: &DeploymentFacts,
    rollback: Option<&DeploymentFacts>,
    checks: Checks,
) -> bool {
    if info.status == "Succeeded" {
        return false;
    }
    let traffic_back = rollback.is_some_and(|rollback| rollback.status == "Succeeded");
    let told_by_error = info
        .error
        .as_ref()
        .is_some_and(|(code, _)| code == "ALARM_ACTIVE" || code == "MANUAL_STOP");
    let by_a_check = (checks.smoke_test || checks.traffic_guard) && !told_by_error;
    !traffic_back || by_a_check
}

/// The deployments of `ids` an earlier poll has not already read to their end.
fn not_settled<'i>(known: &Settled, ids: impl Iterator<Item = &'i str>) -> BTreeSet<&'i str> {
    ids.filter(|id| !known.0.contains_key(*id)).collect()
}

#[cfg(test)]
#[path = "releases_tests.rs"]
mod tests;
