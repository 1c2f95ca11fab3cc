//! What a poll of a watch (`canary:status --watch`, the deploy's progress) hands its next poll,
//! through JavaScript, so that each poll asks AWS only what may have changed since: a
//! deployment that has ended cannot change, CodeDeploy cannot change a config, and the stack's
//! resources stay as they were found. What was not found is looked for again: the deploy's own
//! stack update may be creating it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::deployment_configs::Routing;
use super::deployment_facts::Settled;
use super::stack::PhysicalIds;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PollMemory {
    /// The deployments read to their end.
    pub settled: Settled,
    /// Group -> the deployment it was on, then in progress. CodeDeploy runs one deployment at a
    /// time in a group: until that one ends (which describing it says, with what rolls it
    /// back), the group is not asked which deployment it is on.
    pub in_progress: BTreeMap<String, String>,
    /// Logical -> physical ID of each stack resource a poll looks up, once all were found.
    pub stack: Option<PhysicalIds>,
    /// The custom deployment configs read, by name.
    pub routings: BTreeMap<String, Routing>,
}

impl PollMemory {
    /// The physical IDs of `wanted`, when an earlier poll found every one of them.
    pub(crate) fn stack_for(&self, wanted: &BTreeSet<&str>) -> Option<&PhysicalIds> {
        self.stack
            .as_ref()
            .filter(|known| wanted.iter().all(|id| known.contains_key(*id)))
    }

    /// Whether the last poll saw the deployment `id` in progress.
    pub(crate) fn was_in_progress(&self, id: &str) -> bool {
        self.in_progress.values().any(|known| known == id)
    }
}
