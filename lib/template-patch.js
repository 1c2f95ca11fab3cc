'use strict';

// Writes the core's plan into the compiled template: the Framework aliases it replaces go,
// patches edit the resources it rewires, and the resources it creates are added. A patch
// copies the objects along its path before editing them, since another resource or another
// plugin may hold the same object; everything off the path stays shared, as it was.

function applyPlan(resources, { patches, removed, created }) {
  for (const logicalId of removed) delete resources[logicalId];
  const copies = new WeakSet();
  const own = (node) => {
    if (copies.has(node)) return node;
    const copy = Array.isArray(node) ? [...node] : { ...node };
    copies.add(copy);
    return copy;
  };
  for (const { resource, path, value } of patches) {
    if (path.length === 0) {
      resources[resource] = value;
      continue;
    }
    resources[resource] = own(resources[resource]);
    let parent = resources[resource];
    for (let i = 0; i < path.length - 1; i += 1) {
      parent[path[i]] = own(parent[path[i]]);
      parent = parent[path[i]];
    }
    const last = path[path.length - 1];
    // Only object keys are ever deleted: a list that changes length is set whole.
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  Object.assign(resources, created);
}

module.exports = { applyPlan };
