'use strict';

// Issue 6: `sls canary:alarm --state ALARM|OK` sets the canary's attached alarms, the rollback
// rehearsal, and `sls canary:rollback` stops a deployment in progress with rollback, against
// moto and a scripted CodeDeploy endpoint on loopback.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { frameworkEnv, runFramework, copyFixture } = require('./support/framework');
const { startMoto, createStack, putAlarm, query } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');

/** The example with two alarms outside the stack on `hello`, and an uncanaried `plain`. */
const service = () =>
  copyFixture('example', (text) =>
    text
      .replace(/alarms:\n\s+- name: CanaryCheck.*\n(\s{10}.*\n)*/, 'alarms:\n        - {name: rehearsal-errors}\n        - {name: rehearsal-latency}\n')
      .replace(/^functions:\n/m, 'functions:\n  plain:\n    handler: handler.hello\n')
  );

const stateOf = async (endpoint, name) => {
  const xml = await query(endpoint, 'monitoring', { Action: 'DescribeAlarms', Version: '2010-08-01', 'AlarmNames.member.1': name });
  return /<StateValue>(\w+)<\/StateValue>/.exec(xml)[1];
};

describe('sls canary:alarm against loopback AWS', () => {
  let moto;
  let dir;
  const run = (args) => runFramework(['canary:alarm', ...args], { cwd: dir, env: frameworkEnv(moto.env) });
  before(async () => {
    moto = await startMoto();
    await putAlarm(moto.endpoint, 'rehearsal-errors', 'OK');
    await putAlarm(moto.endpoint, 'rehearsal-latency', 'OK');
    dir = service();
  });
  after(() => moto.stop());

  test('--state ALARM sets every attached alarm and says which', async () => {
    const { code, stdout, output } = await run(['--state', 'ALARM', '--reason', 'rehearsal']);
    assert.equal(code, 0, output);
    assert.deepEqual(stdout.trim().split('\n'), [
      'serverless-canary: alarm rehearsal-errors is now ALARM (functions.hello.deploymentSettings.alarms[0])',
      'serverless-canary: alarm rehearsal-latency is now ALARM (functions.hello.deploymentSettings.alarms[1])',
    ]);
    assert.equal(await stateOf(moto.endpoint, 'rehearsal-errors'), 'ALARM');
    assert.equal(await stateOf(moto.endpoint, 'rehearsal-latency'), 'ALARM');
  });

  test('--state OK --function hello puts them back', async () => {
    const { code, output } = await run(['--state', 'OK', '--function', 'hello']);
    assert.equal(code, 0, output);
    assert.equal(await stateOf(moto.endpoint, 'rehearsal-errors'), 'OK');
  });

  test('a function without settings, or an unknown state, is refused with the fix', async () => {
    const plain = await run(['--state', 'ALARM', '--function', 'plain']);
    assert.equal(plain.code, 1);
    assert.match(plain.output, /error\[not-canaried\] --function: `plain` has no deploymentSettings/);
    const state = await run(['--state', 'ALARMED']);
    assert.equal(state.code, 1);
    assert.match(state.output, /`ALARMED` is not a state an alarm can be set to here \(did you mean `ALARM`\?\)/);
    assert.equal(await stateOf(moto.endpoint, 'rehearsal-errors'), 'OK', 'nothing was set');
  });
});

describe('sls canary:rollback against loopback AWS', () => {
  let moto;
  let codedeploy;
  let dir;
  const run = (args) =>
    runFramework(['canary:rollback', ...args], {
      cwd: dir,
      env: frameworkEnv({ ...moto.env, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint }),
    });
  before(async () => {
    moto = await startMoto();
    // fixtures/example deploys as stack canary-example-dev; `hello` has a deployment running.
    await createStack(moto.endpoint, 'canary-example-dev', { CanaryexampledevDeploymentApplication: 'canary-example-dev-app' });
    codedeploy = await startScriptedCodeDeploy({ inProgress: { 'canary-example-dev-HelloLambdaFunctionDeploymentGroup': ['d-HELLO1'] } });
    dir = service();
  });
  after(() => {
    moto.stop();
    codedeploy.stop();
  });

  test('stops the deployment in progress with automatic rollback and says so', async () => {
    const { code, stdout, output } = await run([]);
    assert.equal(code, 0, output);
    assert.equal(
      stdout.trim(),
      'serverless-canary: functions.hello: deployment d-HELLO1 stopped with rollback (Pending: Stopping deployment; rolling back to the previous version)'
    );
    assert.deepEqual(codedeploy.stopped, [{ deploymentId: 'd-HELLO1', autoRollbackEnabled: true }]);
  });

  test('another stage with nothing deployed is one clear error', async () => {
    const { code, output } = await run(['--stage', 'prod']);
    assert.equal(code, 1);
    assert.match(output, /stack `canary-example-prod` has no CodeDeploy application in us-east-1/);
  });
});
