'use strict';

// The generative combination test, its fixed sample: services that combine every feature with
// each other and with the companion plugins (support/combinations.js), each packaged with the
// real Framework and judged by the independent checker and cfn-lint
// (support/combination-run.js). `scripts/combinations` runs many more seeds and counts what
// they covered.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startMoto } = require('./support/moto-server');
const { runCombination } = require('./support/combination-run');

// Chosen so that the sample holds every feature at least once (asserted below): each type
// family, every kind of alarm, hooks, verification, triggers, chains, the bypass, provisioned
// concurrency with both frameworkAlias settings, references through environment variables,
// hooks and custom resources, cycles of the user's own, every companion and split-stacks mode,
// and the three Frameworks.
const SEEDS = [2, 9, 14, 35, 38, 70, 131, 246];

const EVERY_FEATURE = [
  'type:canary', 'type:linear', 'type:allAtOnce', 'type:customCanary', 'type:customLinear',
  'alarm:inline', 'alarm:referenced', 'alarm:by-name', 'alarm:other-function', 'alarm:extended-statistic', 'canaryAlarms',
  'smokeTest', 'hook:pre', 'hook:post', 'minTraffic', 'compareToBaseline', 'triggers',
  'maxConcurrentDeployments', 'canary-bypass', 'provisionedConcurrency', 'frameworkAlias:reuse', 'frameworkAlias:replace',
  'event:http', 'event:sqs', 'event:schedule',
  'reference:env-ref', 'reference:env-arn', 'reference:hook', 'reference:custom-resource', 'reference:planted-cycle', 'reference:user-cycle',
  'companion:split-stacks:perFunction', 'companion:split-stacks:perType', 'companion:split-stacks:perGroupFunction',
  'companion:step-functions', 'companion:appsync', 'companion:iam-roles-per-function',
  'companion:warmup:latest', 'companion:warmup:alias', 'companion:prune:0', 'companion:prune:2',
  'framework:serverless', 'framework:osls', 'framework:osls4', 'plugins:shuffled',
];

describe('generated combinations of every feature and companion', () => {
  let moto;
  const covered = new Set();
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto && moto.stop());

  for (const seed of SEEDS) {
    test(`seed ${seed}: accepted and deployable, or refused for a cycle of its own`, async (t) => {
      const result = await runCombination(seed, { env: moto.env });
      for (const feature of result.features) covered.add(feature);
      t.diagnostic(`${result.accepted ? 'accepted' : 'refused'}: ${result.features.join(' ')}`);
      assert.deepEqual(result.problems, []);
    });
  }

  test('the sample covers every feature', () => {
    assert.deepEqual(EVERY_FEATURE.filter((feature) => !covered.has(feature)), []);
  });
});
