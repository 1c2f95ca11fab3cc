'use strict';

// Issue 6: `sls canary:status [--watch] [--json]` against moto (the stack, the alarms) and the
// scripted CodeDeploy endpoint, which plays each deployment through its states as it is polled:
// a shift that succeeds, the seed's rehearsal (an alarm set to ALARM rolls the canary back) and
// a rollback asked for with `sls canary:rollback`. Each test has a stage of its own (its stack,
// its deployment, its alarm), so none depends on what another did; the time left is checked
// against a shift reported as begun 60 s before each answer and the command's own duration, so
// a busy machine's slow answers cannot fail it.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { frameworkEnv, runFramework, copyFixture } = require('./support/framework');
const { startMoto, createStack, putAlarm } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');

const GROUP = (stage) => `canary-example-${stage}-HelloLambdaFunctionDeploymentGroup`;
const APPLICATION = (stage) => [`Canaryexample${stage}DeploymentApplication`, `canary-example-${stage}-app`];

const ALARM = (stage) => `hello-${stage}-errors`;

/** A command's result, with how many seconds it took. */
async function timed(command) {
  const started = Date.now();
  const result = await command();
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

/**
 * The time left of a 5-minute canary whose shift each answer reports as begun 60 s before it:
 * 4 minutes, less whatever passed between that answer and the report, which is within the
 * command's own run (whole seconds on both clocks, so at most its duration rounded up).
 */
function assertShiftLeft(secondsLeft, commandSeconds) {
  assert.ok(secondsLeft <= 240 && secondsLeft >= 240 - Math.ceil(commandSeconds), `${secondsLeft} s left after a ${commandSeconds} s command`);
}
/** The example with each stage's alarm outside the stack, so moto holds its state. */
const service = () =>
  copyFixture('example', (text) => text.replace(/alarms:\n\s+- name: CanaryCheck.*\n(\s{10}.*\n)*/, 'alarms:\n        - {name: "hello-${sls:stage}-errors"}\n'));

describe('sls canary:status against loopback AWS', () => {
  let moto;
  let codedeploy;
  let dir;
  const run = (command, args) =>
    runFramework([command, ...args], {
      cwd: dir,
      env: frameworkEnv({ ...moto.env, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint, SLS_CANARY_POLL_INTERVAL: '0.1' }),
    });

  before(async () => {
    moto = await startMoto();
    const stages = ['dev', 'json', 'ship', 'rehearse', 'stop', 'fresh'];
    for (const stage of stages) {
      const [logical, physical] = APPLICATION(stage);
      await createStack(moto.endpoint, `canary-example-${stage}`, { [logical]: physical });
      await putAlarm(moto.endpoint, ALARM(stage), 'OK');
    }
    const play = (stage, extra) => ({ group: GROUP(stage), id: `d-${stage.toUpperCase()}`, previous: 'd-OLD', alarms: [ALARM(stage)], alarmsAt: moto.endpoint, ...extra });
    codedeploy = await startScriptedCodeDeploy({
      deployments: [
        play('dev', { hold: true, shiftAge: 60 }),
        play('json', { hold: true, shiftAge: 60 }),
        play('ship', { canaryPolls: 3 }),
        play('rehearse', { hold: true }),
        play('stop', { hold: true }),
      ],
    });
    dir = service();
  });
  after(() => {
    moto.stop();
    codedeploy.stop();
  });

  test('shows the deployment in progress: traffic split, time left, hooks, alarms', async () => {
    // The first poll finds it starting, the next at 10%.
    await run('canary:status', []);
    const { code, stdout, output, seconds } = await timed(() => run('canary:status', []));
    assert.equal(code, 0, output);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0], /^hello: deployment d-DEV InProgress \(Canary10Percent5Minutes\), created \d{4}-\d\d-\d\dT[\d:]+Z$/);
    const [, minutes, secs] = lines[1].match(/^ {2}traffic {2}10% on version 2, 90% on version 1 through alias Live, (\d)m (\d\d)s left$/) || assert.fail(lines[1]);
    assertShiftLeft(Number(minutes) * 60 + Number(secs), seconds);
    assert.equal(lines[2], '  hooks    BeforeAllowTraffic Succeeded · AllowTraffic InProgress · AfterAllowTraffic Pending');
    assert.equal(lines[3], '  alarms   hello-dev-errors OK');
    assert.equal(lines.length, 4, output);
  });

  test('--json is the whole report, for CI', async () => {
    await run('canary:status', ['--stage', 'json']);
    const { code, stdout, output, seconds } = await timed(() => run('canary:status', ['--json', '--stage', 'json']));
    assert.equal(code, 0, output);
    const report = JSON.parse(stdout);
    const [hello] = report.functions;
    assert.equal(hello.function, 'hello');
    assert.equal(hello.outcome, 'inProgress');
    assert.equal(hello.deployment.id, 'd-JSON');
    assert.deepEqual(hello.deployment.routing, { type: 'canary', percent: 10, minutes: 5 });
    assert.equal(hello.deployment.traffic.newPercent, 10);
    assertShiftLeft(hello.deployment.secondsLeft, seconds);
    assert.deepEqual(hello.alarms, [{ path: 'functions.hello.deploymentSettings.alarms[0]', name: 'hello-json-errors', state: 'OK' }]);
    assert.deepEqual(report.diagnostics, []);
  });

  test('--watch follows a shift to its end and exits 0', async () => {
    const { code, stdout, output } = await run('canary:status', ['--watch', '--stage', 'ship']);
    assert.equal(code, 0, output);
    assert.deepEqual(stdout.trim().split('\n').map((line) => line.replace(/, \dm \d\ds left/, ', <time> left')), [
      'serverless-canary: hello: deployment d-SHIP running BeforeAllowTraffic hook · no alarm firing',
      'serverless-canary: hello: 10% on version 2, 90% on version 1, <time> left · no alarm firing',
      'serverless-canary: hello: deployment d-SHIP running AfterAllowTraffic hook · no alarm firing',
      'serverless-canary: hello: shifted to version 2 (Canary10Percent5Minutes, deployment d-SHIP succeeded)',
    ]);
  });

  test("the seed's rehearsal: canary:alarm --state ALARM, and --watch sees the rollback and exits 1", async () => {
    const first = await run('canary:status', ['--stage', 'rehearse']);
    assert.equal(first.code, 0, first.output);
    const alarm = await run('canary:alarm', ['--state', 'ALARM', '--stage', 'rehearse']);
    assert.equal(alarm.code, 0, alarm.output);
    assert.match(alarm.stdout, /alarm hello-rehearse-errors is now ALARM/);
    const { code, stdout, output } = await run('canary:status', ['--watch', '--stage', 'rehearse']);
    assert.equal(code, 1, output);
    // CodeDeploy rolls back with a deployment of its own: followed until traffic is back.
    assert.deepEqual(stdout.trim().split('\n').slice(0, 2), [
      'serverless-canary: hello: rolling back to version 1 because alarm hello-rehearse-errors fired (deployment d-REHEARSE stopped, rollback d-REHEARSER in progress)',
      'serverless-canary: hello: rolled back to version 1 because alarm hello-rehearse-errors fired (deployment d-REHEARSE stopped)',
    ]);
    assert.match(output, /serverless-canary: the deployment of hello did not succeed \(above\)/);
  });

  test('canary:rollback stops it; --watch says it was stopped on request', async () => {
    const rollback = await run('canary:rollback', ['--stage', 'stop']);
    assert.equal(rollback.code, 0, rollback.output);
    assert.match(rollback.stdout, /functions\.hello: deployment d-STOP stopped with rollback/);
    const { code, stdout } = await run('canary:status', ['--watch', '--stage', 'stop', '--json']);
    assert.equal(code, 1);
    const [hello] = JSON.parse(stdout).functions;
    assert.equal(hello.outcome, 'rolledBack');
    assert.equal(hello.summary, 'hello: rolled back to version 1 because it was stopped on request (deployment d-STOP stopped)');
    assert.deepEqual(hello.deployment.error, { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user' });
    assert.deepEqual(hello.rollback, { id: 'd-STOPR', status: 'Succeeded' });
  });

  test('a bad --interval is refused before anything is asked', async () => {
    const { code, output } = await run('canary:status', ['--watch', '--interval', '0']);
    assert.equal(code, 1);
    assert.match(output, /the poll interval `0` is not a number of seconds from 0\.1 to 3600/);
  });

  test('a group that never deployed, and a stage not deployed, each say so', async () => {
    const fresh = await run('canary:status', ['--watch', '--stage', 'fresh']);
    assert.equal(fresh.code, 0, fresh.output);
    assert.equal(fresh.stdout.trim(), 'serverless-canary: hello: no deployment yet');
    const missing = await run('canary:status', ['--stage', 'nowhere']);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /stack `canary-example-nowhere` has no CodeDeploy application in us-east-1/);
  });
});
