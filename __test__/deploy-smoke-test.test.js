'use strict';

// A smoke test decides the release before any traffic moves. The real Framework deploys
// fixtures/verified to moto through the scripted CodeDeploy endpoint, which calls the packaged
// smoke-test hook as CodeDeploy calls a hook function: here, in this process, with the real AWS
// SDK, invoking the example's real handler as the new version. What the deploy exercises: the
// hook function's code and config, the alias's BeforeAllowTraffic hook, and the progress
// lines. Left out, as moto's CloudFormation cannot hold them: the API event and the
// compareToBaseline alarms (packaged and checked in verify-hook.test.js).

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { frameworkEnv, runFramework, copyFixture } = require('./support/framework');
const { startMoto } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');
const { hello } = require('../fixtures/verified/handler.js');
const { restoreEnv } = require('./support/env');


const REPO = path.join(__dirname, '..');
const STAGES = { passes: 'smoke@company.com', rehearsal: 'erroruser@company.com' };
const GROUP = (stage) => `pc-verified-${stage}-HelloLambdaFunctionDeploymentGroup`;
const FUNCTION = (stage) => `pc-verified-${stage}-hello`;

/** fixtures/verified as moto can deploy it, its smoke test sent as `user`. */
function service(user) {
  const dir = copyFixture('verified', (text) =>
    text
      .replace('  - serverless-canary', '  - ./loopback-aws.js\n  - serverless-canary')
      .replace('provider:\n', 'configValidationMode: off\nprovider:\n')
      .replace(/ {4}events:\n( {6}.*\n)+/, '')
      .replace(/ {6}compareToBaseline:\n( {8}.*\n)+/, '')
      .replace('smoke@company.com', user)
  );
  fs.copyFileSync(path.join(__dirname, 'support', 'loopback-aws.js'), path.join(dir, 'loopback-aws.js'));
  return dir;
}

/** The smoke-test hook the deploy packaged in `dir`, loaded as Lambda loads its index.js. */
function packagedHook(dir) {
  const template = JSON.parse(fs.readFileSync(path.join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'));
  const file = path.join(REPO, 'index.js');
  const hook = new Module(file, module);
  hook.paths = Module._nodeModulePaths(REPO);
  hook._compile(template.Resources.ServerlessCanarySmokeTestHook.Properties.Code.ZipFile, file);
  return hook.exports;
}

describe('serverless deploy with a smoke test', { concurrency: true }, () => {
  let moto;
  let codedeploy;
  const saved = { ...process.env };
  const dirs = Object.fromEntries(Object.entries(STAGES).map(([stage, user]) => [stage, service(user)]));
  const invoked = [];

  before(async () => {
    moto = await startMoto();
    const version = (stage) => async (event) => {
      invoked.push({ stage, event });
      return hello(event);
    };
    codedeploy = await startScriptedCodeDeploy({
      deployments: Object.keys(STAGES).map((stage) => ({
        group: GROUP(stage),
        id: `d-${stage.toUpperCase()}`,
        previous: 'd-OLD',
        startsWithUpdate: true,
        functionName: FUNCTION(stage),
        beforeAllowTraffic: (event) => packagedHook(dirs[stage]).beforeAllowTraffic(event),
      })),
      versions: Object.fromEntries(Object.keys(STAGES).map((stage) => [`${FUNCTION(stage)}:2`, version(stage)])),
      proxyTo: moto.endpoint,
      stackResources: Object.fromEntries(
        Object.keys(STAGES).map((stage) => [
          `pc-verified-${stage}`,
          { [`Pcverified${stage}DeploymentApplication`]: `pc-verified-${stage}-app`, HelloLambdaFunctionAliasLive: `pc-verified-${stage}-hello-live` },
        ])
      ),
    });
    // The hook runs here: its clients reach CodeDeploy and Lambda through the scripted endpoint.
    Object.assign(process.env, moto.env, {
      AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: codedeploy.endpoint,
    });
  });
  after(() => {
    moto?.stop();
    codedeploy?.stop();
    restoreEnv(saved);
  });

  const deploy = (stage) =>
    runFramework(['deploy', '--stage', stage], {
      cwd: dirs[stage],
      env: frameworkEnv({ ...moto.env, AWS_ENDPOINT_URL: codedeploy.endpoint, SLS_CANARY_POLL_INTERVAL: '0.2' }),
    });
  const canaryLines = (output) => output.split('\n').filter((line) => line.startsWith('serverless-canary: hello: '));

  test('a passing smoke test lets the traffic shift', async () => {
    const { code, output } = await deploy('passes');
    assert.equal(code, 0, output);
    assert.equal(codedeploy.hookStatusOf(GROUP('passes')), 'Succeeded');
    const smoke = invoked.filter((call) => call.stage === 'passes');
    assert.deepEqual(smoke.map((call) => call.event.headers), [{ Authorization: 'smoke@company.com' }]);
    assert.match(canaryLines(output).at(-1), /shifted to version 2 \(Canary10Percent5Minutes, deployment d-PASSES succeeded\)$/);
  });

  test('a failing smoke test fails the deployment before the alias moves', async () => {
    const { code, output } = await deploy('rehearsal');
    assert.notEqual(code, 0, output);
    assert.equal(codedeploy.hookStatusOf(GROUP('rehearsal')), 'Failed');
    const lines = canaryLines(output);
    assert.ok(lines.every((line) => !/% on version 2/.test(line) || /^serverless-canary: hello: \S+ 0% on version 2/.test(line)), lines.join('\n'));
    assert.equal(lines.at(-1), 'serverless-canary: hello: rolled back to version 1 because the smoke test failed (deployment d-REHEARSAL failed)', lines.join('\n'));
    assert.deepEqual(
      invoked.filter((call) => call.stage === 'rehearsal').map((call) => call.event.headers),
      [{ Authorization: 'erroruser@company.com' }],
      'only the smoke test reached the new version'
    );
  });
});
