'use strict';

// Issue 5: `npx serverless-canary validate [file]` checks a serverless.yml as written, without
// the Framework: `file:line:col` lines, the simple variables resolved, what it cannot resolve
// reported as not checked, and exit codes 0 (fine), 1 (errors), 2 (unreadable input).

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');

const { REPO, FIXTURES } = require('./support/framework');

const CLI = path.join(REPO, 'bin', 'serverless-canary.js');

/** Runs the CLI in `cwd`; resolves with { code, stdout, stderr }. */
function cli(args, { cwd = REPO, env = {} } = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** A folder holding `serverless.yml` with `text`. */
function serviceDir(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-cli-'));
  fs.writeFileSync(path.join(dir, 'serverless.yml'), text);
  return dir;
}

const VARIABLES = `service: cli-variables
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
custom:
  aliases:
    dev: Dev!
    prod: Prod
  types:
    dev: Canary10Percent5Minutes
    prod: Linear10PercentEvery1Minute
functions:
  hello:
    handler: handler.hello
    deploymentSettings:
      type: \${self:custom.types.\${sls:stage}}
      alias: \${self:custom.aliases.\${opt:stage, 'dev'}}
      alarms:
        - name: Errors
          metric: Errors
          threshold: \${env:CANARY_THRESHOLD, 3}
  other:
    handler: handler.hello
    deploymentSettings:
      type: \${ssm:/canary/type}
      alias: Live
`;

describe('the standalone CLI on an invalid fixture', () => {
  const file = 'every-problem-at-once.yml';
  const human = cli(['validate', file], { cwd: path.join(FIXTURES, 'invalid') });
  const json = cli(['validate', file, '--json'], { cwd: path.join(FIXTURES, 'invalid') });

  test('prints file:line:col: error[code] path: message (hint) for each problem and exits 1', async () => {
    const { code, stdout } = await human;
    assert.equal(code, 1, stdout);
    assert.deepEqual(stdout.trim().split('\n'), [
      `${file}:23:13: error[unknown-deployment-type] functions.hello.deploymentSettings.type: unknown deployment type \`Canary10Percent5Minutez\` (did you mean \`Canary10Percent5Minutes\`?)`,
      `${file}:24:14: error[invalid-alias] functions.hello.deploymentSettings.alias: alias \`Live!\` is not a valid Lambda alias name: it may only contain letters, digits, \`-\` and \`_\` (e.g. \`Live\` or \`prod-v2\`)`,
      `${file}:25:24: error[unknown-hook-function] functions.hello.deploymentSettings.postTrafficHook: hook \`nope\` is not a function of this service (name a function defined under \`functions:\` in this service)`,
      `${file}:29:13: error[unknown-key] functions.other.deploymentSettings.tpye: unknown setting \`tpye\` (did you mean \`type\`?)`,
      `${file}: 4 errors, 0 warnings`,
    ]);
  });

  test('--json gives the same problems with their positions', async () => {
    const { code, stdout } = await json;
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.code} ${d.path} ${d.line}:${d.column}`),
      [
        'unknown-deployment-type functions.hello.deploymentSettings.type 23:13',
        'invalid-alias functions.hello.deploymentSettings.alias 24:14',
        'unknown-hook-function functions.hello.deploymentSettings.postTrafficHook 25:24',
        'unknown-key functions.other.deploymentSettings.tpye 29:13',
      ]
    );
  });
});

describe('variables the CLI resolves, and those it reports as not checked', () => {
  const dir = serviceDir(VARIABLES);
  const dev = cli(['validate'], { cwd: dir });
  const prod = cli(['validate', 'serverless.yml', '--stage', 'prod'], { cwd: dir });
  const badEnv = cli(['validate', '-s', 'prod'], { cwd: dir, env: { CANARY_THRESHOLD: 'many' } });

  test('dev resolves to an invalid alias; ssm is not checked, not guessed', async () => {
    const { code, stdout } = await dev;
    assert.equal(code, 1, stdout);
    assert.deepEqual(stdout.trim().split('\n'), [
      'serverless.yml:17:14: error[invalid-alias] functions.hello.deploymentSettings.alias: alias `Dev!` is not a valid Lambda alias name: it may only contain letters, digits, `-` and `_` (e.g. `Live` or `prod-v2`)',
      'serverless.yml:25:13: warning[not-checked] functions.other.deploymentSettings.type: not checked: this standalone check cannot resolve `${ssm:/canary/type}` (run `serverless canary:validate`, which checks the value the Framework resolves)',
      'serverless.yml: 1 error, 1 warning',
    ]);
  });

  test('--stage prod resolves to valid settings: exit 0 with the warning', async () => {
    const { code, stdout } = await prod;
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^serverless\.yml: 0 errors, 1 warning$/m);
  });

  test('an environment value is checked like a written one', async () => {
    const { code, stdout } = await badEnv;
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^serverless\.yml:21:22: error\[wrong-type\] functions\.hello\.deploymentSettings\.alarms\[0\]\.threshold: must be a number, found the text `many`/m);
  });
});

describe('arguments as a shell user writes them', () => {
  const invalid = path.join(FIXTURES, 'invalid');
  for (const args of [
    ['validate', '--verbose', 'every-problem-at-once.yml'],
    ['validate', '--', 'every-problem-at-once.yml'],
    ['validate', '--config=every-problem-at-once.yml', '--json=false'],
  ]) {
    test(args.join(' '), async () => {
      const { code, stdout } = await cli(args, { cwd: invalid });
      assert.equal(code, 1, stdout);
      assert.match(stdout, /^every-problem-at-once\.yml: 4 errors, 0 warnings$/m);
    });
  }

  test('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await cli(['validate', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^usage: serverless-canary validate/);
  });
});

describe('input the CLI cannot read', () => {
  test('a missing file exits 2', async () => {
    const { code, stderr } = await cli(['validate', 'no-such.yml'], { cwd: os.tmpdir() });
    assert.equal(code, 2);
    assert.equal(stderr, 'no-such.yml:1:1: error[unreadable-service] service: cannot read `no-such.yml`: ENOENT (name the service file: `serverless-canary validate path/to/serverless.yml`)\n');
  });

  test('YAML that does not parse exits 2 with its position', async () => {
    const dir = serviceDir('service: broken\nfunctions:\n  hello: [unclosed\n');
    const { code, stdout, stderr } = await cli(['validate'], { cwd: dir });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^serverless\.yml:4:1: error\[unreadable-service\] service: while parsing a flow sequence/);
  });

  test('--stage without a value exits 2 instead of taking the next flag', async () => {
    const { code, stderr } = await cli(['validate', '--stage', '--json']);
    assert.equal(code, 2);
    assert.match(stderr, /option --stage needs a value/);
  });

  test('a command other than validate exits 2 with the usage', async () => {
    const { code, stderr } = await cli(['check']);
    assert.equal(code, 2);
    assert.match(stderr, /^usage: serverless-canary validate/);
  });
});
