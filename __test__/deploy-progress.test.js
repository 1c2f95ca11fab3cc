'use strict';

// Issue 6: while `serverless deploy` waits on CloudFormation, the plugin shows each canary's
// progress and ends with a final line per function; `--no-canary-progress` turns it off, and a
// progress poller that cannot reach AWS is one warning, never a failed deploy. The deploy is the
// real Framework against moto, through the scripted endpoint: it starts the deployment when the
// stack update begins, plays it as it is polled, and like CloudFormation answers the update only
// once the deployment has ended, failing it when the deployment did not succeed.

const fs = require('node:fs');
const path = require('node:path');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { frameworkEnv, runFramework, copyFixture } = require('./support/framework');
const { startMoto, putAlarm, unreachableEndpoint } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');

const STAGES = ['ship', 'alarm', 'quiet', 'broken', 'osls', 'flaky', 'late', 'refused', 'silent', 'bypass'];
/** A stage whose stack has no alias yet: the deploy creates it, and no deployment runs. */
const FIRST = 'first';
/** What goes wrong, by stage (see `playDeployment`). */
const FAULTS = { flaky: { failAfterPolls: 1 }, refused: { failsUpdate: true }, silent: { hangs: true, followed: false } };
/** Stages whose deploy polls nothing while the stack updates: progress off, AWS unreachable, polls too rare. */
const UNFOLLOWED = { quiet: { followed: false }, broken: { followed: false }, late: { followed: false } };
/** Polls too rare to see anything before the stack update ends: only the last look can. */
const RARELY = { SLS_CANARY_POLL_INTERVAL: '600' };
const GROUP = (stage) => `canary-example-${stage}-HelloLambdaFunctionDeploymentGroup`;

/**
 * The example as moto can deploy it: no API (moto's CloudFormation has no AWS::Lambda::Alias,
 * so a permission on it cannot be created), and an alarm per stage outside the stack, so moto
 * holds its state.
 *
 * What these deploys exercise of the generated template: the deployment group (its name, its
 * config and whether its alarms are on, which the scripted endpoint reads from the template the
 * stack update carries), the group's alarm by name, and the alias whose update starts the
 * deployment. Not exercised here: the routing of events through the alias and the inline
 * alarm; packaging tests check those on the full example (package.test.js, events.test.js,
 * routing-oracle.test.js).
 */
function service() {
  const dir = copyFixture('example', (text) =>
    text
      .replace('  - serverless-canary', '  - ./loopback-aws.js\n  - serverless-canary')
      .replace('provider:\n', 'configValidationMode: off\nprovider:\n')
      .replace(/ {4}events:\n( {6}.*\n)+/, '')
      .replace(/alarms:\n\s+- name: CanaryCheck.*\n(\s{10}.*\n)*/, 'alarms:\n        - {name: "hello-${sls:stage}-errors"}\n')
  );
  fs.copyFileSync(path.join(__dirname, 'support', 'loopback-aws.js'), path.join(dir, 'loopback-aws.js'));
  return dir;
}

describe('serverless deploy shows canary progress', { concurrency: true }, () => {
  let moto;
  let codedeploy;
  // Each deploy packages in a folder of its own: they run at once, and packaging writes .serverless.
  const deploy = (stage, args = [], env = {}, framework = 'serverless') =>
    runFramework(['deploy', '--stage', stage, ...args], {
      framework,
      cwd: service(),
      env: frameworkEnv({
        ...moto.env,
        // Everything goes through the scripted endpoint: CodeDeploy it answers, the rest it
        // passes to moto, holding stack updates while their deployments run.
        AWS_ENDPOINT_URL: codedeploy.endpoint,
        SLS_CANARY_POLL_INTERVAL: '0.2',
        ...env,
      }),
    });
  /** What the plugin said about `hello` after packaging's summary line. */
  const canaryLines = (output) => {
    const lines = output.split('\n').filter((line) => line.startsWith('serverless-canary: hello:'));
    assert.equal(lines[0], 'serverless-canary: hello: Canary10Percent5Minutes through alias `Live` (HelloLambdaFunctionDeploymentGroup, 1 alarm)');
    return lines.slice(1);
  };

  before(async () => {
    moto = await startMoto();
    for (const stage of [...STAGES, FIRST]) await putAlarm(moto.endpoint, `hello-${stage}-errors`, 'OK');
    await putAlarm(moto.endpoint, 'hello-alarm-errors', 'ALARM');
    // The incident the bypassed fix is for: its alarm fires before and during the deploy.
    await putAlarm(moto.endpoint, 'hello-bypass-errors', 'ALARM');
    codedeploy = await startScriptedCodeDeploy({
      // Each starts with its stack's update, which waits on it as CloudFormation does.
      deployments: STAGES.map((stage) => ({
        group: GROUP(stage),
        id: `d-${stage.toUpperCase()}`,
        previous: 'd-OLD',
        startsWithUpdate: true,
        ...FAULTS[stage],
        ...UNFOLLOWED[stage],
        alarms: [`hello-${stage}-errors`],
        alarmsAt: moto.endpoint,
      })),
      proxyTo: moto.endpoint,
      // Deployed before with the canary: the application and the alias exist; FIRST has only
      // the application (another function's canary, say), so its alias is new.
      stackResources: Object.fromEntries(
        [...STAGES, FIRST].map((stage) => [
          `canary-example-${stage}`,
          {
            [`Canaryexample${stage}DeploymentApplication`]: `canary-example-${stage}-app`,
            ...(stage === FIRST ? {} : { HelloLambdaFunctionAliasLive: `canary-example-${stage}-hello-live` }),
          },
        ])
      ),
    });
  });
  after(() => {
    moto.stop();
    codedeploy.stop();
  });

  test('each step of the shift, then the final line', async () => {
    const { code, output } = await deploy('ship');
    assert.equal(code, 0, output);
    assert.deepEqual(
      canaryLines(output).map((line) => line.replace(/, \dm \d\ds left/, ', <time> left')),
      [
        'serverless-canary: hello: deployment d-SHIP running BeforeAllowTraffic hook · no alarm firing',
        'serverless-canary: hello: 10% on version 2, 90% on version 1, <time> left · no alarm firing',
        'serverless-canary: hello: deployment d-SHIP running AfterAllowTraffic hook · no alarm firing',
        'serverless-canary: hello: shifted to version 2 (Canary10Percent5Minutes, deployment d-SHIP succeeded)',
      ],
      output
    );
    assert.match(output, /Service deployed to stack canary-example-ship/);
  });

  test('an alias the deploy creates is a first release, said before CloudFormation starts', async () => {
    const { code, output } = await deploy(FIRST, ['--verbose']);
    assert.equal(code, 0, output);
    assert.deepEqual(canaryLines(output), [
      'serverless-canary: hello: first release through alias `Live`: gradual shifting starts with the next deploy (CloudFormation creates the alias on the new version, so there is no older one to shift from)',
    ]);
    assert.ok(output.indexOf('first release through alias') < output.indexOf('Service deployed'), output);
    assert.doesNotMatch(output, /no deployment ran/);
  });

  // Issue 20: the fix ships at once although the incident's alarm fires; the deploy says so
  // before the stack update, and the group CodeDeploy ran it with carries the record.
  test('--canary-bypass ships at once past a firing alarm, and says so', async () => {
    const { code, output } = await deploy('bypass', ['--canary-bypass']);
    assert.equal(code, 0, output);
    const lines = output.split('\n').filter((line) => line.startsWith('serverless-canary: '));
    const notice =
      'serverless-canary: this deploy bypasses the canary (--canary-bypass): hello shift all at once, no alarm is consulted, hooks run; ' +
      'CodeDeploy records it as the tag `serverless-canary:bypass` on each deployment group';
    assert.deepEqual(lines.filter((line) => line.includes('hello')), [
      'serverless-canary: hello: AllAtOnce (--canary-bypass; Canary10Percent5Minutes without it) through alias `Live` (HelloLambdaFunctionDeploymentGroup, 1 alarm)',
      notice,
      'serverless-canary: hello: deployment d-BYPASS running BeforeAllowTraffic hook · alarm hello-bypass-errors firing',
      // No step at 10%: the group shifts all at once, and CodeDeploy does not read the alarm.
      'serverless-canary: hello: deployment d-BYPASS running AfterAllowTraffic hook · alarm hello-bypass-errors firing',
      'serverless-canary: hello: shifted to version 2 (AllAtOnce, deployment d-BYPASS succeeded)',
    ]);
    assert.match(output, /Warning: serverless-canary: serverless\.yml:\d+:\d+: warning\[canary-bypassed\] functions\.hello\.deploymentSettings: `--canary-bypass`: this deploy shifts all of `hello`'s traffic at once instead of Canary10Percent5Minutes; its alarms \(hello-bypass-errors\) are not consulted/);
    assert.ok(output.indexOf(notice) < output.indexOf('d-BYPASS running'), output);
    assert.match(output, /^serverless-canary: --canary-bypass: 1 canaried function shifts all at once in this deploy; no alarm is consulted; hooks run\. The next deploy without it is gradual again$/m);
    assert.deepEqual(codedeploy.tagsOf(GROUP('bypass')), [{ Key: 'serverless-canary:bypass', Value: 'all at once, alarms off, hooks run' }]);
    assert.deepEqual(codedeploy.stopped, []);
  });

  test('osls@3 shows the same progress', async () => {
    const { code, output } = await deploy('osls', [], {}, 'osls');
    assert.equal(code, 0, output);
    assert.equal(canaryLines(output).at(-1), 'serverless-canary: hello: shifted to version 2 (Canary10Percent5Minutes, deployment d-OSLS succeeded)', output);
    assert.match(canaryLines(output).join('\n'), /hello: 10% on version 2, 90% on version 1, \dm \d\ds left/);
  });

  test('an alarm that fires rolls it back, and the failed deploy says which alarm', async () => {
    const { code, output } = await deploy('alarm');
    assert.equal(code, 1, output);
    assert.deepEqual(canaryLines(output), [
      'serverless-canary: hello: rolling back to version 1 because alarm hello-alarm-errors fired (deployment d-ALARM stopped, rollback d-ALARMR in progress)',
      'serverless-canary: hello: rolled back to version 1 because alarm hello-alarm-errors fired (deployment d-ALARM stopped)',
    ]);
    assert.match(output, /CodeDeploy deployment d-ALARM did not succeed/);
  });

  test('a poll that fails mid-deploy is one warning, and the deploy succeeds', async () => {
    const { code, output } = await deploy('flaky');
    assert.equal(code, 0, output);
    assert.deepEqual(canaryLines(output), ['serverless-canary: hello: deployment d-FLAKY running BeforeAllowTraffic hook · no alarm firing']);
    const warnings = output.split('\n').filter((line) => line.includes('canary progress stopped'));
    assert.equal(warnings.length, 1, output);
    assert.match(warnings[0], /throttl/i);
  });

  test('the last look, after the stack update, says where a deployment stands', async () => {
    const { code, output } = await deploy('late', [], RARELY);
    assert.equal(code, 0, output);
    assert.deepEqual(canaryLines(output), ['serverless-canary: hello: deployment d-LATE running BeforeAllowTraffic hook · no alarm firing']);
    assert.ok(output.indexOf('d-LATE running') < output.indexOf('Service deployed'), output);
  });

  test('a failed stack update still gets its last look', async () => {
    const { code, output } = await deploy('refused', [], RARELY);
    assert.equal(code, 1, output);
    assert.deepEqual(canaryLines(output), ['serverless-canary: hello: deployment d-REFUSED running BeforeAllowTraffic hook · no alarm firing']);
    assert.match(output, /the update of canary-example-refused-HelloLambdaFunctionDeploymentGroup was refused/);
  });

  // The 5 s bound itself, at the start and after the stack update, is timed in follow.test.js
  // with the clock in the test's hands.
  test('an endpoint that never answers is one warning, and the deploy succeeds', async () => {
    const { code, output } = await deploy('silent');
    assert.equal(code, 0, output);
    const warnings = output.split('\n').filter((line) => line.includes('canary progress stopped'));
    assert.deepEqual(warnings.length, 1, output);
    assert.match(warnings[0], /AWS did not answer within 5 s/);
    assert.deepEqual(canaryLines(output), []);
  });

  test('--no-canary-progress asks CodeDeploy nothing and prints nothing', async () => {
    const { code, output } = await deploy('quiet', ['--no-canary-progress']);
    assert.equal(code, 0, output);
    assert.deepEqual(canaryLines(output), []);
    assert.equal(codedeploy.pollsOf(GROUP('quiet')), 0);
  });

  test('a poller that cannot reach AWS is one warning, and the deploy succeeds', async () => {
    const { endpoint: closed } = await unreachableEndpoint();
    const { code, output } = await deploy('broken', [], { AWS_ENDPOINT_URL_CODEDEPLOY: closed });
    assert.equal(code, 0, output);
    const warnings = output.split('\n').filter((line) => line.includes('canary progress stopped'));
    assert.equal(warnings.length, 1, output);
    assert.match(warnings[0], /cannot reach AWS.*the deploy goes on/);
    assert.match(output, /Service deployed to stack canary-example-broken/);
  });
});
