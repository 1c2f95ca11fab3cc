'use strict';

// Issue 29: on every input both can read, `npx serverless-canary validate` and the real
// Framework's `serverless canary:validate` print the same problems, line for line: settings
// that are `false` or not a map, unquoted dates, `functions:` written as a list, functions with
// nothing under their name used as hooks, and serverless.json. What only the compiled template
// shows (the template phase) is the Framework's alone, so only settings-phase lines compare.
// For serverless.js the standalone check says it cannot read it, in JSON too with --json.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');

const { REPO, FIXTURES, runFramework, packageService, copyFixture } = require('./support/framework');

const CLI = path.join(REPO, 'bin', 'serverless-canary.js');
const PROBLEM = /^\S+:\d+:\d+: (error|warning)\[([a-z-]+)\] /;

/** The codes docs/codes.md lists as found in the settings as written. */
const SETTINGS_CODES = (() => {
  const codes = fs.readFileSync(path.join(REPO, 'docs', 'codes.md'), 'utf8');
  const section = codes.split('## Found in the settings as written')[1].split('\n## ')[0];
  return new Set([...section.matchAll(/<a id="([a-z-]+)"><\/a>/g)].map((match) => match[1]));
})();

/** The settings-phase problem lines of an output, in order. */
const settingsProblems = (output) =>
  output
    .split('\n')
    .filter((line) => PROBLEM.test(line) && SETTINGS_CODES.has(PROBLEM.exec(line)[2]));

function standalone(args, cwd) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'validate', ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** Both checks on `file` in a copy of `dir`: { framework, standalone } runs. */
async function both(dir, file) {
  const [framework, alone] = await Promise.all([
    runFramework(['canary:validate', '--config', file], { cwd: dir }),
    standalone([file], dir),
  ]);
  return { framework, standalone: alone };
}

/** A scratch service folder holding fixtures/invalid/<file> and its handler. */
function invalidCopy(file) {
  const dir = copyFixture('example');
  for (const name of [file, 'handler.js']) fs.copyFileSync(path.join(FIXTURES, 'invalid', name), path.join(dir, name));
  return dir;
}

// Each file's expected lines are its fixture's `# expect:` lines of the settings phase.
const expectedProblems = (file) =>
  settingsProblems(
    fs
      .readFileSync(path.join(FIXTURES, 'invalid', file), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('# expect: '))
      .map((line) => line.slice('# expect: '.length))
      .join('\n')
  );

for (const file of ['settings-not-a-map.yml', 'yaml-date.yml', 'functions-list.yml', 'hook-empty-function.yml']) {
  test(`invalid/${file}: canary:validate and the standalone check print the same settings problems`, async () => {
    const { framework, standalone: alone } = await both(invalidCopy(file), file);
    const expected = expectedProblems(file);
    assert.ok(expected.length > 0, `${file} expects settings problems`);
    assert.deepEqual(settingsProblems(framework.stdout), expected, framework.output);
    assert.deepEqual(settingsProblems(alone.stdout), expected, alone.stdout + alone.stderr);
    assert.equal(alone.code, 1);
    assert.notEqual(framework.code, 0);
  });
}

// `false` is no canary and `deploymentSettings:` with nothing takes the service defaults, on
// every path: packaging, canary:validate and the standalone check.
const NO_CANARY = `service: no-canary
frameworkVersion: '3'
plugins:
  - serverless-canary
provider:
  name: aws
  runtime: nodejs24.x
  region: us-east-1
package:
  excludeDevDependencies: false
  patterns: ['!**', 'handler.js']
custom:
  deploymentSettings:
    type: Canary10Percent5Minutes
    alias: Live
functions:
  hello:
    handler: handler.hello
    deploymentSettings:
      preTrafficHook: check
  check:
    handler: handler.hello
    deploymentSettings: false
`;

describe('deploymentSettings: false and deploymentSettings with nothing', () => {
  const dir = copyFixture('example', () => NO_CANARY);
  const runs = both(dir, 'serverless.yml');
  const packaged = packageService(dir);

  test('both checks find nothing wrong', async () => {
    const { framework, standalone: alone } = await runs;
    assert.equal(framework.code, 0, framework.output);
    assert.match(framework.stdout, /^serverless-canary: 0 errors, 0 warnings$/m);
    assert.equal(alone.code, 0, alone.stdout);
    assert.equal(alone.stdout, 'serverless.yml: 0 errors, 0 warnings\n');
  });

  test('packaging canaries `hello` with the defaults and `check` not at all', async () => {
    const { code, output, template } = await packaged;
    assert.equal(code, 0, output);
    const groups = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::CodeDeploy::DeploymentGroup');
    assert.deepEqual(groups, ['HelloLambdaFunctionDeploymentGroup']);
    assert.ok(template.Resources.HelloLambdaFunctionAliasLive, 'hello has its alias');
    assert.equal(template.Resources.CheckLambdaFunctionAliasLive, undefined);
  });
});

describe('serverless.json and serverless.js', () => {
  const json = copyFixture('example', () => '');
  fs.rmSync(path.join(json, 'serverless.yml'));
  // The settings-not-a-map fixture, as JSON: the same problems at their JSON positions.
  const service = {
    service: 'json-service',
    frameworkVersion: '3',
    plugins: ['serverless-canary'],
    provider: { name: 'aws', runtime: 'nodejs24.x', region: 'us-east-1' },
    package: { excludeDevDependencies: false, patterns: ['!**', 'handler.js'] },
    functions: {
      hello: { handler: 'handler.hello', deploymentSettings: { type: 'AllAtOnce', alias: 'Live!' } },
      check: { handler: 'handler.hello', deploymentSettings: false },
      empty: { handler: 'handler.hello', deploymentSettings: '' },
    },
  };
  fs.writeFileSync(path.join(json, 'serverless.json'), `${JSON.stringify(service, null, 2)}\n`);

  test('serverless.json: both print the same lines, positions included', async () => {
    const { framework, standalone: alone } = await both(json, 'serverless.json');
    const expected = [
      'serverless.json:24:18: error[invalid-alias] functions.hello.deploymentSettings.alias: alias `Live!` is not a valid Lambda alias name: it may only contain letters, digits, `-` and `_` (e.g. `Live` or `prod-v2`)',
      'serverless.json:33:29: error[wrong-type] functions.empty.deploymentSettings: must be a map of settings, or `false` for no canary; found an empty string (e.g. `deploymentSettings: {type: Canary10Percent5Minutes, alias: Live}`)',
    ];
    assert.deepEqual(settingsProblems(framework.stdout), expected, framework.output);
    assert.deepEqual(settingsProblems(alone.stdout), expected, alone.stdout + alone.stderr);
  });

  const js = copyFixture('example', () => '');
  fs.rmSync(path.join(js, 'serverless.yml'));
  fs.writeFileSync(path.join(js, 'serverless.js'), `module.exports = ${JSON.stringify(service)};\n`);
  const unreadable =
    'serverless.js:1:1: error[unreadable-service] service: `serverless.js` is a program that makes the config, which this standalone check does not run (it reads YAML and JSON) (run `serverless canary:validate`, which checks the config the Framework makes of it)';

  test('serverless.js, found without a path: the standalone check sends it to canary:validate, exit 2', async () => {
    const { code, stdout, stderr } = await standalone([], js);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, `${unreadable}\n`);
  });

  test('--json prints JSON on stdout when the file cannot be read', async () => {
    for (const [args, rendered] of [
      [['--json'], unreadable],
      [
        ['no-such.yml', '--json'],
        'no-such.yml:1:1: error[unreadable-service] service: cannot read `no-such.yml`: ENOENT (name the service file: `serverless-canary validate path/to/serverless.yml`)',
      ],
    ]) {
      const { code, stdout } = await standalone(args, js);
      assert.equal(code, 2);
      const report = JSON.parse(stdout);
      assert.deepEqual(
        { valid: report.valid, errors: report.errors, warnings: report.warnings, rendered: report.diagnostics.map((d) => d.rendered) },
        { valid: false, errors: 1, warnings: 0, rendered: [rendered] }
      );
    }
  });
});
