'use strict';

// fixtures/invalid/: each file is a whole service with one kind of mistake. Its `# expect:` lines
// are what `serverless package` must print; packaging must fail and write no template.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { FIXTURES, packageService } = require('./support/framework');

const DIR = path.join(FIXTURES, 'invalid');
const cases = fs
  .readdirSync(DIR)
  .filter((file) => file.endsWith('.yml'))
  .sort();

const expectations = (file) =>
  fs
    .readFileSync(path.join(DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('# expect: '))
    .map((line) => line.slice('# expect: '.length));

test('the corpus has at least 25 cases, each with expectations', () => {
  assert.ok(cases.length >= 25, `${cases.length} cases`);
  for (const file of cases) assert.ok(expectations(file).length > 0, `${file} has no # expect: line`);
});

// Started together; the harness runs two at a time.
const runs = new Map(cases.map((file) => [file, packageService(DIR, { config: file })]));

for (const file of cases) {
  test(`invalid/${file} fails with its path and message`, async () => {
    const run = await runs.get(file);
    assert.notEqual(run.code, 0, `packaging succeeded:\n${run.output}`);
    assert.equal(run.template, null, 'no template is written');
    assert.match(run.output, /serverless-canary found \d+ problems? in deploymentSettings/);
    for (const expected of expectations(file)) {
      assert.ok(run.output.includes(expected), `missing:\n  ${expected}\nin:\n${run.output}`);
    }
    assert.doesNotMatch(run.output, /panicked|RUST_BACKTRACE|at .*\(node:/, 'no crash or stack trace');
  });
}
