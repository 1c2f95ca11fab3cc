'use strict';

// What AWS enforces beyond the template schema, on services large enough to meet it, packaged by
// the real Framework: the inline policies of a role stay under IAM's 10,240 characters however
// many functions share hooks, and a stack over CloudFormation's 500 resources is said at package
// time. The limits and their sources are in crates/core/src/limits.rs (docs/limits.md).

const fs = require('node:fs');
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./support/framework');
const { inlinePolicySizes } = require('./support/iam-policy-size');
const { lintErrors } = require('./support/cfn-lint');

const IAM_ROLE_INLINE_LIMIT = 10_240;
const TEMPLATE_FROM_S3_LIMIT = 1_048_576;

/** A service of `count` canaried http functions, sharing a pre- and a post-traffic hook when `hooks`. */
function service(name, count, { hooks = false } = {}) {
  const functions = [];
  if (hooks) functions.push('  preHook:\n    handler: handler.hello', '  postHook:\n    handler: handler.hello');
  for (let i = 0; i < count; i += 1) {
    functions.push(`  fn${i}:\n    handler: handler.hello\n    events:\n      - http: GET /fn${i}\n    deploymentSettings: {}`);
  }
  const defaults = hooks ? '    preTrafficHook: preHook\n    postTrafficHook: postHook\n' : '';
  const text = [
    `service: ${name}`,
    "frameworkVersion: '3'",
    'plugins:\n  - serverless-canary',
    'provider:\n  name: aws\n  runtime: nodejs24.x\n  region: us-east-1',
    "package:\n  excludeDevDependencies: false\n  patterns: ['!**', 'handler.js']",
    `custom:\n  deploymentSettings:\n    type: Canary10Percent5Minutes\n    alias: Live\n${defaults}`,
    `functions:\n${functions.join('\n')}`,
  ].join('\n');
  return copyFixture('example', () => `${text}\n`);
}

describe('hook policies stay small: one statement per role, whatever the number of functions', () => {
  for (const count of [40, 200]) {
    test(`${count} http functions sharing a pre- and a post-traffic hook`, async (t) => {
      const run = await packageService(service(`hooks${count}`, count, { hooks: true }));
      assert.equal(run.code, 0, run.output);
      const sizes = inlinePolicySizes(run.template, `hooks${count}-dev`);
      t.diagnostic(`resolved inline policy characters per role: ${JSON.stringify(sizes)}`);
      for (const [role, size] of Object.entries(sizes)) {
        assert.ok(size < IAM_ROLE_INLINE_LIMIT, `${role}: ${size} characters`);
      }
      const hookPolicies = Object.entries(run.template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy');
      assert.deepEqual(
        hookPolicies.map(([id, r]) => [id, r.Properties.Roles]),
        [['IamRoleLambdaExecutionCodeDeployHookPolicy', [{ Ref: 'IamRoleLambdaExecution' }]]],
        'both hooks run with the shared role: one policy'
      );
      for (let i = 0; i < count; i += 1) {
        assert.deepEqual(run.template.Resources[`Fn${i}LambdaFunctionAliasLive`].DependsOn, ['IamRoleLambdaExecutionCodeDeployHookPolicy']);
      }
      if (count === 40) assert.deepEqual(await lintErrors(run.templatePath), []);
    });
  }
});

describe('70 canaried http functions: over the 500 resources of a stack, said at package time', () => {
  test('a warning with the counts and the ways out; packaging goes on', async () => {
    const run = await packageService(service('big', 70));
    assert.equal(run.code, 0, run.output);
    const resources = Object.values(run.template.Resources);
    const added = resources.filter(
      (r) => r.Type.startsWith('AWS::CodeDeploy::') || r.Type === 'AWS::Lambda::Alias' || r === run.template.Resources.CodeDeployServiceRole
    ).length;
    const total = resources.length;
    assert.ok(total > 500, `${total} resources`);
    const warning = run.output.split('\n').find((line) => line.includes('resources per stack'));
    assert.equal(
      warning,
      `Warning: serverless-canary: serverless.yml:1:10: warning[too-many-resources] service: the stack would hold ${total} resources: ${total - added} from the Framework and \`resources:\`, and serverless-canary adds ${added}; CloudFormation allows at most 500 resources per stack, so the deploy would fail (list serverless-plugin-split-stacks in \`plugins:\` to move resources into nested stacks (README: Large services), canary fewer functions, or split the service)`
    );
  });

  test('under the quota, nothing is said', async () => {
    const run = await packageService(service('small', 20));
    assert.equal(run.code, 0, run.output);
    assert.ok(Object.keys(run.template.Resources).length <= 500);
    assert.doesNotMatch(run.output, /resources per stack/);
  });
});

describe('a template over the 1 MB CloudFormation reads from S3, said at package time', () => {
  /** One canaried function, and a parameter of `padding` characters that sizes the template. */
  const paddedService = (padding) =>
    copyFixture('example', (text) =>
      text.replace(
        'functions:',
        `resources:\n  Resources:\n    Padding:\n      Type: AWS::SSM::Parameter\n      Properties:\n        Type: String\n        Value: ${'x'.repeat(padding)}\n\nfunctions:`
      )
    );
  const warned = (run) => run.output.includes('template-too-large') || run.output.includes('bytes (1 MB) CloudFormation reads from S3');
  const packaged = async (padding, args) => {
    const run = await packageService(paddedService(padding), { args });
    assert.equal(run.code, 0, run.output);
    return { run, bytes: fs.statSync(run.templatePath).size };
  };

  test('counted as the Framework writes it: the limit itself is quiet, one byte more is not', async () => {
    const { bytes: base } = await packaged(1);
    const atLimit = 1 + TEMPLATE_FROM_S3_LIMIT - base;
    const quiet = await packaged(atLimit);
    assert.equal(quiet.bytes, TEMPLATE_FROM_S3_LIMIT);
    assert.ok(!warned(quiet.run), quiet.run.output);
    const over = await packaged(atLimit + 1);
    assert.equal(over.bytes, TEMPLATE_FROM_S3_LIMIT + 1);
    const warning = over.run.output.split('\n').find((line) => line.includes('CloudFormation reads from S3'));
    assert.equal(
      warning,
      'Warning: serverless-canary: serverless.yml:1:10: warning[template-too-large] service: the template would be larger than the 1,048,576 bytes (1 MB) CloudFormation reads from S3, so the deploy would fail (package with `--minify-template`, which writes it without indentation; canary fewer functions, or split the service into stacks of their own)'
    );
    const minified = await packaged(atLimit + 1, ['--minify-template']);
    assert.ok(minified.bytes < TEMPLATE_FROM_S3_LIMIT);
    assert.ok(!warned(minified.run), minified.run.output);
  });
});
