'use strict';

// The companions that invoke a canaried function or delete its versions, run for real beside
// this plugin (fixtures/companions): serverless-plugin-warmup 8.4.1 and serverless-prune-plugin
// 2.1.0. What each does to a canary is said with a code, at the setting that decides it.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./support/framework');
const { printedProblems } = require('./support/printed-problems');

const codes = (output) => printedProblems(output).map((line) => /^(\S+): warning\[([a-z-]+)\] (\S+):/.exec(line).slice(1));

describe('serverless-plugin-warmup and serverless-prune-plugin beside a canary', () => {
  test('warming $LATEST, warming through the canary alias and pruning every unaliased version are each said', async () => {
    const run = await packageService('companions');
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(codes(run.output), [
      ['serverless.yml:23:5', 'warmer-warms-latest', 'custom.warmup.default'],
      ['serverless.yml:40:16', 'warmup-counts-as-traffic', 'functions.world.warmup.default.alias'],
      ['serverless.yml:27:13', 'prune-deletes-canary-versions', 'custom.prune.number'],
    ]);
    // The warmer is the Framework function warmup adds; its role may invoke any qualifier of
    // the functions it warms, the alias included.
    const warmerRole = Object.values(run.template.Resources).find(
      (r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r).includes('pc-companions-dev-world*')
    );
    assert.ok(warmerRole, 'warmup grants `function:<name>*`, which covers `:Live`');
  });

  test('a warmer on another alias, a function without a canary and prune keeping one version say nothing', async () => {
    const dir = copyFixture('companions', (text) =>
      text
        .replace('    number: 0', '    number: 1')
        .replace("        alias: Live", '        alias: Warm')
        .replace('      enabled: true', "      enabled: true\n      alias: Warm")
    );
    const run = await packageService(dir);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(codes(run.output), []);
  });

  test('without the companions loaded, their settings are theirs alone', async () => {
    const dir = copyFixture('companions', (text) => text.replace('  - serverless-plugin-warmup\n  - serverless-prune-plugin\n', ''));
    const run = await packageService(dir);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(codes(run.output), []);
  });
});
