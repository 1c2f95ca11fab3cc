'use strict';

// osls 4, what `npm install osls` gives today, beside serverless@3: one fixture per event
// family packages to the same canary resources, routes every invoker through the alias and
// warns about the same things; `canary:validate` prints the same lines; the commands on a
// deployed stage work against loopback AWS. Each service is pinned to `frameworkVersion: '4'`,
// as osls 4 requires.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { FIXTURES, frameworkEnv, runFramework, packageService, copyFixture, pinnedFor } = require('./support/framework');
const { startMoto, createStack, putAlarm } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');
const { canariedFunctions, routingProblems, pluginWarnings } = require('./support/routing');
const { lintErrors } = require('./support/cfn-lint');

const FAMILIES = [
  'example',
  'basic-rest',
  'http-api',
  'websocket',
  'rest-authorizer',
  'events-messaging',
  'events-storage',
  'events-schedule',
  'events-devices',
  'events-cognito',
  'events-alb',
  'events-url',
  'events-provisioned',
  'events-user-resources',
  'events-step-functions',
  'events-appsync',
];

/** The resources the plugin generates, with the version's hash (which each Framework computes its own way) left out. */
const generated = (template) => {
  const ours = Object.entries(template.Resources).filter(([id]) => /DeploymentApplication$|DeploymentGroup$|LambdaFunctionAlias|CodeDeploy/.test(id));
  return JSON.parse(JSON.stringify(Object.fromEntries(ours)).replace(/LambdaVersion\w+/g, 'LambdaVersion'));
};

/** Each warning's code and config path, without the file position or the message. */
const warned = (output) => pluginWarnings(output).map((line) => line.split(': ')[0]).sort();

describe('osls 4 packages each event family as serverless@3 does', () => {
  for (const fixture of FAMILIES) {
    test(fixture, async () => {
      const [v3, osls4] = await Promise.all([packageService(fixture), packageService(fixture, { framework: 'osls4' })]);
      assert.equal(v3.code, 0, v3.output);
      assert.equal(osls4.code, 0, osls4.output);
      const ours = generated(osls4.template);
      assert.ok(Object.keys(ours).length >= 4, Object.keys(ours).join(', '));
      assert.deepEqual(ours, generated(v3.template));
      assert.deepEqual(warned(osls4.output), warned(v3.output));
      const warnings = pluginWarnings(osls4.output);
      const warnedAbout = (id) => warnings.some((line) => line.includes(`\`${id}\``));
      const canaried = canariedFunctions(osls4.template);
      assert.ok(canaried.length > 0);
      assert.deepEqual(canaried.flatMap((fn) => routingProblems(osls4.template, fn, warnedAbout)), []);
      assert.deepEqual(await lintErrors(osls4.templatePath), []);
    });
  }
});

describe('osls 4 runs canary:validate like serverless@3', () => {
  test('the same lines for a service with four problems, and exit 1', async () => {
    const file = 'every-problem-at-once.yml';
    // The invalid corpus has no serverless.yml of its own: a folder with this file, pinned to 4.
    const dir = copyFixture('example');
    fs.writeFileSync(path.join(dir, file), pinnedFor('osls4')(fs.readFileSync(path.join(FIXTURES, 'invalid', file), 'utf8')));
    const [v3, osls4] = await Promise.all([
      runFramework(['canary:validate', '--config', file], { cwd: path.join(FIXTURES, 'invalid') }),
      runFramework(['canary:validate', '--config', file], { framework: 'osls4', cwd: dir }),
    ]);
    const problems = (text) => text.split('\n').filter((line) => / error\[[a-z-]+\] /.test(line));
    assert.equal(osls4.code, 1, osls4.output);
    assert.equal(problems(osls4.stdout).length, 4, osls4.output);
    assert.deepEqual(problems(osls4.stdout), problems(v3.stdout));
  });
});

describe('osls 4 runs canary:plan like serverless@3', () => {
  test('the same plan, line for line', async () => {
    const [v3, osls4] = await Promise.all([
      runFramework(['canary:plan'], { cwd: copyFixture('release-plan') }),
      runFramework(['canary:plan'], { framework: 'osls4', cwd: copyFixture('release-plan', pinnedFor('osls4')) }),
    ]);
    assert.equal(osls4.code, 0, osls4.output);
    assert.ok(v3.stdout.split('\n').length > 20, v3.output);
    assert.equal(osls4.stdout, v3.stdout);
  });
});

describe('osls 4 runs the commands on a deployed stage against loopback AWS', () => {
  let moto;
  let codedeploy;
  let dir;
  const run = (args) =>
    runFramework(args, {
      framework: 'osls4',
      cwd: dir,
      env: frameworkEnv({ ...moto.env, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint }),
    });
  before(async () => {
    moto = await startMoto();
    await putAlarm(moto.endpoint, 'osls4-errors', 'OK');
    await createStack(moto.endpoint, 'canary-example-dev', { CanaryexampledevDeploymentApplication: 'canary-example-dev-app' });
    codedeploy = await startScriptedCodeDeploy({ inProgress: { 'canary-example-dev-HelloLambdaFunctionDeploymentGroup': ['d-HELLO4'] } });
    dir = copyFixture('example', (text) =>
      pinnedFor('osls4')(text).replace(/alarms:\n\s+- name: CanaryCheck.*\n(\s{10}.*\n)*/, 'alarms:\n        - {name: osls4-errors}\n')
    );
  });
  after(() => {
    moto.stop();
    codedeploy.stop();
  });

  test('canary:alarm sets the attached alarm', async () => {
    const { code, stdout, output } = await run(['canary:alarm', '--state', 'ALARM']);
    assert.equal(code, 0, output);
    assert.equal(stdout.trim(), 'serverless-canary: alarm osls4-errors is now ALARM (functions.hello.deploymentSettings.alarms[0])');
  });

  test('canary:rollback stops the deployment in progress with rollback', async () => {
    const { code, stdout, output } = await run(['canary:rollback']);
    assert.equal(code, 0, output);
    assert.match(stdout, /^serverless-canary: functions\.hello: deployment d-HELLO4 stopped with rollback/m);
    assert.deepEqual(codedeploy.stopped, [{ deploymentId: 'd-HELLO4', autoRollbackEnabled: true }]);
  });

  test('canary:status --json reads the group and its alarm from loopback AWS', async () => {
    const { code, stdout, output } = await run(['canary:status', '--json']);
    assert.equal(code, 0, output);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.diagnostics, []);
    assert.deepEqual(
      report.functions.map((f) => [f.function, f.deploymentGroup, f.alarms.map((a) => a.name)]),
      [['hello', 'canary-example-dev-HelloLambdaFunctionDeploymentGroup', ['osls4-errors']]]
    );
  });
});
