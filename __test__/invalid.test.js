'use strict';

// fixtures/invalid/: each file is a whole service with one kind of mistake. Its `# expect:` lines
// are everything `serverless package` prints about the canary settings, in order: each warning,
// then the error report's header (with the count) and each error, every line with its
// file:line:col and code. They are compared whole, so an extra, duplicated, misplaced or missing
// problem fails; packaging must fail and write no template. (The settings-phase lines are also
// checked against the standalone check in `cargo test`: validate_corpus_tests.rs.)

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { FIXTURES, packageService } = require('./support/framework');
const { printedProblems } = require('./support/printed-problems');

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
  for (const file of cases) {
    const expected = expectations(file);
    const header = expected.find((line) => /^serverless-canary found \d+ problems? in deploymentSettings:$/.test(line));
    assert.ok(header, `${file} states no error report`);
    // The header's count is the number of errors listed under it.
    const count = Number(/found (\d+)/.exec(header)[1]);
    assert.equal(expected.length - expected.indexOf(header) - 1, count, `${file}: ${count} problems stated`);
    for (const line of expected.filter((l) => l !== header)) {
      assert.match(line, /^[\w.-]+\.yml:\d+:\d+: (error|warning)\[[a-z-]+\] \S+: /, `${file}: every line has its position and code`);
    }
  }
});

// Started together; the harness runs two at a time.
const runs = new Map(cases.map((file) => [file, packageService(DIR, { config: file })]));

for (const file of cases) {
  test(`invalid/${file} fails with its path and message`, async () => {
    const run = await runs.get(file);
    assert.notEqual(run.code, 0, `packaging succeeded:\n${run.output}`);
    assert.equal(run.template, null, 'no template is written');
    assert.deepEqual(printedProblems(run.output), expectations(file), run.output);
    assert.doesNotMatch(run.output, /panicked|RUST_BACKTRACE|at .*\(node:/, 'no crash or stack trace');
  });
}
