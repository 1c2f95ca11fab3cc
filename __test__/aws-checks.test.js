'use strict';

// Issue 5: `--aws` asks the account what the files cannot say: the alarms exist and are not
// already firing, an existing deployment config exists, and no deployment is in progress.
// AWS is a moto server on loopback, plus a scripted CodeDeploy endpoint for GetDeploymentConfig.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');

const { REPO, frameworkEnv, runFramework, copyFixture } = require('./support/framework');
const { startMoto, putAlarm, unreachableEndpoint } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');

const CLI = path.join(REPO, 'bin', 'serverless-canary.js');

function cli(args, { cwd, env }) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

const SERVICE = `service: aws-checks
provider:
  name: aws
  region: us-east-1
functions:
  hello:
    handler: handler.hello
    deploymentSettings:
      type: {name: team-canary-config}
      alias: Live
      alarms:
        - {name: healthy-errors}
        - {name: no-such-alarm}
        - {name: firing-errors}
  other:
    handler: handler.hello
    deploymentSettings:
      type: {name: missing-config}
      alias: Live
      alarms:
        - {name: healthy-errors}
`;

describe('--aws against loopback AWS', () => {
  let moto;
  let codedeploy;
  let env;
  let dir;
  before(async () => {
    [moto, codedeploy] = await Promise.all([startMoto(), startScriptedCodeDeploy({ configs: ['team-canary-config'] })]);
    await putAlarm(moto.endpoint, 'healthy-errors', 'OK');
    await putAlarm(moto.endpoint, 'firing-errors', 'ALARM');
    env = { ...moto.env, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-aws-'));
    fs.writeFileSync(path.join(dir, 'serverless.yml'), SERVICE);
  });
  after(() => {
    moto.stop();
    codedeploy.stop();
  });

  test('the standalone check reports a missing alarm, a firing alarm and a missing config, each at its line', async () => {
    const { code, stdout, stderr } = await cli(['validate', '--aws'], { cwd: dir, env });
    assert.equal(code, 1, stdout + stderr);
    const lines = stdout.trim().split('\n');
    const at = (prefix) => lines.find((line) => line.startsWith(prefix));
    assert.match(at('serverless.yml:13:11: error[alarm-not-found] ') || '', /no-such-alarm/);
    assert.match(at('serverless.yml:14:11: error[alarm-in-alarm] ') || '', /firing-errors.*ALARM/);
    assert.match(at('serverless.yml:18:13: error[deployment-config-not-found] ') || '', /missing-config/);
    assert.equal(lines.at(-1), 'serverless.yml: 3 errors, 0 warnings', stdout);
    assert.ok(!stdout.includes('healthy-errors'), 'a healthy alarm is not reported');
    assert.ok(!stdout.includes('team-canary-config'), 'an existing config is not reported');
  });

  test('without --aws nothing is asked: the file alone is fine', async () => {
    const { code, stdout } = await cli(['validate'], { cwd: dir, env });
    assert.equal(code, 0, stdout);
  });

  test('sls canary:validate --aws reports the same, with the config paths', async () => {
    const service = copyFixture('example', (text) =>
      text.replace(/alarms:\n\s+- name: CanaryCheck.*\n(\s{10}.*\n)*/, 'alarms:\n        - {name: firing-errors}\n')
    );
    assert.match(fs.readFileSync(path.join(service, 'serverless.yml'), 'utf8'), /- \{name: firing-errors\}/);
    const { code, stdout, output } = await runFramework(['canary:validate', '--aws', '--json'], {
      cwd: service,
      env: frameworkEnv(env),
    });
    assert.equal(code, 1, output);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.severity, d.path, d.file]),
      [['error', 'functions.hello.deploymentSettings.alarms[0]', 'serverless.yml']]
    );
    assert.match(report.diagnostics[0].message, /firing-errors/);
  });
});

describe('--aws when AWS cannot be reached', () => {
  /** The standalone `validate --aws` of SERVICE, with AWS at `endpoint`. */
  async function validateAgainst(endpoint) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-aws-down-'));
    fs.writeFileSync(path.join(dir, 'serverless.yml'), SERVICE);
    const env = { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
    return cli(['validate', '--aws'], { cwd: dir, env });
  }

  test('an unreachable endpoint is one clear line, not a stack trace, and fails the check', async () => {
    const { endpoint: closed } = await unreachableEndpoint();
    const { code, stdout, stderr } = await validateAgainst(closed);
    assert.equal(code, 1, stdout + stderr);
    const errors = stdout.split('\n').filter((line) => / error\[[a-z-]+\] /.test(line));
    assert.equal(errors.length, 1, stdout);
    assert.match(errors[0], /error\[aws-unavailable\] provider: cannot reach AWS \(.*\) in us-east-1: Connection refused/);
    assert.doesNotMatch(stdout + stderr, /\bat .*\(|panicked|DispatchFailure \{/);
  });

  // Counted, not timed: how long the retries take depends on how busy the machine is.
  test('a request whose connection drops is tried three times, then reported', async () => {
    const dropping = await droppingEndpoint();
    try {
      const { code, stdout, stderr } = await validateAgainst(dropping.endpoint);
      assert.equal(code, 1, stdout + stderr);
      assert.match(stdout, /error\[aws-unavailable\] provider: AWS could not answer .*: connection closed before message completed/);
      assert.doesNotMatch(stdout + stderr, /\bat .*\(|panicked|DispatchFailure \{/);
      const tries = Object.values(dropping.attempts);
      assert.ok(tries.length > 0, 'the checks asked AWS');
      assert.deepEqual(tries, tries.map(() => 3), JSON.stringify(dropping.attempts));
    } finally {
      dropping.server.close();
    }
  });
});

/**
 * A loopback endpoint that reads each request and drops its connection unanswered, counting
 * the attempts of each request by what it asks (its X-Amz-Target or path, and its body).
 */
async function droppingEndpoint() {
  const attempts = {};
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const asked = `${request.headers['x-amz-target'] || request.url} ${body}`;
      attempts[asked] = (attempts[asked] || 0) + 1;
      response.socket.destroy();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, attempts, endpoint: `http://127.0.0.1:${server.address().port}` };
}
