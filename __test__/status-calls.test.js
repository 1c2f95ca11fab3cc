'use strict';

// Issue 19: a watch's poll asks AWS in proportion to the deployments in progress, not to the
// canaried functions. The poller `canary:status --watch` and the deploy's progress use
// (lib/follow.js) against moto and the scripted CodeDeploy endpoint, which counts every
// request; 30 functions that have all deployed before, 3 of them shifting now.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { callsPerPoll } = require('../benches/status-calls');

test('after the first poll, a watch reads only the deployments in progress', async () => {
  const { firstLook, first, later } = await callsPerPoll(3, 30);
  // The deploy's look before its stack update reads only the targets of those in progress.
  assert.equal(firstLook.counts['CodeDeploy.ListDeploymentTargets'], 3, JSON.stringify(firstLook.counts));
  // The first poll reads every function's last deployment and its target.
  assert.equal(first.counts['CodeDeploy.ListDeploymentTargets'], 30, JSON.stringify(first.counts));
  assert.equal(first.counts['CodeDeploy.BatchGetDeploymentTargets'], 30, JSON.stringify(first.counts));
  assert.equal(first.counts['CodeDeploy.BatchGetDeployments'], 2, JSON.stringify(first.counts));
  // Later ones: the groups (100 to a call), the 3 deployments in one call, their targets,
  // the config and the stack.
  assert.deepEqual(later.counts, {
    'CodeDeploy.BatchGetDeploymentGroups': 1,
    'CodeDeploy.BatchGetDeployments': 1,
    'CodeDeploy.ListDeploymentTargets': 3,
    'CodeDeploy.BatchGetDeploymentTargets': 3,
    'CodeDeploy.GetDeploymentConfig': 1,
    'moto.ListStackResources': 1,
  });
});

test('with nothing in progress, a later poll is a few calls whatever the number of functions', async () => {
  const { later } = await callsPerPoll(0, 30);
  assert.deepEqual(later.counts, {
    'CodeDeploy.BatchGetDeploymentGroups': 1,
    'CodeDeploy.GetDeploymentConfig': 1,
    'moto.ListStackResources': 1,
  });
});
