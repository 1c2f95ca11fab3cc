'use strict';

// Writes the core's plan into the compiled template: patches edit the resources the plugin
// rewires in place (what else the user wrote in them stays as it is), the Framework aliases
// it replaces go, and the resources it creates are added.

function applyPlan(resources, { patches, removed, created }) {
  for (const { resource, path, value } of patches) {
    if (path.length === 0) {
      resources[resource] = value;
      continue;
    }
    let parent = resources[resource];
    for (let i = 0; i < path.length - 1; i += 1) parent = parent[path[i]];
    const last = path[path.length - 1];
    // Only object keys are ever deleted: a list that changes length is set whole.
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  for (const logicalId of removed) delete resources[logicalId];
  Object.assign(resources, created);
}

module.exports = { applyPlan };
