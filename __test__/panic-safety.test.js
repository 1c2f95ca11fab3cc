'use strict';

// Issue 7: a panic inside the addon reaches JavaScript as an Error with a message and never
// ends the process. `npm test` builds a second addon with the `panic-probe` feature (tests
// only), which panics as it reads any input naming `__panicProbe`; every export is called
// with it.

const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const { REPO } = require('./support/framework');

const PROBE_DIR = path.join(REPO, 'target', 'panic-probe');
const probeFile = () => {
  const file = fs.existsSync(PROBE_DIR) && fs.readdirSync(PROBE_DIR).find((name) => name.endsWith('.node'));
  if (!file) throw new Error(`no panic-probe addon in ${PROBE_DIR}: \`npm test\` builds it (scripts/test.sh)`);
  return path.join(PROBE_DIR, file);
};
const PANIC = JSON.stringify({ __panicProbe: true });
const INTERNAL = /serverless-canary: internal error|panic probe: a deliberate panic inside the addon/;

test('every export turns a panic into an Error with its message, and keeps working', async () => {
  const probe = require(probeFile());
  const sync = ['deployFunctionRefusal', 'deployBypass', 'validateSource', 'checkStacks'];
  const async = ['preflight', 'releaseFacts', 'setAlarmState', 'rollBack', 'deploymentStatus'];
  // Takes a count and reads no input, so no probe reaches it: it answers nothing, and a
  // value that is not a count is an Error, not a crash.
  const countOnly = ['preparePlan'];
  // A plan reads its input and its template on a thread of its own: a panic there is an
  // Error when it finishes. A cancelled plan reads no more.
  const twoSteps = ['startPlan', 'finishPlan', 'cancelPlan'];
  // Every export is listed here: a new one is probed too, or says why it cannot be.
  assert.deepEqual(Object.keys(probe).sort(), [...sync, ...async, ...countOnly, ...twoSteps].sort());
  assert.equal(probe.preparePlan(3), undefined);
  assert.throws(() => probe.preparePlan(PANIC), Error);
  const planInput = JSON.stringify({ stage: 'dev', stackName: 'svc-dev', functions: {} });
  for (const [input, template] of [[PANIC, '{}'], [planInput, PANIC]]) {
    assert.throws(() => probe.finishPlan(probe.startPlan(input), template), /^Error: serverless-canary: internal error, please report it with the command that caused it: panic probe/);
  }
  assert.throws(() => probe.finishPlan({}, '{}'), Error);
  assert.equal(probe.cancelPlan(probe.startPlan(PANIC)), undefined);
  for (const name of sync) {
    assert.throws(() => probe[name](PANIC), (error) => error instanceof Error && /panic probe: a deliberate panic inside the addon/.test(error.message), name);
  }
  for (const name of async) {
    await assert.rejects(probe[name](PANIC), (error) => error instanceof Error && INTERNAL.test(error.message) && /panic probe/.test(error.message), name);
  }
  // Still alive, and the addon still answers, plans included.
  const report = JSON.parse(probe.validateSource(JSON.stringify({ file: 'serverless.yml', text: 'service: x\n' })));
  assert.equal(report.errors, 0);
  const answer = JSON.parse(probe.finishPlan(probe.startPlan(planInput), '{"Resources": {}}'));
  assert.equal(answer.errorReport, null);
});

test('a panic in an async export does not take down the process that awaited it', () => {
  const script = `
    const probe = require(${JSON.stringify(probeFile())});
    probe.deploymentStatus(${JSON.stringify(PANIC)}).then(
      () => { console.log('resolved'); process.exit(3); },
      (error) => { console.log('rejected: ' + error.message); setTimeout(() => console.log('still alive'), 50); }
    );`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^rejected: serverless-canary: internal error, please report it with the command that caused it: panic probe/m);
  assert.match(run.stdout, /still alive/);
});
