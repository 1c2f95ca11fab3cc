'use strict';

// Issues 19 and 31: a status poll asks AWS in proportion to the deployments in progress, not
// to the canaried functions, and a watch carries what cannot change from one poll to the next.
// The poller `canary:status --watch` and the deploy's progress use (lib/follow.js) against
// moto and the scripted CodeDeploy endpoint, which counts every request; 30 functions that
// have all deployed before, 3 of them shifting now.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { callsPerPoll } = require('../benches/status-calls');

test('a poll reads the targets of the deployments in progress alone, and a watch reads the rest once', async () => {
  const { firstLook, first, later } = await callsPerPoll(3, 30);
  // The deploy's look before its stack update only notes which deployment each group is on.
  assert.deepEqual(firstLook.counts, {
    'CodeDeploy.BatchGetDeploymentGroups': 1,
    'CodeDeploy.BatchGetDeployments': 2,
    'moto.ListStackResources': 1,
  });
  // The first poll of a watch lists the stack and reads the targets of the 3 in progress, and
  // what they served; the predefined config is known by name.
  assert.deepEqual(first.counts, {
    'CodeDeploy.BatchGetDeploymentGroups': 1,
    'CodeDeploy.BatchGetDeployments': 2,
    'CodeDeploy.ListDeploymentTargets': 3,
    'CodeDeploy.BatchGetDeploymentTargets': 3,
    'moto.GetMetricData': 1,
    'moto.ListStackResources': 1,
  });
  // Later ones: the groups not on a deployment in progress (100 to a call), the 3 deployments
  // in one call, their targets and what they served; not the stack.
  assert.deepEqual(later.counts, {
    'CodeDeploy.BatchGetDeploymentGroups': 1,
    'CodeDeploy.BatchGetDeployments': 1,
    'CodeDeploy.ListDeploymentTargets': 3,
    'CodeDeploy.BatchGetDeploymentTargets': 3,
    'moto.GetMetricData': 1,
  });
});

test('with nothing in progress, a later poll is one call whatever the number of functions', async () => {
  const { later } = await callsPerPoll(0, 30);
  assert.deepEqual(later.counts, { 'CodeDeploy.BatchGetDeploymentGroups': 1 });
});
