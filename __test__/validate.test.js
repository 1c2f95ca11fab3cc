'use strict';

// Issue 5: `sls canary:validate` runs the packaging checks as a deploy would, prints every
// problem, exits non-zero on an error, and leaves the service folder as it found it.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { execFile } = require('node:child_process');

const { REPO, FIXTURES, runFramework, copyFixture } = require('./support/framework');

const INVALID = path.join(FIXTURES, 'invalid');

/** `serverless canary:validate <args>` in `dir`. */
const validate = (dir, args = []) => runFramework(['canary:validate', ...args], { cwd: dir });

/** Every file under `dir`, relative, with its contents. */
function snapshot(dir) {
  const files = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    files[path.relative(dir, file)] = fs.readFileSync(file, 'utf8');
  }
  return files;
}

/** The problems an invalid fixture states (its `# expect:` lines but the report's header). */
const expectedProblems = (file) =>
  fs
    .readFileSync(path.join(INVALID, file), 'utf8')
    .split('\n')
    .filter((line) => /^# expect: \S+:\d+:\d+: (error|warning)\[/.test(line))
    .map((line) => line.slice('# expect: '.length));

describe('sls canary:validate on a good service', () => {
  const dir = copyFixture('example');
  // A package from an earlier run, which validating must not replace or delete.
  fs.mkdirSync(path.join(dir, '.serverless'));
  fs.writeFileSync(path.join(dir, '.serverless', 'earlier-package.txt'), 'kept');
  const before = snapshot(dir);
  const run = validate(dir);

  test('exits 0 and says nothing is wrong', async () => {
    const { code, stdout, output } = await run;
    assert.equal(code, 0, output);
    assert.match(stdout, /^serverless-canary: 0 errors, 0 warnings$/m);
  });

  test('leaves the service folder exactly as it was, .serverless included', async () => {
    await run;
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('sls canary:validate keeps earlier packages wherever packaging writes', () => {
  test('package.path: its files stay, and nothing of this run is left there', async () => {
    const dir = copyFixture('example', (text) => text.replace(/^package:\n/m, 'package:\n  path: build\n'));
    fs.mkdirSync(path.join(dir, 'build'));
    fs.writeFileSync(path.join(dir, 'build', 'mine.txt'), 'kept');
    const before = snapshot(dir);
    const { code, output } = await validate(dir);
    assert.equal(code, 0, output);
    assert.deepEqual(snapshot(dir), before);
  });

  // .serverless itself: validated like any other path. Inside it: the Framework's own packaging
  // fails (it copies .serverless into itself), as `sls package` does. The service folder:
  // refused before packaging could empty it.
  const outcomes = { '.serverless': 'validated', '.serverless/x': 'fails as sls package does', '.': 'refused', 'nested/..': 'refused' };
  for (const [packagePath, outcome] of Object.entries(outcomes)) {
    test(`package.path ${packagePath}: ${outcome}, and nothing of the service or an earlier package is lost`, async () => {
      const dir = copyFixture('example', (text) => text.replace(/^package:\n/m, `package:\n  path: ${packagePath}\n`));
      fs.mkdirSync(path.join(dir, '.serverless', 'x'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.serverless', 'top.txt'), 'kept');
      fs.writeFileSync(path.join(dir, '.serverless', 'x', 'inner.txt'), 'kept');
      const before = snapshot(dir);
      const { code, stdout, output } = await validate(dir);
      assert.deepEqual(snapshot(dir), before);
      if (outcome === 'validated') {
        assert.equal(code, 0, output);
        assert.match(stdout, /^serverless-canary: 0 errors, 0 warnings$/m);
      } else if (outcome === 'fails as sls package does') {
        assert.equal(code, 1, output);
        assert.match(output, /Cannot copy '.*\.serverless' to a subdirectory of itself, '\.serverless\/x'/);
      } else {
        assert.equal(code, 1, output);
        assert.match(output, new RegExp(`package\\.path \`${packagePath.replaceAll('.', '\\.')}\` is the service folder or holds it`));
      }
    });
  }

  test('packaging that fails halfway still puts .serverless back', async () => {
    const dir = copyFixture('example', (text) => text.replace(/^package:\n/m, 'package:\n  artifact: missing.zip\n'));
    fs.mkdirSync(path.join(dir, '.serverless'));
    fs.writeFileSync(path.join(dir, '.serverless', 'earlier-package.txt'), 'kept');
    const before = snapshot(dir);
    const { code, output } = await validate(dir);
    assert.equal(code, 1, output);
    assert.match(output, /Cannot access package artifact/);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('sls canary:validate on a service with four problems', () => {
  const file = 'every-problem-at-once.yml';
  const human = validate(INVALID, ['--config', file]);
  const json = validate(INVALID, ['--config', file, '--json']);

  test('prints every problem with its path, message and hint, and exits 1', async () => {
    const { code, stdout, output } = await human;
    assert.equal(code, 1, output);
    const problems = expectedProblems(file);
    // Each at the line and column of the value it is about (the unknown key at the key).
    assert.deepEqual(problems.map((line) => line.split(': ')[0]), ['23:13', '24:14', '25:24', '29:13'].map((at) => `${file}:${at}`));
    const lines = stdout.split('\n');
    assert.deepEqual(lines.filter((l) => l.startsWith(`${file}:`)), problems, stdout);
    assert.match(stdout, /^serverless-canary: 4 errors, 0 warnings$/m);
  });

  test('prints each problem exactly as the standalone validator does: same code, path and position', async () => {
    const standalone = await new Promise((resolve) => {
      const cli = path.join(REPO, 'bin', 'serverless-canary.js');
      execFile(process.execPath, [cli, 'validate', file], { cwd: INVALID }, (error, out) => resolve({ code: error ? error.code : 0, out }));
    });
    const { stdout } = await human;
    const problems = (text) => text.split('\n').filter((line) => line.startsWith(`${file}:`) && /: error\[[a-z-]+\] /.test(line));
    assert.equal(standalone.code, 1);
    assert.equal(problems(stdout).length, 4, stdout);
    assert.deepEqual(problems(standalone.out), problems(stdout));
  });

  test('--json prints only JSON on stdout: every diagnostic, and exits 1', async () => {
    const { code, stdout, output } = await json;
    assert.equal(code, 1, output);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      { valid: report.valid, errors: report.errors, warnings: report.warnings },
      { valid: false, errors: 4, warnings: 0 }
    );
    assert.deepEqual(
      report.diagnostics.map((d) => [d.severity, d.code, d.path, `${d.file}:${d.line}:${d.column}`]),
      [
        ['error', 'unknown-deployment-type', 'functions.hello.deploymentSettings.type', `${file}:23:13`],
        ['error', 'invalid-alias', 'functions.hello.deploymentSettings.alias', `${file}:24:14`],
        ['error', 'unknown-hook-function', 'functions.hello.deploymentSettings.postTrafficHook', `${file}:25:24`],
        ['error', 'unknown-key', 'functions.other.deploymentSettings.tpye', `${file}:29:13`],
      ]
    );
    for (const d of report.diagnostics) {
      assert.equal(typeof d.message, 'string');
      assert.equal(typeof d.hint, 'string', `${d.code} has a hint`);
    }
  });
});

describe('sls canary:validate follows --stage like every Framework command', () => {
  // fixtures/stages canaries only in `prod`, so only there must its alarm be in the template.
  const dir = copyFixture('stages', (text) =>
    text.replace(/alarms:\n(\s+- name: CanaryCheck\n(\s{10}.*\n)*)/, 'alarms: [NoSuchAlarm]\n')
  );
  const dev = validate(dir, ['--stage', 'dev']);
  const prod = validate(dir, ['--stage', 'prod']);

  test('a stage without canaries does not check the template for them', async () => {
    const { code, stdout, output } = await dev;
    assert.equal(code, 0, output);
    assert.match(stdout, /^serverless-canary: 0 errors, 0 warnings$/m);
  });

  test('the stage that canaries fails on the missing alarm', async () => {
    const { code, stdout, output } = await prod;
    assert.equal(code, 1, output);
    // The inline list `alarms: [NoSuchAlarm]` on line 29: its first item.
    assert.match(stdout, /^serverless\.yml:29:16: error\[unknown-alarm\] functions\.hello\.deploymentSettings\.alarms\[0\]: alarm `NoSuchAlarm` is not a resource of this stack/m);
  });
});
