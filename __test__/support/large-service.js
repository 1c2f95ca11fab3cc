'use strict';

// Services of many canaried http functions beside serverless-plugin-split-stacks, written as a
// user would: the split mode, the order of `plugins:`, and the features that add orderings
// between resources (maxConcurrentDeployments chains, the smoke-test hook and its role).

const { copyFixture } = require('./framework');

const SPLIT_MODES = {
  perFunction: 'perFunction: true\n    perType: false',
  perType: 'perType: true',
  perGroupFunction: 'perGroupFunction: true\n    perType: false\n    nestedStackCount: 10',
};

/**
 * A service of `count` canaried functions `fn0`... under fixtures/example's handler, every
 * third naming the next one's alias in an environment variable.
 * `splitFirst`: serverless-plugin-split-stacks listed before serverless-canary.
 */
function largeService({ name, count, mode, splitFirst = false, maxConcurrent, smokeTest = false, canaryAlarms = false, references = 'ref' }) {
  const plugins = ['serverless-canary', 'serverless-plugin-split-stacks'];
  if (splitFirst) plugins.reverse();
  // How every third function names the next one's alias: `ref` (its logical ID, a dependency),
  // `arn` (built from the function's name, no dependency) or not at all.
  const nextAlias = {
    ref: (i) => `!Ref Fn${i}LambdaFunctionAliasLive`,
    arn: (i) => `!Sub 'arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}-dev-fn${i}:Live'`,
  }[references];
  const functions = [];
  for (let i = 0; i < count; i += 1) {
    const next = nextAlias && i % 3 === 0 && i + 1 < count ? `\n    environment:\n      NEXT: ${nextAlias(i + 1)}` : '';
    const smoke = smokeTest && i % 2 === 0 ? "\n      smokeTest:\n        - name: up\n          event: {path: /}" : '';
    const alarms = canaryAlarms && i % 3 === 1 ? '\n      canaryAlarms:\n        - preset: errors' : '';
    functions.push(`  fn${i}:\n    handler: handler.hello\n    events:\n      - http: GET /fn${i}${next}\n    deploymentSettings:\n      alias: Live${smoke}${alarms}`);
  }
  const deploymentSettings = ['    type: Canary10Percent5Minutes'];
  if (maxConcurrent) deploymentSettings.push(`    maxConcurrentDeployments: ${maxConcurrent}`);
  const text = [
    `service: ${name}`,
    "frameworkVersion: '3'",
    `plugins:\n${plugins.map((p) => `  - ${p}`).join('\n')}`,
    'provider:\n  name: aws\n  runtime: nodejs24.x\n  region: us-east-1',
    "package:\n  excludeDevDependencies: false\n  patterns: ['!**', 'handler.js']",
    `custom:\n  splitStacks:\n    ${SPLIT_MODES[mode]}\n  deploymentSettings:\n${deploymentSettings.join('\n')}`,
    `functions:\n${functions.join('\n')}`,
  ].join('\n');
  return copyFixture('example', () => `${text}\n`);
}

module.exports = { largeService, SPLIT_MODES };
